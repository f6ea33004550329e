#!/bin/bash
# long flow: a real sshd with Unix accounts and keys; once is enough
# Operators over SSH for real: OpenSSH's sshd on a loopback port, set up with
# the drop-in `backdesk deploy sshd` prints, operators made by `backdesk user
# add --unix` (unique names per run, removed at the end) with keys, reaching
# the test's database by peer authentication on a socket only their group
# may open. Over `ssh -tt` in tmux a clerk keys a document; `ssh host ls`
# runs Backdesk, not ls; -L, -R and -D forwards are refused; killing the SSH
# client ends the server-side process within seconds with the draft saved
# and nothing left running; an operator taken out of the group cannot log
# in. `backdesk deploy check` passes on the host as set up (every line ok)
# and names each thing set up wrong.
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" = 0 ] || { echo "FAIL: needs root (useradd, sshd); CI runs as root" >&2; exit 1; }
SSHD=/usr/sbin/sshd
[ -x "$SSHD" ] || { echo "FAIL: $SSHD is missing: make deps (openssh-server)" >&2; exit 1; }
command -v ssh >/dev/null || { echo "FAIL: ssh is missing: make deps (openssh-client)" >&2; exit 1; }

tui_setup

tag=bds$$
GROUP=${tag}g
A=${tag}a # a clerk: keys a document over SSH
B=${tag}b # a clerk taken out of the group
C=${tag}c # a Unix account in the group that is no operator (wrong set-up)
D=${tag}d # an operator with no Unix account (wrong set-up)
E=${tag}e # an existing Unix account made an operator
SSHDIR=$TUI_DIR/ssh
SOCK=$TUI_DIR/pgsock
OPCONF=$TUI_DIR/operators.conf

ssh_cleanup() {
	if [ -f "$SSHDIR/sshd.pid" ]; then
		kill "$(cat "$SSHDIR/sshd.pid")" 2>/dev/null || true
	fi
	for u in $A $B $C $E; do
		pkill -KILL -u "$u" 2>/dev/null || true
		userdel -r "$u" >/dev/null 2>&1 || true
	done
	groupdel "$GROUP" 2>/dev/null || true
	tui_cleanup
}
trap ssh_cleanup EXIT

bd() {
	"$BD_BINARY" --config "$TUI_CONF" --set ssh.group="$GROUP" "$@"
}

# The database, reachable by the operators: a second socket directory only
# the group may enter (the cluster's own stays private), and peer
# authentication for the test's operators, so the role is the Unix login.
groupadd "$GROUP"
cluster_user=postgres
mkdir -m 0750 "$SOCK"
chown "$cluster_user:$GROUP" "$SOCK"
bd db stop >/dev/null
pgdata=$TUI_DIR/cluster/pgdata
cat >>"$pgdata/postgresql.conf" <<EOF
unix_socket_directories = '$TUI_DIR/cluster/run,$SOCK'
unix_socket_permissions = 0777
EOF
sed -i "1i local backdesk $A,$B,$C,$D peer" "$pgdata/pg_hba.conf"
bd db start >/dev/null

cat >"$OPCONF" <<EOF
database = { conninfo = "host=$SOCK dbname=backdesk"; };
ssh = { group = "$GROUP"; binary = "$BD_BINARY"; };
EOF
chmod 0644 "$OPCONF"

# Operators made as an admin would: the role and the Unix account at once.
out=$(bd user add "$A" --role clerk --name "Ann SSH" --client ACME --unix 2>&1) ||
	tui_fail "user add --unix: $out"
grep -q "Unix account $A created in group $GROUP" <<<"$out" || tui_fail "user add --unix said: $out"
id -nG "$A" | grep -qw "$GROUP" || tui_fail "$A is not in $GROUP: $(id -nG "$A")"
bd user add "$B" --role clerk --client ACME --unix >/dev/null 2>&1 || tui_fail "user add $B"
# Not root: --unix is refused before the database is touched.
out=$(setpriv --reuid=nobody --regid=nogroup --clear-groups "$BD_BINARY" --config "$OPCONF" \
	user add "${tag}z" --role clerk --unix 2>&1) && tui_fail "--unix as nobody worked: $out"
