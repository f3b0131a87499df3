#!/bin/sh
# investigate.sh: the dispute-investigation bench (issue 4), run by run.sh
# (section 5) or alone: BILLTOP=... GENCDR=... sh investigate.sh
#
# Reconciling BENCH_ROWS (default 1,000,000) of our CDRs against 60 % as
# many of theirs (600,000) with a 2 s clock jitter, billtop against a
# hand-written pandas script (baseline_investigate.py) in the same run.
#
#  - our side: the import section's database (out/imp.db, BENCH_ROWS
#    Asterisk CDRs over four accounts and ~90 days), copied to out/inv.db
#    since every investigation is saved as a case; built here (gencdr +
#    import) when it is missing or holds another number of calls.
#  - their side: theirs.sql writes one generic CSV per account from those
#    calls (which calls, the jitter and what there is to find: see there).
#  - billtop: `billtop investigate ACCOUNT --theirs theirs_ACCOUNT.csv
#    --from DAY --to DAY --report json -o FILE` for each of the four
#    accounts, one process each (a dispute is one account); the run's time
#    is the sum of the four, its memory the largest peak RSS of the four.
#  - pandas: one process doing the same four accounts in turn (pandas is
#    imported once), from our export made beforehand and not timed
#    (`billtop cdrs ACCOUNT --from DAY --to DAY --format csv`, what an
#    analyst would take from billtop) and their CSV; wall time and peak RSS
#    of the whole process. Its own split (import, read, totals, join) is
#    printed too.
#  - BENCH_RUNS (default 3) runs, billtop and pandas alternating; medians of
#    the run times, the largest peak RSS.
#  - same work: both sides' call and connected counts and total cost per
#    account must be equal (exit status 1 otherwise), and the worst day and
#    hour are printed side by side, with matched pairs and unmatched calls:
#    these differ a little, since merge_asof is not one-to-one (see the
#    explanation printed).
# Prints lines "INVESTIGATE key value" for run.sh's summary. Needs sqlite3,
# /usr/bin/time and python3 with pandas (python3-pandas, installed with
# apt-get when missing and running as root); without pandas billtop is
# still measured. Everything is written to out/.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
OUT=$HERE/out
ROWS=${BENCH_ROWS:-1000000}
RUNS=${BENCH_RUNS:-3}
ACCOUNTS="acme globex initech umbrella"
unset BILLTOP_DB BILLTOP_NOW
mkdir -p "$OUT"
status=0

die() { echo "bench investigate: $*" >&2; exit 1; }
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {if (NR%2) print v[(NR+1)/2]; else printf "%.3f\n", (v[NR/2]+v[NR/2+1])/2}'; }
maxof() { printf '%s\n' "$@" | sort -g | tail -n 1; }
calc() { awk "BEGIN {printf \"${2:-%.2f}\", $1}"; }
met() { awk "BEGIN {print (($1) ? \"met\" : \"NOT met\")}"; }
mib() { calc "$1 / 1024" "%.1f"; }
# timed OUTFILE CMD...: as in run.sh; sets T_S (wall s) and T_KB (peak RSS KiB)
timed() {
	o=$1; shift
	/usr/bin/time -f '%e %M %U %S' -o "$o.time" "$@" >"$o.log" 2>&1
	rc=$?
	T_S=$(awk 'END {print $1}' "$o.time")
	T_KB=$(awk 'END {print $2}' "$o.time")
	return $rc
}

for t in sqlite3 /usr/bin/time; do
	command -v "$t" >/dev/null 2>&1 || die "$t is required (scripts/deps.sh installs it)"
done
case $ROWS in ''|*[!0-9]*) die "BENCH_ROWS must be a number";; esac
case $RUNS in ''|*[!0-9]*|0) die "BENCH_RUNS must be a number >= 1";; esac
# A private copy: other people's builds may replace ./billtop during the run.
cp "${BILLTOP:-$ROOT/billtop}" "$OUT/billtop.inv" || die "no billtop binary (run make)"
B=$OUT/billtop.inv
NT=$((ROWS * 6 / 10))       # their calls
NF=$((NT / 60))             # ... of which failed attempts

# ---- python with pandas ------------------------------------------------------

PY=
find_py() {
	for p in ${BENCH_PYTHON:-} python3 /usr/bin/python3; do
		if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import pandas' >/dev/null 2>&1; then
			PY=$(command -v "$p"); return 0
		fi
	done
	return 1
}
if ! find_py && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "installing python3-pandas (apt-get)"
	apt-get install -y python3-pandas >/dev/null 2>&1 || echo "apt-get install python3-pandas failed"
	find_py
