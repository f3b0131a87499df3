#!/bin/sh
# test_archive.sh: monthly partitions of cdr and `billtop archive` on the
# PostgreSQL store (issue 12). The real Asterisk file (tests/realdata, all
# of January 2024) is imported with its copies moved to February and March
# (dates and call ids changed, nothing else); then: a partition a month,
# duplicates still found on a re-import (and the billed legs as on SQLite),
# archive refused for a month not rolled up, with an open case or an alert
# in the outbox, --dry-run changes nothing, two months detached leave
# balance, statement and usage byte for byte, a re-import of an archived
# month is refused, cdrs says a month is archived, --drop drops.
# pgverify: a second account (lowco) is suspended in January and restored
# in March, so the walk crosses the archive, its January calls rerated;
# verify is clean after each archive (exit 0) and still names a rollup or a
# ledger entry of a live month changed on purpose; a suspension row that
# differs refuses the archive; an extra leg of an archived call (and of an
# archived emergency call: never flagged, also after a re-walk) imported
# after the archive is an extra leg; a low-balance mark set after it keeps
# the history; a call, a post, a message dated before the archive's end are
# refused; an import of a live month and a back-dated post go on while the
# archive checks (a held lock keeps it checking), the archive then refusing
# as the post changed what it checked; the console's call list says what is
# archived; the writer's month cache after a rollback and a leg of an
# archived call through the row writer (unit suite pgwriter).
# Needs tests/pg/run.sh's cluster.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../cli/lib.sh"
. "$HERE/lib.sh"
T=$(mktemp -d "${TMPDIR:-/tmp}/billtop-pg-archive.XXXXXX")
chmod 755 "$T"
trap 'rm -rf "$T"' EXIT
CSV=$HERE/../realdata/asterisk-cdr_csv-21col-multileg.csv
export BILLTOP_NOW="2024-04-10 12:00:00"

# the file moved to month M (2 digits): dates 2024-01-DD -> 2024-M-DD, ids suffixed
for m in 02 03; do
	sed -E "s/\"2024-01-/\"2024-$m-/g; s/\"([^\"]*1706[0-9]+\.[0-9]+)\"/\"\1m$m\"/g" "$CSV" >"$T/m$m.csv"
done
cp "$CSV" "$T/m01.csv"
newdb bt_arc
PG="$BILLTOP_PG_CONNINFO dbname=bt_arc"
LITE=$T/oracle.db
for db in "$LITE" "$PG"; do
	store "$db"
	"$B" --db "$db" ledger add acme deposit 50 --memo x --at 2024-01-01 >/dev/null
	for m in 01 02 03; do "$B" --db "$db" import cdr "$T/m$m.csv" --account acme >/dev/null 2>&1; done
done
# a second connected leg of a January call (same linkedid, its own
# uniqueid) starting in March: one billed leg a call, across months
python3 - "$CSV" >"$T/leg.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='', encoding='latin-1')))
r = next(list(r) for r in rows if r[14] == 'ANSWERED')
r[16] += 'leg2'; r[20] = '99'
r[9], r[10], r[11] = '2024-03-01 00:00:05', '2024-03-01 00:00:05', '2024-03-01 00:00:32'
csv.writer(sys.stdout, quoting=csv.QUOTE_ALL, lineterminator='\n').writerow(r)
PY
out_p=$("$B" --db "$PG" import cdr "$T/leg.csv" --account acme 2>&1)
out_l=$("$B" --db "$LITE" import cdr "$T/leg.csv" --account acme 2>&1)
expect_contains "a leg of a January call in March: an extra leg on SQLite" "$out_l" "1 extra legs"
expect_eq "a leg of a January call in March: the same on PostgreSQL" "$(echo "$out_p" | sed 's|bt_arc|X|')" "$(echo "$out_l" | sed 's|oracle.db|X|')"
parts() { sql bt_arc -c "select string_agg(c.relname, ' ' order by c.relname) from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = 'cdr'::regclass"; }
expect_eq "a partition a month imported" "$(parts)" "cdr_2024_01 cdr_2024_02 cdr_2024_03"
expect_eq "every row stored" "$(sql bt_arc -c 'select count(*) from cdr')" "$(sqlite3 "$LITE" 'select count(*) from cdr')"
expect_eq "the billed legs as on SQLite (balance)" "$("$B" --db "$PG" balance acme)" "$("$B" --db "$LITE" balance acme)"
expect_eq "the calls as on SQLite" "$("$B" --db "$PG" cdrs acme --format csv --limit 500)" \
	"$("$B" --db "$LITE" cdrs acme --format csv --limit 500)"
