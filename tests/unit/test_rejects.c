/* test_rejects.c: rejects_find, the one query for the reject table (the
 * console's rejects screen and `billtop rejects`): the text narrows on
 * the file, the reason or the row (a row with NUL bytes included), with or
 * without an import; rows tie-break by id; the id comes back. */
#include <string.h>

#include "../../data/db.h"
#include "../../data/rejects.h"
#include "t.h"

typedef struct {
	int n;
	int64_t ids[8], lines[8];
} seen;

static int keep(const rejects_row *r, void *ctx)
{
	seen *s = ctx;
	if (s->n < 8) {
		s->ids[s->n] = r->id;
		s->lines[s->n] = r->line;
	}
	s->n++;
	return 0;
}

static int stop_first(const rejects_row *r, void *ctx)
{
	return keep(r, ctx) || 1;
}

static db_t *sample(void)
{
	db_t *db = NULL;
	char msg[256];
	if (db_open(":memory:", DB_OPEN_CREATE, &db, msg, sizeof msg) != DB_OK)
		return NULL;
	if (db_exec(db, "INSERT INTO import(id, kind, path, started, operator)"
	                " VALUES(1, 'cdr', 'a.csv', 0, 't'), (2, 'cdr', 'feb.csv', 0, 't');"
	                "INSERT INTO reject(id, import_id, path, line, reason, raw) VALUES"
	                " (10, 1, 'a.csv', 5, 'bad time', 'x'),"
	                " (11, 1, 'a.csv', 5, 'bad amount', X'00626f6f6d'),"  /* NUL then 'boom' */
	                " (12, 2, 'feb.csv', 2, 'bad time', 'y'),"
	                " (13, 1, 'a.csv', 1, 'too short', NULL)") != DB_OK) {
		db_close(db);
		return NULL;
	}
	return db;
}

TEST(rejects_find_narrows_by_text)
{
	db_t *db = sample();
	seen s;
	T_ASSERT(db != NULL);
	memset(&s, 0, sizeof s);
	T_EQ_I64(rejects_find(db, 0, 0, NULL, keep, &s), DB_OK);
	T_EQ_I64(s.n, 4);
	T_EQ_I64(s.ids[0], 13);  /* import 1 line 1 */
	T_EQ_I64(s.ids[1], 10);  /* line 5, the lower id first */
	T_EQ_I64(s.ids[2], 11);
	T_EQ_I64(s.ids[3], 12);
	memset(&s, 0, sizeof s);
	T_EQ_I64(rejects_find(db, 0, 0, "", keep, &s), DB_OK); /* "": no narrowing */
	T_EQ_I64(s.n, 4);
	memset(&s, 0, sizeof s);
	T_EQ_I64(rejects_find(db, 0, 0, "time", keep, &s), DB_OK); /* the reason */
	T_EQ_I64(s.n, 2);
	T_EQ_I64(s.ids[0], 10);
	T_EQ_I64(s.ids[1], 12);
	memset(&s, 0, sizeof s);
	T_EQ_I64(rejects_find(db, 0, 0, "feb", keep, &s), DB_OK); /* the file */
	T_EQ_I64(s.n, 1);
	T_EQ_I64(s.ids[0], 12);
	memset(&s, 0, sizeof s);
	T_EQ_I64(rejects_find(db, 0, 0, "boom", keep, &s), DB_OK); /* the row, past a NUL byte */
	T_EQ_I64(s.n, 1);
	T_EQ_I64(s.ids[0], 11);
	memset(&s, 0, sizeof s);
	T_EQ_I64(rejects_find(db, 1, 2, "time", keep, &s), DB_OK); /* an import and a text */
	T_EQ_I64(s.n, 1);
	T_EQ_I64(s.ids[0], 12);
	memset(&s, 0, sizeof s);
	T_EQ_I64(rejects_find(db, 1, 1, "nowhere", keep, &s), DB_OK);
	T_EQ_I64(s.n, 0);
	memset(&s, 0, sizeof s);
	T_EQ_I64(rejects_find(db, 0, 0, NULL, stop_first, &s), DB_OK); /* fn stops the walk */
	T_EQ_I64(s.n, 1);
	db_close(db);
}

SUITE(rejects)
{
	RUN(rejects_find_narrows_by_text);
}
