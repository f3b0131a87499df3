/* test_cdrfmt2.c: CDR exports as PBXs write them (issue 9): header names
 * and units, a zone in a header, --map by column number (headerless files)
 * and with --format auto, the Asterisk cdr table (asterisk-db) with and
 * without a header, Grandstream UCM segments, dispositions (words, Q.850,
 * SIP), records vs calls (id + content), messages files refused.
 *
 * Rows are real wherever a real file has them: from tests/corpus/cdr (the
 * corpus helper's files, sources in its README) and tests/realdata, kept
 * verbatim in the strings below except where a comment says what was
 * changed and why (a day-first date written year-first: reading day-first
 * dates is the date parser's part; a clid re-quoted so strict CSV reads it:
 * lenient reading is the CSV reader's part). */
#include <stdlib.h>
#include <string.h>
#include "t.h"
#include "../../data/cdrfmt.h"

#define MAXR 40

typedef struct {
	int kind;
	char why[300];
	char id[128], key[96], src[64], dst[64], account[48], clid[64];
	long long start, answer, end, dur, bill;
	int disp, connected;
} out_t;

static struct {
	cdrfmt_reader *rd;
	out_t r[MAXR];
	int n, nrec, nbad;
} X;

#define CP(d, s) snprintf(d, sizeof d, "%s", s)

static int on_row(const csvin_row *row, void *v)
{
	cdr_rec c;
	char why[300] = "";
	int k = cdrfmt_reader_row(X.rd, row, &c, why, sizeof why);
	(void)v;
	X.nrec += k == CDRFMT_RECORD;
	X.nbad += k == CDRFMT_EBAD;
	if (X.n >= MAXR)
		return 0;
	out_t *o = &X.r[X.n++];
	memset(o, 0, sizeof *o);
	o->kind = k;
	CP(o->why, why);
	if (k != CDRFMT_RECORD)
		return 0;
	CP(o->id, c.record_id);
	CP(o->key, c.call_key);
	CP(o->src, c.src);
	CP(o->dst, c.dst);
	CP(o->account, c.account);
	CP(o->clid, c.clid);
	o->start = c.start;
	o->answer = c.answer;
	o->end = c.end;
	o->dur = c.duration_ms;
	o->bill = c.billsec_ms;
	o->disp = c.disposition;
	o->connected = c.connected;
	return 0;
}

/* Read text with format kind (AUTO: cdrfmt_choose decides, as import
 * does), zone and map. Returns the kind used, or -1 (why in X.r[0].why). */
static int rd(const char *text, cdrfmt_kind kind, const char *zone, const char *map)
{
	char why[300];
	csvin_error e;
	memset(&X, 0, sizeof X);
	kind = cdrfmt_choose(NULL, text, strlen(text), kind, map, why, sizeof why);
	if (kind == CDRFMT_AUTO) {
		CP(X.r[0].why, why);
		return -1;
	}
	tz_zone *z = tz_open(zone, why, sizeof why);
	if (!z || !(X.rd = cdrfmt_reader_new(kind, map, z, why, sizeof why))) {
		CP(X.r[0].why, why);
		tz_close(z);
		return -1;
	}
	csvin_read_buffer(text, strlen(text), on_row, NULL, &e);
	cdrfmt_reader_free(X.rd);
	tz_close(z);
	return kind;
}

static long long talk_of_connected(void)
{
	long long s = 0;
	for (int i = 0; i < X.n; i++)
		if (X.r[i].kind == CDRFMT_RECORD && X.r[i].connected)
			s += X.r[i].bill;
	return s;
}

/* ---- header names --------------------------------------------------------- */

/* CDR-Stats' import sample (tests/corpus/cdr/cdrstats-cdrimport-sample.csv,
 * first rows, CRLF as written): starting_date, destination_number,
 * caller_id_number, callid, and hangup_cause_id 16 next to billsec 50. */
static const char CDRSTATS[] =
	"switch,cdr_source_type,callid,caller_id_number,caller_id_name,destination_number,dialcode,state,"
	"channel,starting_date,duration,billsec,progresssec,answersec,waitsec,hangup_cause_id,hangup_cause,"
	"direction,country_code,accountcode,buy_rate,buy_cost,sell_rate,sell_cost,extradata\r\n"
	"127.0.0.1,1,96aa82fe-7bd1-11e5-a230-5c514f6a0f72,904151440,CallerIDName,+34798400122,34,,,"
	"2015-10-21 12:13:10,55,50,,,,16,,1,,1000,,,,,{}\r\n"
	"127.0.0.1,1,c9135e4a-7bd1-11e5-a230-5c514f6a0f72,904234320,CallerIDName,+34798401111,34,,,"
	"2015-10-21 12:33:15,15,10,,,,16,,1,,1000,,,,,{}\r\n";

