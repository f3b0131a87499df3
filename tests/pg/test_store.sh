#!/bin/sh
# test_store.sh: billtop's own store on PostgreSQL (issue 12), against the
# SQLite store as the oracle. Each command runs on both (`--db FILE` and
# `--db CONNINFO`, and $BILLTOP_DB set to a URI) and must print the same bytes
# and exit the same way: init, account add/list/set, rates import, import cdr
# (a real Asterisk file, tests/realdata), balance, ledger add/list,
# statement, usage, cdrs, verify. Then what only PostgreSQL can show: the
# ledger refuses UPDATE and DELETE (the schema's plpgsql triggers), the
# schema is created once (a second init, a second billtop at once) and a
# newer version is refused, an import with a bad row leaves nothing, and a
# wrong password never shows in a message; and the unit suite pgstore
# (tests/unit/test_pgstore.c: data_version by NOTIFY, bytea, SQLSTATEs,
# interrupt) against a fresh store. Needs tests/pg/run.sh's cluster.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../cli/lib.sh"
. "$HERE/lib.sh"
T=$(mktemp -d "${TMPDIR:-/tmp}/billtop-pg-store.XXXXXX")
chmod 755 "$T"
trap 'rm -rf "$T"' EXIT
CSV=$HERE/../realdata/asterisk-cdr_csv-21col-multileg.csv
export BILLTOP_NOW="2024-02-10 12:00:00"

newdb bt_store
PG="$BILLTOP_PG_CONNINFO dbname=bt_store"
LITE=$T/oracle.db
# both NAME ARGS...: run billtop ARGS on each store; same stdout, stderr
# (the store's name replaced by DB) and exit status
both() {
	name=$1; shift
	"$B" --db "$LITE" "$@" >"$T/l.out" 2>"$T/l.err"; ls=$?
	"$B" --db "$PG" "$@" >"$T/p.out" 2>"$T/p.err"; ps=$?
	# (watch stamps its lines with the real clock)
	sed -i -E "s|$LITE|DB|g; s/^[0-9-]{10} [0-9:]{8} billtop watch:/billtop watch:/" "$T/l.out" "$T/l.err"
	# (a PostgreSQL store is named postgresql://user@host:port/db, without its password)
	sed -i -E "s|$PG|DB|g; s|postgresql://[^ ]*/bt_store|DB|g; s/^[0-9-]{10} [0-9:]{8} billtop watch:/billtop watch:/" "$T/p.out" "$T/p.err"
	expect_eq "$name: exit status (sqlite, postgresql)" "$ls $ps" "$ls $ls"
	if cmp -s "$T/l.out" "$T/p.out"; then PASS=$((PASS + 1)); else
		FAIL=$((FAIL + 1)); echo "FAIL: $name: stdout differs (< sqlite, > postgresql)" >&2
		diff "$T/l.out" "$T/p.out" | head -20 >&2
	fi
	if cmp -s "$T/l.err" "$T/p.err"; then PASS=$((PASS + 1)); else
		FAIL=$((FAIL + 1)); echo "FAIL: $name: stderr differs (< sqlite, > postgresql)" >&2
		diff "$T/l.err" "$T/p.err" | head -10 >&2
	fi
}

# both_out NAME ARGS...: the same, stdout and exit status only
both_out() {
	name=$1; shift
	"$B" --db "$LITE" "$@" >"$T/l.out" 2>/dev/null; ls=$?
	"$B" --db "$PG" "$@" >"$T/p.out" 2>/dev/null; ps=$?
	expect_eq "$name: exit status (sqlite, postgresql)" "$ls $ps" "$ls $ls"
	if cmp -s "$T/l.out" "$T/p.out"; then PASS=$((PASS + 1)); else
		FAIL=$((FAIL + 1)); echo "FAIL: $name: stdout differs (< sqlite, > postgresql)" >&2
		diff "$T/l.out" "$T/p.out" | head -20 >&2
	fi
}

printf 'prefix,description,rate,first increment,increment\n1,US,0.0060,6,6\n2,Z2,0.0100,1,1\n3,Z3,0.0100,1,1\n7,Z7,0.0150,60,60\n8,RU,0.0200,60,60\n' >"$T/deck.csv"

