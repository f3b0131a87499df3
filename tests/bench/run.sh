#!/bin/sh
# run.sh: billtop benchmarks, run by `make bench` (tests/bench/Makefile).
#
#   1. import: BENCH_ROWS (default 1,000,000) synthetic Asterisk CDRs from
#      gencdr, imported by billtop (wall time, peak RSS) and by a baseline,
#      the sqlite3 CLI doing the same job in SQL (baseline_import.sql); the
#      total call cost of both is compared, since the timing is only fair if
#      both did the same work.
#   2. rating: bench_rate (in-memory, 100k-prefix deck and 10-row deck).
#   3. queries: `balance` and `usage --window month` on a demo database of
#      about BENCH_CDRS_10M (default 10,000,000) calls, built once and reused
#      (BENCH_REBUILD=1 forces a rebuild; a database whose schema is not the
#      one this billtop creates is rebuilt too).
#   4. console latency on that database (console.sh, when tmux is there).
#   5. dispute investigation (investigate.sh): the import's calls against
#      60 % of them from the other side with a clock jitter, billtop against
#      a hand-written pandas script (baseline_investigate.py); BENCH_INV=0
#      skips it.
#   6. live feed under readers (concurrency.sh): `billtop ingest --follow`
#      fed 2,000 CDRs/s for BENCH_CONC_SECS (default 60) while two CLI
#      `balance` loops and two consoles in tmux poll; staleness of every
#      balance shown, busy errors, nothing lost against an uninterrupted
#      import, with the writer alone and the readers alone as baselines;
#      BENCH_CONC=0 skips it.
#   6b. import_ref.sh: the same import by this billtop against a billtop
#      built from the commit before issue 9's readers (BENCH_REF), alternating
#      runs (target: within 5 %), and `import cdr --dry-run` on it (< 1 s);
#      BENCH_REFCMP=0 skips it.
#   6c. rerate.sh: `rerate --all` of the import's calls on a corrected deck
#      against their import, in the same run (target: twice as fast);
#      BENCH_RERATE=0 skips it.
#   7. a summary table.
# Every baseline is measured in the same run. Nothing here fails on a timing:
# targets are printed as met / NOT met. The script exits non-zero only when
# something could not run, or when billtop and the baseline disagree on the
# total cost (a correctness problem, not a timing one).
#
# Environment: BILLTOP, GENCDR, BENCH_RATE (paths, set by the Makefile),
# BENCH_ROWS, BENCH_CDRS_10M, BENCH_RUNS (timed runs per import side and per
# investigation side, median reported; default 3), BENCH_REBUILD, BENCH_INV,
# BENCH_CONC, BENCH_CONC_SECS (and concurrency.sh's other BENCH_CONC_*).
# Everything is written to out/ (gitignored). Needs sqlite3, python3 and
# /usr/bin/time; hyperfine if present (installed with apt-get when missing
# and running as root), else a loop of date +%s%N; python3-pandas for the
# investigation baseline (likewise).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
OUT=$HERE/out
ROWS=${BENCH_ROWS:-1000000}
QN=${BENCH_CDRS_10M:-10000000}
RUNS=${BENCH_RUNS:-3}
GENCDR=${GENCDR:-$OUT/gencdr}
BENCH_RATE=${BENCH_RATE:-$OUT/bench_rate}
ACCOUNTS="acme globex initech umbrella"
unset BILLTOP_DB BILLTOP_NOW
mkdir -p "$OUT"
status=0

die() { echo "bench: $*" >&2; exit 1; }
for t in sqlite3 python3 /usr/bin/time; do
	command -v "$t" >/dev/null 2>&1 || die "$t is required (scripts/deps.sh installs it)"
done
for n in "$ROWS" "$QN" "$RUNS"; do
	case $n in ''|*[!0-9]*) die "BENCH_ROWS, BENCH_CDRS_10M and BENCH_RUNS must be numbers";; esac
done
[ "$RUNS" -ge 1 ] || die "BENCH_RUNS must be at least 1"
[ -x "$GENCDR" ] || die "$GENCDR missing (make -C tests/bench builds it)"
[ -x "$BENCH_RATE" ] || die "$BENCH_RATE missing (make -C tests/bench builds it)"
# A private copy: other people's builds may replace ./billtop during the run.
cp "${BILLTOP:-$ROOT/billtop}" "$OUT/billtop" || die "no billtop binary (run make)"
B=$OUT/billtop