TEST(cdrstats_names_and_q850_16)
{
	T_EQ_I64(rd(CDRSTATS, CDRFMT_AUTO, "UTC", NULL), CDRFMT_GENERIC);
	T_EQ_I64(X.nrec, 2);
	out_t *r = &X.r[1];
	T_EQ_STR(r->dst, "+34798400122");
	T_EQ_STR(r->src, "904151440");
	T_EQ_STR(r->account, "1000");
	T_EQ_I64(r->start, 1445429590);   /* 2015-10-21 12:13:10 UTC */
	T_EQ_I64(r->answer, TM_NONE);     /* "answersec" is seconds to answer, no answer time */
	T_EQ_I64(r->bill, 50000);
	T_EQ_I64(r->dur, 55000);
	T_EQ_I64(r->connected, 1);        /* Q.850 16 with billsec > 0 */
	T_EQ_I64(r->disp, DISP_ANSWERED);
	T_EQ_STR(r->key, "96aa82fe-7bd1-11e5-a230-5c514f6a0f72");
	/* a unit word is dropped only from durations: "answersec" (seconds to
	 * answer) is not an answer time */
	T_EQ_I64(rd("start,dst,billsec,answersec\n2024-01-01 00:00:00,1,10,3\n", CDRFMT_GENERIC, "UTC", NULL),
	         CDRFMT_GENERIC);
	T_EQ_I64(X.r[1].kind, CDRFMT_RECORD);
	T_EQ_I64(X.r[1].answer, TM_NONE);
}

/* DIDWW's CDR export (tests/corpus/cdr/didww-cdr-export-v3-sdk-fixture.csv):
 * "Date/Time (UTC)" is read in UTC whatever the zone, "Duration (secs)" is
 * the duration, "Disconnect Code" holds SIP codes. */
static const char DIDWW[] =
	"Date/Time (UTC),Source,DID,Destination,Duration (secs),Disconnect Initiator,Disconnect Code,Response,"
	"TollFree Amount (USD),Termination Amount (USD),Metered Channels Amount (USD),Customer ID,"
	"Sell Amount (Points)\n"
	"2017-06-26 01:11:42,4,97286259404,sip:test@example.com,0,Destination,404,Not Found,0.000,0.000,0.000,,"
	"0.000\n"
	"2017-06-17 08:50:47,\"\",97286259413,iax:324@34234234,54,Origination,200,Bye,0.000,0.000,0.003,,0.000\n";

TEST(didww_utc_column_units_sip)
{
	T_EQ_I64(rd(DIDWW, CDRFMT_AUTO, "America/New_York", NULL), CDRFMT_GENERIC);
	T_EQ_I64(X.nrec, 2);
	T_EQ_I64(X.r[1].start, 1498439502); /* 2017-06-26 01:11:42 UTC, not New York */
	T_EQ_I64(X.r[1].disp, DISP_FAILED); /* SIP 404 */
	T_EQ_I64(X.r[1].connected, 0);
	T_EQ_I64(X.r[2].dur, 54000);
	T_EQ_I64(X.r[2].bill, 54000);
	T_EQ_I64(X.r[2].disp, DISP_ANSWERED); /* SIP 200 */
	T_EQ_I64(X.r[2].connected, 1);
	/* the same without the zone in the name: the reader's zone */
	static const char local[] = "Date/Time,Destination,Duration (secs)\n2017-06-26 01:11:42,1,0\n";
	T_EQ_I64(rd(local, CDRFMT_AUTO, "America/New_York", NULL), CDRFMT_GENERIC);
	T_EQ_I64(X.r[1].start, 1498439502 + 4 * 3600);
	/* other spellings of a zone */
	static const char z2[] = "StartTimeUTC,Callee Number,Talk Time (s)\n2017-06-26 01:11:42,1,5\n";
	T_EQ_I64(rd(z2, CDRFMT_GENERIC, "America/New_York", NULL), CDRFMT_GENERIC);
	T_EQ_I64(X.r[1].start, 1498439502);
	T_EQ_I64(X.r[1].bill, 5000);
	static const char z3[] = "start_gmt,dst,AnswerTimeUTC,end (UTC)\n"
	                         "2017-06-26 01:11:42,1,2017-06-26 01:11:45,2017-06-26 01:11:50\n";
	T_EQ_I64(rd(z3, CDRFMT_GENERIC, "Asia/Tokyo", NULL), CDRFMT_GENERIC);
	T_EQ_I64(X.r[1].start, 1498439502);
	T_EQ_I64(X.r[1].answer, 1498439505);
	T_EQ_I64(X.r[1].end, 1498439510);
	T_EQ_I64(X.r[1].bill, 5000);
}

/* 3CX v20 call report (tests/corpus/cdr/3cx-v20-call-report-export.csv,
 * BOM and the first rows; row 14 is a queue leg "Unanswered" with 5 s). */
