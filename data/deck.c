/* deck.c: rate deck import and loading. */
#include "deck.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/tm.h"
#include "csvin.h"

enum { C_PREFIX, C_DESC, C_RATE, C_MIN, C_INC, C_FEE, C_GRACE, C_EFF, C_END, NCOLS };

static const char *const COLUMN_NAMES[NCOLS][8] = {
	[C_PREFIX] = { "prefix", "dialcode", "dial_code", "code", "dial code", NULL },
	[C_DESC]   = { "description", "destination", "desc", "name", "country", NULL },
	[C_RATE]   = { "rate", "rate_per_min", "rate per min", "price", "per_minute", "cost", NULL },
	[C_MIN]    = { "first increment", "first_increment", "min_secs", "initblock", "min", "minimum", NULL },
	[C_INC]    = { "increment", "subsequent_increment", "incr_secs", "billingblock", "inc", "interval", NULL },
	[C_FEE]    = { "connect_fee", "connectcost", "connect fee", "connection_fee", "setup_fee", NULL },
	[C_GRACE]  = { "grace", "grace_secs", "grace_period", "free_secs", NULL },
	[C_EFF]    = { "effective", "effective_date", "eff_from", "effective date", "valid_from", NULL },
	[C_END]    = { "end_date", "eff_to", "valid_to", "expires", NULL },
};

typedef struct {
	db_t *db;
	const char *path;
	int64_t deck_id, effective;
	int col[NCOLS];
	int have_header;
	deck_import_stats *stats;
	sqlite3_stmt *find, *ins;
	int64_t import_mark;   /* rows inserted by this import have id > mark */
	int64_t import_id;     /* this import's row in `import` (kind 'rates'): who, when, what */
	int status;
} deck_ctx;

static int header_index(const char *name)
{
	char low[64];
	size_t n = 0;
	for (; name[n] && n < sizeof low - 1; n++)
		low[n] = (char)tolower((unsigned char)name[n]);
	low[n] = '\0';
	while (n && isspace((unsigned char)low[n - 1]))
		low[--n] = '\0';
	for (int c = 0; c < NCOLS; c++)
		for (int k = 0; COLUMN_NAMES[c][k]; k++)
			if (strcmp(low, COLUMN_NAMES[c][k]) == 0)
				return c;
	return -1;
}

static int fail_line(deck_ctx *x, int64_t line, const char *fmt, const char *a)
{
	char reason[300];
	snprintf(reason, sizeof reason, fmt, a);
	x->status = db_failf(x->db, DB_EINPUT, "%s:%lld: %s", x->path, (long long)line, reason);
	return 1;
}

static int parse_int_field(const char *s, int64_t *out)
{
	char *end;
	long long v;
	while (isspace((unsigned char)*s))
		s++;
	if (!*s)
		return -1;
	v = strtoll(s, &end, 10);
	while (isspace((unsigned char)*end))
		end++;
	if (*end)
		return -1;
	*out = v;
	return 0;
}

