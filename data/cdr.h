/* cdr.h: one call detail record as read from any source, before rating.
 * Pointers inside a cdr_rec borrow from the reader's row buffer: they are
 * valid only during the callback that received the record. */
#ifndef BILLTOP_CDR_H
#define BILLTOP_CDR_H

#include <stdint.h>
#include "../core/money.h"

/* The most bytes a text field taken from a record may hold (call id, calling
 * and called number, caller name, disposition, account code, linked id):
 * switches write far less (Asterisk: 80 for numbers and names, 150 for ids).
 * A longer field is a bad row (FILE:LINE: reason, kept in the rejects with
 * its bytes), never cut: a cut id could merge two calls, a cut number could
 * rate differently. Readers size their buffers from these (cdrq.h). */
#define CDR_FIELD_MAX 255
/* A stored record id: "source:" (at most 16) + id + "/" + sequence or row
 * digest (at most 20). */
#define CDR_RECORD_ID_MAX (16 + CDR_FIELD_MAX + 1 + 20)
/* The largest amount one record may carry, in nano-units: 10^15 (one
 * million currency units). A source's own cost beyond +-CDR_AMOUNT_MAX, a
 * CNAM fee outside 0..CDR_AMOUNT_MAX (a fee is a debit: a negative one would
 * credit the account), a rated charge or a message cost above it, is a bad
 * row. Bounded amounts keep every per-record sum (charge + fee, the walk's
 * debit) exact; the totals of many records saturate (store.c), never wrap.
 * (Two fees of 9223372036.854775807 overflowed int64: tests/fuzz/regress.) */
#define CDR_AMOUNT_MAX ((money_t)1000000000000000LL)

typedef enum {
	DISP_ANSWERED = 0,
	DISP_NO_ANSWER,
	DISP_BUSY,
	DISP_FAILED,
	DISP_CONGESTION,
	DISP_OTHER
} cdr_disposition;

const char *cdr_disposition_name(cdr_disposition d);

typedef struct {
	const char *record_id;  /* dedupe key within the source format, never NULL
	                           (asterisk: uniqueid[/sequence]; freeswitch: uuid;
	                           flowroute/no id: a digest of the row's fields) */
	const char *call_key;   /* groups the legs of one call (asterisk linkedid or
	                           uniqueid); "" when the format has no legs */
	const char *account;    /* account code from the record, "" if none */
	const char *src;        /* calling number as written */
	const char *dst;        /* called number as written */
	const char *clid;       /* caller name / clid as written ("" if none) */
	const char *disposition_text; /* as written: "ANSWERED", "NORMAL_CLEARING" */
	int64_t start;          /* UTC s */
	int64_t answer;         /* UTC s or TM_NONE */
	int64_t end;            /* UTC s or TM_NONE */
	int64_t duration_ms;    /* total duration */
	int64_t billsec_ms;     /* answered duration (source's billsec) */
	cdr_disposition disposition;
	int connected;          /* 1: a billable connected call (format's rule) */
	int has_their_cost;     /* the source carries its own charge */
	money_t their_cost;     /* source's charge for the call (e.g. total_cost) */
	int64_t their_billed_secs; /* source's billed duration, -1 if none */
	money_t cnam_fee;       /* CNAM lookup fee on this record, 0 if none */
	const char *direction;  /* "inbound"/"outbound"/"" */
} cdr_rec;

#endif
