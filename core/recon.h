/* recon.h: reconciling two sides' call records and walking the
 * balance-dispute decision tree. Pure C: the caller loads both sides
 * (data/), this module matches, totals and diagnoses; no I/O.
 *
 * The method carriers use:
 *   1. compare UTC daily totals; isolate the day whose totals differ most;
 *   2. do the connected-call totals roughly match on that day?
 *      no:  missing calls: narrow to the hour, diff that hour's calls,
 *           list the calls each side lacks;
 *      yes: do the duration totals roughly match?
 *           no: a duration issue; yes: a rating issue; either way take the
 *           matched calls and isolate the single call with the biggest
 *           difference (duration, or cost).
 * Beyond the tree the engine names causes the data shows, with evidence:
 * a clock or time-zone offset, a billing-increment mismatch, a rounding
 * difference, a rate difference on one prefix, duplicated records.
 *
 * Two forms of the input. recon_call (below) is the plain one: a struct per
 * call with pointers to its strings, what tests and small callers build.
 * recon_side is the compact one the engine runs on: 48 bytes a call
 * (numbers packed into 64 bits, times and durations in 32 bits with the
 * rare value that does not fit kept apart, strings in one arena), built
 * call by call from recon_calls by recon_side_push; a loader of a million
 * calls keeps only that. recon_run converts its arrays to sides and calls
 * recon_run_sides, so both forms give the same results.
 *
 * Ownership: input arrays and their strings belong to the caller and must
 * outlive the result (the result refers to calls by index). recon_run
 * allocates the result's arrays; recon_free releases them. */
#ifndef BILLTOP_RECON_H
#define BILLTOP_RECON_H

#include <stddef.h>
#include <stdint.h>
#include "money.h"

enum { RECON_OURS = 0, RECON_THEIRS = 1 };

typedef struct {
	const char *id;          /* the side's record id (shown, and matched when both sides share ids) */
	const char *src;         /* calling number, normalised with number_for_matching */
	const char *dst;         /* called number, normalised with number_for_matching */
	int64_t start;           /* UTC s */
	int64_t answer;          /* UTC s, or TM_NONE */
	int64_t billsec_ms;      /* answered duration */
	int connected;
	int has_cost;
	money_t cost;            /* the side's charge for the call */
	int64_t billed_secs;     /* billed seconds after increments, -1 if unknown */
	const char *prefix;      /* the rate prefix (ours: as rated), "" if unknown */
	int64_t ref;             /* caller's handle (our cdr row id), not used here */
} recon_call;

/* ---- the compact form ------------------------------------------------ */

/* A normalised number in 64 bits: up to 15 digits packed 4 bits a digit
 * (digit + 1, so the value is exact and 0 is the empty number), or, for
 * anything else (longer, or not all digits), a reference to the side's
 * string arena with a hash of the text (top nibble 0xF). Equal numbers of
 * two sides compare equal as integers when packed. */
typedef uint64_t recon_num;

/* One call, 48 bytes. Times are seconds from the side's t_base (start) and
 * from the call's start (answer); ref from the side's ref_base. A field
 * holding RECON_R_WIDE has its exact value in the side's wide table. */
#define RECON_R_NONE INT32_MIN         /* answer: no answer (TM_NONE) */
#define RECON_R_WIDE (INT32_MIN + 1)   /* the value did not fit: see wide[] */
#define RECON_R_PFX_WIDE 0xFFFFFFu     /* prefix index did not fit in 24 bits */
#define RECON_R_CONNECTED (1u << 24)
#define RECON_R_HAS_COST (1u << 25)
typedef struct {
	recon_num dst, src;      /* src 0: none */
	money_t cost;
	int32_t start, answer;
	int32_t billsec_ms;
	int32_t billed_secs;     /* -1: unknown */
	int32_t ref;
	uint32_t pf;             /* prefix index (bits 0-23; 0 is "") | RECON_R_* flags */
} recon_rec;

enum { RECON_W_START = 0, RECON_W_ANSWER, RECON_W_BILLSEC, RECON_W_BILLED, RECON_W_REF, RECON_W_PREFIX };

