#!/bin/sh
# decks.sh: rate decks as carriers and billing systems write them (issue 9).
# Every real deck of tests/corpus/deck is imported with the options a user
# would give (manifest.tsv); the result is compared with
# tests/corpus/deck_expected.json, computed by deck_expected.py with Python's
# csv module, independently of billtop: the rows read, and the rate, first
# increment, increment and connect fee of chosen prefixes as `rates list
# --format json` shows them. Refused decks must exit 1 naming FILE:LINE and
# store nothing. Then the CLI rules: the summary adds up (text and JSON), a
# re-import is all "unchanged", --dry-run writes nothing and prints the
# mapping, warnings name their line, --keep-going stores the good rows and
# exits 4, --map, --add-prefix and --rate-column on an NPA-NXX deck.
# Prints "cli-decks: N passed, N failed".
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
B=${BILLTOP:-$HERE/../../billtop}
C=$HERE/../corpus/deck
EXP=$HERE/../corpus/deck_expected.json
T=$(mktemp -d "${TMPDIR:-/tmp}/billtop-decks.XXXXXX")
trap 'rm -rf "$T"' EXIT
export BILLTOP_NOW="2026-11-20 12:00:00"
unset BILLTOP_DB SSH_CLIENT

# ---- the real decks -----------------------------------------------------------------
n=0
grep -v '^#' "$C/manifest.tsv" | while IFS='	' read -r f outcome opts note; do
	[ -n "$f" ] || continue
	n=$((n + 1))
	db="$T/real$n.db"
	[ "$opts" = "-" ] && opts=""
	"$B" --db "$db" init >/dev/null
	src="$C/$f"
	case "$f" in *.xz)  # kept as published; a user unpacks it first
		src="$T/${f%.xz}"
		python3 -c 'import lzma, sys; sys.stdout.buffer.write(lzma.open(sys.argv[1]).read())' "$C/$f" >"$src" ;;
	esac
	# shellcheck disable=SC2086 # opts are words as a user types them
	"$B" --db "$db" rates import "$src" --deck d --format json $opts >"$T/sum.json" 2>"$T/err"; st=$?
	if [ "$outcome" = refused ]; then
		expect_eq "$f: refused" "$st" "1"
		expect_contains "$f: the reason names the file and line" "$(cat "$T/err")" "${f%.xz}:"
		"$B" --db "$db" rates list d >/dev/null 2>&1
		expect_eq "$f: nothing stored" "$?" "1"
		echo "$PASS $FAIL" >"$T/counts"
		continue
	fi
	if [ "$outcome" = partial ]; then
		expect_eq "$f: stored with rejected rows (exit status)" "$st" "4"
	else
		expect_eq "$f: stored (exit status)" "$st" "0"
	fi
	got=$(python3 - "$T/sum.json" "$EXP" "$f" <<'EOF'
import json, sys
s = json.load(open(sys.argv[1])); e = json.load(open(sys.argv[2]))[sys.argv[3]]
parts = s["added"] + s["unchanged"] + s["repeats"] + s["blank"] + s["rejected"]
print(s["rows"] - s["blank"] == e["rows"], parts == s["rows"], s["rejected"] == e["no_rate"])
EOF
)
	expect_eq "$f: rows as Python reads them, they add up, rejected = rows without a rate" "$got" "True True True"
	"$B" --db "$db" rates list d --format json >"$T/list.json"
	got=$(python3 - "$T/list.json" "$EXP" "$f" <<'EOF'
import json, sys
rows = {r["prefix"]: r for r in json.load(open(sys.argv[1]))}
e = json.load(open(sys.argv[2]))[sys.argv[3]]
bad = []
for p, want in sorted(e["rates"].items()):
    r = rows.get(p)
    got = r and {"rate": r["rate"], "min": r["min_secs"], "inc": r["inc_secs"], "connect_fee": r["connect_fee"]}
    if got != want:
        bad.append("%s: %s != %s" % (p, got, want))
print("; ".join(bad) or "ok %d" % len(e["rates"]))
EOF
)
	expect_eq "$f: the chosen prefixes as expected" "${got%% *}" "ok"
	[ "${got%% *}" = ok ] || echo "  $got" >&2
	# the same file again: every row unchanged, nothing added
	"$B" --db "$db" rates import "$src" --deck d --format json $opts >"$T/sum2.json" 2>/dev/null
	got=$(python3 -c 'import json,sys; a=json.load(open(sys.argv[1])); b=json.load(open(sys.argv[2])); print(b["added"], b["unchanged"] == a["added"])' "$T/sum.json" "$T/sum2.json")
	expect_eq "$f: a re-import adds nothing" "$got" "0 True"
	echo "$PASS $FAIL" >"$T/counts"
done
# the loop ran in a subshell (a pipe): take its counts back
read -r PASS FAIL <"$T/counts"

# ---- warnings name their line; text summary adds up -----------------------------------
for d in w k m u; do "$B" --db "$T/$d.db" init >/dev/null; done
out=$("$B" --db "$T/w.db" rates import "$C/ivozprovider-pricesSample.csv" --deck iv 2>"$T/err"); st=$?
expect_eq "IvozProvider deck with warnings is stored" "$st" "0"
expect_contains "a rate 8510x the median is named by its line" "$(cat "$T/err")" \
	"ivozprovider-pricesSample.csv:50: warning: prefix 35534606 has rate 1200.00, 8510x the deck's median 0.141"
