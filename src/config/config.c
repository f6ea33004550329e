#include "backdesk/config.h"

#include <errno.h>
#include <libconfig.h>
#include <pwd.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backdesk/strbuf.h"
#include "backdesk/xalloc.h"

#define SYSTEM_CONFIG "/etc/backdesk/backdesk.conf"

enum setting_kind {
	SETTING_STR,
	SETTING_PATH,
	SETTING_CHOICE,
	SETTING_INT,
	SETTING_BOOL,
};

struct setting {
	const char *name;
	enum setting_kind kind;
	const char *def_str;	 /* STR, CHOICE */
	long long def_int;	 /* INT, BOOL */
	long long min, max;	 /* INT */
	const char *choices;	 /* CHOICE: "a|b|c" */
	char *(*computed)(void); /* PATH: malloc'd default when the value is "" */
	const char *help;
};

static char *default_data_dir(void);
static char *default_log_file(void);

static const struct setting settings[] = {
#define BD_SETTING_STR(n, d, h) {n, SETTING_STR, d, 0, 0, 0, NULL, NULL, h},
#define BD_SETTING_PATH(n, c, h) {n, SETTING_PATH, "", 0, 0, 0, NULL, c, h},
#define BD_SETTING_CHOICE(n, d, c, h) {n, SETTING_CHOICE, d, 0, 0, 0, c, NULL, h},
#define BD_SETTING_INT(n, d, lo, hi, h) {n, SETTING_INT, NULL, d, lo, hi, NULL, NULL, h},
#define BD_SETTING_BOOL(n, d, h) {n, SETTING_BOOL, NULL, d, 0, 0, NULL, NULL, h},
#include "settings.def"
#undef BD_SETTING_STR
#undef BD_SETTING_PATH
#undef BD_SETTING_CHOICE
#undef BD_SETTING_INT
#undef BD_SETTING_BOOL
};

#define NSETTINGS (sizeof(settings) / sizeof(settings[0]))

struct value {
	char *str;     /* STR, PATH, CHOICE */
	long long num; /* INT, BOOL */
	char *source;  /* NULL = "default" */
};

struct bd_config {
	char *file;
	struct value values[NSETTINGS];
};

/* --- computed defaults ----------------------------------------------------------------------- */

static char *
home_dir(void)
{
	const char *home = getenv("HOME");
	struct passwd *pw;

	if (home && home[0] == '/')
		return xstrdup(home);
	pw = getpwuid(geteuid());
	if (pw && pw->pw_dir && pw->pw_dir[0] == '/')
		return xstrdup(pw->pw_dir);
	return xstrdup("/");
}

/* $env/backdesk/leaf when $env is an absolute path (as the XDG spec says), else ~/fallback/... */
static char *
xdg_path(const char *env, const char *fallback, const char *leaf)
{
	const char *base = getenv(env);
	struct strbuf sb = STRBUF_INIT;
	char *home;

	if (base && base[0] == '/') {
		strbuf_addf(&sb, "%s/backdesk/%s", base, leaf);
	} else {
		home = home_dir();
		strbuf_addf(&sb, "%s%s%s/backdesk/%s", home, strcmp(home, "/") ? "/" : "", fallback,
			    leaf);
		free(home);
	}
	return strbuf_detach(&sb, NULL);
}

static char *
default_data_dir(void)
{
	/* PostgreSQL will not run as root; the cluster belongs to database.cluster_user. */
	if (geteuid() == 0)
		return xstrdup("/var/lib/backdesk/cluster");
	return xdg_path("XDG_DATA_HOME", ".local/share", "cluster");
}

static char *
default_log_file(void)
{
	return xdg_path("XDG_STATE_HOME", ".local/state", "backdesk.log");
}

/* --- the table ------------------------------------------------------------------------------- */

static size_t
lookup(const char *name)
{
	size_t i;

	for (i = 0; i < NSETTINGS; i++)
		if (!strcmp(settings[i].name, name))
			return i;
	return NSETTINGS;
}

static bool
is_group(const char *prefix)
{
	size_t len = strlen(prefix), i;

	for (i = 0; i < NSETTINGS; i++)
		if (!strncmp(settings[i].name, prefix, len) && settings[i].name[len] == '.')
			return true;
	return false;
}

static bool
is_string_kind(enum setting_kind kind)
{
	return kind == SETTING_STR || kind == SETTING_PATH || kind == SETTING_CHOICE;
}

