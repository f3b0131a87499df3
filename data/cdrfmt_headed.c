/* cdrfmt_headed.c: the machinery of CSV files with a header row, shared by
 * the formats generic, flowroute, grandstream and asterisk-db (each in its
 * own cdrfmt_<name>.c with its rules, cf_headed_rules); no descriptor here.
 *
 * Columns are found by name: the header names are compared lower-cased with
 * everything but letters and digits dropped ("Call ID", "call_id" and
 * "CallID" are all "callid"), against the synonym lists below in priority
 * order; --map "field=Column,..." names a column outright (case-insensitive,
 * exact) and takes it away from the synonym search. A header must give a
 * start time (an answer-time column serves when there is no start column)
 * and a destination; otherwise the file is refused naming the missing one.
 * --map with column numbers only reads a file without a header.
 *
 * Per row:
 *  - record_id = the call-id column when present and non-empty (with a
 *    digest of the row), else a digest of the row's fields, so re-imports
 *    dedupe; call_key = linkedid, else the id (rules may say otherwise).
 *  - duration: the duration column ("9.1" -> 9100 ms exactly; "0:01:05"),
 *    else end - start, else 0. billsec: the billsec column, else end - answer
 *    when there is an answer column (empty answer -> 0), else the duration.
 *  - connected: with a disposition column, an answered-like value (answered,
 *    completed, ok, success, NORMAL_CLEARING with billsec > 0); without one,
 *    billsec > 0.
 *  - billed_duration -> their_billed_secs, a cost column -> their_cost,
 *    cnam_lookup_fee -> cnam_fee, direction lower-cased.
 *  - A second copy of the header row (concatenated exports) is CDRFMT_HEADER. */
#include "cdrfmt_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const syn_callid[] = { "callid", "uniqueid", "uuid", "id", "cdrid", "recordid",
	"calluuid", "sessionid", "sipcallid", "xmlcdruuid", "historyid", "sid", "callsid", NULL };
static const char *const syn_start[] = { "start", "starttime", "startstamp", "calldate", "callstart",
	"callstarttime", "startdate", "startdatetime", "startedat", "begintime", "setuptime", "timestart",
	"datestart", "callstartdate", "calldatetime", "datetime", "date", "time", "timestamp",
	"calltime", "startingdate", "startingtime", NULL }; /* 3CX's "Call Time" is when; Grandstream's (with a "Start Time") how long */
static const char *const syn_answer[] = { "answer", "answertime", "answerstamp", "answerdate",
	"answeredtime", "answeredat", "connecttime", "connectedtime", "timeanswered", "callanswer",
	"callanswertime", NULL };
static const char *const syn_end[] = { "end", "endtime", "endstamp", "enddate", "callend", "hanguptime",
	"hangupstamp", "stoptime", "endedat", "disconnecttime", "releasetime", "timeend", "callendtime",
	"callenddate", NULL };
static const char *const syn_src[] = { "src", "source", "ani", "calling", "callingnumber", "caller",
	"callernumber", "callerno", "callernum", "calleridnumber", "calleridnum", "callingparty",
	"callingpartynumber", "fromnumber", "from", "fromno", "cli", "srcnumber", "sourcenumber", "origin",
	"originator", "callfrom", "callerid", NULL };
static const char *const syn_dst[] = { "dst", "destination", "dnis", "called", "callednumber", "callee",
	"calleenumber", "calleeno", "callednum", "calledparty", "calledpartynumber", "to", "tonumber", "tono",
	"dialed", "dialednumber", "dialednum", "destinationnumber", "dstnumber", "destnumber", "dest",
	"calledstationid", "callto", "number", NULL };
static const char *const syn_duration[] = { "duration", "seconds", "durationsec", "durationseconds",
	"totalduration", "calllength", "length", "calltime", "callduration", "totaltime", NULL };
static const char *const syn_billsec[] = { "billsec", "billable", "billableseconds", "billablesec",
	"billableduration", "talktime", "talkduration", "talkingtime", "talking", "conversationtime", "billingseconds",
	"answeredduration", "connectedduration", "connectduration", NULL };
