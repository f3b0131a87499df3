#!/bin/sh
# pg_import.sh: issue 12's import target on PostgreSQL. BENCH_ROWS (default
# 1,000,000) Asterisk CDRs from gencdr imported by `billtop import cdr` into a
# fresh PostgreSQL store, against the baseline: psql's \copy into a staging
# table plus SQL doing the same rating, rollups and indexes
# (pg_baseline_import.sql), each on a fresh database of a throwaway cluster
# (scripts/pg-cluster.sh) started here. Runs alternate (BENCH_RUNS, default
# 1; medians). Target: billtop at least 2x faster (ratio baseline/billtop
# >= 2.0) with a peak RSS under 64 MB.
#
# Both sides run on the same cluster with the same settings (printed: the
# defaults of initdb, plus scripts/pg-cluster.sh's fsync=off; synchronous_commit
# stays on), each on a fresh database.
#
# Environment: BILLTOP (default ../../billtop), GENCDR (out/gencdr),
# BENCH_ROWS, BENCH_RUNS, BENCH_PG_DIR (cluster directory, default
# out/pgbench), PG_PORT (the cluster's port, default 5432). Prints both
# times, each run's ratio, the ratio of the medians, billtop's peak RSS and
# the load average before and after; never
# fails on a timing, only when something cannot run or the two disagree on
# the rows stored or their total cost.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
OUT=$HERE/out
ROWS=${BENCH_ROWS:-1000000}
RUNS=${BENCH_RUNS:-1}
B=${BILLTOP:-$ROOT/billtop}
GENCDR=${GENCDR:-$OUT/gencdr}
DIR=${BENCH_PG_DIR:-$OUT/pgbench}
CLUSTER=$ROOT/scripts/pg-cluster.sh
ACCOUNTS="acme globex initech umbrella"
unset BILLTOP_DB BILLTOP_NOW
die() { echo "pg-import: $*" >&2; exit 1; }
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {if (NR%2) print v[(NR+1)/2]; else printf "%.3f\n", (v[NR/2]+v[NR/2+1])/2}'; }
calc() { awk "BEGIN {printf \"${2:-%.2f}\", $1}"; }
met() { awk "BEGIN {print (($1) ? \"met\" : \"NOT met\")}"; }

mkdir -p "$OUT"
[ -x "$GENCDR" ] || die "$GENCDR missing (make -C tests/bench tools)"
[ -x "$B" ] || die "no billtop binary at $B (run make)"
CSV=$OUT/cdr_$ROWS.csv
if [ ! -s "$CSV" ]; then
	"$GENCDR" "$ROWS" "$CSV.tmp" && mv "$CSV.tmp" "$CSV" || die "gencdr failed"
fi
"$GENCDR" --deck 100 "$OUT/deck.csv" || die "gencdr --deck failed"
ln -sf "$CSV" "$OUT/big.csv"

env_text=$(sh "$CLUSTER" start "$DIR") || die "cannot start a cluster under $DIR"
trap 'sh "$CLUSTER" stop "$DIR" >/dev/null 2>&1' EXIT
trap 'exit 130' INT TERM
eval "$env_text"
sql() { d=$1; shift; psql -X -q -v ON_ERROR_STOP=1 -d "$d" -At "$@"; }
fresh() { dropdb --if-exists "$1" 2>/dev/null; createdb "$1" || die "createdb $1 failed"; }

setup_billtop() { # conninfo
	"$B" --db "$1" init >/dev/null || return 1
	for a in $ACCOUNTS; do "$B" --db "$1" account add "$a" >/dev/null || return 1; done
	"$B" --db "$1" rates import "$OUT/deck.csv" --deck d >/dev/null || return 1
	for a in $ACCOUNTS; do "$B" --db "$1" account set "$a" --deck d >/dev/null || return 1; done
}

echo "== import $ROWS Asterisk CDRs into PostgreSQL $(sql postgres -c 'SHOW server_version'): billtop vs psql copy + SQL, $RUNS run(s), alternating"
echo "cluster (both sides): $(sql postgres -c "SELECT string_agg(name || '=' || current_setting(name), ' ' ORDER BY name) FROM pg_settings
  WHERE name IN ('fsync', 'synchronous_commit', 'shared_buffers', 'wal_level', 'max_wal_size', 'full_page_writes', 'work_mem', 'maintenance_work_mem')")"
echo "cores: $(nproc); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
S_BT=; S_BL=; KB_MAX=0; i=1
while [ "$i" -le "$RUNS" ]; do
	fresh bt_bench
	CI="$BILLTOP_PG_CONNINFO dbname=bt_bench"
	setup_billtop "$CI" || die "billtop setup failed"
	/usr/bin/time -f '%e %M' -o "$OUT/pg_bt.time" "$B" --db "$CI" import cdr "$CSV" --quiet >"$OUT/pg_bt.log" 2>&1 \
		|| { cat "$OUT/pg_bt.log"; die "billtop import failed"; }
	read -r t_bt kb <"$OUT/pg_bt.time"
	fresh bt_base
	(cd "$OUT" && /usr/bin/time -f '%e' -o "$OUT/pg_bl.time" psql -X -q -v ON_ERROR_STOP=1 -d bt_base \
		-f "$HERE/pg_baseline_import.sql" >"$OUT/pg_bl.log" 2>&1) || { cat "$OUT/pg_bl.log"; die "baseline failed"; }
	t_bl=$(tail -n 1 "$OUT/pg_bl.time")
	echo "  run $i: billtop $t_bt s (peak RSS $(calc "$kb / 1024" "%.1f") MiB), baseline $t_bl s: $(calc "$t_bl / $t_bt")x"
	S_BT="$S_BT $t_bt"; S_BL="$S_BL $t_bl"
	[ "$kb" -gt "$KB_MAX" ] && KB_MAX=$kb
	i=$((i + 1))
done
# shellcheck disable=SC2086
{ M_BT=$(median $S_BT); M_BL=$(median $S_BL); }

# the same work: rows, states and total cost (nano-units) on both
q="SELECT sum(k) || ' ' || coalesce(sum(cost), 0) || ' ' || string_agg(s, ' ' ORDER BY state) FROM
   (SELECT state, sum(cost) AS cost, count(*) AS k, state || ':' || count(*) AS s FROM cdr GROUP BY state) x"
A=$(sql bt_bench -c "$q") && Z=$(sql bt_base -c "$q") || die "cannot read the results"
R=$(sql bt_bench -c "SELECT count(*) || ' ' || sum(cost_calls) FROM rollup_hour")
[ "$A" = "$Z" ] || die "billtop and the baseline stored different calls: billtop $A, baseline $Z"
RATIO=$(calc "$M_BL / $M_BT")
echo "billtop import: $M_BT s (median), peak RSS $(calc "$KB_MAX / 1024" "%.1f") MiB (target < 64: $(met "$KB_MAX < 65536"))"
echo "baseline (psql copy + SQL): $M_BL s (median)"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "pg-import: ratio baseline/billtop $RATIO (target >= 2.0: $(met "$RATIO >= 2.0")); same rows, states and cost: $A; billtop's hourly rollup: $R"
