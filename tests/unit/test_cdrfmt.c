/* test_cdrfmt.c: format detection and row mapping on every real CDR file,
 * bad-row reasons, generic files (--map, fractional seconds) and time zones
 * (tz.c: fixed offsets, IANA names, DST gaps and overlaps, the hour cache). */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "t.h"
#include "../../data/cdrfmt.h"

#define MAXROWS 100

typedef struct {
	int kind;              /* CDRFMT_RECORD, _HEADER, _SKIP, _EBAD */
	long long line;
	char why[300];
	char id[96], key[96], src[64], dst[64], clid[96], dtext[48], account[48], direction[16];
	long long start, answer, end, dur, bill, cost, billed, cnam;
	int disp, connected, has_cost;
} row_out;

typedef struct {
	cdrfmt_reader *rd;
	row_out r[MAXROWS];
	int n, nrec, nbad, nconn;
} run_t;

static run_t R;

#define CP(dst, s) snprintf(dst, sizeof dst, "%s", s)

static int on_row(const csvin_row *row, void *v)
{
	run_t *x = v;
	cdr_rec c;
	char why[300] = "";
	int k = cdrfmt_reader_row(x->rd, row, &c, why, sizeof why);
	if (k == CDRFMT_RECORD) {
		x->nrec++;
		x->nconn += c.connected;
	} else if (k == CDRFMT_EBAD) {
		x->nbad++;
	}
	if (x->n >= MAXROWS)
		return 0;
	row_out *o = &x->r[x->n++];
	memset(o, 0, sizeof *o);
	o->kind = k;
	o->line = row->line;
	CP(o->why, why);
	if (k != CDRFMT_RECORD)
		return 0;
	CP(o->id, c.record_id);
	CP(o->key, c.call_key);
	CP(o->src, c.src);
	CP(o->dst, c.dst);
	CP(o->clid, c.clid);
	CP(o->dtext, c.disposition_text);
	CP(o->account, c.account);
	CP(o->direction, c.direction);
	o->start = c.start;
	o->answer = c.answer;
	o->end = c.end;
	o->dur = c.duration_ms;
	o->bill = c.billsec_ms;
	o->cost = c.their_cost;
	o->has_cost = c.has_their_cost;
	o->billed = c.their_billed_secs;
	o->cnam = c.cnam_fee;
	o->disp = c.disposition;
	o->connected = c.connected;
	return 0;
}

/* Map a whole file (or buffer when text != NULL). Returns the csvin status,
 * or -1 when the zone or the reader cannot be made (why in R.r[0].why). */
static int run(const char *path, const char *text, cdrfmt_kind kind, const char *zone, const char *map)
{
	char why[300];
	csvin_error e;
	int st;
	memset(&R, 0, sizeof R);
	tz_zone *z = tz_open(zone, why, sizeof why);
	if (!z) {
		CP(R.r[0].why, why);
		return -1;
	}
	R.rd = cdrfmt_reader_new(kind, map, z, why, sizeof why);
	if (!R.rd) {
		CP(R.r[0].why, why);
		tz_close(z);
		return -1;
	}
	if (text)
		st = csvin_read_buffer(text, strlen(text), on_row, &R, &e);
	else
		st = csvin_read_file(path, 0, on_row, NULL, &R, &e);
	cdrfmt_reader_free(R.rd);
	tz_close(z);
	return st;
}

static int run_real(const char *file, const char *zone)
{
	char why[300];
	cdrfmt_kind k = cdrfmt_detect(t_realdata(file), why, sizeof why);
	return run(t_realdata(file), NULL, k, zone, NULL);
}

/* Writes text to a temporary file; returns its path. */
static const char *tmpfile_with(const char *name, const char *text)
{
	const char *p = t_tmppath(name);
	FILE *f = fopen(p, "wb");
	if (!f)
		return p;
	fputs(text, f);
	fclose(f);
	return p;
}

static int all_ids_unique(void)
{
	for (int i = 0; i < R.n; i++)
		for (int j = i + 1; j < R.n; j++)
			if (R.r[i].kind == CDRFMT_RECORD && R.r[j].kind == CDRFMT_RECORD && !strcmp(R.r[i].id, R.r[j].id))
				return 0;
	return 1;
}

/* ---- detection ------------------------------------------------------------ */

TEST(detect_real_files)
{
	char why[300];
	static const struct { const char *file; cdrfmt_kind kind; } want[] = {
		{ "asterisk-cdr_csv-18col-dispositions.csv", CDRFMT_ASTERISK },
		{ "asterisk-cdr_csv-21col-multileg.csv", CDRFMT_ASTERISK },
		{ "asterisk-selftest-Master.csv", CDRFMT_ASTERISK },
		{ "asterisk-selftest-Master2.csv", CDRFMT_ASTERISK },
		{ "asterisk-cdr_custom.csv", CDRFMT_ASTERISK_CUSTOM },
		{ "freeswitch-example-excel-resaved.csv", CDRFMT_FREESWITCH },
		{ "flowroute-cdr-export-sdk-sample.csv", CDRFMT_FLOWROUTE },
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		cdrfmt_kind k = cdrfmt_detect(t_realdata(want[i].file), why, sizeof why);
		if (k != want[i].kind)
			T_FAIL("%s: detected %s (%s), want %s", want[i].file, cdrfmt_name(k), why,
			       cdrfmt_name(want[i].kind));
	}
	T_EQ_I64(cdrfmt_detect(t_realdata("asterisk-cdr_csv-unterminated-quote.csv"), why, sizeof why), CDRFMT_AUTO);
	T_ASSERT(strstr(why, "line 1") != NULL);
	T_ASSERT(strstr(why, "still open at end of file") != NULL);
}

