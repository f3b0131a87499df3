#!/bin/sh
# usage_drift.sh: `billtop help` and every `billtop COMMAND --help` come from
# the commands' own entries (cli/cmd_NAME.c), and no usage text drifts from
# its parser (issue 11).
#  - tests/cli_usage_audit.py: per usage form, the options it names are the
#    options its cli_opt tables take, both ways; main.c lists every entry.
#  - the binary: `billtop help` lists the commands of cli/main.c in that
#    order, each once; `billtop NAME --help` and `billtop help NAME` print the
#    same text, starting with NAME's usage, and exit 0; an unknown command
#    exits 2.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
B=${BILLTOP:-$HERE/../../billtop}
ROOT=$HERE/../..

python3 "$ROOT/tests/cli_usage_audit.py" "$ROOT" >&2; ok "cli_usage_audit.py: usage texts match the parsers"

# the list in main.c, as names: &cmd_import_entry -> import
want=$(sed -n '/cli_commands\[\] = {/,/^};/p' "$ROOT/cli/main.c" | sed -n 's/^[[:space:]]*&cmd_\([a-z_]*\)_entry,$/\1/p')
got=$("$B" help | sed -n '/^Commands:/,/^$/p' | awk 'NF > 1 { print $1 }')
expect_eq "billtop help lists main.c's commands in order" "$(echo $got)" "$(echo $want)"
[ "$(echo "$want" | wc -l)" -ge 20 ]; ok "main.c lists the commands (read $(echo "$want" | wc -l))"

for c in $want; do
	h=$("$B" "$c" --help); ok "$c --help exits 0"
	case "$h" in "usage: billtop [--db PATH] [--now TIME] $c"*) PASS=$((PASS + 1)) ;;
	*) FAIL=$((FAIL + 1)); echo "FAIL: $c --help does not start with its usage" >&2 ;; esac
	expect_eq "help $c = $c --help" "$("$B" help "$c")" "$h"
done
expect_status "an unknown command" 2 "$B" no-such-command

echo "cli-usage-drift: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
