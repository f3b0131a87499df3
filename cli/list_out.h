/* list_out.h: what the record listings of one account (`cdrs`, `mdrs`)
 * share: their common options read into times and a format, the store, the
 * account and the output opened, the as-of split (records dated after the
 * as-of time are counted apart, never listed, and named in a warning on
 * stderr), and the closing. The rows, headers and footers are each
 * command's own (render.c, render_mdr.c). Each command keeps its own
 * cli_opt table (tests/cli_usage_audit.py reads it) pointing at the
 * option texts here. */
#ifndef BILLTOP_LIST_OUT_H
#define BILLTOP_LIST_OUT_H

#include <stdint.h>
#include <stdio.h>
#include "../data/out.h"
#include "cli.h"

/* Records dated after the as-of time: how many, first and last time. */
typedef struct {
	int64_t n, first, last;
} list_later;

typedef struct {
	/* option texts, NULL when not given: the command's cli_opt table
	 * points at them (--from, --to, --as-of, --format, -o) */
	const char *from_t, *to_t, *asof_t, *format, *out;
	/* filled by list_begin */
	int fmt;               /* FMT_TEXT, FMT_CSV, FMT_JSON */
	int64_t from, to;      /* [from, to) from the options: INT64_MIN, INT64_MAX when not given */
	int64_t asof;          /* --as-of TIME, else now (db_now) */
	db_t *db;              /* open read-only; list_end closes it */
	account_info account;
	FILE *f;               /* stdout or -o FILE; list_end closes it */
	out_csv csv;           /* on f */
	out_json j;            /* on f, pretty */
	list_later later;      /* list_later_add counts here */
} list_out;

/* After cli_parse: the format (cmd names it in errors), the times, the
 * store (g), the account by name and the output. 0, or the exit status
 * after the error was printed (2 a bad format, 1 otherwise); nothing is
 * left open then. l's option texts are set by the caller. */
int list_begin(list_out *l, const char *cmd, const cli_global *g, const char *account);

/* The as-of split of [l->from, l->to): when the as-of time falls before
 * to, *to becomes as-of + 1 (the listing stops there) and *later_from the
 * start of the later records' range (which ends at l->to); returns 1.
 * Otherwise *to is l->to and it returns 0 (nothing can be later). */
int list_asof_split(const list_out *l, int64_t *to, int64_t *later_from);

/* Count a record dated at t in l->later (first, last kept). */
void list_later_add(list_later *lt, int64_t t);

/* Ends the JSON array (JSON), closes the output, warns about the later
 * records on stderr ("N NOUNs dated after now ... not listed: CLOCK running
 * ahead? ..."), closes the store. Returns rc, or 1 when the output could not
 * be written. The text footer is the caller's, before this. */
int list_end(list_out *l, int rc, const char *noun, const char *clock);

#endif