typedef struct {
	uint32_t idx, field;     /* call index, RECON_W_* */
	int64_t v;
} recon_wide;

typedef struct recon_side recon_side;

/* The record id of call i when the side does not keep ids (a loader that
 * can fetch one on demand sets it): a string valid until the side is
 * freed, or NULL. */
typedef const char *(*recon_id_fn)(void *ctx, const recon_side *s, size_t i);

/* One side's calls. Owns everything but id_ctx. Fields are read-only
 * outside recon_side*.c: use the functions below. */
struct recon_side {
	recon_rec *rec;
	size_t n, cap;
	int64_t t_base, ref_base;
	char *str;               /* arena of NUL-terminated strings; offset 0 is "" */
	size_t str_len, str_cap;
	uint32_t *pfx_off;       /* prefix index -> arena offset (index 0: "") */
	size_t npfx, pfx_cap;
	uint32_t *pfx_tab;       /* open addressing over prefixes: index + 1, 0 empty */
	size_t pfx_tab_cap;
	uint32_t pfx_last;       /* index of the prefix pushed last (consecutive calls share it) */
	uint32_t *id_off;        /* per call, when keep_ids; else NULL */
	int keep_ids;
	recon_wide *wide;        /* ascending (idx, field) */
	size_t nwide, wide_cap;
	recon_id_fn id_fn;       /* optional, when !keep_ids */
	void *id_ctx;
};

/* An empty side; keep_ids: record ids are stored (needed to pair on ids). */
void recon_side_init(recon_side *s, int keep_ids);
void recon_side_free(recon_side *s);
/* Appends a copy of c (strings copied or packed). RECON_OK or RECON_ENOMEM. */
int recon_side_push(recon_side *s, const recon_call *c);
/* The same with c->src and c->dst as written: normalised for matching
 * here (number_for_matching, number.h; a number it refuses as too long is
 * compared as written), in the same pass that packs them. */
int recon_side_push_raw(recon_side *s, const recon_call *c);
/* Moves b's calls after a's (b is left empty). RECON_OK or RECON_ENOMEM. */
int recon_side_append(recon_side *a, recon_side *b);
/* Gives back the memory reserved for growth. */
void recon_side_trim(recon_side *s);

/* Call i as a recon_call: its strings point into the side or into *buf,
 * valid until buf is reused or the side changes. */
typedef struct {
	char src[24], dst[24];
} recon_callbuf;
void recon_side_get(const recon_side *s, size_t i, recon_call *out, recon_callbuf *buf);
/* Single fields of call i, exact. */
int64_t recon_side_start(const recon_side *s, size_t i);
int64_t recon_side_ref(const recon_side *s, size_t i);


typedef struct {
	int count_bp;            /* "roughly match": counts within 50 bp (0.5 %) */
	int seconds_bp;          /* seconds within 50 bp */
	int cost_bp;             /* cost within 50 bp ... */
	money_t cost_abs;        /* ... or within 0.01 currency units */
	int64_t match_tol_s;     /* pairing tolerance on start/answer times: 5 s */
	int64_t max_offset_s;    /* clock offsets searched: up to 14 h either way */
	int match_ids;           /* 1: pair on record id first (both sides share ids) */
	/* Overrides of the tree, for the console's wizard: -1 = the engine's
	 * answer; otherwise the engineer's. */
	int64_t force_day;       /* UTC day start, or -1 */
	int force_connected_match;
	int force_duration_match;
} recon_opts;

void recon_default_opts(recon_opts *o);

/* Totals of one bucket (a UTC day or hour), index 0 ours, 1 theirs. */
typedef struct {
	int64_t start;           /* bucket start, UTC s */
	int64_t calls[2], connected[2], billsec_ms[2];
	money_t cost[2];
} recon_bucket;

typedef struct {
	int ours, theirs;        /* indexes into the two input arrays */
	int64_t dt;              /* their time - our time, after any clock offset */
} recon_pair;