grep -q "run it as root" <<<"$out" || tui_fail "--unix as nobody said: $out"
# Two claims to key, imported by the demo's supervisor.
csv=$TUI_DIR/ss.csv
printf 'external_ref,source\nSS-01,/scans/ss01.tif\nSS-02,/scans/ss02.tif\n' >"$csv"
batch=$(tui_import_claims "$csv" single)
# The bash completion offers the database's clients, then a client's
# document types (as the supervisor, while the demo's operators may log in).
. "$(dirname "$BD_BINARY")/backdesk.bash"
backdesk() { "$BD_BINARY" --config "$TUI_CONF" --user super1 "$@"; }
COMP_WORDS=(backdesk batch import "")
COMP_CWORD=3
_backdesk
[[ " ${COMPREPLY[*]} " == *" ACME "* ]] || tui_fail "completing a client offers: ${COMPREPLY[*]}"
COMP_WORDS=(backdesk batch import ACME cl)
COMP_CWORD=4
_backdesk
[ "${COMPREPLY[*]}" = claim ] || tui_fail "completing an ACME doctype offers: ${COMPREPLY[*]}"
unset -f backdesk
# The demo's operators have no accounts here: out of the way of deploy check.
tui_sql "SELECT count(core.operator_disable(login)) FROM core.operators
	WHERE login NOT LIKE '$tag%'" >/dev/null

# sshd: a host key, the operators' drop-in, a free loopback port.
mkdir -m 0700 "$SSHDIR"
ssh-keygen -q -t ed25519 -N '' -f "$SSHDIR/hostkey"
ssh-keygen -q -t ed25519 -N '' -f "$SSHDIR/client"
for u in $A $B; do
	home=$(getent passwd "$u" | cut -d: -f6)
	install -d -m 0700 -o "$u" -g "$u" "$home/.ssh"
	install -m 0600 -o "$u" -g "$u" "$SSHDIR/client.pub" "$home/.ssh/authorized_keys"
done
"$BD_BINARY" --config "$OPCONF" deploy sshd >"$SSHDIR/backdesk.conf" || tui_fail "deploy sshd"
grep -q "^Match Group $GROUP\$" "$SSHDIR/backdesk.conf" || tui_fail "no Match Group in the drop-in"
grep -q "ForceCommand $BD_BINARY --config $OPCONF\$" "$SSHDIR/backdesk.conf" ||
	tui_fail "the drop-in's ForceCommand: $(grep ForceCommand "$SSHDIR/backdesk.conf")"
# --group and --binary say the same as the settings.
"$BD_BINARY" --config "$OPCONF" deploy sshd --group other --binary /usr/bin/backdesk |
	grep -qz "Match Group other.*ForceCommand /usr/bin/backdesk --config $OPCONF" ||
	tui_fail "deploy sshd --group --binary"
out=$("$BD_BINARY" deploy sshd --binary relative/backdesk 2>&1) && tui_fail "a relative --binary: $out"
mkdir -p /run/sshd
# Laid out as Debian's: the drop-ins included first, then global settings
# that the Match block must override.
write_sshd_config() { # PORT [INCLUDE]
	[ -z "${2:-}" ] || echo "Include $SSHDIR/backdesk.conf"
	cat <<EOF
Port $1
ListenAddress 127.0.0.1
HostKey $SSHDIR/hostkey
PidFile $SSHDIR/sshd.pid
AuthorizedKeysFile .ssh/authorized_keys
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM yes
PrintMotd no
PrintLastLog no
X11Forwarding yes
AllowTcpForwarding yes
# An application host for operators only.
AllowGroups $GROUP
EOF
}
port=
for _ in 1 2 3 4 5 6 7 8 9 10; do
	p=$((20000 + RANDOM % 40000))
	write_sshd_config "$p" include >"$SSHDIR/sshd_config"
	if "$SSHD" -f "$SSHDIR/sshd_config" -E "$SSHDIR/sshd.log"; then
		port=$p
		break
	fi