# a re-import: every row a duplicate, as on SQLite
out_p=$("$B" --db "$PG" import cdr "$T/m02.csv" --account acme 2>&1)
out_l=$("$B" --db "$LITE" import cdr "$T/m02.csv" --account acme 2>&1)
expect_eq "a re-import: the same report as SQLite (duplicates)" "$(echo "$out_p" | sed 's|bt_arc|X|')" "$(echo "$out_l" | sed 's|oracle.db|X|')"
expect_contains "a re-import: duplicates" "$out_p" "84 duplicates"
expect_eq "a re-import: nothing added" "$(sql bt_arc -c 'select count(*) from cdr')" "$(sqlite3 "$LITE" 'select count(*) from cdr')"

# one-row files: a call of March (a live month), a leg of acme's January
# call starting in March, a call of December 2023, an emergency call of
# January and its second leg in March
python3 - "$CSV" "$T" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='', encoding='latin-1')))
def put(name, r):
    with open(sys.argv[2] + '/' + name, 'w', newline='', encoding='latin-1') as f:
        csv.writer(f, quoting=csv.QUOTE_ALL, lineterminator='\n').writerow(r)
a = next(list(r) for r in rows if r[14] == 'ANSWERED')
r = list(a); r[16] = r[19] = 'conc-mar'; r[20] = '0'
r[9], r[10], r[11] = '2024-03-05 10:00:00', '2024-03-05 10:00:00', '2024-03-05 10:00:27'
put('conc.csv', r)
r = list(a); r[16] += 'leg3'; r[20] = '98'
r[9], r[10], r[11] = '2024-03-01 00:01:05', '2024-03-01 00:01:05', '2024-03-01 00:01:32'
put('leg3.csv', r)
r = list(a); r[16] = r[19] = 'conc-dec'; r[20] = '0'
r[9], r[10], r[11] = '2023-12-20 10:00:00', '2023-12-20 10:00:00', '2023-12-20 10:00:27'
put('dec.csv', r)
r = list(a); r[2] = '911'; r[16] = r[19] = 'emerg'; r[20] = '0'
r[9], r[10], r[11] = '2024-01-29 10:00:00', '2024-01-29 10:00:00', '2024-01-29 10:00:27'
put('emerg.csv', r)
r[16] = 'emerg-b'; r[20] = '1'
r[9], r[10], r[11] = '2024-03-01 00:02:00', '2024-03-01 00:02:00', '2024-03-01 00:02:27'
put('emerg2.csv', r)
PY
# lowco: a deposit of 0.05 and January's calls (ids suffixed L) leave it
# suspended; a deposit in March and March's calls restore it. Its alerts
# are marked sent (billtop watch would send them).
sed -E 's/"([^"]*1706[0-9]+\.[0-9]+)"/"\1L"/g' "$T/m01.csv" >"$T/l01.csv"
sed -E 's/m03"/m03L"/g' "$T/m03.csv" >"$T/l03.csv"
"$B" --db "$PG" account add lowco >/dev/null
"$B" --db "$PG" account set lowco --deck std >/dev/null
"$B" --db "$PG" ledger add lowco deposit 0.05 --memo x --at 2024-01-01 >/dev/null
"$B" --db "$PG" import cdr "$T/l01.csv" --account lowco >/dev/null 2>&1
"$B" --db "$PG" import cdr "$T/emerg.csv" --account lowco >/dev/null 2>&1
"$B" --db "$PG" ledger add lowco deposit 100 --memo y --at 2024-03-02 >/dev/null
"$B" --db "$PG" import cdr "$T/l03.csv" --account lowco >/dev/null 2>&1
# lowco's January calls corrected (a deck at twice the rates): their
# corrections stay when the month is archived
sed 's/0\.0/0.1/' "$T/deck.csv" >"$T/deck2.csv"
"$B" --db "$PG" rates import "$T/deck2.csv" --deck std2 >/dev/null
"$B" --db "$PG" rerate lowco --memo "deck fix" --deck std2 --from 2024-01-01 --to 2024-02-01 >/dev/null
sql bt_arc -c "alter table alert disable trigger user; update alert set status = 'sent', sent_at = created; alter table alert enable trigger user"
expect_eq "lowco: suspended in January, restored in March" \
	"$(sql bt_arc -c "select string_agg(event || ' ' || to_char(to_timestamp(at) at time zone 'UTC', 'YYYY-MM'), ', ' order by at) from suspension where account_id = 2")" \
	"suspended 2024-01, restored 2024-03"
