#!/bin/sh
# pg-cluster.sh: a throwaway PostgreSQL cluster for billtop's tests and CI.
#
#   scripts/pg-cluster.sh start DIR   initdb (first time) + pg_ctl start; prints
#                                     the environment to use (eval it)
#   scripts/pg-cluster.sh env DIR     prints that environment again
#   scripts/pg-cluster.sh stop DIR    pg_ctl stop (fast); a no-op when not running
#
# DIR holds everything: DIR/data (the cluster), DIR/sock (the Unix socket
# directory; /tmp/billtop-pg.N, removed by stop, when DIR is too deep for a
# socket path), DIR/log. The server listens on the Unix socket only (no TCP:
# listen_addresses = ''), trusts local connections and has one superuser,
# "billtop". PostgreSQL refuses to run as root: when called as root the
# cluster belongs to the system user billtop-test (created here when
# missing) and the server runs as that user. Needs Debian's postgresql
# package (scripts/deps.sh): the binaries are found under
# /usr/lib/postgresql/*/bin (the newest), or $PG_BIN.
#
# Output of start/env, one assignment a line:
#   export PGHOST=DIR/sock PGPORT=5432 PGUSER=billtop PGDATABASE=postgres
#   export BILLTOP_PG_CONNINFO='host=DIR/sock port=5432 user=billtop'
set -eu

usage() { echo "usage: $0 start|stop|env DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
cmd=$1
mkdir -p "$2"
dir=$(cd "$2" && pwd)
port=${PG_PORT:-5432}
# the socket's path must fit sun_path (107 bytes): a deep DIR gets a short
# socket directory in /tmp, named after DIR (the same for start, env, stop)
sock=$dir/sock
if [ ${#sock} -gt 80 ]; then
	sock=/tmp/billtop-pg.$(printf '%s' "$dir" | cksum | cut -d' ' -f1)
fi
pguser=billtop
runas=billtop-test

bin=${PG_BIN:-}
if [ -z "$bin" ]; then
	for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V); do bin=$d; done
fi
if [ -z "$bin" ] || [ ! -x "$bin/pg_ctl" ]; then
	echo "$0: no PostgreSQL server binaries (install Debian's postgresql: sh scripts/deps.sh)" >&2
	exit 1
fi

# as_user CMD...: run as the cluster's owner (root: billtop-test).
as_user() {
	if [ "$(id -u)" -eq 0 ]; then
		setpriv --reuid="$runas" --regid="$runas" --clear-groups --reset-env -- env PATH="$bin:/usr/bin:/bin" "$@"
	else
		"$@"
	fi
}

ensure_user() {
	[ "$(id -u)" -eq 0 ] || return 0
	id "$runas" >/dev/null 2>&1 || useradd --system --user-group --no-create-home --home-dir /nonexistent \
		--shell /usr/sbin/nologin "$runas"
	chown "$runas:$runas" "$dir"
	# the owner must reach DIR: every parent needs x for others
	if ! setpriv --reuid="$runas" --regid="$runas" --clear-groups test -w "$dir"; then
		echo "$0: $dir: user $runas cannot write here (a parent directory closed to others?)" >&2
		exit 1
	fi
}

print_env() {
	echo "export PGHOST='$sock' PGPORT=$port PGUSER=$pguser PGDATABASE=postgres"
	echo "export BILLTOP_PG_CONNINFO='host=$sock port=$port user=$pguser'"
}

running() { [ -f "$dir/data/postmaster.pid" ] && as_user "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; }

case $cmd in
start)
	ensure_user
	if [ ! -f "$dir/data/PG_VERSION" ]; then
		as_user mkdir -p "$dir/data"
		as_user "$bin/initdb" -D "$dir/data" -U "$pguser" --auth=trust -E UTF8 --locale=C.UTF-8 \
			>"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
	fi
	if ! running; then
		if [ "$sock" != "$dir/sock" ] && [ "$(id -u)" -eq 0 ]; then
			mkdir -p "$sock" && chown "$runas:$runas" "$sock" && chmod 700 "$sock"
		else
			as_user mkdir -p "$sock"
		fi
		as_user "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 60 \
			-o "-c listen_addresses='' -k '$sock' -p $port -c fsync=off" start >/dev/null \
			|| { tail -20 "$dir/log" >&2; exit 1; }
	fi
	print_env
	;;
env)
	print_env
	;;
stop)
	if running; then
		as_user "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
	fi
	[ "$sock" = "$dir/sock" ] || rm -rf "$sock"
	true
	;;
*)
	usage
	;;
esac