static int on_row(const csvin_row *row, void *vctx)
{
	deck_ctx *x = vctx;
	rate_row r;
	const char *f;
	int64_t v;
	char digits[RATE_PREFIX_MAX + 2];
	size_t nd = 0;

	/* A deck is text, and every check below reads fields as C strings: a
	 * NUL byte would cut "441" to "44" or "0.005<NUL>9" to 0.005 without a
	 * word (found writing the deck fuzz target). Refuse it anywhere, header too. */
	for (int i = 0; i < row->nfields; i++)
		if (memchr(row->field[i], '\0', row->len[i])) {
			char which[32];
			snprintf(which, sizeof which, "%d", i + 1);
			return fail_line(x, row->line, "field %s holds a NUL byte", which);
		}
	if (!x->have_header) {
		for (int c = 0; c < NCOLS; c++)
			x->col[c] = -1;
		for (int i = 0; i < row->nfields; i++) {
			int c = header_index(row->field[i]);
			if (c >= 0 && x->col[c] < 0)
				x->col[c] = i;
		}
		if (x->col[C_PREFIX] < 0)
			return fail_line(x, row->line, "%s", "no prefix column (prefix, dialcode or code) in the header");
		if (x->col[C_RATE] < 0)
			return fail_line(x, row->line, "%s", "no rate column (rate, rate_per_min or price) in the header");
		x->have_header = 1;
		return 0;
	}
	x->stats->rows++;
	memset(&r, 0, sizeof r);
	for (int c = 0; c < NCOLS; c++)
		if (x->col[c] >= row->nfields)
			return fail_line(x, row->line, "%s", "row has fewer fields than the header");
	for (int c = 0; c < NCOLS; c++) {
		if (x->col[c] < 0)
			continue;
		f = row->field[x->col[c]];
		if (!csvin_valid_utf8(f, row->len[x->col[c]]))
			return fail_line(x, row->line, "field \"%s\" is not valid UTF-8", COLUMN_NAMES[c][0]);
	}
	/* prefix: digits only, a leading '+' allowed */
	f = row->field[x->col[C_PREFIX]];
	for (const char *p = f; *p; p++) {
		if (isdigit((unsigned char)*p)) {
			if (nd >= RATE_PREFIX_MAX)
				return fail_line(x, row->line, "prefix \"%.40s\" is too long", f);
			digits[nd++] = *p;
		} else if (!(*p == '+' && p == f) && !isspace((unsigned char)*p)) {
			return fail_line(x, row->line, "prefix \"%.40s\" is not digits", f);
		}
	}
	digits[nd] = '\0';
	if (nd == 0)
		return fail_line(x, row->line, "empty prefix \"%.40s\"", f);
	memcpy(r.prefix, digits, nd + 1);
	r.description = x->col[C_DESC] >= 0 ? row->field[x->col[C_DESC]] : "";
	f = row->field[x->col[C_RATE]];
	if (money_parse(f, strlen(f), &r.rate_per_min) != MONEY_OK || r.rate_per_min < 0)
		return fail_line(x, row->line, "bad rate \"%.40s\" (a decimal amount, at most 9 decimals)", f);
	r.min_secs = r.inc_secs = 1;
	if (x->col[C_MIN] >= 0) {
		f = row->field[x->col[C_MIN]];
		if (parse_int_field(f, &v) || v < 1 || v > 86400)
			return fail_line(x, row->line, "bad first increment \"%.40s\" (whole seconds >= 1)", f);
		r.min_secs = (int32_t)v;
	}
	if (x->col[C_INC] >= 0) {
		f = row->field[x->col[C_INC]];
		if (parse_int_field(f, &v) || v < 1 || v > 86400)
			return fail_line(x, row->line, "bad increment \"%.40s\" (whole seconds >= 1)", f);
		r.inc_secs = (int32_t)v;
	}
	if (x->col[C_FEE] >= 0 && *(f = row->field[x->col[C_FEE]])) {
		if (money_parse(f, strlen(f), &r.connect_fee) != MONEY_OK || r.connect_fee < 0)
			return fail_line(x, row->line, "bad connect fee \"%.40s\"", f);
	}
	if (x->col[C_GRACE] >= 0 && *(f = row->field[x->col[C_GRACE]])) {
		if (parse_int_field(f, &v) || v < 0 || v > 86400)
			return fail_line(x, row->line, "bad grace \"%.40s\" (whole seconds >= 0)", f);
		r.grace_secs = (int32_t)v;
	}
	r.eff_from = x->effective;
	if (x->col[C_EFF] >= 0 && *(f = row->field[x->col[C_EFF]])) {
		if (tm_parse_utc(f, strlen(f), &r.eff_from) != TM_OK)
			return fail_line(x, row->line, "bad effective date \"%.40s\"", f);
	}
	r.eff_to = RATE_FOREVER;
	if (x->col[C_END] >= 0 && *(f = row->field[x->col[C_END]])) {
		if (tm_parse_utc(f, strlen(f), &r.eff_to) != TM_OK || r.eff_to <= r.eff_from)
			return fail_line(x, row->line, "bad end date \"%.40s\"", f);
	}

	/* Same prefix and effective date already present: identical is a no-op,
	 * different is an error (rates are changed by a new effective date). */
	sqlite3_bind_int64(x->find, 1, x->deck_id);
	sqlite3_bind_text(x->find, 2, r.prefix, -1, SQLITE_STATIC);
	sqlite3_bind_int64(x->find, 3, r.eff_from);
	if (sqlite3_step(x->find) == SQLITE_ROW) {
		int same = sqlite3_column_int64(x->find, 1) == r.rate_per_min
		           && sqlite3_column_int(x->find, 2) == r.min_secs
		           && sqlite3_column_int(x->find, 3) == r.inc_secs
		           && sqlite3_column_int(x->find, 4) == r.grace_secs
		           && sqlite3_column_int64(x->find, 5) == r.connect_fee;
		int mine = sqlite3_column_int64(x->find, 0) > x->import_mark;
		sqlite3_reset(x->find);
		if (mine)
			return fail_line(x, row->line, "prefix %s appears twice for the same effective date", r.prefix);
		if (!same)
			return fail_line(x, row->line, "prefix %s already has different rates from that date: "
			                 "import the new deck with --effective DATE", r.prefix);
		x->stats->unchanged++;
		return 0;
	}
	sqlite3_reset(x->find);
	sqlite3_bind_int64(x->ins, 1, x->deck_id);
	sqlite3_bind_text(x->ins, 2, r.prefix, -1, SQLITE_STATIC);
	sqlite3_bind_text(x->ins, 3, r.description, -1, SQLITE_STATIC);
	sqlite3_bind_int64(x->ins, 4, r.rate_per_min);
	sqlite3_bind_int(x->ins, 5, r.min_secs);
	sqlite3_bind_int(x->ins, 6, r.inc_secs);
	sqlite3_bind_int(x->ins, 7, r.grace_secs);
	sqlite3_bind_int64(x->ins, 8, r.connect_fee);
	sqlite3_bind_int64(x->ins, 9, r.eff_from);
	if (r.eff_to != RATE_FOREVER)
		sqlite3_bind_int64(x->ins, 10, r.eff_to);
	else
		sqlite3_bind_null(x->ins, 10);
	if (sqlite3_step(x->ins) != SQLITE_DONE) {
		sqlite3_reset(x->ins);
		x->status = db_fail(x->db, "insert rate");
		return 1;
	}
	sqlite3_reset(x->ins);
	x->stats->added++;
	return 0;
}