/* For the accessors: a wrong name or type is a bug in the caller, not the user's problem. */
static size_t
must_lookup(const char *name, const char *want)
{
	size_t i = lookup(name);
	enum setting_kind kind;

	if (i == NSETTINGS)
		bd_die("internal error: no setting named %s", name);
	kind = settings[i].kind;
	if ((!strcmp(want, "string") && !is_string_kind(kind)) ||
	    (!strcmp(want, "integer") && kind != SETTING_INT) ||
	    (!strcmp(want, "boolean") && kind != SETTING_BOOL) ||
	    (!strcmp(want, "choice") && kind != SETTING_CHOICE))
		bd_die("internal error: setting %s is not a %s", name, want);
	return i;
}

static const char *
type_name(enum setting_kind kind)
{
	switch (kind) {
	case SETTING_STR:
	case SETTING_CHOICE:
		return "a string";
	case SETTING_PATH:
		return "a string (a path)";
	case SETTING_INT:
		return "an integer";
	case SETTING_BOOL:
		return "a boolean (true or false)";
	}
	return "?";
}

/* Edit distance, for "did you mean". Names are short; a small fixed row is enough. */
static size_t
distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), row[128], i, j, diag, up;

	if (lb >= sizeof(row) / sizeof(row[0]))
		return SIZE_MAX;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		diag = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			up = row[j];
			row[j] = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < row[j])
				row[j] = up + 1;
			if (row[j - 1] + 1 < row[j])
				row[j] = row[j - 1] + 1;
			diag = up;
		}
	}
	return row[lb];
}

/* The closest declared name or group, or NULL when nothing is close. */
static const char *
suggest(const char *name, char *buf, size_t bufsize)
{
	const char *leaf = strrchr(name, '.'), *other, *dot;
	size_t best_d = 3, d, i;

	buf[0] = '\0';
	for (i = 0; i < NSETTINGS; i++) {
		d = distance(name, settings[i].name);
		other = strrchr(settings[i].name, '.');
		/* The right setting in the wrong group, or outside any group. */
		if (other && !strcmp(leaf ? leaf : name, leaf ? other : other + 1))
			d = 1;
		if (d < best_d) {
			best_d = d;
			snprintf(buf, bufsize, "%s", settings[i].name);
		}
		/* A misspelt group. */
		dot = strchr(settings[i].name, '.');
		if (!leaf && dot) {
			char group[64];

			snprintf(group, sizeof(group), "%.*s", (int)(dot - settings[i].name),
				 settings[i].name);
			d = distance(name, group);
			if (d < best_d) {
				best_d = d;
				snprintf(buf, bufsize, "%s", group);
			}
		}
	}
	return buf[0] ? buf : NULL;
}

static void
err_unknown(struct bd_err *err, const char *where, const char *name)
{
	char buf[128];
	const char *hint = suggest(name, buf, sizeof(buf));

	if (hint)
		bd_err_set(err, BD_ERR_INVALID, "%s: unknown setting %s (did you mean %s?)", where,
			   name, hint);
	else
		bd_err_set(err, BD_ERR_INVALID, "%s: unknown setting %s", where, name);
}

/* --- values ---------------------------------------------------------------------------------- */

static bool
choice_index(const char *choices, const char *word, int *index)
{
	size_t len = strlen(word);
	const char *p = choices, *bar;
	int i = 0;

	for (;;) {
		bar = strchr(p, '|');
		if ((bar ? (size_t)(bar - p) : strlen(p)) == len && !strncmp(p, word, len)) {
			*index = i;
			return true;
		}
		if (!bar)
			return false;
		p = bar + 1;
		i++;
	}
}

/*
 * Checks and normalises a string value for setting i. Returns the malloc'd
 * value to store, or NULL with the reason in *why.
 */
