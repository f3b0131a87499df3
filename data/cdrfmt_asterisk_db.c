/* cdrfmt_asterisk_db.c: the Asterisk CDR database table dumped to CSV (format
 * "asterisk-db"; aliases cdr_mysql, cdr_pgsql, cdr_odbc, cdr_adaptive_odbc,
 * freepbx-db, asteriskcdrdb).
 *
 * The table of Asterisk's cdr_mysql/cdr_pgsql schema (and FreePBX's and
 * Issabel's asteriskcdrdb.cdr) starts with 16 columns in this order:
 *   calldate, clid, src, dst, dcontext, channel, dstchannel, lastapp,
 *   lastdata, duration, billsec, disposition, amaflags, accountcode,
 *   uniqueid, userfield
 * then, depending on the installation, FreePBX's extras (did,
 * recordingfile, cnum, cnam, outbound_cnum, outbound_cnam, dst_cnam,
 * linkedid, peeraccount, sequence: 26 columns in FreePBX's order; Issabel
 * and older FreePBX put recordingfile first and leave some out). Newer
 * Asterisk schemas (contrib/ast-db-manage) have start, answer, end instead
 * of calldate and their own order.
 *
 * With a header (a dump with column names, FreePBX "CDR Reports" download,
 * PBXware's table, Grandstream's CDR API CSV) columns are found by name, so
 * any order and any extra columns read. Without one (recognised by the
 * layout: a time in field 1, whole numbers in fields 10 and 11, a
 * disposition word in field 12, an Asterisk uniqueid or nothing in field
 * 15) the 16 columns above are read by position; of the extras only
 * linkedid (field 24, when it holds an Asterisk id "digits.digits") and
 * sequence (field 26, when a number) are used, as the extras' order is not
 * the same on every installation. The first row decides: a row whose first
 * field holds a digit is data, else it is the header.
 *
 * Rules, as for Asterisk cdr_csv (cdrfmt_asterisk.c), after cdrfmt_headed.c's mapping:
 *   record_id = uniqueid/sequence, else uniqueid/digest-of-the-row, else a
 *               digest of the row ("NULL" and "\N", how database dumps write
 *               a null, are empty)
 *   call_key  = linkedid, else uniqueid (one billed leg per key)
 *   connected = disposition ANSWERED and billsec > 0
 *   end       = the end column, else calldate + duration
 *   answer    = the answer column, else end - billsec when billsec > 0 */
#include "cdrfmt_int.h"

#include <stdio.h>
#include <string.h>

static const char *const layout_names[26] = {
	"calldate", "clid", "src", "dst", "dcontext", "channel", "dstchannel", "lastapp", "lastdata",
	"duration", "billsec", "disposition", "amaflags", "accountcode", "uniqueid", "userfield", "did",
	"recordingfile", "cnum", "cnam", "outbound_cnum", "outbound_cnam", "dst_cnam", "linkedid",
	"peeraccount", "sequence"
};

enum { L_CALLDATE = 0, L_CLID = 1, L_SRC = 2, L_DST = 3, L_DURATION = 9, L_BILLSEC = 10, L_DISP = 11,
       L_ACCOUNT = 13, L_UNIQUEID = 14, L_USERFIELD = 15, L_LINKEDID = 23, L_SEQUENCE = 25 };

static const char *astdb_name(int col)
{
	return col >= 0 && col < 26 ? layout_names[col] : "extra";
}

static void astdb_setup(cdrfmt_reader *r)
{
	r->col[CF_START] = L_CALLDATE;
	r->col[CF_CLID] = L_CLID;
	r->col[CF_SRC] = L_SRC;
	r->col[CF_DST] = L_DST;
	r->col[CF_DURATION] = L_DURATION;
	r->col[CF_BILLSEC] = L_BILLSEC;
	r->col[CF_DISP] = L_DISP;
	r->col[CF_ACCOUNT] = L_ACCOUNT;
	r->col[CF_CALLID] = L_UNIQUEID;
	r->max_col = L_USERFIELD;
}

int cf_is_astid(const char *s, size_t len)
{
	const char *dot = memchr(s, '.', len);
	if (!dot || dot == s || dot == s + len - 1)
		return 0;
	return cf_is_uint(s, (size_t)(dot - s)) && cf_is_uint(dot + 1, len - (size_t)(dot - s) - 1);
}

