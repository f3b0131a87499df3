#!/usr/bin/env python3
"""dbapi_convert.py FILE...: rewrite SQLite C API calls to the store
interface of data/db.h (issue 12), in place.

  sqlite3_prepare_v2(E->sql, SQL, -1, &st, NULL)  -> db_prepare(E, SQL, &st)
  sqlite3_exec(E->sql, SQL, NULL, NULL, NULL)     -> db_exec(E, SQL)
  sqlite3_bind_text(st, i, s, n, SQLITE_STATIC)   -> db_bind_text(st, i, s, n)   (also TRANSIENT, blob)
  sqlite3_bind_text64(st, i, s, n, D, SQLITE_UTF8) -> db_bind_text(st, i, s, (int)(n))
  sqlite3_step/column_*/reset/finalize/bind_int*/bind_null/clear_bindings -> db_*
  sqlite3_changes(E->sql) -> db_changes(E); sqlite3_get_autocommit(E->sql) -> !db_in_transaction(E)
  sqlite3_extended_errcode(E->sql) -> db_last_error(E)  (a DB_E* status: drop any "& 0xff")
  sqlite3_stmt -> db_stmt; SQLITE_ROW/DONE/OK/NULL/INTEGER/FLOAT/TEXT/BLOB -> DB_*;
  SQLITE_CONSTRAINT -> DB_ECONSTRAINT, SQLITE_BUSY/LOCKED -> DB_EBUSY,
  SQLITE_INTERRUPT -> DB_EINTERRUPT, SQLITE_READONLY -> DB_EREADONLY;
  (rc & 0xff) == SQLITE_X -> rc == DB_X; db_begin(E) -> db_begin(E, 1);
  E->read_only (E a db handle: ends in "db") -> db_read_only(E); #include <sqlite3.h> dropped;
  char keep[sizeof E->err] saved around a rollback: dropped (db_rollback keeps db_errmsg).

Idempotent: converted text matches none of the patterns. What it cannot
convert (sqlite3_last_insert_rowid: use INSERT ... RETURNING id;
sqlite3_errmsg; db->sql / db->err; any other sqlite3_* or SQLITE_* name) is
printed as FILE:LINE: reason, to be done by hand; exit status 1 then.
"""
import re
import sys

RENAME = {
    'sqlite3_step': 'db_step', 'sqlite3_finalize': 'db_finalize', 'sqlite3_reset': 'db_reset',
    'sqlite3_clear_bindings': 'db_clear_bindings', 'sqlite3_bind_int64': 'db_bind_int64',
    'sqlite3_bind_int': 'db_bind_int', 'sqlite3_bind_null': 'db_bind_null',
    'sqlite3_column_int64': 'db_column_int64', 'sqlite3_column_int': 'db_column_int',
    'sqlite3_column_text': 'db_column_text', 'sqlite3_column_blob': 'db_column_blob',
    'sqlite3_column_bytes': 'db_column_bytes', 'sqlite3_column_type': 'db_column_type',
    'sqlite3_column_count': 'db_column_count',
}
CONST = {
    'SQLITE_ROW': 'DB_ROW', 'SQLITE_DONE': 'DB_DONE', 'SQLITE_OK': 'DB_OK', 'SQLITE_NULL': 'DB_NULL',
    'SQLITE_INTEGER': 'DB_INTEGER', 'SQLITE_FLOAT': 'DB_FLOAT', 'SQLITE_TEXT': 'DB_TEXT',
    'SQLITE_BLOB': 'DB_BLOB', 'SQLITE_CONSTRAINT': 'DB_ECONSTRAINT', 'SQLITE_BUSY': 'DB_EBUSY',
    'SQLITE_LOCKED': 'DB_EBUSY', 'SQLITE_INTERRUPT': 'DB_EINTERRUPT', 'SQLITE_READONLY': 'DB_EREADONLY',
}
MANUAL = {
    'sqlite3_last_insert_rowid': 'sqlite3_last_insert_rowid: use INSERT ... RETURNING id (db_step, db_column_int64)',
    'sqlite3_errmsg': 'sqlite3_errmsg: use db_fail(db, what) or db_errmsg(db)',
    'sqlite3_db_filename': 'sqlite3_db_filename + open: use db_reopen',
    'sqlite3_open_v2': 'sqlite3_open_v2: use db_open or db_reopen',
}


def split_call(src, i):
    """src[i] is '(' of a call: (list of raw argument texts, index after ')')."""
    depth, j, start, args = 0, i, i + 1, []
    while j < len(src):
        c = src[j]
        if c in '"\'':
            k = j + 1
            while k < len(src) and src[k] != c:
                k += 2 if src[k] == '\\' else 1
            j = k
        elif src.startswith('/*', j):
            j = src.find('*/', j) + 1
        elif c in '([{':
            depth += 1
        elif c in ')]}':
            depth -= 1
            if depth == 0:
                args.append(src[start:j])
                return args, j + 1
        elif c == ',' and depth == 1:
            args.append(src[start:j])
            start = j + 1
        j += 1
    return None, i


def handle(arg):
    """'E->sql' -> 'E' (the db_t expression), else None."""
    a = arg.strip()
    m = re.fullmatch(r'(.+?)\s*->\s*sql', a, re.S)
    return m.group(1) if m else None


