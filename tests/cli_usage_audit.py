#!/usr/bin/env python3
"""cli_usage_audit.py: a command's usage text cannot drift from its parser (issue 11).

Every CLI command is one file cli/cmd_NAME.c holding its entry
(`const cli_command cmd_NAME_entry = { .name, .usage, ... .fn = cmd_NAME }`)
next to the function that parses its options with cli_opt tables
(`{ "--quiet", 0, NULL, &quiet }`). This checks, on every `make unit` (a text
scan, no compiler):

 1. Every cli/cmd_*.c defines at least one entry, and cli/main.c lists every
    entry defined (and nothing else) in cli_commands[].
 2. Per usage form (the usage's first line, and each further line that starts
    with `billtop`: `import cdr ...`, `import mdr ...`, `watch --status ...`),
    the options the form names and the options its parser accepts are the
    same set, both ways:
      - an option named in the form that no table of the form's parser has
        (the usage promises what the parser refuses);
      - an option the parser accepts that the form does not name (the parser
        takes what the usage hides: `import mdr --quiet` was one).
    The form's parser is the function `CMD_SUB_cmd` when the file has one
    (`account add` -> account_add_cmd), else the entry's function; its tables
    are those in it and in the file's functions it calls (to a fixed point).
    Forms sharing one table list the options the other form takes in OTHER
    below, each with its reason (the code refuses them there, or they belong
    to the other form).
Prints "cli-usage-audit: N forms checked, N problems" and exits 1 on a problem.
"""
import os
import re
import sys

ROOT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..')

# (command form, option) -> why a shared table's option is not in this form.
OTHER = {
    ('import mdr', '--format'): 'the source format is a CDR notion: mdr refuses --format NAME '
                                '(--format text|json is the old spelling of --report)',
    ('import mdr', '--map'): 'refused for mdr (an MDR file\'s columns are found by name)',
    ('import mdr', '--dry-run'): 'refused for mdr ("--dry-run takes one CDR file")',
    ('ingest', '--from-db'): 'the other form',
    ('ingest', '--table'): 'belongs to the --from-db form (refused without it)',
    ('ingest', '--layout'): 'belongs to the --from-db form (refused without it)',
    ('ingest', '--lookback'): 'belongs to the --from-db form (refused without it)',
    ('ingest --from-db', '--format'): 'refused: the table\'s columns are read by name',
    ('ingest --from-db', '--map'): 'refused: the table\'s columns are read by name',
    ('ingest --from-db', '--date-format'): 'refused: the table\'s columns are read by name',
    ('ingest --from-db', '--batch-ms'): 'refused: a table is committed by --batch-rows',
    ('watch --exec', '--status'): 'the other form',
    ('watch --exec', '--all'): 'belongs to the --status form',
    ('watch --exec', '--format'): 'belongs to the --status form',
    ('watch --status', '--exec'): 'the other form',
    ('watch --status', '--once'): 'belongs to the --exec form',
    ('watch --status', '--timeout'): 'belongs to the --exec form',
    ('watch --status', '--max-backoff'): 'belongs to the --exec form',
    ('watch --status', '--quiet'): 'belongs to the --exec form',
}

OPT = re.compile(r'(?<![\w-])(--?[a-z][a-z0-9-]*)')


def strip_comments(src):
    return re.sub(r'/\*.*?\*/|//[^\n]*', lambda m: re.sub(r'[^\n]', ' ', m.group(0)), src, flags=re.S)


def c_string(expr):
    """The text of concatenated C string literals ("a" "b" -> ab), escapes kept as written."""
    return ''.join(m.group(1) for m in re.finditer(r'"((?:[^"\\]|\\.)*)"', expr)).replace('\\n', '\n')


def functions(src):
    """name -> body text of each top-level function definition."""
    out = {}
    for m in re.finditer(r'^[A-Za-z_][\w \t\*]*?\b(\w+)\s*\([^;{}]*\)\s*\n?\{', src, re.M):
        end = re.compile(r'^\}', re.M).search(src, m.end())
        out[m.group(1)] = src[m.end():end.start() if end else len(src)]
    return out


