#!/usr/bin/env python3
# tests/mutations/decks.py: the proof that each deck rule is tested (issue 9).
# Flips one rule at a time in the source, rebuilds, runs `build/unit_tests deckfmt` and
# tests/cli/decks.sh, restores the file. Every line must show a failure. Tied to the
# source as of its commit: a rule rewritten since makes its assert fire (update the text).
# Run from the worktree root: python3 tests/mutations/decks.py [NAME...]
import subprocess, sys
M = [
 ("paren/unit normalisation", "data/deckfmt.c", "		if (c == '(' || c == '[') {\n			paren++;", "		if (0) {\n			paren++;"),
 ("ASTPP costmin alias", "data/deckfmt.c", '"costmin" /* ASTPP', '"xcostmin" /* ASTPP'),
 ("IvozProvider perminutecharge alias", "data/deckfmt.c", '"perminutecharge",', '"xperminutecharge",'),
 ("leading +", "data/deckfmt.c", "	} else if (*s == '+') {\n		s++;\n	}", "	}"),
 ("ASTPP ^pattern.*", "data/deckfmt.c", "	if (*s == '^') {", "	if (0) {"),
 ("blank rows skipped", "data/deckfmt.c", "	if (row_blank(row)) {", "	if (row_blank(row) && 0) {"),
 ("increment 0 -> 1", "data/deckfmt.c", "r.inc_secs = (int32_t)(b < 1 ? 1 : b);", "r.inc_secs = (int32_t)(b < 0 ? 1 : b);"),
 ("initial 0 -> increment", "data/deckfmt.c", "r.min_secs = (int32_t)(a < 1 ? r.inc_secs : a);", "r.min_secs = (int32_t)(a < 1 ? 1 : a);"),
 ("billing a/b", "data/deckfmt.c", 'const char *sep = strpbrk(s, "/+-:");', 'const char *sep = NULL;'),
 ("free seconds refused", "data/deckfmt.c", "		if (a > 0)\n			return deckfmt_note(d, line, 1, \"%s %lld: that writer", "		if (0)\n			return deckfmt_note(d, line, 1, \"%s %lld: that writer"),
 ("prefix separators", "data/deckfmt.c", "} else if ((*p == ' ' || *p == '-') && p > s && p + 1 < e) {", "} else if (0) {"),
 ("zero rate warned", "data/deckfmt_check.c", "		if (r->r.rate_per_min == 0) {", "		if (0) {"),
 ("20x median", "data/deckfmt_check.c", "r->r.rate_per_min / 20 > d->median", "r->r.rate_per_min / 200 > d->median"),
 ("one prefix twice", "data/deckfmt_check.c", "	for (size_t i = 1; i < n; i++) {\n		deckfmt_row *p = ix[keep]", "	for (size_t i = n; i < n; i++) {\n		deckfmt_row *p = ix[keep]"),
 ("NPA-NXX needs --add-prefix", "data/deckfmt.c", "if (us && d->col[DF_PREFIX] < 0 && !x->o->add_prefix)", "if (0)"),
 ("several rate columns refused", "data/deckfmt.c", "if (d->rate_cols > 1 && !rate_chosen) {", "if (0 && !rate_chosen) {"),
 ("CGRateS refused", "data/deckfmt.c", "if (cg >= 3)", "if (cg >= 99)"),
 ("--map applied", "data/deckfmt.c", "	const char *p = x->o->map;", "	const char *p = NULL;"),
 ("headerless with numbered map", "data/deckfmt.c", "	x->want_header = !(any && all_numbers);", "	x->want_header = !(any && all_numbers) || 1;"),
 ("--map field=-", "data/deckfmt.c", "		if (x->map_col[f] == MAP_NONE) {\n			d->col[f] = -1;", "		if (0) {\n			d->col[f] = -1;"),
 ("Action D refused", "data/deckfmt.c", "		if (*f == 'D' || *f == 'd')", "		if (0)"),
 ("NUL refused", "data/deckfmt.c", "			return deckfmt_note(d, line, 1, \"field %d holds a NUL byte\", i + 1), 0;", "			(void)0;"),
 ("rejects refuse the import", "data/deck.c", "	if (d->rejected && !keep_going)", "	if (0)"),
 ("--keep-going exits 3", "tui/cmd_setup.c", "rc = s.rejected ? 3 : 0;", "rc = 0;"),
 ("empty rate rejected", "data/deckfmt.c", "	if (row_blank_str(f))\n		return deckfmt_note(d, line, 1, \"no rate:", "	if (0)\n		return deckfmt_note(d, line, 1, \"no rate:"),
 ("first increment without increment warned", "data/deckfmt.c", "	if (d->col[DF_MIN] >= 0 && d->col[DF_INC] < 0 && d->col[DF_BILLING] < 0)", "	if (0)"),
 ("SDF subinterval alias", "data/deckfmt.c", '"nextinterval", "subinterval",', '"nextinterval", "xsubinterval",'),
 ("44.0 not a prefix", "data/deckfmt.c", "} else if ((*p == ' ' || *p == '-') && p > s && p + 1 < e) {", "} else if ((*p == ' ' || *p == '-' || *p == '.') && p > s && p + 1 < e) {"),
 ("pair needs both sides", "data/deckfmt.c", "	if (row_blank_str(first) || row_blank_str(sep + 1))\n		return -1;", ""),
 ("30-6 in increment column", "data/deckfmt.c", "		if (k == 2)\n			a = i1, b = i2;", "		if (k == 3)\n			a = i1, b = i2;"),
 ("dry-run writes nothing", "tui/cmd_setup.c", "	if (dry) {\n		/* nothing", "	if (0) {\n		/* nothing"),
]
sel = sys.argv[1:]
M = [m for m in M if not sel or m[0] in sel]
for name, path, old, new in M:
    src = open(path).read()
    assert src.count(old) == 1, (name, src.count(old))
    open(path, "w").write(src.replace(old, new))
    try:
        b = subprocess.run("make -j2 billtop build/unit_tests >/dev/null 2>&1", shell=True)
        if b.returncode:
            print("%-36s BUILD FAILED" % name); continue
        u = subprocess.run("build/unit_tests deckfmt 2>&1 | tail -1", shell=True, capture_output=True, text=True).stdout.strip()
        c = subprocess.run("BILLTOP=$PWD/billtop sh tests/cli/decks.sh 2>/dev/null | tail -1", shell=True, capture_output=True, text=True).stdout.strip()
        print("%-36s %-28s %s" % (name, u, c))
    finally:
        open(path, "w").write(src)
subprocess.run("make -j2 billtop build/unit_tests >/dev/null 2>&1", shell=True)
