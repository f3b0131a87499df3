#!/bin/sh
# ledger_ref.sh: `billtop ledger add ... --ref KEY`, the idempotency key
# (issue 5). A retry of the same command posts nothing and exits 0 naming
# the entry; the key reused with another kind or amount exits 3 naming the
# conflict; the key is per account; concurrent and killed-then-retried adds
# leave exactly one entry; `ledger list` (text, CSV, JSON) and `audit` show
# the key; the ledger stays append-only; a schema 3 database migrates to 4
# keeping its entries. Prints "cli-ledger-ref: N passed, N failed".
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
B=${BILLTOP:-$HERE/../../billtop}
T=$(mktemp -d "${TMPDIR:-/tmp}/billtop-ref.XXXXXX")
trap 'rm -rf "$T"' EXIT
export BILLTOP_NOW="2026-11-20 12:00:00"
unset BILLTOP_DB SSH_CLIENT
export USER=alice
db() { "$B" --db "$T/t.db" "$@"; }
q() { sqlite3 -cmd ".timeout 5000" "$T/t.db" "$1"; }

db init >/dev/null
db account add acme >/dev/null
db account add beta >/dev/null

# ---- retry ---------------------------------------------------------------------------
out=$(db ledger add acme deposit 10 --memo "wire 4471" --ref wire-4471 2>&1); st=$?
expect_eq "first add with --ref posts" "$st" "0"
expect_contains "and names the new entry" "$out" "entry 1: acme deposit 10.0000"
out=$(BILLTOP_NOW="2026-11-20 12:05:00" db ledger add acme deposit 10 --memo "wire 4471" --ref wire-4471 2>&1); st=$?
expect_eq "the same command again (a retry, later) exits 0" "$st" "0"
expect_contains "and reports the existing entry, posting nothing" "$out" \
	"entry 1: acme deposit 10.0000 at 2026-11-20 12:00:00, already posted at 2026-11-20 12:00:00 with --ref wire-4471: nothing posted now"
expect_contains "with the balance" "$out" "balance 10.0000 USD, active"
expect_eq "one entry" "$(q "select count(*), sum(amount) from ledger")" "1|10000000000"
out=$(db ledger add acme deposit 10.0000 --memo "wire 4471 (retried by cron)" --ref wire-4471 2>&1); st=$?
expect_eq "a retry with the same amount written otherwise and another memo is the same entry" "$st" "0"
expect_eq "still one entry" "$(q "select count(*) from ledger")" "1"

# ---- conflict ------------------------------------------------------------------------
out=$(db ledger add acme deposit 11 --memo "wire 4471" --ref wire-4471 2>&1); st=$?
expect_eq "the key with another amount exits 3" "$st" "3"
expect_contains "naming the conflict" "$out" \
	"--ref wire-4471 already names entry 1: deposit 10.0000 at 2026-11-20 12:00:00 (posted 2026-11-20 12:00:00), not deposit 11.0000: nothing posted"
out=$(db ledger add acme payment 10 --memo "wire 4471" --ref wire-4471 2>&1); st=$?
expect_eq "the key with another kind exits 3" "$st" "3"
expect_contains "naming both kinds" "$out" "deposit 10.0000 at 2026-11-20 12:00:00 (posted 2026-11-20 12:00:00), not payment 10.0000"
out=$(db ledger add acme adjustment -10 --memo "wire 4471" --ref wire-4471 2>&1); st=$?
expect_eq "the key with another sign exits 3" "$st" "3"
expect_eq "nothing was posted by the conflicts" "$(q "select count(*) from ledger")" "1"

# ---- per account, validation, without a key ------------------------------------------------
out=$(db ledger add beta deposit 10 --memo "wire 4471" --ref wire-4471 2>&1); st=$?
expect_eq "the same key on another account is another entry" "$st" "0"
expect_contains "a new one" "$out" "entry 2: beta deposit 10.0000"
db ledger add acme deposit 1 --memo "no key" >/dev/null; ok "without --ref"
db ledger add acme deposit 1 --memo "no key" >/dev/null; ok "without --ref twice"
expect_eq "entries without a key are not deduplicated" "$(q "select count(*) from ledger where ref is null")" "2"
expect_status "an empty key is a usage error" 2 db ledger add acme deposit 1 --memo x --ref ""
out=$(db ledger add acme deposit 1 --memo x --ref "$(printf 'k\033[31m')" 2>&1); st=$?
expect_eq "a key with a control character is refused" "$st" "1"
expect_contains "saying why (shown escaped)" "$out" "--ref must be 1 to 64 bytes of UTF-8 without control characters"
expect_status "a key over 64 bytes is refused" 1 db ledger add acme deposit 1 --memo x --ref "$(printf '%065d' 0)"
expect_status "--ref on a read-only database posts nothing" 1 db --read-only ledger add acme deposit 1 --memo x --ref ro-1

# ---- append-only, and the database refuses a second key itself ------------------------------
expect_status "an entry's ref cannot be changed" 19 sqlite3 "$T/t.db" "update ledger set ref = 'x' where id = 1"
expect_status "nor removed" 19 sqlite3 "$T/t.db" "update ledger set ref = null where id = 1"
expect_status "a second entry with the same key on the account is refused by the index" 19 sqlite3 "$T/t.db" \
	"insert into ledger(account_id, kind, amount, at, posted, operator, ref) select account_id, kind, amount, at, posted, operator, ref from ledger where id = 1"