TEST(detect_refusals)
{
	char why[400];
	const char *p = tmpfile_with("seven.csv", "a,b,c,d,e,f,g\n1,2,3,4,5,6,7\n");
	T_EQ_I64(cdrfmt_detect(p, why, sizeof why), CDRFMT_AUTO);
	T_ASSERT(strstr(why, "line 1: 7 fields, no header names a time column") != NULL);
	unlink(p);
	p = tmpfile_with("notime.csv", "caller,dst,duration\n1,2,3\n");
	T_EQ_I64(cdrfmt_detect(p, why, sizeof why), CDRFMT_AUTO);
	T_ASSERT(strstr(why, "line 1: header has no start time column") != NULL);
	T_ASSERT(strstr(why, "calldate") != NULL);
	unlink(p);
	p = tmpfile_with("nodst.csv", "\n\nstart,src,duration\n2024-01-01 00:00:00,1,3\n");
	T_EQ_I64(cdrfmt_detect(p, why, sizeof why), CDRFMT_AUTO);
	T_ASSERT(strstr(why, "line 3: header has no destination column") != NULL);
	unlink(p);
	p = tmpfile_with("empty.csv", "\n\n");
	T_EQ_I64(cdrfmt_detect(p, why, sizeof why), CDRFMT_AUTO);
	T_ASSERT(strstr(why, "no records") != NULL);
	unlink(p);
	p = tmpfile_with("generic.csv", "Call ID,CallDate,Src,Dst,Duration\nx,2024-01-01 00:00:00,1,2,3\n");
	T_EQ_I64(cdrfmt_detect(p, why, sizeof why), CDRFMT_GENERIC);
	unlink(p);
	T_EQ_I64(cdrfmt_detect(t_realdata("no-such.csv"), why, sizeof why), CDRFMT_AUTO);
	T_ASSERT(strstr(why, "cannot open") != NULL);
}

TEST(format_names)
{
	cdrfmt_kind k;
	for (int i = CDRFMT_AUTO; i <= CDRFMT_GENERIC; i++) {
		T_EQ_I64(cdrfmt_parse_name(cdrfmt_name((cdrfmt_kind)i), &k), 0);
		T_EQ_I64(k, i);
	}
	T_EQ_STR(cdrfmt_name(CDRFMT_ASTERISK_CUSTOM), "asterisk-custom");
	T_EQ_I64(cdrfmt_parse_name("FreeSWITCH", &k), 0);
	T_EQ_I64(k, CDRFMT_FREESWITCH);
	T_EQ_I64(cdrfmt_parse_name("cdr_csv", &k), 0);
	T_EQ_I64(k, CDRFMT_ASTERISK);
	T_EQ_I64(cdrfmt_parse_name("bogus", &k), -1);
	T_EQ_STR(cdr_disposition_name(DISP_NO_ANSWER), "NO ANSWER");
	T_EQ_STR(cdr_disposition_name(DISP_CONGESTION), "CONGESTION");
}

/* ---- Asterisk cdr_csv ----------------------------------------------------- */

TEST(asterisk_18col_dispositions)
{
	T_EQ_I64(run_real("asterisk-cdr_csv-18col-dispositions.csv", NULL), CSVIN_OK);
	T_EQ_I64(R.nrec, 5);
	T_EQ_I64(R.nbad, 0);
	T_EQ_I64(R.nconn, 2);
	for (int i = 0; i < 5; i++) {
		/* 18 columns: no sequence; all five share the uniqueid, so the id is
		 * uniqueid/row-digest: five distinct records, one call key */
		T_ASSERT(strncmp(R.r[i].id, "1231977075.0/fnv:", 17) == 0);
		for (int k = 0; k < i; k++)
			T_ASSERT(strcmp(R.r[i].id, R.r[k].id) != 0);
		T_EQ_STR(R.r[i].key, "1231977075.0");
		T_EQ_I64(R.r[i].start, 1231977075);
		T_EQ_I64(R.r[i].end, 1231977080);
		T_EQ_I64(R.r[i].dur, 5000);
	}
	T_EQ_STR(R.r[0].clid, "\"Test User\" <test>");
	T_EQ_STR(R.r[0].src, "test");
	T_EQ_STR(R.r[0].dst, "100");
	T_EQ_I64(R.r[0].disp, DISP_ANSWERED);
	T_EQ_I64(R.r[1].bill, 7000); /* billsec > duration, kept as written */
	T_EQ_I64(R.r[1].connected, 1);
	T_EQ_I64(R.r[2].disp, DISP_FAILED);
	T_EQ_I64(R.r[2].connected, 0);
	T_EQ_I64(R.r[3].disp, DISP_NO_ANSWER);
	T_EQ_STR(R.r[3].dtext, "NO ANSWER");
	T_EQ_I64(R.r[4].disp, DISP_BUSY);
	T_EQ_I64(R.r[4].billed, -1);
	T_EQ_I64(R.r[4].has_cost, 0);
}