static const char TCX20[] =
	"\xef\xbb\xbf" "Call Time,Caller ID,Destination,Trunk,Trunk number,Did,Status,Ringing,Talking,Total Duration,"
	"Call Type,Sentiment,Summary,Transcription\n"
	"2025-08-16T01:37:00,6825545533,PR Welcome message (801),42468538 In Call Trunk (Per Minute),10004,"
	"14247246319,Answered,0:00:00,0:00:10,0:00:10,,,,\n"
	"2025-08-16T01:13:54,7862907841,PR Queue (804),42468538 In Call Trunk (Per Minute),10004,14247246319,"
	"Unanswered,0:00:05,0:00:00,0:00:05,,,,\n";

TEST(tcx_call_time_is_start_talking_is_billsec)
{
	T_EQ_I64(rd(TCX20, CDRFMT_AUTO, "UTC", NULL), CDRFMT_GENERIC);
	T_EQ_I64(X.nrec, 2);
	T_EQ_I64(X.r[1].start, 1755308220); /* 2025-08-16 01:37:00 */
	T_EQ_I64(X.r[1].bill, 10000);
	T_EQ_I64(X.r[1].dur, 10000);
	T_EQ_STR(X.r[1].src, "6825545533");
	T_EQ_I64(X.r[1].connected, 1);
	T_EQ_I64(X.r[2].connected, 0);
	T_EQ_I64(X.r[2].disp, DISP_NO_ANSWER);
}

/* ---- dispositions --------------------------------------------------------- */

TEST(dispositions_q850_sip_words)
{
	/* a column named "hangup cause": numbers are Q.850 */
	static const char q[] =
		"start,dst,billsec,Hangup Cause\n"
		"2024-01-01 00:00:00,1,30,16\n"   /* normal clearing, billed: answered */
		"2024-01-01 00:00:00,1,0,16\n"    /* normal clearing, nothing billed */
		"2024-01-01 00:00:00,1,0,17\n"    /* busy */
		"2024-01-01 00:00:00,1,0,19\n"    /* no answer */
		"2024-01-01 00:00:00,1,0,21\n"    /* rejected */
		"2024-01-01 00:00:00,1,0,34\n"    /* congestion */
		"2024-01-01 00:00:00,1,0,1\n"     /* unallocated */
		"2024-01-01 00:00:00,1,12,\n"     /* empty, billsec > 0: follows billsec */
		"2024-01-01 00:00:00,1,12,LOSE_RACE\n" /* unknown word: follows billsec */
		"2024-01-01 00:00:00,1,7,NORMAL_CLEARING\n"
		"2024-01-01 00:00:00,1,0,USER_BUSY\n"
		"2024-01-01 00:00:00,1,0,NO_USER_RESPONSE\n"
		"2024-01-01 00:00:00,1,0,NORMAL_CIRCUIT_CONGESTION\n"
		"2024-01-01 00:00:00,1,9,200\n";  /* not a Q.850 cause: unknown, follows billsec */
	static const int disp[] = { DISP_ANSWERED, DISP_OTHER, DISP_BUSY, DISP_NO_ANSWER, DISP_FAILED,
	                            DISP_CONGESTION, DISP_FAILED, DISP_ANSWERED, DISP_ANSWERED, DISP_ANSWERED,
	                            DISP_BUSY, DISP_NO_ANSWER, DISP_CONGESTION, DISP_ANSWERED };
	static const int conn[] = { 1, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 1 };
	T_EQ_I64(rd(q, CDRFMT_GENERIC, "UTC", NULL), CDRFMT_GENERIC);
	T_EQ_I64(X.nrec, 14);
	for (int i = 0; i < 14; i++) {
		if (X.r[i + 1].disp != disp[i] || X.r[i + 1].connected != conn[i])
			T_FAIL("q850 row %d: disposition %d connected %d, want %d %d", i + 2, X.r[i + 1].disp,
			       X.r[i + 1].connected, disp[i], conn[i]);
	}
	/* a column named "sip code": numbers are SIP responses */
	static const char s[] =
		"start,dst,billsec,sip_code\n"
		"2024-01-01 00:00:00,1,30,200\n"
		"2024-01-01 00:00:00,1,0,486\n"
		"2024-01-01 00:00:00,1,0,600\n"
		"2024-01-01 00:00:00,1,0,480\n"
		"2024-01-01 00:00:00,1,0,408\n"
		"2024-01-01 00:00:00,1,0,487\n"
		"2024-01-01 00:00:00,1,0,503\n"
		"2024-01-01 00:00:00,1,0,404\n"
		"2024-01-01 00:00:00,1,0,16\n"; /* not a SIP code: unknown */
	static const int sd[] = { DISP_ANSWERED, DISP_BUSY, DISP_BUSY, DISP_NO_ANSWER, DISP_NO_ANSWER,
	                          DISP_NO_ANSWER, DISP_CONGESTION, DISP_FAILED, DISP_OTHER };
	T_EQ_I64(rd(s, CDRFMT_GENERIC, "UTC", NULL), CDRFMT_GENERIC);
	T_EQ_I64(X.nrec, 9);
	for (int i = 0; i < 9; i++)
		if (X.r[i + 1].disp != sd[i] || X.r[i + 1].connected != (i == 0))
			T_FAIL("sip row %d: disposition %d connected %d", i + 2, X.r[i + 1].disp, X.r[i + 1].connected);
	/* "status": 100..699 SIP, below Q.850 */
	static const char a[] = "start,dst,billsec,status\n2024-01-01 00:00:00,1,0,486\n2024-01-01 00:00:00,1,3,16\n";
	T_EQ_I64(rd(a, CDRFMT_GENERIC, "UTC", NULL), CDRFMT_GENERIC);
	T_EQ_I64(X.r[1].disp, DISP_BUSY);
	T_EQ_I64(X.r[2].connected, 1);
}