# ---- helpers ---------------------------------------------------------------

# median of the numbers given as arguments
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {if (NR%2) print v[(NR+1)/2]; else printf "%.3f\n", (v[NR/2]+v[NR/2+1])/2}'; }
maxof() { printf '%s\n' "$@" | sort -g | tail -n 1; }
# calc EXPR: awk arithmetic, printed with the format in $2 (default %.2f)
calc() { awk "BEGIN {printf \"${2:-%.2f}\", $1}"; }
# met COND-EXPR: "met" or "NOT met"
met() { awk "BEGIN {print (($1) ? \"met\" : \"NOT met\")}"; }
now_ns() { date +%s%N; }
mb() { calc "$1 / 1048576" "%.1f"; }

# timed OUTFILE CMD...: runs CMD with stdout+stderr to OUTFILE.log; sets
# T_S (wall seconds), T_KB (peak RSS, KiB) and T_CPU ("user U s, sys S s").
# Returns CMD's status.
timed() {
	o=$1; shift
	/usr/bin/time -f '%e %M %U %S' -o "$o.time" "$@" >"$o.log" 2>&1
	rc=$?
	T_S=$(awk 'END {print $1}' "$o.time")
	T_KB=$(awk 'END {print $2}' "$o.time")
	T_CPU=$(awk 'END {print "user " $3 " s, sys " $4 " s"}' "$o.time")
	return $rc
}

SUMMARY=$OUT/summary.txt
: >"$SUMMARY"
# row NAME VALUE [TARGET] [MET]
row() { printf '%-44s %16s  %-10s %s\n' "$1" "$2" "${3:-}" "${4:-}" >>"$SUMMARY"; }

echo "== billtop benchmarks $(date -u '+%Y-%m-%d %H:%M:%S') UTC"
echo "host: $(uname -srm), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "billtop: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null)$(git -C "$ROOT" diff --quiet HEAD -- core data tui 2>/dev/null || echo ' + uncommitted changes in core/ data/ tui/')"
echo "sqlite3: $(sqlite3 --version | cut -d' ' -f1)"
echo "rows $ROWS, query db ~$QN calls, $RUNS timed run(s) per import side"
T_ALL=$(now_ns)

# ---- 1. import -------------------------------------------------------------

echo
echo "== 1. import $ROWS Asterisk CDRs (billtop vs sqlite3 CLI baseline)"
CSV=$OUT/cdr_$ROWS.csv
if [ ! -s "$CSV" ]; then
	t=$(now_ns)
	"$GENCDR" "$ROWS" "$CSV.tmp" || die "gencdr failed"
	mv "$CSV.tmp" "$CSV" || die "cannot write $CSV"
	echo "generated $CSV in $(calc "($(now_ns) - $t) / 1e9") s"
fi
"$GENCDR" --deck 100 "$OUT/deck.csv" || die "gencdr --deck failed"
ln -sf "cdr_$ROWS.csv" "$OUT/big.csv"
BYTES=$(stat -L -c %s "$OUT/big.csv")
NLINES=$(wc -l <"$OUT/big.csv")
echo "input: big.csv -> cdr_$ROWS.csv, $NLINES rows, $(mb "$BYTES") MiB; deck.csv: $(($(wc -l <"$OUT/deck.csv") - 1)) prefixes"

setup_billtop() {
	rm -f "$1" "$1-wal" "$1-shm"
	"$B" --db "$1" init >/dev/null || return 1
	for a in $ACCOUNTS; do "$B" --db "$1" account add "$a" >/dev/null || return 1; done
	"$B" --db "$1" rates import "$OUT/deck.csv" --deck d >/dev/null || return 1
	for a in $ACCOUNTS; do "$B" --db "$1" account set "$a" --deck d >/dev/null || return 1; done
}

