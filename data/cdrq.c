/* cdrq.c: call record queries. Calls are read through the cdr_now view:
 * each with its current rating (the latest re-rating correction, issue 10). */
#include "cdrq.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/number.h"
#include "../core/tm.h"
#include "store.h"

#define CDR_COLS "c.id, c.record_id, c.start, c.answer, c.duration_ms, c.billsec_ms, c.src, c.dst," \
	" c.clid, c.disp_text, c.connected, c.state, c.suspended, COALESCE(c.prefix, ''), c.rate_id," \
	" c.billed_secs, c.cost, c.cnam_cost, c.their_cost, c.account_id, COALESCE(c.dialplan, '')," \
	" COALESCE(c.unrated_reason, ''), c.rating_seq"

static void row_from(db_stmt *st, cdrq_row *r)
{
	memset(r, 0, sizeof *r);
	r->id = db_column_int64(st, 0);
	db_column_copy(r->record_id, sizeof r->record_id, st, 1);
	r->start = db_column_int64(st, 2);
	r->answer = db_column_type(st, 3) == DB_NULL ? TM_NONE : db_column_int64(st, 3);
	r->duration_ms = db_column_int64(st, 4);
	r->billsec_ms = db_column_int64(st, 5);
	db_column_copy(r->src, sizeof r->src, st, 6);
	db_column_copy(r->dst, sizeof r->dst, st, 7);
	db_column_copy(r->clid, sizeof r->clid, st, 8);
	db_column_copy(r->disposition, sizeof r->disposition, st, 9);
	r->connected = db_column_int(st, 10);
	r->state = db_column_int(st, 11);
	r->suspended = db_column_int(st, 12);
	db_column_copy(r->prefix, sizeof r->prefix, st, 13);
	r->rate_id = db_column_int64(st, 14);
	r->billed_secs = db_column_int64(st, 15);
	r->cost = db_column_int64(st, 16);
	r->cnam_cost = db_column_int64(st, 17);
	r->has_their_cost = db_column_type(st, 18) != DB_NULL;
	r->their_cost = db_column_int64(st, 18);
	db_column_copy(r->dialplan, sizeof r->dialplan, st, 20);
	db_column_copy(r->unrated_reason, sizeof r->unrated_reason, st, 21);
	r->corrections = db_column_int64(st, 22);
}

int cdrq_each(db_t *db, const account_info *a, const cdrq_filter *f, cdrq_fn fn, void *ctx)
{
	db_stmt *st;
	int rc;
	int64_t from = f->from, to = f->to;
	/* Keyset pagination on (start, id) using the (account_id, start) index:
	 * never OFFSET, so the millionth page costs what the first does. The
	 * keys also narrow [from, to) so the index range starts at the key
	 * rather than at the newest (or oldest) row. */
#define CDRQ_WHERE \
		" FROM cdr_now c WHERE c.account_id = ?1 AND c.start >= ?2 AND c.start < ?3" \
		" AND (?4 = 0 OR c.state = 1) AND (?13 = 0 OR c.state = 5)" \
		" AND (?5 IS NULL OR instr(c.src, ?5) > 0 OR instr(c.dst, ?5) > 0)" \
		" AND (?6 IS NULL OR lower(c.disp_text) = lower(?6))" \
		" AND (?7 IS NULL OR c.prefix = ?7)" \
		" AND (?9 = 0 OR c.start < ?8 OR (c.start = ?8 AND c.id < ?9))" \
		" AND (?12 = 0 OR c.start > ?11 OR (c.start = ?11 AND c.id > ?12))"
	static const char newest[] = "SELECT " CDR_COLS CDRQ_WHERE " ORDER BY c.start DESC, c.id DESC LIMIT ?10";
	static const char oldest[] = "SELECT " CDR_COLS CDRQ_WHERE " ORDER BY c.start ASC, c.id ASC LIMIT ?10";
#undef CDRQ_WHERE
	if (f->before_id && f->before_start < INT64_MAX && to > f->before_start + 1)
		to = f->before_start + 1;
	if (f->after_id && from < f->after_start)
		from = f->after_start;
	if (db_prepare(db, f->oldest_first ? oldest : newest, &st) != DB_OK)
		return db_fail(db, "list calls");
	db_bind_int64(st, 1, a->id);
	db_bind_int64(st, 2, from);
	db_bind_int64(st, 3, to);
	db_bind_int(st, 4, f->unrated_only);
	if (f->number) db_bind_text(st, 5, f->number, -1);
	if (f->disposition) db_bind_text(st, 6, f->disposition, -1);
	if (f->prefix) db_bind_text(st, 7, f->prefix, -1);
	db_bind_int64(st, 8, f->before_id ? f->before_start : 0);
	db_bind_int64(st, 9, f->before_id);
	db_bind_int64(st, 10, f->limit > 0 ? f->limit : INT64_MAX); /* no limit (PostgreSQL refuses -1) */
	db_bind_int64(st, 11, f->after_id ? f->after_start : 0);
	db_bind_int64(st, 12, f->after_id);
	db_bind_int(st, 13, f->internal_only);
	while ((rc = db_step(st)) == DB_ROW) {
		cdrq_row r;
		row_from(st, &r);
		if (fn(&r, ctx))
			break;
	}
	db_finalize(st);
	return rc == DB_ROW || rc == DB_DONE ? DB_OK : db_fail(db, "list calls");
}

static int find_by(db_t *db, const char *sql, const char *text, int64_t num, cdrq_row *out,
                   int64_t *account_id, int *count)
{
	db_stmt *st;
	int rc;
	*count = 0;
	if (db_prepare(db, sql, &st) != DB_OK)
		return db_fail(db, "find call");
	if (text)
		db_bind_text(st, 1, text, -1);
	else
		db_bind_int64(st, 1, num);
	while ((rc = db_step(st)) == DB_ROW) {
		if (++*count == 1) {
			row_from(st, out);
			*account_id = db_column_int64(st, 19);
		}
	}
	db_finalize(st);
	return rc == DB_DONE ? DB_OK : db_fail(db, "find call");
}