/* ---- records and calls ---------------------------------------------------- */

/* A Grandstream UCM CDR download. Column names as the UCM manuals list them
 * for the downloaded CSV ("Caller Number", "Callee Number", "Start Time",
 * "Answer Time", "End Time", "Call Time", "Talk Time", "Uniqueid"; the issue's
 * file writes "Unique ID"); the rows are made up (no public export was
 * found): one inbound call answered by an IVR (10 s), sent to extension
 * 6006 (95 s), transferred to 6007 (20 s): three rows, one Unique ID. */
static const char UCM[] =
	"Account Code,Caller Number,Callee Number,Context,CallerID,Source Channel,Dest Channel,Lastapp,Lastdata,"
	"Start Time,Answer Time,End Time,Call Time,Talk Time,Disposition,Amaflags,Unique ID,Userfield,"
	"Dest Channel Extension,Caller Name\n"
	",01001234567,6500,ext-did-0001,\"\"\"x\"\" <01001234567>\",PJSIP/trunk_1-00000001,,BackGround,ivr,"
	"2026-09-28 10:00:00,2026-09-28 10:00:00,2026-09-28 10:00:10,0:00:10,0:00:10,ANSWERED,DOCUMENTATION,"
	"1790589600.1,,,x\n"
	",01001234567,6006,ext-local,\"\"\"x\"\" <01001234567>\",PJSIP/trunk_1-00000001,PJSIP/6006-00000002,Dial,"
	"PJSIP/6006,2026-09-28 10:00:10,2026-09-28 10:00:15,2026-09-28 10:01:50,0:01:40,0:01:35,ANSWERED,"
	"DOCUMENTATION,1790589600.1,,6006,x\n"
	",01001234567,6007,ext-local,\"\"\"x\"\" <01001234567>\",PJSIP/trunk_1-00000001,PJSIP/6007-00000003,Dial,"
	"PJSIP/6007,2026-09-28 10:01:50,2026-09-28 10:01:52,2026-09-28 10:02:12,0:00:22,0:00:20,ANSWERED,"
	"DOCUMENTATION,1790589600.1,,6007,x\n";

/* An answered outcome with no talk time is not a connected call, as the
 * writers' own rule has it (Asterisk/FreePBX/PBXware: ANSWERED and billsec
 * > 0): the real FreePBX spreadsheet cut and the PBXware table have such
 * rows (tests/corpus: 6 and 15 of them), Flowroute's completed stays its
 * own connected flag. */
TEST(answered_without_talk_time_not_connected)
{
	static const char g[] =
		"calldate,src,dst,duration,billsec,disposition\n"
		"2017-09-04 12:39:00,114,113,8,6,ANSWERED\n"
		"2017-09-04 12:40:00,114,113,3,0,ANSWERED\n"
		"2017-09-04 12:41:00,114,113,3,0,NO ANSWER\n";
	T_EQ_I64(rd(g, CDRFMT_GENERIC, "UTC", NULL), CDRFMT_GENERIC);
	T_EQ_I64(X.nrec, 3);
	T_EQ_I64(X.r[1].connected, 1);
	T_EQ_I64(X.r[2].connected, 0);
	T_EQ_I64(X.r[3].connected, 0);
}

TEST(grandstream_segments_all_billed)
{
	T_EQ_I64(rd(UCM, CDRFMT_AUTO, "UTC", NULL), CDRFMT_GRANDSTREAM);
	T_EQ_I64(X.nrec, 3);
	T_EQ_I64(X.nbad, 0);
	/* three records, not one record and two duplicates */
	T_ASSERT(strcmp(X.r[1].id, X.r[2].id) && strcmp(X.r[2].id, X.r[3].id) && strcmp(X.r[1].id, X.r[3].id));
	T_ASSERT(!strncmp(X.r[1].id, "1790589600.1/fnv:", 17));
	/* every segment billed: their talk times add up to the call's 125 s */
	for (int i = 1; i <= 3; i++)
		T_EQ_STR(X.r[i].key, "");
	T_EQ_I64(talk_of_connected(), 125000);
	T_EQ_STR(X.r[2].src, "01001234567");
	T_EQ_STR(X.r[2].dst, "6006");
	T_EQ_I64(X.r[2].dur, 100000); /* "Call Time" is a duration here: there is a "Start Time" */
	T_EQ_I64(X.r[2].start, 1790589610);
	T_EQ_STR(X.r[2].clid, "x");
}

