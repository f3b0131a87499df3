/* pgsrc.h: a switch's own CDR table in PostgreSQL as an ingest source:
 * `billtop ingest --from-db CONNINFO --table TABLE`.
 *
 * Layouts: Asterisk cdr_pgsql / cdr_adaptive_odbc (the table of Asterisk's
 * contrib/realtime/postgresql/postgresql_cdr.sql: start, answer, "end",
 * uniqueid, linkedid, sequence...; or the older calldate table) and
 * FreeSWITCH mod_cdr_pg_csv (scripts/create.sql: id serial, start_stamp,
 * end_stamp, uuid, hangup_cause...). Recognised from the table's columns
 * when not given.
 *
 * Record ids. Every row is mapped by the CSV readers (cdrfmt), so a record's
 * id is the one `billtop import cdr` gives for the same row as CSV with the
 * session in UTC and ISO dates (`PGTZ=UTC psql -c "\copy ..."`):
 *   asterisk:   `\copy (SELECT * FROM TABLE) TO F CSV HEADER` read as
 *               asterisk-db (uniqueid/sequence, else uniqueid/digest of the row)
 *   freeswitch: `\copy (SELECT caller_id_name, caller_id_number,
 *               destination_number, context, start_stamp, answer_stamp,
 *               end_stamp, duration, billsec, hangup_cause, uuid, bleg_uuid,
 *               accountcode, read_codec, write_codec FROM TABLE) TO F CSV`
 *               read as freeswitch (uuid/digest of those 15 fields)
 * so rows imported from a CSV dump and then read from the table are stored once.
 *
 * Position. The order key is the table's integer `id` column when it has
 * one, else its end time ("end", end_stamp), else its start time (calldate,
 * start). The watermark W is the highest key committed into billtop's store,
 * saved in the `ingest` row of the source (path "pg:LABEL TABLE", offset = W)
 * in the same SQLite transaction as the records. Each pass reads, in one
 * REPEATABLE READ snapshot, every row whose key is >= W - lookback, in key
 * order: rows committed late in the switch's table (a transaction that took
 * its id before a later one committed) are found in the window again, and
 * the rows re-read are recognised by their record ids (stored once; counted
 * as "re-checked", not as duplicates). A row committed more than `lookback`
 * behind the watermark is not read: lookback is in ids for an id key
 * (default 1000), in seconds for a time key (default 300). Rows with a NULL
 * key are never read. */
#ifndef BILLTOP_PGSRC_H
#define BILLTOP_PGSRC_H

#include <stdint.h>
#include "ingest.h"

typedef enum { PGSRC_AUTO = 0, PGSRC_ASTERISK, PGSRC_FREESWITCH } pgsrc_layout;

/* "asterisk" / "freeswitch" -> layout; 0 or -1. */
int pgsrc_parse_layout(const char *s, pgsrc_layout *out);
const char *pgsrc_layout_name(pgsrc_layout l);

typedef struct {
	const char *conninfo;   /* any libpq connection string or URI */
	const char *table;      /* TABLE or SCHEMA.TABLE */
	pgsrc_layout layout;    /* PGSRC_AUTO: from the columns */
	int64_t lookback;       /* < 0: the default (see above) */
} pgsrc_opts;

typedef struct {
	pgsrc_layout layout;
	char label[512];        /* the source as shown: "postgresql://user@host:port/db table cdr" (no password) */
	int64_t rechecked;      /* rows of the window read again, already stored */
	int64_t watermark;      /* the committed key (ids, or microseconds since 1970 for times) */
	int key_is_time;
} pgsrc_result;

/* Read the table into billtop's store (o: account, tz, create_accounts,
 * follow, batch_rows, poll_ms, stop, note; format, map, date_format and the
 * rotation options are not used). Returns DB_OK or a DB_E* status with the
 * reason in db_errmsg(db) (never the password); what was committed before
 * an error stays committed. */
int pgsrc_ingest(db_t *db, const pgsrc_opts *po, const ingest_opts *o, ingest_result *res, pgsrc_result *pr);

#endif
