/*
 * F4 over a code table of 100,000 codes (issue 20): the keying screen's
 * search (entry.code_lookup: a code's start or words of the description,
 * through the word index entry.code_words, as entry.codes_load fills it)
 * against a plain ILIKE over the same rows, in the same run, on the same
 * words (interleaved), finding the same rows. Result rows
 * as bench_common.h says. BENCH_FORMS_CODES (100000), BENCH_FORMS_SEARCHES
 * (200; small: 50).
 */
#include "bench_common.h"

#include "backdesk/strbuf.h"

#include <math.h>

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The median of n times, in ms. */
static double
median_ms(double *t, int n)
{
	qsort(t, (size_t)n, sizeof(*t), cmp_double);
	return 1000.0 * (n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2);
}

int
main(void)
{
	long codes = bench_knob("BENCH_FORMS_CODES", 100000, 100000);
	int searches = (int)bench_knob("BENCH_FORMS_SEARCHES", 200, 50), i;
	struct bd_db *super, *clerk;
	struct strbuf sql = STRBUF_INIT;
	double *ours, *plain;
	long rows_ours = 0, rows_plain = 0;
	char client_id[16], *v, *words;

	bench_open("bench_forms");
	bench_migrate();
	super = bench_connect(NULL, NULL);
	if (bench_scalar(super, "SELECT count(*) FROM core.clients WHERE code = 'FORMS'", 0, NULL))
		bench_die("this cluster already holds the forms benchmark; use a fresh one");
	bench_exec(super,
		   "SELECT core.client_add('FORMS', 'Forms bench');"
		   "SELECT core.operator_add('fbclerk', 'Forms clerk', 'clerk', '{FORMS}');");
	v = bench_value(super, "SELECT client_id FROM core.clients WHERE code = 'FORMS'", 0, NULL);
	snprintf(client_id, sizeof(client_id), "%s", v);
	free(v);
	/* Descriptions of four words from a vocabulary of 5,000 made-up words
	 * of eight letters, so a word is in about 80 codes. */
	strbuf_addf(&sql,
		    "CREATE TEMP TABLE vocab AS SELECT i, translate(substr(md5(i::text), 1, 8), "
		    "'0123456789abcdef', 'bcdfghjklmnprstv') AS w FROM generate_series(0, 4999) i;"
		    "INSERT INTO entry.codes (client_id, code_table, code, description) "
		    "SELECT %s, 'bench', 'C' || lpad(n::text, 6, '0'), "
		    "initcap(v.a[(n::bigint * 7919) %% 5000 + 1]) || ' ' || "
		    "v.a[(n::bigint * 104729) %% 5000 + 1] || ' of ' || "
		    "v.a[(n::bigint * 1299709) %% 5000 + 1] || ', ' || "
		    "v.a[(n::bigint * 15485863) %% 5000 + 1] "
		    "FROM generate_series(1, %ld) n, "
		    "(SELECT array_agg(w ORDER BY i) AS a FROM vocab) v;"
		    "CREATE TABLE public.bench_plain AS SELECT * FROM entry.codes "
		    "WHERE client_id = %s AND code_table = 'bench';"
		    "INSERT INTO entry.code_words (client_id, code_table, word, code) "
		    "SELECT DISTINCT c.client_id, c.code_table, w, c.code FROM entry.codes c, "
		    "regexp_split_to_table(lower(c.description), '[^[:alnum:]]+') w "
		    "WHERE c.code_table = 'bench' AND w <> '';"
		    "ANALYZE entry.codes; ANALYZE entry.code_words; ANALYZE public.bench_plain;",
		    client_id, codes, client_id);
	bench_log("loading %ld codes", codes);
	bench_exec(super, sql.buf);
	clerk = bench_connect("fbclerk", NULL);
	ours = calloc((size_t)searches, sizeof(*ours));
	plain = calloc((size_t)searches, sizeof(*plain));
	words = bench_value(
	    super, "SELECT string_agg(w, ' ' ORDER BY i) FROM vocab WHERE i % 25 = 0", 0, NULL);
	for (i = 0; i < 2 * searches; i++) {
		/* Interleaved: ours, the reference, on the same word. */
		char word[16];
		struct bd_err err = BD_ERR_INIT;
		struct bd_db_result *res;
		double t0;

		/* words: 200 of eight letters and a space */
		snprintf(word, sizeof(word), "%.8s", words + (size_t)(i / 2 % 200) * 9);
		t0 = bench_now();
		if (i % 2 == 0) {
			res = bd_db_query(clerk, "entry.code_lookup",
					  BD_PARAMS(client_id, word, "bench"), &err);
			if (!res)
				bench_die("code_lookup: %s", err.msg);
			ours[i / 2] = bench_now() - t0;
			rows_ours += bd_db_result_rows(res);
		} else {
			char like[32];

			snprintf(like, sizeof(like), "%%%s%%", word);
			res =
			    bd_db_adhoc(super,
					"SELECT code, description FROM public.bench_plain "
					"WHERE client_id = $1::integer AND code_table = 'bench' "
					"AND (code LIKE upper($2) || '%' OR description ILIKE $3) "
					"ORDER BY code LIMIT 200",
					3, (const char *const[]){client_id, word, like}, &err);
			if (!res)
				bench_die("plain: %s", err.msg);
			plain[i / 2] = bench_now() - t0;
			rows_plain += bd_db_result_rows(res);
		}
		bd_db_result_free(res);
	}
	if (rows_ours != rows_plain)
		bench_die("the searches found %ld rows, the plain ILIKE %ld", rows_ours,
			  rows_plain);
	{
		double a = median_ms(ours, searches), b = median_ms(plain, searches);

		bench_log("%d searches, %ld rows found by each", searches, rows_ours);
		printf("| F4 over a code table, %ld codes | median of %d searches by a word | %.2f "
		       "ms | "
		       "%.2f ms (plain ILIKE) | %.1fx | <= 50 ms | %s |\n",
		       codes, searches, a, b, b / a, a <= 50 ? "yes" : "**no**");
	}
	free(words);
	free(ours);
	free(plain);
	strbuf_release(&sql);
	bd_db_free(clerk);
	bd_db_free(super);
	bench_close();
	return 0;
}