expect_contains "the summary counts every row" "$out" "4743 rows read: 4743 added, 0 unchanged, 0 repeated in the file, 0 blank, 0 rejected; 310 warnings"
out=$("$B" --db "$T/w.db" rates import "$C/astpp-v4-originationrates_sample.csv" --deck a4 2>&1)
expect_contains "a zero rate is a warning" "$out" "astpp-v4-originationrates_sample.csv:2: warning: prefix 93 has rate 0"

# ---- --dry-run: the mapping, the first rows, nothing written --------------------------
out=$("$B" --db "$T/dry.db" rates import "$C/astpp-v4-terminationrates_sample.csv" --dry-run 2>/dev/null); st=$?
expect_eq "--dry-run exits 0" "$st" "0"
[ ! -e "$T/dry.db" ]; ok "--dry-run creates no database"
expect_contains "--dry-run maps the prefix" "$out" 'prefix             <- column 1 "Code"'
expect_contains "--dry-run maps the rate" "$out" 'rate               <- column 6 "Per Minute Cost"'
expect_contains "--dry-run lists ignored columns" "$out" 'ignored            column 2 "Prepend"'
expect_contains "--dry-run shows the row as stored (increment 0 read as 1)" "$out" "2        1                UNITED STATES"
expect_contains "--dry-run row increments" "$out" "1/1"
out=$("$B" --db "$T/dry.db" rates import "$C/astpp-v4-terminationrates_sample.csv" --dry-run --format json 2>/dev/null)
expect_eq "--dry-run --format json" "$(echo "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["dry_run"], d["rows"], d["added"])')" "1 1 1"

# ---- rejected rows: refused whole, or --keep-going ------------------------------------
printf 'prefix,rate\n44,0.05\nabc,0.05\n33,-1\n,,\n' >"$T/bad.csv"
out=$("$B" --db "$T/k.db" rates import "$T/bad.csv" --deck k 2>&1); st=$?
expect_eq "a deck with rejected rows is refused" "$st" "1"
expect_contains "every rejected line is named" "$out" "bad.csv:3: prefix \"abc\" is not digits"
expect_contains "every rejected line is named (2)" "$out" "bad.csv:4: rate \"-1\""
expect_contains "and the refusal counts them" "$out" "2 of 4 rows rejected, nothing stored"
"$B" --db "$T/k.db" rates list k >/dev/null 2>&1
expect_eq "nothing stored" "$?" "1"
out=$("$B" --db "$T/k.db" rates import "$T/bad.csv" --deck k --keep-going --format json 2>/dev/null); st=$?
expect_eq "--keep-going stores the good rows and exits 4" "$st" "4"
expect_eq "--keep-going json adds up" "$(echo "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["rows"], d["added"], d["blank"], d["rejected"])')" "4 1 1 2"
expect_eq "--format json lists the rejected lines" "$(echo "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); print([(m["line"], m["kind"]) for m in d["messages"]])')" "[(3, 'rejected'), (4, 'rejected')]"
printf 'prefix,rate\n44,0.05\n44,0.07\n' >"$T/twice.csv"
out=$("$B" --db "$T/k.db" rates import "$T/twice.csv" --deck t 2>&1); st=$?
expect_eq "one prefix with two rates is refused" "$st" "1"
expect_contains "naming both lines" "$out" "twice.csv:3: prefix 44 has rate 0.07 1/1 here and 0.05 1/1 on line 2"

# ---- --map, --add-prefix, --rate-column ----------------------------------------------
printf 'Zone;x,Digits,Tariff\nUK,44,0.05\n' >"$T/map.csv"
out=$("$B" --db "$T/m.db" rates import "$T/map.csv" --deck m 2>&1); st=$?
expect_eq "unknown columns are refused" "$st" "1"
expect_contains "saying how to map them" "$out" "--map prefix=COLUMN"
"$B" --db "$T/m.db" rates import "$T/map.csv" --deck m --map prefix=Digits,rate=3 >/dev/null 2>&1
expect_eq "--map by name and number" "$("$B" --db "$T/m.db" rates list m --format csv | tail -1 | cut -d, -f1,3)" "\"44\",0.0500"
printf 'NPANXX,Interstate,Intrastate,Indeterminate\r\n201555,0.011,0.022,0.033\r\n' >"$T/us.csv"
out=$("$B" --db "$T/u.db" rates import "$T/us.csv" --deck us 2>&1); st=$?
expect_eq "an NPA-NXX deck without --rate-column is refused" "$st" "1"
expect_contains "naming the choice" "$out" '3 rate columns ("interstate", "intrastate", "indeterminate")'
out=$("$B" --db "$T/u.db" rates import "$T/us.csv" --deck us --rate-column Intrastate 2>&1); st=$?
expect_eq "an NPA-NXX deck without --add-prefix is refused" "$st" "1"
expect_contains "naming --add-prefix 1" "$out" "--add-prefix 1"
"$B" --db "$T/u.db" rates import "$T/us.csv" --deck us --rate-column Intrastate --add-prefix 1 >/dev/null 2>&1
expect_eq "--rate-column and --add-prefix" "$("$B" --db "$T/u.db" rates list us --format csv | tail -1 | cut -d, -f1,3)" "\"1201555\",0.0220"

echo "cli-decks: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
