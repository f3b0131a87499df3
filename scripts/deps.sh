#!/bin/sh
# deps.sh: install billtop's Debian build and test dependencies (idempotent).
# Uses sudo when not root. The one list of packages: CI calls this too.
set -e
# clang + libclang-rt-dev: libFuzzer and the sanitizer runtimes for `make fuzz`
# postgresql + libpq-dev: `ingest --from-db` (libpq) and the throwaway test
# cluster of `make pg-tests` (scripts/pg-cluster.sh; no service is used)
PACKAGES="build-essential libncurses-dev libsqlite3-dev libcsv-dev sqlite3 tzdata tmux python3 locales clang libclang-rt-dev postgresql libpq-dev"
missing=""
for p in $PACKAGES; do
	dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq $missing