static int has_digit(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] >= '0' && s[i] <= '9')
			return 1;
	return 0;
}

/* A date and time as some writer writes it ("2017-09-04 12:39:26",
 * "1/9/2017 16:33:01"): the parser decides later whether it can read it. */
static int looks_like_time(const char *s, size_t len)
{
	if (cf_is_time(s, len))
		return 1;
	if (len < 8 || len > 40 || !memchr(s, ':', len) || !(memchr(s, '/', len) || memchr(s, '-', len)
	                                                    || memchr(s, '.', len)))
		return 0;
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || strchr("/-.: TAPMapmZ+", s[i])))
			return 0;
	return 1;
}

static int astdb_layout_matches(const csvin_row *row)
{
	char *const *f = row->field;
	const size_t *len = row->len;
	int answered, known;
	if (row->nfields < 16 || row->nfields > 40)
		return 0;
	if (!looks_like_time(f[L_CALLDATE], len[L_CALLDATE]) || !cf_is_uint(f[L_DURATION], len[L_DURATION])
	    || !cf_is_uint(f[L_BILLSEC], len[L_BILLSEC]))
		return 0;
	cf_disposition(f[L_DISP], len[L_DISP], 0, &answered, &known);
	if (!known)
		return 0;
	return len[L_UNIQUEID] == 0 || cf_is_astid(f[L_UNIQUEID], len[L_UNIQUEID]);
}

static int astdb_finish(cdrfmt_reader *r, const csvin_row *row, cdr_rec *out, char *why, size_t n);

static const cf_headed_rules rules = { 0, 0, 0, astdb_name, astdb_finish };

static int astdb_row(cdrfmt_reader *r, const csvin_row *row, cdr_rec *out, char *why, size_t n)
{
	if (!r->header_seen && !r->headerless && row->nfields > 0 && has_digit(row->field[0], row->len[0])) {
		/* no header: the table's own layout (and --map numbers over it) */
		for (int f = 0; f < CF_COUNT; f++)
			if (r->map_col[f]) {
				r->header_seen = 1;
				r->header_bad = 1;
				snprintf(r->hdr_why, sizeof r->hdr_why, "the file has no header, so --map cannot name a "
				         "column (\"%.60s\"): give column numbers (--map FIELD=N, 1-based)", r->map_col[f]);
				snprintf(why, n, "%s", r->hdr_why);
				return CDRFMT_EBAD;
			}
		r->headerless = 1;
	}
	if (r->header_bad) {
		snprintf(why, n, "no usable header: %s", r->hdr_why);
		return CDRFMT_EBAD;
	}
	if (r->headerless && r->max_col < L_USERFIELD)
		r->max_col = L_USERFIELD;
	return cf_headed_row(r, &rules, row, out, why, n);
}

static int is_null(const char *s, size_t len)
{
	return len == 0 || (len == 4 && !memcmp(s, "NULL", 4)) || (len == 2 && !memcmp(s, "\\N", 2));
}