done
[ -n "$port" ] || tui_fail "sshd would not start: $(tail -n 5 "$SSHDIR/sshd.log")"
end=$((SECONDS + 30))
until [ -s "$SSHDIR/sshd.pid" ]; do
	[ $SECONDS -lt $end ] || tui_fail "sshd wrote no pid file: $(tail -n 5 "$SSHDIR/sshd.log")"
	sleep 0.1
done

# ssh's options: the first given wins, so the log level comes last (INFO
# reports refused forwards, ERROR does not).
SSH0=(ssh -F /dev/null -i "$SSHDIR/client" -p "$port" -o StrictHostKeyChecking=no
	-o UserKnownHostsFile=/dev/null -o BatchMode=yes -o ConnectTimeout=30)
SSH=("${SSH0[@]}" -o LogLevel=ERROR)

# deploy check on the host as set up: every line ok.
out=$("$BD_BINARY" --config "$OPCONF" deploy check --sshd-config "$SSHDIR/sshd_config" \
	--addr 127.0.0.1 2>&1) || tui_fail "deploy check on a good host: $out"
! grep -v '^ok ' <<<"$out" | grep -q . || tui_fail "deploy check printed more than ok lines: $out"
for what in "sshd: $A from 127.0.0.1 gets '$BD_BINARY --config $OPCONF' only" \
	"database: $A reaches it" "accounts: 2 operators, each with a Unix account in group $GROUP" \
	"config: $OPCONF is mode 0644" "auth: no password" \
	"auth: $A cannot sign in as another operator (1 tried)"; do
	grep -qF "ok     $what" <<<"$out" || tui_fail "deploy check lacks 'ok $what': $out"
done

# `ssh host ls` runs Backdesk, not ls.
home=$(getent passwd "$A" | cut -d: -f6)
touch "$home/marker-file-for-ls"
out=$("${SSH[@]}" "$A@127.0.0.1" ls 2>&1) && tui_fail "ssh host ls succeeded: $out"
grep -q marker-file-for-ls <<<"$out" && tui_fail "ssh host ls ran ls: $out"
grep -q "^backdesk: this login opens Backdesk's screens only: 'ls' was not run" <<<"$out" ||
	tui_fail "ssh host ls did not run backdesk: $out"

# Forwarding of every kind is refused. -R: the server says no at once.
out=$(timeout 30 "${SSH[@]}" -o ExitOnForwardFailure=yes -N -R "0:127.0.0.1:$port" "$A@127.0.0.1" 2>&1) &&
	tui_fail "-R was accepted"
grep -qi "forwarding failed" <<<"$out" || tui_fail "-R: $out"
# -L and -D: the forward's channel is refused when used; nothing comes through
# (through the forward the test's own sshd would greet with "SSH-2.0").
free_port() {
	local p
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		p=$((20000 + RANDOM % 40000))
		! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && { echo "$p"; return; }
	done
}
try_forward() { # NAME SSH-OPTION LOCAL-PORT REQUEST
	local name=$1 opt=$2 lp=$3 request=$4 pid got end
	"${SSH0[@]}" -o LogLevel=INFO -N $opt "$A@127.0.0.1" 2>"$TUI_DIR/$name.err" &
	pid=$!
	end=$((SECONDS + 30))
	until (exec 3<>"/dev/tcp/127.0.0.1/$lp") 2>/dev/null; do
		[ $SECONDS -lt $end ] || tui_fail "$name: ssh never listened on $lp"
		sleep 0.1
	done
	got=$(exec 3<>"/dev/tcp/127.0.0.1/$lp"; printf "$request" >&3; timeout 10 head -c 64 <&3 | tr -d '\0' || true)
	end=$((SECONDS + 10))
	until grep -q "prohibited" "$TUI_DIR/$name.err"; do
		[ $SECONDS -lt $end ] || break
		sleep 0.1
	done
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null || true
	[[ $got != *SSH-2.0* ]] || tui_fail "$name forwarded a connection: $got"
	grep -q "administratively prohibited" "$TUI_DIR/$name.err" ||
		tui_fail "$name: ssh did not report the refusal: $(cat "$TUI_DIR/$name.err")"
}
lp=$(free_port)
try_forward L "-L $lp:127.0.0.1:$port" "$lp" ""
lp=$(free_port)
# SOCKS4 CONNECT to 127.0.0.1:port
try_forward D "-D $lp" "$lp" "$(printf '\\x04\\x01\\x%02x\\x%02x\\x7f\\x00\\x00\\x01u\\x00' $((port / 256)) $((port % 256)))"