static char *
string_value(size_t i, const char *text, struct strbuf *why)
{
	const struct setting *s = &settings[i];
	struct strbuf sb = STRBUF_INIT;
	char *home;
	int index;

	switch (s->kind) {
	case SETTING_CHOICE:
		if (choice_index(s->choices, text, &index))
			return xstrdup(text);
		strbuf_addf(why, "expected one of ");
		for (const char *p = s->choices; *p; p++)
			if (*p == '|')
				strbuf_addstr(why, ", ");
			else
				strbuf_addch(why, *p);
		strbuf_addf(why, ", not \"%s\"", text);
		return NULL;
	case SETTING_PATH:
		if (!text[0])
			return s->computed ? s->computed() : xstrdup("");
		if (text[0] == '~' && (text[1] == '/' || !text[1])) {
			home = home_dir();
			strbuf_addf(&sb, "%s%s", strcmp(home, "/") ? home : "", text + 1);
			free(home);
			if (!sb.len)
				strbuf_addch(&sb, '/');
			return strbuf_detach(&sb, NULL);
		}
		if (text[0] != '/') {
			strbuf_addf(why,
				    "expected an absolute path (or one starting with ~/), not "
				    "\"%s\"",
				    text);
			return NULL;
		}
		return xstrdup(text);
	default:
		return xstrdup(text);
	}
}

static bool
int_in_range(size_t i, long long n, struct strbuf *why)
{
	const struct setting *s = &settings[i];

	if (n >= s->min && n <= s->max)
		return true;
	strbuf_addf(why, "%lld is out of range (%lld to %lld)", n, s->min, s->max);
	return false;
}

static void
store(struct bd_config *cfg, size_t i, char *str, long long num, const char *source)
{
	struct value *v = &cfg->values[i];

	free(v->str);
	free(v->source);
	v->str = str;
	v->num = num;
	v->source = source ? xstrdup(source) : NULL;
}

/* --- lifecycle ------------------------------------------------------------------------------- */

struct bd_config *
bd_config_defaults(void)
{
	struct bd_config *cfg = xcalloc(1, sizeof(*cfg));
	size_t i;

	for (i = 0; i < NSETTINGS; i++) {
		switch (settings[i].kind) {
		case SETTING_PATH:
			cfg->values[i].str =
			    settings[i].computed ? settings[i].computed() : xstrdup("");
			break;
		case SETTING_STR:
		case SETTING_CHOICE:
			cfg->values[i].str = xstrdup(settings[i].def_str);
			break;
		case SETTING_INT:
		case SETTING_BOOL:
			cfg->values[i].num = settings[i].def_int;
			break;
		}
	}
	return cfg;
}

void
bd_config_free(struct bd_config *cfg)
{
	size_t i;

	if (!cfg)
		return;
	for (i = 0; i < NSETTINGS; i++) {
		free(cfg->values[i].str);
		free(cfg->values[i].source);
	}
	free(cfg->file);
	free(cfg);
}

/* --- reading a file -------------------------------------------------------------------------- */

/*
 * Applies one libconfig scalar to setting i. `where` is "FILE:LINE", used
 * both as the source and as the prefix of any error.
 */
static int
apply_setting(struct bd_config *cfg, size_t i, const config_setting_t *cs, const char *where,
	      struct bd_err *err)
{
	const struct setting *s = &settings[i];
	struct strbuf why = STRBUF_INIT;
	int type = config_setting_type(cs), ret = -1;
	long long num;
	char *str;

	if (is_string_kind(s->kind) && type == CONFIG_TYPE_STRING) {
		str = string_value(i, config_setting_get_string(cs), &why);
		if (str)
			store(cfg, i, str, 0, where);
	} else if (s->kind == SETTING_INT &&
		   (type == CONFIG_TYPE_INT || type == CONFIG_TYPE_INT64)) {
		num = config_setting_get_int64(cs);
		if (int_in_range(i, num, &why))
			store(cfg, i, NULL, num, where);
	} else if (s->kind == SETTING_BOOL && type == CONFIG_TYPE_BOOL) {
		store(cfg, i, NULL, config_setting_get_bool(cs) != 0, where);
	} else {
		strbuf_addf(&why, "expected %s", type_name(s->kind));
	}
	if (why.len) {
		bd_err_set(err, BD_ERR_INVALID, "%s: %s: %s", where, s->name, why.buf);
		goto cleanup;
	}
	ret = 0;
cleanup:
	strbuf_release(&why);
	return ret;
}