TEST(asterisk_21col_multileg)
{
	T_EQ_I64(run_real("asterisk-cdr_csv-21col-multileg.csv", NULL), CSVIN_OK);
	T_EQ_I64(R.nrec, 84);
	T_EQ_I64(R.nbad, 0);
	T_EQ_I64(R.nconn, 30);
	T_ASSERT(all_ids_unique());
	row_out *r = &R.r[0];
	T_EQ_STR(r->id, "1706368044.0/0");
	T_EQ_STR(r->key, "1706368044.0");
	T_EQ_I64(r->start, 1706368044); /* written in UTC: equals the uniqueid's epoch */
	T_EQ_I64(r->answer, 1706368044);
	T_EQ_I64(r->end, 1706368071);
	T_EQ_I64(r->dur, 27000);
	T_EQ_I64(r->bill, 27000);
	T_EQ_I64(r->connected, 1);
	/* NO ANSWER legs with billsec > 0 are not connected */
	T_EQ_I64(R.r[3].disp, DISP_NO_ANSWER);
	T_EQ_I64(R.r[3].bill, 60000);
	T_EQ_I64(R.r[3].connected, 0);
	T_EQ_I64(R.r[4].bill, 30000);
	T_EQ_I64(R.r[4].connected, 0);
	/* ANSWERED with billsec 0 is not connected either */
	T_EQ_I64(R.r[5].disp, DISP_ANSWERED);
	T_EQ_I64(R.r[5].bill, 0);
	T_EQ_I64(R.r[5].connected, 0);
	/* a Local-channel leg: its own uniqueid, the call's linkedid */
	T_EQ_STR(R.r[6].id, "1706372196.14/10");
	T_EQ_STR(R.r[6].key, "1706372196.12");
	T_EQ_I64(R.r[6].answer, TM_NONE);
	T_EQ_STR(R.r[6].dst, "ch1");
	/* raw 0xA5 bytes in clid are kept */
	T_EQ_I64(R.r[40].line, 41);
	T_EQ_STR(R.r[40].clid, "\"8107924651\xa5\xa5" "b\" <81079246516548>");
	T_EQ_STR(R.r[40].src, "81079246516548");
	/* system-name prefixed uniqueids; sequence restarts at 0 */
	T_EQ_STR(R.r[42].id, "mainserverdss-1706420300.0/0");
	T_EQ_STR(R.r[82].id, "mainserverdss-1706443058.100/80");
	T_EQ_I64(R.r[82].disp, DISP_BUSY);
	T_EQ_I64(R.r[83].bill, 66000);
	/* 36 calls */
	int calls = 0;
	for (int i = 0; i < R.n; i++) {
		int seen = 0;
		for (int j = 0; j < i && !seen; j++)
			seen = !strcmp(R.r[i].key, R.r[j].key);
		calls += !seen;
	}
	T_EQ_I64(calls, 36);
}

TEST(asterisk_local_zone)
{
	T_EQ_I64(run_real("asterisk-cdr_csv-21col-multileg.csv", "America/New_York"), CSVIN_OK);
	T_EQ_I64(R.r[0].start, 1706368044 + 5 * 3600); /* 15:07:24 EST -> 20:07:24 UTC */
	T_EQ_I64(R.r[6].answer, TM_NONE);
	T_EQ_I64(run_real("asterisk-cdr_csv-21col-multileg.csv", "+03:00"), CSVIN_OK);
	T_EQ_I64(R.r[0].start, 1706368044 - 3 * 3600);
}

TEST(asterisk_selftest_masters)
{
	T_EQ_I64(run_real("asterisk-selftest-Master.csv", NULL), CSVIN_OK);
	T_EQ_I64(R.nrec, 2);
	T_ASSERT(strncmp(R.r[0].id, "1270167992.0/fnv:", 17) == 0);
	T_ASSERT(strncmp(R.r[1].id, "1270168442.0/fnv:", 17) == 0);
	char first[128];
	snprintf(first, sizeof first, "%s", R.r[0].id);
	T_EQ_I64(R.r[1].start, 1270168442);
	T_EQ_STR(R.r[0].src, "");
	T_EQ_STR(R.r[0].dst, "1");
	T_EQ_I64(R.nconn, 2);
	T_EQ_I64(run_real("asterisk-selftest-Master2.csv", NULL), CSVIN_OK);
	T_EQ_I64(R.nrec, 1);
	T_EQ_STR(R.r[0].id, first); /* the same record as Master.csv's first: it dedupes */
}

