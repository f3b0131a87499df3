# lib.sh: a tiny assertion library for the CLI tests (sourced by run.sh).
# Every check counts; run.sh prints "cli: N passed, N failed".
PASS=0
FAIL=0

ok() {   # ok NAME: the previous command's status decides
	if [ "$?" -eq 0 ]; then PASS=$((PASS + 1)); else FAIL=$((FAIL + 1)); echo "FAIL: $1" >&2; fi
}

expect_eq() {   # expect_eq NAME ACTUAL EXPECTED
	if [ "$2" = "$3" ]; then PASS=$((PASS + 1)); else
		FAIL=$((FAIL + 1)); printf 'FAIL: %s\n  got:      %s\n  expected: %s\n' "$1" "$2" "$3" >&2; fi
}

expect_contains() {   # expect_contains NAME HAYSTACK NEEDLE
	case "$2" in *"$3"*) PASS=$((PASS + 1)) ;; *)
		FAIL=$((FAIL + 1)); printf 'FAIL: %s\n  output: %s\n  lacks:  %s\n' "$1" "$2" "$3" >&2 ;; esac
}

expect_status() {   # expect_status NAME STATUS CMD...: run CMD, compare its exit status
	name=$1; want=$2; shift 2
	"$@" >/dev/null 2>&1; got=$?
	expect_eq "$name (exit status)" "$got" "$want"
}

# json_get FILE EXPR: evaluate a Python expression on the parsed JSON `d`.
json_get() {
	python3 -c "import json,sys; d=json.load(open(sys.argv[1])); v=($2); print(*(v if isinstance(v, tuple) else (v,)))" "$1"
}

# pg_skip REASON: under the PostgreSQL suite (PG_SUITE=1: tests/pg/test_cli_suite.sh)
# print "skip: REASON" and succeed, so that `pg_skip "why" || CHECK` skips a
# check that looks at the SQLite file itself; otherwise fail (CHECK runs).
pg_skip() {
	[ "${PG_SUITE:-}" = 1 ] || return 1
	echo "skip (PostgreSQL): $1" >&2
}
