/* rerate_query.c: reading corrections back (rerate.h): every rating of a
 * call for explain, and the statement's correction lines. */
#include "rerate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/tm.h"

int rerate_grow(void **p, int n, size_t size)
{
	void *q;
	if (n != 0 && (n & (n - 1)) != 0)
		return 0;
	if (!(q = realloc(*p, (size_t)(n ? n * 2 : 1) * size)))
		return -1;
	*p = q;
	return 0;
}

int rerate_history(db_t *db, int64_t cdr_id, rerate_rating **out, int *n)
{
	db_stmt *s;
	int rc;
	*out = NULL;
	*n = 0;
	/* the first rating is the cdr row's, kept for good */
	if (db_prepare(db, "SELECT 0, 0, 0, '', '', '', state, COALESCE(rate_id, 0), COALESCE(prefix, ''),"
	        " billed_secs, cost, COALESCE(unrated_reason, '') FROM cdr WHERE id = ?1"
	        " UNION ALL SELECT g.seq, g.rerate_id, COALESCE(r.at, 0), COALESCE(r.operator, ''),"
	        " COALESCE(r.memo, ''), COALESCE(r.deck, ''), g.state, COALESCE(g.rate_id, 0),"
	        " COALESCE(g.prefix, ''), g.billed_secs, g.cost, COALESCE(g.unrated_reason, '')"
	        " FROM rating g LEFT JOIN rerate r ON r.id = g.rerate_id WHERE g.cdr_id = ?1"
	        " ORDER BY 1", &s) != DB_OK)
		return db_fail(db, "read ratings");
	db_bind_int64(s, 1, cdr_id);
	while ((rc = db_step(s)) == DB_ROW) {
		rerate_rating *g;
		if (rerate_grow((void **)out, *n, sizeof **out) < 0) {
			db_finalize(s);
			free(*out);
			*out = NULL;
			*n = 0;
			return db_failf(db, DB_ENOMEM, "out of memory");
		}
		g = &(*out)[(*n)++];
		memset(g, 0, sizeof *g);
		g->seq = db_column_int(s, 0);
		g->run_id = db_column_int64(s, 1);
		g->at = db_column_int64(s, 2);
		db_column_copy(g->operator_, sizeof g->operator_, s, 3);
		db_column_copy(g->memo, sizeof g->memo, s, 4);
		db_column_copy(g->deck, sizeof g->deck, s, 5);
		g->state = db_column_int(s, 6);
		g->rate_id = db_column_int64(s, 7);
		db_column_copy(g->prefix, sizeof g->prefix, s, 8);
		g->billed_secs = db_column_int64(s, 9);
		g->cost = db_column_int64(s, 10);
		db_column_copy(g->unrated_reason, sizeof g->unrated_reason, s, 11);
	}
	db_finalize(s);
	return rc == DB_DONE ? DB_OK : db_fail(db, "read ratings");
}

int rerate_corrections(db_t *db, int64_t account_id, int64_t from, int64_t to, rerate_correction **out,
                       int *n)
{
	db_stmt *s;
	int rc;
	*out = NULL;
	*n = 0;
	if (db_prepare(db, "SELECT d.rerate_id, r.at, r.operator, r.memo, r.deck, SUM(d.calls), SUM(d.delta)"
	        " FROM rerate_day d JOIN rerate r ON r.id = d.rerate_id"
	        " WHERE d.account_id = ?1 AND d.day >= ?2 AND d.day < ?3 GROUP BY d.rerate_id, r.at, r.operator, r.memo, r.deck ORDER BY d.rerate_id", &s) != DB_OK)
		return db_fail(db, "read corrections");
	db_bind_int64(s, 1, account_id);
	db_bind_int64(s, 2, from == INT64_MIN ? INT64_MIN : tm_floor_day(from));
	db_bind_int64(s, 3, to);
	while ((rc = db_step(s)) == DB_ROW) {
		rerate_correction *c;
		if (rerate_grow((void **)out, *n, sizeof **out) < 0) {
			db_finalize(s);
			free(*out);
			*out = NULL;
			*n = 0;
			return db_failf(db, DB_ENOMEM, "out of memory");
		}
		c = &(*out)[(*n)++];
		memset(c, 0, sizeof *c);
		c->run_id = db_column_int64(s, 0);
		c->at = db_column_int64(s, 1);
		db_column_copy(c->operator_, sizeof c->operator_, s, 2);
		db_column_copy(c->memo, sizeof c->memo, s, 3);
		db_column_copy(c->deck, sizeof c->deck, s, 4);
		c->calls = db_column_int64(s, 5);
		c->delta = db_column_int64(s, 6);
	}
	db_finalize(s);
	return rc == DB_DONE ? DB_OK : db_fail(db, "read corrections");
}