fi
[ -n "$PY" ] && echo "pandas: $PY, pandas $("$PY" -c 'import pandas, numpy; print(pandas.__version__ + ", numpy " + numpy.__version__)')" ||
	echo "pandas missing (apt-get install python3-pandas): billtop alone is measured"

# ---- our side ------------------------------------------------------------------

DB=$OUT/inv.db
have=$(sqlite3 "$OUT/imp.db" "SELECT count(*) FROM cdr" 2>/dev/null)
if [ "$have" != "$ROWS" ]; then
	echo "building imp.db ($ROWS calls; it holds ${have:-none}): gencdr + billtop import"
	GENCDR=${GENCDR:-$OUT/gencdr}
	[ -x "$GENCDR" ] || die "$GENCDR missing (make -C tests/bench tools)"
	CSV=$OUT/cdr_$ROWS.csv
	if [ ! -s "$CSV" ]; then
		"$GENCDR" "$ROWS" "$CSV.tmp" && mv "$CSV.tmp" "$CSV" || die "gencdr failed"
	fi
	"$GENCDR" --deck 100 "$OUT/deck.csv" || die "gencdr --deck failed"
	rm -f "$OUT/imp.db" "$OUT/imp.db-wal" "$OUT/imp.db-shm"
	{ "$B" --db "$OUT/imp.db" init && for a in $ACCOUNTS; do "$B" --db "$OUT/imp.db" account add "$a" || exit 1; done &&
	  "$B" --db "$OUT/imp.db" rates import "$OUT/deck.csv" --deck d &&
	  for a in $ACCOUNTS; do "$B" --db "$OUT/imp.db" account set "$a" --deck d || exit 1; done &&
	  "$B" --db "$OUT/imp.db" import cdr "$CSV" --quiet; } >"$OUT/inv_build.log" 2>&1 ||
		{ cat "$OUT/inv_build.log"; die "building imp.db failed"; }
fi
rm -f "$DB" "$DB-wal" "$DB-shm"
sqlite3 "$OUT/imp.db" ".backup '$DB'" || die "cannot copy imp.db"
# the period: every UTC day with a call of ours
FROM=$(sqlite3 "$DB" "SELECT date(min(start), 'unixepoch') FROM cdr")
TO=$(sqlite3 "$DB" "SELECT date(max(start), 'unixepoch', '+1 day') FROM cdr")
NOURS=$(sqlite3 "$DB" "SELECT count(*) FROM cdr WHERE state != 3")

# ---- their side and our export (not timed) -------------------------------------

t0=$(date +%s%N)
rm -f "$OUT"/theirs_*.csv "$OUT/theirs_cmds.sql"
(cd "$OUT" && sqlite3 -bail -cmd ".parameter set @n $NT" -cmd ".parameter set @f $NF" inv.db \
	".read '$HERE/theirs.sql'") || die "theirs.sql failed"
for a in $ACCOUNTS; do
	[ -s "$OUT/theirs_$a.csv" ] || die "theirs.sql wrote no theirs_$a.csv"
	"$B" --db "$DB" cdrs "$a" --from "$FROM" --to "$TO" --format csv -o "$OUT/ours_$a.csv" >/dev/null 2>&1 ||
		die "billtop cdrs $a failed"
done
NTH=0
for a in $ACCOUNTS; do NTH=$((NTH + $(wc -l <"$OUT/theirs_$a.csv") - 1)); done
echo "input: $NOURS of our calls ($FROM to $TO), $NTH of theirs in $(echo $ACCOUNTS | wc -w) files" \
     "($(calc "$(cat "$OUT"/theirs_*.csv | wc -c) / 1048576" "%.1f") MiB); our export for pandas" \
     "$(calc "$(cat "$OUT"/ours_*.csv | wc -c) / 1048576" "%.1f") MiB; made in $(calc "($(date +%s%N) - $t0) / 1e9") s"

# ---- timed runs ----------------------------------------------------------------

