/* cdrfmt_headed.c: CSV files with a header row: Flowroute's CDR export and
 * "generic" (any header).
 *
 * Columns are found by name: the header names are compared lower-cased with
 * everything but letters and digits dropped ("Call ID", "call_id" and
 * "CallID" are all "callid"), against the synonym lists below in priority
 * order; --map "field=Column,..." names a column outright (case-insensitive,
 * exact) and takes it away from the synonym search. A header must give a
 * start time (an answer-time column serves when there is no start column)
 * and a destination; otherwise the file is refused naming the missing one.
 *
 * Per row:
 *  - record_id = the call-id column when present and non-empty, else a digest
 *    of the row's fields (Flowroute has no call id), so re-imports dedupe.
 *  - call_key = "" (no legs).
 *  - duration: the duration column ("9.1" -> 9100 ms exactly; "0:01:05"),
 *    else end - start, else 0. billsec: the billsec column, else end - answer
 *    when there is an answer column (empty answer -> 0), else the duration.
 *  - connected: with a disposition column, an answered-like value (answered,
 *    completed, ok, success, NORMAL_CLEARING with billsec > 0); without one,
 *    billsec > 0.
 *  - Flowroute: duration is the connected time (end - start), so the answer
 *    time of a completed call is its start; billed_duration -> their_billed_secs,
 *    total_cost -> their_cost, cnam_lookup_fee -> cnam_fee, direction
 *    lower-cased.
 *  - A second copy of the header row (concatenated exports) is CDRFMT_HEADER. */
#include "cdrfmt_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const syn_callid[] = { "callid", "uniqueid", "uuid", "id", "cdrid", "recordid", NULL };
static const char *const syn_start[] = { "start", "starttime", "startstamp", "calldate", "callstart",
	"callstarttime", "startdate", "startdatetime", "datetime", "date", "time", "timestamp", NULL };
static const char *const syn_answer[] = { "answer", "answertime", "answerstamp", "answerdate",
	"connecttime", NULL };
static const char *const syn_end[] = { "end", "endtime", "endstamp", "enddate", "callend", "hanguptime",
	"stoptime", NULL };
static const char *const syn_src[] = { "src", "source", "ani", "calling", "callingnumber", "caller",
	"callernumber", "callerid", "from", "fromnumber", "cli", "srcnumber", NULL };
static const char *const syn_dst[] = { "dst", "destination", "dnis", "called", "callednumber", "to",
	"tonumber", "dialed", "dialednumber", "destinationnumber", "dstnumber", NULL };
static const char *const syn_duration[] = { "duration", "seconds", "durationsec", "durationseconds",
	"totalduration", "calllength", "length", NULL };
static const char *const syn_billsec[] = { "billsec", "billable", "billableseconds", "billablesec",
	"billableduration", "talktime", NULL };
static const char *const syn_disp[] = { "disposition", "status", "result", "hangupcause", "callstatus",
	"outcome", NULL };
static const char *const syn_cost[] = { "cost", "charge", "amount", "price", "totalcost", "totalcharge", NULL };
static const char *const syn_account[] = { "account", "accountcode", "customer", "accountid",
	"customerid", NULL };
static const char *const syn_clid[] = { "clid", "callername", "calleridname", NULL };
static const char *const syn_billed[] = { "billedduration", "billedseconds", "billedsec", "billed", NULL };
static const char *const syn_cnam[] = { "cnamlookupfee", "cnamfee", NULL };
static const char *const syn_dir[] = { "direction", NULL };

static const char *const *const synonyms[CF_COUNT] = {
	syn_callid, syn_start, syn_answer, syn_end, syn_src, syn_dst, syn_duration, syn_billsec,
	syn_disp, syn_cost, syn_account, syn_clid, syn_billed, syn_cnam, syn_dir
};

/* --map field names, in CF_* order. */
static const char *const field_names[CF_COUNT] = {
	"call_id", "start", "answer", "end", "src", "dst", "duration", "billsec",
	"disposition", "cost", "account", "clid", "billed", "cnam", "direction"
};

#define NORM 48