"$B" --db "$PG" verify >"$T/verify0.out" 2>&1
expect_eq "verify before any archive: exit 0" "$?" "0"
# a writer that made a new month's partition and has not committed yet
# (a long import) holds no lock that readers or other writers wait for
hold bt_arc "$T/fifo"
echo "BEGIN; SELECT billtop_cdr_month(extract(epoch FROM timestamp '2023-12-15')::bigint);" >&3
until_idle_tx bt_arc
out=$(timeout 60 "$B" --db "$PG" cdrs acme --limit 1 --format csv 2>&1); st=$?
expect_eq "a new month being created: cdrs still reads" "$st" "0"
out=$(timeout 60 "$B" --db "$PG" import cdr "$T/leg.csv" --account acme 2>&1); st=$?
expect_eq "a new month being created: another import still writes" "$st" "0"
echo "ROLLBACK;" >&3; exec 3>&-; wait $HOLD_PID
expect_eq "the month rolled back with its transaction" "$(sql bt_arc -c "select to_regclass('cdr_2023_12') is null")" "t"

# what the archive must leave as it is
snap() {
	for a in "balance acme" "balance acme --format json" "statement acme --month 2024-01" \
		"statement acme --month 2024-02" "usage acme --window month --from 2024-01-01 --to 2024-04-01" \
		"usage acme --by day --from 2024-01-01 --to 2024-04-01" "usage acme --by destination --from 2024-01-01 --to 2024-04-01"; do
		echo "== $a"; "$B" --db "$PG" $a 2>&1
	done
}
snap >"$T/before"
"$B" --db "$PG" balance acme >"$T/bal"
jan=$("$B" --db "$PG" cdrs acme --format csv --to 2024-02-01 --limit 1 | sed -n '2s/^"\([^"]*\)".*/\1/p')

