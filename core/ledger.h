/* ledger.h: ledger entry kinds, sign rules, and the balance/suspension walk.
 * Pure C; the store (data/) feeds it events in time order.
 *
 * Sign convention: every posted amount is stored as its signed effect on the
 * balance. deposit and payment are credits (> 0); mrc, nrc, e911, cnam and
 * usage are debits (< 0); an adjustment is signed and needs a reason. */
#ifndef BILLTOP_LEDGER_H
#define BILLTOP_LEDGER_H

#include <stdint.h>
#include "money.h"

typedef enum {
	LEDGER_DEPOSIT = 0,
	LEDGER_PAYMENT,
	LEDGER_ADJUSTMENT,
	LEDGER_MRC,
	LEDGER_NRC,
	LEDGER_E911,
	LEDGER_CNAM,
	LEDGER_USAGE,
	LEDGER_KIND_COUNT
} ledger_kind;

/* "deposit", "payment", ... ; parse returns 0 or -1. */
const char *ledger_kind_name(ledger_kind k);
int ledger_kind_parse(const char *s, ledger_kind *out);

enum { LEDGER_OK = 0, LEDGER_ESIGN, LEDGER_EZERO, LEDGER_EMEMO, LEDGER_EKIND };

/* Turn an operator-entered amount into the signed posted amount.
 * For credits and debits the operator types a positive amount (a negative one
 * is LEDGER_ESIGN); adjustments keep their sign and must carry a memo
 * (LEDGER_EMEMO). Zero is LEDGER_EZERO. usage is not postable by hand
 * (LEDGER_EKIND). */
int ledger_signed_amount(ledger_kind k, money_t entered, const char *memo, money_t *posted);
const char *ledger_strerror(int status);

/* The suspension walk. Feed every balance-affecting event of one account in
 * (time, order) order; the walker reports transitions. Suspended starts when
 * the balance goes below zero; restored when it is above zero again. A zero
 * balance keeps the current state. */
typedef enum { LEDGER_ACTIVE = 0, LEDGER_SUSPENDED = 1 } ledger_status;

typedef struct {
	money_t balance;
	ledger_status status;
	int64_t since;         /* time of the last transition, TM_NONE if never */
} ledger_walk;

typedef enum { LEDGER_NO_CHANGE = 0, LEDGER_BECAME_SUSPENDED, LEDGER_BECAME_ACTIVE } ledger_transition;

void ledger_walk_init(ledger_walk *w, money_t opening_balance, ledger_status status, int64_t since);
/* Apply one event (delta is the signed effect). Returns the transition it
 * caused, if any; w->since is updated to `at` on a transition. */
ledger_transition ledger_walk_step(ledger_walk *w, int64_t at, money_t delta);

#endif