static int
walk_group(struct bd_config *cfg, const config_setting_t *group, const char *prefix,
	   const char *file, struct bd_err *err)
{
	struct strbuf name = STRBUF_INIT, where = STRBUF_INIT;
	const config_setting_t *cs;
	const char *cs_file;
	int n = config_setting_length(group), k, ret = -1;
	size_t i;

	for (k = 0; k < n; k++) {
		cs = config_setting_get_elem(group, (unsigned int)k);
		strbuf_reset(&name);
		strbuf_reset(&where);
		strbuf_addf(&name, "%s%s%s", prefix, prefix[0] ? "." : "", config_setting_name(cs));
		cs_file = config_setting_source_file(cs);
		strbuf_addf(&where, "%s:%u", cs_file ? cs_file : file,
			    config_setting_source_line(cs));

		i = lookup(name.buf);
		if (i < NSETTINGS) {
			if (apply_setting(cfg, i, cs, where.buf, err) < 0)
				goto cleanup;
		} else if (is_group(name.buf)) {
			if (!config_setting_is_group(cs)) {
				bd_err_set(err, BD_ERR_INVALID,
					   "%s: %s: expected a group, like %s = { ... };",
					   where.buf, name.buf, name.buf);
				goto cleanup;
			}
			if (walk_group(cfg, cs, name.buf, file, err) < 0)
				goto cleanup;
		} else {
			err_unknown(err, where.buf, name.buf);
			goto cleanup;
		}
	}
	ret = 0;
cleanup:
	strbuf_release(&where);
	strbuf_release(&name);
	return ret;
}

static int
read_file(struct bd_config *cfg, const char *path, struct bd_err *err)
{
	config_t lc;
	FILE *f;
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');
	int ret = -1;

	config_init(&lc);
	/* Read it ourselves first, so a permission problem says so instead of "file I/O error". */
	f = fopen(path, "r");
	if (!f) {
		bd_err_set(err, BD_ERR_IO, "cannot read the configuration file %s: %s", path,
			   strerror(errno));
		goto cleanup;
	}
	fclose(f);
	/* @include "x.conf" is relative to the including file's directory. */
	if (slash) {
		slash[slash == dir ? 1 : 0] = '\0';
		config_set_include_dir(&lc, dir);
	}
	if (config_read_file(&lc, path) != CONFIG_TRUE) {
		if (config_error_type(&lc) == CONFIG_ERR_FILE_IO)
			bd_err_set(err, BD_ERR_IO, "cannot read the configuration file %s", path);
		else
			bd_err_set(err, BD_ERR_INVALID, "%s:%d: %s",
				   config_error_file(&lc) ? config_error_file(&lc) : path,
				   config_error_line(&lc), config_error_text(&lc));
		goto cleanup;
	}
	if (walk_group(cfg, config_root_setting(&lc), "", path, err) < 0)
		goto cleanup;
	free(cfg->file);
	cfg->file = xstrdup(path);
	ret = 0;
cleanup:
	config_destroy(&lc);
	free(dir);
	return ret;
}

/*
 * Decides which file to read: *path gets a malloc'd path, or NULL when there
 * is none. Returns -1 with err set when a file that must exist does not.
 */
static int
find_file(const char *explicit_path, char **path, struct bd_err *err)
{
	const char *env = getenv("BACKDESK_CONFIG"), *what = NULL, *named = NULL;
	const char *candidates[2];
	char *xdg = NULL;
	struct stat st;
	size_t k;
	int ret = -1;

	*path = NULL;
	if (explicit_path) {
		named = explicit_path;
		what = "--config";
	} else if (env && env[0]) {
		named = env;
		what = "$BACKDESK_CONFIG";
	}
	if (named) {
		if (stat(named, &st) < 0) {
			bd_err_set(err, errno == ENOENT ? BD_ERR_NOT_FOUND : BD_ERR_IO,
				   "cannot read the configuration file %s (from %s): %s", named,
				   what, strerror(errno));
			goto cleanup;
		}
		if (!S_ISREG(st.st_mode)) {
			bd_err_set(err, BD_ERR_INVALID,
				   "the configuration file %s (from %s) is not a regular file",
				   named, what);
			goto cleanup;
		}
		*path = xstrdup(named);
		ret = 0;
		goto cleanup;
	}

	xdg = xdg_path("XDG_CONFIG_HOME", ".config", "backdesk.conf");
	candidates[0] = xdg;
	candidates[1] = SYSTEM_CONFIG;
	for (k = 0; k < 2; k++) {
		if (stat(candidates[k], &st) == 0) {
			if (!S_ISREG(st.st_mode)) {
				bd_err_set(err, BD_ERR_INVALID,
					   "the configuration file %s is not a regular file",
					   candidates[k]);
				goto cleanup;
			}
			*path = xstrdup(candidates[k]);
			break;
		}
		/* Present but unreachable is an error, not a reason to fall back silently. */
		if (errno != ENOENT && errno != ENOTDIR) {
			bd_err_set(err, BD_ERR_IO, "cannot read the configuration file %s: %s",
				   candidates[k], strerror(errno));
			goto cleanup;
		}
	}
	ret = 0;
cleanup:
	free(xdg);
	return ret;
}