TEST(asterisk_custom)
{
	T_EQ_I64(run_real("asterisk-cdr_custom.csv", NULL), CSVIN_OK);
	T_EQ_I64(R.nrec, 14);
	T_EQ_I64(R.nbad, 0);
	T_EQ_I64(R.nconn, 11);
	T_ASSERT(all_ids_unique());
	T_EQ_STR(R.r[0].id, "1690325492.2/2");
	T_EQ_STR(R.r[0].key, "1690325492.2");
	T_EQ_STR(R.r[0].clid, "\"\" <client1>");
	T_EQ_STR(R.r[0].src, "client1");
	T_EQ_STR(R.r[0].dst, "6789");
	T_EQ_I64(R.r[0].start, 1690336292); /* 2023-07-26 01:51:32 read as UTC */
	T_EQ_I64(R.r[0].answer, 1690336310);
	T_EQ_I64(R.r[0].dur, 31000);
	T_EQ_I64(R.r[0].bill, 13000);
	T_EQ_I64(R.r[0].connected, 1);
	T_EQ_I64(R.r[1].answer, TM_NONE);
	T_EQ_I64(R.r[1].disp, DISP_NO_ANSWER);
	T_EQ_I64(R.r[1].connected, 0);
	T_EQ_STR(R.r[3].id, "1690327106.0/0");
	/* the server wrote UTC+3: in that zone start equals the uniqueid's epoch */
	T_EQ_I64(run_real("asterisk-cdr_custom.csv", "Indian/Antananarivo"), CSVIN_OK);
	T_EQ_I64(R.r[0].start, 1690325492);
	T_EQ_I64(R.r[13].start, 1690352700);
}

/* ---- FreeSWITCH ----------------------------------------------------------- */

TEST(freeswitch_resaved)
{
	T_EQ_I64(run_real("freeswitch-example-excel-resaved.csv", NULL), CSVIN_OK);
	T_EQ_I64(R.nrec, 10);
	T_EQ_I64(R.nbad, 0);
	T_EQ_I64(R.nconn, 9);
	row_out *r = &R.r[0];
	T_ASSERT(strncmp(r->id, "d80e22e0-4c15-11ea-97a0-9dd79410affb/fnv:", 41) == 0);
	T_EQ_STR(r->key, "d80e22e0-4c15-11ea-97a0-9dd79410affb");
	/* uuid 7adced1a written three times: two identical rows share an id,
	 * the USER_BUSY copy gets its own id but the same call key */
	T_EQ_STR(R.r[7].id, R.r[8].id);
	T_ASSERT(strcmp(R.r[8].id, R.r[9].id) != 0);
	T_EQ_STR(R.r[8].key, R.r[9].key);
	T_EQ_STR(r->clid, "Outbound Call");
	T_EQ_STR(r->src, "1002");
	T_EQ_STR(r->dst, "&");
	T_EQ_STR(r->account, "1002");
	T_EQ_I64(r->start, 1581374460); /* "2020/2/10 22:41": minutes only after the re-save */
	T_EQ_I64(r->dur, 11000);
	T_EQ_I64(r->bill, 9000);
	T_EQ_I64(r->disp, DISP_ANSWERED);
	T_EQ_I64(r->connected, 1);
	r = &R.r[2];
	T_EQ_STR(r->dtext, "NO_USER_RESPONSE");
	T_EQ_I64(r->disp, DISP_NO_ANSWER);
	T_EQ_I64(r->connected, 0);
	T_EQ_I64(r->answer, TM_NONE);
	T_EQ_STR(r->clid, "");
	T_EQ_STR(r->src, "0");
	r = &R.r[6];
	T_EQ_STR(r->dtext, "RECOVERY_ON_TIMER_EXPIRE");
	T_EQ_I64(r->disp, DISP_ANSWERED); /* answered, 32 s, then the timer cause */
	T_EQ_I64(r->connected, 1);
	/* the same uuid three times; the last says USER_BUSY with billsec 20 */
	T_EQ_STR(R.r[7].id, R.r[8].id);
	T_ASSERT(strcmp(R.r[8].id, R.r[9].id) != 0); /* different hangup cause: kept */
	T_EQ_I64(R.r[9].disp, DISP_BUSY);
	T_EQ_I64(R.r[9].connected, 1); /* billsec > 0 decides "connected" */
	T_EQ_I64(run_real("freeswitch-example-excel-resaved.csv", "Asia/Shanghai"), CSVIN_OK);
	T_EQ_I64(R.r[0].start, 1581374460 - 8 * 3600);
}

/* ---- Flowroute ------------------------------------------------------------ */

TEST(flowroute_sample)
{
	char ids[3][96];
	T_EQ_I64(run_real("flowroute-cdr-export-sdk-sample.csv", "America/New_York"), CSVIN_OK);
	T_EQ_I64(R.n, 4);
	T_EQ_I64(R.r[0].kind, CDRFMT_HEADER);
	T_EQ_I64(R.nrec, 3);
	T_EQ_I64(R.nconn, 3);
	row_out *r = &R.r[1];
	T_EQ_STR(r->direction, "outbound");
	T_EQ_STR(r->src, "+12063389999");
	T_EQ_STR(r->dst, "18774551500");
	T_EQ_I64(r->start, 1561486734); /* "+00" in the text beats the reader's zone */
	T_EQ_I64(r->answer, r->start);
	T_EQ_I64(r->end, 1561486771);
	T_EQ_I64(r->dur, 37000);
	T_EQ_I64(r->bill, 37000);
	T_EQ_I64(r->billed, 42);
	T_EQ_I64(r->has_cost, 1);
	T_EQ_I64(r->cost, 0);
	T_EQ_STR(r->dtext, "completed");
	T_EQ_I64(r->disp, DISP_ANSWERED);
	T_ASSERT(!strncmp(r->id, "fnv:", 4) && strlen(r->id) == 20);
	r = &R.r[2];
	T_EQ_STR(r->direction, "inbound");
	T_EQ_I64(r->cost, 4747840);  /* 0.00474784 */
	T_EQ_I64(r->cnam, 3900000);  /* 0.00390000 */
	T_EQ_I64(r->billed, 30);
	T_EQ_I64(R.r[3].cost, 19941120);
	T_EQ_I64(R.r[3].billed, 108);
	T_ASSERT(all_ids_unique());
	for (int i = 0; i < 3; i++)
		CP(ids[i], R.r[i + 1].id);
	/* re-reading gives the same digests, so a re-import dedupes */
	T_EQ_I64(run_real("flowroute-cdr-export-sdk-sample.csv", NULL), CSVIN_OK);
	for (int i = 0; i < 3; i++)
		T_EQ_STR(R.r[i + 1].id, ids[i]);
}