# refusals: nothing changes
"$B" --db "$PG" investigate acme --theirs "$T/m02.csv" --report text >/dev/null 2>&1
out=$("$B" --db "$PG" archive --before 2024-03 2>&1); st=$?
expect_eq "an open case: exit 1" "$st" "1"
expect_contains "an open case: says which" "$out" "2024-02: refused: open dispute case 1 covers it"
expect_eq "an open case: nothing detached" "$(parts)" "cdr_2024_01 cdr_2024_02 cdr_2024_03"
"$B" --db "$PG" case 1 --close >/dev/null 2>&1
sql bt_arc -c "update rollup_hour set calls = calls + 1 where account_id = 1 and hour = (select min(hour) from rollup_hour)"
out=$("$B" --db "$PG" archive --before 2024-03 2>&1); st=$?
expect_eq "not rolled up: exit 1" "$st" "1"
expect_contains "not rolled up: says so" "$out" "2024-01: refused: 1 hours not rolled up"
expect_eq "not rolled up: nothing detached" "$(parts)" "cdr_2024_01 cdr_2024_02 cdr_2024_03"
sql bt_arc -c "update rollup_hour set calls = calls - 1 where account_id = 1 and hour = (select min(hour) from rollup_hour)"
sql bt_arc -c "insert into alert(account_id, event, at, balance, cause_kind, cause_id, created) values (1, 'low_balance', extract(epoch from timestamp '2024-02-27 16:00')::bigint, 0, 'ledger', 999, 0)"
out=$("$B" --db "$PG" archive --before 2024-03 2>&1); st=$?
expect_eq "an alert in the outbox: exit 1" "$st" "1"
expect_contains "an alert in the outbox: says so" "$out" "2024-02: refused: 1 alerts still in the outbox"
sql bt_arc -c "alter table alert disable trigger user; update alert set status = 'sent', sent_at = created where cause_id = 999; alter table alert enable trigger user"
sql bt_arc -c "update suspension set balance = balance + 1 where account_id = 2 and event = 'suspended'"
out=$("$B" --db "$PG" archive --before 2024-03 2>&1); st=$?
expect_eq "a suspension row that differs from a fresh walk: exit 1" "$st" "1"
expect_contains "... says so (the walk is what the checkpoint keeps)" "$out" "2024-02: refused: account lowco: 1 differences in its walk to the end of 2024-02"
expect_eq "... nothing detached" "$(parts)" "cdr_2024_01 cdr_2024_02 cdr_2024_03"
sql bt_arc -c "update suspension set balance = balance - 1 where account_id = 2 and event = 'suspended'"
out=$("$B" --db "$PG" archive --before 2024-05 2>&1); st=$?
expect_eq "the current month: refused (usage)" "$st" "1"
expect_contains "the current month: says so" "$out" "the current month is never archived"

# --dry-run
out=$("$B" --db "$PG" archive --before 2024-03 --dry-run 2>&1); st=$?
expect_eq "--dry-run: exit 0" "$st" "0"
expect_contains "--dry-run: lists January (acme's and lowco's calls)" "$out" "2024-01: 169 calls, would be detached"
expect_contains "--dry-run: lists February" "$out" "2024-02: 84 calls, would be detached"
expect_eq "--dry-run: nothing detached" "$(parts)" "cdr_2024_01 cdr_2024_02 cdr_2024_03"
out=$("$B" --read-only --db "$PG" archive --before 2024-03 --dry-run 2>&1); st=$?
expect_eq "--dry-run in a read-only session: exit 0 (nothing written, checkpoints included)" "$st" "0"
expect_contains "--dry-run in a read-only session: lists February" "$out" "2024-02: 84 calls, would be detached"

# the check holds no lock writers wait for: with the archive kept checking
# (a session holds investigation, which it reads), an import of a live
# month goes through; a back-dated post (before March) does too, and the
# archive, counting again under its lock, refuses: nothing detached
hold bt_arc "$T/fifo2"
echo "BEGIN; LOCK TABLE investigation IN ACCESS EXCLUSIVE MODE;" >&3
until_idle_tx bt_arc
"$B" --db "$PG" archive --before 2024-03 >"$T/held.out" 2>&1 &
ARC_PID=$!
i=0
while [ "$(sql bt_arc -c "select count(*) from pg_stat_activity where wait_event_type = 'Lock'")" = 0 ] && [ $i -lt 400 ]; do
	sleep 0.05; i=$((i + 1)); done
expect_eq "archive checking: it waits for the held table" \
	"$(sql bt_arc -c "select count(*) from pg_stat_activity where wait_event_type = 'Lock' and query like '%investigation%'")" "1"
