/* gen.h: deterministic synthetic traffic for the demo and the benchmarks.
 * Pure C: produces events through callbacks; the caller stores or writes them.
 *
 * The traffic has a daily rhythm (quiet nights, busy office hours), a weekly
 * rhythm (weekends lighter), many destinations (domestic NANP, toll-free,
 * mobile, international by country code), unanswered/busy/failed calls
 * (ASR around 55-75 %), call lengths with a long tail, CNAM lookups on some
 * inbound calls, messaging (sms/mms), and monthly MRC, occasional NRC, E911
 * fees and deposits. Same seed -> same events, byte for byte. */
#ifndef BILLTOP_GEN_H
#define BILLTOP_GEN_H

#include <stdint.h>
#include "money.h"

typedef struct {
	char call_id[48];      /* unique: "<acct>-<seq>" style */
	char account[32];
	char src[24], dst[24], clid[48];
	int64_t start;         /* UTC s */
	int64_t answer;        /* UTC s, or INT64_MIN (TM_NONE) when unanswered */
	int64_t end;
	int64_t duration_ms;   /* whole seconds * 1000 */
	int64_t billsec_ms;
	const char *disposition; /* "ANSWERED", "NO ANSWER", "BUSY", "FAILED" */
	int inbound;           /* 1 for inbound calls (CNAM applies) */
	money_t cnam_fee;      /* CNAM lookup fee on this call (inbound), 0 if none */
} gen_call;

typedef struct {
	char msg_id[48];
	char account[32];
	int64_t at;
	int inbound;
	char from[24], to[24];
	int mms;               /* 0 sms, 1 mms */
	int segments;
	money_t cost;          /* charged cost (nano-units) */
} gen_msg;

typedef struct {
	char account[32];
	int64_t at;
	const char *kind;      /* "deposit", "mrc", "nrc", "e911" */
	money_t amount;        /* positive as an operator types it */
	char memo[64];
} gen_ledger;

typedef struct {
	char name[32];
	int calls_per_day;     /* average on a weekday */
} gen_account;

typedef struct {
	uint64_t seed;
	int64_t from, to;      /* UTC s, generate events in [from, to): calls that
	                        * end at `to` or later are not delivered */
	int naccounts;
	const gen_account *accounts;
	/* Callbacks; any may be NULL. Return non-zero to stop generation. Events
	 * are delivered in time order per kind (calls in start order). */
	int (*on_call)(const gen_call *c, void *ctx);
	int (*on_msg)(const gen_msg *m, void *ctx);
	int (*on_ledger)(const gen_ledger *l, void *ctx);
	void *ctx;
} gen_config;

/* Runs the generator. Returns 0, or the non-zero value a callback returned. */
int gen_run(const gen_config *cfg);

/* The demo's rate deck: rows as "prefix,description,rate,min,inc,connect,grace"
 * lines (a CSV text with a header line), covering every destination the
 * generator dials. Static string. */
const char *gen_demo_deck_csv(void);

/* Small PRNG (splitmix64 / xoshiro-style) exposed for tests and benches. */
typedef struct { uint64_t s[4]; } gen_rng;
void gen_rng_seed(gen_rng *r, uint64_t seed);
uint64_t gen_rng_next(gen_rng *r);
/* Uniform in [0, n). */
uint64_t gen_rng_below(gen_rng *r, uint64_t n);

#endif
