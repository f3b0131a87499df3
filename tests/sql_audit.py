#!/usr/bin/env python3
"""sql_audit.py: statement text is only ever constants (issue 5).

README, Hardening: "Statement text is only ever string constants; every
value from a user or a file is a bound parameter." This checks it in core/,
data/ and the front ends (cli/, console/, front/) on every `make check`
(cheap: a text scan, no compiler):

 1. No SQL-building API at all: sqlite3_mprintf, sqlite3_vmprintf,
    sqlite3_snprintf, sqlite3_vsnprintf, sqlite3_str_* (%q/%Q/%w quoting is
    how SQL gets built from values; values are bound instead).
 2. No printf-family call whose format looks like SQL (SELECT, INSERT,
    PRAGMA... in the literal), except ALLOW below, each with its reason.
 3. The SQL argument of every sqlite3_prepare*, sqlite3_exec, db_exec,
    db_prepare and libpq PQexec*, PQprepare, PQsend* call is constant: string
    literals and UPPER_CASE macros ("SELECT " CDR_COLS " FROM cdr"), a
    `const char NAME[]` or `const char *const NAME[]` of the same file
    (indexed or not), a ? b : c of constants, DB_SQL(db, sqlite_text,
    pg_text) of constants (the dialect split of data/db.h), or a parameter of
    the enclosing function; in that last case
    the function is itself an SQL entry point and every call of it is checked
    the same way (found to a fixed point, across files).
 4. The front ends (cli/, console/, front/) never speak SQL (issue 11): no
    sqlite3_* name (call, type or constant), no db_prepare or db_exec call,
    no #include <sqlite3.h>. What they need from the store is a data/
    function with a contract (rejects_each, ratesq_each, db_data_version,
    db_set_progress...). PENDING below lists a file still doing it, each
    with its reason and who moves it; the audit fails once it is clean and
    still listed, so the list only shrinks.
 5. The store's backends stay in their directories (issue 12): no file of
    data/ (but data/sqlite/), tests/unit/ or tests/fuzz/ names sqlite3_* or
    SQLITE_* or includes <sqlite3.h>; none of them but data/pg/ and
    data/pgsrc.c (which reads a switch's own table, not the store) includes
    <libpq-fe.h>. The rest speaks data/db.h (db_prepare, db_step...).
Checked: core/, data/, data/sqlite/, data/pg/ (when present) and the front ends.
Prints "sql-audit: N statements checked, N problems" and exits 1 on a problem.
"""
import os
import re
import sys

ROOT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..')
DIRS = ('core', 'data', 'data/sqlite', 'data/pg', 'cli', 'console', 'front')
# rule 5: where a backend's own API may be named
BACKEND_OK = {'sqlite': ('data/sqlite',), 'libpq': ('data/pg', 'data/pgsrc.c')}
BACKEND_DIRS = ('data', 'data/pg', 'tests/unit', 'tests/fuzz')
SQLITE_NAME = re.compile(r'\bsqlite3_\w+|\bSQLITE_[A-Z_0-9]+|#\s*include\s*[<"][^>"]*sqlite3\.h[>"]')
LIBPQ_INC = re.compile(r'#\s*include\s*[<"][^>"]*libpq-fe\.h[>"]')

# (file, text) -> why it is fine. text: a format literal (rule 2) or an
# argument (rule 3), exactly as written.
ALLOW = {
    ('data/sqlite/db_sqlite.c', '"PRAGMA user_version=%d"'):
        'a PRAGMA takes no bound parameters; %d is the migration number, an int',
    ('data/sqlite/db_sqlite.c', 'bump'): 'the PRAGMA user_version text above',
    ('data/pgsrc.c', '"DECLARE billtop_cdr NO SCROLL CURSOR FOR SELECT %s, %s%s%s FROM %s WHERE %s IS NOT NULL%s ORDER BY %s"'):
        'PostgreSQL (libpq): the switch table\'s column and table names, read from its catalog and quoted by'
        ' PQescapeIdentifier (names cannot be bound); the watermark is bound ($1)',
    ('data/pgsrc.c', 'sql'): 'the DECLARE ... CURSOR text above (PostgreSQL, libpq)',
    ('data/pg/db_pg_stmt.c', 's->sql'): 'the text given to the backend\'s prepare (db_prepare, whose callers are'
        ' checked) with ?N rewritten to $N, prepared on the server at the first step',
    ('data/pgsrc.c', 'fetch'): '"FETCH %d FROM billtop_cdr": %d is the batch size, an int option',
}
FRONT = ('cli', 'console', 'front')
# front-end file -> why it still runs SQL (rule 4); remove the line with the move.
PENDING = {
}
FRONT_SQL = re.compile(r'\bsqlite3_\w+|\b(?:db_prepare|db_exec)\s*\(|#\s*include\s*[<"][^>"]*sqlite3\.h[>"]')
BUILDERS = re.compile(r'\bsqlite3_(v?mprintf|v?snprintf|str_\w+)\s*\(')
PRINTF = re.compile(r'\b(v?s?n?printf|v?asprintf|v?fprintf)\s*\(')
SQLWORD = re.compile(r'\b(SELECT|INSERT|UPDATE|DELETE|PRAGMA|CREATE|DROP|ALTER|ATTACH|REPLACE INTO|VALUES|WHERE)\b')
# entry point -> index of its SQL argument
ENTRY = {'sqlite3_prepare': 1, 'sqlite3_prepare_v2': 1, 'sqlite3_prepare_v3': 1,
         'sqlite3_prepare16': 1, 'sqlite3_prepare16_v2': 1, 'sqlite3_prepare16_v3': 1,
         'sqlite3_exec': 1, 'db_exec': 1, 'db_prepare': 1,
         'PQexec': 1, 'PQexecParams': 1, 'PQprepare': 2, 'PQsendQuery': 1, 'PQsendQueryParams': 1,
         'PQsendPrepare': 2}


