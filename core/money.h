/* money.h: exact money arithmetic in nano-units (10^-9 currency units).
 *
 * Contract: money is never binary floating point. A money_t is a signed
 * count of nano-units.
 * Parsing is exact; text with more than 9 decimals is an error, never rounded.
 * Products and quotients go through __int128 and round once by a stated mode.
 * No function here allocates; callers own every buffer they pass. */
#ifndef BILLTOP_MONEY_H
#define BILLTOP_MONEY_H

#include <stddef.h>
#include <stdint.h>

typedef int64_t money_t;

#define MONEY_SCALE 1000000000LL /* nano-units per currency unit */
#define MONEY_MAX_DECIMALS 9

typedef enum {
	ROUND_UP = 0,      /* away from zero */
	ROUND_HALF_UP,     /* nearest; ties away from zero */
	ROUND_HALF_EVEN,   /* nearest; ties to even (banker's) */
	ROUND_DOWN         /* toward zero (truncate) */
} round_mode;

/* Status codes returned by money_parse. */
enum {
	MONEY_OK = 0,
	MONEY_EEMPTY,      /* no digits */
	MONEY_ESYNTAX,     /* not [+-]digits[.digits] (surrounding blanks allowed) */
	MONEY_EPRECISION,  /* more than 9 decimals */
	MONEY_ERANGE       /* does not fit in int64 nano-units */
};

/* a + b, saturating at the int64 limits instead of overflowing (undefined
 * behaviour). For totals: per-record amounts are bounded, so only totals of
 * thousands of absurd records saturate (corrupt or hostile input, which
 * `billtop verify` then reports). The one saturating add of billtop. */
static inline money_t money_add_sat(money_t a, money_t b)
{
	money_t r;
	if (__builtin_add_overflow(a, b, &r))
		return b > 0 ? INT64_MAX : INT64_MIN;
	return r;
}

/* Parse s[0..len) as a decimal amount: optional blanks, optional sign, digits,
 * optional '.' and up to 9 decimals, optional blanks. Also accepts a leading
 * '.' ("-.5") and a trailing '.' ("5."). On MONEY_OK stores *out. */
int money_parse(const char *s, size_t len, money_t *out);

/* Human-readable reason for a money_parse status (static string). */
const char *money_strerror(int status);

/* Divide num by den (den != 0), rounding once by mode. Result must fit int64;
 * returns 0 and stores *out, or -1 on overflow. */
int money_div_round(__int128 num, __int128 den, round_mode mode, int64_t *out);

/* Round v to `decimals` decimals (0..9) by mode; result still in nano-units.
 * Returns 0, or -1 on overflow. */
int money_round(money_t v, int decimals, round_mode mode, money_t *out);

/* Decimals an account keeps (issue 10, "money hygiene"): every amount
 * posted to an account with `decimals` decimals (0..9) is a whole number of
 * 10^-decimals units, so a balance never shows more decimals than the
 * account keeps. An amount that does not fit is refused, never rounded
 * silently: ledger entries (data/post.c), message costs and CNAM fees from
 * files (data/store.c). Calls are rated to the account's decimals already.
 *
 * money_decimals: the decimals v needs, 0..9 (1.23456 -> 5, -0.5 -> 1,
 * 3 -> 0). money_fits_decimals: 1 when money_decimals(v) <= decimals
 * (decimals outside 0..9: 0). */
int money_decimals(money_t v);
int money_fits_decimals(money_t v, int decimals);

/* For an amount that does not fit `decimals`: the two amounts with
 * `decimals` decimals on either side of v, the nearer first (a tie: the one
 * away from zero first): 1.23456 at 4 -> 1.2346, 1.2345. Returns 0, or -1
 * when v fits, decimals is out of range, or a neighbour overflows. */
int money_neighbours(money_t v, int decimals, money_t *nearer, money_t *other);

/* The reason, for messages: "1.23456 has 5 decimals; account NAME keeps 4"
 * (account NULL: "the account keeps 4"). The account name is copied as
 * given: the caller makes it visible. Returns the length or -1 (buf too
 * small: truncated). */
int money_decimals_why(money_t v, int decimals, const char *account, char *buf, size_t n);

/* Format v with at least `decimals` decimals (0..9): "-12.3400". If v has
 * non-zero digits beyond `decimals`, more digits are printed so nothing is
 * hidden ("0.00075833" at decimals 4). Returns the length written (excluding
 * NUL) or -1 if n is too small. buf of 32 bytes always suffices. */
int money_format(money_t v, int decimals, char *buf, size_t n);

/* Format the exact fraction num/den (nano-units) with up to `max_decimals`
 * decimals, ending in "..." when the expansion is longer (e.g. 0.000833333...).
 * For explaining a charge before rounding. Returns length or -1. */
int money_format_fraction(__int128 num, __int128 den, int max_decimals, char *buf, size_t n);

/* Names: "up", "half-up", "half-even", "down". parse returns 0 or -1. */
const char *round_mode_name(round_mode m);
int round_mode_parse(const char *s, round_mode *out);

#endif
