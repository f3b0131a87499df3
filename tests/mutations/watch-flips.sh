#!/bin/sh
# watch-flips.sh: undo each rule of issue 10's alerts in turn, rebuild, and
# show that its test fails (then restore the file from git). Run from the
# worktree root with everything committed (each flip restores its file with
# git checkout, which would throw away uncommitted work): sh tests/mutations/watch-flips.sh
set -u
flip() {   # flip NAME FILE PYTHON-OLD PYTHON-NEW TEST
	name=$1 file=$2 old=$3 new=$4 test=$5
	python3 - "$file" "$old" "$new" <<'PY' || { echo "FLIP $name: pattern not found"; return; }
import sys
p, old, new = sys.argv[1:4]
s = open(p).read()
if old not in s:
    sys.exit(1)
open(p, 'w').write(s.replace(old, new, 1))
PY
	if ! make -j2 billtop >/dev/null 2>&1; then echo "FLIP $name: does not build"; git checkout -q -- "$file"; return; fi
	case $test in
	cli) out=$(BILLTOP=$PWD/billtop timeout 120 sh tests/cli/watch.sh 2>&1 | tail -n 1) ;;
	tui) out=$(BILLTOP=$PWD/billtop timeout 120 bash tests/tui/test_alerts.sh 2>&1 | head -n 1) ;;
	esac
	echo "FLIP $name: $out"
	git checkout -q -- "$file"
}
flip "no alert for a suspension transition" data/alert.c \
	'               const char *cause_kind, int64_t cause_id)
{' '               const char *cause_kind, int64_t cause_id)
{
	if (event[0] != '"'"'l'"'"')
		return DB_OK;' cli
flip "no low-balance crossings" data/walk.c \
	'*crossed = wa->has_mark &&' '*crossed = 0 &&' cli
flip "crossing at the mark counted (<= instead of <)" data/walk.c \
	'wa->w.balance < wa->mark;' 'wa->w.balance <= wa->mark + 50000000000LL;' cli
flip "sent not recorded" data/alert.c \
	'"UPDATE alert SET status = '"'"'sent'"'"', sent_at = ?2 WHERE id = ?1"' '"UPDATE alert SET status = '"'"'sending'"'"', sent_at = ?2 WHERE id = ?1"' cli
flip "an account's later alerts not held back" data/alert.c \
	'"WHERE al.id IN (SELECT' '"WHERE 1 OR al.id IN (SELECT' cli
flip "sending not recovered after a crash" tui/cmd_watch.c \
	'if (alert_recover(db, &recovered) != DB_OK) {' 'recovered = 0; if (0) {' cli
flip "a re-walk does not withdraw" data/walk.c \
	'		st = alert_withdraw(db, account_id, from);' '		st = DB_OK;' cli
flip "a new mark alerts the history" data/alert.c \
	"AND event = 'low_balance' AND status = 'pending' AND at <= ?3" "AND event = 'low_balance' AND status = 'nothing' AND at <= ?3" cli
flip "a late record leaves the alert's balance" data/alert.c \
	'" SET balance = excluded.balance,"' '" SET balance = balance,"' cli
flip "verify has no alerts check" data/verify.c \
	'	if (v.status == DB_OK)
		check_alerts(&v);' '	if (0)
		check_alerts(&v);' cli
flip "the walk compares no crossings" data/walk.c \
	'int64_t *diffs)
{
	sqlite3_stmt *st;
	size_t i = 0;
	if (sqlite3_prepare_v2(db->sql, "SELECT at, balance, mark' 'int64_t *diffs)
{
	if (diffs)
		return DB_OK;
	sqlite3_stmt *st;
	size_t i = 0;
	if (sqlite3_prepare_v2(db->sql, "SELECT at, balance, mark' cli
flip "the daemon does not notice commits (no data_version, no pass each second)" tui/cmd_watch.c \
	'polls < 1000 / POLL_MS; polls++) {
			if (alert_data_version(db, &dv_now) == DB_OK && dv_now != dv) {' 'polls >= 0; polls++) {
			if (0 && alert_data_version(db, &dv_now) == DB_OK && dv_now != dv) {' cli
flip "failure not retried with backoff (next try never)" tui/cmd_watch.c \
	'(int64_t)time(NULL) + delay, err)' 'INT64_MAX / 2, err)' cli
flip "a transition dated after now sent at once" data/alert.c \
	' AND al.at <= ?3 ORDER BY' ' AND (al.at <= ?3 OR 1) ORDER BY' cli
flip "the console shows no events" tui/view_accounts.c \
	'		if (st == DB_OK) {
			event_text' '		if (st == DB_OK && 0) {
			event_text' tui
make -j2 billtop >/dev/null 2>&1
