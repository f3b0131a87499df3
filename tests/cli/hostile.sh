#!/bin/sh
# hostile.sh: hostile input end to end (issue 5). Fields carrying terminal
# escape sequences (CSI colour, OSC title, OSC 52 clipboard), BEL, C1
# controls (U+009B and a raw 0x9b byte), NUL bytes, invalid UTF-8 (a lone
# 0xff, an overlong "/"), bidi overrides, very long fields (255 bytes, 1 MiB,
# a line of 100,000 fields, a 17 MiB record) and spreadsheet formulas
# (=cmd|' /C calc'!A0, +1+1, -2+3, @SUM(1)) go through a generic CDR file, an
# Asterisk Master.csv, a messaging file, ledger memos and account names, and
# must be
#   stored faithfully: every kept field byte for byte (read back as hex with
#     the sqlite3 CLI), or the row refused with FILE:LINE: reason and, with
#     --keep-going, kept in the rejects with all its bytes. The decisions
#     (data/cdrfmt.c states them): a NUL anywhere refuses the row (a switch
#     never writes one; it is what a crash leaves in a torn file); a kept
#     field over 255 bytes (CDR_FIELD_MAX) refuses the row, never a cut;
#     text fields must be UTF-8, caller names (clid) may hold any other
#     bytes (a blob); fields billtop does not keep (userfield, lastdata) may
#     be up to the reader's 16 MiB record limit, past which the file is
#     refused. Memos and account names are typed text: valid UTF-8, memos at
#     most 255 bytes; account names also without control characters.
#   shown harmlessly: the text forms of cdrs, explain, rejects, ledger list,
#     audit, balance, statement, account list and error messages hold no
#     control character, C1 or bidi character and show \x1b, \x07, \xc2\x9b,
#     \u{202e} instead; the console (in tmux) shows the same escapes, and
#     its terminal's title and clipboard are untouched.
#   exported harmlessly: CSV parses back to the stored bytes (escapes kept as
#     data, quoted), formulas prefixed with an apostrophe, NUL as U+FFFD;
#     JSON loads (python3 json) with C0/C1 as \u escapes and invalid bytes as
#     U+FFFD; the console's export equals `billtop cdrs --format csv`.
# Prints "cli-hostile: N passed, N failed"; exits non-zero on a failure.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
B=${BILLTOP:-$HERE/../../billtop}
case "$B" in /*) ;; *) B="$(cd "$(dirname "$B")" && pwd)/$(basename "$B")" ;; esac
T=$(mktemp -d "${TMPDIR:-/tmp}/billtop-hostile.XXXXXX")
SOCK="billtop-hostile-$$"
tmx() { tmux -L "$SOCK" -f /dev/null "$@"; }
trap 'tmx kill-server >/dev/null 2>&1; [ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
export BILLTOP_NOW="2026-11-20 12:00:00"
unset BILLTOP_DB SSH_CLIENT
export USER=hostile
db() { "$B" --db "$T/t.db" "$@"; }
q() { sqlite3 "$T/t.db" "$1"; }
hexof() { od -An -tx1 -v | tr -d ' \n' | tr a-f A-F; }   # stdin as upper-case hex

# The hostile values (no NUL: a shell variable cannot hold one; the files
# with NULs are written by gen.py below).
CSI=$(printf '\033[31mRED\033[0m')
OSC_TITLE=$(printf '\033]0;pwned\007')
OSC52=$(printf '\033]52;c;cm0gLXJmIH4=\007')
BEL=$(printf 'ding\007dong')
C1=$(printf '\302\2332J')
RLO=$(printf '+1206\342\200\2565550100')
F1="=cmd|' /C calc'!A0"
F2="+1+1"
F3="-2+3"
F4="@SUM(1)"
FF=$(printf 'x\377y')

# ---- the files ---------------------------------------------------------------------
cat >"$T/gen.py" <<'EOF'
# Writes gen.csv (generic), ast.csv (Asterisk Master.csv, 18 columns),
# mdr.csv, huge.csv (a 17 MiB record), and what the test expects:
#   stored.txt   TABLE KEYCOL KEYHEX COL VALHEX   (a kept field, found by a key)
#   rejects.txt  FILE LINE REASON          (REASON: a substring of the reason)
#   export.json  {call_id: {src, dst, clid, disposition}} as latin-1 text
import json, sys
T = sys.argv[1]
CSI = b'\x1b[31mRED\x1b[0m'; OSC_TITLE = b'\x1b]0;pwned\x07'; OSC52 = b'\x1b]52;c;cm0gLXJmIH4=\x07'
BEL = b'ding\x07dong'; C1 = b'\xc2\x9b2J'; C1RAW = b'\x9b2J'; FF = b'x\xffy'; OVERLONG = b'\xc0\xaf'
RLO = b'+1206\xe2\x80\xae5550100'; QUOTED = b'a,"b"\r\nc'
F1 = b"=cmd|' /C calc'!A0"; F2 = b'+1+1'; F3 = b'-2+3'; F4 = b'@SUM(1)'
DST = b'12065550100'
stored, rejects, export = [], [], {}

def quote(f):
    return b'"' + f.replace(b'"', b'""') + b'"'

def write(name, rows):
    line = 1
    lines = []
    with open(f'{T}/{name}', 'wb') as out:
        for r in rows:
            text = r if isinstance(r, bytes) else b','.join(quote(f) for f in r) + b'\n'
            lines.append(line)
            out.write(text)
            line += text.count(b'\n')
    return lines

def keep(keycol, key, col, val, table='cdr'):
    stored.append(f'{table} {keycol} {key.hex().upper()} {col} {val.hex().upper() if val else "NULL"}')

# generic: call_id,start,src,dst,billsec,disposition,clid,note (note is not kept)
g = [[b'call_id', b'start', b'src', b'dst', b'billsec', b'disposition', b'clid', b'note']]
good = {  # call_id: (src, dst, disposition, clid)
    b'g-csi': (CSI, DST, b'ANSWERED', OSC_TITLE),
    b'g-osc52': (OSC52, DST, b'ANSWERED', BEL),
    b'g-c1': (C1, DST, b'ANSWERED', C1RAW),
    b'g-bytes': (b'15550001111', DST, b'ANSWERED', FF + OVERLONG),
    F1: (F2, F3, F4, F4),
    b'g-rlo': (RLO, DST, b'ANSWERED', QUOTED),
    b'g-255': (b'15550001111', DST, b'ANSWERED', b'\x1b[1m' + b'Z' * 251),
}
def fnv(fields):  # cdrfmt.c's row digest: FNV-1a 64 over each field's length (8 bytes LE) and bytes
    h = 0xcbf29ce484222325
    for f in fields:
        for c in len(f).to_bytes(8, 'little') + f:
            h = ((h ^ c) * 0x100000001b3) & 0xffffffffffffffff
    return b'fnv:%016x' % h

m = 0
grow = {}
for cid, (src, dst, disp, clid) in good.items():
    g.append([cid, b'2026-11-02 10:%02d:00' % m, src, dst, b'30', disp, clid, b'note ' + CSI]); m += 1
    grow[cid] = g[-1]
bad = [  # (row, reason)
    ([b'g-badsrc', b'2026-11-02 11:00:00', FF, DST, b'30', b'ANSWERED', b'x', b''], 'field 3 (src): not UTF-8 "x\\xffy"'),
    ([b'g-nul', b'2026-11-02 11:01:00', b'1555', DST, b'30', b'ANSWERED', b'a\x00b', b''], 'field 7: holds a NUL byte (a damaged row) "a\\x00b"'),
    ([b'g-nulnote', b'2026-11-02 11:02:00', b'1555', DST, b'30', b'ANSWERED', b'x', b'\x00\x00\x00'], 'field 8: holds a NUL byte'),
    ([b'g-long', b'2026-11-02 11:03:00', b'1555', DST, b'30', b'ANSWERED', b'L' * (1 << 20), b''], 'field 7 (clid): 1048576 bytes, longer than the 255 a stored field may hold'),
    ([b'g-256', b'2026-11-02 11:04:00', b'1' * 256, DST, b'30', b'ANSWERED', b'x', b''], 'field 3 (src): 256 bytes, longer than the 255'),
    (b'g-wide,2026-11-02 11:05:00,1555,' + b','.join([b'7'] * 99997) + b'\n', 'expected 8 fields (as in the header), got 100000'),
]
for r, _ in bad:
    g.append(r)
g.append([b'g-after', b'2026-11-02 12:00:00', b'1555', DST, b'30', b'ANSWERED', b'after', b''])
lines = write('gen.csv', g)
for i, (cid, (src, dst, disp, clid)) in enumerate(good.items()):
    rid = b'generic:' + cid + b'/' + fnv(grow[cid])  # id/digest: same id and same content
    for col, v in (('record_id', rid), ('src', src), ('dst', dst), ('disp_text', disp), ('clid', clid)):
        keep('record_id', rid, col, v)
    export[rid.decode('latin-1')] = {k: v.decode('latin-1') for k, v in
                                     (('src', src), ('dst', dst), ('clid', clid), ('disposition', disp))}
for i, (_, why) in enumerate(bad):
    rejects.append(f'gen.csv {lines[1 + len(good) + i]} {why}')

# Asterisk cdr_csv with uniqueid and userfield (18 columns); no sequence, so
# call_key = uniqueid identifies the row.
def ast(acct, src, clid, lastdata, disp, uid, userfield, minute):
    return [acct, src, DST, b'from-internal', clid, b'SIP/a-1', b'SIP/c-1', b'Dial', lastdata,
            b'2026-11-03 10:%02d:00' % minute, b'2026-11-03 10:%02d:05' % minute, b'2026-11-03 10:%02d:59' % minute,
            b'59', b'54', disp, b'DOCUMENTATION', uid, userfield]
a = [
    ast(b'acme', CSI, b'"' + OSC_TITLE + b'" <15550001111>', OSC52, b'ANSWERED', b'1793700000.1', F1, 1),
    ast(b'acme', b'15550001111', C1RAW + FF, b'', b'ANSWERED\x1b[2J', b'1793700000.2', b'', 2),
    ast(b'acme', b'15550001111', BEL, b'', b'ANSWERED', b'1793700000.3\x1b]0;id\x07', b'', 3),
    ast(b'acme', b'15550001111', b'x', b'', b'ANSWERED', b'1793700000.4', b'\x00' * 16, 4),
    ast(b'acme', b'15550001111', b'x', b'', b'ANSWERED', b'1793700000.5', b'U' * (1 << 20), 5),
    ast(b'evil\x1b[31m', b'15550001111', b'x', b'', b'ANSWERED', b'1793700000.6', b'', 6),
    ast(F4, F2, F1, b'', b'ANSWERED', b'1793700000.7', b'', 7),
    ast(b'acme', F2, F4, b'', b'NO ANSWER', b'1793700000.8', b'', 8),
    ast(b'acme', b'15550001111', b'x', b'', b'ANSWERED', b'9' * 300, b'', 9),
]
lines = write('ast.csv', a)
for i in (0, 1, 2, 4, 6, 7):
    r = a[i]
    for col, v in (('src', r[1]), ('dst', r[2]), ('clid', r[4]), ('disp_text', r[14])):
        keep('call_key', r[16], col, v)
    keep('call_key', r[16], 'substr(record_id,1,%d)' % (len(r[16]) + 10), b'asterisk:' + r[16] + b'/')
rejects += [f'ast.csv {lines[3]} field 18: holds a NUL byte',
            f'ast.csv {lines[5]} account code "evil\\x1b[31m" is not a valid account name',
            f'ast.csv {lines[8]} field 17 (uniqueid): 300 bytes, longer than the 255']

# messaging: id,time,direction,from,to,type,segments,cost
md = [[b'id', b'time', b'direction', b'from', b'to', b'type', b'segments', b'cost'],
      [b'm-csi', b'2026-11-04 09:00:00', b'outbound', CSI, F1, b'sms', b'1', b'0.0080'],
      [b'm-nul', b'2026-11-04 09:01:00', b'outbound', b'1\x002', b'2', b'sms', b'1', b'0.0080'],
      [b'm-long', b'2026-11-04 09:02:00', b'outbound', b'1', b'2' * 300, b'sms', b'1', b'0.0080']]
lines = write('mdr.csv', md)
keep('record_id', b'mdr:m-csi', 'src', CSI, 'mdr')
keep('record_id', b'mdr:m-csi', 'dst', F1, 'mdr')
rejects += [f'mdr.csv {lines[2]} field 4 holds a NUL byte', f'mdr.csv {lines[3]} field "to": 300 bytes']

# one record past the reader's 16 MiB limit: the file is refused, even with --keep-going
write('huge.csv', [[b'call_id', b'start', b'dst', b'note'], [b'h1', b'2026-11-02 10:00:00', DST, b'N' * (17 << 20)]])

open(f'{T}/stored.txt', 'w').write('\n'.join(stored) + '\n')
open(f'{T}/rejects.txt', 'w', encoding='latin-1').write('\n'.join(rejects) + '\n')
json.dump(export, open(f'{T}/export.json', 'w'))
EOF
python3 "$T/gen.py" "$T" || { echo "cli-hostile: gen.py failed" >&2; exit 2; }

# textsafe NAME FILE: the file is text a terminal shows harmlessly: valid
# UTF-8 without C0 controls (but tab and LF), DEL, C1 or bidi characters.
cat >"$T/textsafe.py" <<'EOF'
import sys, unicodedata
b = open(sys.argv[1], 'rb').read()
try:
    s = b.decode('utf-8')
except UnicodeDecodeError as e:
    print(f'not UTF-8 at byte {e.start}: {b[max(0, e.start - 20):e.start + 10]!r}'); sys.exit(1)
bad = [(i, hex(ord(c))) for i, c in enumerate(s)
       if (ord(c) < 0x20 and c not in '\t\n') or 0x7f <= ord(c) <= 0x9f
       or unicodedata.category(c) in ('Cf', 'Zl', 'Zp')]
if bad:
    i = bad[0][0]
    print(f'{len(bad)} unsafe characters, first {bad[0][1]} in {s[max(0, i - 30):i + 10]!r}'); sys.exit(1)
EOF
textsafe() {
	if out=$(python3 "$T/textsafe.py" "$2" 2>&1); then PASS=$((PASS + 1)); else
		FAIL=$((FAIL + 1)); printf 'FAIL: %s is not safe for a terminal: %s\n' "$1" "$out" >&2; fi
}

# ---- setup ---------------------------------------------------------------------------
db init >/dev/null
db account add acme >/dev/null
printf 'prefix,description,rate\n1,US %s,0.005\n' "$CSI" >"$T/deck.csv"
db rates import "$T/deck.csv" --deck std >/dev/null; ok "a deck whose description has an escape sequence"
db account set acme --deck std >/dev/null

# ---- import: all or nothing, then --keep-going ----------------------------------------
out=$(db import cdr "$T/gen.csv" --account acme --format generic 2>"$T/err1.txt"); st=$?
expect_eq "a hostile generic file without --keep-going is refused" "$st" "1"
first=$(sed -n 1p "$T/rejects.txt")
set -- $first
expect_contains "the refusal names file, line and reason" "$(cat "$T/err1.txt")" \
	"$T/gen.csv:$2: field 3 (src): not UTF-8 \"x\\xffy\""
textsafe "the refusal" "$T/err1.txt"
expect_eq "and nothing went in" "$(q "select count(*) from cdr")" "0"
db import cdr "$T/gen.csv" --account acme --format generic --keep-going >"$T/imp.txt" 2>&1; st=$?
expect_eq "generic --keep-going: rows rejected, exit 4" "$st" "4"
expect_contains "generic: the good rows in, the bad ones rejected" "$(cat "$T/imp.txt")" "14 rows: 8 stored"
expect_contains "generic: 6 rejected" "$(cat "$T/imp.txt")" "6 rejected"
db import cdr "$T/ast.csv" --format asterisk --keep-going --create-accounts >"$T/imp2.txt" 2>&1; st=$?
expect_eq "asterisk --keep-going: rows rejected, exit 4" "$st" "4"
expect_contains "asterisk: 6 stored, 3 rejected" "$(cat "$T/imp2.txt")" "9 rows: 6 stored"
db import mdr "$T/mdr.csv" --account acme --keep-going >"$T/imp3.txt" 2>&1; st=$?
expect_eq "mdr --keep-going: rows rejected, exit 4" "$st" "4"
expect_contains "mdr: 1 stored, 2 rejected" "$(cat "$T/imp3.txt")" "1 messages stored, 0 duplicates, 2 rejected"
before=$(q "select count(*) from cdr")
out=$(db import cdr "$T/huge.csv" --account acme --format generic --keep-going 2>&1); st=$?
expect_eq "a 17 MiB record refuses the file, even with --keep-going" "$st" "1"
expect_contains "naming the line and the limit" "$out" "huge.csv:2: record starting on line 2 is longer than 16777216 bytes"
expect_eq "and nothing of it went in" "$(q "select count(*) from cdr")" "$before"
# a hostile file name: messages show it escaped
evil="$T/$(printf 'evil\033]0;t\007').csv"
cp "$T/gen.csv" "$evil"
db import cdr "$evil" --account acme --format generic >"$T/evil.txt" 2>&1
textsafe "messages naming a file called ESC]0;t BEL" "$T/evil.txt"
expect_contains "the file name is shown escaped" "$(cat "$T/evil.txt")" 'evil\x1b]0;t\x07.csv'

# ---- stored faithfully ---------------------------------------------------------------
n=0
while read -r table keycol key col val; do
	got=$(q "select coalesce(hex($col), 'NULL') from $table where hex($keycol) = '$key'")
	[ "$got" = "$val" ] || { FAIL=$((FAIL + 1)); echo "FAIL: stored $table.$col of the record whose $keycol is $key: $got, want $val" >&2; continue; }
	n=$((n + 1))
done <"$T/stored.txt"
expect_eq "every kept field is stored byte for byte (sqlite3 hex)" "$n" "$(wc -l <"$T/stored.txt" | tr -d ' ')"
expect_eq "a caller name with invalid UTF-8 is a blob of the bytes" \
	"$(q "select typeof(clid), hex(clid) from cdr where call_key = 'g-bytes'")" "blob|78FF79C0AF"
expect_eq "the 255-byte caller name is whole" "$(q "select length(clid) from cdr where call_key = 'g-255'")" "255"
n=0
while IFS= read -r line; do
	file=${line%% *}; rest=${line#* }; lno=${rest%% *}; why=${rest#* }
	got=$(q "select reason from reject where path like '%/$file' and line = $lno")
	case $got in *"$why"*) n=$((n + 1)) ;; *)
		FAIL=$((FAIL + 1)); printf 'FAIL: reject %s:%s\n  got:  %s\n  want: %s\n' "$file" "$lno" "$got" "$why" >&2 ;; esac
done <"$T/rejects.txt"
expect_eq "every refused row is kept with its line and reason" "$n" "$(wc -l <"$T/rejects.txt" | tr -d ' ')"
# the kept text of a refused row parses back to the fields of the file, NULs and all
cat >"$T/rawcheck.py" <<'EOF'
import csv, io, sqlite3, sys
T = sys.argv[1]
csv.field_size_limit(1 << 30)
db = sqlite3.connect(f'{T}/t.db')
bad = 0
for path, line, raw in db.execute("select path, line, raw from reject where path not like '%evil%'"):
    src = open(path, 'rb').read().decode('latin-1')
    reader = csv.reader(io.StringIO(src, newline=''))
    want, start = None, 1
    for rec in reader:
        if start == line:
            want = rec
            break
        start = reader.line_num + 1
    got = next(csv.reader(io.StringIO(bytes(raw).decode('latin-1'), newline='')))
    if got != want:
        bad += 1
        print(f'{path}:{line}: kept row differs ({len(got)} fields, want {len(want or [])})')
print(bad)
EOF
pg_skip "rawcheck.py reads the SQLite file with Python's sqlite3" || expect_eq "every rejected row is kept whole (1 MiB field, 100,000 fields, NULs)" "$(python3 "$T/rawcheck.py" "$T" | tail -1)" "0"

# ---- ledger memos and account names ------------------------------------------------------
i=0
for memo in "$CSI" "$OSC_TITLE" "$OSC52" "$BEL" "$C1" "$RLO" "$F1" "$F2" "$F3" "$F4"; do
	i=$((i + 1))
	db ledger add acme adjustment 0.01 "--memo=$memo" --at "2026-11-04 0$((i % 10)):00" >"$T/post$i.txt" 2>&1 ||
		{ FAIL=$((FAIL + 1)); echo "FAIL: posting memo $i" >&2; cat "$T/post$i.txt" >&2; continue; }
	expect_eq "memo $i is stored byte for byte" "$(q "select hex(memo) from ledger order by id desc limit 1")" \
		"$(printf '%s' "$memo" | hexof)"
done
before=$(q "select count(*) from ledger")
out=$(db ledger add acme adjustment 0.01 "--memo=$FF" 2>&1); st=$?
expect_eq "a memo that is not UTF-8 is refused" "$st" "1"
expect_contains "saying why" "$out" "not valid UTF-8"
long=$(printf '%0256d' 0)
out=$(db ledger add acme adjustment 0.01 "--memo=$long" 2>&1); st=$?
expect_eq "a 256-byte memo is refused, not cut" "$st" "1"
expect_contains "saying why" "$out" "256 bytes, longer than 255"
expect_eq "nothing was posted by the refusals" "$(q "select count(*) from ledger")" "$before"
db ledger add acme adjustment 0.01 "--memo=${long#0}" >/dev/null 2>&1; ok "a 255-byte memo is posted"
for name in "$(printf 'evil\033[31m')" "$(printf 'bell\007')" "$(printf 'c1\302\233x')" "$FF"; do
	out=$(db account add "$name" 2>"$T/acct.err"); st=$?
	expect_eq "account name $(printf '%s' "$name" | hexof) is refused" "$st" "1"
	textsafe "the refusal of account name $(printf '%s' "$name" | hexof)" "$T/acct.err"
done
db account add "$F1" >/dev/null; ok "a formula-looking account name is accepted"
expect_eq "and stored as typed" "$(q "select hex(name) from account where name like '=%'")" "$(printf '%s' "$F1" | hexof)"
expect_eq "an import created account $F4" "$(q "select count(*) from account where name = '$F4'")" "1"

# ---- shown harmlessly: every text form ------------------------------------------------------
db cdrs acme >"$T/cdrs.txt"
db rejects >"$T/rejects.out"
db ledger list acme >"$T/ledger.txt"
db audit >"$T/audit.txt"
db balance >"$T/balance.txt"
db statement acme --month 2026-11 >"$T/statement.txt" 2>/dev/null
db account list >"$T/accounts.txt"
db explain generic:g-csi >"$T/explain1.txt"
rid=$(q "select record_id from cdr where call_key like '1793700000.3%'")
db explain "$rid" >"$T/explain2.txt"
db explain "$(printf 'no\033]0;such\007')" >/dev/null 2>"$T/explain3.txt"
for f in cdrs.txt rejects.out ledger.txt audit.txt balance.txt statement.txt accounts.txt explain1.txt explain2.txt \
	explain3.txt imp.txt imp2.txt imp3.txt; do
	textsafe "billtop's text output ($f)" "$T/$f"
done
expect_contains "cdrs shows the CSI as text (cut to its column with ~)" "$(cat "$T/cdrs.txt")" '\x1b[31mRED\x1b~'
expect_contains "cdrs shows the OSC 52 as text" "$(cat "$T/cdrs.txt")" '\x1b]52;c;cm0gL'
expect_contains "cdrs shows U+009B as text" "$(cat "$T/cdrs.txt")" '\xc2\x9b2J'
expect_contains "cdrs shows the bidi override as text" "$(cat "$T/cdrs.txt")" '+1206\u{202e}55'
expect_contains "cdrs shows a disposition's escape (cut to the column, with ~)" "$(cat "$T/cdrs.txt")" 'ANSWERED\x~'
expect_contains "rejects show the NUL" "$(cat "$T/rejects.out")" '"a\x00b"'
expect_contains "rejects show a 1 MiB row cut, with its size" "$(cat "$T/rejects.out")" "(1048"
expect_contains "explain shows the deck's description escaped" "$(cat "$T/explain1.txt")" 'US \x1b[31mRED'
expect_contains "explain shows a record id's escape" "$(cat "$T/explain2.txt")" 'asterisk:1793700000.3\x1b]0;id\x07/'
expect_contains "an unknown call id is echoed escaped" "$(cat "$T/explain3.txt")" 'no\x1b]0;such\x07'
for want in '\x1b[31mRED' '\x1b]0;pwned\x07' '\x1b]52;c;cm0g' 'ding\x07dong' '\xc2\x9b2J' '+1206\u{202e}5550100'; do
	expect_contains "ledger list shows $want" "$(cat "$T/ledger.txt")" "$want"
	expect_contains "audit shows $want" "$(cat "$T/audit.txt")" "$want"
done
expect_contains "the statement shows a memo escaped" "$(cat "$T/statement.txt")" '\x1b]0;pwned\x07'

# ---- exported harmlessly ----------------------------------------------------------------------
db cdrs acme --format csv >"$T/cdrs.csv"
db cdrs acme --format json >"$T/cdrs.json"
cat >"$T/export.py" <<'EOF'
# CSV: RFC 4180 parse of the bytes; each hostile cell is the stored value,
# with an apostrophe in front when a spreadsheet would run it. JSON: loads,
# equals the stored text (invalid bytes as U+FFFD), controls escaped.
import csv, io, json, re, sys
T = sys.argv[1]
want = json.load(open(f'{T}/export.json'))
def neut(v):
    return "'" + v if v[:1] in ('=', '+', '-', '@') and not re.fullmatch(r'[-+]?\d+(\.\d*)?', v) else v
fails = 0
def check(what, got, exp):
    global fails
    if got != exp:
        fails += 1
        print(f'FAIL: {what}: {got!r}, want {exp!r}', file=sys.stderr)
raw = open(f'{T}/cdrs.csv', 'rb').read()
rows = list(csv.reader(io.StringIO(raw.decode('latin-1'), newline='')))
check('csv header', rows[0][:6], ['call_id', 'start', 'src', 'dst', 'clid', 'disposition'])
check('csv records end in CRLF', raw.endswith(b'\r\n'), True)
by = {r[0]: r for r in rows[1:]}
for rid, f in want.items():
    r = by.get(rid)
    if r is None:
        check('csv has ' + rid, None, rid); continue
    for i, k in ((2, 'src'), (3, 'dst'), (4, 'clid'), (5, 'disposition')):
        check(f'csv {rid} {k}', r[i], neut(f[k]))
jtext = open(f'{T}/cdrs.json', 'rb').read()
d = json.loads(jtext)
check('json is ASCII-safe: no raw control, C1 or separator',
      re.search(rb'[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xa8\xa9]', jtext), None)
check('json escapes U+009B', b'\\u009b' in jtext, True)
jb = {r['call_id']: r for r in d}
for rid, f in want.items():
    r = jb.get(rid)
    if r is None:
        check('json has ' + rid, None, rid); continue
    for k in ('src', 'dst', 'clid', 'disposition'):
        check(f'json {rid} {k}', r[k], f[k].encode('latin-1').decode('utf-8', 'replace'))
print(fails)
EOF
expect_eq "cdrs --format csv and --format json carry every hostile field harmlessly" "$(python3 "$T/export.py" "$T" | tail -1)" "0"
for f in "ledger list acme" "audit" "rejects" "account list" "statement acme --month 2026-11" "balance"; do
	# shellcheck disable=SC2086
	db $f --format json >"$T/x.json" 2>/dev/null
	python3 -c 'import json,sys; json.load(open(sys.argv[1], encoding="utf-8"))' "$T/x.json"; ok "billtop $f --format json is valid JSON"
done
db ledger list acme --format json >"$T/l.json"
expect_eq "ledger json: every memo exact" "$(json_get "$T/l.json" "{e['memo'] for e in d} >= {'\x1b[31mRED\x1b[0m', '\x1b]0;pwned\x07', '\x1b]52;c;cm0gLXJmIH4=\x07', 'ding\x07dong', '\x9b2J', '+1206\u202e5550100', '=cmd|\x27 /C calc\x27!A0', '+1+1', '-2+3', '@SUM(1)'}")" "True"
db rejects --format json >"$T/r.json"
expect_eq "rejects json: the NUL is \\u0000, the 1 MiB row whole" \
	"$(json_get "$T/r.json" "(any('\"a\\x00b\"' in r['row'] for r in d), max(r['row_bytes'] for r in d) > 1048576)")" "True True"
for f in "ledger list acme" "statement acme --month 2026-11" "audit" "account list" "rejects"; do
	# shellcheck disable=SC2086
	db $f --format csv >"$T/x.csv" 2>/dev/null
	expect_eq "billtop $f --format csv parses, every record one row" \
		"$(python3 -c 'import csv,io,sys; csv.field_size_limit(1 << 30); r=list(csv.reader(io.StringIO(open(sys.argv[1],"rb").read().decode("latin-1"), newline=""))); print(len(set(map(len, r))))' "$T/x.csv")" "1"
	cp "$T/x.csv" "$T/$(echo "$f" | cut -d' ' -f1).csv"
done
for f in "=cmd|' /C calc'!A0" "+1+1" "-2+3" "@SUM(1)"; do
	expect_contains "ledger csv neutralises $f" "$(cat "$T/ledger.csv")" "\"'$f\""
	expect_contains "statement csv neutralises $f" "$(cat "$T/statement.csv")" "\"'$f\""
done
expect_contains "ledger csv keeps the CSI as data" "$(cat "$T/ledger.csv")" "\"$CSI\""
expect_contains "account list csv neutralises a formula name" "$(cat "$T/account.csv")" "\"'=cmd|' /C calc'!A0\""
expect_contains "rejects csv: a NUL is written as U+FFFD" "$(cat "$T/rejects.csv")" "$(printf '"a\357\277\275b"')"

# ---- the console, in tmux ---------------------------------------------------------------------
if ! command -v tmux >/dev/null; then
	echo "cli-hostile: tmux not installed, console checks skipped" >&2
else
	tmx new-session -d -s anchor "sleep 86400"
	tmx set -g set-clipboard on   # an OSC 52 reaching the pane would create a tmux buffer
	tmx new-session -d -s con -x 132 -y 43 -c "$T" \
		"env LANG=C.UTF-8 TERM=xterm-256color BILLTOP_NOW='$BILLTOP_NOW' '$B' --db '$T/t.db'; sleep 60"
	screen() { tmx capture-pane -p -t con; }
	see() {   # see NAME TEXT: poll the screen (5 s)
		i=0
		while [ $i -lt 100 ]; do
			case "$(screen)" in *"$2"*) PASS=$((PASS + 1)); return 0 ;; esac
			sleep 0.05; i=$((i + 1))
		done
		FAIL=$((FAIL + 1)); printf 'FAIL: console: %s (waited for "%s")\n' "$1" "$2" >&2; screen | sed 's/^/  | /' >&2
	}
	keys() { tmx send-keys -t con "$@"; }
	answer() { see "prompt $1" "$1"; keys C-u; tmx send-keys -t con -l "$2"; keys Enter; }
	pick() { see "prompt $1" "$1"; tmx send-keys -t con -l "$2"; }  # a one-key menu (issue 11)
	see "the console starts" "accounts ("
	title=$(tmx display -p -t con '#{pane_title}')
	see "the accounts list shows a formula name as text" "=cmd|' /C calc'!A0"
	keys /; answer "search account:" acme; keys Enter
	see "acme's dashboard" "acme  dashboard"
	keys c
	see "the calls" "calls, newest first"
	see "a CSI in a number shows as text" '\x1b[31mRED\x1b'   # then cut: an ellipsis (issue 11)
	see "an OSC 52 shows as text" '\x1b]52;c;cm0gL'
	see "U+009B shows as text" '\xc2\x9b2J'
	see "a bidi override shows as text" '+1206\u{202e}55'
	keys e; pick "csv or text" c; answer "export to" "$T/console.csv"
	see "the export is written" "wrote $T/console.csv"
	if cmp -s "$T/console.csv" "$T/cdrs.csv"; then PASS=$((PASS + 1)); else
		FAIL=$((FAIL + 1)); echo "FAIL: console export differs from billtop cdrs --format csv" >&2; fi
	keys f; pick "filter:" n; answer "number contains" RED
	see "the selected call's caller name shows its OSC title as text" 'clid "\x1b]0;pwne'
	keys q
	see "back on the dashboard" "acme  dashboard"
	keys L
	see "the ledger" "ledger, newest first"
	see "a memo's CSI shows as text" '\x1b[31mRED\x1b[0m'
	see "a memo's OSC title shows as text" '\x1b]0;pwned\x07'
	see "a memo's BEL shows as text" 'ding\x07dong'
	keys q s
	see "the statement shows a memo's OSC 52 as text" '\x1b]52;c;cm0g'
	expect_eq "console: the terminal's title was not changed" "$(tmx display -p -t con '#{pane_title}')" "$title"
	expect_eq "console: no clipboard was set (OSC 52)" "$(tmx list-buffers)" ""
	keys Q
fi

echo "cli-hostile: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