both "init" init
both "account add" account add acme --low-balance 5
both "account add (a second)" account add beta --currency EUR --decimals 2
both "account add (exists)" account add acme
both "rates import" rates import "$T/deck.csv" --deck std
both "account set" account set acme --deck std
both "account list" account list
both "account list csv" account list --format csv
both "ledger add" ledger add acme deposit 20 --memo "first payment" --at "2024-01-02 10:00"
both "ledger add --ref" ledger add acme mrc 3.25 --memo "line rental" --at "2024-01-05" --ref jan-mrc
both "ledger add --ref again" ledger add acme mrc 3.25 --memo "line rental" --at "2024-01-05" --ref jan-mrc
both "ledger add beta" ledger add beta deposit 7 --memo x --at "2024-01-03"
both "import cdr" import cdr "$CSV" --account acme
both "import cdr again (duplicates)" import cdr "$CSV" --account acme
both "balance" balance acme
both "balance all" balance
both "balance json" balance acme --format json
both "ledger list" ledger list acme
both "ledger list json" ledger list acme --format json
both "statement" statement acme --month 2024-01
both "statement json" statement acme --month 2024-01 --format json
both "usage month" usage acme --window month
both "usage by destination" usage acme --window month --by destination
both "usage by day csv" usage acme --window month --by day --format csv
both "cdrs" cdrs acme
both "cdrs csv" cdrs acme --format csv
both "cdrs --number" cdrs acme --number 5555
both "cdrs --unrated" cdrs acme --unrated
both "verify" verify

# beyond the list: messages, a rejecting import, a second deck and a
# re-rating, explain, a dispute case, the alert outbox, a file feed, audit
printf '%s\n' 'id,time,direction,from,to,type,segments,cost' \
	'm1,2024-01-03 10:00:00,out,15551234567,15557654321,sms,1,0.0075' \
	'm2,2024-01-28 23:59:59,in,15557654321,15551234567,mms,3,0.02' >"$T/m.csv"
both "import mdr" import mdr "$T/m.csv" --account acme
both "import mdr again" import mdr "$T/m.csv" --account acme
both "mdrs" mdrs acme
{ head -3 "$CSV" | sed 's/1706/2706/g'; echo '"","1","2","x","","c","","","","not a time","","",1,1,"ANSWERED","DOCUMENTATION","u1","","","u1",0'; } >"$T/kg.csv"
both "import --keep-going" import cdr "$T/kg.csv" --account beta --keep-going
both "rejects" rejects
both "rejects csv" rejects --format csv
both "cnams" cnams acme
both "cnams csv, a period not on hours" cnams acme --from "2024-02-01 10:17" --to "2024-02-09 13:41" --format csv
both "mdrs json, a period not on hours" mdrs acme --from "2024-02-01 10:17" --to "2024-02-09 13:41" --format json
printf 'prefix,description,rate,first increment,increment\n8,RU,0.0300,1,1\n' >"$T/deck2.csv"
both "rates import (a second deck)" rates import "$T/deck2.csv" --deck dear
both "rerate --dry-run" rerate acme --memo "new deck" --deck dear --dry-run
both "rerate" rerate acme --memo "new deck" --deck dear
both "balance after rerate" balance acme
both "cdrs after rerate" cdrs acme --format csv
call=$("$B" --db "$LITE" cdrs acme --format csv --limit 1 | sed -n '2s/^"\([^"]*\)".*/\1/p')
both "explain" explain "$call"
both "explain json" explain "$call" --format json
both "statement after rerate" statement acme --month 2024-01
# more than a batch of corrections (32 rows a statement), then corrected
# again (rating_now updated): PostgreSQL's rows carry the account (Citus)
for m in 02 03 04; do
	sed -E "s/\"2024-01-/\"2024-$m-/g; s/\"([^\"]*1706[0-9]+\.[0-9]+)\"/\"\1m$m\"/g" "$CSV"