out=$(timeout 20 "$B" --db "$PG" import cdr "$T/conc.csv" --account lowco 2>&1); st=$?
expect_eq "archive checking: an import of a live month does not wait" "$st" "0"
expect_contains "archive checking: ... and stores its call" "$out" "1 stored (1 rated"
out=$(timeout 20 "$B" --db "$PG" ledger add lowco deposit 0.01 --memo late --at 2024-02-15 2>&1); st=$?
expect_eq "archive checking: a back-dated post does not wait" "$st" "0"
echo "ROLLBACK;" >&3; exec 3>&-; wait $HOLD_PID
wait $ARC_PID; st=$?
expect_eq "a post before the months while checking: archive exit 1" "$st" "1"
expect_contains "... says why" "$(cat "$T/held.out")" "2024-01: refused: calls, ledger entries, messages or corrections up to the end of 2024-02 were stored while it was checked: run billtop archive again"
expect_contains "... the other month not said detached" "$(cat "$T/held.out")" "2024-02: 84 calls, would be detached"
expect_eq "... nothing detached" "$(parts)" "cdr_2024_01 cdr_2024_02 cdr_2024_03"
expect_eq "... no checkpoint written" "$(sql bt_arc -c "select count(*) from archive_walk")" "0"

# two months detached: the reports unchanged
out=$("$B" --db "$PG" archive --before 2024-03 2>&1); st=$?
expect_eq "archive: exit 0" "$st" "0"
expect_contains "archive: names the table" "$out" "2024-01: 169 calls, detached as table cdr_2024_01"
expect_eq "archive: one month left in cdr" "$(parts)" "cdr_2024_03"
expect_eq "archive: the detached months are plain tables" \
	"$(sql bt_arc -c "select count(*) from cdr_2024_01") $(sql bt_arc -c "select count(*) from cdr_2024_02")" "169 84"
snap >"$T/after"
if cmp -s "$T/before" "$T/after"; then ok "balance, statement and usage unchanged"; else
	FAIL=$((FAIL + 1)); echo "FAIL: reports changed by the archive" >&2; diff "$T/before" "$T/after" | head -20 >&2; fi
expect_eq "archive again: nothing to do" "$("$B" --db "$PG" archive --before 2024-03 2>&1)" "archive: no month before 2024-03 to archive"
# verify: the archived calls count by their checkpoints (balance, walk,
# billed legs in cdr_call, import counts): clean; a fault in a live month
# is still named
expect_eq "archive: a checkpoint an account with calls" \
	"$(sql bt_arc -c "select string_agg(account_id || ' ' || calls || ' ' || status, ', ' order by account_id) from archive_walk")" \
	"1 168 0, 2 85 1"
"$B" --db "$PG" verify >"$T/verify.out" 2>&1; st=$?
expect_eq "verify after the archive: exit 0" "$st" "0"
expect_contains "verify after the archive: no difference" "$(cat "$T/verify.out")" ": 0 differences"
sql bt_arc -c "update rollup_hour set calls = calls + 1 where hour = (select max(hour) from rollup_hour where account_id = 1)"
"$B" --db "$PG" verify >"$T/verify.out" 2>&1; st=$?
expect_eq "a March rollup changed: verify exit 1" "$st" "1"
expect_contains "a March rollup changed: named" "$(cat "$T/verify.out")" "rollup_hour cell (account acme, hour 2024-03-"
sql bt_arc -c "update rollup_hour set calls = calls - 1 where hour = (select max(hour) from rollup_hour where account_id = 1)"
sql bt_arc -c "alter table ledger disable trigger user; update ledger set amount = amount + 1000000000 where memo = 'y'; alter table ledger enable trigger user"
"$B" --db "$PG" verify >"$T/verify.out" 2>&1; st=$?
expect_eq "a March ledger entry changed: verify exit 1" "$st" "1"
expect_contains "a March ledger entry changed: the walk differs" "$(cat "$T/verify.out")" "account lowco: walk_balance"
sql bt_arc -c "alter table ledger disable trigger user; update ledger set amount = amount - 1000000000 where memo = 'y'; alter table ledger enable trigger user"
expect_status "verify after the repairs: exit 0" 0 "$B" --db "$PG" verify
# a second leg, in March, of lowco's emergency call of January (archived):
# an extra leg, never flagged though lowco is suspended then, also after
# the re-walk below (its billed leg's state read from cdr_call)
out=$("$B" --db "$PG" import cdr "$T/emerg2.csv" --account lowco 2>&1)
expect_contains "a leg of an archived emergency call: an extra leg" "$out" "1 extra legs"
expect_eq "... not flagged" "$(sql bt_arc -c "select suspended from cdr where record_id like '%emerg-b%'")" "0"
# a low-balance mark set after the archive walks the account again: from
# its checkpoint (its January calls are gone), the history kept
"$B" --db "$PG" account set lowco --low-balance 5 >/dev/null
expect_eq "a mark set after the archive: the suspension history kept" \
	"$(sql bt_arc -c "select string_agg(event || ' ' || to_char(to_timestamp(at) at time zone 'UTC', 'YYYY-MM'), ', ' order by at) from suspension where account_id = 2")" \
	"suspended 2024-01, restored 2024-03"
