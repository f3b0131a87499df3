/* import.c: the file -> csvin -> format -> store pipeline, one transaction
 * per file, with rejects and progress. */
#include "import.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "../core/tm.h"
#include "account.h"
#include "cdrfmt.h"
#include "cdrfmt_describe.h"
#include "cdrsrc.h"
#include "csvin.h"
#include "deck.h"
#include "pipeline.h"

typedef struct {
	db_t *db;
	const char *path;
	const import_opts *o;
	import_result *res;
	store_writer *w;
	cdrsrc src;                /* format, zone and reader (MDR: the zone only) */
	int keep_going;            /* --keep-going, or a dry run (counts every row) */
	int first_nf;              /* dry run: field count of the first data row */
	db_stmt *peek;        /* dry run: the row just stored */
	int mdr_col[9];            /* MDR imports: column index per field */
	df_spec mdr_dates;         /* MDR imports: how the time column is read (cdrsniff.h) */
	int have_header;
	db_stmt *rej;
	int status;                /* DB_* when stopping on a database error */
	char stop_reason[600];     /* set when stopping on a bad row */
	double t0, last_draw;
} import_ctx;

static void progress(int64_t done, int64_t total, void *vctx)
{
	import_ctx *x = vctx;
	double t = tm_mono_s(), el, mbs, eta;
	if (!x->o->progress || (t - x->last_draw < 0.2 && done < total))
		return;
	x->last_draw = t;
	el = t - x->t0;
	mbs = el > 0 ? (double)done / 1e6 / el : 0;
	eta = done > 0 && el > 0 ? el * (double)(total - done) / (double)done : 0;
	fprintf(stderr, "\r%s: %lld rows, %.1f MB/s, %3d%%, ETA %.0fs   ", x->path,
	        (long long)x->res->rows, mbs, total ? (int)(done * 100 / total) : 100, eta);
	if (done >= total)
		fputc('\n', stderr);
}

/* A bad row: keep it (keep_going) or stop the import with FILE:LINE.
 * raw (the row as CSV text, may be NULL) is copied by SQLite. */
static int reject_at(import_ctx *x, int64_t line, const char *raw, size_t rawlen, const char *why)
{
	x->res->rejected++;
	if (!x->keep_going) {
		snprintf(x->stop_reason, sizeof x->stop_reason, "%s:%lld: %s", x->path, (long long)line, why);
		return 1;
	}
	db_bind_int64(x->rej, 1, x->res->import_id);
	db_bind_text(x->rej, 2, x->path, -1);
	db_bind_int64(x->rej, 3, line);
	db_bind_text(x->rej, 4, why, -1);
	if (raw)
		db_bind_blob(x->rej, 5, raw, (int)rawlen);
	else
		db_bind_null(x->rej, 5);
	if (db_step(x->rej) != DB_DONE) {
		db_reset(x->rej);
		x->status = db_fail(x->db, "keep rejected row");
		return 1;
	}
	db_reset(x->rej);
	return 0;
}

static int reject(import_ctx *x, const csvin_row *row, const char *why)
{
	size_t len = 0;
	char *raw = x->keep_going ? pipeline_row_text(row, &len) : NULL;
	int rc = reject_at(x, row->line, raw, len, why);
	free(raw);
	return rc;
}

/* A row the store refused (unknown account...): the mapped record no
 * longer has the row's text, so keep the row's bytes as they are in the
 * file, without the line break. NULL when they cannot be read. */