done >"$T/three.csv"
both "account add gamma" account add gamma
both "account set gamma --deck" account set gamma --deck std
both "import cdr (three months)" import cdr "$T/three.csv" --account gamma
both "rerate 90 calls" rerate gamma --memo "new deck" --deck dear
both "rerate them again" rerate gamma --memo "back" --deck std
both "cdrs after two rerates" cdrs gamma --from 2024-02-01 --to 2024-05-01 --format csv
both "balance after two rerates" balance gamma
# (investigate prints its timings on stderr: stdout compared)
both_out "investigate" investigate acme --theirs "$CSV" --report text
both "cases" cases
both "case 1" case 1
both "case note" case 1 --note "asked the carrier"
both "case 1 again" case 1
both "case --close" case 1 --close
both "case closed, a note refused" case 1 --note "too late"
both "rates list" rates list std
both "rates list json" rates list dear --format json
both "account set --low-balance" account set acme --low-balance 100
both "ledger add (beta suspended: an alert)" ledger add beta nrc 10 --memo "suspend me" --at "2024-02-01"
both "watch --status" watch --status --all
both "watch --once" watch --once --exec true
both "watch --status after" watch --status --all
both "ingest a file" ingest "$HERE/../realdata/asterisk-cdr_csv-18col-dispositions.csv" --account beta --quiet
both "audit" audit
both "verify at the end" verify

# $BILLTOP_DB as a URI names the same store
uri="postgresql:///bt_store?host=$PGHOST&port=$PGPORT&user=$PGUSER"
out=$(BILLTOP_DB=$uri "$B" balance acme 2>&1)
expect_eq "\$BILLTOP_DB=postgresql://...: the same balance" "$out" "$("$B" --db "$LITE" balance acme 2>&1)"

# the ledger is append-only on PostgreSQL too
err=$(sql bt_store -c "UPDATE ledger SET amount = 1" 2>&1)
expect_contains "UPDATE ledger refused" "$err" "ledger entries are append-only: post a correction"
err=$(sql bt_store -c "DELETE FROM ledger" 2>&1)
expect_contains "DELETE FROM ledger refused" "$err" "ledger entries are append-only: post a correction"
err=$(sql bt_store -c "DELETE FROM cdr" 2>&1)
expect_contains "DELETE FROM cdr refused" "$err" "rated call records are append-only"
expect_eq "the ledger kept its entries" "$(sql bt_store -c 'select count(*) from ledger')" "4"

# the schema is created once: init again changes nothing
"$B" --db "$PG" init >/dev/null 2>&1
expect_eq "init twice: one schema row" "$(sql bt_store -c 'select count(*), max(version) from billtop_schema')" "1|10"
# two billtops creating one new store at once: both succeed, one schema
newdb bt_race
"$B" --db "$BILLTOP_PG_CONNINFO dbname=bt_race" init >"$T/r1" 2>&1 & p1=$!
"$B" --db "$BILLTOP_PG_CONNINFO dbname=bt_race" init >"$T/r2" 2>&1 & p2=$!
wait $p1; s1=$?; wait $p2; s2=$?
expect_eq "two inits at once: both succeed" "$s1 $s2" "0 0"
expect_eq "two inits at once: one schema" "$(sql bt_race -c 'select count(*) from billtop_schema')" "1"
# a database without the schema: only init creates it
newdb bt_empty
err=$("$B" --db "$BILLTOP_PG_CONNINFO dbname=bt_empty" balance 2>&1); st=$?
expect_eq "no schema, not init: exit 1" "$st" "1"
expect_contains "no schema, not init: says so" "$err" "run \`billtop --db URI init\`"
expect_eq "no schema, not init: nothing created" "$(sql bt_empty -c "select count(*) from pg_tables where schemaname = 'public'")" "0"
# a newer schema is refused (and left as it is)
sql bt_race -c "UPDATE billtop_schema SET version = 99" >/dev/null
err=$("$B" --db "$BILLTOP_PG_CONNINFO dbname=bt_race" balance 2>&1); st=$?
expect_eq "newer schema: exit 1" "$st" "1"
expect_contains "newer schema: refused" "$err" "schema version 99 is newer than this billtop (10)"

# an import is all or nothing: a bad row (not --keep-going) leaves nothing
before=$(sql bt_store -c "select count(*) from cdr")
imp_before=$(sql bt_store -c "select count(*) from import")
{ head -5 "$CSV" | sed 's/"1706/"9706/g'; echo '"","1","2","x","","c","","","","not a time","","",1,1,"ANSWERED","DOCUMENTATION","u1","","","u1",0'; } >"$T/bad.csv"
err=$("$B" --db "$PG" import cdr "$T/bad.csv" --account acme 2>&1); st=$?
expect_eq "a bad row: exit status" "$st" "1"
expect_contains "a bad row: FILE:LINE" "$err" "bad.csv:6"
expect_eq "a bad row: no call stored" "$(sql bt_store -c "select count(*) from cdr")" "$before"
expect_eq "a bad row: no import recorded" "$(sql bt_store -c "select count(*) from import")" "$imp_before"