"$B" --db "$PG" verify >"$T/verify.out" 2>&1; st=$?
expect_eq "a mark set after the archive: verify exit 0" "$st" "0"
expect_eq "... the leg of the emergency call still not flagged" "$(sql bt_arc -c "select suspended from cdr where record_id like '%emerg-b%'")" "0"
grep DIFF "$T/verify.out" | head -5 >&2
# a call of a month before the archived ones: refused (the checkpoints
# hold every charge before their end), never a month created there
out=$("$B" --db "$PG" import cdr "$T/dec.csv" --account lowco 2>&1); st=$?
expect_eq "a call before the archived months: exit 1" "$st" "1"
expect_contains "a call before the archived months: says so" "$out" "a call of 2023-12: before an archived month"
expect_eq "... no month made for it" "$(sql bt_arc -c "select to_regclass('cdr_2023_12') is null")" "t"
# nor a ledger entry or a message dated there: the books are closed
out=$("$B" --db "$PG" ledger add lowco deposit 1 --memo late2 --at 2024-02-10 2>&1); st=$?
expect_eq "a post dated in an archived month: exit 1" "$st" "1"
expect_contains "a post dated in an archived month: says so" "$out" "a ledger entry dated 2024-02-10: before the end of an archived month"
printf '%s\n' 'id,time,direction,from,to,type,segments,cost' 'late1,2024-02-11 10:00:00,out,15551234567,15550000000,sms,1,0.0075' >"$T/late.csv"
out=$("$B" --db "$PG" import mdr "$T/late.csv" --account lowco 2>&1); st=$?
expect_eq "a message dated in an archived month: exit 1" "$st" "1"
expect_contains "a message dated in an archived month: says so" "$out" "a message dated 2024-02-11: before the end of an archived month"
expect_eq "... nothing stored" "$(sql bt_arc -c "select count(*) from ledger where memo = 'late2'") $(sql bt_arc -c "select count(*) from mdr")" "0 0"
# a leg of a January call (its billed leg archived) starting in March
out=$("$B" --db "$PG" import cdr "$T/leg3.csv" --account acme 2>&1); st=$?
expect_eq "a leg of an archived call: exit 0" "$st" "0"
expect_contains "a leg of an archived call: an extra leg" "$out" "1 extra legs"
expect_eq "... the balance unchanged" "$("$B" --db "$PG" balance acme)" "$(cat "$T/bal")"
expect_status "... verify: exit 0" 0 "$B" --db "$PG" verify
# a call of an archived month is refused, never stored again
out=$("$B" --db "$PG" import cdr "$T/m01.csv" --account acme 2>&1); st=$?
expect_eq "a re-import of an archived month: exit 1" "$st" "1"
expect_contains "a re-import of an archived month: says so" "$out" "the month is archived"
expect_eq "... the balance unchanged" "$("$B" --db "$PG" balance acme)" "$(cat "$T/bal")"
# the listings say so
out=$("$B" --db "$PG" cdrs acme --from 2024-01-01 --to 2024-02-01 2>&1)
expect_contains "cdrs of an archived month: says it is archived" "$out" "archived: 2024-01"
# ... and the console's call list, in its title
S=billtop-pgarc-$$
tmux -L "$S" new-session -d -x 100 -y 30 "env LANG=C.UTF-8 BILLTOP_NOW='$BILLTOP_NOW' '$B' --db '$PG'; sleep 30"
screen() { tmux -L "$S" capture-pane -p; }
until_screen() { i=0; while ! screen | grep -q "$1" && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done; }
until_screen "acme .*USD"
tmux -L "$S" send-keys Enter
until_screen "acme.*balance\|Balance\|BALANCE"
tmux -L "$S" send-keys c
until_screen "calls, newest first"
expect_contains "console: the call list says what is archived" "$(screen)" "acme  calls, newest first  (before 2024-03: archived)"
tmux -L "$S" kill-server 2>/dev/null
out=$("$B" --db "$PG" explain "$jan" 2>&1); st=$?
expect_eq "explain a call of an archived month: exit 1" "$st" "1"
expect_contains "explain a call of an archived month: says months are archived" "$out" "months archived (billtop archive): 2024-01, 2024-02"
# the audit shows it
expect_contains "audit: the archive" "$("$B" --db "$PG" audit 2>&1)" "2024-01: 169 calls detached as table cdr_2024_01"

