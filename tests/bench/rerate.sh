#!/bin/sh
# rerate.sh: re-rating against importing the same calls, in the same run
# (issue 10: "re-rating a million calls is at least twice as fast as
# importing them").
#
# BENCH_ROWS (default 1,000,000) Asterisk CDRs from gencdr, four accounts on
# deck d (gencdr --deck 100, as run.sh): `billtop import cdr` is timed, then
# a corrected deck `fix` (every rate + 0.0013, every connect fee + 0.0001)
# is imported and `billtop rerate --all --deck fix` timed: every rated call
# gets a correction (rating row, charge columns, rollups, the suspension
# walk from the first call). Then the same rerate again (nothing changes:
# every call read and rated, nothing written) and a dry run. The ratio
# import / rerate is printed with the target (>= 2). BENCH_RUNS (default 1)
# alternating import / rerate pairs, medians reported.
#
# Environment: BILLTOP, GENCDR (set by the Makefile), BENCH_ROWS, BENCH_RUNS,
# OUT (default tests/bench/out). The last line is machine-readable:
# "RERATE import_s=.. rerate_s=.. again_s=.. dry_s=.. corrected=.. ratio=.."
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${OUT:-$HERE/out}
ROWS=${BENCH_ROWS:-1000000}
RUNS=${BENCH_RUNS:-1}
B=${BILLTOP:-$HERE/../../billtop}
GENCDR=${GENCDR:-$OUT/gencdr}
ACCOUNTS="acme globex initech umbrella"
unset BILLTOP_DB BILLTOP_NOW
mkdir -p "$OUT"
die() { echo "bench rerate: $*" >&2; exit 1; }
calc() { awk "BEGIN {printf \"${2:-%.2f}\", $1}"; }
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {if (NR%2) print v[(NR+1)/2]; else printf "%.3f\n", (v[NR/2]+v[NR/2+1])/2}'; }
# timed NAME CMD...: T_S wall seconds, T_CPU "user U s, sys S s"
timed() {
	o=$OUT/rr_$1; shift
	/usr/bin/time -f '%e %M %U %S' -o "$o.time" "$@" >"$o.log" 2>&1 || { cat "$o.log" >&2; return 1; }
	T_S=$(awk 'END {print $1}' "$o.time")
	T_CPU=$(awk 'END {print "user " $3 " s, sys " $4 " s, peak " int($2 / 1024) " MiB"}' "$o.time")
}
[ -x "$GENCDR" ] || die "$GENCDR missing (make -C tests/bench tools)"
CSV=$OUT/cdr_$ROWS.csv
[ -s "$CSV" ] || { "$GENCDR" "$ROWS" "$CSV.tmp" && mv "$CSV.tmp" "$CSV"; } || die "gencdr failed"
[ -s "$OUT/deck.csv" ] || "$GENCDR" --deck 100 "$OUT/deck.csv" || die "gencdr --deck failed"
awk -F, 'BEGIN { OFS = "," } NR == 1 { print; next } { $3 = sprintf("%.4f", $3 + 0.0013); $6 = sprintf("%.4f", $6 + 0.0001); print }' \
	"$OUT/deck.csv" >"$OUT/deck_fix.csv"

DB=$OUT/rerate.db
IMP= RR=
i=1
while [ "$i" -le "$RUNS" ]; do
	rm -f "$DB" "$DB-wal" "$DB-shm"
	"$B" --db "$DB" init >/dev/null || die "init"
	"$B" --db "$DB" rates import "$OUT/deck.csv" --deck d >/dev/null 2>&1 || die "deck d"
	"$B" --db "$DB" rates import "$OUT/deck_fix.csv" --deck fix >/dev/null 2>&1 || die "deck fix"
	for a in $ACCOUNTS; do
		"$B" --db "$DB" account add "$a" >/dev/null && "$B" --db "$DB" account set "$a" --deck d >/dev/null || die "account $a"
	done
	timed import "$B" --db "$DB" import cdr "$CSV" --quiet || die "import failed"
	IMP="$IMP $T_S"
	echo "  run $i import $ROWS calls: $T_S s ($T_CPU)"
	timed rerate "$B" --db "$DB" rerate --all --deck fix --memo "bench: carrier correction" --format json || die "rerate failed"
	RR="$RR $T_S"
	echo "  run $i rerate --all --deck fix: $T_S s ($T_CPU)"
	i=$((i + 1))
done
CORR=$(python3 -c 'import json,sys; print(sum(a["corrected"] for a in json.load(open(sys.argv[1]))))' "$OUT/rr_rerate.log")
EXAM=$(python3 -c 'import json,sys; print(sum(a["examined"] for a in json.load(open(sys.argv[1]))))' "$OUT/rr_rerate.log")
timed again "$B" --db "$DB" rerate --all --deck fix --memo "bench: again" || die "second rerate failed"
AGAIN=$T_S
echo "  rerate again (nothing changes): $T_S s ($T_CPU)"
grep -q "none would change" "$OUT/rr_again.log" || echo "WARNING: the second rerate changed something"
timed dry "$B" --db "$DB" rerate --all --deck d --dry-run || die "dry run failed"
DRY=$T_S
echo "  rerate --dry-run back to deck d: $T_S s ($T_CPU)"
# shellcheck disable=SC2086
{ IMP=$(median $IMP); RR=$(median $RR); }
RATIO=$(calc "$IMP / $RR")
echo "rerate: $EXAM calls examined, $CORR corrected; import $IMP s, rerate $RR s: ratio import/rerate $RATIO" \
	"(target >= 2.0: $(awk "BEGIN {print ($RATIO >= 2.0) ? \"met\" : \"NOT met\"}"))"
echo "RERATE import_s=$IMP rerate_s=$RR again_s=$AGAIN dry_s=$DRY corrected=$CORR ratio=$RATIO"
