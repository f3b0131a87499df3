/* store_month.c: a PostgreSQL writer's month partitions (cdr is
 * partitioned by month: pg/schema.sql.h) and its second connection, which
 * makes new months apart and answers the batches' look-ups (store_batch.c).
 * On SQLite the writer has no ens_month and these do nothing. */
#include "store_int.h"

db_t *store_i_side(store_writer *w)
{
	if (!w->side && !w->side_failed && db_reopen(w->db, &w->side) != DB_OK) {
		w->side = NULL;
		w->side_failed = 1;
	}
	return w->side;
}

/* The month of start t, created and committed on the side connection
 * before the writer's transaction uses it. Created inside the transaction
 * (below alone), a month's new partition held its name until that writer
 * committed: a second import or follower into the same new month (any
 * account) waited in CREATE TABLE for the whole first transaction. Committed
 * apart, the month is an empty partition if the transaction then fails (as
 * a month a later import empties); billtop_cdr_month is idempotent. Best
 * effort: on any failure (no second connection, an archived month) the
 * month is created or refused in the transaction, as before, with the same
 * message. */
static void month_apart(store_writer *w, int64_t t)
{
	unsigned i, n = w->nmon < 16 ? w->nmon : 16;
	for (i = 0; i < n; i++) /* rows out of time order across months */
		if (t >= w->mon[i][0] && t < w->mon[i][1])
			return;
	if (!store_i_side(w)
	    || (!w->side_month && db_prepare(w->side, "SELECT lo, hi FROM billtop_cdr_month(?1)", &w->side_month) != DB_OK))
		return;
	db_bind_int64(w->side_month, 1, t);
	if (db_step(w->side_month) == DB_ROW) { /* autocommit: committed when it returns */
		w->mon[w->nmon % 16][0] = db_column_int64(w->side_month, 0);
		w->mon[w->nmon % 16][1] = db_column_int64(w->side_month, 1);
		w->nmon++;
	}
	db_reset(w->side_month);
}

int store_ensure_month(store_writer *w, int64_t start)
{
	int rc;
	if (!w->ens_month || (start >= w->month_lo && start < w->month_hi))
		return DB_OK;
	month_apart(w, start);
	/* the month's partition in this transaction: found (made apart), or
	 * created here when it could not be */
	db_bind_int64(w->ens_month, 1, start);
	rc = db_step(w->ens_month);
	if (rc == DB_ROW) {
		w->month_lo = db_column_int64(w->ens_month, 0);
		w->month_hi = db_column_int64(w->ens_month, 1);
	}
	db_reset(w->ens_month);
	return rc == DB_ROW ? DB_OK : rc == DB_DONE ? DB_ESQL : rc;
}
