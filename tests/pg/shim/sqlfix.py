# sqlfix.py: the SQLite functions the CLI tests' own queries use, rewritten
# for PostgreSQL by shim/sqlite3 (the queries look inside the store; billtop's
# statements are never rewritten): group_concat(x[, sep]) ->
# string_agg((x)::text, sep), datetime(x, 'unixepoch') -> the UTC text;
# a subquery in FROM gets the alias PostgreSQL 15 requires; the columns end
# and offset are quoted; DROP TRIGGER NAME names its table; strftime('%s', T)
# is the epoch; total(x) is coalesce(sum(x), 0) as a float.
import re, sys

def split_call(s, i):
    """s[i] is '(': return (args, end) with top-level comma split."""
    depth, args, cur, q = 0, [], '', None
    j = i
    while j < len(s):
        c = s[j]
        if q:
            cur += c
            if c == q:
                q = None
        elif c in "'\"":
            q = c; cur += c
        elif c == '(':
            depth += 1
            if depth > 1: cur += c
        elif c == ')':
            depth -= 1
            if depth == 0:
                args.append(cur); return args, j + 1
            cur += c
        elif c == ',' and depth == 1:
            args.append(cur); cur = ''
        else:
            cur += c
        j += 1
    raise ValueError('unbalanced')

def fix(s):
    out, i = '', 0
    pat = re.compile(r'\b(group_concat|datetime|total)\s*\(', re.I)
    while True:
        m = pat.search(s, i)
        if not m:
            return out + s[i:]
        args, end = split_call(s, m.end() - 1)
        args = [fix(a) for a in args]
        out += s[i:m.start()]
        if m.group(1).lower() == 'total':  # SQLite's sum that is 0.0, never NULL
            out += 'coalesce(sum(%s), 0)::float8' % args[0]
        elif m.group(1).lower() == 'group_concat':
            sep = args[1] if len(args) > 1 else "','"
            out += 'string_agg((%s)::text, %s)' % (args[0], sep)
        elif len(args) == 2 and args[1].strip().lower() == "'unixepoch'":
            out += "to_char(to_timestamp(%s) at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS')" % args[0]
        else:
            out += s[m.start():end]
        i = end

KEYWORDS = ('where', 'group', 'order', 'limit', 'union', 'join', 'left', 'inner', 'cross', 'having')

def alias(s):
    """PostgreSQL 15 wants an alias on a subquery in FROM; SQLite does not."""
    out, i, n = '', 0, 0
    pat = re.compile(r'\b(from|join)\s*\(', re.I)
    while True:
        m = pat.search(s, i)
        if not m:
            return out + s[i:]
        _, end = split_call(s, m.end() - 1)
        inner = alias(s[m.end():end - 1])
        out += s[i:m.end()] + inner + ')'
        rest = s[end:].lstrip()
        word = re.match(r'[A-Za-z_]+', rest)
        if not word or word.group(0).lower() in KEYWORDS:
            n += 1
            out += ' as _q%d' % n
        i = end

def quote_words(s):
    """Columns named end and offset, bare in SQLite, quoted for PostgreSQL
    (only in a query with no CASE ... END, no LIMIT ... OFFSET)."""
    if not re.search(r'\bcase\b', s, re.I):
        s = re.sub(r'(?<!")\bend\b(?!")', '"end"', s)
    if not re.search(r'\blimit\b', s, re.I):
        s = re.sub(r'(?<!")\boffset\b(?!")', '"offset"', s)
    return s

def drop_trigger(s):
    """SQLite's DROP TRIGGER [IF EXISTS] NAME (a test tampering with the
    store): on PostgreSQL the trigger's table is named, found in pg_trigger."""
    return re.sub(r'\bDROP TRIGGER\s+(IF EXISTS\s+)?(\w+)\s*;', lambda m: (
        "DO $d$ DECLARE t text; BEGIN SELECT tgrelid::regclass::text INTO t FROM pg_trigger"
        " WHERE tgname = '%s' AND NOT tgisinternal; IF t IS NOT NULL THEN"
        " EXECUTE format('DROP TRIGGER %%I ON %%s', '%s', t); %s END IF; END $d$;"
        % (m.group(2), m.group(2), '' if m.group(1) else "ELSE RAISE 'no such trigger: %s';" % m.group(2))),
        s, flags=re.I)

def strftime_s(s):
    """strftime('%s', TIME): the epoch seconds of a UTC time text."""
    return re.sub(r"\bstrftime\s*\(\s*'%s'\s*,\s*('[^']*')\s*\)",
                  r"extract(epoch from \1::timestamp)::bigint", s, flags=re.I)

sys.stdout.write(strftime_s(drop_trigger(quote_words(alias(fix(sys.stdin.read()))))))