static const char *const syn_disp[] = { "disposition", "status", "result", "hangupcause", "callstatus",
	"outcome", "hangupcauseid", "hangupcausecode", "hangupcauseq850", "q850cause", "q850", "causecode",
	"cause", "releasecause", "disconnectcause", "disconnectreason", "terminationcause",
	"reasonterminated", "endreason", "callresult", "disconnectcode", "sipcode", "sipresponse", "sipresponsecode",
	"responsecode", "lastsipresponse", "siprespcode", "sipstatus", "lastsipresponsenum", NULL };
static const char *const syn_cost[] = { "cost", "charge", "amount", "price", "totalcost", "totalcharge",
	"callcost", "callcharge", "totalprice", NULL };
static const char *const syn_account[] = { "account", "accountcode", "customer", "accountid",
	"customerid", "accountnumber", NULL };
static const char *const syn_clid[] = { "clid", "callername", "calleridname", "cnam", "callerid", NULL };
static const char *const syn_billed[] = { "billedduration", "billedseconds", "billedsec", "billed", NULL };
static const char *const syn_cnam[] = { "cnamlookupfee", "cnamfee", NULL };
static const char *const syn_dir[] = { "direction", "calldirection", NULL };
static const char *const syn_linkedid[] = { "linkedid", NULL };
static const char *const syn_sequence[] = { "sequence", NULL };

static const char *const *const synonyms[CF_COUNT] = {
	syn_callid, syn_start, syn_answer, syn_end, syn_src, syn_dst, syn_duration, syn_billsec,
	syn_disp, syn_cost, syn_account, syn_clid, syn_billed, syn_cnam, syn_dir, syn_linkedid, syn_sequence
};

/* --map field names, in CF_* order. */
static const char *const field_names[CF_COUNT] = {
	"call_id", "start", "answer", "end", "src", "dst", "duration", "billsec",
	"disposition", "cost", "account", "clid", "billed", "cnam", "direction", "linkedid", "sequence"
};

#define NORM CF_NORM

void cf_norm_header(const char *s, size_t len, char *out, size_t cap, int *utc)
{
	char buf[128], w[NORM];
	size_t k = 0, i, wl;
	*utc = 0;
	/* drop bracketed parts, noting a zone: "Duration (s)", "Start (UTC)" */
	for (i = 0; i < len && k + 1 < sizeof buf; i++) {
		char c = s[i];
		if (c == '(' || c == '[') {
			char close = c == '(' ? ')' : ']';
			size_t j = i + 1;
			while (j < len && s[j] != close)
				j++;
			cf_norm(s + i + 1, j - i - 1, w, sizeof w);
			if (!strcmp(w, "utc") || !strcmp(w, "gmt") || !strcmp(w, "z") || !strcmp(w, "utc0")
			    || !strcmp(w, "gmt0") || !strcmp(w, "0000"))
				*utc = 1;
			i = j;
			continue;
		}
		buf[k++] = c;
	}
	cf_norm(buf, k, out, cap);
	/* a zone written into the name: "StartTimeUTC", "start_utc", "GMT Start" */
	wl = strlen(out);
	if (wl > 3 && (!strcmp(out + wl - 3, "utc") || !strcmp(out + wl - 3, "gmt"))) {
		out[wl - 3] = '\0';
		*utc = 1;
	} else if (wl > 3 && (!strncmp(out, "utc", 3) || !strncmp(out, "gmt", 3))) {
		memmove(out, out + 3, wl - 2);
		*utc = 1;
	}
}

/* The name without a unit written as a word: "durationinseconds",
 * "talktimesec" -> "duration", "talktime". 0 when there is none. */
static int strip_unit(const char *w, char *out, size_t cap)
{
	static const char *const units[] = { "inseconds", "seconds", "insecs", "secs", "insec",
	                                     "sec", NULL };
	size_t wl = strlen(w);
	for (const char *const *u = units; *u; u++) {
		size_t ul = strlen(*u);
		if (wl > ul + 1 && !strcmp(w + wl - ul, *u) && wl - ul < cap) {
			memcpy(out, w, wl - ul);
			out[wl - ul] = '\0';
			return 1;
		}
	}
	return 0;
}