# The TUI over ssh -tt in tmux: the clerk keys a claim.
ssh_start() { # NAME LOGIN
	local cmd="" a
	for a in "${SSH[@]}" -tt "$2@127.0.0.1"; do
		cmd="$cmd '$a'"
	done
	tmux -L "$TUI_SOCKET" -u -f /dev/null new-session -d -s "$1" -x 80 -y 24 \
		"$cmd; echo EXITED \$?; sleep 600"
	tmux -L "$TUI_SOCKET" set-option -t "$1" status off >/dev/null
}
ssh_start s1 "$A"
tui_menu s1 "Key documents"
tui_wait s1 "Ref SS-01"
tui_type s1 "Smith, John"
tui_keys s1 Enter
tui_type s1 "1980-02-03"
tui_keys s1 Enter
tui_type s1 "AC10237576" # auto-advances to Relation
tui_keys s1 Enter
tui_type s1 "2024-06-01"
tui_keys s1 Enter Enter
tui_type s1 "Dr Who"
tui_keys s1 Enter
tui_type s1 "99213"
tui_type s1 "J20.9"
tui_keys s1 Enter
tui_type s1 "75.00"
for _ in 1 2 3 4 5 6 7 8 9 10 11; do
	tui_keys s1 Enter
done
tui_type s1 "75.00"
tui_keys s1 F2
tui_wait s1 "SS-01 submitted."
tui_expect_sql "SELECT count(*) FROM entry.passes p JOIN entry.documents d USING (document_id)
	WHERE d.batch_id = $batch AND d.external_ref = 'SS-01' AND p.operator = '$A'" 1

# The link drops mid-field: the server side saves the draft and is gone.
tui_wait s1 "Ref SS-02"
tui_type s1 "Half Typed Name"
tui_wait s1 "Half Typed Name"
bdpid=$(pgrep -u "$A" -f "$BD_BINARY" | head -n 1)
[ -n "$bdpid" ] || tui_fail "no backdesk process of $A while the form is open"
shell=$(tmux -L "$TUI_SOCKET" display-message -p -t s1 '#{pane_pid}')
sshpid=$(pgrep -P "$shell" -x ssh | head -n 1)
[ -n "$sshpid" ] || tui_fail "no ssh client under the tmux pane"
start=$SECONDS
kill -KILL "$sshpid"
until ! pgrep -u "$A" >/dev/null; do
	[ $((SECONDS - start)) -le 10 ] ||
		tui_fail "processes of $A left 10 s after the client died: $(pgrep -a -u "$A")"
	sleep 0.1
done
echo "every process of $A gone $((SECONDS - start)) s after the client was killed"
tui_expect_sql "SELECT position('Half Typed Name' IN data) > 0 FROM core.drafts
	WHERE login = '$A' AND screen = 'entry.document'" t
tui_kill s1

# Taken out of the group: no login at all (AllowGroups), so no Backdesk.
out=$("${SSH[@]}" "$B@127.0.0.1" true 2>&1) && tui_fail "$B logs in: $out"
gpasswd -d "$B" "$GROUP" >/dev/null
out=$("${SSH[@]}" "$B@127.0.0.1" true 2>&1) && tui_fail "$B logs in out of the group: $out"
grep -q "Permission denied" <<<"$out" || tui_fail "$B out of the group: $out"

