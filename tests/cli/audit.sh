#!/bin/sh
# audit.sh: command-line tests of access and audit (issue 5): every ledger
# entry, import, live-feed session, rate deck import and investigation
# names its operator ($USER), SSH client ($SSH_CLIENT) and time, and
# `billtop audit [--from --to]` lists them newest first; a read-only file or
# --read-only cannot post; migration from schema 2 keeps the data.
# Prints "cli-audit: N passed, N failed"; exits non-zero on a failure.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
B=${BILLTOP:-$HERE/../../billtop}
T=$(mktemp -d "${TMPDIR:-/tmp}/billtop-audit.XXXXXX")
trap 'chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"' EXIT
unset BILLTOP_DB SSH_CLIENT
db() { "$B" --db "$T/t.db" "$@"; }
q() { sqlite3 "$T/t.db" "$1"; }
# as WHO FROM TIME CMD...: run billtop as operator WHO over SSH from FROM
# ("" = not over SSH) at TIME
as() {
	who=$1 from=$2 when=$3; shift 3
	if [ -n "$from" ]; then
		USER=$who SSH_CLIENT="$from 50022 22" BILLTOP_NOW="$when" "$B" --db "$T/t.db" "$@"
	else
		USER=$who BILLTOP_NOW="$when" "$B" --db "$T/t.db" "$@"
	fi
}

# ---- a day of actions by three people -----------------------------------------
export BILLTOP_NOW="2026-11-01 08:00:00"
db init >/dev/null; ok "init"
expect_eq "database created 0600" "$(stat -c %a "$T/t.db")" "600"
db account add acme >/dev/null
printf 'prefix,rate,first increment,increment\n1,0.0060,6,6\n' >"$T/deck.csv"
printf 'call_id,start,src,dst,billsec\nc1,2026-11-02 10:00:00,1555,12065550100,30\nc2,2026-11-02 11:00:00,1555,12065550101,40\n' >"$T/cdr.csv"
as alice 198.51.100.7 "2026-11-01 09:00:00" rates import "$T/deck.csv" --deck std >/dev/null; ok "rates import"
db account set acme --deck std >/dev/null
as bob "" "2026-11-02 12:00:00" import cdr "$T/cdr.csv" --account acme --format generic >/dev/null; ok "import"
as alice 198.51.100.7 "2026-11-03 09:30:00" ledger add acme deposit 25 --memo "$(printf 'top-up \033[31mred')" --at "2026-11-01" >/dev/null; ok "ledger add"
as carol 203.0.113.5 "2026-11-04 14:00:00" investigate acme --theirs "$T/cdr.csv" --theirs-format generic >/dev/null 2>&1; ok "investigate"
as dave 192.0.2.44 "2026-11-05 16:00:00" case 1 --close >/dev/null; ok "close the case"
printf 'call_id,start,src,dst,billsec\nc3,2026-11-06 10:00:00,1555,12065550100,12\n' >"$T/feed.csv"
as erin 192.0.2.99 "2026-11-06 10:00:05" ingest "$T/feed.csv" --account acme >/dev/null 2>&1; ok "ingest"

# ---- every table records who and when ------------------------------------------
expect_eq "ledger entry: operator, SSH client, posted time" \
	"$(q "select operator, ssh_client, datetime(posted, 'unixepoch') from ledger")" "alice|198.51.100.7 50022 22|2026-11-03 09:30:00"
expect_eq "imports: kind, operator, SSH client, time" \
	"$(q "select group_concat(kind || ' ' || operator || ' ' || ssh_client || ' ' || datetime(started, 'unixepoch'), '; ') from (select * from import order by id)")" \
	"rates alice 198.51.100.7 50022 22 2026-11-01 09:00:00; cdr bob  2026-11-02 12:00:00; ingest erin 192.0.2.99 50022 22 2026-11-06 10:00:05"
