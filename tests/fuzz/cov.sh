#!/bin/sh
# cov.sh FB TARGET:FILES...: line coverage of the code under test reached by
# each target's inputs (its corpus in FB/corpus, the seeds and regressions).
# Builds replay.c + fuzz_TARGET.c + core/ + data/ with clang source-based
# coverage into FB/cov/, replays the inputs, and prints llvm-cov's summary for
# FILES (comma-separated, e.g. csv:data/csvin.c,data/cdrfmt.c). `make fuzz-cov`.
set -eu
FB=$1
shift
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=$FB/cov
mkdir -p "$OUT"
CF="-std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -O0 -g -fprofile-instr-generate -fcoverage-mapping"
for spec in "$@"; do
	t=${spec%%:*}
	files=$(echo "${spec#*:}" | tr ',' ' ')
	bin=$OUT/replay_$t
	# shellcheck disable=SC2086
	clang $CF -o "$bin" "$HERE/replay.c" "$HERE/fuzz_$t.c" core/*.c data/*.c -lsqlite3 -lcsv -lm -lpthread
	dirs=""
	for d in "$FB/corpus/$t" "$FB/seeds/$t" "$HERE/seeds/$t" "$HERE/regress/$t"; do
		[ -d "$d" ] && dirs="$dirs $d"
	done
	# shellcheck disable=SC2086
	LLVM_PROFILE_FILE="$OUT/$t.profraw" "$bin" $dirs >/dev/null
	llvm-profdata merge -o "$OUT/$t.profdata" "$OUT/$t.profraw"
	echo "== $t"
	# shellcheck disable=SC2086
	llvm-cov report "$bin" -instr-profile="$OUT/$t.profdata" $files |
		awk 'NR > 2 && !/^-/ { n = split($1, p, "/"); printf "  %-20s lines %7s  regions %7s  functions %7s\n", p[n], $10, $4, $7 }'
done