int cf_map_parse(cdrfmt_reader *r, const char *map, char *why, size_t n)
{
	char *p, *item, *save = NULL;
	int names = 0, numbers = 0;
	if (!(r->map_text = strdup(map))) {
		snprintf(why, n, "out of memory");
		return -1;
	}
	for (item = strtok_r(r->map_text, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		char fw[NORM], kw[NORM];
		int f;
		if (!(p = strchr(item, '='))) {
			snprintf(why, n, "--map: \"%s\" is not field=Column", item);
			return -1;
		}
		*p++ = '\0';
		while (*p == ' ')
			p++;
		size_t pl = strlen(p);
		while (pl && p[pl - 1] == ' ')
			p[--pl] = '\0';
		cf_norm(item, strlen(item), fw, sizeof fw);
		for (f = 0; f < CF_COUNT; f++) {
			cf_norm(field_names[f], strlen(field_names[f]), kw, sizeof kw);
			if (!strcmp(fw, kw))
				break;
		}
		if (f == CF_COUNT) {
			snprintf(why, n, "--map: unknown field \"%s\" (fields: call_id, start, answer, end, src, dst, "
			         "duration, billsec, disposition, cost, account, clid, billed, cnam, direction, linkedid, "
			         "sequence)", item);
			return -1;
		}
		if (!*p) {
			snprintf(why, n, "--map: no column named for %s", field_names[f]);
			return -1;
		}
		if (r->map_col[f] || r->map_num[f]) {
			snprintf(why, n, "--map: %s given twice", field_names[f]);
			return -1;
		}
		if (cf_is_uint(p, pl)) { /* a column number, 1-based */
			long v = strtol(p, NULL, 10);
			if (v < 1 || v > 4096) {
				snprintf(why, n, "--map %s=%s: column numbers start at 1 (at most 4096)", field_names[f], p);
				return -1;
			}
			r->map_num[f] = (int)v;
			numbers++;
		} else {
			r->map_col[f] = p;
			names++;
		}
	}
	if (numbers && !names) {
		/* every column by number: a file without a header */
		r->headerless = 1;
		r->max_col = -1;
		for (int f = 0; f < CF_COUNT; f++) {
			if (r->map_num[f])
				r->col[f] = r->map_num[f] - 1;
			if (r->col[f] > r->max_col)
				r->max_col = r->col[f];
		}
		if (r->col[CF_START] < 0)
			r->col[CF_START] = r->col[CF_ANSWER];
		if (r->col[CF_START] < 0 || r->col[CF_DST] < 0) {
			snprintf(why, n, "--map by column numbers needs start=N (or answer=N) and dst=N");
			return -1;
		}
	}
	return 0;
}

/* Column index whose name equals s (case-insensitive, blanks trimmed). */
static int find_named(const csvin_row *row, const char *s)
{
	size_t sl = strlen(s);
	for (int j = 0; j < row->nfields; j++) {
		const char *h = row->field[j];
		size_t hl = row->len[j];
		while (hl && *h == ' ')
			h++, hl--;
		while (hl && h[hl - 1] == ' ')
			hl--;
		if (hl == sl && !strncasecmp(h, s, sl))
			return j;
	}
	return -1;
}

static void list_names(const char *const *syn, char *buf, size_t n)
{
	size_t k = 0;
	buf[0] = '\0';
	for (; *syn && k + 2 < n; syn++)
		k += (size_t)snprintf(buf + k, n - k, "%s%s", k ? ", " : "", *syn);
}

/* A number in the disposition column reads by the column's name. */
static int disp_code_of(const char *w)
{
	if (strstr(w, "sip") || strstr(w, "response"))
		return CF_CODE_SIP;
	if (strstr(w, "cause") || strstr(w, "q850"))
		return CF_CODE_Q850;
	return CF_CODE_AUTO;
}

/* Find every field's column: --map names, then --map numbers, then the
 * synonyms (normalised names, then names without a unit word). utc[f] gets
 * 1 when the chosen column's name carries UTC/GMT; *code how the
 * disposition column's numbers read. 0, or -1 with why naming the missing
 * column. map_col/map_num may be NULL. */
static int resolve_columns(const csvin_row *row, const char *const *map_col, const int *map_num, int *col,
                           unsigned char *utc, int *code, char *why, size_t n)
{
	int nf = row->nfields, f, j, pass;
	char (*norm)[NORM] = malloc((size_t)(nf ? nf : 1) * sizeof *norm);
	char (*bare)[NORM] = malloc((size_t)(nf ? nf : 1) * sizeof *bare);
	unsigned char *taken = calloc((size_t)(nf ? nf : 1), 1);
	unsigned char *zone = calloc((size_t)(nf ? nf : 1), 1);
	int rc = -1;
	if (!norm || !bare || !taken || !zone) {
		snprintf(why, n, "out of memory");
		goto out;
	}
	for (j = 0; j < nf; j++) {
		int z;
		cf_norm_header(row->field[j], row->len[j], norm[j], NORM, &z);
		zone[j] = (unsigned char)z;
		if (!strip_unit(norm[j], bare[j], NORM))
			bare[j][0] = '\0';
	}
	for (f = 0; f < CF_COUNT; f++) {
		col[f] = -1;
		if (map_col && map_col[f]) {
			if ((col[f] = find_named(row, map_col[f])) < 0) {
				snprintf(why, n, "--map %s=%s: the header has no column \"%s\"", field_names[f],
				         map_col[f], map_col[f]);
				goto out;
			}
		} else if (map_num && map_num[f]) {
			if (map_num[f] > nf) {
				snprintf(why, n, "--map %s=%d: the header has %d columns", field_names[f], map_num[f], nf);
				goto out;
			}
			col[f] = map_num[f] - 1;
		}
		if (col[f] >= 0)
			taken[col[f]] = 1;
	}
	for (pass = 0; pass < 2; pass++)
		for (f = 0; f < CF_COUNT; f++) {
			if (col[f] >= 0)
				continue;
			if (pass && f != CF_DURATION && f != CF_BILLSEC && f != CF_BILLED)
				continue; /* a unit word only on durations: "answersec" is no answer time */
			for (const char *const *s = synonyms[f]; *s && col[f] < 0; s++)
				for (j = 0; j < nf; j++)
					if (!taken[j] && !strcmp(pass ? bare[j] : norm[j], *s)) {
						col[f] = j;
						taken[j] = 1;
						break;
					}
		}
	if (col[CF_START] < 0)
		col[CF_START] = col[CF_ANSWER]; /* a file with only an answer time */
	if (col[CF_START] < 0 || col[CF_DST] < 0) {
		char names[200];
		int miss = col[CF_START] < 0 ? CF_START : CF_DST;
		list_names(synonyms[miss], names, sizeof names);
		snprintf(why, n, "header has no %s column (looked for %s%s; or name one with --map %s=COLUMN)",
		         miss == CF_START ? "start time" : "destination", names,
		         miss == CF_START ? ", answer, answer_time" : "", field_names[miss]);
		goto out;
	}
	for (f = 0; f < CF_COUNT; f++)
		if (utc)
			utc[f] = col[f] >= 0 && zone[col[f]];
	if (code)
		*code = col[CF_DISP] >= 0 ? disp_code_of(norm[col[CF_DISP]]) : CF_CODE_AUTO;
	rc = 0;
out:
	free(norm);
	free(bare);
	free(taken);
	free(zone);
	return rc;
}

int cdrfmt_header_kind(const csvin_row *row, char *what, size_t whatlen)
{
	static const char *const msg[] = { "message", "messages", "body", "text", "messagetext", "messagebody",
		"sms", "mms", "segments", "segmentcount", "numsegments", "parts", "messageid", "msgid",
		"messagetype", "content", NULL };
	static const char *const call[] = { "duration", "billsec", "talktime", "calltime", "billableseconds",
		"billableduration", "callduration", "durationsec", "durationseconds", "hangupcause", "answertime",
		"answer", "answerstamp", "billedduration", "totalduration", NULL };
	int nm = 0, nc = 0, z;
	char w[NORM], mw[160] = "", cw[160] = "";
	size_t mk = 0, ck = 0;
	for (int j = 0; j < row->nfields; j++) {
		cf_norm_header(row->field[j], row->len[j], w, sizeof w, &z);
		for (const char *const *p = msg; *p; p++)
			if (!strcmp(w, *p) && mk + 2 < sizeof mw) {
				mk += (size_t)snprintf(mw + mk, sizeof mw - mk, "%s%.*s", nm++ ? ", " : "",
				                       (int)(row->len[j] > 40 ? 40 : row->len[j]), row->field[j]);
				break;
			}
		for (const char *const *p = call; *p; p++)
			if (!strcmp(w, *p) && ck + 2 < sizeof cw) {
				ck += (size_t)snprintf(cw + ck, sizeof cw - ck, "%s%.*s", nc++ ? ", " : "",
				                       (int)(row->len[j] > 40 ? 40 : row->len[j]), row->field[j]);
				break;
			}
	}
	if (whatlen)
		what[0] = '\0';
	if (nm && !nc) {
		snprintf(what, whatlen, "%s", mw);
		return CDRFMT_HDR_MESSAGES;
	}
	if (nc && !nm) {
		snprintf(what, whatlen, "%s", cw);
		return CDRFMT_HDR_CALLS;
	}
	return CDRFMT_HDR_UNKNOWN;
}

/* "a messages file" reason, or 0 when the header is not one. */
static int messages_file(const csvin_row *row, char *why, size_t n)
{
	char what[200];
	if (cdrfmt_header_kind(row, what, sizeof what) != CDRFMT_HDR_MESSAGES)
		return 0;
	snprintf(why, n, "a messages file (%.80s; no duration or talk time): use `billtop import mdr`", what);
	return 1;
}

void cf_probe_init(cf_probe *p, const csvin_row *row)
{
	int j, known = 0, col[CF_COUNT], nf = row->nfields, z;
	char w[NORM], reason[400];
	memset(p, 0, sizeof *p);
	p->row = row;
	p->nf = nf;
	for (j = 0; j < nf; j++)
		if (cf_is_time(row->field[j], row->len[j]))
			return; /* data, not a header */
	if (nf < 1 || !(p->norm = malloc((size_t)nf * sizeof *p->norm)))
		return;
	for (j = 0; j < nf; j++) {
		cf_norm_header(row->field[j], row->len[j], p->norm[j], NORM, &z);
		if (!strip_unit(p->norm[j], w, sizeof w))
			w[0] = '\0';
		for (int f = 0; f < CF_COUNT; f++)
			for (const char *const *s = synonyms[f]; *s; s++)
				if (!strcmp(p->norm[j], *s) || (!strcmp(w, *s) && (f == CF_DURATION || f == CF_BILLSEC)))
					known++;
	}
	if (messages_file(row, reason, sizeof reason)) {
		p->header = 1;
		snprintf(p->why, sizeof p->why, "%s", reason);
		return;
	}
	if (!known) { /* no column billtop knows: not a header */
		cf_probe_free(p);
		return;
	}
	p->header = 1;
	if (resolve_columns(row, NULL, NULL, col, NULL, NULL, reason, sizeof reason) != 0)
		snprintf(p->why, sizeof p->why, "%s", reason);
}

void cf_probe_free(cf_probe *p)
{
	free(p->norm);
	p->norm = NULL;
}

int cf_probe_count(const cf_probe *p, const char *w)
{
	int k = 0;
	if (!p->norm)
		return 0;
	for (int j = 0; j < p->nf; j++)
		k += !strcmp(p->norm[j], w);
	return k;
}

/* The UTC zone for the columns whose header names it. */
static int open_utc(cdrfmt_reader *r, char *why, size_t n)
{
	int any = 0;
	for (int f = 0; f < CF_COUNT; f++)
		any |= r->col_utc[f];
	if (any && !r->utc && !(r->utc = tz_open("UTC", why, n)))
		return -1;
	return 0;
}

/* Keep the header (names for messages, and to spot a repeated header). */
static int take_header(cdrfmt_reader *r, const csvin_row *row)
{
	size_t total = 0, k = 0;
	int j, nf = row->nfields;
	for (j = 0; j < nf; j++)
		total += row->len[j] + 1;
	r->hdr_text = malloc(total ? total : 1);
	r->hdr_off = malloc((size_t)(nf ? nf : 1) * sizeof *r->hdr_off);
	r->hdr_len = malloc((size_t)(nf ? nf : 1) * sizeof *r->hdr_len);
	if (!r->hdr_text || !r->hdr_off || !r->hdr_len) {
		snprintf(r->hdr_why, sizeof r->hdr_why, "out of memory");
		return -1;
	}
	for (j = 0; j < nf; j++) {
		memcpy(r->hdr_text + k, row->field[j], row->len[j]);
		r->hdr_text[k + row->len[j]] = '\0';
		r->hdr_off[j] = k;
		r->hdr_len[j] = row->len[j];
		k += row->len[j] + 1;
	}
	r->hdr_nf = nf;
	if (messages_file(row, r->hdr_why, sizeof r->hdr_why))
		return -1;
	if (resolve_columns(row, r->map_col, r->map_num, r->col, r->col_utc, &r->disp_code, r->hdr_why,
	                    sizeof r->hdr_why) != 0)
		return -1;
	return open_utc(r, r->hdr_why, sizeof r->hdr_why);
}

static int is_header_again(const cdrfmt_reader *r, const csvin_row *row)
{
	if (row->nfields != r->hdr_nf)
		return 0;
	for (int j = 0; j < row->nfields; j++)
		if (row->len[j] != r->hdr_len[j] || memcmp(row->field[j], r->hdr_text + r->hdr_off[j], row->len[j]))
			return 0;
	return 1;
}

/* An amount within -min_neg..CDR_AMOUNT_MAX (cdr.h); min_neg is
 * CDR_AMOUNT_MAX for a cost, 0 for a fee. Empty: 0 and *has = 0. */
static int money_field(const csvin_row *row, int i, const char *name, money_t min_neg, money_t *out,
                       int *has, char *why, size_t n)
{
	int st = money_parse(row->field[i], row->len[i], out);
	if (st == MONEY_EEMPTY) {
		*out = 0;
		*has = 0;
		return 0;
	}
	if (st != MONEY_OK) {
		char what[80];
		snprintf(what, sizeof what, "bad amount (%s)", money_strerror(st));
		return cf_bad(why, n, i, name, what, row->field[i], row->len[i]);
	}
	if (*out > CDR_AMOUNT_MAX || *out < -min_neg)
		return cf_bad(why, n, i, name, min_neg ? "amount out of range (at most 1000000 either way)"
		                                       : "fee out of range (0 to 1000000)",
		              row->field[i], row->len[i]);
	*has = 1;
	return 0;
}

#define TRY(x) do { int t_ = (x); if (t_) return t_; } while (0)

/* The name of column j (field f) for messages: the header's, else the
 * layout's (asterisk-db), else the --map field name. */
static const char *cname(const cdrfmt_reader *r, const cf_headed_rules *rules, int j, int f)
{
	if (r->hdr_text && j < r->hdr_nf)
		return r->hdr_text + r->hdr_off[j];
	if (rules->layout_name && !r->map_num[f])
		return rules->layout_name(j);
	return field_names[f];
}

/* The first row of a headerless reader: a header line when its start
 * field holds no digit (a name such as "calldate", not a time). */
static int first_row_is_header(const cdrfmt_reader *r, const csvin_row *row)
{
	int c = r->col[CF_START];
	if (c >= row->nfields)
		return 0;
	for (size_t k = 0; k < row->len[c]; k++)
		if (row->field[c][k] >= '0' && row->field[c][k] <= '9')
			return 0;
	return row->len[c] > 0;
}

int cf_headed_row(cdrfmt_reader *r, const cf_headed_rules *rules, const csvin_row *row, cdr_rec *out,
                  char *why, size_t n)
{
	const int *c = r->col;
	char *const *f = row->field;
	const size_t *len = row->len;
	int j, answered, known, has;
#define NAME(x) cname(r, rules, c[x], x)
#define ZONE(x) (r->col_utc[x] ? r->utc : NULL)

	if (r->headerless) {
		if (!r->header_seen) {
			r->header_seen = 1;
			if (first_row_is_header(r, row))
				return CDRFMT_HEADER;
		}
		if (row->nfields <= r->max_col) {
			snprintf(why, n, "expected at least %d fields (the highest column mapped), got %d", r->max_col + 1,
			         row->nfields);
			return CDRFMT_EBAD;
		}
	} else {
		if (!r->header_seen) {
			r->header_seen = 1;
			if (take_header(r, row) != 0) {
				r->header_bad = 1;
				snprintf(why, n, "%s", r->hdr_why);
				return CDRFMT_EBAD;
			}
			return CDRFMT_HEADER;
		}
		if (r->header_bad) {
			snprintf(why, n, "no usable header: %s", r->hdr_why);
			return CDRFMT_EBAD;
		}
		if (is_header_again(r, row))
			return CDRFMT_HEADER;
		if (row->nfields != r->hdr_nf) {
			snprintf(why, n, "expected %d fields (as in the header), got %d", r->hdr_nf, row->nfields);
			return CDRFMT_EBAD;
		}
	}
	static const int text_fields[] = { CF_CALLID, CF_SRC, CF_DST, CF_DISP, CF_ACCOUNT, CF_DIRECTION,
	                                   CF_LINKEDID, CF_SEQUENCE };
	for (j = 0; j < (int)(sizeof text_fields / sizeof text_fields[0]); j++)
		if (c[text_fields[j]] >= 0)
			TRY(cf_text(row, c[text_fields[j]], NAME(text_fields[j]), why, n));
	if (c[CF_CLID] >= 0)
		TRY(cf_bytes(row, c[CF_CLID], NAME(CF_CLID), why, n));

	TRY(cf_time_in(r, ZONE(CF_START), row, c[CF_START], NAME(CF_START), 0, 1, &out->start, why, n));
	if (c[CF_ANSWER] >= 0)
		TRY(cf_time_in(r, ZONE(CF_ANSWER), row, c[CF_ANSWER], NAME(CF_ANSWER), 1, 1, &out->answer, why, n));
	if (c[CF_END] >= 0)
		TRY(cf_time_in(r, ZONE(CF_END), row, c[CF_END], NAME(CF_END), 1, 1, &out->end, why, n));

	if (c[CF_DURATION] >= 0)
		TRY(cf_dec_ms(row, c[CF_DURATION], NAME(CF_DURATION), 1, &out->duration_ms, why, n));
	else if (out->end != TM_NONE && out->end > out->start)
		out->duration_ms = (out->end - out->start) * 1000;
	if (c[CF_BILLSEC] >= 0)
		TRY(cf_dec_ms(row, c[CF_BILLSEC], NAME(CF_BILLSEC), 1, &out->billsec_ms, why, n));
	else if (c[CF_ANSWER] >= 0 && c[CF_ANSWER] != c[CF_START])
		out->billsec_ms = out->answer != TM_NONE && out->end != TM_NONE && out->end > out->answer
		                  ? (out->end - out->answer) * 1000 : 0;
	else
		out->billsec_ms = out->duration_ms;
	if (c[CF_BILLED] >= 0 && len[c[CF_BILLED]]) {
		int64_t ms;
		TRY(cf_dec_ms(row, c[CF_BILLED], NAME(CF_BILLED), 0, &ms, why, n));
		if (ms % 1000)
			return cf_bad(why, n, c[CF_BILLED], NAME(CF_BILLED), "not whole seconds", f[c[CF_BILLED]],
			              len[c[CF_BILLED]]);
		out->their_billed_secs = ms / 1000;
	}
	if (c[CF_COST] >= 0)
		TRY(money_field(row, c[CF_COST], NAME(CF_COST), CDR_AMOUNT_MAX, &out->their_cost,
		                &out->has_their_cost, why, n));
	if (c[CF_CNAM] >= 0)
		TRY(money_field(row, c[CF_CNAM], NAME(CF_CNAM), 0, &out->cnam_fee, &has, why, n));

	/* Connected (README "Dispositions"): an answered outcome with billsec > 0
	 * is connected; a
	 * busy, no-answer, congestion or failure outcome is not; an empty or
	 * unknown disposition, and no disposition column, follow billsec > 0.
	 * NORMAL_CLEARING / 16 is answered when billsec > 0. */
	if (c[CF_DISP] >= 0) {
		out->disposition_text = f[c[CF_DISP]];
		out->disposition = cf_disposition_as(f[c[CF_DISP]], len[c[CF_DISP]], out->billsec_ms, r->disp_code,
		                                     &answered, &known);
		/* an answered outcome with no talk time (billsec 0) is not a
		 * connected call, as in Asterisk's own rule (ANSWERED, billsec > 0),
		 * unless the rules say an answered outcome is connected (Flowroute) */
		out->connected = known ? answered && (out->billsec_ms > 0 || rules->answered_connects)
		                       : out->billsec_ms > 0;
		if (!known && out->connected)
			out->disposition = DISP_ANSWERED;
	} else {
		out->connected = out->billsec_ms > 0;
		out->disposition = out->connected ? DISP_ANSWERED : DISP_OTHER;
	}
	if (rules->answer_is_start && out->connected && c[CF_ANSWER] < 0)
		out->answer = out->start;

	if (c[CF_SRC] >= 0)
		out->src = f[c[CF_SRC]];
	out->dst = f[c[CF_DST]];
	if (c[CF_CLID] >= 0)
		out->clid = f[c[CF_CLID]];
	if (c[CF_ACCOUNT] >= 0)
		out->account = f[c[CF_ACCOUNT]];
	if (c[CF_DIRECTION] >= 0) {
		const char *d = cdrfmt_direction(f[c[CF_DIRECTION]], len[c[CF_DIRECTION]]);
		if (d)
			out->direction = d;
	}
	if (rules->finish)
		return rules->finish(r, row, out, why, n);
	/* Records and calls (README "Multi-row calls"): two rows are the same
	 * record only when they have the same id and the same content
	 * (id/digest; a digest of the row when there is no id). Rows sharing an
	 * id are one call: call_key = linkedid, else the id, so one leg is
	 * billed (generic, flowroute), unless the rules bill every row
	 * (grandstream: call_key ""). */
	int has_id = c[CF_CALLID] >= 0 && len[c[CF_CALLID]];
	out->record_id = has_id ? cf_id_digest(r, f[c[CF_CALLID]], len[c[CF_CALLID]], row) : cf_digest(r, row);
	if (!out->record_id) {
		snprintf(why, n, "out of memory");
		return CDRFMT_EBAD;
	}
	if (rules->bill_every_row)
		out->call_key = "";
	else if (c[CF_LINKEDID] >= 0 && len[c[CF_LINKEDID]])
		out->call_key = f[c[CF_LINKEDID]];
	else if (has_id)
		out->call_key = f[c[CF_CALLID]];
	return CDRFMT_RECORD;
#undef NAME
#undef ZONE
}

/* What each canonical field feeds, in CF_* order (--dry-run). */
static const char *const cf_label[CF_COUNT] = {
	"call_id (record id)", "start", "answer", "end", "src", "dst", "duration", "billsec",
	"disposition", "cost (their charge)", "account", "clid", "billed (their billed secs)",
	"cnam (CNAM fee)", "direction", "linkedid (call key)", "sequence (record id)"
};

void cf_describe_headed(const cdrfmt_reader *r, int nfields, cf_sbuf *b)
{
	(void)nfields;
	if (!r->header_seen || !r->hdr_text) {
		cf_put(b, "  (no header read)\n");
		return;
	}
	for (int i = 0; i < r->hdr_nf; i++) {
		const char *name = r->hdr_text + r->hdr_off[i];
		int f = -1;
		for (int c = 0; c < CF_COUNT; c++)
			if (r->col[c] == i) {
				f = c;
				break;
			}
		if (f >= 0)
			cf_put(b, "  %2d %-20.60s -> %s%s\n", i + 1, name, cf_label[f], r->map_col[f] ? " (--map)" : "");
		else
			cf_put(b, "  %2d %-20.60s (ignored)\n", i + 1, name);
	}
	for (int c = 0; c < CF_COUNT; c++)
		if (r->col[c] < 0 && (c == CF_CALLID || c == CF_DURATION || c == CF_BILLSEC || c == CF_DISP
		                      || c == CF_ACCOUNT || c == CF_ANSWER))
			cf_put(b, "     no column for %s\n", cf_label[c]);
}
