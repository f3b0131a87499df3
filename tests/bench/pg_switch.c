/* pg_switch.c: a switch writing its CDR table, and a sampler of what the
 * follower stored, for tests/bench/pg_conc.sh (issue 12: "ingest --from-db
 * keeps up with 2,000 CDRs/s written by another process").
 *
 *   pg_switch write CONNINFO ROWS_PER_STEP STEP_MS STEPS
 *       One connection, kept. Every STEP_MS (on an absolute schedule: a late
 *       step does not push the later ones back) one committed transaction
 *       moves the next ROWS_PER_STEP rows of the staging table g (numbered n
 *       from 1, in the order a switch would write them) into cdr:
 *       INSERT INTO cdr(...) SELECT ... FROM g WHERE n BETWEEN lo AND hi,
 *       autocommit, as a switch's cdr_pgsql inserts a call at a time. Prints
 *       "HI MS" a step: the highest n committed and the wall clock (ms since
 *       the epoch) when its commit returned. Exit 1 on a failed INSERT.
 *   pg_switch sample CONNINFO INTERVAL_MS TARGET
 *       One connection, kept. Every INTERVAL_MS reads the rows the follower
 *       committed (sum of its ingest import rows) and prints "MS ROWS";
 *       stops once ROWS >= TARGET or after 60 s without a change.
 *
 * A bench tool, not part of billtop: built by pg_conc.sh with libpq. */
#define _POSIX_C_SOURCE 200809L
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define COLS "accountcode, src, dst, dcontext, clid, channel, dstchannel, lastapp, lastdata, start, answer," \
	" \"end\", duration, billsec, disposition, amaflags, uniqueid, userfield, peeraccount, linkedid, sequence"

static long long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_REALTIME, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void sleep_until(long long ms)
{
	long long d = ms - now_ms();
	if (d > 0) {
		struct timespec t = { (time_t)(d / 1000), (long)(d % 1000) * 1000000L };
		nanosleep(&t, NULL);
	}
}

static PGconn *connect_or_die(const char *ci)
{
	PGconn *c = PQconnectdb(ci);
	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "pg_switch: %s", PQerrorMessage(c));
		exit(1);
	}
	return c;
}

static int do_write(const char *ci, long rows, long step_ms, long steps)
{
	PGconn *c = connect_or_die(ci);
	PGresult *r = PQexec(c, "SET TIME ZONE 'UTC'");
	long long t0;
	PQclear(r);
	r = PQprepare(c, "ins", "INSERT INTO cdr(" COLS ") SELECT " COLS " FROM g WHERE n BETWEEN $1 AND $2 ORDER BY n",
	              2, NULL);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		fprintf(stderr, "pg_switch: prepare: %s", PQerrorMessage(c));
		return 1;
	}
	PQclear(r);
	t0 = now_ms();
	for (long k = 0; k < steps; k++) {
		char lo[24], hi[24];
		const char *v[2] = { lo, hi };
		snprintf(lo, sizeof lo, "%ld", k * rows + 1);
		snprintf(hi, sizeof hi, "%ld", (k + 1) * rows);
		sleep_until(t0 + k * step_ms);
		r = PQexecPrepared(c, "ins", 2, v, NULL, NULL, 0);
		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			fprintf(stderr, "pg_switch: insert: %s", PQerrorMessage(c));
			return 1;
		}
		PQclear(r);
		printf("%s %lld\n", hi, now_ms());
	}
	fflush(stdout);
	PQfinish(c);
	return 0;
}

static int do_sample(const char *ci, long every_ms, long long target)
{
	PGconn *c = connect_or_die(ci);
	long long last = -1, changed = now_ms(), t = now_ms();
	for (;;) {
		PGresult *r = PQexec(c, "SELECT coalesce(sum(rows), 0) FROM import WHERE kind = 'ingest'");
		long long v;
		if (PQresultStatus(r) != PGRES_TUPLES_OK) {
			fprintf(stderr, "pg_switch: sample: %s", PQerrorMessage(c));
			return 1;
		}
		v = atoll(PQgetvalue(r, 0, 0));
		PQclear(r);
		printf("%lld %lld\n", now_ms(), v);
		if (v != last)
			changed = now_ms();
		last = v;
		if (v >= target || now_ms() - changed > 60000)
			break;
		t += every_ms;
		sleep_until(t);
	}
	fflush(stdout);
	PQfinish(c);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 6 && strcmp(argv[1], "write") == 0)
		return do_write(argv[2], atol(argv[3]), atol(argv[4]), atol(argv[5]));
	if (argc == 5 && strcmp(argv[1], "sample") == 0)
		return do_sample(argv[2], atol(argv[3]), atoll(argv[4]));
	fprintf(stderr, "usage: pg_switch write CONNINFO ROWS_PER_STEP STEP_MS STEPS\n"
	                "       pg_switch sample CONNINFO INTERVAL_MS TARGET\n");
	return 2;
}