def tables(body):
    """Option names of every cli_opt table in body."""
    names = set()
    for m in re.finditer(r'\bcli_opt\s+\w+\s*\[\s*\]\s*=\s*\{(.*?)\};', body, re.S):
        names |= set(re.findall(r'\{\s*"(-{1,2}[\w-]+)"', m.group(1)))
    return names


def parsed_by(funcs, start):
    seen, todo = set(), [start]
    while todo:
        f = todo.pop()
        if f in seen or f not in funcs:
            continue
        seen.add(f)
        todo += [c for c in re.findall(r'\b(\w+)\s*\(', funcs[f]) if c in funcs and c != f]
    opts = set()
    for f in seen:
        opts |= tables(funcs[f])
    return opts


def forms(name, usage):
    """[(key, text)]: 'import cdr', 'watch --status', or the bare name."""
    out = []
    for part in re.split(r'\n\s*billtop ', usage):
        words = part.split()
        key = name
        if len(words) > 1 and words[0] == name and (re.fullmatch(r'[a-z]+', words[1]) or
                                                     re.fullmatch(r'--[a-z-]+', words[1])):
            key = f'{name} {words[1]}'
        out.append((key, part))
    return out


def main():
    problems, nforms, defined, used_other = [], 0, {}, set()
    cli = os.path.join(ROOT, 'cli')
    for fname in sorted(os.listdir(cli)):
        if not (fname.startswith('cmd_') and fname.endswith('.c')):
            continue
        rel = f'cli/{fname}'
        src = strip_comments(open(os.path.join(cli, fname), encoding='utf-8').read())
        funcs = functions(src)
        entries = list(re.finditer(r'const\s+cli_command\s+(\w+)\s*=\s*\{(.*?)\n\};', src, re.S))
        if not entries:
            problems.append(f'{rel}: no `const cli_command cmd_NAME_entry` (one file per command, with its entry)')
        for e in entries:
            var, body = e.group(1), e.group(2)
            fields = dict((m.group(1), m.group(2)) for m in
                          re.finditer(r'\.(\w+)\s*=\s*(.*?),\s*(?=\.\w+\s*=|$)', body, re.S))
            name, usage, fn = c_string(fields.get('name', '')), c_string(fields.get('usage', '')), \
                fields.get('fn', '').strip()
            defined[var] = rel
            if var != f'cmd_{name}_entry' or fn != f'cmd_{name}':
                problems.append(f'{rel}: entry {var} for "{name}" should be cmd_{name}_entry with .fn = cmd_{name}')
            if fn not in funcs:
                problems.append(f'{rel}: {var}: its function {fn} is not defined in this file')
                continue
            for key, text in forms(name, usage):
                nforms += 1
                sub = key.split()[1] if ' ' in key else None
                start = f'{name}_{sub}_cmd' if sub and f'{name}_{sub}_cmd' in funcs else fn
                parsed = parsed_by(funcs, start)
                named = set(OPT.findall(text))
                for o in sorted(named - parsed):
                    problems.append(f'{rel}: `{key}`: the usage names {o}, which its parser ({start}) does not take')
                for o in sorted(parsed - named):
                    if (key, o) in OTHER:
                        used_other.add((key, o))
                    else:
                        problems.append(f'{rel}: `{key}`: {start} takes {o}, which the usage does not name')
    main_c = strip_comments(open(os.path.join(cli, 'main.c'), encoding='utf-8').read())
    m = re.search(r'cli_commands\[\]\s*=\s*\{(.*?)\};', main_c, re.S)
    listed = re.findall(r'&(\w+)', m.group(1)) if m else []
    for v in sorted(set(defined) - set(listed)):
        problems.append(f'cli/main.c: cli_commands[] does not list {v} ({defined[v]})')
    for v in sorted(set(listed) - set(defined)):
        problems.append(f'cli/main.c: cli_commands[] lists {v}, defined in no cli/cmd_*.c')
    for (key, o), why in OTHER.items():
        if (key, o) not in used_other:
            problems.append(f'tests/cli_usage_audit.py: OTHER[{key!r}, {o!r}] is not needed any more: remove it')
    for p in problems:
        print(p)
    print(f'cli-usage-audit: {nforms} forms of {len(defined)} commands checked, {len(problems)} problems')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