TEST(same_record_only_when_same_content)
{
	/* the same row twice: the same record; a row sharing its id but
	 * differing: another record of the same call (generic: grouped) */
	static const char g[] =
		"Call ID,Start,Dst,Billsec\n"
		"a1,2024-01-01 00:00:00,1,10\n"
		"a1,2024-01-01 00:00:00,1,10\n"
		"a1,2024-01-01 00:05:00,1,20\n";
	T_EQ_I64(rd(g, CDRFMT_GENERIC, "UTC", NULL), CDRFMT_GENERIC);
	T_EQ_STR(X.r[1].id, X.r[2].id);
	T_ASSERT(strcmp(X.r[1].id, X.r[3].id) != 0);
	T_EQ_STR(X.r[3].key, "a1");
	/* Grandstream: the same */
	char twice[4096];
	snprintf(twice, sizeof twice, "%s%s", UCM, strchr(UCM, '\n') + 1);
	T_EQ_I64(rd(twice, CDRFMT_GRANDSTREAM, "UTC", NULL), CDRFMT_GRANDSTREAM);
	T_EQ_I64(X.nrec, 6);
	T_EQ_STR(X.r[1].id, X.r[4].id);
	T_EQ_STR(X.r[3].id, X.r[6].id);
}

/* ---- the Asterisk cdr table ----------------------------------------------- */

/* FreePBX asteriskcdrdb.cdr dumped without a header
 * (tests/corpus/cdr/freepbx-cdrdb-table-dayfirst-noheader.csv, lines 1-3,
 * 25 fields with the trailing comma). Verbatim for detection; for mapping
 * the first field is written year-first ("1/9/2017 16:33:01" is
 * 2017-09-01: day-first dates are the date parser's part). */
static const char FPBX_NOHDR[] =
	"\"1/9/2017 16:33:01\",\"\"\"Test User\"\" <105>\",\"105\",\"*60\",\"from-internal\",\"SIP/105-00000001\",,"
	"\"Wait\",\"1\",\"27\",\"27\",\"ANSWERED\",\"3\",,\"1504279981.1\",,,,\"105\",\"Test User\",,,,\"0\",\n";
static const char FPBX_NOHDR_ISO[] =
	"\"2017-09-01 16:33:01\",\"\"\"Test User\"\" <105>\",\"105\",\"*60\",\"from-internal\",\"SIP/105-00000001\",,"
	"\"Wait\",\"1\",\"27\",\"27\",\"ANSWERED\",\"3\",,\"1504279981.1\",,,,\"105\",\"Test User\",,,,\"0\",\n"
	"\"2017-09-01 16:34:03\",\"\"\"Test User\"\" <105>\",\"105\",\"i\",\"sub-hr24format\",\"SIP/105-00000002\",,"
	"\"Playback\",\"at-tone-time-exactly\",\"37\",\"37\",\"ANSWERED\",\"3\",,\"1504280043.2\",,,,\"105\","
	"\"Test User\",,,,\"0\",\n";

TEST(asterisk_db_without_header)
{
	char why[300];
	T_EQ_I64(cdrfmt_detect_buffer(FPBX_NOHDR, strlen(FPBX_NOHDR), why, sizeof why), CDRFMT_ASTERISK_DB);
	T_EQ_I64(rd(FPBX_NOHDR_ISO, CDRFMT_AUTO, "+01:00", NULL), CDRFMT_ASTERISK_DB);
	T_EQ_I64(X.nrec, 2);
	out_t *r = &X.r[0];
	T_EQ_I64(r->kind, CDRFMT_RECORD); /* the first row is data, not a header */
	T_EQ_I64(r->start, 1504279981);   /* = the uniqueid's epoch at +01:00 */
	T_EQ_I64(r->end, 1504279981 + 27);
	T_EQ_I64(r->answer, 1504279981);  /* end - billsec */
	T_EQ_I64(r->bill, 27000);
	T_EQ_STR(r->src, "105");
	T_EQ_STR(r->dst, "*60");
	T_EQ_STR(r->clid, "\"Test User\" <105>");
	T_EQ_I64(r->connected, 1);
	T_ASSERT(!strncmp(r->id, "1504279981.1/fnv:", 17));
	T_EQ_STR(r->key, "1504279981.1"); /* field 24 holds "0", no linkedid */
	/* FreePBX's 26 columns: linkedid in 24, sequence in 26 */
	static const char f26[] =
		"2017-09-01 16:33:01,x,105,200,from-internal,SIP/105-1,,Dial,1,27,20,ANSWERED,3,,1504279981.2,,,,,,,,,"
		"1504279981.1,,7\n";
	T_EQ_I64(rd(f26, CDRFMT_ASTERISK_DB, "UTC", NULL), CDRFMT_ASTERISK_DB);
	T_EQ_STR(X.r[0].key, "1504279981.1");
	T_EQ_STR(X.r[0].id, "1504279981.2/7");
	T_EQ_I64(X.r[0].answer, 1504283581 + 27 - 20); /* calldate + duration - billsec */
	/* a short row */
	T_EQ_I64(rd("2017-09-01 16:33:01,x,105,200,c,SIP/1,,Dial,1,27,20,ANSWERED\n", CDRFMT_ASTERISK_DB, "UTC",
	            NULL), CDRFMT_ASTERISK_DB);
	T_EQ_I64(X.r[0].kind, CDRFMT_EBAD);
	T_EQ_STR(X.r[0].why, "expected at least 16 fields (the highest column mapped), got 12");
}

