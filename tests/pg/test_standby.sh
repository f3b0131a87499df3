#!/bin/sh
# test_standby.sh: the PostgreSQL store read on a hot standby (issue 12's
# "replicas" setup). A streaming standby of tests/pg/run.sh's cluster
# (pg_basebackup -R, its own port and socket under the cluster's directory)
# serves the reports: balance, usage, cdrs and statement give the primary's
# bytes; a write is refused as read-only (exit 1, nothing sent); a call
# imported on the primary later is read on the standby once replayed. The
# server refuses LISTEN during recovery: billtop opened nothing on a standby
# before it dropped LISTEN there ("cannot execute LISTEN during recovery").
# Needs tests/pg/run.sh's cluster (BILLTOP_PG_DIR).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../cli/lib.sh"
. "$HERE/lib.sh"
T=$(mktemp -d "${TMPDIR:-/tmp}/billtop-pg-standby.XXXXXX")
chmod 755 "$T"
DIR=$(cd "${BILLTOP_PG_DIR:?needs tests/pg/run.sh}" && pwd)
SB=$DIR/standby
SBPORT=$((PGPORT + 1))
bin=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)}
as_pg() { if [ "$(id -u)" -eq 0 ]; then setpriv --reuid=billtop-test --regid=billtop-test --clear-groups -- "$@"; else "$@"; fi; }
stop_sb() { as_pg "$bin/pg_ctl" -D "$SB/data" -m fast -w stop >/dev/null 2>&1; }
trap 'stop_sb; rm -rf "$T" "$SB"' EXIT
CSV=$HERE/../realdata/asterisk-cdr_csv-21col-multileg.csv
export BILLTOP_NOW="2024-02-10 12:00:00"

newdb bt_sb
PG="$BILLTOP_PG_CONNINFO dbname=bt_sb"
store "$PG"
"$B" --db "$PG" ledger add acme deposit 50 --memo x --at 2024-01-01 >/dev/null
head -n 200 "$CSV" >"$T/a.csv"
sed -n '201,$p' "$CSV" >"$T/b.csv"
"$B" --db "$PG" import cdr "$T/a.csv" --account acme >/dev/null 2>&1
ok "primary: a store with calls"

rm -rf "$SB" && mkdir -p "$SB/sock"
[ "$(id -u)" -eq 0 ] && chown -R billtop-test:billtop-test "$SB"
as_pg "$bin/pg_basebackup" -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -D "$SB/data" -R -X stream >"$T/bb.log" 2>&1
ok "pg_basebackup of the cluster" || cat "$T/bb.log" >&2
as_pg "$bin/pg_ctl" -D "$SB/data" -l "$SB/log" -w -t 60 \
	-o "-c listen_addresses='' -k '$SB/sock' -p $SBPORT -c hot_standby=on" start >/dev/null
ok "the standby started"
SBC="host=$SB/sock port=$SBPORT user=$PGUSER dbname=bt_sb"
expect_eq "the standby is in recovery" "$(psql -X -At -h "$SB/sock" -p "$SBPORT" -d bt_sb -c 'SELECT pg_is_in_recovery()')" "t"

for cmd in "balance acme" "usage acme --window month" "cdrs acme --format csv" "statement acme --month 2024-01"; do
	# shellcheck disable=SC2086 # the command's words
	"$B" --db "$PG" $cmd >"$T/p.out" 2>&1
	# shellcheck disable=SC2086
	"$B" --db "$SBC" $cmd >"$T/s.out" 2>&1
	ok "standby: $cmd runs" || head -3 "$T/s.out" >&2
	cmp -s "$T/p.out" "$T/s.out"
	ok "standby: $cmd gives the primary's bytes"
done
expect_status "standby: a write is refused (exit 1)" 1 "$B" --db "$SBC" ledger add acme deposit 5 --memo y
"$B" --db "$SBC" ledger add acme deposit 5 --memo y >"$T/w.out" 2>&1
expect_contains "standby: ... as read-only" "$(cat "$T/w.out")" "read-only"

# a call imported on the primary is read on the standby once replayed
"$B" --db "$PG" import cdr "$T/b.csv" --account acme >/dev/null 2>&1
want=$("$B" --db "$PG" balance acme)
i=0
while [ "$("$B" --db "$SBC" balance acme 2>&1)" != "$want" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
expect_eq "standby: the primary's later import read once replayed" "$("$B" --db "$SBC" balance acme 2>&1)" "$want"

stop_sb
dropdb bt_sb
echo "pg-standby: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
