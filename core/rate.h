/* rate.h: rate decks (longest-prefix match) and per-call rating, pure C.
 *
 * Rating rule (DESIGN.md): billsec = answered duration rounded UP to a whole
 * second. billsec == 0 or billsec <= grace: billed 0, cost 0. Otherwise
 * billed = min if billsec <= min, else min + ceil((billsec-min)/inc)*inc;
 * cost = rate * billed / 60 + connect_fee, exact in __int128, rounded once
 * to the account's decimals by the account's rounding mode.
 *
 * Ownership: a rate_deck owns copies of the rows added to it (including the
 * description text). Pointers returned by rate_deck_match stay valid until
 * rate_deck_free. A deck is not thread-safe for writing; concurrent matching
 * on a finished deck is fine. */
#ifndef BILLTOP_RATE_H
#define BILLTOP_RATE_H

#include <stdint.h>
#include "money.h"

#define RATE_PREFIX_MAX 32   /* digits, NUL excluded */
#define RATE_FOREVER INT64_MAX

typedef struct {
	int64_t id;              /* rate row id in the store (0 if none) */
	char prefix[RATE_PREFIX_MAX + 1]; /* 1..32 digits; "" is RATE_EPREFIX */
	const char *description; /* owned by the deck once added; may be NULL */
	money_t rate_per_min;    /* nano-units per 60 billed seconds */
	int32_t min_secs;        /* first increment, >= 1 */
	int32_t inc_secs;        /* subsequent increment, >= 1 */
	int32_t grace_secs;      /* >= 0 */
	money_t connect_fee;     /* added once per connected, billed call */
	int64_t eff_from;        /* effective from (UTC s, inclusive) */
	int64_t eff_to;          /* effective until (exclusive), RATE_FOREVER */
} rate_row;

typedef struct rate_deck rate_deck;

enum {
	RATE_OK = 0,
	RATE_ENOMEM,
	RATE_EPREFIX,      /* prefix empty of digits, too long, or not digits */
	RATE_EINCREMENT,   /* min_secs or inc_secs < 1, grace < 0 */
	RATE_ENEGATIVE,    /* negative rate or connect fee */
	RATE_EDUP,         /* same prefix and eff_from already in the deck */
	RATE_ENOMATCH,     /* no row matches */
	RATE_EOVERFLOW
};

rate_deck *rate_deck_new(void);             /* NULL on out of memory */
void rate_deck_free(rate_deck *d);          /* NULL is fine */
/* Copy *row (and its description) into the deck. */
int rate_deck_add(rate_deck *d, const rate_row *row);
size_t rate_deck_size(const rate_deck *d);

/* Longest prefix of `digits` among rows effective at `at` (eff_from <= at <
 * eff_to); among rows with the same prefix, the one with the latest eff_from
 * that is <= at. Returns NULL when nothing matches. O(len(digits)). */
const rate_row *rate_deck_match(const rate_deck *d, const char *digits, int64_t at);

typedef struct {
	int64_t billsec;        /* whole seconds after full-up rounding */
	int64_t billed_secs;    /* after grace and increments */
	__int128 exact_num;     /* exact cost in nano-units = exact_num / 60 */
	money_t cost;           /* rounded once: nano-units at the given decimals */
} rate_result;

/* Rate one connected call of answered duration `billsec_ms` on `row`.
 * decimals 0..9, mode as the account says. Returns RATE_OK or RATE_EOVERFLOW. */
int rate_call(const rate_row *row, int64_t billsec_ms, int decimals, round_mode mode,
              rate_result *out);

/* Billed seconds for a billsec under (min, inc, grace); the increment rule alone. */
int64_t rate_billed_seconds(int64_t billsec, int32_t min_secs, int32_t inc_secs,
                            int32_t grace_secs);

const char *rate_strerror(int status);

#endif