/* FreePBX "CDR Reports" download (tests/corpus/cdr/freepbx-cdrreports-
 * download-3.csv: header and rows 2-3; the clid `"User 9" <113>` re-quoted
 * as `"""User 9"" <113>"` so that strict CSV reads it). */
static const char FPBX_HDR[] =
	"calldate,clid,src,dst,dcontext,channel,dstchannel,lastapp,lastdata,duration,billsec,disposition,amaflags,"
	"accountcode,uniqueid,userfield\n"
	"2017-09-04 17:23:11,\"\"\"User 9\"\" <113>\",113,0,from-internal,Local/0@from-internal-00000010;2,,,,0,0,"
	"NO ANSWER,3,,1504542191.248,\n"
	"2017-09-04 17:23:11,\"\"\"User 9\"\" <113>\",113,105,ext-local,SIP/113-000000d6,"
	"Local/0@from-internal-00000010;1,VoiceMail,\"105@default,u\",2,2,ANSWERED,3,,1504542191.246,\n";

TEST(asterisk_db_with_header)
{
	T_EQ_I64(rd(FPBX_HDR, CDRFMT_AUTO, "+01:00", NULL), CDRFMT_ASTERISK_DB);
	T_EQ_I64(X.r[0].kind, CDRFMT_HEADER);
	T_EQ_I64(X.nrec, 2);
	T_EQ_I64(X.r[1].connected, 0);
	T_EQ_I64(X.r[1].disp, DISP_NO_ANSWER);
	T_EQ_I64(X.r[2].connected, 1);
	T_EQ_I64(X.r[2].start, 1504542191);
	T_EQ_I64(X.r[2].end, 1504542193);
	T_EQ_STR(X.r[2].key, "1504542191.246");
	/* PBXware's table (tests/corpus/cdr/pbxware-cdr-table.csv, header and
	 * row 3, clid re-quoted): linkedid and sequence by name, NULL empty */
	static const char pbxware[] =
		"AcctId,tenant,clid,src,dst,dcontext,channel,dstchannel,lastapp,lastdata,calldate,duration,billsec,"
		"billamount,disposition,amaflags,accountcode,uniqueid,userfield,linkedid,sequence,agiuniqueid,trunk,did,"
		"sipcallid,inboundsipcallid\n"
		"2,NULL,\"\"\"Ramana Ulsa\"\" <1115>\",1115,2485261900,default,PJSIP/1115-00000001,"
		"PJSIP/VIOrig-00000002,Dial,\"PJSIP/12485261900@VIOrig,,XL(81520000:60000:15000)b(gosub-predial^s^1)\","
		"\"2018-11-29 20:20:17\",21,20,NULL,ANSWERED,3,1115,1543540817.1,NULL,1543540817.1,1,1543540817.1,"
		"VIOrig,NULL,NULL,NULL\n";
	T_EQ_I64(rd(pbxware, CDRFMT_AUTO, "-05:00", NULL), CDRFMT_ASTERISK_DB);
	T_EQ_I64(X.nrec, 1);
	T_EQ_STR(X.r[1].id, "1543540817.1/1");
	T_EQ_STR(X.r[1].key, "1543540817.1");
	T_EQ_STR(X.r[1].account, "1115");
	T_EQ_I64(X.r[1].start, 1543540817);
	T_EQ_I64(X.r[1].bill, 20000);
	T_EQ_I64(X.r[1].connected, 1);
}

/* ---- --map by number, --format auto with --map ---------------------------- */

/* An Asterisk 18-column Master.csv (tests/corpus/cdr/asterisk-cdr_csv-18col-
 * shared-uniqueid.csv, line 1; no header) read with
 * a map of column numbers as generic. */
