/* test_frontq.c: the data/ calls that replaced the front ends' own SQL
 * (issue 11): db_data_version (the console's refresh), db_set_progress (its
 * Esc-cancellable queries), rejects_each (`billtop rejects`) and
 * ratesq_each (`billtop rates list`). */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "../../core/tm.h"
#include "../../data/db.h"
#include "../../data/ratesq.h"
#include "../../data/rejects.h"
#include "t.h"

/* Another connection's commit changes the value; nothing else does. */
TEST(data_version_moves_on_commit_elsewhere)
{
	const char *path = t_tmppath("frontq-dv.db");
	db_t *a = NULL, *b = NULL;
	char msg[256];
	int64_t v1, v2;
	T_EQ_I64(db_open(path, DB_OPEN_CREATE, &a, msg, sizeof msg), DB_OK);
	T_EQ_I64(db_open(path, 0, &b, msg, sizeof msg), DB_OK);
	v1 = db_data_version(a);
	T_ASSERT(v1 >= 0);
	T_EQ_I64(db_data_version(a), v1);
	T_EQ_I64(db_meta_set(b, "frontq", "1"), DB_OK);
	v2 = db_data_version(a);
	T_ASSERT(v2 >= 0 && v2 != v1);
	T_EQ_I64(db_data_version(a), v2);
	db_close(b);
	db_close(a);
	unlink(path);
}

static int calls;
static int stop_at_once(void *ctx)
{
	(void)ctx;
	calls++;
	return 1;
}

/* The handler interrupts a long statement; removed, the same one runs. */
TEST(progress_interrupts_and_is_removed)
{
	static const char slow[] = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 200000)"
	                           " SELECT count(*) FROM c";
	db_t *db = NULL;
	char msg[256];
	T_EQ_I64(db_open(":memory:", DB_OPEN_CREATE, &db, msg, sizeof msg), DB_OK);
	calls = 0;
	db_set_progress(db, 1000, stop_at_once, NULL);
	T_EQ_I64(db_exec(db, slow), DB_EINTERRUPT);
	T_EQ_I64(calls, 1);
	db_set_progress(db, 0, NULL, NULL);
	T_EQ_I64(db_exec(db, slow), DB_OK);
	T_EQ_I64(calls, 1);
	db_close(db);
}

typedef struct {
	int n;
	int64_t ids[4], lines[4];
	size_t lens[4];
	char first[8];
} seen_rejects;

static int keep_reject(const rejects_row *r, void *ctx)
{
	seen_rejects *s = ctx;
	if (s->n < 4) {
		s->ids[s->n] = r->import_id;
		s->lines[s->n] = r->line;
		s->lens[s->n] = r->raw_len;
		if (s->n == 0)
			memcpy(s->first, r->raw, r->raw_len < 8 ? r->raw_len : 8);
	}
	s->n++;
	return 0;
}

/* By import then line; a row's NUL bytes are kept (raw_len); --import ID
 * selects one import. */
TEST(rejects_each_orders_and_keeps_bytes)
{
	db_t *db = NULL;
	char msg[256];
	seen_rejects s;
	T_EQ_I64(db_open(":memory:", DB_OPEN_CREATE, &db, msg, sizeof msg), DB_OK);
	T_EQ_I64(db_exec(db, "INSERT INTO import(id, kind, path, started, operator)"
	                     " VALUES(1, 'cdr', 'a.csv', 0, 't'), (2, 'cdr', 'b.csv', 0, 't');"
	                     "INSERT INTO reject(import_id, path, line, reason, raw) VALUES"
	                     " (2, 'b.csv', 3, 'bad', 'x'), (1, 'a.csv', 9, 'bad', X'610062'), (1, 'a.csv', 4, 'bad', NULL)"),
	         DB_OK);
	memset(&s, 0, sizeof s);
	T_EQ_I64(rejects_each(db, 0, 0, keep_reject, &s), DB_OK);
	T_EQ_I64(s.n, 3);
	T_EQ_I64(s.ids[0], 1);
	T_EQ_I64(s.lines[0], 4);
	T_EQ_I64(s.lens[0], 0); /* NULL raw: "" */
	T_EQ_I64(s.lines[1], 9);
	T_EQ_I64(s.lens[1], 3); /* a, NUL, b */
	T_EQ_I64(s.ids[2], 2);
	memset(&s, 0, sizeof s);
	T_EQ_I64(rejects_each(db, 1, 2, keep_reject, &s), DB_OK);
	T_EQ_I64(s.n, 1);
	T_EQ_I64(s.lines[0], 3);
	T_EQ_I64(s.first[0], 'x');
	db_close(db);
}

typedef struct {
	int n;
	char prefixes[4][8];
	int64_t until[4];
} seen_rates;

static int keep_rate(const ratesq_row *r, void *ctx)
{
	seen_rates *s = ctx;
	if (s->n < 4) {
		snprintf(s->prefixes[s->n], sizeof s->prefixes[0], "%s", r->prefix);
		s->until[s->n] = r->until;
	}
	s->n++;
	return s->n >= 2; /* stops after two */
}

/* A deck's rows by prefix then date, filtered by prefix; an open row's
 * until is TM_NONE; fn stops the walk. */
TEST(ratesq_each_filters_and_stops)
{
	db_t *db = NULL;
	char msg[256];
	seen_rates s;
	T_EQ_I64(db_open(":memory:", DB_OPEN_CREATE, &db, msg, sizeof msg), DB_OK);
	T_EQ_I64(db_exec(db, "INSERT INTO deck(id, name, created) VALUES(7, 'd', 0);"
	                     "INSERT INTO rate(deck_id, prefix, rate, min_secs, inc_secs, eff_from, eff_to) VALUES"
	                     " (7, '449', 1, 1, 1, 0, NULL), (7, '44', 1, 1, 1, 100, NULL), (7, '44', 1, 1, 1, 0, 100),"
	                     " (7, '1', 1, 1, 1, 0, NULL)"),
	         DB_OK);
	memset(&s, 0, sizeof s);
	T_EQ_I64(ratesq_each(db, 7, "44", keep_rate, &s), DB_OK);
	T_EQ_I64(s.n, 2);
	T_EQ_STR(s.prefixes[0], "44");
	T_EQ_I64(s.until[0], 100);
	T_EQ_STR(s.prefixes[1], "44");
	T_EQ_I64(s.until[1], TM_NONE);
	db_close(db);
}

SUITE(frontq)
{
	RUN(data_version_moves_on_commit_elsewhere);
	RUN(progress_interrupts_and_is_removed);
	RUN(rejects_each_orders_and_keeps_bytes);
	RUN(ratesq_each_filters_and_stops);
}
