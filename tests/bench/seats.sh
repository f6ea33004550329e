#!/bin/bash
# Seats on one host (issue 21): N operators' sessions (bench_seats.c: the
# real binary in ptys; memory, CPU at rest, time to the first screen, F2 to
# the board's redraw with K keying). Called by run.sh:
#
#   bash tests/bench/seats.sh BUILD_DIR CONFIG_FILE
#
# CONFIG_FILE names a demo database already made (run.sh: demo --no-ui).
# BENCH_SEATS=50 BENCH_KEYING=20 (or BENCH_SCALE=small) for a quick check;
# the default is 500 seats with 200 keying.
#
# sshd's share: the seats run in ptys, not through sshd (500 sessions
# through sshd need 500 Unix accounts on the host). What sshd costs per
# session is measured here on BENCH_SSHD_SESSIONS (5) real sessions, when
# run as root with sshd installed: a throwaway Unix account, OpenSSH's sshd
# on a loopback port with the operators' restrictions (no forwarding, no
# agent, no X11) and a forced command that only waits; the private memory
# (Private_Clean + Private_Dirty) of every sshd process of those sessions
# (the privileged monitor and the user's), divided by the sessions. It is
# passed on to bench_seats as BENCH_SSHD_KB and added to the per-operator total.
set -eu
BUILD=${1:?usage: seats.sh BUILD_DIR CONFIG_FILE}
CONF=${2:?usage: seats.sh BUILD_DIR CONFIG_FILE}
command -v tmux >/dev/null || { echo "seats.sh: tmux is not installed (make deps)" >&2; exit 1; }

sshd_kb() {
	local dir user port pids sessions=${BENCH_SSHD_SESSIONS:-5} total=0 i p kb
	[ "$(id -u)" = 0 ] && [ -x /usr/sbin/sshd ] && command -v ssh >/dev/null || return 1
	dir=$(mktemp -d /tmp/bdseats-ssh-XXXXXX)
	chmod 0755 "$dir"
	user=bds$$
	useradd -M -d "$dir/home" -s /bin/sh "$user" 2>/dev/null || { rm -rf "$dir"; return 1; }
	(
		set -e
		trap 'kill $(cat "$dir/sshd.pid" 2>/dev/null) 2>/dev/null; pkill -KILL -u "$user" 2>/dev/null; userdel "$user" 2>/dev/null; rm -rf "$dir"' EXIT
		install -d -m 0700 -o "$user" "$dir/home" "$dir/home/.ssh"
		ssh-keygen -q -t ed25519 -N '' -f "$dir/hostkey"
		ssh-keygen -q -t ed25519 -N '' -f "$dir/client"
		install -m 0600 -o "$user" "$dir/client.pub" "$dir/home/.ssh/authorized_keys"
		mkdir -p /run/sshd
		port=
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			p=$((20000 + RANDOM % 40000))
			cat >"$dir/sshd_config" <<CONF
Port $p
ListenAddress 127.0.0.1
HostKey $dir/hostkey
PidFile $dir/sshd.pid
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM yes
PrintMotd no
PrintLastLog no
DisableForwarding yes
PermitTunnel no
AllowAgentForwarding no
X11Forwarding no
PermitUserRC no
ClientAliveInterval 15
ClientAliveCountMax 4
AllowUsers $user
ForceCommand sleep 120
CONF
			if /usr/sbin/sshd -f "$dir/sshd_config" -E "$dir/sshd.log"; then
				port=$p
				break
			fi
		done
		[ -n "$port" ]
		for i in $(seq 1 "$sessions"); do
			ssh -F /dev/null -i "$dir/client" -p "$port" -o StrictHostKeyChecking=no \
				-o UserKnownHostsFile=/dev/null -o BatchMode=yes -o LogLevel=ERROR \
				-tt "$user@127.0.0.1" </dev/null >/dev/null 2>&1 &
		done
		end=$((SECONDS + 60))
		until [ "$(pgrep -u "$user" -x sleep | wc -l)" -ge "$sessions" ]; do
			[ $SECONDS -lt $end ] || exit 1
			sleep 0.2
		done
		sleep 1
		# the sessions' sshd processes: every "sshd: USER..." (monitor and child)
		for p in $(pgrep -f "^sshd: $user"); do
			kb=$(awk '/^Private_(Clean|Dirty):/ { s += $2 } END { print s + 0 }' "/proc/$p/smaps_rollup")
			total=$((total + kb))
		done
		echo $((total / sessions))
		pkill -u "$user" -x sleep || true
		wait
	) 2>/dev/null
	local rc=$?
	# again, whatever happened inside
	kill "$(cat "$dir/sshd.pid" 2>/dev/null)" 2>/dev/null || true
	pkill -KILL -u "$user" 2>/dev/null || true
	userdel "$user" 2>/dev/null || true
	rm -rf "$dir"
	return $rc
}

kb=$(sshd_kb) || kb=
if [ -n "$kb" ]; then
	echo "seats.sh: sshd: $kb kB private per session" >&2
	export BENCH_SSHD_KB=$kb
else
	echo "seats.sh: sshd's share not measured (needs root and openssh-server)" >&2
fi
BENCH_CONFIG=$CONF exec "$BUILD/bench_seats" "$BUILD/backdesk"