/* ---- generic -------------------------------------------------------------- */

TEST(generic_by_names)
{
	const char *csv =
		"Call ID,CallDate,Src,Dst,Duration,BillSec,Disposition,Cost,AccountCode,Direction\n"
		"c1,2024-01-27 15:07:24,100,4420,65,60,ANSWERED,0.0123,acme,Outgoing\n"
		"c2,2024-01-27 15:08:00,100,4421,10,0,NO ANSWER,,acme,in\n"
		"c3,1706368100,100,4422,9,9,NORMAL_CLEARING,0,acme,\n"
		"c4,2024-01-27 15:09:00,100,4423,9,0,NORMAL_CLEARING,0,acme,\n"
		"c5,2024-01-27 15:10:00,100,4424,5,5,busy,0,acme,\n"
		"c6,2024-01-27 15:10:00,100,4425,5,5,weird,0,acme,\n"
		"Call ID,CallDate,Src,Dst,Duration,BillSec,Disposition,Cost,AccountCode,Direction\n";
	T_EQ_I64(run(NULL, csv, CDRFMT_GENERIC, "America/New_York", NULL), CSVIN_OK);
	T_EQ_I64(R.r[0].kind, CDRFMT_HEADER);
	T_EQ_I64(R.nrec, 6);
	T_EQ_I64(R.r[7].kind, CDRFMT_HEADER); /* a repeated header is skipped */
	row_out *r = &R.r[1];
	T_ASSERT(!strncmp(r->id, "c1/fnv:", 7)); /* the same record: same id and same content */
	T_EQ_STR(r->key, "c1");                  /* rows sharing an id are one call */
	T_EQ_I64(r->start, 1706386044); /* local EST */
	T_EQ_I64(r->dur, 65000);
	T_EQ_I64(r->bill, 60000);
	T_EQ_I64(r->connected, 1);
	T_EQ_I64(r->cost, 12300000);
	T_EQ_STR(r->account, "acme");
	T_EQ_STR(r->direction, "outbound");
	T_EQ_I64(R.r[2].disp, DISP_NO_ANSWER);
	T_EQ_I64(R.r[2].has_cost, 0);
	T_EQ_STR(R.r[2].direction, "inbound");
	T_EQ_I64(R.r[3].start, 1706368100); /* Unix seconds are UTC */
	T_EQ_I64(R.r[3].connected, 1);      /* NORMAL_CLEARING with billsec > 0 */
	T_EQ_I64(R.r[4].connected, 0);      /* ... and with billsec 0 */
	T_EQ_I64(R.r[5].disp, DISP_BUSY);
	T_EQ_I64(R.r[5].connected, 0);
	T_EQ_I64(R.r[6].disp, DISP_ANSWERED); /* unknown word, billsec > 0: follows billsec */
	T_EQ_I64(R.r[6].connected, 1);
}

TEST(generic_map_fractional_seconds)
{
	const char *csv =
		"When,Number,From,Secs,State,Charge,Note\n"
		"2024-01-02 03:04:05,15551234567,15550001111,9.1,ANSWERED,0.0008,x\n"
		"2024-01-02 03:05:00,15551234567,15550001111,0:01:05.5,ok,0.0008,y\n"
		"2024-01-02 03:06:00,15551234567,15550001111,9.100000,ok,0.0008,z\n"
		"2024-01-02 03:07:00,15551234567,15550001111,9.1234,ok,0.0008,w\n"
		"2024-01-02 03:08:00,15551234567,15550001111,nine,ok,0.0008,v\n"
		"2024-01-02 03:09:00,15551234567,15550001111,1,ok,0.0000000001,u\n";
	T_EQ_I64(run(NULL, csv, CDRFMT_GENERIC, NULL, "start=When, dst=Number,src=From,billsec=Secs,"
	             "disposition=State,cost=charge"), CSVIN_OK);
	T_EQ_I64(R.r[0].kind, CDRFMT_HEADER);
	row_out *r = &R.r[1];
	T_EQ_I64(r->kind, CDRFMT_RECORD);
	T_EQ_I64(r->bill, 9100); /* exact, no float */
	T_EQ_I64(r->dur, 0);     /* no duration or end column */
	T_EQ_I64(r->connected, 1);
	T_EQ_STR(r->dst, "15551234567");
	T_EQ_STR(r->src, "15550001111");
	T_EQ_I64(r->cost, 800000);
	T_ASSERT(!strncmp(r->id, "fnv:", 4)); /* no call-id column: digest */
	T_EQ_I64(R.r[2].bill, 65500);
	T_EQ_I64(R.r[3].bill, 9100);
	T_EQ_I64(R.r[4].kind, CDRFMT_EBAD);
	T_EQ_STR(R.r[4].why, "field 4 (Secs): finer than a millisecond \"9.1234\"");
	T_EQ_I64(R.r[5].kind, CDRFMT_EBAD);
	T_EQ_STR(R.r[5].why, "field 4 (Secs): bad duration \"nine\"");
	T_EQ_I64(R.r[6].kind, CDRFMT_EBAD);
	T_ASSERT(!strncmp(R.r[6].why, "field 6 (Charge): bad amount", 28));
}