# deploy check on a host set up wrong names each thing.
bad=$TUI_DIR/bad.conf
cat >"$bad" <<EOF
database = { conninfo = "host=$SOCK dbname=backdesk password=hunter2"; };
ssh = { group = "$GROUP"; binary = "$BD_BINARY"; };
EOF
chmod 0666 "$bad"
write_sshd_config "$port" >"$SSHDIR/bare_config" # no drop-in
useradd -M -G "$GROUP" "$C"
bd user add "$D" --role clerk --client ACME >/dev/null 2>&1 || tui_fail "user add $D"
install -m 0600 -o "$A" -g "$A" /dev/null "$home/.pgpass"
printf '[bd]\nhost=db1\npassword=hunter2\n' >"$home/.pg_service.conf"
# The server trusts whoever says they are $D.
sed -i "1i local backdesk $D trust" "$pgdata/pg_hba.conf"
tui_sql "SELECT pg_reload_conf()" >/dev/null
end=$((SECONDS + 30))
until psql -X -q -d "host=$SOCK dbname=backdesk user=$D" -c "SELECT 1" >/dev/null 2>&1; do
	[ $SECONDS -lt $end ] || tui_fail "the server never reloaded pg_hba.conf"
	sleep 0.1
done
out=$(PGPASSWORD=x "$BD_BINARY" --config "$bad" deploy check --login "$A" \
	--sshd-config "$SSHDIR/bare_config" --addr 127.0.0.1 2>&1) &&
	tui_fail "deploy check passed a host set up wrong: $out"
for what in "config: $bad is writable by everyone (mode 0666)" \
	"auth: database.conninfo ($bad:1) holds a password" \
	"auth: PGPASSWORD is set" \
	"auth: $home/.pgpass holds passwords" \
	"auth: $home/.pg_service.conf holds a password" \
	"sshd: ForceCommand for $A is none, should be $BD_BINARY --config $bad" \
	"sshd: AllowTcpForwarding for $A is yes, should be no" \
	"sshd: X11Forwarding for $A is yes, should be no" \
	"accounts: operator $B's Unix account is not in group $GROUP" \
	"accounts: $C is in group $GROUP but is no active operator" \
	"accounts: operator $D has no Unix account on this host" \
	"auth: $A signed in to the database as $D without a password"; do
	grep -qF "WRONG  $what" <<<"$out" || tui_fail "deploy check lacks 'WRONG $what': $out"
done
n=$(grep -c '^WRONG ' <<<"$out")
grep -q "^backdesk: $n things to fix on this host" <<<"$out" || tui_fail "no summary of $n: $out"
# A database that is not Backdesk's (never migrated) is named too.
out=$("$BD_BINARY" --config "$OPCONF" --set database.conninfo="host=$SOCK dbname=postgres" \
	deploy check --sshd-config "$SSHDIR/sshd_config" --addr 127.0.0.1 2>&1) &&
	tui_fail "deploy check passed an unmigrated database: $out"
grep -q "^WRONG  database: as $A: " <<<"$out" || tui_fail "unmigrated database: $out"
# user add --unix on an existing account adds it to the group; with no such
# group, nothing is made, not even the role.
useradd -M "$E"
out=$(bd user add "$E" --role clerk --client ACME --unix 2>&1) || tui_fail "user add $E: $out"
grep -q "Unix account $E added to group $GROUP" <<<"$out" || tui_fail "user add $E said: $out"
id -nG "$E" | grep -qw "$GROUP" || tui_fail "$E is not in $GROUP: $(id -nG "$E")"
out=$("$BD_BINARY" --config "$TUI_CONF" --set ssh.group="${tag}none" user add "${tag}y" \
	--role clerk --unix 2>&1) && tui_fail "--unix with no group worked: $out"
grep -q "there is no Unix group ${tag}none" <<<"$out" || tui_fail "--unix with no group: $out"
tui_expect_sql "SELECT count(*) FROM core.operators WHERE login = '${tag}y'" 0
tui_pass sshd
