/* audit.h: who did what, when: `billtop audit`.
 *
 * Every action that changes money or findings names its operator ($USER)
 * and SSH client ($SSH_CLIENT) and its time: ledger entries (posted), CDR
 * and MDR imports, live-feed sessions (`ingest`), rate deck imports,
 * investigations opened and closed. audit_each lists them together, newest
 * first, read from the tables that hold them (nothing is kept twice).
 * Notes on a case carry their author in their own text. */
#ifndef BILLTOP_AUDIT_H
#define BILLTOP_AUDIT_H

#include <stdint.h>
#include "../core/money.h"
#include "db.h"

typedef struct {
	int64_t at;             /* when it was done (UTC s) */
	const char *what;       /* "ledger", "import", "ingest", "rates", "case opened", "case closed" */
	int64_t id;             /* ledger entry, import, or case id */
	const char *operator_;
	const char *ssh_client; /* "" when not over SSH */
	const char *account;    /* "" when none */
	const char *kind;       /* ledger: kind; imports: cdr/mdr; case opened: verdict */
	const char *text;       /* ledger: memo; imports: path; cases: their file */
	const char *format;     /* imports: format (rates: the deck); else "" */
	money_t amount;         /* ledger: signed amount */
	int decimals;           /* ledger: the account's decimals */
	int64_t effective;      /* ledger: the entry's time; cases: period start; else TM_NONE */
	int64_t until;          /* imports: finished (ingest: last batch); cases: period end */
	int64_t rows, inserted, duplicates, rejected; /* imports; cases: their calls, our calls */
	const char *ref;        /* ledger: the idempotency key (ledger add --ref), "" if none */
} audit_row;

typedef int (*audit_fn)(const audit_row *r, void *ctx);

/* Every action with from <= at < to, newest first. fn returns non-zero to
 * stop. Strings are valid during the call only. */
int audit_each(db_t *db, int64_t from, int64_t to, audit_fn fn, void *ctx);

#endif