expect_eq "rate rows point at the import that brought them" "$(q "select count(*) from rate where import_id = 1")" "1"
expect_eq "case: opened by, closed by, both SSH clients" \
	"$(q "select operator, ssh_client, closed_by, closed_ssh, datetime(closed, 'unixepoch') from investigation")" \
	"carol|203.0.113.5 50022 22|dave|192.0.2.44 50022 22|2026-11-05 16:00:00"

# ---- billtop audit ----------------------------------------------------------------
db audit --format json >"$T/a.json"; ok "audit json"
expect_eq "everything, newest first" "$(json_get "$T/a.json" "' / '.join(r['what'] + ' ' + r['operator'] for r in d)")" \
	"ingest erin / case closed dave / case opened carol / ledger alice / import bob / rates alice"
expect_eq "every action names an operator and a time" "$(json_get "$T/a.json" "all(r['operator'] and r['at'] for r in d)")" "True"
expect_eq "ledger row: account, amount, memo as written, effective time" \
	"$(json_get "$T/a.json" "[(r['account'], r['amount'], r['memo'] == 'top-up \x1b[31mred', r['effective'], r['ssh_client']) for r in d if r['what'] == 'ledger'][0]")" \
	"acme 25.0000 True 2026-11-01T00:00:00Z 198.51.100.7 50022 22"
expect_eq "import row: counts" "$(json_get "$T/a.json" "[(r['kind'], r['rows'], r['inserted']) for r in d if r['what'] == 'import'][0]")" "cdr 2 2"
expect_eq "ingest session row" "$(json_get "$T/a.json" "[(r['format'], r['inserted'], r['path'].endswith('feed.csv')) for r in d if r['what'] == 'ingest'][0]")" "generic 1 True"
db audit --from 2026-11-02 --to 2026-11-05 --format json >"$T/w.json"
expect_eq "--from/--to: [from, to)" "$(json_get "$T/w.json" "' '.join(r['what'].replace(' ', '-') for r in d)")" "case-opened ledger import"
out=$(db audit)
expect_contains "text: the SSH client's address" "$out" "198.51.100.7"
expect_contains "text: the deck import" "$out" "deck std from $T/deck.csv: 1 rows, 1 added"
expect_contains "text: escape sequences from a memo are shown, not run" "$out" 'top-up \x1b[31mred'
case $out in *"$(printf '\033')"*) FAIL=$((FAIL + 1)); echo "FAIL: raw ESC in audit text" >&2 ;; *) PASS=$((PASS + 1)) ;; esac
db audit --format csv >"$T/a.csv"; ok "audit csv"
expect_eq "csv: header and six actions" "$(wc -l <"$T/a.csv")" "7"
expect_contains "csv header" "$(head -1 "$T/a.csv")" '"at","what","id","operator","ssh_client","account","detail"'

# ---- read-only: --read-only, or a file nobody may write (root included) -----------
before=$(q "select count(*) from ledger")
cp "$T/t.db" "$T/ro.db"; chmod 0400 "$T/ro.db"
out=$("$B" --db "$T/ro.db" ledger add acme deposit 1 --memo x 2>&1); st=$?
expect_eq "0400 file: ledger add fails" "$st" "1"
expect_contains "and says why" "$out" "read-only"
expect_eq "nothing posted" "$(sqlite3 "$T/ro.db" "select count(*) from ledger")" "$before"
expect_status "0400 file: import fails" 1 "$B" --db "$T/ro.db" import cdr "$T/cdr.csv" --account acme --format generic
expect_status "0400 file: balance still reads" 0 "$B" --db "$T/ro.db" balance acme
expect_status "0400 file: audit still reads" 0 "$B" --db "$T/ro.db" audit
out=$(db --read-only ledger add acme deposit 1 --memo x 2>&1); st=$?
expect_eq "--read-only: ledger add fails" "$st" "1"
expect_contains "and says why" "$out" "read-only"
expect_eq "nothing posted" "$(q "select count(*) from ledger")" "$before"