TEST(generic_without_disposition)
{
	const char *csv =
		"start_time,end_time,to,from,call_id\n"
		"2024-03-01T10:00:00Z,2024-03-01T10:00:09.5Z,442071234567,100,a\n"
		"2024-03-01T10:01:00Z,2024-03-01T10:01:00Z,442071234567,100,b\n";
	T_EQ_I64(run(NULL, csv, CDRFMT_GENERIC, NULL, NULL), CSVIN_OK);
	T_EQ_I64(R.nrec, 2);
	T_EQ_I64(R.r[1].dur, 9000); /* end - start in whole seconds */
	T_EQ_I64(R.r[1].bill, 9000);
	T_EQ_I64(R.r[1].connected, 1);
	T_EQ_I64(R.r[1].disp, DISP_ANSWERED);
	T_EQ_I64(R.r[2].connected, 0);
	T_ASSERT(!strncmp(R.r[2].id, "b/fnv:", 6));
	T_EQ_STR(R.r[2].key, "b");
	T_EQ_STR(R.r[2].dst, "442071234567");
}

TEST(generic_refusals)
{
	/* a header without a time column: refused at the header, and after */
	T_EQ_I64(run(NULL, "caller,dst,duration\n1,2,3\n", CDRFMT_GENERIC, NULL, NULL), CSVIN_OK);
	T_EQ_I64(R.r[0].kind, CDRFMT_EBAD);
	T_ASSERT(strstr(R.r[0].why, "header has no start time column") != NULL);
	T_EQ_I64(R.r[1].kind, CDRFMT_EBAD);
	T_ASSERT(strstr(R.r[1].why, "no usable header") != NULL);
	/* --map naming a column that is not there */
	T_EQ_I64(run(NULL, "a,b\n1,2\n", CDRFMT_GENERIC, NULL, "start=a,dst=Nope"), CSVIN_OK);
	T_EQ_I64(R.r[0].kind, CDRFMT_EBAD);
	T_ASSERT(strstr(R.r[0].why, "no column \"Nope\"") != NULL);
	/* bad --map text, and --map on a headerless format */
	T_EQ_I64(run(NULL, "", CDRFMT_GENERIC, NULL, "colour=a"), -1);
	T_ASSERT(strstr(R.r[0].why, "unknown field \"colour\"") != NULL);
	T_EQ_I64(run(NULL, "", CDRFMT_GENERIC, NULL, "start"), -1);
	T_EQ_I64(run(NULL, "", CDRFMT_GENERIC, NULL, "start=a,start=b"), -1);
	T_EQ_I64(run(NULL, "", CDRFMT_ASTERISK, NULL, "start=a"), -1);
	T_EQ_I64(run(NULL, "", CDRFMT_AUTO, NULL, NULL), -1);
	/* field count must match the header */
	T_EQ_I64(run(NULL, "start,dst\n2024-01-01 00:00:00,1,extra\n", CDRFMT_GENERIC, NULL, NULL), CSVIN_OK);
	T_EQ_STR(R.r[1].why, "expected 2 fields (as in the header), got 3");
}

/* ---- bad rows ------------------------------------------------------------- */

#define AST_HEAD "\"\",\"100\",\"200\",\"ctx\",\"\"\"N\"\" <100>\",\"SIP/a\",\"\",\"Dial\",\"\","
#define AST_ROW(start, bill) AST_HEAD "\"" start "\",,\"2024-01-01 00:00:10\",10," bill ",\"ANSWERED\",\"DOCUMENTATION\",\"u1\",\"\"\n"