int cf_map_parse(cdrfmt_reader *r, const char *map, char *why, size_t n)
{
	char *p, *item, *save = NULL;
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
			         "duration, billsec, disposition, cost, account, clid, billed, cnam, direction)", item);
			return -1;
		}
		if (!*p) {
			snprintf(why, n, "--map: no column named for %s", field_names[f]);
			return -1;
		}
		if (r->map_col[f]) {
			snprintf(why, n, "--map: %s given twice", field_names[f]);
			return -1;
		}
		r->map_col[f] = p;
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

/* Find every field's column. 0, or -1 with why naming the missing column. */
static int resolve_columns(const csvin_row *row, const char *const *map_col, int *col, char *why, size_t n)
{
	int nf = row->nfields, f, j;
	char (*norm)[NORM] = malloc((size_t)(nf ? nf : 1) * sizeof *norm);
	unsigned char *taken = calloc((size_t)(nf ? nf : 1), 1);
	int rc = -1;
	if (!norm || !taken) {
		snprintf(why, n, "out of memory");
		goto out;
	}
	for (j = 0; j < nf; j++)
		cf_norm(row->field[j], row->len[j], norm[j], NORM);
	for (f = 0; f < CF_COUNT; f++) {
		col[f] = -1;
		if (map_col && map_col[f]) {
			if ((col[f] = find_named(row, map_col[f])) < 0) {
				snprintf(why, n, "--map %s=%s: the header has no column \"%s\"", field_names[f],
				         map_col[f], map_col[f]);
				goto out;
			}
			taken[col[f]] = 1;
		}
	}
	for (f = 0; f < CF_COUNT; f++) {
		if (col[f] >= 0)
			continue;
		for (const char *const *s = synonyms[f]; *s && col[f] < 0; s++)
			for (j = 0; j < nf; j++)
				if (!taken[j] && !strcmp(norm[j], *s)) {
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
	rc = 0;
out:
	free(norm);
	free(taken);
	return rc;
}

int cf_headed_classify(const csvin_row *row, char *why, size_t n)
{
	int j, known = 0, col[CF_COUNT];
	char w[NORM];
	int fr = 0;
	for (j = 0; j < row->nfields; j++) {
		if (cf_is_time(row->field[j], row->len[j]))
			return -1;
		cf_norm(row->field[j], row->len[j], w, sizeof w);
		for (int f = 0; f < CF_COUNT; f++)
			for (const char *const *s = synonyms[f]; *s; s++)
				if (!strcmp(w, *s))
					known++;
		if (!strcmp(w, "starttime") || !strcmp(w, "billedduration") || !strcmp(w, "totalcost") ||
		    !strcmp(w, "result") || !strcmp(w, "cnamlookupfee"))
			fr++;
	}
	if (!known)
		return -1;
	char reason[400];
	if (resolve_columns(row, NULL, col, reason, sizeof reason) != 0) {
		snprintf(why, n, "line %lld: %s", (long long)row->line, reason);
		return CDRFMT_AUTO;
	}
	return fr >= 4 ? CDRFMT_FLOWROUTE : CDRFMT_GENERIC;
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
	return resolve_columns(row, r->map_col, r->col, r->hdr_why, sizeof r->hdr_why);
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

int cf_headed_row(cdrfmt_reader *r, const csvin_row *row, cdr_rec *out, char *why, size_t n)
{
	const int *c = r->col;
	char *const *f = row->field;
	const size_t *len = row->len;
	int j, answered, known, has;
#define NAME(i) (r->hdr_text + r->hdr_off[i])

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
	static const int text_fields[] = { CF_CALLID, CF_SRC, CF_DST, CF_DISP, CF_ACCOUNT, CF_DIRECTION };
	for (j = 0; j < (int)(sizeof text_fields / sizeof text_fields[0]); j++)
		if (c[text_fields[j]] >= 0)
			TRY(cf_text(row, c[text_fields[j]], NAME(c[text_fields[j]]), why, n));
	if (c[CF_CLID] >= 0)
		TRY(cf_bytes(row, c[CF_CLID], NAME(c[CF_CLID]), why, n));

	TRY(cf_time(r, row, c[CF_START], NAME(c[CF_START]), 0, 1, &out->start, why, n));
	if (c[CF_ANSWER] >= 0)
		TRY(cf_time(r, row, c[CF_ANSWER], NAME(c[CF_ANSWER]), 1, 1, &out->answer, why, n));
	if (c[CF_END] >= 0)
		TRY(cf_time(r, row, c[CF_END], NAME(c[CF_END]), 1, 1, &out->end, why, n));

	if (c[CF_DURATION] >= 0)
		TRY(cf_dec_ms(row, c[CF_DURATION], NAME(c[CF_DURATION]), 1, &out->duration_ms, why, n));
	else if (out->end != TM_NONE && out->end > out->start)
		out->duration_ms = (out->end - out->start) * 1000;
	if (c[CF_BILLSEC] >= 0)
		TRY(cf_dec_ms(row, c[CF_BILLSEC], NAME(c[CF_BILLSEC]), 1, &out->billsec_ms, why, n));
	else if (c[CF_ANSWER] >= 0 && c[CF_ANSWER] != c[CF_START])
		out->billsec_ms = out->answer != TM_NONE && out->end != TM_NONE && out->end > out->answer
		                  ? (out->end - out->answer) * 1000 : 0;
	else
		out->billsec_ms = out->duration_ms;
	if (c[CF_BILLED] >= 0 && len[c[CF_BILLED]]) {
		int64_t ms;
		TRY(cf_dec_ms(row, c[CF_BILLED], NAME(c[CF_BILLED]), 0, &ms, why, n));
		if (ms % 1000)
			return cf_bad(why, n, c[CF_BILLED], NAME(c[CF_BILLED]), "not whole seconds", f[c[CF_BILLED]],
			              len[c[CF_BILLED]]);
		out->their_billed_secs = ms / 1000;
	}
	if (c[CF_COST] >= 0)
		TRY(money_field(row, c[CF_COST], NAME(c[CF_COST]), CDR_AMOUNT_MAX, &out->their_cost,
		                &out->has_their_cost, why, n));
	if (c[CF_CNAM] >= 0)
		TRY(money_field(row, c[CF_CNAM], NAME(c[CF_CNAM]), 0, &out->cnam_fee, &has, why, n));

	if (c[CF_DISP] >= 0) {
		out->disposition_text = f[c[CF_DISP]];
		out->disposition = cf_disposition(f[c[CF_DISP]], len[c[CF_DISP]], out->billsec_ms, &answered, &known);
		out->connected = answered;
	} else {
		out->connected = out->billsec_ms > 0;
		out->disposition = out->connected ? DISP_ANSWERED : DISP_OTHER;
	}
	if (r->kind == CDRFMT_FLOWROUTE && out->connected && c[CF_ANSWER] < 0)
		out->answer = out->start;

	if (c[CF_SRC] >= 0)
		out->src = f[c[CF_SRC]];
	out->dst = f[c[CF_DST]];
	if (c[CF_CLID] >= 0)
		out->clid = f[c[CF_CLID]];
	if (c[CF_ACCOUNT] >= 0)
		out->account = f[c[CF_ACCOUNT]];
	if (c[CF_DIRECTION] >= 0) {
		char w[NORM];
		cf_norm(f[c[CF_DIRECTION]], len[c[CF_DIRECTION]], w, sizeof w);
		if (!strcmp(w, "inbound") || !strcmp(w, "in") || !strcmp(w, "incoming"))
			out->direction = "inbound";
		else if (!strcmp(w, "outbound") || !strcmp(w, "out") || !strcmp(w, "outgoing"))
			out->direction = "outbound";
	}
	if (c[CF_CALLID] >= 0 && len[c[CF_CALLID]])
		out->record_id = f[c[CF_CALLID]];
	else if (!(out->record_id = cf_digest(r, row))) {
		snprintf(why, n, "out of memory");
		return CDRFMT_EBAD;
	}
	return CDRFMT_RECORD;
#undef NAME
}