def strip_comments(src):
    """Comments become spaces (newlines kept); strings and chars kept."""
    out, i, n = [], 0, len(src)
    while i < n:
        c = src[i]
        if src.startswith('/*', i):
            j = src.find('*/', i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r'[^\n]', ' ', src[i:j]))
            i = j
        elif src.startswith('//', i):
            j = src.find('\n', i)
            j = n if j < 0 else j
            out.append(' ' * (j - i))
            i = j
        elif c in '"\'':
            j = i + 1
            while j < n and src[j] != c:
                j += 2 if src[j] == '\\' else 1
            out.append(src[i:j + 1])
            i = j + 1
        else:
            out.append(c)
            i += 1
    return ''.join(out)


def call_args(src, open_paren):
    """Top-level arguments of the call whose '(' is at open_paren."""
    args, depth, start, i = [], 0, open_paren + 1, open_paren
    while i < len(src):
        c = src[i]
        if c in '"\'':
            j = i + 1
            while j < len(src) and src[j] != c:
                j += 2 if src[j] == '\\' else 1
            i = j
        elif c in '([{':
            depth += 1
        elif c in ')]}':
            depth -= 1
            if depth == 0:
                args.append(src[start:i].strip())
                return args
        elif c == ',' and depth == 1:
            args.append(src[start:i].strip())
            start = i + 1
        i += 1
    return args


def split_ternary(e):
    """'a ? b : c' at top level -> [b, c] (recursively), else None."""
    depth, q = 0, -1
    i = 0
    while i < len(e):
        c = e[i]
        if c in '"\'':
            j = i + 1
            while j < len(e) and e[j] != c:
                j += 2 if e[j] == '\\' else 1
            i = j
        elif c in '([':
            depth += 1
        elif c in ')]':
            depth -= 1
        elif c == '?' and depth == 0 and q < 0:
            q = i
        elif c == ':' and depth == 0 and q >= 0:
            return [e[q + 1:i].strip(), e[i + 1:].strip()]
        i += 1
    return None


LITERALS = re.compile(r'^(\s*("([^"\\]|\\.)*"|[A-Z][A-Z0-9_]*)\s*)+$')


class File:
    def __init__(self, rel, text):
        self.rel, self.src = rel, strip_comments(text)
        self.consts = set(re.findall(r'\bconst\s+char\s+(?:\*\s*const\s+)?(\w+)\s*\[', self.src))
        self.consts |= set(re.findall(r'#define\s+(\w+)', self.src))
        # function definitions: (start, end of header, name, params)
        self.funcs = [(m.start(), m.end(), m.group(1), m.group(2))
                      for m in re.finditer(r'^[A-Za-z_][\w \t\*]*?\b(\w+)\s*\(([^;{}()]*)\)\s*\{', self.src, re.M)]

    def line(self, pos):
        return self.src.count('\n', 0, pos) + 1

    def enclosing(self, pos):
        best = None
        for f in self.funcs:
            if f[0] < pos:
                best = f
        return best


def params(plist):
    names = []
    for p in plist.split(','):
        m = re.search(r'(\w+)\s*(\[[^\]]*\])?\s*$', p.strip())
        if m:
            names.append(m.group(1))
    return names


