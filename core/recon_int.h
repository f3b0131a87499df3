/* recon_int.h: internals shared by recon.c (pairing, helpers),
 * recon_tree.c (totals, the tree, recon_run) and recon_diag.c (clock
 * offset, causes). Not an API: nothing outside these three files includes
 * it.
 *
 * Time: every time is clamped to +-2^61 s by rx_time before arithmetic (a
 * garbage timestamp cannot overflow a difference); TM_NONE answers are
 * "no answer" and never compared. */
#ifndef BILLTOP_RECON_INT_H
#define BILLTOP_RECON_INT_H

#include <stddef.h>
#include <stdint.h>
#include "recon.h"
#include "tm.h"

#define RX_MAX_TOL 86400          /* match_tol_s is clamped to [0, 1 day] */
#define RX_MAX_OFFSET (2 * 86400) /* max_offset_s is clamped to [0, 2 days] */
#define RX_MAX_CALLS ((size_t)INT32_MAX) /* larger sides are RECON_ENOMEM */
#define RX_DAY 86400

#if defined(__GNUC__) || defined(__clang__)
#define RX_PREFETCH(p) __builtin_prefetch(p)
#else
#define RX_PREFETCH(p) ((void)(p))
#endif

static inline int64_t rx_time(int64_t t)
{
	const int64_t lim = (int64_t)1 << 61;
	return t > lim ? lim : t < -lim ? -lim : t;
}

static inline __int128 abs128(__int128 v) { return v < 0 ? -v : v; }

/* a + b, saturating at the int64 limits (totals of absurd inputs). */
static inline int64_t sat_add(int64_t a, int64_t b)
{
	if (b > 0 && a > INT64_MAX - b)
		return INT64_MAX;
	if (b < 0 && a < INT64_MIN - b)
		return INT64_MIN;
	return a + b;
}

static inline const char *rx_s(const char *s) { return s ? s : ""; }

static inline int64_t rx_floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static inline int64_t rx_day_start(int64_t t) { return rx_floor_div(rx_time(t), RX_DAY) * RX_DAY; }

/* Memory for a big table (free() releases it): from 4 MB on, 2 MB-aligned
 * and advised as huge pages on Linux, as random probes into tables of tens
 * of MB otherwise pay a TLB miss (a costly one under virtualisation) each.
 * A hint: where refused nothing changes but speed. NULL on no memory. */
void *rx_alloc_big(size_t bytes);

/* 32-bit FNV-1a fold of a NUL-terminated string (NULL hashes as ""). */
uint32_t rx_hash_str(const char *s);

/* Opts with every field in range (o NULL: the defaults). */
void rx_norm_opts(recon_opts *out, const recon_opts *o);

/* What pairing reads of a call: times (answer TM_NONE when none) and the
 * hashes of dst and src (src 0 when empty). */
typedef struct {
	int64_t s, a;
	uint32_t dh, sh;
} rx_slim;

/* The index of one side's calls for pairing: a point per call start and
 * per answer (when it differs from the start), keyed by the 32-bit hash of
 * dst and the time, grouped into hash buckets (about 4 points each) and
 * sorted by (hash, time, index) inside each bucket. A point carries what
 * checking a candidate needs (both times, the src hash), so that check
 * reads the point's own cache line and not the call. Owns pt and boff. */
typedef struct {
	uint32_t h;                /* hash of dst */
	int32_t idx;               /* index of the call */
	int64_t t;                 /* this time: rx_time(start), or of answer */
	int64_t other;             /* the call's other time; TM_NONE: no answer */
	uint32_t sh;               /* hash of src, 0 when empty */
	uint32_t is_answer;        /* 1: t is the answer and other the start */
} rx_point;

typedef struct {
	rx_point *pt;
	size_t npt;
	uint32_t *boff;            /* bucket b holds pt[boff[b] .. boff[b+1]) */
	uint32_t mask;             /* bucket = hash & mask */
} rx_index;

int rx_index_build(rx_index *x, const recon_call *c, size_t n);
void rx_index_free(rx_index *x);
/* The first point in pt[l .. r) that is >= (h, t), or r. */
size_t rx_index_lower(const rx_index *x, size_t l, size_t r, uint32_t h, int64_t t);
/* Points with hash h and lo <= t <= hi: pt[*first .. *end). */
void rx_index_range(const rx_index *x, uint32_t h, int64_t lo, int64_t hi, size_t *first,
                    size_t *end);

/* recon_match on a prebuilt index of `theirs` (op already normalised). */
int rx_match_idx(const recon_call *ours, size_t nours, const recon_call *theirs, size_t ntheirs,
                 const rx_index *ix, const recon_opts *op, int64_t offset_s, recon_pair **pairs,
                 size_t *npairs);

/* Signed their-minus-our time difference of the closest valid pair of times
 * (header order on ties: start/start, answer/answer, start/answer,
 * answer/start, ours/theirs), after removing off. */
int64_t rx_pair_dt(const recon_call *a, const recon_call *b, int64_t off);

/* dst equal, and src equal or empty on either side. */
int rx_same_numbers(const recon_call *a, const recon_call *b);

/* Appends printf-style text to buf (size n, NUL-terminated), truncating. */
void rx_cat(char *buf, size_t n, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;
/* "1.41 %": |a-b| relative to the larger magnitude, in hundredths of a per
 * cent rounded half-up; "0.50 %" for a tolerance in basis points. */
void rx_fmt_rel(char *buf, size_t n, int64_t a, int64_t b);
void rx_fmt_bp(char *buf, size_t n, int64_t bp);
void rx_fmt_day(char *buf, size_t n, int64_t t);      /* "2024-03-05" */
void rx_fmt_secs(char *buf, size_t n, int64_t ms);    /* "12345 s", "12.5 s" */
void rx_fmt_money(char *buf, size_t n, money_t v);    /* at least 4 decimals */

/* A new cause slot in r (kind, side, prefix set, the rest zero), or NULL
 * when RECON_MAX_CAUSES are taken. */
recon_cause *rx_add_cause(recon_result *r, recon_cause_kind kind, int side, const char *prefix);

/* recon_diag.c. Each returns RECON_OK or RECON_ENOMEM. */

/* Detects a constant clock offset (see recon_diag.c for the rule), pairs the
 * two sides with it (or without one) and stores r->clock_offset_s,
 * r->pairs/npairs and, when an offset is found, its cause and step figures
 * in *found_fig (size nfig). *found is 1 when an offset was accepted. */
int rx_find_offset(const recon_call *ours, size_t nours, const recon_call *theirs, size_t ntheirs,
                   const rx_index *ix, const recon_opts *op, recon_result *r, int *found,
                   char *found_fig, size_t nfig);
/* Duplicated records on one side: adds a RECON_CAUSE_DUPLICATES cause. */
int rx_duplicates(const recon_call *c, size_t n, int side, recon_result *r);
/* Increment, rate and rounding causes over r->pairs. */
int rx_pair_causes(const recon_call *ours, const recon_call *theirs, const recon_opts *op,
                   recon_result *r);

#endif