TEST(map_by_number_headerless)
{
	static const char ast[] =
		"\"\",\"1500\",\"12489398620\",\"local\",\"\"\"device\"\" <1500>\",\"SIP/1500-00000000\","
		"\"Motif/12489398620@voice.google.com-753b\",\"Dial\",\"Motif/google/12489398620@voice.google.com,,r\","
		"\"2016-09-06 16:38:55\",,\"2016-09-06 16:38:56\",0,0,\"NO ANSWER\",\"DOCUMENTATION\",\"1473179935.0\",\"\"\n";
	const char *map = "start=10,src=2,dst=3,billsec=14,disposition=15,call_id=17";
	T_ASSERT(cdrfmt_map_positional(map));
	T_ASSERT(!cdrfmt_map_positional("start=10,dst=Dest"));
	T_EQ_I64(rd(ast, CDRFMT_AUTO, "UTC", map), CDRFMT_GENERIC);
	T_EQ_I64(X.r[0].kind, CDRFMT_RECORD); /* no header consumed */
	T_EQ_STR(X.r[0].dst, "12489398620");
	T_EQ_I64(X.r[0].start, 1473179935);
	T_EQ_I64(X.r[0].disp, DISP_NO_ANSWER);
	T_ASSERT(!strncmp(X.r[0].id, "1473179935.0/fnv:", 17));
	/* a map with a column beyond the row */
	T_EQ_I64(rd(ast, CDRFMT_GENERIC, "UTC", "start=10,dst=30"), CDRFMT_GENERIC);
	T_EQ_I64(X.r[0].kind, CDRFMT_EBAD);
	T_EQ_STR(X.r[0].why, "expected at least 30 fields (the highest column mapped), got 18");
	/* numbers need start and dst */
	T_EQ_I64(rd(ast, CDRFMT_GENERIC, "UTC", "src=2,billsec=14"), -1);
	T_ASSERT(strstr(X.r[0].why, "needs start=N") != NULL);
	T_EQ_I64(rd(ast, CDRFMT_GENERIC, "UTC", "start=0,dst=1"), -1);
}

/* 3CX v16's CDR log has no header (tests/corpus/cdr/3cx-cdr-log-v16.csv,
 * lines 2-3): mapped by number. */
TEST(map_by_number_3cx_log)
{
	static const char log[] =
		"Call 9745,00000171DEE8BB1E_2512,,2020/05/04 10:58:46,,2020/05/04 10:59:02,Failed_Cancelled,Ext.315,"
		"Ext.184,315,184,184,,,,,,,,,Internal,Internal,Internal,from disp,to disp,fin disp,\n"
		"Call 9746,00000171DEE97C16_2514,00:00:18,2020/05/04 10:59:35,2020/05/04 10:59:36,2020/05/04 10:59:54,"
		"TerminatedByDst,0450070206,Ext.610,10000,610,610,ReplacedDst,Ext.124,124,,,,,\"Chain: 0450070206,"
		"Ext.610,Ext.124,\",External,Internal,Internal,from disp,to disp,fin disp,\n";
	T_EQ_I64(rd(log, CDRFMT_AUTO, "UTC", "call_id=2,billsec=3,start=4,answer=5,end=6,disposition=7,src=10,dst=11"),
	         CDRFMT_GENERIC);
	T_EQ_I64(X.nrec, 2);
	T_EQ_I64(X.r[0].connected, 0); /* "Failed_Cancelled": unknown word, no talk */
	T_EQ_I64(X.r[1].bill, 18000);
	T_EQ_I64(X.r[1].connected, 1); /* "TerminatedByDst": unknown word, 18 s of talk */
	T_EQ_STR(X.r[1].key, "00000171DEE97C16_2514");
}

TEST(map_by_number_headed_and_auto_map)
{
	/* numbers on a headed file: the header row (no digit in the start
	 * field) is skipped */
	T_EQ_I64(rd(TCX20, CDRFMT_AUTO, "UTC", "start=1,src=2,dst=3,billsec=9,disposition=7"), CDRFMT_GENERIC);
	T_EQ_I64(X.r[0].kind, CDRFMT_HEADER);
	T_EQ_I64(X.nrec, 2);
	T_EQ_I64(X.r[1].bill, 10000);
	/* names and numbers mixed on a headed file */
	T_EQ_I64(rd(TCX20, CDRFMT_GENERIC, "UTC", "start=Call Time,dst=3,billsec=10"), CDRFMT_GENERIC);
	T_EQ_I64(X.r[1].bill, 10000);
	T_EQ_STR(X.r[1].dst, "PR Welcome message (801)");
	/* --format auto with a map of names: detected, then mapped */
	T_EQ_I64(rd(DIDWW, CDRFMT_AUTO, "UTC", "dst=DID"), CDRFMT_GENERIC);
	T_EQ_STR(X.r[1].dst, "97286259404");
	/* --format auto with numbers: generic without a header, even where
	 * detection would have said asterisk-db */
	T_EQ_I64(rd(FPBX_NOHDR_ISO, CDRFMT_AUTO, "UTC", "start=1,dst=4,billsec=11"), CDRFMT_GENERIC);
	T_EQ_I64(X.nrec, 2);
	T_EQ_STR(X.r[0].key, "");
	/* a map of names on a headerless layout: generic with that map (the
	 * names are then looked for in the first row) */
	T_EQ_I64(rd(FPBX_NOHDR_ISO, CDRFMT_ASTERISK_DB, "UTC", "dst=dst"), CDRFMT_ASTERISK_DB);
	T_EQ_I64(X.r[0].kind, CDRFMT_EBAD);
	T_ASSERT(strstr(X.r[0].why, "give column numbers") != NULL);
	T_EQ_I64(rd(FPBX_NOHDR_ISO, CDRFMT_ASTERISK_DB, "UTC", "billsec=10"), CDRFMT_ASTERISK_DB);
	T_EQ_I64(X.r[0].bill, 27000); /* duration as billsec */
}

