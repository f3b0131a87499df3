/* investigate.h: the data side of a dispute investigation (issue 4).
 *
 * Loads OUR calls for an account and period from the store and THEIR calls
 * from a file (same importers and options as `import cdr`, but never into
 * the ledger or the cdr table), runs the reconciliation engine (core/recon.h)
 * and keeps the outcome as a CASE in the `investigation` table, with its
 * report in JSON, text and CSV so a reopened case shows exactly what the
 * engineer saw.
 *
 * What is compared (decisions, see README "Investigating a dispute"):
 *  - call charges only: cdr.cost on our side, the file's cost column on
 *    theirs; CNAM lookup fees are totalled apart on each side (inv_side.cnam)
 *    and shown separately, never mixed into a call's cost;
 *  - our side is every record of the account whose start is in the period,
 *    except extra legs (state 3: another leg of a call already billed);
 *    their side drops, likewise, a connected leg whose call key (Asterisk
 *    linkedid, FreeSWITCH uuid) already has a connected leg with another
 *    record id; identical records are kept (the engine reports duplicates);
 *  - record ids: ours without the "source:" namespace the store adds, so
 *    they compare with the ids in their file; our cdr row id is the call's
 *    ref, their file line is theirs.
 *
 * Memory: by default one recon_call (96 bytes) per call in a growing array,
 * and every string in the side's own arena of 1 MB blocks; repeated strings
 * (calling numbers, prefixes) are interned: about 130-150 bytes per call.
 * With INV_COMPACT (inv_request.compact, the *_ex loaders) a side keeps its
 * calls only in the engine's compact form (inv_side.side, 48 bytes a call;
 * our record ids are fetched from the store when shown): read them with
 * inv_side_call, as `calls` stays NULL. `billtop investigate` uses it.
 *
 * Errors: functions return DB_OK or a DB_E* status with the reason in
 * db_errmsg(db), as the rest of data/ does. */
#ifndef BILLTOP_INVESTIGATE_H
#define BILLTOP_INVESTIGATE_H

#include <stddef.h>
#include <stdint.h>
#include "../core/recon.h"
#include "account.h"
#include "cdrfmt.h"
#include "cdrq.h"
#include "db.h"
#include "inv_findings.h"

#define INV_MAX_REJECTS 1000   /* bad rows of their file listed (all are counted) */

typedef struct inv_block inv_block;
typedef struct inv_ids inv_ids;

typedef struct {
	int64_t line;
	char *why;                 /* in the side's arena */
} inv_reject;

/* One side's calls. Everything (calls[], their strings, rejects) is owned
 * by the side and released by inv_side_free. */
typedef struct {
	recon_call *calls;         /* NULL in the compact form: see inv_side_call */
	size_t n, cap;
	inv_block *blocks;         /* string arena */
	const char **intern;       /* open-addressed table of interned strings */
	size_t intern_cap, intern_n;
	money_t cnam;              /* CNAM fees, kept apart from call charges */
	int64_t rows;              /* records read (theirs: data rows of the file) */
	int64_t extra_legs;        /* skipped: another leg of a call already counted */
	int64_t outside;           /* theirs: records outside the period, skipped */
	int64_t rejected;          /* theirs: bad rows skipped (keep-going) */
	inv_reject *rejects;       /* the first INV_MAX_REJECTS of them */
	size_t nrejects;
	int compact;               /* the calls are in `side`, not `calls` */
	recon_side side;           /* compact form: n calls (recon_run_sides) */
	inv_ids *ids;              /* compact, ours: record ids fetched on demand */
} inv_side;

void inv_side_free(inv_side *s);

/* Call i of the side in either form. Its strings point into the side or
 * *buf, valid until buf is reused or the side is freed. */
void inv_side_call(const inv_side *s, size_t i, recon_call *out, recon_callbuf *buf);

/* Flags of the *_ex loaders. */
#define INV_COMPACT  1         /* only the compact form (inv_side.side); calls stays NULL */
#define INV_KEEP_IDS 2         /* compact: keep our record ids in memory (to pair on ids) */