BT_S=; BT_KB=; BL_S=; BL_KB=
i=1
while [ "$i" -le "$RUNS" ]; do
	# billtop and baseline alternate, so load from other work hits both alike
	setup_billtop "$OUT/imp.db" || die "billtop setup failed"
	if ! timed "$OUT/imp" "$B" --db "$OUT/imp.db" import cdr "$OUT/big.csv" --quiet; then
		cat "$OUT/imp.log"; die "billtop import failed"
	fi
	BT_S="$BT_S $T_S"; BT_KB="$BT_KB $T_KB"
	echo "  run $i billtop:  $T_S s, peak $(calc "$T_KB / 1024" "%.1f") MiB ($T_CPU)"
	rm -f "$OUT/base.db" "$OUT/base.db-wal" "$OUT/base.db-shm"
	if ! (cd "$OUT" && timed "$OUT/base" sqlite3 -bail base.db ".read '$HERE/baseline_import.sql'"); then
		cat "$OUT/base.log"; die "baseline failed"
	fi
	T_S=$(awk 'END {print $1}' "$OUT/base.time"); T_KB=$(awk 'END {print $2}' "$OUT/base.time")
	T_CPU=$(awk 'END {print "user " $3 " s, sys " $4 " s"}' "$OUT/base.time")
	BL_S="$BL_S $T_S"; BL_KB="$BL_KB $T_KB"
	echo "  run $i baseline: $T_S s, peak $(calc "$T_KB / 1024" "%.1f") MiB ($T_CPU; $(awk '
		$1 == "phase" { if (p != "") { printf "%s%s %.1f", sep, p, ($3 - t) / 1e9; sep = ", " } p = $2; t = $3 }' "$OUT/base.log"))"
	i=$((i + 1))
done
sed -n 's/^.*(asterisk): /billtop: /p' "$OUT/imp.log"

# shellcheck disable=SC2086
{ BT=$(median $BT_S); BTKB=$(maxof $BT_KB); BL=$(median $BL_S); BLKB=$(maxof $BL_KB); }
BT_RPS=$(calc "$ROWS / $BT" "%.0f")
BT_MBS=$(calc "$BYTES / 1048576 / $BT" "%.1f")
BT_MB=$(calc "$BTKB / 1024" "%.1f")
RATIO=$(calc "$BL / $BT")
echo "billtop import:  $BT s (median of$BT_S), $BT_RPS rows/s, $BT_MBS MiB/s, peak RSS $BT_MB MiB (target < 64 MiB: $(met "$BT_MB < 64"))"
echo "baseline import: $BL s (median of$BL_S), peak RSS $(calc "$BLKB / 1024" "%.1f") MiB"
echo "ratio baseline/billtop: $RATIO (target >= 3.0: $(met "$RATIO >= 3.0"))"
echo "database size: billtop $(mb "$(stat -c %s "$OUT/imp.db")") MiB, baseline $(mb "$(stat -c %s "$OUT/base.db")") MiB (baseline keeps the raw import table too)"

