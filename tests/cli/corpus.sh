#!/bin/sh
# corpus.sh: every real CDR file of tests/corpus/cdr through billtop ($BILLTOP), imported with
# the options of tests/corpus/manifest.tsv into a database of its own, against the figures
# tests/corpus/expected.py computed independently (tests/corpus/expected.json):
#   rows read = records (a 3CX "Totals" footer may be read and rejected as well),
#   stored + duplicates + rejected = rows read, duplicates = identical records,
#   stored = the distinct records, connected calls and their talk seconds (from
#   `billtop cdrs ACCOUNT --format json`), earliest and latest start (in UTC, after --tz).
# A file listed in tests/corpus/xfail.txt ("file<TAB>reason") that fails is XFAIL, not FAIL;
# one that passes is reported XPASS (remove it from xfail.txt) and counts as passed.
# CORPUS_SUMMARY_OPT (e.g. "--summary json") is added to every import when billtop can print
# its import summary as JSON; the figures are then read from that JSON (keys rows_read or rows,
# stored, duplicates, rejected), else from the text summary line.
# Prints "corpus: N passed, N failed, N xfail"; exit 1 when any file failed.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
B=${BILLTOP:-$HERE/../../billtop}
CORPUS=${BILLTOP_CORPUS:-$HERE/../corpus}
T=$(mktemp -d "${TMPDIR:-/tmp}/billtop-corpus.XXXXXX")
trap 'rm -rf "$T"' EXIT
export BILLTOP_NOW="2026-11-20 12:00:00"
unset BILLTOP_DB
PASSED=0
FAILED=0
XFAILED=0
TAB=$(printf '\t')

xfail_reason() {   # xfail_reason FILE: the reason xfail.txt gives, empty when not listed
	[ -f "$CORPUS/xfail.txt" ] || return 0
	awk -F '\t' -v f="$1" '$1 == f { print $2; exit }' "$CORPUS/xfail.txt"
}