/* ---- messages files ------------------------------------------------------- */

TEST(messages_file_refused)
{
	char what[200], why[400];
	static const char mdr[] = "id,time,direction,from,to,type,segments,cost\n"
	                          "m1,2026-11-04 09:00:00,outbound,12065550100,12065550199,sms,2,0.0080\n";
	T_EQ_I64(cdrfmt_detect_buffer(mdr, strlen(mdr), why, sizeof why), CDRFMT_AUTO);
	T_ASSERT(strstr(why, "a messages file") != NULL);
	T_ASSERT(strstr(why, "billtop import mdr") != NULL);
	T_EQ_I64(rd(mdr, CDRFMT_GENERIC, "UTC", NULL), CDRFMT_GENERIC);
	T_EQ_I64(X.r[0].kind, CDRFMT_EBAD);
	T_ASSERT(strstr(X.r[0].why, "a messages file (segments; no duration or talk time)") != NULL);
	/* and the kinds of header, as `import mdr` asks */
	csvin_row row;
	char *f[8];
	size_t len[8];
	unsigned char q[8] = { 0 };
	const char *names[] = { "callid", "starting_date", "destination_number", "billsec", "hangup_cause_id" };
	for (int i = 0; i < 5; i++) {
		f[i] = (char *)names[i];
		len[i] = strlen(names[i]);
	}
	memset(&row, 0, sizeof row);
	row.field = f;
	row.len = len;
	row.quoted = q;
	row.nfields = 5;
	T_EQ_I64(cdrfmt_header_kind(&row, what, sizeof what), CDRFMT_HDR_CALLS);
	T_EQ_STR(what, "billsec");
	f[3] = "body";
	len[3] = 4;
	T_EQ_I64(cdrfmt_header_kind(&row, what, sizeof what), CDRFMT_HDR_MESSAGES);
	f[4] = "duration";
	len[4] = 8;
	T_EQ_I64(cdrfmt_header_kind(&row, what, sizeof what), CDRFMT_HDR_UNKNOWN);
}

TEST(format_names_new)
{
	cdrfmt_kind k;
	for (int i = CDRFMT_AUTO; i <= CDRFMT_LAST; i++) {
		T_EQ_I64(cdrfmt_parse_name(cdrfmt_name((cdrfmt_kind)i), &k), 0);
		T_EQ_I64(k, i);
	}
	static const char *const adb[] = { "asterisk-db", "cdr_mysql", "cdr_pgsql", "freepbx-db", "cdr_adaptive_odbc" };
	for (size_t i = 0; i < sizeof adb / sizeof adb[0]; i++) {
		T_EQ_I64(cdrfmt_parse_name(adb[i], &k), 0);
		T_EQ_I64(k, CDRFMT_ASTERISK_DB);
	}
	T_EQ_I64(cdrfmt_parse_name("ucm", &k), 0);
	T_EQ_I64(k, CDRFMT_GRANDSTREAM);
	/* the call's id inside a record id: without the row digests */
	T_EQ_I64(cdrfmt_call_id_len("c1/fnv:0123456789abcdef"), 2);
	T_EQ_I64(cdrfmt_call_id_len("c1/fnv:0123456789abcdef/fnv:fedcba9876543210"), 2);
	T_EQ_I64(cdrfmt_call_id_len("1504279981.2/7"), 14);          /* a sequence stays */
	T_EQ_I64(cdrfmt_call_id_len("c1/fnv:0123456789ABCDEF"), 23); /* not a digest of ours */
	T_EQ_I64(cdrfmt_call_id_len("fnv:0123456789abcdef"), 20);    /* a digest alone is the id */
}

void suite_cdrfmt2(void); /* t.h's SUITE() has no prototype of its own */

SUITE(cdrfmt2)
{
	RUN(cdrstats_names_and_q850_16);
	RUN(didww_utc_column_units_sip);
	RUN(tcx_call_time_is_start_talking_is_billsec);
	RUN(dispositions_q850_sip_words);
	RUN(answered_without_talk_time_not_connected);
	RUN(grandstream_segments_all_billed);
	RUN(same_record_only_when_same_content);
	RUN(asterisk_db_without_header);
	RUN(asterisk_db_with_header);
	RUN(map_by_number_headerless);
	RUN(map_by_number_3cx_log);
	RUN(map_by_number_headed_and_auto_map);
	RUN(messages_file_refused);
	RUN(format_names_new);
}