# Same work? Total call cost from `billtop balance --format json` against the
# baseline's SUM(cost), both in nano-units; then rows and per-state counts.
"$B" --db "$OUT/imp.db" balance --format json >"$OUT/balance.json" || die "billtop balance failed"
BT_COST=$(python3 -c '
import json, sys
from decimal import Decimal
d = json.load(open(sys.argv[1]))
d = d if isinstance(d, list) else [d]
print(int(sum(Decimal(a["breakdown"]["calls"]) for a in d) * 10**9))' "$OUT/balance.json") || die "cannot read balance JSON"
(cd "$OUT" && sqlite3 -bail base.db ".read '$HERE/baseline_check.sql'") >"$OUT/base_check.txt" || die "baseline check failed"
bget() { awk -v k="$1" '$1 == k {sub(/^[^ ]* /, ""); print}' "$OUT/base_check.txt"; }
BL_COST=$(bget cost_nano)
BT_STATES=$(sqlite3 "$OUT/imp.db" "SELECT group_concat(state || ':' || k, ' ') FROM (SELECT state, count(*) AS k FROM cdr GROUP BY state ORDER BY state)")
BT_ROWS=$(sqlite3 "$OUT/imp.db" "SELECT count(*) FROM cdr")
fmt_nano() { python3 -c 'import sys; from decimal import Decimal; print(Decimal(int(sys.argv[1])) / 10**9)' "$1"; }
echo "total call cost: billtop $(fmt_nano "$BT_COST") (balance JSON), baseline $(fmt_nano "$BL_COST") (SUM(cost))"
echo "rows: billtop $BT_ROWS, baseline $(bget rows); states (0 rated 1 unrated 2 not connected 3 extra leg 4 emergency): billtop $BT_STATES | baseline $(bget states)"
[ "$(bget bad_dst)" = 0 ] && [ "$(bget long_prefix)" = 0 ] ||
	echo "WARNING: baseline assumptions broken: $(bget bad_dst) destinations with characters other than digits and '+', $(bget long_prefix) deck prefixes longer than 6 digits"
# hourly rollup cells (by account name and hour) that differ or exist on one side only
ROLL_DIFF=$(sqlite3 "$OUT/imp.db" "ATTACH '$OUT/base.db' AS b;
	WITH t AS (SELECT a.name, r.hour, r.calls, r.connected, r.billsec_ms, r.billed_secs, r.cost_calls
	           FROM rollup_hour r JOIN account a ON a.id = r.account_id),
	     u AS (SELECT a.name, r.hour, r.calls, r.connected, r.billsec_ms, r.billed_secs, r.cost_calls
	           FROM b.rollup_hour r JOIN b.account a ON a.id = r.account_id)
	SELECT (SELECT count(*) FROM (SELECT * FROM t EXCEPT SELECT * FROM u))
	     + (SELECT count(*) FROM (SELECT * FROM u EXCEPT SELECT * FROM t));")
echo "hourly rollup cells that differ: ${ROLL_DIFF:-?} (of $(bget rollup_hours | cut -d' ' -f1) in the baseline)"
if [ "$BT_COST" = "$BL_COST" ] && [ "$BT_ROWS" = "$(bget rows)" ] && [ "$BT_STATES" = "$(bget states)" ] &&
   [ "$ROLL_DIFF" = 0 ]; then
	SAME=yes
	echo "same work: yes (equal total cost, rows, states and hourly rollups)"
else
	SAME=NO
	status=1
	echo "same work: NO. First records that differ (record_id, billtop state/prefix/billed/cost | baseline):"
	sqlite3 "$OUT/imp.db" "ATTACH '$OUT/base.db' AS b;
		SELECT c.record_id, c.state, c.prefix, c.billed_secs, c.cost, '|', x.state, x.prefix, x.billed_secs, x.cost
		FROM cdr c LEFT JOIN b.cdr x ON x.record_id = c.record_id
		WHERE x.id IS NULL OR x.cost != c.cost OR x.state != c.state OR x.billed_secs != c.billed_secs
		   OR x.prefix IS NOT c.prefix LIMIT 10;"
fi

# ---- 2. rating -------------------------------------------------------------

echo
echo "== 2. rating (bench_rate, in memory, one core)"
"$BENCH_RATE" >"$OUT/bench_rate.log" 2>&1 || { cat "$OUT/bench_rate.log"; die "bench_rate failed"; }
sed 's/^/  /' "$OUT/bench_rate.log"
R100K=$(awk '$1 == "rate_100k_deck:" {print $2; exit}' "$OUT/bench_rate.log")
R10=$(awk '$1 == "rate_10_deck:" {print $2; exit}' "$OUT/bench_rate.log")
echo "100k deck: ${R100K:-?} M calls/s (target >= 5: $(met "${R100K:-0} >= 5"))"

# ---- 3. query latency ------------------------------------------------------

echo
echo "== 3. query latency on a ~$QN-call demo database"
if [ "$QN" = 10000000 ]; then QDB=$OUT/10m.db; else QDB=$OUT/q_$QN.db; fi
# the demo makes ~134,196 calls at --scale 1 over 92 days
SCALE=$(calc "$QN / 134196 < 1.5 ? 1 : int($QN / 134196 + 0.5)" "%d")
DAYS=$(calc "int($QN * 92 / (134196 * $SCALE) + 0.5)" "%d")
[ "$DAYS" -lt 1 ] && DAYS=1
[ "$DAYS" -gt 3660 ] && DAYS=3660
rm -f "$OUT/probe.db"*
"$B" --db "$OUT/probe.db" init >/dev/null || die "billtop init failed"
WANT_SCHEMA=$(sqlite3 "$OUT/probe.db" .schema | cksum)
reason=
if [ "${BENCH_REBUILD:-0}" = 1 ]; then reason="BENCH_REBUILD=1"
elif [ ! -s "$QDB" ]; then reason="not built yet"
elif [ "$(cat "$QDB.params" 2>/dev/null)" != "--scale $SCALE --days $DAYS" ]; then reason="built with other parameters"
elif [ "$(sqlite3 "$QDB" .schema 2>/dev/null | cksum)" != "$WANT_SCHEMA" ]; then reason="its schema is not the one this billtop creates"
fi
if [ -n "$reason" ]; then
	echo "building $(basename "$QDB") ($reason): billtop demo --scale $SCALE --days $DAYS"
	rm -f "$QDB" "$QDB-wal" "$QDB-shm" "$QDB.tmp" "$QDB.tmp-wal" "$QDB.tmp-shm" "$QDB.params"
	if ! timed "$OUT/qbuild" "$B" --db "$QDB.tmp" demo --scale "$SCALE" --days "$DAYS" --quiet; then
		cat "$OUT/qbuild.log"; die "demo build failed"
	fi
	mv "$QDB.tmp" "$QDB" && echo "--scale $SCALE --days $DAYS" >"$QDB.params"
	QB_S=$T_S; QB_MB=$(calc "$T_KB / 1024" "%.1f")
	echo "built in $QB_S s, peak RSS $QB_MB MiB"
else
	QB_S=; echo "reusing $(basename "$QDB") (--scale $SCALE --days $DAYS; BENCH_REBUILD=1 rebuilds)"
fi
QCOUNT=$(sqlite3 "$QDB" "SELECT count(*) FROM cdr")
echo "calls in $(basename "$QDB"): $QCOUNT; file $(mb "$(stat -c %s "$QDB")") MiB"

if ! command -v hyperfine >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "installing hyperfine (apt-get)"
	apt-get install -y hyperfine >/dev/null 2>&1 || echo "apt-get install hyperfine failed; timing with a shell loop"
fi

# qtime LABEL ARGS...: median wall ms of `billtop --db QDB ARGS` over 20 runs
qtime() {
	label=$1; shift
	"$B" --db "$QDB" "$@" >"$OUT/q_$label.out" 2>&1 || { cat "$OUT/q_$label.out"; die "billtop $* failed"; }
	if command -v hyperfine >/dev/null 2>&1; then
		hyperfine -N --style none --warmup 3 --runs 20 --export-json "$OUT/q_$label.json" \
			"$B --db $QDB $*" >/dev/null 2>&1 || die "hyperfine failed"
		Q_MS=$(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print("%.2f %.2f %.2f" % (r["median"] * 1e3, r["min"] * 1e3, r["max"] * 1e3))' "$OUT/q_$label.json")
		Q_HOW="hyperfine, 20 runs after 3 warm-ups"
	else
		ts=
		for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
			t0=$(now_ns); "$B" --db "$QDB" "$@" >/dev/null 2>&1; t1=$(now_ns)
			ts="$ts $(calc "($t1 - $t0) / 1e6")"
		done
		# shellcheck disable=SC2086
		Q_MS="$(median $ts) $(printf '%s\n' $ts | sort -g | head -n 1) $(maxof $ts)"
		Q_HOW="shell loop of 20 runs (date +%s%N)"
	fi
	# shellcheck disable=SC2086 # three numbers, split on purpose
	set -- $Q_MS
	Q_MED=$1
	echo "$label: median $1 ms (min $2, max $3; $Q_HOW) (target < 50 ms: $(met "$1 < 50"))"
}
qtime balance balance acme-voip
QBAL=$Q_MED
qtime usage_month usage acme-voip --window month
QUSE=$Q_MED

# ---- 4. console latency on the same database ---------------------------------

if command -v tmux >/dev/null 2>&1; then
	BILLTOP=$B sh "$HERE/console.sh" "$QDB" >"$OUT/console.txt" 2>&1
	cat "$OUT/console.txt"
	cval() { awk -v k="$1" '$1 == "CONSOLE" && $2 == k { print $3 }' "$OUT/console.txt"; }
	C_START=$(cval startup_ms); C_MED=$(cval key_median_ms); C_MAX=$(cval key_max_ms); C_PAGE=$(cval cdr_page_max_ms)
else
	echo "tmux missing: console latency not measured"
fi

# ---- 5. dispute investigation ------------------------------------------------

if [ "${BENCH_INV:-1}" != 0 ]; then
	echo
	echo "== 5. investigate: $ROWS of our calls against $((ROWS * 6 / 10)) of theirs (billtop vs pandas)"
	BILLTOP=$B GENCDR=$GENCDR BENCH_ROWS=$ROWS BENCH_RUNS=$RUNS sh "$HERE/investigate.sh" >"$OUT/investigate.txt" 2>&1
	inv_rc=$?
	grep -v '^INVESTIGATE ' "$OUT/investigate.txt"
	[ $inv_rc = 0 ] || { status=1; echo "investigate.sh failed (status $inv_rc)"; }
	ival() { awk -v k="$1" '$1 == "INVESTIGATE" && $2 == k { print $3 }' "$OUT/investigate.txt"; }
	I_OURS=$(ival ours); I_THEIRS=$(ival theirs); I_BS=$(ival billtop_s); I_BM=$(ival billtop_mib)
	I_PS=$(ival pandas_s); I_PM=$(ival pandas_mib); I_RT=$(ival ratio_time); I_RM=$(ival ratio_mem)
	I_SAME=$(ival same_input); I_FOUND=$(ival same_findings); I_MATCHED=$(ival matched)
fi

# ---- 6. live feed and concurrency ---------------------------------------------

if [ "${BENCH_CONC:-1}" != 0 ]; then
	echo
	echo "== 6. live feed: ingest --follow at ${BENCH_CONC_RATE:-2000} CDRs/s for ${BENCH_CONC_SECS:-60} s, four readers polling"
	if command -v tmux >/dev/null 2>&1; then
		BILLTOP=$B GENCDR=$GENCDR sh "$HERE/concurrency.sh" >"$OUT/concurrency.txt" 2>&1
		conc_rc=$?
		grep -v '^CONC ' "$OUT/concurrency.txt"
		[ $conc_rc = 0 ] || { status=1; echo "concurrency.sh failed (status $conc_rc)"; }
		kval() { awk -v k="$1" '$1 == "CONC" && $2 == k { print $3 }' "$OUT/concurrency.txt"; }
		K_RATE=$(kval run_rate); K_POLLS=$(kval run_polls); K_BUSY=$(kval run_busy); K_ERR=$(kval run_errors)
		K_SMAX=$(kval run_stale_max_ms); K_SP99=$(kval run_stale_p99_ms); K_REC=$(kval records)
		K_LOST=$(kval lost_ok); K_LAG=$(kval run_writer_lag_p99_ms); K_BLAG=$(kval base_writer_writer_lag_p99_ms)
		K_CAP=$(kval cap_rps)
	else
		echo "tmux missing: the live-feed section needs it for the console readers"
	fi
fi

# ---- 6b. import against the reference build ------------------------------------

if [ "${BENCH_REFCMP:-1}" != 0 ]; then
	echo
	echo "== 6b. import against the build before issue 9's readers (target: within 5 %)"
	BILLTOP=$B GENCDR=$GENCDR BENCH_ROWS=$ROWS BENCH_RUNS=$RUNS sh "$HERE/import_ref.sh" >"$OUT/import_ref.txt" 2>&1
	ref_rc=$?
	cat "$OUT/import_ref.txt"
	[ $ref_rc = 0 ] || { status=1; echo "import_ref.sh failed (status $ref_rc)"; }
	REF_LINE=$(sed -n 's/^import-ref: //p' "$OUT/import_ref.txt")
	DRY_LINE=$(sed -n 's/^import-dry-run: //p' "$OUT/import_ref.txt")
	INS_LINE=$(sed -n 's/^import-instructions: //p' "$OUT/import_ref.txt")
fi

# ---- 6c. re-rating against importing ------------------------------------------
if [ "${BENCH_RERATE:-1}" != 0 ]; then
	echo
	echo "== 6c. rerate $ROWS calls on a corrected deck against importing them"
	OUT=$OUT BENCH_ROWS=$ROWS BENCH_RUNS=$RUNS BILLTOP=$B GENCDR=$GENCDR sh "$HERE/rerate.sh" | tee "$OUT/rerate.out" ||
		{ echo "bench: rerate section failed" >&2; status=1; }
	RR_LINE=$(grep '^RERATE ' "$OUT/rerate.out")
	rrget() { echo "$RR_LINE" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
fi

# ---- 7. summary ------------------------------------------------------------

row "import: rows" "$ROWS"
row "import: billtop seconds (median)" "$BT"
row "import: billtop rows/s" "$BT_RPS"
row "import: billtop MiB/s" "$BT_MBS"
row "import: billtop peak RSS MiB" "$BT_MB" "< 64" "$(met "$BT_MB < 64")"
row "import: baseline (sqlite3 CLI) seconds" "$BL"
row "import: ratio baseline/billtop" "$RATIO" ">= 3.0" "$(met "$RATIO >= 3.0")"
row "import: same total cost (same work)" "$SAME"
if [ -n "${RR_LINE:-}" ]; then
	row "rerate: import seconds (same run)" "$(rrget import_s)"
	row "rerate: rerate --all seconds" "$(rrget rerate_s)"
	row "rerate: ratio import/rerate" "$(rrget ratio)" ">= 2.0" "$(met "$(rrget ratio) >= 2.0")"
	row "rerate: again (nothing changes) seconds" "$(rrget again_s)"
fi
row "rating: 100k deck M calls/s" "${R100K:-?}" ">= 5" "$(met "${R100K:-0} >= 5")"
row "rating: 10-row deck M calls/s" "${R10:-?}"
row "query db calls" "$QCOUNT"
[ -n "$QB_S" ] && row "query db build seconds (demo)" "$QB_S"
row "query: balance acme-voip median ms" "$QBAL" "< 50" "$(met "$QBAL < 50")"
row "query: usage --window month median ms" "$QUSE" "< 50" "$(met "$QUSE < 50")"
[ -n "${C_START:-}" ] && {
	row "console: drawn after start, ms" "$C_START" "< 200" "$(met "$C_START < 200")"
	row "console: key to screen, median ms" "$C_MED"
	row "console: key to screen, max ms" "$C_MAX" "< 16" "$(met "$C_MAX < 16")"
	row "console: CDR list page (to the end), max ms" "$C_PAGE" "< 16" "$(met "$C_PAGE < 16")"
}
[ -n "${I_BS:-}" ] && {
	row "investigate: calls ours / theirs" "$I_OURS / $I_THEIRS"
	row "investigate: billtop seconds, 4 accounts (median)" "$I_BS"
	row "investigate: billtop peak RSS MiB" "$I_BM"
	[ -n "$I_PS" ] && {
		row "investigate: pandas seconds (median)" "$I_PS"
		row "investigate: pandas peak RSS MiB" "$I_PM"
		row "investigate: ratio time pandas/billtop" "$I_RT" ">= 5" "$(met "$I_RT >= 5")"
		row "investigate: ratio peak memory pandas/billtop" "$I_RM" ">= 5" "$(met "$I_RM >= 5")"
		row "investigate: same input / worst day and hour" "$I_SAME / $I_FOUND"
		row "investigate: matched pairs billtop/pandas" "$I_MATCHED"
	}
}
[ -n "${K_RATE:-}" ] && {
	row "live feed: CDRs/s appended (target 2000)" "$K_RATE"
	row "live feed: reader polls (4 readers)" "$K_POLLS"
	row "live feed: reader errors / busy errors" "$K_ERR / $K_BUSY" "0" "$(met "${K_BUSY:-1} == 0 && ${K_ERR:-1} == 0")"
	row "live feed: staleness p99 ms (all readers)" "$K_SP99"
	row "live feed: staleness max ms (all readers)" "$K_SMAX" "<= 1000" "$(met "${K_SMAX:-99999} <= 1000")"
	row "live feed: commit lag p99 ms, with readers" "$K_LAG"
	[ -n "$K_BLAG" ] && row "live feed: commit lag p99 ms, writer alone" "$K_BLAG"
	row "live feed: follower capacity rows/s" "$K_CAP"
	row "live feed: records checked, nothing lost" "$K_REC $K_LOST"
}
[ -n "${REF_LINE:-}" ] && echo "import vs reference: $REF_LINE" >>"$SUMMARY"
[ -n "${INS_LINE:-}" ] && echo "import instructions vs reference: $INS_LINE" >>"$SUMMARY"
[ -n "${DRY_LINE:-}" ] && echo "import --dry-run: $DRY_LINE" >>"$SUMMARY"
row "bench wall seconds" "$(calc "($(now_ns) - $T_ALL) / 1e9" "%.0f")"

echo
echo "== summary (targets are reported, not enforced)"
printf '%-44s %16s  %-10s %s\n' "metric" "value" "target" "met"
cat "$SUMMARY"
exit $status
