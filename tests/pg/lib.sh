# lib.sh: what the PostgreSQL tests share (sourced after tests/cli/lib.sh).
# Needs the cluster's environment (tests/pg/run.sh): PGHOST, PGPORT, PGUSER.
B=${BILLTOP:-$HERE/../../billtop}
export BILLTOP_NOW="2026-11-20 12:00:00"
unset BILLTOP_DB
# newdb NAME [createdb options]: a fresh database in the test cluster
newdb() { n=$1; shift; dropdb --if-exists "$n" 2>/dev/null; createdb "$@" "$n"; }
# sql DB SQL...: run statements (UTC session, as the switches' times are read)
sql() { d=$1; shift; PGTZ=UTC psql -X -q -v ON_ERROR_STOP=1 -d "$d" -At "$@"; }
# store FILE: a fresh billtop store with account acme on a deck that rates every number
store() {
	printf 'prefix,description,rate,first increment,increment\n1,US,0.0060,6,6\n2,Z2,0.0100,1,1\n3,Z3,0.0100,1,1\n7,Z7,0.0150,60,60\n8,RU,0.0200,60,60\n' >"$T/deck.csv"
	"$B" --db "$1" init >/dev/null
	"$B" --db "$1" account add acme >/dev/null
	"$B" --db "$1" rates import "$T/deck.csv" --deck std >/dev/null
	"$B" --db "$1" account set acme --deck std >/dev/null
}
balance() { "$B" --db "$1" balance acme --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["balance"])'; }
ids() { sqlite3 "$1" "select record_id || ' ' || state || ' ' || cost from cdr order by record_id"; }
# hold DB FIFO: a psql session reading statements from FIFO (a transaction left open)
hold() { mkfifo "$2"; PGTZ=UTC psql -X -q -d "$1" <"$2" >/dev/null 2>&1 & HOLD_PID=$!; exec 3>"$2"; }
# until_idle_tx DB: wait until a session is idle in a transaction (the held INSERT ran)
until_idle_tx() {
	i=0
	while [ "$(sql "$1" -c "select count(*) from pg_stat_activity where state = 'idle in transaction'")" = 0 ] && [ $i -lt 200 ]; do
		sleep 0.05; i=$((i + 1))
	done
}
