/* inv_int.h: what the investigation loaders share (private to data/inv_*.c
 * and investigate.c; not part of the data layer's interface).
 *
 * A side (inv_side, investigate.h) owns an arena of 1 MB blocks for its
 * strings and an intern table for strings many calls share. Every function
 * returns NULL (or -1) when memory runs out and leaves the side valid to
 * free. */
#ifndef BILLTOP_INV_INT_H
#define BILLTOP_INV_INT_H

#include <stdint.h>
#include "investigate.h"

struct inv_block {
	inv_block *next;
	size_t used, cap;
	char data[];
};

/* Call index -> record id, fetched from the store the first time a report
 * (or the engine's evidence) shows it: a compact side of ours does not
 * keep a million ids it never shows. Owned by the side (inv_side.ids). */
struct inv_ids {
	db_t *db;
	uint32_t *key;             /* call index + 1, 0 empty */
	char **val;
	size_t cap, n;
};

char *inv_arena_alloc(inv_side *s, size_t n);               /* n bytes in the side's arena */
const char *inv_arena_str(inv_side *s, const char *p, size_t n); /* copy of p[0..n) + NUL */
uint64_t inv_fnv(const char *p, size_t n);                   /* FNV-1a hash */
const char *inv_intern(inv_side *s, const char *p, size_t n);   /* one copy per distinct string */
recon_call *inv_push_call(inv_side *s);                      /* a new call at the end (wide form) */
void inv_trim(inv_side *s);                                  /* give back unused capacity */
/* Number normalised for matching, interned when shared (calling numbers). */
const char *inv_number(inv_side *s, const char *text, int shared);
/* recon_id_fn of our compact side: the record id of call i (ctx: inv_ids). */
const char *inv_our_id(void *ctx, const recon_side *s, size_t i);

#endif