int cdrq_find(db_t *db, const char *call_id, cdrq_row *out, int64_t *account_id)
{
	static const char *const sources[] = { "asterisk", "asterisk-custom", "freeswitch", "flowroute",
	                                       "generic", "asterisk-db", "grandstream", "demo" };
	char key[256];
	int n = 0, st, total = 0;
	if (call_id[0] == '#')
		return (st = find_by(db, "SELECT " CDR_COLS " FROM cdr_now c WHERE c.id = ?1", NULL,
		                     strtoll(call_id + 1, NULL, 10), out, account_id, &n)) != DB_OK ? st
		       : n ? DB_OK : db_failf(db, DB_ENOTFOUND, "no call with row id %s", call_id + 1);
	if ((st = find_by(db, "SELECT " CDR_COLS " FROM cdr_now c WHERE c.record_id = ?1", call_id, 0, out,
	                  account_id, &n)) != DB_OK)
		return st;
	if (n)
		return DB_OK;
	/* "source:id" of a record stored as "source:id/sequence" or
	 * "source:id/fnv:digest" (cdrfmt: rows sharing an id, told apart) */
	if ((st = find_by(db, "SELECT " CDR_COLS " FROM cdr_now c WHERE c.record_id > ?1 || '/'"
	                  " AND c.record_id < ?1 || '0'", call_id, 0, out, account_id, &n)) != DB_OK)
		return st;
	if (n == 1)
		return DB_OK;
	if (n > 1)
		return db_failf(db, DB_EINPUT, "call id \"%s\" has %d records: give the full id (see `billtop cdrs`)",
		                call_id, n);
	for (size_t i = 0; i < sizeof sources / sizeof sources[0]; i++) {
		cdrq_row tmp;
		int64_t acct;
		snprintf(key, sizeof key, "%s:%s", sources[i], call_id);
		if ((st = find_by(db, "SELECT " CDR_COLS " FROM cdr_now c WHERE c.record_id = ?1", key, 0, &tmp,
		                  &acct, &n)) != DB_OK)
			return st;
		/* the call id of a record stored as "id/sequence" or "id/fnv:digest"
		 * (cdrfmt: rows sharing an id are told apart by their content) */
		if (!n && (st = find_by(db, "SELECT " CDR_COLS " FROM cdr_now c WHERE c.record_id > ?1 || '/'"
		                        " AND c.record_id < ?1 || '0'", key, 0, &tmp, &acct, &n)) != DB_OK)
			return st;
		total += n > 1; /* several records of that call: ambiguous */
		if (n && total++ == 0) {
			*out = tmp;
			*account_id = acct;
		}
	}
	if (total == 1)
		return DB_OK;
	if (total > 1)
		return db_failf(db, DB_EINPUT, "call id \"%s\" is ambiguous: give the full id (source:id)", call_id);
	return db_failf(db, DB_ENOTFOUND, "no call with id \"%s\" (see `billtop cdrs ACCOUNT`)", call_id);
}

int cdrq_explain_call(db_t *db, const char *call_id, cdrq_explain *out)
{
	int64_t acct;
	int st, rc;
	db_stmt *q;

	memset(out, 0, sizeof *out);
	if ((st = cdrq_find(db, call_id, &out->call, &acct)) != DB_OK)
		return st;
	if ((st = account_get(db, acct, &out->account)) != DB_OK)
		return st;
	out->billsec = (out->call.billsec_ms + 999) / 1000;
	if (out->call.dialplan[0] && dialplan_decode(out->call.dialplan, &out->plan) == 0) {
		out->has_plan = 1;
		dialplan_normalise(&out->plan, out->call.dst, &out->dial);
	} else if (number_for_rating(out->call.dst, out->digits, sizeof out->digits) < 0)
		out->digits[0] = '\0';
	if (!out->call.rate_id)
		return DB_OK;
	if (db_prepare(db, "SELECT prefix, description, rate, min_secs, inc_secs, grace_secs,"
	                       " connect_fee, eff_from, eff_to FROM rate WHERE id = ?1", &q) != DB_OK)
		return db_fail(db, "read rate row");
	db_bind_int64(q, 1, out->call.rate_id);
	rc = db_step(q);
	if (rc == DB_ROW) {
		rate_row *r = &out->rate;
		rate_result res;
		out->has_rate = 1;
		r->id = out->call.rate_id;
		snprintf(r->prefix, sizeof r->prefix, "%s", (const char *)db_column_text(q, 0));
		snprintf(out->desc, sizeof out->desc, "%s", (const char *)db_column_text(q, 1));
		r->description = out->desc;
		r->rate_per_min = db_column_int64(q, 2);
		r->min_secs = db_column_int(q, 3);
		r->inc_secs = db_column_int(q, 4);
		r->grace_secs = db_column_int(q, 5);
		r->connect_fee = db_column_int64(q, 6);
		r->eff_from = db_column_int64(q, 7);
		r->eff_to = db_column_type(q, 8) == DB_NULL ? RATE_FOREVER : db_column_int64(q, 8);
		if (rate_call(r, out->call.billsec_ms, out->account.decimals, out->account.rounding, &res) == RATE_OK) {
			out->exact_num = res.exact_num;
			out->recomputed = out->call.state == CDR_RATED ? res.cost : 0;
		}
	}
	db_finalize(q);
	return rc == DB_ROW || rc == DB_DONE ? DB_OK : db_fail(db, "read rate row");
}
