/* db_pg_bulk.c: COPY FROM STDIN for the rating writer's batches (one
 * statement for thousands of rows instead of a round trip a row) and the
 * switch for deferred steps (db_pg_stmt.c sends them). */
#include "db_pg_bulk.h"

#include "db_pg_int.h"

int pg_settle(db_t *db, pg_conn *c)
{
	PGresult *r;
	int st = DB_OK;
	pg_unstream(c); /* a streaming SELECT's rest first (db_pg_stmt.c) */
	if (!c->copy_busy)
		return DB_OK;
	c->copy_busy = 0;
	while ((r = PQgetResult(c->pg)) != NULL) {
		if (st == DB_OK && PQresultStatus(r) != PGRES_COMMAND_OK)
			st = pg_res_fail(db, c, "copy", r);
		else if (st == DB_OK)
			pg_note_changes(c, r);
		PQclear(r);
	}
	return st;
}

int db_pg_copy_wait(db_t *db)
{
	return pg_settle(db, pg_conn_of(db));
}

int db_pg_copy_in(db_t *db, const char *sql, const char *data, size_t len)
{
	pg_conn *c = pg_conn_of(db);
	PGresult *r;
	int st = pg_settle(db, c), ok = 1;
	if (st != DB_OK)
		return st;
	r = PQexec(c->pg, sql);
	if (PQresultStatus(r) != PGRES_COPY_IN) {
		st = pg_res_fail(db, c, "copy", r);
		PQclear(r);
		return st;
	}
	PQclear(r);
	/* libpq buffers and sends: chunks keep each call's copy small */
	while (ok && len > 0) {
		size_t n = len > (1u << 20) ? (1u << 20) : len;
		ok = PQputCopyData(c->pg, data, (int)n) == 1;
		data += n;
		len -= n;
	}
	if (PQputCopyEnd(c->pg, ok ? NULL : "billtop: could not send the rows") != 1 || !ok) {
		c->copy_busy = 1;
		pg_settle(db, c);
		return db_be_error(db, DB_ESQL, PQerrorMessage(c->pg));
	}
	/* the server stores the rows while the writer reads and rates the
	 * next batch: the result is read by the next call that talks to it */
	c->copy_busy = 1;
	return DB_OK;
}

int db_pg_defer(db_t *db, int on)
{
	pg_conn *c = pg_conn_of(db);
	if (on) {
		c->defer = 1;
		return DB_OK;
	}
	c->defer = 0;
	return pg_drain(db, c, 1);
}
