/* recon_int.h: internals shared by recon.c (pairing, helpers),
 * recon_tree.c (totals, the tree, recon_run), recon_diag.c (clock offset,
 * causes) and recon_side.c (the compact form). Not an API: nothing outside
 * these files includes it.
 *
 * Time: every time is clamped to +-2^61 s by rx_time before arithmetic (a
 * garbage timestamp cannot overflow a difference); TM_NONE answers are
 * "no answer" and never compared. */
#ifndef BILLTOP_RECON_INT_H
#define BILLTOP_RECON_INT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
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
static inline int64_t rx_clamp64(int64_t v, int64_t lo, int64_t hi) { return v < lo ? lo : v > hi ? hi : v; }

/* a + b, saturating at the int64 limits (totals of absurd inputs). */
static inline int64_t sat_add(int64_t a, int64_t b) { return money_add_sat(a, b); }

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

/* ---- reading a side (recon_side.c) ---------------------------------------- */

#define RN_TAG ((recon_num)0xF << 60)
#define RN_IS_REF(x) (((x) >> 60) == 0xF)

int64_t rx_wide_get(const recon_side *s, size_t i, int field);
/* The text of number x of side s: in buf (>= 16 bytes) or the arena. */
const char *rx_num_text(const recon_side *s, recon_num x, char *buf);
/* A side holding copies of n plain calls (ids kept). */
int rx_side_of_calls(recon_side *s, const recon_call *c, size_t n);

static inline int64_t rs_start(const recon_side *s, size_t i)
{
	int32_t v = s->rec[i].start;
	return v != RECON_R_WIDE ? s->t_base + v : rx_wide_get(s, i, RECON_W_START);
}

static inline int64_t rs_answer(const recon_side *s, size_t i)
{
	int32_t v = s->rec[i].answer;
	if (v == RECON_R_NONE)
		return TM_NONE;
	return v != RECON_R_WIDE ? rs_start(s, i) + v : rx_wide_get(s, i, RECON_W_ANSWER);
}

static inline int64_t rs_billsec(const recon_side *s, size_t i)
{
	int32_t v = s->rec[i].billsec_ms;
	return v != RECON_R_WIDE ? v : rx_wide_get(s, i, RECON_W_BILLSEC);
}

static inline int64_t rs_billed(const recon_side *s, size_t i)
{
	int32_t v = s->rec[i].billed_secs;
	return v != RECON_R_WIDE ? v : rx_wide_get(s, i, RECON_W_BILLED);
}

static inline int64_t rs_ref(const recon_side *s, size_t i)
{
	int32_t v = s->rec[i].ref;
	return v != RECON_R_WIDE ? s->ref_base + v : rx_wide_get(s, i, RECON_W_REF);
}

static inline int rs_connected(const recon_side *s, size_t i) { return (s->rec[i].pf & RECON_R_CONNECTED) != 0; }
static inline int rs_has_cost(const recon_side *s, size_t i) { return (s->rec[i].pf & RECON_R_HAS_COST) != 0; }
static inline money_t rs_cost(const recon_side *s, size_t i) { return s->rec[i].cost; }

static inline uint32_t rs_prefix_index(const recon_side *s, size_t i)
{
	uint32_t p = s->rec[i].pf & 0xFFFFFFu;
	return p != RECON_R_PFX_WIDE ? p : (uint32_t)rx_wide_get(s, i, RECON_W_PREFIX);
}

/* The rate prefix of call i, "" when none. */
static inline const char *rs_prefix(const recon_side *s, size_t i)
{
	uint32_t p = rs_prefix_index(s, i);
	return p ? s->str + s->pfx_off[p] : "";
}

/* The record id of call i, "" when unknown. */
static inline const char *rs_id(const recon_side *s, size_t i)
{
	const char *id;
	if (s->keep_ids)
		return s->str ? s->str + s->id_off[i] : "";
	id = s->id_fn ? s->id_fn(s->id_ctx, s, i) : NULL;
	return id ? id : "";
}

/* 32-bit hash of a number, equal for equal numbers of any two sides. */
static inline uint32_t rx_num_hash(recon_num x)
{
	uint64_t h = RN_IS_REF(x) ? x >> 32 : x;
	h ^= h >> 33;
	h *= 0xFF51AFD7ED558CCDULL;
	h ^= h >> 33;
	h *= 0xC4CEB9FE1A85EC53ULL;
	h ^= h >> 33;
	return (uint32_t)h;
}

/* Number a of side sa equals number b of side sb. */
static inline int rx_num_eq(const recon_side *sa, recon_num a, const recon_side *sb, recon_num b)
{
	if (!RN_IS_REF(a) || !RN_IS_REF(b))
		return a == b; /* packed: the value is the number; packed vs reference: never */
	if ((a ^ b) >> 32)
		return 0;
	return strcmp(sa->str + (uint32_t)a, sb->str + (uint32_t)b) == 0;
}