def main():
    files = []
    for d in DIRS:
        if not os.path.isdir(os.path.join(ROOT, d)):
            continue  # data/pg/ before the PostgreSQL backend is merged
        for name in sorted(os.listdir(os.path.join(ROOT, d))):
            if name.endswith(('.c', '.h')):
                rel = f'{d}/{name}'
                files.append(File(rel, open(os.path.join(ROOT, rel), encoding='utf-8', errors='replace').read()))
    problems, checked = [], 0
    for f in files:
        for m in BUILDERS.finditer(f.src):
            problems.append(f'{f.rel}:{f.line(m.start())}: {m.group(0)[:-1].strip()} builds SQL text: bind values instead')
        for m in PRINTF.finditer(f.src):
            args = call_args(f.src, m.end() - 1)
            fmt = next((a for a in args if a.startswith('"')), '')
            if SQLWORD.search(fmt) and (f.rel, fmt) not in ALLOW:
                problems.append(f'{f.rel}:{f.line(m.start())}: {m.group(1)} formats SQL text {fmt[:60]}: '
                                'statements must be constants with bound parameters')
    for d in BACKEND_DIRS:
        if not os.path.isdir(os.path.join(ROOT, d)):
            continue
        for name in sorted(os.listdir(os.path.join(ROOT, d))):
            if not name.endswith(('.c', '.h')):
                continue
            rel = f'{d}/{name}'
            src = strip_comments(open(os.path.join(ROOT, rel), encoding='utf-8', errors='replace').read())
            for m in SQLITE_NAME.finditer(src):
                problems.append(f'{rel}:{src.count(chr(10), 0, m.start()) + 1}: {m.group(0).strip()}: SQLite is '
                                'named only in data/sqlite/; use the db_* interface of data/db.h')
            if not any(rel == ok or rel.startswith(ok + '/') for ok in BACKEND_OK['libpq']):
                for m in LIBPQ_INC.finditer(src):
                    problems.append(f'{rel}:{src.count(chr(10), 0, m.start()) + 1}: libpq is used only in data/pg/ '
                                    '(and data/pgsrc.c); use the db_* interface of data/db.h')
    for rel in sorted(set(PENDING) - {f.rel for f in files}):
        problems.append(f'{rel}: listed in PENDING but not there: remove it from tests/sql_audit.py')
    for f in files:
        if f.rel.split('/')[0] not in FRONT:
            continue
        hits = list(FRONT_SQL.finditer(f.src))
        if f.rel in PENDING:
            if not hits:
                problems.append(f'{f.rel}: no SQL left: remove it from PENDING in tests/sql_audit.py')
            continue
        for m in hits:
            problems.append(f'{f.rel}:{f.line(m.start())}: {m.group(0).strip()}: a front end never speaks SQL; '
                            'call a data/ function (only data/ speaks SQL)')
    entry = dict(ENTRY)  # name -> SQL argument index; grows with pass-through helpers
    seen_helpers = set()
    changed = True
    while changed:
        changed = False
        problems_pass, checked = [], 0
        for f in files:
            for name, idx in list(entry.items()):
                for m in re.finditer(r'\b' + re.escape(name) + r'\s*\(', f.src):
                    enc = f.enclosing(m.start())
                    if enc and enc[0] <= m.start() < enc[1]:
                        continue  # the definition itself
                    line_start = f.src.rfind('\n', 0, m.start()) + 1
                    prefix = f.src[line_start:m.start()]
                    if re.match(r'\s*#\s*define', prefix):
                        continue
                    if re.fullmatch(r'\s*[A-Za-z_][\w\s\*]*', prefix) and not re.search(r'\breturn\s*$', prefix):
                        continue  # a declaration: "int db_exec(db_t *db, ..."
                    args = call_args(f.src, m.end() - 1)
                    if len(args) <= idx:
                        continue
                    checked += 1
                    todo = [args[idx]]
                    while todo:
                        a = todo.pop()
                        t = split_ternary(a)
                        if t:
                            todo += t
                            continue
                        ds = re.match(r'DB_SQL\s*\(', a)
                        if ds:  # DB_SQL(db, sqlite_text, pg_text): both texts must be constant
                            dargs = call_args(a, ds.end() - 1)
                            if len(dargs) == 3:
                                todo += dargs[1:]
                                continue
                        base = re.sub(r'\[.*\]$', '', a).strip()
                        if LITERALS.match(a) or base in f.consts or (f.rel, a) in ALLOW:
                            continue
                        if enc and re.fullmatch(r'\w+', a) and a in params(enc[3]):
                            helper = (enc[2], params(enc[3]).index(a))
                            if helper not in seen_helpers:
                                seen_helpers.add(helper)
                                entry[helper[0]] = helper[1]
                                changed = True
                            continue
                        problems_pass.append(f'{f.rel}:{f.line(m.start())}: the SQL given to {name}() is not a '
                                             f'constant: {a[:70]}')
    problems += problems_pass
    for p in problems:
        print(p)
    helpers = sorted(h[0] for h in seen_helpers)
    print(f'sql-audit: {checked} statements checked (helpers taking SQL: {", ".join(helpers) or "none"}), '
          f'{len(problems)} problems')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