TEST(asterisk_bad_rows)
{
	const char *csv =
		AST_ROW("2024-01-01 00:00:00", "5")
		AST_ROW("2024-13-01 00:00:00", "5")
		AST_ROW("2024-01-01 00:00:00", "x5")
		AST_ROW("", "5")
		"\"\",\"1\",\"2\",\"c\",\"n\",\"ch\",\"\",\"app\",\"\",\"2024-01-01 00:00:00\",\"\",\"x\"\n"
		"\"\",\"1\xa5\",\"2\",\"c\",\"n\",\"ch\",\"\",\"app\",\"\",\"2024-01-01 00:00:00\",,"
		"\"2024-01-01 00:00:10\",10,5,\"ANSWERED\",\"DOCUMENTATION\",\"u2\",\"\"\n"
		"\"\",\"1\",\"2\",\"c\",\"\xa5\",\"ch\",\"\",\"app\",\"\",\"2024-01-01 00:00:00\",,"
		"\"2024-01-01 00:00:10\",10,5,\"ANSWERED\",\"DOCUMENTATION\",\"u\xff\",\"\"\n"
		"\"\",\"1\",\"2\",\"c\",\"\xa5\",\"ch\",\"\",\"app\",\"\",\"2024-01-01 00:00:00\",,"
		"\"2024-01-01 00:00:10\",10,5,\"ANSWERED\",\"DOCUMENTATION\"\n";
	T_EQ_I64(run(NULL, csv, CDRFMT_ASTERISK, NULL, NULL), CSVIN_OK);
	T_EQ_I64(R.n, 8);
	T_EQ_I64(R.r[0].kind, CDRFMT_RECORD);
	T_EQ_STR(R.r[0].clid, "\"N\" <100>");
	T_EQ_I64(R.r[0].connected, 1);
	T_EQ_STR(R.r[1].why, "field 10 (start): bad time \"2024-13-01 00:00:00\"");
	T_EQ_STR(R.r[2].why, "field 14 (billsec): bad number \"x5\"");
	T_EQ_STR(R.r[3].why, "field 10 (start): empty, a time is required");
	T_EQ_STR(R.r[4].why, "expected 16 to 21 fields, got 12");
	T_EQ_STR(R.r[5].why, "field 2 (src): not UTF-8 \"1\\xa5\"");
	T_EQ_STR(R.r[6].why, "field 17 (uniqueid): not UTF-8 \"u\\xff\"");
	/* 16 columns: no uniqueid, so a digest; a non-UTF-8 clid is fine */
	T_EQ_I64(R.r[7].kind, CDRFMT_RECORD);
	T_ASSERT(!strncmp(R.r[7].id, "fnv:", 4));
	T_EQ_STR(R.r[7].key, "");
	T_EQ_I64(R.nbad, 6);
}

TEST(other_bad_rows)
{
	T_EQ_I64(run(NULL, "a,b,c\n", CDRFMT_FREESWITCH, NULL, NULL), CSVIN_OK);
	T_EQ_STR(R.r[0].why, "expected 15 fields, got 3");
	T_EQ_I64(run(NULL, "n,1,2,c,2020-02-10 22:41:00,,2020-02-10 22:41:05,5,0,NO_ANSWER,,,,,\n",
	             CDRFMT_FREESWITCH, NULL, NULL), CSVIN_OK);
	T_EQ_STR(R.r[0].why, "field 11 (uuid): empty, the call's id is required");
	T_EQ_I64(run(NULL, "a,b\n", CDRFMT_ASTERISK_CUSTOM, NULL, NULL), CSVIN_OK);
	T_EQ_STR(R.r[0].why, "expected 19 fields (18 without sequence), got 2");
	T_EQ_I64(run(NULL, ",,,\n\"\"\n", CDRFMT_ASTERISK, NULL, NULL), CSVIN_OK);
	T_EQ_I64(R.r[0].kind, CDRFMT_SKIP);
	T_EQ_I64(R.r[1].kind, CDRFMT_SKIP);
}

/* ---- time zones ----------------------------------------------------------- */

static int64_t conv(tz_zone *z, const char *s)
{
	tm_civil c;
	if (tm_parse_civil(s, strlen(s), &c) != TM_OK)
		return -1;
	return tz_to_utc(z, &c);
}

TEST(tz_new_york)
{
	char why[200];
	tz_zone *z = tz_open("America/New_York", why, sizeof why);
	T_ASSERT(z != NULL); /* needs the tzdata package */
	T_EQ_STR(tz_name(z), "America/New_York");
	T_EQ_I64(conv(z, "2024-01-27 15:07:24"), 1706386044); /* 20:07:24 UTC */
	T_EQ_I64(conv(z, "2024-07-04 12:00:00"), 1720108800); /* EDT: 16:00 UTC */
	/* spring forward 2024-03-10 02:00 -> 03:00 */
	T_EQ_I64(conv(z, "2024-03-10 01:59:59"), 1710053999); /* 06:59:59 UTC */
	T_EQ_I64(conv(z, "2024-03-10 02:30:00"), 1710055800); /* gap: 07:30 UTC = 03:30 EDT */
	T_EQ_I64(conv(z, "2024-03-10 03:00:00"), 1710054000); /* 07:00 UTC */
	/* fall back 2024-11-03 02:00 -> 01:00: 01:30 happens twice */
	T_EQ_I64(conv(z, "2024-11-03 01:30:00"), 1730611800); /* first, EDT: 05:30 UTC */
	T_EQ_I64(conv(z, "2024-11-03 02:30:00"), 1730619000); /* EST: 07:30 UTC */
	T_EQ_I64(conv(z, "2024-11-03 00:59:59"), 1730609999);
	/* a zone in the text wins */
	T_EQ_I64(conv(z, "2019-06-25 18:18:54+00"), 1561486734);
	T_EQ_I64(conv(z, "2019-06-25 18:18:54+02:00"), 1561486734 - 7200);
	tz_close(z);
}

/* Every 7 minutes through 2024, local -> UTC -> localtime gives the local
 * time back (outside the spring gap): the per-hour cache never lies. */