# ---- a schema 2 database migrates to 3, 4 and 5 and keeps everything ------------------
# (SQLite only: the fixture is made with SQLite's DDL and PRAGMA user_version;
# the PostgreSQL store starts at schema 10, data/pg/schema.sql.h)
if pg_skip "the schema 2 fixture and its migrations are SQLite's"; then :; else
cp "$T/t.db" "$T/v2.db"
sqlite3 "$T/v2.db" "DROP VIEW cdr_now; DROP TABLE rating_now; DROP TABLE rating; DROP TABLE rerate_day; DROP TABLE rerate;
	DROP TRIGGER cdr_charge_immutable; ALTER TABLE cdr DROP COLUMN dialplan; ALTER TABLE cdr DROP COLUMN unrated_reason;
	CREATE TRIGGER cdr_charge_immutable BEFORE UPDATE OF account_id, record_id, start, billsec_ms, state, rate_id,
	billed_secs, cost, cnam_cost ON cdr BEGIN SELECT RAISE(ABORT, 'rated call records are append-only'); END;
	ALTER TABLE account DROP COLUMN dial_cc; ALTER TABLE account DROP COLUMN dial_np; ALTER TABLE account DROP COLUMN dial_ip;
	ALTER TABLE rollup_hour DROP COLUMN internal;
	DROP INDEX ledger_ref; ALTER TABLE ledger DROP COLUMN ref; DROP TABLE alert; DROP TABLE balance_mark;
	DROP TABLE ingest; DROP TABLE investigation_version; DROP TRIGGER investigation_closed_once;
	ALTER TABLE investigation DROP COLUMN closed_ssh;
	CREATE TRIGGER investigation_closed_once BEFORE UPDATE OF status, closed, closed_by ON investigation
	WHEN OLD.status = 'closed' BEGIN SELECT RAISE(ABORT, 'the case is closed'); END;
	DROP INDEX cdr_acct_start; CREATE INDEX cdr_acct_start ON cdr(account_id, start);
	PRAGMA user_version = 2;"
cp "$T/v2.db" "$T/v2-race.db"
"$B" --db "$T/v2.db" verify >/dev/null; ok "schema 2 database opens and verifies"
expect_eq "migrated to 10" "$(sqlite3 "$T/v2.db" "pragma user_version")" "10"
expect_eq "migrations 5 and 9: the call index covers what an investigation and the walk read" \
	"$(sqlite3 "$T/v2.db" "select group_concat(name, ' ') from pragma_index_info('cdr_acct_start')")" \
	"account_id start src dst answer billsec_ms connected state cost billed_secs prefix cnam_cost suspended"
expect_contains "our side of an investigation is read from that index alone" \
	"$(sqlite3 "$T/v2.db" "explain query plan select id, src, dst, start, answer, billsec_ms, connected, state,
	   cost, billed_secs, prefix, cnam_cost from cdr where account_id = 1 and start >= 0 and start < 9")" \
	"COVERING INDEX cdr_acct_start"
expect_eq "ledger kept" "$(sqlite3 "$T/v2.db" "select count(*) from ledger")" "$before"
expect_status "a closed case stays closed after the migration" 19 sqlite3 "$T/v2.db" "update investigation set closed_ssh = 'x'"

# six commands opening a schema 2 file at once: one migrates, none fails
# (each reads the version again once it holds the write lock)
for i in 1 2 3 4 5 6; do
	"$B" --db "$T/v2-race.db" ledger add acme deposit 1 --memo "race $i" >/dev/null 2>"$T/race$i.err" &
done
wait
expect_eq "concurrent first opens: no error" "$(cat "$T"/race*.err)" ""
expect_eq "concurrent first opens: every entry posted" "$(sqlite3 "$T/v2-race.db" "select count(*) from ledger where memo like 'race %'")" "6"
fi

echo "cli-audit: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
