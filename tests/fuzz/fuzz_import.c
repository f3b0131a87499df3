/* fuzz_import.c: `billtop import cdr` and `import mdr` end to end (data/
 * import.c -> pipeline.c -> csvin/cdrfmt -> store.c, rollup.c, walk.c) on an
 * in-memory database, checked by `billtop verify` (data/verify.c).
 *
 * fuzz_csv covers the parsers alone, fast; this target is slower (a few
 * hundred inputs a second) and covers what is done with a parsed record:
 * rating, dedupe, legs, rollups, the suspension walk, rejects.
 *
 * Setup (once): a template database (a file in /dev/shm or $TMPDIR, whole
 * schema, kept as bytes in memory and removed at exit) with account acme
 * (deck std, 4 decimals, half-up, a 1.00 deposit) and account beta (no deck,
 * 2 decimals, up); a memfd that holds the input, imported through its
 * /proc/self/fd path (the importers take a file).
 * Per input: the working database is the template's bytes written to a
 * second file and opened (the store interface has no backend's copy API),
 * then:
 *  1. import cdr, format detected, --keep-going --create-accounts;
 *  2. the same file again: it must add nothing (dedupe);
 *  3. import mdr --account acme --keep-going.
 * Invariants checked:
 *  - a refused import leaves the database as it was and says why;
 *  - counts add up (rows = inserted + duplicates + rejected);
 *  - verify_all finds no difference after every import: every rollup,
 *    balance, charge and suspension re-derives from the raw records. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz.h"
#include "../../data/account.h"
#include "../../data/db.h"
#include "../../data/deck.h"
#include "../../data/import.h"
#include "../../data/post.h"
#include "../../data/verify.h"

static db_t *work;
static int memfd = -1;
static char path[64];
static char tpath[256], wpath[256]; /* the template's and the working database's files */
static char *tbytes;                /* the template file's bytes */
static size_t tlen;

/* path and its -wal and -shm files removed */
static void remove_db(const char *p)
{
	char side[300];
	unlink(p);
	snprintf(side, sizeof side, "%s-wal", p);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", p);
	unlink(side);
}

static void cleanup(void)
{
	db_close(work);
	remove_db(tpath);
	remove_db(wpath);
}

static const char DECK[] =
	"prefix,description,rate,first increment,increment,connect_fee,grace\n"
	"1,US,0.005,1,1,0,0\n1206,Seattle,0.0100,6,6,0.001,2\n44,UK,0.0090,30,6,0.01,0\n"
	"4420,UK London,0.0080,60,60,0,5\n81,Japan,0.0450,60,1,0,0\n";

