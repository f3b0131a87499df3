/* test_susp.c: data/suspensions.c, the dashboard's suspension history:
 * newest first (at, then id), bounded, only the account's own. */
#include <stdio.h>
#include <unistd.h>

#include "../../data/account.h"
#include "../../data/db.h"
#include "../../data/suspensions.h"
#include "t.h"

TEST(recent_newest_first)
{
	db_t *db = NULL;
	char msg[256];
	const char *p = t_tmppath("susp.db");
	account_info a, b;
	susp_row r[8];
	int n = -1;
	unlink(p);
	T_ASSERT(db_open(p, DB_OPEN_CREATE, &db, msg, sizeof msg) == DB_OK);
	account_defaults(&a, "a");
	account_defaults(&b, "b");
	T_ASSERT(account_add(db, &a) == DB_OK);
	T_ASSERT(account_add(db, &b) == DB_OK);
	char sql[1024];
	snprintf(sql, sizeof sql,
	         "INSERT INTO suspension(id, account_id, at, event, balance, cause_kind, cause_id) VALUES"
	         " (1, %lld, 100, 'suspended', -5, 'cdr', 7), (2, %lld, 200, 'restored', 10, 'ledger', 3),"
	         " (3, %lld, 200, 'suspended', -1, 'mdr', 9), (4, %lld, 150, 'suspended', -2, 'cdr', 1)",
	         (long long)a.id, (long long)a.id, (long long)a.id, (long long)b.id);
	T_ASSERT(db_exec(db, sql) == DB_OK);

	T_EQ_I64(susp_recent(db, a.id, r, 8, &n), DB_OK);
	T_EQ_I64(n, 3);
	T_EQ_I64(r[0].at, 200);   /* same time: the later id first */
	T_EQ_STR(r[0].event, "suspended");
	T_EQ_STR(r[0].cause, "mdr");
	T_EQ_I64(r[0].cause_id, 9);
	T_EQ_I64(r[0].balance, -1);
	T_EQ_STR(r[1].event, "restored");
	T_EQ_I64(r[2].at, 100);

	T_EQ_I64(susp_recent(db, a.id, r, 2, &n), DB_OK);   /* bounded */
	T_EQ_I64(n, 2);
	T_EQ_I64(susp_recent(db, b.id, r, 8, &n), DB_OK);   /* only its own */
	T_EQ_I64(n, 1);
	T_EQ_I64(susp_recent(db, 999, r, 8, &n), DB_OK);
	T_EQ_I64(n, 0);
	db_close(db);
	unlink(p);
}

SUITE(susp)
{
	RUN(recent_newest_first);
}