def rewrite_calls(src, name, fn):
    out, pos = [], 0
    pat = re.compile(r'\b' + name + r'\s*\(')
    while True:
        m = pat.search(src, pos)
        if not m:
            break
        args, end = split_call(src, m.end() - 1)
        new = fn(args) if args is not None else None
        if new is None:
            out.append(src[pos:m.end()])
            pos = m.end()
            continue
        out.append(src[pos:m.start()])
        out.append(new)
        pos = end
    out.append(src[pos:])
    return ''.join(out)


def a(s):
    return s.strip()


def conv_prepare(args):
    if len(args) != 5 or a(args[2]) != '-1' or a(args[4]) != 'NULL':
        return None
    h = handle(args[0])
    if h is None:
        return None
    return 'db_prepare(%s, %s, %s)' % (h, args[1].lstrip(), a(args[3]))


def conv_exec(args):
    if len(args) != 5 or any(a(x) != 'NULL' for x in args[2:]):
        return None
    h = handle(args[0])
    return None if h is None else 'db_exec(%s, %s)' % (h, args[1].lstrip())


def conv_bind(kind):
    def f(args):
        if len(args) != 5 or a(args[4]) not in ('SQLITE_STATIC', 'SQLITE_TRANSIENT'):
            return None
        return 'db_bind_%s(%s, %s, %s, %s)' % (kind, a(args[0]), a(args[1]), args[2].lstrip(), a(args[3]))
    return f


def conv_text64(args):
    if len(args) != 6 or a(args[5]) != 'SQLITE_UTF8' or a(args[4]) not in ('SQLITE_STATIC', 'SQLITE_TRANSIENT'):
        return None
    return 'db_bind_text(%s, %s, %s, (int)(%s))' % (a(args[0]), a(args[1]), args[2].lstrip(), a(args[3]))


def conv_on_handle(fmt):
    def f(args):
        if len(args) != 1 or handle(args[0]) is None:
            return None
        return fmt % handle(args[0])
    return f


def conv_begin(args):
    if len(args) != 1:
        return None
    return 'db_begin(%s, 1)' % a(args[0])


def convert(src):
    src = re.sub(r'^\s*#\s*include\s*<sqlite3\.h>\s*\n', '', src, flags=re.M)
    src = rewrite_calls(src, 'sqlite3_prepare_v2', conv_prepare)
    src = rewrite_calls(src, 'sqlite3_exec', conv_exec)
    src = rewrite_calls(src, 'sqlite3_bind_text64', conv_text64)
    src = rewrite_calls(src, 'sqlite3_bind_text', conv_bind('text'))
    src = rewrite_calls(src, 'sqlite3_bind_blob', conv_bind('blob'))
    src = rewrite_calls(src, 'sqlite3_changes', conv_on_handle('db_changes(%s)'))
    src = rewrite_calls(src, 'sqlite3_get_autocommit', conv_on_handle('!db_in_transaction(%s)'))
    src = rewrite_calls(src, 'sqlite3_extended_errcode', conv_on_handle('db_last_error(%s)'))
    src = rewrite_calls(src, 'db_begin', conv_begin)
    for old, new in RENAME.items():
        src = re.sub(r'\b' + old + r'\b(?=\s*\()', new, src)
    src = re.sub(r'\bsqlite3_stmt\b', 'db_stmt', src)
    # db_last_error(E) & 0xff, (rc & 0xff) == SQLITE_X: statuses need no mask
    src = re.sub(r'(db_last_error\([^()]*\))\s*&\s*0xff', r'\1', src)
    src = re.sub(r'\(\s*(\w+)\s*&\s*0xff\s*\)\s*==\s*(SQLITE_\w+)', r'\1 == \2', src)
    for old, new in CONST.items():
        src = re.sub(r'\b' + old + r'\b', new, src)
    src = re.sub(r'\b(\w+) == (DB_E\w+) \|\| \1 == \2\b', r'\1 == \2', src)
    src = re.sub(r'((?:\b\w+(?:\.|->))*\w*db)->read_only\b', r'db_read_only(\1)', src)
    # saving db->err around a rollback: db_rollback keeps db_errmsg now
    src = re.sub(r'\n[ \t]*char keep\[sizeof (.+?)->err\];\n[ \t]*memcpy\(keep, \1->err, sizeof keep\);\n'
                 r'([ \t]*[^\n]*;)\n[ \t]*memcpy\(\1->err, keep, sizeof keep\);', r'\n\2', src)
    return src


def leftovers(path, src):
    probs = []
    code = re.sub(r'/\*.*?\*/', lambda m: re.sub(r'[^\n]', ' ', m.group(0)), src, flags=re.S)
    for n, line in enumerate(code.split('\n'), 1):
        for m in re.finditer(r'\bsqlite3_\w+|\bSQLITE_\w+', line):
            w = m.group(0)
            probs.append('%s:%d: %s' % (path, n, MANUAL.get(w, w + ': no db_* equivalent, convert by hand')))
        if re.search(r'\bdb\s*->\s*(sql|err)\b|\bdb->(last|be_err|impl)\b', line):
            probs.append('%s:%d: a db_t field: use db_errmsg/db_failf (the handle is opaque)' % (path, n))
    return probs


def main(argv):
    bad = 0
    for path in argv:
        if path.endswith(('data/db.c', 'data/db.h', 'data/db_backend.h')) or '/sqlite/' in path or '/pg/' in path:
            continue
        with open(path) as f:
            src = f.read()
        new = convert(src)
        if new != src:
            with open(path, 'w') as f:
                f.write(new)
        for p in leftovers(path, new):
            print(p)
            bad = 1
    return bad


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