struct bd_config *
bd_config_load(const char *explicit_path, struct bd_err *err)
{
	struct bd_config *cfg = bd_config_defaults();
	char *path = NULL;

	if (find_file(explicit_path, &path, err) < 0 || (path && read_file(cfg, path, err) < 0)) {
		bd_config_free(cfg);
		cfg = NULL;
	}
	free(path);
	return cfg;
}

/* --- access ---------------------------------------------------------------------------------- */

const char *
bd_config_str(const struct bd_config *cfg, const char *name)
{
	return cfg->values[must_lookup(name, "string")].str;
}

long long
bd_config_int(const struct bd_config *cfg, const char *name)
{
	return cfg->values[must_lookup(name, "integer")].num;
}

bool
bd_config_bool(const struct bd_config *cfg, const char *name)
{
	return cfg->values[must_lookup(name, "boolean")].num != 0;
}

int
bd_config_choice(const struct bd_config *cfg, const char *name)
{
	size_t i = must_lookup(name, "choice");
	int index = -1;

	if (!choice_index(settings[i].choices, cfg->values[i].str, &index))
		bd_die("internal error: setting %s holds an invalid value", name);
	return index;
}

const char *
bd_config_source(const struct bd_config *cfg, const char *name)
{
	size_t i = lookup(name);

	if (i == NSETTINGS)
		bd_die("internal error: no setting named %s", name);
	return cfg->values[i].source ? cfg->values[i].source : "default";
}

const char *
bd_config_file(const struct bd_config *cfg)
{
	return cfg->file;
}

static bool
parse_bool(const char *text, long long *out)
{
	static const char *const yes[] = {"true", "yes", "on", "1"};
	static const char *const no[] = {"false", "no", "off", "0"};
	size_t k;

	for (k = 0; k < sizeof(yes) / sizeof(yes[0]); k++) {
		if (!strcasecmp(text, yes[k])) {
			*out = 1;
			return true;
		}
		if (!strcasecmp(text, no[k])) {
			*out = 0;
			return true;
		}
	}
	return false;
}

int
bd_config_set(struct bd_config *cfg, const char *name, const char *value, const char *source,
	      struct bd_err *err)
{
	struct strbuf why = STRBUF_INIT;
	size_t i = lookup(name);
	char *str = NULL, *end;
	long long num = 0;
	int ret = -1;

	if (!source)
		source = "command line";
	if (i == NSETTINGS) {
		err_unknown(err, source, name);
		goto cleanup;
	}
	switch (settings[i].kind) {
	case SETTING_STR:
	case SETTING_PATH:
	case SETTING_CHOICE:
		str = string_value(i, value, &why);
		break;
	case SETTING_INT:
		errno = 0;
		num = strtoll(value, &end, 10);
		if (!value[0] || *end || errno == ERANGE)
			strbuf_addf(&why, "expected an integer, not \"%s\"", value);
		else
			int_in_range(i, num, &why);
		break;
	case SETTING_BOOL:
		if (!parse_bool(value, &num))
			strbuf_addf(&why, "expected true or false, not \"%s\"", value);
		break;
	}
	if (why.len) {
		bd_err_set(err, BD_ERR_INVALID, "%s: %s: %s", source, name, why.buf);
		goto cleanup;
	}
	store(cfg, i, str, num, source);
	ret = 0;
cleanup:
	strbuf_release(&why);
	return ret;
}

int
bd_config_set_arg(struct bd_config *cfg, const char *arg, const char *source, struct bd_err *err)
{
	const char *eq = strchr(arg, '=');
	char *name = NULL;
	int ret = -1;

	if (!eq || eq == arg) {
		bd_err_set(err, BD_ERR_INVALID,
			   "%s: expected NAME=VALUE, like ui.color=false, not "
			   "\"%s\"",
			   source ? source : "command line", arg);
		goto cleanup;
	}
	name = xstrndup(arg, (size_t)(eq - arg));
	ret = bd_config_set(cfg, name, eq + 1, source, err);
cleanup:
	free(name);
	return ret;
}

