/* ledger.c: ledger entry kinds, sign rules and the suspension walk (see
 * ledger.h and DESIGN.md "Ledger and balance"). Pure computation: the store
 * owns the entries and feeds them here in (time, order) order. */
#include <string.h>

#include "ledger.h"

static const char *const kind_names[LEDGER_KIND_COUNT] = {
	"deposit", "payment", "adjustment", "mrc", "nrc", "e911", "cnam", "usage"
};

const char *ledger_kind_name(ledger_kind k)
{
	if ((unsigned)k >= LEDGER_KIND_COUNT)
		return "?";
	return kind_names[k];
}

int ledger_kind_parse(const char *s, ledger_kind *out)
{
	if (!s)
		return -1;
	for (int k = 0; k < LEDGER_KIND_COUNT; k++) {
		if (strcmp(s, kind_names[k]) == 0) {
			if (out)
				*out = (ledger_kind)k;
			return 0;
		}
	}
	return -1;
}

/* A memo counts as a reason only when it has a non-blank character. */
static int has_reason(const char *memo)
{
	if (!memo)
		return 0;
	for (; *memo; memo++)
		if (*memo != ' ' && *memo != '\t' && *memo != '\r' && *memo != '\n')
			return 1;
	return 0;
}

/* Checks run in this order: kind (unknown or usage: EKIND), zero (EZERO),
 * sign (ESIGN, credits and debits only), memo (EMEMO, adjustments only).
 * *posted is written only on LEDGER_OK. Debits are negated, which is safe:
 * a debit amount has been checked positive, so it is never INT64_MIN. */
int ledger_signed_amount(ledger_kind k, money_t entered, const char *memo, money_t *posted)
{
	money_t v;

	if ((unsigned)k >= LEDGER_KIND_COUNT || k == LEDGER_USAGE)
		return LEDGER_EKIND;
	if (entered == 0)
		return LEDGER_EZERO;
	switch (k) {
	case LEDGER_DEPOSIT:
	case LEDGER_PAYMENT:
		if (entered < 0)
			return LEDGER_ESIGN;
		v = entered;
		break;
	case LEDGER_ADJUSTMENT:
		if (!has_reason(memo))
			return LEDGER_EMEMO;
		v = entered;
		break;
	default: /* mrc, nrc, e911, cnam */
		if (entered < 0)
			return LEDGER_ESIGN;
		v = -entered;
		break;
	}
	if (posted)
		*posted = v;
	return LEDGER_OK;
}

const char *ledger_strerror(int status)
{
	switch (status) {
	case LEDGER_OK: return "ok";
	case LEDGER_ESIGN: return "amount must be positive for this kind";
	case LEDGER_EZERO: return "amount must not be zero";
	case LEDGER_EMEMO: return "an adjustment needs a reason";
	case LEDGER_EKIND: return "this kind cannot be posted by hand";
	default: return "unknown ledger error";
	}
}

void ledger_walk_init(ledger_walk *w, money_t opening_balance, ledger_status status, int64_t since)
{
	w->balance = opening_balance;
	w->status = status;
	w->since = since;
}

/* The state follows the balance after each event: below zero suspends, above
 * zero restores, exactly zero keeps whatever the state was. The balance
 * saturates at the int64 limits rather than wrapping (9.2 billion currency
 * units: a saturated balance means corrupt input, and keeps its sign). */
ledger_transition ledger_walk_step(ledger_walk *w, int64_t at, money_t delta)
{
	money_t b = w->balance;

	if (delta > 0 && b > INT64_MAX - delta)
		b = INT64_MAX;
	else if (delta < 0 && b < INT64_MIN - delta)
		b = INT64_MIN;
	else
		b += delta;
	w->balance = b;
	if (b < 0 && w->status == LEDGER_ACTIVE) {
		w->status = LEDGER_SUSPENDED;
		w->since = at;
		return LEDGER_BECAME_SUSPENDED;
	}
	if (b > 0 && w->status == LEDGER_SUSPENDED) {
		w->status = LEDGER_ACTIVE;
		w->since = at;
		return LEDGER_BECAME_ACTIVE;
	}
	return LEDGER_NO_CHANGE;
}