# the password never shows
err=$("$B" --db "$BILLTOP_PG_CONNINFO dbname=bt_store user=nobody_here password=Sekr1tPw" balance 2>&1); st=$?
expect_eq "a bad login: exit 1" "$st" "1"
case $err in *Sekr1tPw*) false ;; *) true ;; esac; ok "a bad login: the password is not shown"
err=$("$B" --db "postgresql://acme:Sekr%ZZ1tPw@localhost/x" balance 2>&1)
case $err in *Sekr*) false ;; *) true ;; esac; ok "a malformed URI: the password is not shown"
# init names the store it made ready, without the password it was given
out=$("$B" --db "$BILLTOP_PG_CONNINFO dbname=bt_store password=Sekr1tPw" init 2>&1); st=$?
expect_eq "init with a password in the conninfo: exit" "$st" 0
case $out in *Sekr1tPw*) false ;; *"ready (schema version"*) true ;; *) false ;; esac
ok "init names the store without its password: $out"

# two imports on one account at once (each its own copy of the real file,
# under other call ids): the same balance, calls and rollups as one after
# the other on SQLite, verify clean
for part in 0 1; do
	python3 - "$CSV" "$part" >"$T/half$part.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='', encoding='latin-1')))
w = csv.writer(sys.stdout, quoting=csv.QUOTE_ALL, lineterminator='\n')
for k in range(30):
    for r in rows:
        r = list(r); r[16] += 'p%sx%d' % (sys.argv[2], k); r[19] += 'p%sx%d' % (sys.argv[2], k)
        w.writerow(r)
PY
done
cc() {  # cc TARGET: a store with acme on a deck that rates the file, 20 deposited
	"$B" --db "$1" init >/dev/null
	"$B" --db "$1" account add acme --low-balance 5 >/dev/null
	printf 'prefix,description,rate,first increment,increment\n8,RU,0.0200,60,60\n2,Z,0.01,1,1\n' >"$T/cdeck.csv"
	"$B" --db "$1" rates import "$T/cdeck.csv" --deck d >/dev/null
	"$B" --db "$1" account set acme --deck d >/dev/null
	"$B" --db "$1" ledger add acme deposit 20 --memo x --at 2024-01-01 >/dev/null
}
cc "$T/seq.db"
"$B" --db "$T/seq.db" import cdr "$T/half0.csv" --account acme >/dev/null 2>&1
"$B" --db "$T/seq.db" import cdr "$T/half1.csv" --account acme >/dev/null 2>&1
newdb bt_conc
PC="$BILLTOP_PG_CONNINFO dbname=bt_conc"
cc "$PC"
"$B" --db "$PC" import cdr "$T/half0.csv" --account acme >/dev/null 2>&1 & p1=$!
"$B" --db "$PC" import cdr "$T/half1.csv" --account acme >/dev/null 2>&1 & p2=$!
"$B" --db "$PC" ledger add acme deposit 1 --memo during >/dev/null 2>&1 & p3=$!
wait $p1; s1=$?; wait $p2; s2=$?; wait $p3; s3=$?
"$B" --db "$T/seq.db" ledger add acme deposit 1 --memo during >/dev/null 2>&1
expect_eq "two imports and a post at once on one account: all succeed" "$s1 $s2 $s3" "0 0 0"
expect_eq "... the balance of one after the other" "$("$B" --db "$PC" balance acme)" "$("$B" --db "$T/seq.db" balance acme)"
expect_eq "... the same usage" "$("$B" --db "$PC" usage acme --window month --by day)" \
	"$("$B" --db "$T/seq.db" usage acme --window month --by day)"
"$B" --db "$PC" verify >/dev/null 2>&1; ok "... verify clean"