static int round_trip_year(const char *zone)
{
	char why[200];
	tz_zone *z = tz_open(zone, why, sizeof why);
	int bad = 0;
	if (!z)
		return -1;
	for (int pass = 0; pass < 2; pass++) /* second pass: from the cache */
		for (int64_t L = 1704067200; L < 1735689600; L += 7 * 60 + 13) {
			tm_civil c = { 0 };
			struct tm tm;
			int y, m, d;
			tm_civil_from_days(L / 86400, &y, &m, &d);
			c.year = y, c.month = m, c.day = d, c.has_time = 1;
			c.hour = (int)(L % 86400 / 3600), c.min = (int)(L % 3600 / 60), c.sec = (int)(L % 60);
			time_t t = (time_t)tz_to_utc(z, &c);
			setenv("TZ", zone, 1);
			tzset();
			localtime_r(&t, &tm);
			int64_t back = tm_days_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday) * 86400 +
			               tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
			if (back != L && !(back > L && back - L <= 3600))
				bad++; /* only a gap time may move, and only forward */
		}
	tz_close(z);
	return bad;
}

TEST(tz_cache_round_trip)
{
	T_EQ_I64(round_trip_year("America/New_York"), 0);
	T_EQ_I64(round_trip_year("Australia/Lord_Howe"), 0); /* 30-minute DST shift */
	T_EQ_I64(round_trip_year("Asia/Kolkata"), 0);
}

TEST(tz_lord_howe_half_hour)
{
	char why[200];
	tz_zone *z = tz_open("Australia/Lord_Howe", why, sizeof why);
	T_ASSERT(z != NULL);
	/* 2024-10-06 02:00 +10:30 -> 02:30 +11:00 */
	T_EQ_I64(conv(z, "2024-10-06 01:59:00"), 1728142140); /* 15:29 UTC */
	T_EQ_I64(conv(z, "2024-10-06 02:15:00"), 1728143100); /* gap: 15:45 UTC = 02:45 */
	T_EQ_I64(conv(z, "2024-10-06 02:45:00"), 1728143100);
	tz_close(z);
}

TEST(tz_fixed_utc_and_errors)
{
	char why[200];
	tz_zone *z = tz_open("+02:00", why, sizeof why);
	T_ASSERT(z != NULL);
	T_EQ_STR(tz_name(z), "+02:00");
	T_EQ_I64(conv(z, "2024-01-01 00:00:00"), 1704067200 - 7200);
	tz_close(z);
	z = tz_open("-0530", why, sizeof why);
	T_ASSERT(z != NULL);
	T_EQ_STR(tz_name(z), "-05:30");
	T_EQ_I64(conv(z, "2024-01-01 00:00:00"), 1704067200 + 19800);
	tz_close(z);
	z = tz_open(NULL, why, sizeof why);
	T_EQ_STR(tz_name(z), "UTC");
	T_EQ_I64(conv(z, "2024-01-01 00:00:00"), 1704067200);
	tz_close(z);
	z = tz_open("utc", why, sizeof why);
	T_EQ_STR(tz_name(z), "UTC");
	tz_close(z);
	T_ASSERT(tz_open("+25:00", why, sizeof why) == NULL);
	T_ASSERT(strstr(why, "bad UTC offset") != NULL);
	T_ASSERT(tz_open("Mars/Olympus_Mons", why, sizeof why) == NULL);
	T_ASSERT(strstr(why, "unknown time zone \"Mars/Olympus_Mons\"") != NULL);
	T_ASSERT(tz_open("../../etc/passwd", why, sizeof why) == NULL);
	T_ASSERT(tz_open("/etc/localtime", why, sizeof why) == NULL);
	T_ASSERT(tz_open("America", why, sizeof why) == NULL); /* a directory */
}

TEST(tz_restores_tz)
{
	char why[200];
	setenv("TZ", "Europe/Paris", 1);
	tzset();
	tz_zone *a = tz_open("America/New_York", why, sizeof why);
	tz_zone *b = tz_open("Asia/Tokyo", why, sizeof why);
	T_EQ_I64(conv(a, "2024-01-01 00:00:00"), 1704067200 + 5 * 3600);
	T_EQ_I64(conv(b, "2024-01-01 00:00:00"), 1704067200 - 9 * 3600);
	T_EQ_I64(conv(a, "2024-01-01 00:30:00"), 1704067200 + 5 * 3600 + 1800); /* cached */
	T_EQ_I64(conv(a, "2024-01-02 00:00:00"), 1704153600 + 5 * 3600); /* TZ switched back */
	tz_close(a);
	tz_close(b);
	T_EQ_STR(getenv("TZ"), "Europe/Paris");
	unsetenv("TZ");
	tzset();
}

void suite_cdrfmt(void); /* t.h's SUITE() has no prototype of its own */

SUITE(cdrfmt)
{
	RUN(detect_real_files);
	RUN(detect_refusals);
	RUN(format_names);
	RUN(asterisk_18col_dispositions);
	RUN(asterisk_21col_multileg);
	RUN(asterisk_local_zone);
	RUN(asterisk_selftest_masters);
	RUN(asterisk_custom);
	RUN(freeswitch_resaved);
	RUN(flowroute_sample);
	RUN(generic_by_names);
	RUN(generic_map_fractional_seconds);
	RUN(generic_without_disposition);
	RUN(generic_refusals);
	RUN(asterisk_bad_rows);
	RUN(other_bad_rows);
	RUN(tz_new_york);
	RUN(tz_cache_round_trip);
	RUN(tz_lord_howe_half_hour);
	RUN(tz_fixed_utc_and_errors);
	RUN(tz_restores_tz);
}