int deck_find(db_t *db, const char *name, int64_t *id)
{
	sqlite3_stmt *st;
	int rc;
	if (sqlite3_prepare_v2(db->sql, "SELECT id FROM deck WHERE name = ?1", -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, "find deck");
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return DB_OK;
	return rc == SQLITE_DONE ? db_failf(db, DB_ENOTFOUND, "no rate deck named \"%s\"", name)
	                         : db_fail(db, "find deck");
}

static int64_t scalar(db_t *db, const char *sql, int64_t a, int64_t b)
{
	sqlite3_stmt *st;
	int64_t v = -1;
	if (sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, a);
	sqlite3_bind_int64(st, 2, b);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* The import itself; rows come from `text` (len bytes) when it is not
 * NULL, else from the file `path`. `path` names the source in messages. */
static int deck_import_from(db_t *db, const char *path, const char *text, size_t len, const char *name,
                            int64_t effective, deck_import_stats *stats)
{
	deck_ctx x;
	csvin_error err;
	int st, rc;
	sqlite3_stmt *mk;

	memset(stats, 0, sizeof *stats);
	memset(&x, 0, sizeof x);
	x.db = db;
	x.path = path;
	x.effective = effective;
	x.stats = stats;
	if ((st = db_begin(db)) != DB_OK)
		return st;
	if (sqlite3_prepare_v2(db->sql, "INSERT INTO deck(name, created) VALUES(?1, ?2)"
	                       " ON CONFLICT(name) DO NOTHING", -1, &mk, NULL) != SQLITE_OK) {
		st = db_fail(db, "create deck");
		goto fail;
	}
	sqlite3_bind_text(mk, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(mk, 2, db_now());
	rc = sqlite3_step(mk);
	sqlite3_finalize(mk);
	if (rc != SQLITE_DONE) {
		st = db_fail(db, "create deck");
		goto fail;
	}
	if ((st = deck_find(db, name, &x.deck_id)) != DB_OK)
		goto fail;
	stats->deck_id = x.deck_id;
	x.import_mark = scalar(db, "SELECT COALESCE(MAX(id), 0) FROM rate WHERE ?1 = ?1 AND ?2 = ?2", 0, 0);
	/* A new price list changes what calls cost: record who imported it. */
	if (sqlite3_prepare_v2(db->sql, "INSERT INTO import(kind, path, format, started, operator, ssh_client)"
	                       " VALUES('rates', ?1, ?2, ?3, ?4, ?5)", -1, &mk, NULL) != SQLITE_OK) {
		st = db_fail(db, "record the deck import");
		goto fail;
	}
	sqlite3_bind_text(mk, 1, path, -1, SQLITE_STATIC);
	sqlite3_bind_text(mk, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(mk, 3, db_now());
	sqlite3_bind_text(mk, 4, db_operator(), -1, SQLITE_STATIC);
	sqlite3_bind_text(mk, 5, db_ssh_client(), -1, SQLITE_STATIC);
	rc = sqlite3_step(mk);
	sqlite3_finalize(mk);
	if (rc != SQLITE_DONE) {
		st = db_fail(db, "record the deck import");
		goto fail;
	}
	x.import_id = sqlite3_last_insert_rowid(db->sql);
	if ((st = db_prepare(db, "SELECT id, rate, min_secs, inc_secs, grace_secs, connect_fee FROM rate"
	                     " WHERE deck_id = ?1 AND prefix = ?2 AND eff_from = ?3", &x.find)) != DB_OK
	    || (st = db_prepare(db, "INSERT INTO rate(deck_id, prefix, description, rate, min_secs, inc_secs,"
	                        " grace_secs, connect_fee, eff_from, eff_to, import_id)"
	                        " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)", &x.ins)) != DB_OK)
		goto fail;
	sqlite3_bind_int64(x.ins, 11, x.import_id);
	rc = text ? csvin_read_buffer(text, len, on_row, &x, &err)
	          : csvin_read_file(path, 0, on_row, NULL, &x, &err);
	if (x.status != DB_OK) {
		st = x.status;
		goto fail;
	}
	if (rc != CSVIN_OK) {
		st = db_failf(db, DB_EINPUT, "%s:%lld: %s", path, (long long)err.line, err.msg);
		goto fail;
	}
	if (!x.have_header) {
		st = db_failf(db, DB_EINPUT, "%s: empty file (a rate deck needs a header row)", path);
		goto fail;
	}
	if (effective > 0) {
		/* The new file replaces the deck from `effective` on: close older
		 * open rows whose prefix it does not carry. */
		sqlite3_stmt *cl;
		if (sqlite3_prepare_v2(db->sql,
		        "UPDATE rate SET eff_to = ?2 WHERE deck_id = ?1 AND eff_from < ?2"
		        " AND (eff_to IS NULL OR eff_to > ?2) AND prefix NOT IN"
		        " (SELECT prefix FROM rate WHERE deck_id = ?1 AND eff_from = ?2)", -1, &cl, NULL) != SQLITE_OK) {
			st = db_fail(db, "close replaced rates");
			goto fail;
		}
		sqlite3_bind_int64(cl, 1, x.deck_id);
		sqlite3_bind_int64(cl, 2, effective);
		rc = sqlite3_step(cl);
		stats->closed = sqlite3_changes(db->sql);
		sqlite3_finalize(cl);
		if (rc != SQLITE_DONE) {
			st = db_fail(db, "close replaced rates");
			goto fail;
		}
	}
	if (sqlite3_prepare_v2(db->sql, "UPDATE import SET finished = ?2, rows = ?3, inserted = ?4, duplicates = ?5"
	                       " WHERE id = ?1", -1, &mk, NULL) != SQLITE_OK) {
		st = db_fail(db, "record the deck import");
		goto fail;
	}
	sqlite3_bind_int64(mk, 1, x.import_id);
	sqlite3_bind_int64(mk, 2, db_now());
	sqlite3_bind_int64(mk, 3, stats->rows);
	sqlite3_bind_int64(mk, 4, stats->added);
	sqlite3_bind_int64(mk, 5, stats->unchanged);
	rc = sqlite3_step(mk);
	sqlite3_finalize(mk);
	if (rc != SQLITE_DONE) {
		st = db_fail(db, "record the deck import");
		goto fail;
	}
	sqlite3_finalize(x.find);
	sqlite3_finalize(x.ins);
	return db_commit(db);
fail:
	sqlite3_finalize(x.find);
	sqlite3_finalize(x.ins);
	db_rollback(db);
	return st;
}

int deck_import(db_t *db, const char *path, const char *name, int64_t effective,
                deck_import_stats *stats)
{
	return deck_import_from(db, path, NULL, 0, name, effective, stats);
}

int deck_import_text(db_t *db, const char *label, const char *text, const char *name,
                     int64_t effective, deck_import_stats *stats)
{
	return deck_import_from(db, label, text, strlen(text), name, effective, stats);
}

int deck_import_buffer(db_t *db, const char *label, const char *text, size_t len, const char *name,
                       int64_t effective, deck_import_stats *stats)
{
	/* deck_import_from reads the file when text is NULL: never for a buffer */
	return deck_import_from(db, label, text ? text : "", text ? len : 0, name, effective, stats);
}

int deck_load(db_t *db, int64_t deck_id, rate_deck **out)
{
	sqlite3_stmt *st;
	rate_deck *d = rate_deck_new();
	int rc, err;
	*out = NULL;
	if (!d)
		return db_failf(db, DB_ENOMEM, "out of memory");
	if (sqlite3_prepare_v2(db->sql, "SELECT id, prefix, description, rate, min_secs, inc_secs,"
	                       " grace_secs, connect_fee, eff_from, eff_to FROM rate WHERE deck_id = ?1",
	                       -1, &st, NULL) != SQLITE_OK) {
		rate_deck_free(d);
		return db_fail(db, "load deck");
	}
	sqlite3_bind_int64(st, 1, deck_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		rate_row r;
		memset(&r, 0, sizeof r);
		r.id = sqlite3_column_int64(st, 0);
		snprintf(r.prefix, sizeof r.prefix, "%s", (const char *)sqlite3_column_text(st, 1));
		r.description = (const char *)sqlite3_column_text(st, 2);
		r.rate_per_min = sqlite3_column_int64(st, 3);
		r.min_secs = sqlite3_column_int(st, 4);
		r.inc_secs = sqlite3_column_int(st, 5);
		r.grace_secs = sqlite3_column_int(st, 6);
		r.connect_fee = sqlite3_column_int64(st, 7);
		r.eff_from = sqlite3_column_int64(st, 8);
		r.eff_to = sqlite3_column_type(st, 9) == SQLITE_NULL ? RATE_FOREVER : sqlite3_column_int64(st, 9);
		if ((err = rate_deck_add(d, &r)) != RATE_OK) {
			sqlite3_finalize(st);
			rate_deck_free(d);
			return db_failf(db, DB_EINPUT, "rate row %lld (prefix %s): %s", (long long)r.id, r.prefix,
			                rate_strerror(err));
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		rate_deck_free(d);
		return db_fail(db, "load deck");
	}
	*out = d;
	return DB_OK;
}
