#!/bin/sh
# run.sh FB SECONDS TARGET...: run each libFuzzer target FB/fuzz_TARGET for
# SECONDS (one process, one after the other: the machine has 2 cores), on
#   FB/corpus/TARGET        (new inputs are written here; kept between runs)
#   FB/seeds/TARGET         (from the realdata files, tests/fuzz/seeds.py)
#   tests/fuzz/seeds/TARGET, tests/fuzz/regress/TARGET (committed)
# A finding (crash, failed invariant, UBSan report, leak, timeout > 10 s,
# RSS > 2 GB) is written to FB/artifacts/TARGET/; keep it as
# tests/fuzz/regress/TARGET/<what-it-is> once the bug is fixed.
# Prints one summary line per target (executions, coverage) and the full log
# in FB/logs/TARGET.log; exits 1 when any target found something.
set -u
FB=$1
SECS=$2
shift 2
HERE=$(cd "$(dirname "$0")" && pwd)
fail=0
summary=""
for t in "$@"; do
	mkdir -p "$FB/corpus/$t" "$FB/artifacts/$t" "$FB/logs" "$FB/seeds/$t"
	dirs="$FB/corpus/$t $FB/seeds/$t"
	for d in "$HERE/seeds/$t" "$HERE/regress/$t"; do
		[ -d "$d" ] && dirs="$dirs $d"
	done
	log="$FB/logs/$t.log"
	# import runs three imports and verify per input: keep its inputs short
	maxlen=8192
	[ "$t" = import ] && maxlen=2048
	echo "fuzz $t: ${SECS}s ..."
	# shellcheck disable=SC2086
	"$FB/fuzz_$t" -max_total_time="$SECS" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
		-max_len="$maxlen" -artifact_prefix="$FB/artifacts/$t/" $dirs >"$log" 2>&1
	st=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	last=$(grep -E '^#[0-9]+' "$log" | tail -n 1)
	cov=$(echo "$last" | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
	ft=$(echo "$last" | sed -n 's/.*ft: \([0-9]*\).*/\1/p')
	corp=$(echo "$last" | sed -n 's/.*corp: \([0-9]*\).*/\1/p')
	if [ "$st" -ne 0 ]; then
		fail=1
		what="FOUND SOMETHING (exit $st): $(grep -m1 -E 'ERROR|invariant failed|runtime error|leak' "$log")"
		what="$what; see $log and $FB/artifacts/$t/"
	else
		what="no crash, leak or timeout"
	fi
	line="fuzz $t: ${execs:-?} execs in ${SECS}s, cov ${cov:-?}, ft ${ft:-?}, corpus ${corp:-?}: $what"
	echo "$line"
	summary="$summary$line
"
done
printf '\n%s' "$summary"
exit $fail