PARGS=
for a in $ACCOUNTS; do PARGS="$PARGS $OUT/ours_$a.csv $OUT/theirs_$a.csv"; done
BT_S=; BT_KB=; PD_S=; PD_KB=
i=1
while [ "$i" -le "$RUNS" ]; do
	tot=0; peak=0; per=
	for a in $ACCOUNTS; do
		if ! timed "$OUT/inv_$a" "$B" --db "$DB" investigate "$a" --theirs "$OUT/theirs_$a.csv" \
		        --from "$FROM" --to "$TO" --report json -o "$OUT/inv_$a.json"; then
			cat "$OUT/inv_$a.log"; die "billtop investigate $a failed"
		fi
		tot=$(calc "$tot + $T_S" "%.2f"); [ "$T_KB" -gt "$peak" ] && peak=$T_KB
		per="$per $a $T_S s $(mib "$T_KB") MiB,"
	done
	BT_S="$BT_S $tot"; BT_KB="$BT_KB $peak"
	per=${per# }
	echo "  run $i billtop: $tot s, peak $(mib "$peak") MiB (${per%,})"
	if [ -n "$PY" ]; then
		# shellcheck disable=SC2086 # file names without blanks, split on purpose
		if ! timed "$OUT/inv_pandas" "$PY" "$HERE/baseline_investigate.py" $PARGS; then
			cat "$OUT/inv_pandas.log"; die "baseline_investigate.py failed"
		fi
		PD_S="$PD_S $T_S"; PD_KB="$PD_KB $T_KB"
		echo "  run $i pandas:  $T_S s, peak $(mib "$T_KB") MiB ($(awk '$1 == "time" && $2 != "account" {printf "%s%s %s s", s, $2, $3; s = ", "}' "$OUT/inv_pandas.log"); this run's ratio $(calc "$T_S / $tot"))"
	fi
	i=$((i + 1))
done
sed -n 's/^case [0-9]* saved (verdict [a-z_]*): /billtop acme: /p' "$OUT/inv_acme.log"

# shellcheck disable=SC2086
{ BT=$(median $BT_S); BTKB=$(maxof $BT_KB); }
echo "billtop: $BT s (median of$BT_S), peak RSS $(mib "$BTKB") MiB"
echo "INVESTIGATE ours $NOURS"
echo "INVESTIGATE theirs $NTH"
echo "INVESTIGATE billtop_s $BT"
echo "INVESTIGATE billtop_mib $(mib "$BTKB")"
[ -n "$PY" ] || exit $status

# shellcheck disable=SC2086
{ PD=$(median $PD_S); PDKB=$(maxof $PD_KB); }
RT=$(calc "$PD / $BT"); RM=$(calc "$PDKB / $BTKB")
echo "pandas:  $PD s (median of$PD_S), peak RSS $(mib "$PDKB") MiB"
echo "ratio pandas/billtop: time $RT (target >= 5: $(met "$RT >= 5")), peak memory $RM (target >= 5: $(met "$RM >= 5"))"

# ---- the same work? --------------------------------------------------------------

# per account: billtop's figures from its JSON report, pandas' from its output
"$PY" - "$OUT" $ACCOUNTS >"$OUT/inv_check.txt" <<'EOF' || die "cannot compare the findings"
import json, sys
from decimal import Decimal
out, accounts = sys.argv[1], sys.argv[2:]
pd = {}
for line in open(out + "/inv_pandas.log"):
    f = line.split()
    if len(f) == 3 and f[0] in accounts:
        pd.setdefault(f[0], {})[f[1]] = f[2]
same_input = same_found = True
tot = {k: 0 for k in ("bm", "pm", "bo", "po", "bt", "pt", "sh", "bl", "pl")}
print("%-9s %15s %15s %21s %21s %17s %17s" % ("account", "calls ours", "calls theirs", "worst day", "worst hour",
      "matched", "unmatched ours"))
print("%-9s %15s %15s %21s %21s %17s %17s" % ("", "billtop/pandas", "billtop/pandas", "billtop/pandas",
      "billtop/pandas", "billtop/pandas", "billtop/pandas"))
for a in accounts:
    j, p = json.load(open("%s/inv_%s.json" % (out, a))), pd[a]
    t = j["totals"]
    cost_b = (Decimal(t["cost_ours"]), Decimal(t["cost_theirs"]))
    cost_p = (Decimal(p["cost_ours"]), Decimal(p["cost_theirs"]))
    if (j["ours"]["calls"] != int(p["rows_ours"]) or j["theirs"]["calls"] != int(p["rows_theirs"]) or
            t["connected_ours"] != int(p["connected_ours"]) or t["connected_theirs"] != int(p["connected_theirs"]) or
            abs(cost_b[0] - cost_p[0]) > Decimal("0.0001") or abs(cost_b[1] - cost_p[1]) > Decimal("0.0001")):
        same_input = False
        print("%s: NOT the same input: billtop %s %s %s %s %s %s | pandas %s" % (a, j["ours"]["calls"],
              j["theirs"]["calls"], t["connected_ours"], t["connected_theirs"], cost_b[0], cost_b[1], p))
    wd = j["worst_day"]["date"] if j["worst_day"] else "-"
    wh = j["worst_hour"]["hour"] if j["worst_hour"] else "-"
    if wd != p["worst_day"] or wh != p["worst_hour"]:
        same_found = False
    print("%-9s %15s %15s %21s %21s %17s %17s" % (a, "%d/%s" % (j["ours"]["calls"], p["rows_ours"]),
          "%d/%s" % (j["theirs"]["calls"], p["rows_theirs"]), "%s/%s" % (wd[5:], p["worst_day"][5:]),
          "%s/%s" % (wh[5:13], p["worst_hour"][5:13]), "%d/%s" % (j["matched"], p["matched"]),
          "%d/%s" % (j["unmatched"]["ours"], p["unmatched_ours"])))
    tot["bm"] += j["matched"]; tot["pm"] += int(p["matched"])
    tot["bo"] += j["unmatched"]["ours"]; tot["po"] += int(p["unmatched_ours"])
    tot["bt"] += j["unmatched"]["theirs"]; tot["pt"] += int(p["unmatched_theirs"])
    tot["sh"] += int(p["shared_matches"])
    tot["bl"] += len(j["missing_theirs"]); tot["pl"] += int(p["missing_theirs_in_hour"])
print("matched pairs: billtop %d, pandas %d (%+.2f %%); unmatched ours: billtop %d, pandas %d; unmatched "
      "theirs: billtop %d, pandas %d; our connected calls they lack in the worst hour: billtop %d, pandas %d"
      % (tot["bm"], tot["pm"], 100.0 * (tot["pm"] - tot["bm"]) / max(tot["bm"], 1), tot["bo"], tot["po"],
         tot["bt"], tot["pt"], tot["bl"], tot["pl"]))
print("why they differ: merge_asof gives each of our calls the nearest call of theirs to the same number "
      "within 5 s, whether or not another call of ours took it (%d of pandas' matches share a call of theirs "
      "with another match, so %d of theirs are left unmatched), and it ignores the calling number: our failed "
      "attempts and calls to one of our own numbers find their neighbours' records. billtop pairs one-to-one, "
      "best pair first, with the calling number checked." % (tot["sh"], tot["pt"]))
print("CHECK same_input %s" % ("yes" if same_input else "NO"))
print("CHECK same_findings %s" % ("yes" if same_found else "NO"))
print("CHECK matched %d %d" % (tot["bm"], tot["pm"]))
print("CHECK lack %d %d" % (tot["bl"], tot["pl"]))
print("CHECK unmatched_theirs %d %d" % (tot["bt"], tot["pt"]))
EOF
grep -v '^CHECK' "$OUT/inv_check.txt"
if [ "${BENCH_INV_EXACT:-1}" != 0 ]; then
	# shellcheck disable=SC2086
	if BASELINE_BY_SRC=1 timed "$OUT/inv_pandas_src" "$PY" "$HERE/baseline_investigate.py" $PARGS; then
		echo "the same pandas join by dst and src (untimed, $T_S s): matched $(awk '$2 == "matched" {n += $3} END {print n}' "$OUT/inv_pandas_src.log")," \
		     "unmatched theirs $(awk '$2 == "unmatched_theirs" {n += $3} END {print n}' "$OUT/inv_pandas_src.log")," \
		     "our connected calls they lack in the worst hour $(awk '$2 == "missing_theirs_in_hour" {n += $3} END {print n}' "$OUT/inv_pandas_src.log")" \
		     "(billtop: $(awk '$2 == "matched" {print $3}' "$OUT/inv_check.txt"), $(awk '$2 == "unmatched_theirs" {print $3}' "$OUT/inv_check.txt"), $(awk '$2 == "lack" {print $3}' "$OUT/inv_check.txt"))"
	else
		echo "the pandas join by dst and src failed (see $OUT/inv_pandas_src.log)"
	fi
fi
SAME_IN=$(awk '$2 == "same_input" {print $3}' "$OUT/inv_check.txt")
SAME_FOUND=$(awk '$2 == "same_findings" {print $3}' "$OUT/inv_check.txt")
[ "$SAME_IN" = yes ] || status=1
echo "same input (calls, connected and cost of each side, per account): $SAME_IN;" \
     "same worst day and hour: $SAME_FOUND"
echo "INVESTIGATE pandas_s $PD"
echo "INVESTIGATE pandas_mib $(mib "$PDKB")"
echo "INVESTIGATE ratio_time $RT"
echo "INVESTIGATE ratio_mem $RM"
echo "INVESTIGATE same_input $SAME_IN"
echo "INVESTIGATE same_findings $SAME_FOUND"
echo "INVESTIGATE matched $(awk '$2 == "matched" {print $3 "/" $4}' "$OUT/inv_check.txt")"
exit $status
