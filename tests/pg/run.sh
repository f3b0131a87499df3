#!/bin/sh
# run.sh DIR: start a throwaway PostgreSQL cluster under DIR
# (scripts/pg-cluster.sh), run every tests/pg/test_*.sh against it, stop it.
# The tests get PGHOST/PGPORT/PGUSER and BILLTOP_PG_CONNINFO; each makes its
# own databases. BILLTOP_PG_ONLY=NAME runs that test alone. Exit status: 0 when every test passed.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
DIR=${1:-$ROOT/build/pg}
CLUSTER="$ROOT/scripts/pg-cluster.sh"
env_text=$(sh "$CLUSTER" start "$DIR") || { echo "pg-tests: cannot start the test cluster" >&2; exit 1; }
trap 'sh "$CLUSTER" stop "$DIR"' EXIT
trap 'exit 130' INT TERM
eval "$env_text"
export BILLTOP_PG_DIR="$DIR" BILLTOP_PG_CLUSTER="$CLUSTER"   # a test may restart the server
status=0
for t in $(ls "$HERE"/${BILLTOP_PG_ONLY:-test_*.sh} | sort); do
	echo "== $t"
	sh "$t" || status=1
done
exit $status