static void setup(void)
{
	char msg[300];
	account_info a;
	deck_import_stats ds;
	int64_t entry;
	db_t *tmpl;
	const char *dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	FILE *f;
	setenv("BILLTOP_NOW", "2026-11-20 12:00:00", 1);
	snprintf(tpath, sizeof tpath, "%s/billtop-fuzz-import-%ld.tmpl.db", dir, (long)getpid());
	snprintf(wpath, sizeof wpath, "%s/billtop-fuzz-import-%ld.work.db", dir, (long)getpid());
	remove_db(tpath);
	atexit(cleanup);
	FUZZ_CHECK(db_open(tpath, DB_OPEN_CREATE, &tmpl, msg, sizeof msg) == DB_OK);
	FUZZ_CHECK(deck_import_text(tmpl, "(fuzz deck)", DECK, "std", 0, &ds) == DB_OK);
	account_defaults(&a, "acme");
	FUZZ_CHECK(account_add(tmpl, &a) == DB_OK);
	FUZZ_CHECK(account_set_deck(tmpl, "acme", "std") == DB_OK);
	FUZZ_CHECK(post_ledger_entry(tmpl, a.id, LEDGER_DEPOSIT, MONEY_SCALE, "seed", 1780000000, &entry) == DB_OK);
	account_defaults(&a, "beta");
	a.decimals = 2;
	a.rounding = ROUND_UP;
	FUZZ_CHECK(account_add(tmpl, &a) == DB_OK);
	db_close(tmpl); /* checkpoints: the whole template is in tpath now */
	FUZZ_CHECK((f = fopen(tpath, "rb")) != NULL);
	FUZZ_CHECK(fseek(f, 0, SEEK_END) == 0 && (tlen = (size_t)ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0);
	FUZZ_CHECK((tbytes = malloc(tlen)) != NULL);
	FUZZ_CHECK(fread(tbytes, 1, tlen, f) == tlen);
	fclose(f);
	memfd = memfd_create("fuzz_import.csv", 0);
	FUZZ_CHECK(memfd >= 0);
	snprintf(path, sizeof path, "/proc/self/fd/%d", memfd);
}

/* The working database becomes a copy of the template. */
static void restore(void)
{
	char msg[300];
	int fd;
	db_close(work);
	remove_db(wpath);
	FUZZ_CHECK((fd = open(wpath, O_CREAT | O_EXCL | O_WRONLY, 0600)) >= 0);
	FUZZ_CHECK(write(fd, tbytes, tlen) == (ssize_t)tlen);
	close(fd);
	FUZZ_CHECK(db_open(wpath, 0, &work, msg, sizeof msg) == DB_OK);
}

static int64_t count(const char *sql)
{
	db_stmt *st;
	int64_t v = -1;
	FUZZ_CHECK(db_prepare(work, sql, &st) == DB_OK);
	if (db_step(st) == DB_ROW)
		v = db_column_int64(st, 0);
	db_finalize(st);
	return v;
}

/* Rows of every table an import writes, weighted so any change shows. */
static int64_t footprint(void)
{
	return count("SELECT (SELECT count(*) FROM cdr) + 1000 * (SELECT count(*) FROM mdr)"
	             " + 1000000 * (SELECT count(*) FROM reject) + 1000000000 * (SELECT count(*) FROM import)"
	             " + 1000000000000 * (SELECT count(*) FROM account)"
	             " + 100000000000000 * (SELECT count(*) FROM rollup_hour)");
}

static void on_finding(const char *finding, void *ctx)
{
	fprintf(stderr, "verify: %s\n", finding);
}

static void check_verify(void)
{
	verify_result v;
	FUZZ_CHECK(verify_all(work, on_finding, NULL, &v) == DB_OK);
	FUZZ_CHECK(v.differences == 0);
}

/* One import; checks the all-or-nothing rule and the counts. */
static int import(int mdr, const import_opts *o, import_result *res)
{
	int64_t before = footprint();
	int st;
	memset(res, 0, sizeof *res);
	st = mdr ? import_mdr_file(work, path, o, res) : import_cdr_file(work, path, o, res);
	if (st != DB_OK) {
		FUZZ_CHECK(footprint() == before);
		FUZZ_CHECK(db_errmsg(work)[0] != '\0');
		FUZZ_CHECK(st == DB_EINPUT); /* a private database fails only on input */
	} else {
		FUZZ_CHECK(res->rows == res->st.inserted + res->st.duplicates + res->rejected);
	}
	return st;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	import_opts o;
	import_result r1, r2;
	if (!tbytes)
		setup();
	restore();
	FUZZ_CHECK(ftruncate(memfd, 0) == 0);
	FUZZ_CHECK(pwrite(memfd, data, size, 0) == (ssize_t)size);

	memset(&o, 0, sizeof o);
	o.format = CDRFMT_AUTO;
	o.keep_going = 1;
	o.create_accounts = 1;
	if (import(0, &o, &r1) == DB_OK) {
		check_verify();
		FUZZ_CHECK(import(0, &o, &r2) == DB_OK);
		FUZZ_CHECK(r2.st.inserted == 0 && r2.rows == r1.rows);
		check_verify();
	}
	memset(&o, 0, sizeof o);
	o.account = "acme";
	o.keep_going = 1;
	if (import(1, &o, &r1) == DB_OK)
		check_verify();
	return 0;
}