/* Our side: every record of account `a` with start in [from, to), extra
 * legs excepted. *out is filled (caller frees with inv_side_free). */
int inv_load_ours(db_t *db, const account_info *a, int64_t from, int64_t to, inv_side *out);
/* The same with INV_* flags. Compact, our record ids are read back from db
 * (one query each) when shown: db must stay open while the side is used. */
int inv_load_ours_ex(db_t *db, const account_info *a, int64_t from, int64_t to, int flags,
                     inv_side *out);

typedef struct {
	const char *path;
	cdrfmt_kind format;        /* CDRFMT_AUTO: detected as `import cdr` does */
	const char *map;           /* --theirs-map "field=Column,...", or NULL */
	const char *tz;            /* zone of zone-less times, NULL for UTC */
	const char *date_format;   /* --theirs-date-format, or NULL: order from a sample (cdrsniff.h) */
	int keep_going;            /* bad rows are counted and listed, not fatal */
	int64_t from, to;          /* keep calls with start in [from, to) */
} inv_theirs_opts;

/* Their side from a file. A bad row stops the load with "FILE:LINE: reason"
 * (DB_EINPUT) unless keep_going; a CSV-level error (unterminated quote)
 * always does. *format_used receives the format read. */
int inv_load_theirs(db_t *db, const inv_theirs_opts *o, inv_side *out, cdrfmt_kind *format_used);
/* The same with INV_* flags (their ids are always kept). */
int inv_load_theirs_ex(db_t *db, const inv_theirs_opts *o, int flags, inv_side *out,
                       cdrfmt_kind *format_used);

/* ---- a case ------------------------------------------------------------ */

typedef struct {
	const account_info *account;
	inv_theirs_opts theirs;    /* from/to are set by inv_run */
	int has_period;            /* 0: the UTC days their file covers */
	int64_t from, to;
	recon_opts ro;
	const char *options;       /* the options as given, kept with the case */
	int compact;               /* 1: both sides in the compact form only (INV_COMPACT) */
	/* Cancelling (the console's Esc): when set, poll(poll_ctx) is called on
	 * the caller's thread at most every INV_POLL_MS while the sides load
	 * (between rows of their file, between rows of ours when read on the
	 * caller's thread, and while waiting for the threads reading ours); a
	 * non-zero return stops every load within a few thousand rows, and
	 * inv_run returns DB_EINPUT "cancelled" with inv_case.cancelled set.
	 * The engine's run after the load (a fraction of a second for a
	 * million calls) is not interrupted. */
	int (*poll)(void *ctx);
	void *poll_ctx;
	/* Calls listed per finding, per direction and day (inv_findings.h):
	 * 0 INV_FINDING_LIST_CALLS, > 0 that many, < 0 every one. All are
	 * counted either way. */
	int list_calls;
} inv_request;

#define INV_POLL_MS 50

typedef struct {
	int64_t id;                /* case id once saved, else 0 */
	account_info account;
	int64_t created;
	char operator_[64], ssh_client[128];
	char their_path[4096];     /* absolute when it could be resolved */
	char their_format[24];
	int64_t from, to;          /* the period compared: start in [from, to) */
	char options[1024];
	inv_side ours, theirs;
	int have_result;
	recon_result res;
	int has_explain;           /* our rating of the single call */
	cdrq_explain explain;
	double secs_ours, secs_theirs, secs_recon; /* load and engine times */
	int cancelled;             /* inv_run stopped by inv_request.poll */
	inv_findings findings;     /* every differing day (inv_findings.h), built by inv_run / inv_rerun */
	struct inv_names *names;   /* the evidence calls as each side's file names them (inv_names_load) */
	char their_map[512], their_tz[64], their_datefmt[64]; /* to read their file again for names */
	int their_kind;            /* cdrfmt_kind read */
	char sign[64];             /* the letter's signature (--sign), "" for none */
	int version;               /* findings version shown: 1 the engine's, 2.. the engineer's */
	int list_calls;            /* inv_request.list_calls */
} inv_case;