# check FILE COMPARE OPTS_TEXT SUMMARY_FILE STATUS CDRS_JSON: prints one line per mismatch.
check() {
	python3 - "$CORPUS/expected.json" "$@" <<'PY'
import json, re, sys, datetime as dt
expected_path, name, compare, opts, summary_path, status, cdrs_path = sys.argv[1:8]
e = json.load(open(expected_path))[name]
text = open(summary_path, encoding='utf-8', errors='replace').read()
bad = []

def figures(text):
    """Rows read, stored, duplicates, rejected: from a JSON summary when billtop prints one,
    else from the text summary 'N rows: S stored (...), D duplicates, R rejected'."""
    try:
        d = json.loads(text)
        if isinstance(d, list):
            d = d[-1]
        def pick(*keys):
            for k in keys:
                if k in d:
                    return int(d[k])
            for v in d.values():
                if isinstance(v, dict):
                    for k in keys:
                        if k in v:
                            return int(v[k])
            raise KeyError(keys[0])
        return (pick('rows_read', 'rows', 'read'), pick('stored'),
                pick('duplicates', 'identical_duplicates'), pick('rejected'))
    except (ValueError, KeyError, TypeError, AttributeError):
        pass
    m = re.search(r'(\d+) rows: (\d+) stored .*?, (\d+) duplicates?, (\d+) rejected', text)
    if not m:
        return None
    return tuple(int(x) for x in m.groups())

f = figures(text)
if f is None:
    import os
    err = summary_path[:-3] + 'err'
    if os.path.exists(err):
        text += open(err, encoding='utf-8', errors='replace').read()
    lines = [l for l in text.splitlines() if l.startswith('billtop') and 'nothing imported' not in l]
    bad.append('no import summary (exit %s): %s' % (status, lines[0] if lines else text.strip()[:200]))
else:
    read, stored, dups, rej = f
    if read not in (e['records'], e['records'] + e['non_records']):
        bad.append('rows read %d, expected %d' % (read, e['records']))
    if stored + dups + rej != read:
        bad.append('stored %d + duplicates %d + rejected %d != rows read %d' % (stored, dups, rej, read))
    if dups != e['identical_duplicates']:
        bad.append('duplicates %d, expected %d identical records' % (dups, e['identical_duplicates']))
    if stored != e['records'] - e['identical_duplicates']:
        bad.append('stored %d, expected %d distinct records' % (stored, e['records'] - e['identical_duplicates']))
    if rej > e['non_records']:
        bad.append('%d rejected, expected at most %d' % (rej, e['non_records']))
    if status != '0' and rej == 0:
        bad.append('exit status %s' % status)
    try:
        cdrs = json.load(open(cdrs_path))
    except ValueError:
        cdrs = None
        bad.append('cdrs --format json gave no JSON')
    if cdrs is not None:
        conn = [c for c in cdrs if c['state'] != 'not connected']
        if len(conn) != e[compare]:
            bad.append('connected %d, expected %s %d' % (len(conn), compare, e[compare]))
        ms = sum(c['billsec_ms'] for c in conn)
        if ms != e['talk_seconds'] * 1000:
            bad.append('talk %.3f s, expected %d s' % (ms / 1000, e['talk_seconds']))
        # earliest and latest start, the file's wall clock taken in --tz (UTC without it)
        m = re.search(r"--tz\s+'?([^'\s]+)", opts)
        def utc(s):
            t = dt.datetime.fromisoformat(s)
            if m:
                z = m.group(1)
                if re.fullmatch(r'[+-]\d\d:\d\d', z):
                    sign = 1 if z[0] == '+' else -1
                    off = dt.timedelta(hours=int(z[1:3]), minutes=int(z[4:6])) * sign
                    return (t - off).strftime('%Y-%m-%dT%H:%M:%SZ')
                from zoneinfo import ZoneInfo
                t = t.replace(tzinfo=ZoneInfo(z))
                return t.astimezone(dt.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')
            return t.strftime('%Y-%m-%dT%H:%M:%SZ')
        starts = sorted(c['start'] for c in cdrs)
        if starts and (starts[0], starts[-1]) != (utc(e['min_start']), utc(e['max_start'])):
            bad.append('starts %s..%s, expected %s..%s' % (starts[0], starts[-1],
                       utc(e['min_start']), utc(e['max_start'])))
for b in bad:
    print(b)
PY
}

i=0
while IFS="$TAB" read -r file compare opts; do
	case "$file" in '#'* | '') continue ;; esac
	i=$((i + 1))
	db="$T/$i.db"
	"$B" --db "$db" init >/dev/null 2>&1 && "$B" --db "$db" account add corpus >/dev/null 2>&1 || {
		echo "corpus: cannot set up a database with $B" >&2
		exit 1
	}
	eval "set -- $opts ${CORPUS_SUMMARY_OPT:-}"
	"$B" --db "$db" import cdr "$CORPUS/cdr/$file" --account corpus "$@" >"$T/out" 2>"$T/err"
	st=$?
	# a JSON summary (CORPUS_SUMMARY_OPT asks for one) is stdout alone; else all the text
	if [ -z "${CORPUS_SUMMARY_OPT:-}" ]; then cat "$T/err" >>"$T/out"; fi
	"$B" --db "$db" cdrs corpus --format json --limit 10000000 >"$T/cdrs.json" 2>/dev/null
	check "$file" "$compare" "$opts" "$T/out" "$st" "$T/cdrs.json" >"$T/bad"
	reason=$(xfail_reason "$file")
	if [ ! -s "$T/bad" ]; then
		PASSED=$((PASSED + 1))
		if [ -n "$reason" ]; then echo "XPASS $file (remove it from xfail.txt)"; else echo "PASS  $file"; fi
	elif [ -n "$reason" ]; then
		XFAILED=$((XFAILED + 1))
		echo "XFAIL $file: $reason"
	else
		FAILED=$((FAILED + 1))
		echo "FAIL  $file ($opts)" >&2
		sed 's/^/  /' "$T/bad" >&2
	fi
done <"$CORPUS/manifest.tsv"

echo "corpus: $PASSED passed, $FAILED failed, $XFAILED xfail"
[ "$FAILED" -eq 0 ]
