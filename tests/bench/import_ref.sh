#!/bin/sh
# import_ref.sh: the import of BENCH_ROWS (default 1,000,000) Asterisk CDRs by
# this billtop against the same import by a reference billtop built from the
# git commit BENCH_REF (default: the commit before issue 9's importer work),
# in the same run, runs alternating so that load from other work hits both
# alike. Issue 9's target: the importer's new readers (header synonyms,
# date orders, dial plans, lenient CSV, row accounting) keep the 1M-row
# import within 5 % of the reference. Also times `import cdr --dry-run` on
# the same file (target: under 1 s), when this billtop has it.
#
# Environment: BILLTOP (this binary), GENCDR (tests/bench/out/gencdr),
# BENCH_ROWS, BENCH_RUNS (default 5, median reported), BENCH_REF.
# Writes to out/ (gitignored): out/ref/ holds the reference tree and binary.
# Prints "import-ref: ... met|NOT met"; never fails on a timing, only when
# something cannot run or the two imports disagree on what they stored.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
OUT=$HERE/out
ROWS=${BENCH_ROWS:-1000000}
RUNS=${BENCH_RUNS:-5}
REF=${BENCH_REF:-37e598d}
GENCDR=${GENCDR:-$OUT/gencdr}
ACCOUNTS="acme globex initech umbrella"
unset BILLTOP_DB BILLTOP_NOW
mkdir -p "$OUT"
die() { echo "import-ref: $*" >&2; exit 1; }
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {if (NR%2) print v[(NR+1)/2]; else printf "%.3f\n", (v[NR/2]+v[NR/2+1])/2}'; }
calc() { awk "BEGIN {printf \"${2:-%.2f}\", $1}"; }
met() { awk "BEGIN {print (($1) ? \"met\" : \"NOT met\")}"; }

[ -x "$GENCDR" ] || die "$GENCDR missing (make -C tests/bench tools)"
cp "${BILLTOP:-$ROOT/billtop}" "$OUT/billtop.new" || die "no billtop binary (run make)"
NEW=$OUT/billtop.new

# The reference: the tree at $REF, built with its own Makefile.
REFDIR=$OUT/ref
REFSHA=$(git -C "$ROOT" rev-parse --short "$REF^{commit}" 2>/dev/null) || die "no commit $REF in this clone"
if [ ! -x "$REFDIR/billtop" ] || [ "$(cat "$REFDIR/.sha" 2>/dev/null)" != "$REFSHA" ]; then
	rm -rf "$REFDIR" && mkdir -p "$REFDIR" || die "cannot make $REFDIR"
	git -C "$ROOT" archive "$REFSHA" | tar -x -C "$REFDIR" || die "git archive $REFSHA failed"
	make -C "$REFDIR" -j2 billtop >"$OUT/ref-build.log" 2>&1 || { tail "$OUT/ref-build.log"; die "reference build failed"; }
	echo "$REFSHA" >"$REFDIR/.sha"
fi
OLD=$REFDIR/billtop

CSV=$OUT/cdr_$ROWS.csv
if [ ! -s "$CSV" ]; then
	"$GENCDR" "$ROWS" "$CSV.tmp" && mv "$CSV.tmp" "$CSV" || die "gencdr failed"
fi
"$GENCDR" --deck 100 "$OUT/deck.csv" || die "gencdr --deck failed"

setup() { # BIN DB
	rm -f "$2" "$2-wal" "$2-shm"
	"$1" --db "$2" init >/dev/null || return 1
	for a in $ACCOUNTS; do "$1" --db "$2" account add "$a" >/dev/null || return 1; done
	"$1" --db "$2" rates import "$OUT/deck.csv" --deck d >/dev/null || return 1
	for a in $ACCOUNTS; do "$1" --db "$2" account set "$a" --deck d >/dev/null || return 1; done
}
run() { # BIN DB -> seconds on stdout
	/usr/bin/time -f '%e' -o "$OUT/ref.time" "$1" --db "$2" import cdr "$CSV" --quiet >"$OUT/ref.log" 2>&1 \
		|| { cat "$OUT/ref.log" >&2; return 1; }
	tail -n 1 "$OUT/ref.time"
}

