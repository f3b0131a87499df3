/* inv_int.h: what the investigation loaders share (private to data/inv_*.c
 * and investigate.c; not part of the data layer's interface).
 *
 * A side (inv_side, investigate.h) owns an arena of 1 MB blocks for its
 * strings and an intern table for strings many calls share. Every function
 * returns NULL (or -1) when memory runs out and leaves the side valid to
 * free. */
#ifndef BILLTOP_INV_INT_H
#define BILLTOP_INV_INT_H

#include <pthread.h>
#include <stdatomic.h>
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
	db_stmt *q;           /* the lookup, prepared once (reset after each use) */
};

char *inv_arena_alloc(inv_side *s, size_t n);               /* n bytes in the side's arena */
const char *inv_arena_str(inv_side *s, const char *p, size_t n); /* copy of p[0..n) + NUL */
uint64_t inv_fnv(const char *p, size_t n);                   /* FNV-1a hash */
const char *inv_intern(inv_side *s, const char *p, size_t n);   /* one copy per distinct string */
recon_call *inv_push_call(inv_side *s);                      /* a new call at the end (wide form) */
void inv_trim(inv_side *s);                                  /* give back unused capacity */
/* Number normalised for matching, interned when shared (calling numbers). */
const char *inv_number(inv_side *s, const char *text, int shared);
/* A load's cancellation: `flag` is shared by every thread of the load
 * (read relaxed every few thousand rows); poll is inv_request.poll and is
 * only ever called on the thread that owns it (inv_cancel_check with
 * on_owner = 1), at most every INV_POLL_MS. */
typedef struct {
	int (*poll)(void *ctx);
	void *ctx;
	atomic_int flag;
	int64_t next_ms;             /* monotonic ms of the next poll */
	int by_poll;                 /* flag was set because poll said so (owner's thread) */
} inv_cancel;

#define INV_CANCEL_EVERY 4096    /* rows between two checks */

/* 1 when the load is cancelled (c NULL: never). On the owner's thread, polls
 * first when INV_POLL_MS have passed since the last poll. */
int inv_cancel_check(inv_cancel *c, int on_owner);

/* pthread_join(th) that, on the owner's thread, keeps polling c every
 * 10 ms until the thread has set *done (release). */
void inv_join(pthread_t th, atomic_int *done, inv_cancel *c, int on_owner);

/* The loaders of investigate.h, cancellable: c may be NULL; on_owner says
 * whether this thread may call c->poll. A cancelled load returns DB_EINPUT
 * "cancelled" and leaves *out to be freed. */
int inv_load_ours_cx(db_t *db, const account_info *a, int64_t from, int64_t to, int flags, inv_cancel *c,
                     int on_owner, inv_side *out);
int inv_load_theirs_cx(db_t *db, const inv_theirs_opts *o, int flags, inv_cancel *c, inv_side *out,
                       cdrfmt_kind *format_used);

/* recon_id_fn of our compact side: the record id of call i (ctx: inv_ids). */
const char *inv_our_id(void *ctx, const recon_side *s, size_t i);
/* Remember record_id (as stored, "source:id...") as the id of our call i,
 * so that inv_our_id needs no query for it (inv_names_load reads the row
 * anyway). 0, or -1 when memory runs out. */
int inv_ids_put(inv_ids *x, size_t i, const char *record_id);

#endif