static int astdb_finish(cdrfmt_reader *r, const csvin_row *row, cdr_rec *out, char *why, size_t n)
{
	const int *c = r->col;
	char *const *f = row->field;
	const size_t *len = row->len;
	int link = -1, seq = -1, uid = -1;

	if (c[CF_CALLID] >= 0 && !is_null(f[c[CF_CALLID]], len[c[CF_CALLID]]))
		uid = c[CF_CALLID];
	if (r->headerless && !r->map_num[CF_LINKEDID] && !r->map_num[CF_SEQUENCE]) {
		if (row->nfields > L_LINKEDID && cf_is_astid(f[L_LINKEDID], len[L_LINKEDID]))
			link = L_LINKEDID;
		if (row->nfields > L_SEQUENCE && cf_is_uint(f[L_SEQUENCE], len[L_SEQUENCE]))
			seq = L_SEQUENCE;
	} else {
		if (c[CF_LINKEDID] >= 0 && !is_null(f[c[CF_LINKEDID]], len[c[CF_LINKEDID]]))
			link = c[CF_LINKEDID];
		if (c[CF_SEQUENCE] >= 0 && !is_null(f[c[CF_SEQUENCE]], len[c[CF_SEQUENCE]])) {
			seq = c[CF_SEQUENCE];
			if (!cf_is_uint(f[seq], len[seq]))
				return cf_bad(why, n, seq, "sequence", "bad number", f[seq], len[seq]);
		}
	}
	if (c[CF_ACCOUNT] >= 0 && is_null(f[c[CF_ACCOUNT]], len[c[CF_ACCOUNT]]))
		out->account = "";
	if (c[CF_CLID] >= 0 && is_null(f[c[CF_CLID]], len[c[CF_CLID]]))
		out->clid = "";

	/* "ANSWERED" with billsec > 0 (cdr_csv's rule; an empty or unknown
	 * disposition followed billsec in cf_headed_row: DISP_ANSWERED) */
	out->connected = out->disposition == DISP_ANSWERED && out->billsec_ms > 0;
	if (out->end == TM_NONE && c[CF_DURATION] >= 0)
		out->end = out->start + out->duration_ms / 1000;
	if (out->answer == TM_NONE && c[CF_ANSWER] < 0 && out->billsec_ms > 0 && out->end != TM_NONE) {
		out->answer = out->end - out->billsec_ms / 1000;
		if (out->answer < out->start)
			out->answer = out->start;
	}

	if (uid >= 0 && seq >= 0)
		out->record_id = cf_join_id(r, f[uid], len[uid], f[seq], len[seq]);
	else if (uid >= 0)
		out->record_id = cf_id_digest(r, f[uid], len[uid], row);
	else
		out->record_id = cf_digest(r, row);
	if (!out->record_id) {
		snprintf(why, n, "out of memory");
		return CDRFMT_EBAD;
	}
	if (link >= 0)
		out->call_key = f[link];
	else if (uid >= 0)
		out->call_key = f[uid];
	return CDRFMT_RECORD;
}

/* A header naming the cdr table's columns ranks above generic; a headerless
 * row in the table's layout ranks below the switch layouts. */
static int astdb_classify(const cf_probe *p)
{
	if (p->header) {
		if (p->why[0])
			return CF_NO;
		return cf_probe_count(p, "uniqueid") && cf_probe_count(p, "billsec") && cf_probe_count(p, "disposition")
		       && (cf_probe_count(p, "dcontext") || cf_probe_count(p, "lastapp")
		           || cf_probe_count(p, "dstchannel")) ? CF_SURE : CF_NO;
	}
	return astdb_layout_matches(p->row) ? CF_FALLBACK : CF_NO;
}

static void astdb_describe(const cdrfmt_reader *r, int nfields, cf_sbuf *b)
{
	static const char *const use[16] = {
		"start", "clid", "src", "dst", NULL, NULL, NULL, NULL, NULL, "duration", "billsec", "disposition",
		NULL, "account", "record id, call key", NULL };
	if (!r->headerless || r->map_num[CF_START]) {
		cf_describe_headed(r, nfields, b);
		return;
	}
	/* no header: the table's layout (file comment) */
	cf_describe_fixed(b, nfields < 16 ? nfields : 16, layout_names, use);
	if (nfields > L_LINKEDID)
		cf_put(b, "  %2d %-12s -> call key, when an Asterisk id\n", L_LINKEDID + 1, layout_names[L_LINKEDID]);
	if (nfields > L_SEQUENCE)
		cf_put(b, "  %2d %-12s -> record id (with uniqueid), when a number\n", L_SEQUENCE + 1,
		       layout_names[L_SEQUENCE]);
}

static const char *const aliases[] = { "cdr_mysql", "cdr_pgsql", "cdr_odbc", "cdr_adaptive_odbc", "freepbx-db",
                                       "asteriskcdrdb", "asterisk_db", NULL };

const cdrfmt_desc cdrfmt_asterisk_db = {
	.kind = CDRFMT_ASTERISK_DB,
	.name = "asterisk-db",
	.aliases = aliases,
	.headed = CF_FIRST_ROW,
	.classify = astdb_classify,
	.row = astdb_row,
	.setup = astdb_setup,
	.describe = astdb_describe,
	.shape = "asterisk-db: 16 or more, a time in field 1, a disposition in field 12",
	.summary = "Asterisk cdr table as CSV (cdr_mysql, FreePBX), header or not",
	.billing = "one leg per linkedid (else per uniqueid)",
};