# ---- shown: ledger list, audit -----------------------------------------------------------------
out=$(db ledger list acme)
expect_contains "ledger list text shows the key" "$out" "wire 4471  ref wire-4471"
db ledger list acme --format json >"$T/l.json"
expect_eq "ledger list json: ref, null without one" "$(json_get "$T/l.json" "[e['ref'] for e in d]")" "['wire-4471', None, None]"
db ledger list acme --format csv >"$T/l.csv"
expect_contains "ledger list csv: a ref column" "$(head -1 "$T/l.csv")" '"posted","ref"'
expect_contains "ledger list csv: the key" "$(sed -n 2p "$T/l.csv")" '"wire-4471"'
db audit --format json >"$T/a.json"
expect_eq "audit json: the key of each ledger entry" \
	"$(json_get "$T/a.json" "sorted((r['account'], r['ref'] or '-') for r in d if r['what'] == 'ledger')")" \
	"[('acme', '-'), ('acme', '-'), ('acme', 'wire-4471'), ('beta', 'wire-4471')]"
expect_contains "audit text: the key" "$(db audit)" "(at 2026-11-20 12:00:00, ref wire-4471)"

# ---- concurrent: the same add eight times at once -------------------------------------------------
i=0
while [ $i -lt 8 ]; do
	db ledger add acme mrc 5 --memo "November MRC" --ref mrc-2026-11 >"$T/c$i.out" 2>&1 &
	i=$((i + 1))
done
wait
expect_eq "eight concurrent adds with one key: one entry" "$(q "select count(*) from ledger where ref = 'mrc-2026-11'")" "1"
id=$(q "select id from ledger where ref = 'mrc-2026-11'")
n=0; posted=0
for f in "$T"/c*.out; do
	case $(cat "$f") in *"entry $id: acme mrc -5.0000"*) n=$((n + 1)) ;; esac
	case $(cat "$f") in *"already posted"*) ;; *) posted=$((posted + 1)) ;; esac
done
expect_eq "all eight exit 0 naming that entry" "$n" "8"
expect_eq "exactly one of them posted it" "$posted" "1"

# ---- killed, then retried: each key posted once ---------------------------------------------------
# SIGKILL at a random moment of `ledger add --ref` (before, during or after
# its commit), then the retry a caller would do: the retry exits 0 and the
# key has exactly one entry, whether or not the killed run had committed.
i=0; committed=0
while [ $i -lt 20 ]; do
	"$B" --db "$T/t.db" ledger add beta deposit 1 --memo "kill $i" --ref "kill-$i" >/dev/null 2>&1 &
	pid=$!   # billtop itself (not a subshell), so the kill reaches it
	sleep "0.00$(awk "BEGIN { srand($i * 7919 + $$); printf \"%d\", int(rand() * 8) }")"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	[ "$(q "select count(*) from ledger where ref = 'kill-$i'")" = 1 ] && committed=$((committed + 1))
	db ledger add beta deposit 1 --memo "kill $i" --ref "kill-$i" >/dev/null 2>&1 ||
		{ FAIL=$((FAIL + 1)); echo "FAIL: retry of kill-$i did not exit 0" >&2; }
	i=$((i + 1))
done
expect_eq "20 killed adds, each retried: one entry per key" \
	"$(q "select count(*), count(distinct ref) from ledger where ref like 'kill-%'")" "20|20"
echo "  ($committed of 20 killed runs had committed before the kill)"
db verify >/dev/null; ok "verify after the kills"
pg_skip "PRAGMA integrity_check is SQLite's" || expect_eq "integrity_check" "$(q "pragma integrity_check")" "ok"

# ---- a schema 3 database migrates to 4 (and 5) ------------------------------------------------------------
if pg_skip "the schema 3 fixture and its migrations are SQLite's"; then :; else
cp "$T/t.db" "$T/v3.db"
sqlite3 "$T/v3.db" "DROP VIEW cdr_now; DROP TABLE rating_now; DROP TABLE rating; DROP TABLE rerate_day; DROP TABLE rerate;
	DROP TRIGGER cdr_charge_immutable; ALTER TABLE cdr DROP COLUMN dialplan; ALTER TABLE cdr DROP COLUMN unrated_reason;
	CREATE TRIGGER cdr_charge_immutable BEFORE UPDATE OF account_id, record_id, start, billsec_ms, state, rate_id,
	billed_secs, cost, cnam_cost ON cdr BEGIN SELECT RAISE(ABORT, 'rated call records are append-only'); END;
	ALTER TABLE account DROP COLUMN dial_cc; ALTER TABLE account DROP COLUMN dial_np; ALTER TABLE account DROP COLUMN dial_ip;
	ALTER TABLE rollup_hour DROP COLUMN internal;
	DROP INDEX ledger_ref; ALTER TABLE ledger DROP COLUMN ref; DROP TABLE alert; DROP TABLE balance_mark; DROP TABLE investigation_version;
	PRAGMA user_version = 3;"
before=$(sqlite3 "$T/v3.db" "select count(*), sum(amount) from ledger")
"$B" --db "$T/v3.db" verify >/dev/null; ok "schema 3 database opens and verifies"
expect_eq "migrated to 10" "$(sqlite3 "$T/v3.db" "pragma user_version")" "10"
expect_eq "entries kept, with no key" "$(sqlite3 "$T/v3.db" "select count(*), sum(amount) from ledger where ref is null")" "$before"
"$B" --db "$T/v3.db" ledger add acme deposit 2 --memo x --ref after-migration >/dev/null; ok "--ref works after the migration"
expect_status "and the key is unique there too" 0 "$B" --db "$T/v3.db" ledger add acme deposit 2 --memo x --ref after-migration
expect_eq "one entry" "$(sqlite3 "$T/v3.db" "select count(*) from ledger where ref = 'after-migration'")" "1"
expect_status "append-only after the migration" 19 sqlite3 "$T/v3.db" "update ledger set ref = 'y'"
fi

echo "cli-ledger-ref: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