static char *row_bytes(import_ctx *x, const pipe_item *it, size_t *len)
{
	int64_t n = it->end_offset - it->offset;
	char *buf;
	FILE *f;
	if (n <= 0 || n > ((int64_t)64 << 20) || !(buf = malloc((size_t)n)))
		return NULL;
	if (!(f = fopen(x->path, "rb")) || fseeko(f, (off_t)it->offset, SEEK_SET) != 0
	    || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		if (f)
			fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		n--;
	*len = (size_t)n;
	return buf;
}

/* Dry run: the row as the preview shows it. A stored row is read back
 * (state, prefix, charge) from the transaction that will be rolled back. */
static void preview_row(import_ctx *x, const pipe_item *it, int outcome, const char *why)
{
	import_preview *p = x->o->preview;
	import_preview_row *v;
	if (!p || p->nrows >= IMPORT_PREVIEW_ROWS)
		return;
	v = &p->row[p->nrows++];
	memset(v, 0, sizeof *v);
	v->line = it->line;
	v->outcome = outcome;
	v->decimals = 4;
	if (outcome == STORE_REJECT) {
		snprintf(v->why, sizeof v->why, "%s", why);
		return;
	}
	snprintf(v->account, sizeof v->account, "%s", x->o->account ? x->o->account : it->rec.account);
	snprintf(v->src, sizeof v->src, "%s", it->rec.src ? it->rec.src : "");
	snprintf(v->dst, sizeof v->dst, "%s", it->rec.dst ? it->rec.dst : "");
	snprintf(v->disposition, sizeof v->disposition, "%s", cdr_disposition_name(it->rec.disposition));
	v->start = it->rec.start;
	v->billsec_ms = it->rec.billsec_ms;
	if (outcome != STORE_INSERTED || !x->peek)
		return;
	db_bind_int64(x->peek, 1, x->res->import_id);
	if (db_step(x->peek) == DB_ROW) {
		v->state = db_column_int(x->peek, 0);
		const unsigned char *pf = db_column_text(x->peek, 1);
		snprintf(v->prefix, sizeof v->prefix, "%s", pf ? (const char *)pf : "");
		v->billed_secs = db_column_int64(x->peek, 2);
		v->cost = db_column_int64(x->peek, 3);
		v->decimals = db_column_int(x->peek, 4);
		const unsigned char *an = db_column_text(x->peek, 5);
		snprintf(v->account, sizeof v->account, "%s", an ? (const char *)an : "");
	}
	db_reset(x->peek);
}

/* One mapped CDR row from the reader thread (pipeline.c), in file order. */
static int on_cdr_item(const pipe_item *it, void *vctx)
{
	import_ctx *x = vctx;
	char why[400];
	int outcome, rc;
	if (x->o->preview && x->res->rows >= IMPORT_SAMPLE_ROWS) {
		x->o->preview->truncated = 1;
		return 1; /* the sample is full: stop reading (no stop_reason) */
	}
	x->res->rows++;
	x->res->repaired += it->repaired;
	if (it->kind == PIPE_BAD) {
		preview_row(x, it, STORE_REJECT, it->why);
		return reject_at(x, it->line, it->raw, it->rawlen, it->why);
	}
	if (!x->first_nf)
		x->first_nf = it->nfields;
	if ((x->status = store_cdr(x->w, &it->rec, &outcome, why, sizeof why)) != DB_OK)
		return 1;
	preview_row(x, it, outcome, why);
	if (outcome != STORE_REJECT)
		return 0;
	size_t len = 0;
	char *raw = x->keep_going ? row_bytes(x, it, &len) : NULL;
	rc = reject_at(x, it->line, raw, len, why);
	free(raw);
	return rc;
}

/* ---- messaging records ---------------------------------------------- */

enum { M_ID, M_TIME, M_DIR, M_FROM, M_TO, M_TYPE, M_SEG, M_COST, M_ACCT, M_NCOLS };
static const char *const MDR_NAMES[M_NCOLS][6] = {
	[M_ID]   = { "id", "message_id", "msg_id", "mdr_id", "uuid", NULL },
	[M_TIME] = { "time", "timestamp", "date", "sent", "created_at", NULL },
	[M_DIR]  = { "direction", "dir", NULL },
	[M_FROM] = { "from", "src", "source", NULL },
	[M_TO]   = { "to", "dst", "destination", NULL },
	[M_TYPE] = { "type", "message_type", "kind", NULL },
	[M_SEG]  = { "segments", "parts", "segment_count", NULL },
	[M_COST] = { "cost", "charge", "amount", "price", NULL },
	[M_ACCT] = { "account", "accountcode", "customer", NULL },
};

static int on_mdr_row(const csvin_row *row, void *vctx)
{
	import_ctx *x = vctx;
	mdr_rec m;
	char why[400];
	int outcome;
	const char *f;
	char *end;
	long seg;

	if (!x->have_header) {
		char what[200];
		if (cdrfmt_header_kind(row, what, sizeof what) == CDRFMT_HDR_CALLS) {
			snprintf(x->stop_reason, sizeof x->stop_reason, "%s:%lld: a calls file (%s): use `billtop "
			         "import cdr`", x->path, (long long)row->line, what);
			return 1;
		}
		for (int c = 0; c < M_NCOLS; c++)
			x->mdr_col[c] = -1;
		for (int i = 0; i < row->nfields; i++)
			for (int c = 0; c < M_NCOLS; c++)
				for (int k = 0; MDR_NAMES[c][k]; k++)
					if (x->mdr_col[c] < 0 && strcasecmp(row->field[i], MDR_NAMES[c][k]) == 0)
						x->mdr_col[c] = i;
		for (int c = 0; c < M_NCOLS; c++) {
			if (x->mdr_col[c] >= 0 || c == M_ACCT || c == M_DIR || c == M_SEG || c == M_TYPE)
				continue;
			snprintf(x->stop_reason, sizeof x->stop_reason, "%s:%lld: the header has no \"%s\" column",
			         x->path, (long long)row->line, MDR_NAMES[c][0]);
			return 1;
		}
		x->have_header = 1;
		return 0;
	}
	x->res->rows++;
	x->res->repaired += row->repaired;
	memset(&m, 0, sizeof m);
	/* Same contract as CDRs (cdrfmt.c): a NUL anywhere is a damaged row;
	 * kept fields are UTF-8 and at most CDR_FIELD_MAX bytes, never cut. */
	for (int i = 0; i < row->nfields; i++)
		if (memchr(row->field[i], '\0', row->len[i])) {
			snprintf(why, sizeof why, "field %d holds a NUL byte (a damaged row)", i + 1);
			return reject(x, row, why);
		}
	for (int c = 0; c < M_NCOLS; c++) {
		if (x->mdr_col[c] < 0)
			continue;
		if (x->mdr_col[c] >= row->nfields) {
			snprintf(why, sizeof why, "expected %d fields as in the header, got %d",
			         x->mdr_col[c] + 1, row->nfields);
			return reject(x, row, why);
		}
		if (!csvin_valid_utf8(row->field[x->mdr_col[c]], row->len[x->mdr_col[c]])) {
			snprintf(why, sizeof why, "field \"%s\" is not valid UTF-8", MDR_NAMES[c][0]);
			return reject(x, row, why);
		}
		if (row->len[x->mdr_col[c]] > CDR_FIELD_MAX) {
			snprintf(why, sizeof why, "field \"%s\": %zu bytes, longer than the %d a stored field may hold",
			         MDR_NAMES[c][0], row->len[x->mdr_col[c]], CDR_FIELD_MAX);
			return reject(x, row, why);
		}
	}
#define MF(c) (x->mdr_col[c] >= 0 ? row->field[x->mdr_col[c]] : "")
	m.record_id = MF(M_ID);
	if (!*m.record_id)
		return reject(x, row, "empty message id");
	f = MF(M_TIME);
	{
		tm_civil c;
		char dwhy[160];
		if (df_read(&x->mdr_dates, f, strlen(f), 1, &c, dwhy, sizeof dwhy) != TM_OK) {
			snprintf(why, sizeof why, "bad time \"%.60s\"%s%s", f, x->mdr_dates.kind ? ": " : "",
			         x->mdr_dates.kind ? dwhy : "");
			return reject(x, row, why);
		}
		m.at = tz_to_utc(x->src.zone, &c);
	}
	/* in/out, incoming/outgoing or inbound/outbound, as carriers write them:
	 * stored as inbound/outbound, so that the messaging screen and the
	 * statement split them (anything else is kept as written: "other") */
	m.direction = MF(M_DIR);
	{
		const char *d = cdrfmt_direction(m.direction, strlen(m.direction));
		if (d)
			m.direction = d;
	}
	m.src = MF(M_FROM);
	m.dst = MF(M_TO);
	m.type = *MF(M_TYPE) ? MF(M_TYPE) : "sms";
	if (strcasecmp(m.type, "sms") && strcasecmp(m.type, "mms")) {
		snprintf(why, sizeof why, "bad type \"%.20s\" (sms or mms)", m.type);
		return reject(x, row, why);
	}
	m.segments = 1;
	if (*(f = MF(M_SEG))) {
		seg = strtol(f, &end, 10);
		if (*end || seg < 1 || seg > 1000) {
			snprintf(why, sizeof why, "bad segments \"%.20s\"", f);
			return reject(x, row, why);
		}
		m.segments = (int)seg;
	}
	f = MF(M_COST);
	if (money_parse(f, strlen(f), &m.cost) != MONEY_OK || m.cost < 0) {
		snprintf(why, sizeof why, "bad cost \"%.40s\"", f);
		return reject(x, row, why);
	}
	m.account = MF(M_ACCT);
#undef MF
	if ((x->status = store_mdr(x->w, &m, &outcome, why, sizeof why)) != DB_OK)
		return 1;
	return outcome == STORE_REJECT ? reject(x, row, why) : 0;
}

/* The dial plan line of a dry run: --account's plan, else whose it is. */
static void preview_dialplan(db_t *db, const import_opts *o)
{
	account_info a;
	char *out = o->preview->dialplan;
	size_t n = sizeof o->preview->dialplan;
	if (!o->account)
		snprintf(out, n, "each record's account's (see `billtop account list`)");
	else if (account_find(db, o->account, &a) != DB_OK)
		snprintf(out, n, "none (no account %s yet)", o->account);
	else if (!a.plan_code[0])
		snprintf(out, n, "none (numbers rated as written)");
	else
		dialplan_describe(&a.plan, out, n);
}

/* ---- the shared driver ---------------------------------------------- */

/* "FILE:LINE: reason" for a CSV-level error, with the way out when it was
 * a stray quote. */
static int csv_failure(db_t *db, const char *path, const import_opts *o, const csvin_error *err)
{
	if (err->stray_quote && !o->lenient)
		return db_failf(db, DB_EINPUT, "%s:%lld: %s; if the file writes quotes unescaped (a caller "
		                "name like \"User 10\" <114>), --lenient reads them as text and counts the rows "
		                "it repaired", path, (long long)err->line, err->msg);
	return db_failf(db, DB_EINPUT, "%s:%lld: %s", path, (long long)err->line, err->msg);
}

static int run_import(db_t *db, const char *path, const import_opts *o, import_result *res,
                      const char *kind, csvin_row_fn fn, import_ctx *x)
/* fn NULL: CDRs, read and mapped on a second thread (pipeline.c) */
{
	db_stmt *imp = NULL, *fin = NULL;
	csvin_error err;
	store_opts so;
	int rc, st;

	x->db = db;
	x->path = path;
	x->o = o;
	x->res = res;
	x->keep_going = o->keep_going || o->preview;
	x->t0 = tm_mono_s();
	if (o->deck && *o->deck) {
		int64_t deck_id;
		if ((st = deck_find(db, o->deck, &deck_id)) == DB_ENOTFOUND)
			return db_failf(db, DB_EINPUT, "--deck: no rate deck named \"%s\" (import one with "
			                "`billtop rates import`)", o->deck);
		if (st != DB_OK)
			return st;
	}
	if ((st = db_begin(db, 1)) != DB_OK)
		return st;
	if ((st = db_prepare(db, "INSERT INTO import(kind, path, format, started, operator, ssh_client)"
	                     " VALUES(?1,?2,?3,?4,?5,?6) RETURNING id", &imp)) != DB_OK)
		goto fail;
	db_bind_text(imp, 1, kind, -1);
	db_bind_text(imp, 2, path, -1);
	db_bind_text(imp, 3, strcmp(kind, "cdr") == 0 ? cdrfmt_name(res->format) : "mdr", -1);
	db_bind_int64(imp, 4, db_now());
	db_bind_text(imp, 5, db_operator(), -1);
	db_bind_text(imp, 6, db_ssh_client(), -1);
	if (db_step(imp) != DB_ROW) { /* RETURNING id */
		st = db_fail(db, "record import");
		goto fail;
	}
	res->import_id = db_column_int64(imp, 0);
	db_reset(imp);
	memset(&so, 0, sizeof so);
	so.source = strcmp(kind, "cdr") == 0 ? cdrfmt_name(res->format) : "mdr";
	so.account = o->account;
	so.create_accounts = o->create_accounts;
	so.import_id = res->import_id;
	if (!(x->w = store_new(db, &so))) {
		st = db_failf(db, DB_ENOMEM, "%s: cannot prepare the store: %s", path, db_errmsg(db));
		goto fail;
	}
	store_set_new_deck(x->w, o->create_accounts ? o->deck : NULL);
	store_count_calls(x->w);
	if (!o->preview) /* the preview reads each stored row back at once */
		store_defer_rows(x->w);
	if ((st = db_prepare(db, "INSERT INTO reject(import_id, path, line, reason, raw)"
	                     " VALUES(?1,?2,?3,?4,?5)", &x->rej)) != DB_OK)
		goto fail;
	/* the newest call row of this import: the last one, read from the end */
	if (o->preview && (st = db_prepare(db, "SELECT c.state, c.prefix, c.billed_secs, c.cost, a.decimals,"
	                                   " a.name FROM cdr c JOIN account a ON a.id = c.account_id"
	                                   " WHERE c.import_id = ?1 ORDER BY c.id DESC LIMIT 1", &x->peek)) != DB_OK)
		goto fail;
	if (fn)
		rc = csvin_read_file_ex(path, 0, x->src.csv_flags, fn, progress, x, &err);
	else
		rc = pipeline_run_flags(path, x->src.csv_flags, x->src.fmt, on_cdr_item, progress, x, &err);
	if (x->status != DB_OK) {
		st = x->status;
		goto fail;
	}
	if (x->stop_reason[0]) {
		st = db_failf(db, DB_EINPUT, "%s", x->stop_reason);
		goto fail;
	}
	if (rc == CSVIN_ESTOPPED && o->preview && o->preview->truncated)
		rc = CSVIN_OK; /* the dry run's sample is full */
	if (rc != CSVIN_OK) {
		/* A CSV-level error (unterminated quote...). keep_going cannot
		 * resynchronise inside a broken quote, so the file is refused. */
		st = csv_failure(db, path, o, &err);
		goto fail;
	}
	if ((st = store_finish(x->w)) != DB_OK)
		goto fail;
	res->st = *store_get_stats(x->w);
	/* Nothing is lost silently: each row read is in exactly one bin. */
	if (res->rows != res->st.inserted + res->st.duplicates + res->rejected) {
		st = db_failf(db, DB_EINPUT, "%s: %lld rows read but %lld stored + %lld duplicates + %lld rejected:"
		              " refused, nothing imported (a defect in billtop: please report it)", path,
		              (long long)res->rows, (long long)res->st.inserted, (long long)res->st.duplicates,
		              (long long)res->rejected);
		goto fail;
	}
	if (o->preview) {
		if (x->src.fmt)
			cdrfmt_describe(x->src.fmt, x->first_nf, o->preview->mapping, sizeof o->preview->mapping);
		snprintf(o->preview->zone, sizeof o->preview->zone, "%s", tz_name(x->src.zone));
		preview_dialplan(db, o);
		db_finalize(imp);
		db_finalize(x->rej);
		db_finalize(x->peek);
		store_free(x->w);
		db_rollback(db); /* a dry run writes nothing */
		res->import_id = 0;
		res->seconds = tm_mono_s() - x->t0;
		return DB_OK;
	}
	if ((st = db_prepare(db, "UPDATE import SET finished=?2, rows=?3, inserted=?4, duplicates=?5,"
	                     " rejected=?6, unrated=?7 WHERE id=?1", &fin)) != DB_OK)
		goto fail;
	db_bind_int64(fin, 1, res->import_id);
	db_bind_int64(fin, 2, db_now());
	db_bind_int64(fin, 3, res->rows);
	db_bind_int64(fin, 4, res->st.inserted);
	db_bind_int64(fin, 5, res->st.duplicates);
	db_bind_int64(fin, 6, res->rejected);
	db_bind_int64(fin, 7, res->st.unrated);
	if (db_step(fin) != DB_DONE) {
		st = db_fail(db, "record import");
		goto fail;
	}
	if ((st = db_commit(db)) != DB_OK)
		goto fail;
	db_finalize(imp);
	db_finalize(fin);
	db_finalize(x->rej);
	store_free(x->w);
	res->seconds = tm_mono_s() - x->t0;
	return DB_OK;
fail:
	db_finalize(imp);
	db_finalize(fin);
	db_finalize(x->rej);
	db_finalize(x->peek);
	store_free(x->w);
	db_rollback(db);
	res->import_id = 0;
	if (o->progress)
		fputc('\n', stderr);
	return st;
}

static void src_opts(const char *path, const import_opts *o, cdrsrc_opts *so)
{
	memset(so, 0, sizeof *so);
	so->path = path;
	so->format = o->format;
	so->map = o->map;
	so->tz = o->tz;
	so->lenient = o->lenient;
	so->date_format = o->date_format;
	so->offer_lenient = 1;
}

int import_cdr_file(db_t *db, const char *path, const import_opts *o, import_result *res)
{
	import_ctx x;
	cdrsrc_opts so;
	char why[600];
	int st;

	memset(res, 0, sizeof *res);
	memset(&x, 0, sizeof x);
	src_opts(path, o, &so);
	if (cdrsrc_open(&x.src, &so, why, sizeof why) != 0)
		return db_failf(db, DB_EINPUT, "%s", why);
	res->format = x.src.format;
	res->dates = x.src.dates;
	st = run_import(db, path, o, res, "cdr", NULL, &x);
	cdrsrc_close(&x.src);
	return st;
}

int import_mdr_file(db_t *db, const char *path, const import_opts *o, import_result *res)
{
	import_ctx x;
	cdrsrc_opts so;
	char why[600];
	int st;

	memset(res, 0, sizeof *res);
	memset(&x, 0, sizeof x);
	src_opts(path, o, &so);
	if (cdrsrc_open_zone(&x.src, &so, why, sizeof why) != 0)
		return db_failf(db, DB_EINPUT, "%s", why);
	/* dates: as for CDRs, from the time column of a sample */
	if (cdrsniff_column(path, MDR_NAMES[M_TIME], o->date_format, x.src.csv_flags, &res->dates, why,
	                    sizeof why) != 0) {
		cdrsrc_close(&x.src);
		return db_failf(db, DB_EINPUT, "%s: %s", path, why);
	}
	x.mdr_dates = res->dates.dates;
	st = run_import(db, path, o, res, "mdr", on_mdr_row, &x);
	if (st == DB_OK && !x.have_header)
		st = DB_OK; /* an empty file imports nothing */
	cdrsrc_close(&x.src);
	return st;
}