/* dst equal, and src equal or empty on either side. */
static inline int rx_same_numbers(const recon_side *sa, size_t a, const recon_side *sb, size_t b)
{
	const recon_rec *x = &sa->rec[a], *y = &sb->rec[b];
	return rx_num_eq(sa, x->dst, sb, y->dst) &&
	       (!x->src || !y->src || rx_num_eq(sa, x->src, sb, y->src));
}

/* The times pairing reads of a call: start and answer (TM_NONE when none),
 * both through rx_time. */
typedef struct {
	int64_t s, a;
} rx_slim;

static inline void rs_slim(const recon_side *x, size_t i, rx_slim *z)
{
	int64_t a = rs_answer(x, i);
	z->s = rx_time(rs_start(x, i));
	z->a = a == TM_NONE ? TM_NONE : rx_time(a);
}

/* The index of one side's calls for pairing: a point per call start and
 * per answer (when it differs from the start), keyed by the 32-bit hash of
 * dst and the time, grouped into hash buckets (about 4 points each) and
 * sorted by (hash, time, index) inside each bucket. 12 bytes a point: the
 * time from the index's base, clamped to 32 bits (a time decades away
 * keeps its order, and candidates are always checked on the calls' exact
 * times); the rest of a candidate (the other time, the numbers) is read
 * from its call, prefetched ahead. Owns pt and boff. */
typedef struct {
	int32_t t;                 /* this time (rx_time of start, or of answer) - base, clamped */
	uint32_t h;                /* hash of dst */
	uint32_t ia;               /* index of the call << 1 | 1 when t is its answer */
} rx_point;

#define RX_PT_IDX(p) ((size_t)((p)->ia >> 1))
#define RX_PT_ANSWER(p) ((p)->ia & 1u)

typedef struct {
	rx_point *pt;
	size_t npt;
	uint32_t *boff;            /* bucket b holds pt[boff[b] .. boff[b+1]) */
	uint32_t mask;             /* bucket = hash & mask */
	int64_t base;              /* times are from here */
} rx_index;

/* t as an index time of x (clamped: the order of times is kept). */
static inline int32_t rx_index_time(const rx_index *x, int64_t t)
{
	__int128 d = (__int128)t - x->base;
	return d < INT32_MIN ? INT32_MIN : d > INT32_MAX ? INT32_MAX : (int32_t)d;
}

/* sel: the calls to index (ascending), or NULL for all n of them. */
int rx_index_build(rx_index *x, const recon_side *c, const uint32_t *sel, size_t n);
void rx_index_free(rx_index *x);
/* The first point in pt[l .. r) that is >= (h, t), or r. */
size_t rx_index_lower(const rx_index *x, size_t l, size_t r, uint32_t h, int64_t t);
/* Points with hash h and lo <= t <= hi: pt[*first .. *end). */
void rx_index_range(const rx_index *x, uint32_t h, int64_t lo, int64_t hi, size_t *first,
                    size_t *end);

/* Pairing (recon_match's rule) on a prebuilt index of `theirs` (op
 * already normalised). osel: the calls of ours to pair (ascending), or NULL
 * for all nours; the index may cover a subset of theirs likewise. *mo gets
 * (malloc'd) the partner of each of those calls of ours, -1 when none, and
 * *np the number of pairs. */
int rx_match_idx(const recon_side *ours, const uint32_t *osel, size_t nours, const recon_side *theirs,
                 const rx_index *ix, const recon_opts *op, int64_t offset_s, int32_t **mo, size_t *np);
/* The pairs of a pairing from rx_match_idx, ascending by ours (indexes
 * into the sides), with their dt. */
int rx_pairs_of(const recon_side *ours, const uint32_t *osel, size_t nours, const recon_side *theirs,
                const int32_t *mo, size_t np, int64_t offset_s, recon_pair **pairs);

/* Signed their-minus-our time difference of the closest valid pair of times
 * (header order on ties: start/start, answer/answer, start/answer,
 * answer/start, ours/theirs), after removing off. */
int64_t rx_pair_dt(const recon_side *a, size_t ia, const recon_side *b, size_t ib, int64_t off);

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
 * two sides with it (or without one; *ix is freed once pairing is done, so
 * the pairs are made without it) and stores r->clock_offset_s,
 * r->pairs/npairs and, when an offset is found, its cause and step figures
 * in *found_fig (size nfig). *found is 1 when an offset was accepted. */
int rx_find_offset(const recon_side *ours, const recon_side *theirs, rx_index *ix,
                   const recon_opts *op, recon_result *r, int *found, char *found_fig, size_t nfig);
/* Duplicated records on one side: *found = 1 and *cause filled (a
 * RECON_CAUSE_DUPLICATES cause) when there are some. Touches nothing else,
 * so it can run beside the pairing. */
int rx_duplicates(const recon_side *c, int side, recon_cause *cause, int *found);
/* Increment, rate and rounding causes over r->pairs. */
int rx_pair_causes(const recon_side *ours, const recon_side *theirs, const recon_opts *op,
                   recon_result *r);

#endif
