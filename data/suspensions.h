/* suspensions.h: an account's suspension history as the dashboard shows it
 * (newest first): the transitions the balance walk recorded in the
 * suspension table (derived, re-derivable by `billtop verify`). */
#ifndef BILLTOP_SUSPENSIONS_H
#define BILLTOP_SUSPENSIONS_H

#include <stdint.h>

#include "../core/money.h"
#include "db.h"

typedef struct {
	int64_t at;            /* when it took effect (UTC s); may be after an as-of time */
	char event[12];        /* "suspended" or "restored" */
	money_t balance;       /* the balance right after */
	char cause[8];         /* what caused it: "cdr", "mdr" or "ledger" */
	int64_t cause_id;      /* that record's or entry's id */
} susp_row;

/* The newest `max` transitions of the account (at, then id, descending)
 * into out[0..max) (the caller's array); *n says how many. Returns DB_OK
 * or a DB_* status with the message in db_errmsg. */
int susp_recent(db_t *db, int64_t account_id, susp_row *out, int max, int *n);

#endif