# the console on PostgreSQL: its first screen, and a commit by another
# process shown without a key (data_version: LISTEN/NOTIFY)
S=billtop-pgstore-$$
tmux -L "$S" new-session -d -x 100 -y 30 "env LANG=C.UTF-8 BILLTOP_NOW='$BILLTOP_NOW' '$B' --db '$PG'; sleep 30"
screen() { tmux -L "$S" capture-pane -p; }
i=0; while ! screen | grep -q "acme .*USD" && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
expect_contains "console: the accounts screen on PostgreSQL" "$(screen)" "acme"
bal=$("$B" --db "$PG" balance acme --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["balance"])')
"$B" --db "$PG" ledger add acme deposit 1000 --memo "seen live" >/dev/null
new=$("$B" --db "$PG" balance acme --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["balance"])')
i=0; while ! screen | grep -q " $new USD" && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
expect_contains "console: another process's post shown without a key ($bal -> $new)" "$(screen)" " $new USD"
tmux -L "$S" kill-server 2>/dev/null

# the demo store (data/demo.c: calls and messages written a batch at a time
# on PostgreSQL, each day in the walk's order): the same summary, the same
# screens' figures, and the same rows, table by table, as on SQLite
newdb bt_demo
LITE=$T/demo.db PG="$BILLTOP_PG_CONNINFO dbname=bt_demo"
export BILLTOP_NOW="2026-11-20 12:00:00"
both "demo" demo
both "demo: balance" balance
both "demo: ledger list" ledger list umbrella-calls
both "demo: mdrs" mdrs initech --format csv
both "demo: cdrs" cdrs globex-telecom --format csv --limit 500
both "demo: usage by destination" usage acme-voip --window month --by destination
both "demo: statement" statement umbrella-calls --month 2026-10
both "demo: verify" verify
# investigate reads our calls in SQLite's order on PostgreSQL too, whatever
# the plan (before autovacuum's ANALYZE the demo's read was a hash join):
# their file lacks every 7th of our calls; the report lists them alike
"$B" --db "$LITE" cdrs initech --format csv | awk 'NR == 1 || NR % 7' >"$T/theirs.csv"
both_out "demo: investigate" investigate initech --theirs "$T/theirs.csv" --report json
PGOPTIONS="-c enable_indexscan=off -c enable_indexonlyscan=off -c enable_bitmapscan=off" \
	both_out "demo: investigate, sequential scans" investigate initech --theirs "$T/theirs.csv" --report json
# same_rows TABLE COLUMNS: every row of TABLE (by id) alike in both stores
same_rows() {
	sqlite3 -separator '|' "$LITE" "select $2 from $1 order by 1, 2" >"$T/l.rows"
	PGTZ=UTC psql -X -At -F '|' -d bt_demo -c "select $2 from $1 order by 1, 2" >"$T/p.rows"
	if [ -s "$T/l.rows" ] && cmp -s "$T/l.rows" "$T/p.rows"; then PASS=$((PASS + 1)); else
		FAIL=$((FAIL + 1)); echo "FAIL: demo: the rows of $1 differ (< sqlite, > postgresql)" >&2
		diff "$T/l.rows" "$T/p.rows" | head -10 >&2
	fi
}
same_rows cdr "id, account_id, record_id, start, coalesce(answer, -1), billsec_ms, src, dst, state, billed_leg, coalesce(prefix, ''), billed_secs, cost, cnam_cost, direction, suspended"
same_rows mdr "id, account_id, record_id, at, direction, src, dst, type, segments, cost, suspended"
same_rows ledger "id, account_id, kind, amount, memo, at"
same_rows suspension "id, account_id, at, event, balance, cause_kind, cause_id"
same_rows alert "id, account_id, event, at, balance, cause_kind, cause_id, status"
same_rows rollup_hour "account_id, hour, calls, connected, billsec_ms, cost_calls, cost_cnam, msgs, cost_msg"
same_rows account "id, name, walk_balance, walk_status, coalesce(walk_at, -1), walk_class, walk_id"
dropdb bt_demo

# the backend's own contracts (tests/unit/test_pgstore.c) on a fresh store
UNIT=${BILLTOP_UNIT:-$HERE/../../build/unit_tests}
newdb bt_unit
"$B" --db "$BILLTOP_PG_CONNINFO dbname=bt_unit" init >/dev/null
BILLTOP_PG_UNIT_DB="$BILLTOP_PG_CONNINFO dbname=bt_unit" "$UNIT" pgstore >"$T/unit.out" 2>&1
ok "unit suite pgstore on the server (data_version, bytea, types, SQLSTATEs, interrupt): $(tail -1 "$T/unit.out")"
grep FAIL "$T/unit.out" >&2

dropdb bt_store; dropdb bt_race; dropdb bt_empty; dropdb bt_unit; dropdb bt_conc
echo "pg-store: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