/* After the engine ran (inv_run, inv_rerun): make the headline verdict agree
 * with its single call (a matched call whose seconds differ is a duration
 * finding, with a step saying so) and build c->findings. DB_OK or DB_ENOMEM
 * (reason in db_errmsg(db)). */
int inv_conclude_result(db_t *db, inv_case *c);
/* Read, for the calls the reports show (the findings' and the headline's),
 * their record ids and numbers as each side wrote them: ours from the store
 * (record id with its source, numbers as imported), theirs from their file
 * read again (its id, numbers and line as written). A file that cannot be
 * read again leaves the names of their side out (the letter then shows the
 * compared forms and says so). DB_OK or an error. */
int inv_names_load(db_t *db, inv_case *c);
/* The names of a call (side RECON_OURS / RECON_THEIRS, index into that
 * side), or NULL when not loaded: id, src, dst as written. */
typedef struct {
	const char *id, *src, *dst;
} inv_name;
const inv_name *inv_name_of(const inv_case *c, int side, int idx);
void inv_names_free(inv_case *c);

/* Load both sides, run the engine, explain the single call. On DB_OK *c is
 * filled (free with inv_case_free, also after a failure). With a period
 * (has_period) the two sides are read at the same time, ours on other
 * threads. */
int inv_run(db_t *db, const inv_request *rq, inv_case *c);
void inv_case_free(inv_case *c);

/* Store the case: assigns c->id, renders the three reports (inv_report.h)
 * and inserts them with the case, in one transaction. */
int inv_save(db_t *db, inv_case *c);

/* ---- stored cases ---------------------------------------------------- */

typedef struct {
	int64_t id, account_id;
	char account[ACCOUNT_NAME_MAX + 1];
	int64_t created;
	char operator_[64], ssh_client[128];
	char status[8];            /* "open" / "closed" */
	int64_t closed;            /* TM_NONE while open */
	char closed_by[64];
	char their_path[4096], their_format[24];
	int64_t from, to;
	char options[1024];
	char verdict[24];          /* the engine's (version 1) */
	int versions;              /* 1 + the engineer's conclusions */
	char concluded[24];        /* the latest version's verdict */
	char disputed[48];         /* the latest version's money in dispute (theirs - ours), decimal */
	char currency[8];
	const char *notes;         /* "TIME OPERATOR: text" lines; valid during the callback / until inv_case_row_free */
	char *notes_buf;
} inv_case_row;

/* Cases of one account (account_id > 0) or all: open ones first, then
 * newest first. */
typedef int (*inv_case_fn)(const inv_case_row *r, void *ctx);
int inv_case_each(db_t *db, int64_t account_id, inv_case_fn fn, void *ctx);
/* One case (DB_ENOTFOUND when there is none); free with inv_case_row_free. */
int inv_case_get(db_t *db, int64_t id, inv_case_row *out);
void inv_case_row_free(inv_case_row *r);
/* The stored report (kind INV_REPORT_*, inv_report.h) of the latest
 * version, malloc'd, caller frees. */
int inv_case_report(db_t *db, int64_t id, int kind, char **text, size_t *len);
/* The same of version `version`: 1 the engine's findings, 2.. the
 * engineer's conclusions, 0 the latest. DB_ENOTFOUND when there is none. */
int inv_case_report_v(db_t *db, int64_t id, int version, int kind, char **text, size_t *len);
/* Store c's current result (after inv_rerun with the engineer's answers)
 * as the next version of saved case c->id: verdict, the path through the
 * tree, the reports (missing lists, single call, findings). Sets
 * c->version. DB_EINPUT when the case is not saved (c->id 0). */
int inv_conclude_save(db_t *db, inv_case *c);
/* Append a note (time and operator recorded); notes are append-only. */
int inv_case_note(db_t *db, int64_t id, const char *text);
/* Close the case (time and operator recorded). DB_EINPUT if closed already. */
int inv_case_close(db_t *db, int64_t id);

#endif
