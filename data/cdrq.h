/* cdrq.h: reading stored call records: filtered lists (keyset-paginated,
 * newest first) and the explanation of one call's charge. */
#ifndef BILLTOP_CDRQ_H
#define BILLTOP_CDRQ_H

#include <stdint.h>
#include "../core/dialplan.h"
#include "../core/money.h"
#include "../core/rate.h"
#include "account.h"
#include "cdr.h"
#include "db.h"

/* Text members hold whole stored fields: the importers refuse longer ones
 * (CDR_FIELD_MAX, cdr.h), so exports are never cut. */
typedef struct {
	int64_t id;
	char record_id[CDR_RECORD_ID_MAX + 1];
	int64_t start, answer, duration_ms, billsec_ms;
	char src[CDR_FIELD_MAX + 1], dst[CDR_FIELD_MAX + 1];
	char clid[CDR_FIELD_MAX + 1];       /* raw bytes, NUL-terminated (make visible before showing) */
	char disposition[CDR_FIELD_MAX + 1];
	int connected, state, suspended;
	char prefix[RATE_PREFIX_MAX + 1];
	int64_t rate_id, billed_secs;
	money_t cost, cnam_cost;
	int has_their_cost;
	money_t their_cost;
	char dialplan[DIALPLAN_CODE_MAX];  /* the plan it was rated with, "" for none */
	char unrated_reason[200];          /* why unrated, "" when not (or stored before issue 9) */
	int64_t corrections;               /* re-rating corrections (issue 10); the charge is the latest */
} cdrq_row;

typedef struct {
	int64_t from, to;          /* start in [from, to); INT64_MIN/INT64_MAX for all */
	int unrated_only;
	int internal_only;         /* calls in the internal state only (dial plans) */
	const char *number;        /* substring of src or dst, or NULL */
	const char *disposition;   /* exact disposition text (case-insensitive), or NULL */
	const char *prefix;        /* destination prefix, or NULL */
	/* keyset: rows strictly older than (before_start, before_id); 0/0 for the newest */
	int64_t before_start, before_id;
	/* keyset the other way: rows strictly newer than (after_start, after_id); 0/0 for none */
	int64_t after_start, after_id;
	/* 1: oldest first, ascending (start, id). With after_* it pages back
	 * towards the newest; alone it reads the oldest page (a list's End)
	 * at the cost of the newest, without walking the pages between. */
	int oldest_first;
	int limit;                 /* 0 = no limit */
} cdrq_filter;

typedef int (*cdrq_fn)(const cdrq_row *r, void *ctx);

/* Calls fn for each matching record, newest first (or oldest first, see
 * cdrq_filter.oldest_first); a non-zero return from fn stops the walk.
 * Keyset bounds also bound the index range, so any page costs the same. */
int cdrq_each(db_t *db, const account_info *a, const cdrq_filter *f, cdrq_fn fn, void *ctx);

/* Find one call by record id: exact stored key ("asterisk:1706368044.0"),
 * the source's own id ("1706368044.0", when unique), or "#ID" for the row id. */
int cdrq_find(db_t *db, const char *call_id, cdrq_row *out, int64_t *account_id);

typedef struct {
	cdrq_row call;
	account_info account;
	int has_rate;
	rate_row rate;             /* description points into desc[] */
	char desc[128];
	int64_t billsec;           /* whole seconds after full-up rounding */
	__int128 exact_num;        /* exact cost = exact_num / 60 nano-units */
	money_t recomputed;        /* cost recomputed now from the rate row */
	/* How the destination was read (issue 9): with the call's dial plan
	 * (has_plan, plan, dial) or, without one, number_for_rating (digits). */
	int has_plan;
	dialplan plan;
	dial_result dial;
	char digits[64];
} cdrq_explain;

int cdrq_explain_call(db_t *db, const char *call_id, cdrq_explain *out);

#endif