echo "== import $ROWS rows: this billtop against the reference $REFSHA, $RUNS runs each, alternating"
S_NEW=; S_OLD=; i=1
while [ "$i" -le "$RUNS" ]; do
	setup "$OLD" "$OUT/ref_old.db" || die "reference setup failed"
	t_old=$(run "$OLD" "$OUT/ref_old.db") || die "reference import failed"
	setup "$NEW" "$OUT/ref_new.db" || die "setup failed"
	t_new=$(run "$NEW" "$OUT/ref_new.db") || die "import failed"
	echo "  run $i: reference $t_old s, this $t_new s"
	S_OLD="$S_OLD $t_old"; S_NEW="$S_NEW $t_new"
	i=$((i + 1))
done
# shellcheck disable=SC2086
{ M_OLD=$(median $S_OLD); M_NEW=$(median $S_NEW); }
# Same work: the same records in the same states, at the same cost.
q="SELECT count(*), sum(state), sum(cost), sum(billed_secs) FROM cdr"
A=$(sqlite3 "$OUT/ref_old.db" "$q") B=$(sqlite3 "$OUT/ref_new.db" "$q")
[ "$A" = "$B" ] || die "the two imports stored different calls: reference $A, this $B"
PCT=$(calc "($M_NEW / $M_OLD - 1) * 100" "%+.1f")
echo "import-ref: reference $M_OLD s, this $M_NEW s (medians), $PCT % (target within +5 %: $(met "$M_NEW <= $M_OLD * 1.05")); same calls, states and cost ($B)"

# Wall time on a shared machine moves by tens of percent from run to run;
# instructions do not. With valgrind, both imports of the first
# BENCH_CG_ROWS (default 100,000) rows are counted under callgrind.
if command -v valgrind >/dev/null 2>&1 && [ "${BENCH_CG:-1}" != 0 ]; then
	CGN=${BENCH_CG_ROWS:-100000}
	head -n "$CGN" "$CSV" >"$OUT/cg_rows.csv"
	cg() { # BIN -> instructions
		setup "$1" "$OUT/cg.db" || return 1
		valgrind --tool=callgrind --callgrind-out-file=/dev/null "$1" --db "$OUT/cg.db" import cdr \
			"$OUT/cg_rows.csv" --quiet >/dev/null 2>"$OUT/cg.log" || return 1
		sed -n 's/.*refs: *//p' "$OUT/cg.log" | tr -d ,
	}
	I_OLD=$(cg "$OLD") && I_NEW=$(cg "$NEW") || die "callgrind run failed"
	echo "import-instructions: $CGN rows: reference $I_OLD, this $I_NEW, $(calc "($I_NEW / $I_OLD - 1) * 100" "%+.1f") % (target within +5 %: $(met "$I_NEW <= $I_OLD * 1.05"))"
fi

if "$NEW" import --help 2>&1 | grep -q -- --dry-run; then
	setup "$NEW" "$OUT/ref_dry.db" || die "setup failed"
	before=$(sqlite3 "$OUT/ref_dry.db" "SELECT count(*) FROM cdr")
	/usr/bin/time -f '%e' -o "$OUT/dry.time" "$NEW" --db "$OUT/ref_dry.db" import cdr "$CSV" --dry-run \
		>"$OUT/dry.log" 2>&1 || { cat "$OUT/dry.log"; die "dry run failed"; }
	after=$(sqlite3 "$OUT/ref_dry.db" "SELECT count(*) FROM cdr")
	[ "$before" = "$after" ] || die "--dry-run wrote $((after - before)) calls"
	D=$(tail -n 1 "$OUT/dry.time")
	echo "import-dry-run: $D s on $ROWS rows, nothing written (target < 1 s: $(met "$D < 1"))"
fi