/* --- printing -------------------------------------------------------------------------------- */

/* A libconfig string literal: the scanner knows \\ \" \n \r \t \f and \xHH. */
static void
add_quoted(struct strbuf *sb, const char *s)
{
	strbuf_addch(sb, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		switch (c) {
		case '"':
			strbuf_addstr(sb, "\\\"");
			break;
		case '\\':
			strbuf_addstr(sb, "\\\\");
			break;
		case '\n':
			strbuf_addstr(sb, "\\n");
			break;
		case '\r':
			strbuf_addstr(sb, "\\r");
			break;
		case '\t':
			strbuf_addstr(sb, "\\t");
			break;
		case '\f':
			strbuf_addstr(sb, "\\f");
			break;
		default:
			if (c < 0x20 || c == 0x7f)
				strbuf_addf(sb, "\\x%02x", c);
			else
				strbuf_addch(sb, (char)c);
		}
	}
	strbuf_addch(sb, '"');
}

static size_t
group_len(size_t i)
{
	const char *dot = strchr(settings[i].name, '.');

	return dot ? (size_t)(dot - settings[i].name) : 0;
}

static bool
same_group(size_t a, size_t b)
{
	return group_len(a) == group_len(b) &&
	       !strncmp(settings[a].name, settings[b].name, group_len(a));
}

/* "leaf = value;" for setting i. */
static void
add_assignment(struct strbuf *sb, const struct bd_config *cfg, size_t i)
{
	strbuf_addf(sb, "%s = ", settings[i].name + group_len(i) + (group_len(i) ? 1 : 0));
	switch (settings[i].kind) {
	case SETTING_STR:
	case SETTING_PATH:
	case SETTING_CHOICE:
		add_quoted(sb, cfg->values[i].str);
		break;
	case SETTING_INT:
		strbuf_addf(sb, "%lld", cfg->values[i].num);
		break;
	case SETTING_BOOL:
		strbuf_addstr(sb, cfg->values[i].num ? "true" : "false");
		break;
	}
	strbuf_addch(sb, ';');
}

/* The help line, with the allowed range or words that the help text does not repeat. */
static void
print_help(FILE *out, size_t i)
{
	const struct setting *s = &settings[i];
	const char *p;

	fprintf(out, "\t    # %s", s->help);
	if (s->kind == SETTING_INT)
		fprintf(out, " (%lld to %lld)", s->min, s->max);
	if (s->kind == SETTING_CHOICE) {
		fprintf(out, "\n\t    #   one of: ");
		for (p = s->choices; *p; p++)
			if (*p == '|')
				fputs(", ", out);
			else
				fputc(*p, out);
	}
	fputc('\n', out);
}

void
bd_config_print(const struct bd_config *cfg, FILE *out)
{
	struct strbuf line = STRBUF_INIT;
	size_t i, j, k, width = 0;
	bool done;

	/* Source comments line up at one column, unless a value is very long. */
	for (i = 0; i < NSETTINGS; i++) {
		strbuf_reset(&line);
		add_assignment(&line, cfg, i);
		if (line.len > width && line.len <= 40)
			width = line.len;
	}

	fprintf(out, "# Backdesk settings: value, where it came from, and what it does.\n");
	fprintf(out, "# File: %s\n", cfg->file ? cfg->file : "none (built-in defaults)");
	fprintf(out, "# Any part of this can be pasted into a configuration file; on the command\n"
		     "# line, name a setting as group.name (e.g. ui.color).\n");
	/* Groups in order of first appearance, each printed once even if the table interleaves. */
	for (i = 0; i < NSETTINGS; i++) {
		done = false;
		for (j = 0; j < i && !done; j++)
			done = same_group(i, j);
		if (done)
			continue;
		fprintf(out, "\n%.*s = {\n", (int)group_len(i), settings[i].name);
		for (j = i; j < NSETTINGS; j++) {
			if (!same_group(i, j))
				continue;
			strbuf_reset(&line);
			add_assignment(&line, cfg, j);
			for (k = line.len; k < width; k++)
				strbuf_addch(&line, ' ');
			fprintf(out, "\t%s  # %s\n", line.buf,
				bd_config_source(cfg, settings[j].name));
			print_help(out, j);
		}
		fprintf(out, "};\n");
	}
	strbuf_release(&line);
}