typedef enum {
	RECON_VERDICT_NONE = 0,
	RECON_VERDICT_MISSING_CALLS,
	RECON_VERDICT_DURATION,
	RECON_VERDICT_RATING,
	RECON_VERDICT_TIMEZONE_OFFSET
} recon_verdict;

/* "missing_calls", "duration", "rating", "timezone_offset", "none" */
const char *recon_verdict_name(recon_verdict v);

typedef struct {
	char question[96];       /* "Do the connected-call totals roughly match?" */
	int answer;              /* 1 yes, 0 no */
	int overridden;          /* the engineer's answer, not the engine's */
	char figures[320];       /* the figures that decided it */
} recon_step;

typedef enum {
	RECON_CAUSE_CLOCK_OFFSET = 0,
	RECON_CAUSE_INCREMENT,
	RECON_CAUSE_ROUNDING,
	RECON_CAUSE_RATE,
	RECON_CAUSE_DUPLICATES
} recon_cause_kind;

/* "timezone_offset", "billing_increment", "rounding", "rate", "duplicates" */
const char *recon_cause_name(recon_cause_kind k);

typedef struct {
	recon_cause_kind kind;
	int side;                /* RECON_OURS / RECON_THEIRS where it applies, else -1 */
	char prefix[33];         /* increment / rate causes: the destination prefix */
	int64_t offset_s;        /* clock offset: their time - our time */
	char evidence[400];      /* one sentence with the figures */
} recon_cause;

#define RECON_MAX_STEPS 6
#define RECON_MAX_CAUSES 16

typedef struct {
	recon_opts opts;
	int64_t clock_offset_s;  /* detected constant offset applied when pairing (0 if none) */
	int nday;
	recon_bucket *days;      /* every UTC day with a call on either side, ascending */
	int worst_day;           /* index into days, -1 when nothing differs */
	int nstep;
	recon_step steps[RECON_MAX_STEPS];
	recon_verdict verdict;
	int has_worst_hour;
	recon_bucket worst_hour; /* missing calls: the hour of the worst day that differs most */
	size_t nmissing_ours;    /* calls we lack: indexes into THEIR array */
	int *missing_ours;
	size_t nmissing_theirs;  /* calls they lack: indexes into OUR array */
	int *missing_theirs;
	int has_single;
	recon_pair single;       /* the matched call with the biggest difference */
	int64_t single_diff_ms;  /* their billsec - ours */
	money_t single_diff_cost;/* their cost - ours */
	size_t npairs;           /* every matched pair over the whole period */
	recon_pair *pairs;
	int ncause;
	recon_cause causes[RECON_MAX_CAUSES];
} recon_result;

enum { RECON_OK = 0, RECON_ENOMEM, RECON_EEMPTY };

/* Run the whole tree. Returns RECON_OK (out filled, free with
 * recon_free), RECON_EEMPTY when both sides are empty, or RECON_ENOMEM. */
int recon_run(const recon_call *ours, size_t nours, const recon_call *theirs, size_t ntheirs,
              const recon_opts *o, recon_result *out);
void recon_free(recon_result *r);
/* recon_run on sides: the same contract, indexes are into the sides. */
int recon_run_sides(const recon_side *ours, const recon_side *theirs, const recon_opts *o,
                    recon_result *out);

/* Pairing alone (also used by recon_run): one-to-one, best pair first, on
 * record id when opts->match_ids and both ids are non-empty and equal,
 * otherwise on dst (and src when both sides have it) with |Δt| <= tol,
 * where Δt is the smallest of start/start, answer/answer, start/answer and
 * answer/start after removing `offset_s`. *pairs is malloc'd (caller frees). */
int recon_match(const recon_call *ours, size_t nours, const recon_call *theirs, size_t ntheirs,
                const recon_opts *o, int64_t offset_s, recon_pair **pairs, size_t *npairs);

/* "Roughly match" with a tolerance in basis points (and an absolute floor
 * for money). */
int recon_counts_match(int64_t a, int64_t b, int bp);
int recon_cost_match(money_t a, money_t b, int bp, money_t abs_floor);

#endif