# --drop
out=$("$B" --db "$PG" archive --before 2024-04 --drop 2>&1); st=$?
expect_eq "--drop: exit 0" "$st" "0"
expect_contains "--drop: says so" "$out" "2024-03: 172 calls, dropped"
expect_eq "--drop: the table is gone" "$(sql bt_arc -c "select to_regclass('cdr_2024_03') is null")" "t"
expect_eq "--drop: no month left in cdr" "$(parts)" ""
expect_eq "--drop: the balance unchanged" "$("$B" --db "$PG" balance acme)" "$(cat "$T/bal")"
out=$("$B" --db "$PG" import cdr "$T/m03.csv" --account acme 2>&1); st=$?
expect_eq "a re-import of a dropped month: exit 1" "$st" "1"
expect_contains "a re-import of a dropped month: says so" "$out" "a call of 2024-03: the month is archived"
expect_eq "... nothing stored again" "$(sql bt_arc -c "select count(*) from cdr")" "0"
expect_eq "... the balance unchanged" "$("$B" --db "$PG" balance acme)" "$(cat "$T/bal")"
"$B" --db "$PG" ledger add lowco deposit 1 --memo z --at 2024-04-09 >/dev/null
"$B" --db "$PG" verify >"$T/verify.out" 2>&1; st=$?
expect_eq "verify after --drop of every month: exit 0" "$st" "0"

# the row writer on partitions (unit suite pgwriter) on a store of its own
UNIT=${BILLTOP_UNIT:-$HERE/../../build/unit_tests}
newdb bt_unitw
"$B" --db "$BILLTOP_PG_CONNINFO dbname=bt_unitw" init >/dev/null
"$B" --db "$BILLTOP_PG_CONNINFO dbname=bt_unitw" account add acme >/dev/null
BILLTOP_PG_UNIT_DB="$BILLTOP_PG_CONNINFO dbname=bt_unitw" "$UNIT" pgwriter >"$T/unit.out" 2>&1
ok "unit suite pgwriter (month cache after a rollback, leg of an archived call): $(tail -1 "$T/unit.out")"
grep FAIL "$T/unit.out" >&2
dropdb bt_unitw

dropdb bt_arc
echo "pg-archive: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
