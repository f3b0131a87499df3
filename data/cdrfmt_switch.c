/* cdrfmt_switch.c: headerless switch layouts.
 *
 * Asterisk cdr_csv (Master.csv): 16 fixed columns, then optional uniqueid
 * and userfield (loguniqueid, loguserfield), then peeraccount, linkedid,
 * sequence (newcdrcolumns). The field count says which are there:
 *   16: none   17: uniqueid   18: uniqueid userfield   19: peeraccount linkedid
 *   sequence   20: uniqueid + the three   21: all five.
 * (17 could also be userfield alone; uniqueid is by far the common setting.)
 *   record_id = uniqueid/sequence, else uniqueid/digest-of-the-row (several
 *               distinct rows share a uniqueid when there is no sequence:
 *               forked CDRs; each is kept, identical re-imports dedupe),
 *               else a digest of the row
 *   call_key  = linkedid, else uniqueid, else ""  (one billed leg per key)
 *   connected = disposition ANSWERED and billsec > 0 ("NO ANSWER" legs with
 *               billsec > 0 exist in real files and are not connected).
 *
 * Asterisk cdr_custom as in KelySaina's Master.csv (19 columns, numbers
 * quoted, sequence last; 18 = without sequence): clid, src, dst, dcontext,
 * channel, dstchannel, lastapp, lastdata, start, answer, end, duration,
 * billsec, disposition, amaflags, accountcode, uniqueid, userfield, sequence.
 * Same rules as cdr_csv; call_key = uniqueid (the layout has no linkedid).
 *
 * FreeSWITCH mod_cdr_csv "example" template (15 columns): caller_id_name,
 * caller_id_number, destination_number, context, start_stamp, answer_stamp,
 * end_stamp, duration, billsec, hangup_cause, uuid, bleg_uuid, accountcode,
 * read_codec, write_codec.
 *   record_id = uuid/digest-of-the-row; call_key = uuid: a call written
 *               twice with different hangup causes is kept twice but billed
 *               once (identical rows dedupe)
 *   connected = billsec > 0 or a non-empty answer_stamp (NORMAL_CLEARING
 *               alone does not mean answered)
 *   disposition from hangup_cause: NORMAL_CLEARING -> ANSWERED when
 *   connected, else OTHER; USER_BUSY -> BUSY; NO_ANSWER, NO_USER_RESPONSE,
 *   ORIGINATOR_CANCEL -> NO ANSWER; *CONGESTION -> CONGESTION; any other
 *   cause -> ANSWERED when the call was connected (it was answered and
 *   ended for that reason, e.g. RECOVERY_ON_TIMER_EXPIRE after 32 s of
 *   talk), else FAILED. A USER_BUSY row with billsec > 0 stays BUSY but is
 *   connected: the README's rule for "connected" wins for billing. */
#include "cdrfmt_int.h"

#include <stdio.h>
#include <string.h>

typedef struct {
	int account, src, dst, clid, start, answer, end, dur, bill, disp;
	int uid, link, seq; /* -1 when the layout lacks them */
	const char *names[21];
} layout;

static const char *const ast_fixed[16] = {
	"accountcode", "src", "dst", "dcontext", "clid", "channel", "dstchannel", "lastapp",
	"lastdata", "start", "answer", "end", "duration", "billsec", "disposition", "amaflags"
};

static const layout custom_layout = {
	15, 1, 2, 0, 8, 9, 10, 11, 12, 13, 16, -1, 18,
	{ "clid", "src", "dst", "dcontext", "channel", "dstchannel", "lastapp", "lastdata", "start",
	  "answer", "end", "duration", "billsec", "disposition", "amaflags", "accountcode", "uniqueid",
	  "userfield", "sequence" }
};

#define TRY(x) do { int t_ = (x); if (t_) return t_; } while (0)

/* Map a row of an Asterisk-like layout (cdr_csv or cdr_custom). */
static int map_asterisk(cdrfmt_reader *r, const csvin_row *row, const layout *L, cdr_rec *out,
                        char *why, size_t n)
{
	char *const *f = row->field;
	const size_t *len = row->len;
	int answered, known;

	TRY(cf_text(row, L->account, L->names[L->account], why, n));
	TRY(cf_text(row, L->src, L->names[L->src], why, n));
	TRY(cf_text(row, L->dst, L->names[L->dst], why, n));
	TRY(cf_bytes(row, L->clid, L->names[L->clid], why, n));
	TRY(cf_text(row, L->disp, L->names[L->disp], why, n));
	TRY(cf_time(r, row, L->start, L->names[L->start], 0, 0, &out->start, why, n));
	TRY(cf_time(r, row, L->answer, L->names[L->answer], 1, 0, &out->answer, why, n));
	TRY(cf_time(r, row, L->end, L->names[L->end], 1, 0, &out->end, why, n));
	TRY(cf_secs(row, L->dur, L->names[L->dur], &out->duration_ms, why, n));
	TRY(cf_secs(row, L->bill, L->names[L->bill], &out->billsec_ms, why, n));
	if (L->uid >= 0)
		TRY(cf_text(row, L->uid, L->names[L->uid], why, n));
	if (L->link >= 0)
		TRY(cf_text(row, L->link, L->names[L->link], why, n));
	if (L->seq >= 0 && len[L->seq] && !cf_is_uint(f[L->seq], len[L->seq]))
		return cf_bad(why, n, L->seq, L->names[L->seq], "bad number", f[L->seq], len[L->seq]);

	out->account = f[L->account];
	out->src = f[L->src];
	out->dst = f[L->dst];
	out->clid = f[L->clid];
	out->disposition_text = f[L->disp];
	out->disposition = cf_disposition(f[L->disp], len[L->disp], out->billsec_ms, &answered, &known);
	/* cdr_csv's own words only: "ANSWERED" is answered, nothing else is */
	out->connected = out->disposition == DISP_ANSWERED && out->billsec_ms > 0;

	int has_uid = L->uid >= 0 && len[L->uid] > 0;
	int has_seq = L->seq >= 0 && len[L->seq] > 0;
	if (has_uid && has_seq)
		out->record_id = cf_join_id(r, f[L->uid], len[L->uid], f[L->seq], len[L->seq]);
	else if (has_uid)
		out->record_id = cf_id_digest(r, f[L->uid], len[L->uid], row);
	else
		out->record_id = cf_digest(r, row);
	if (!out->record_id) {
		snprintf(why, n, "out of memory");
		return CDRFMT_EBAD;
	}
	if (L->link >= 0 && len[L->link])
		out->call_key = f[L->link];
	else if (has_uid)
		out->call_key = f[L->uid];
	return CDRFMT_RECORD;
}

int cf_asterisk_row(cdrfmt_reader *r, const csvin_row *row, cdr_rec *out, char *why, size_t n)
{
	int nf = row->nfields, i;
	layout L;
	if (nf < 16 || nf > 21) {
		snprintf(why, n, "expected 16 to 21 fields, got %d", nf);
		return CDRFMT_EBAD;
	}
	L.account = 0, L.src = 1, L.dst = 2, L.clid = 4, L.start = 9, L.answer = 10, L.end = 11;
	L.dur = 12, L.bill = 13, L.disp = 14;
	for (i = 0; i < 16; i++)
		L.names[i] = ast_fixed[i];
	L.uid = (nf == 17 || nf == 18 || nf == 20 || nf == 21) ? 16 : -1;
	L.link = nf >= 19 ? nf - 2 : -1;
	L.seq = nf >= 19 ? nf - 1 : -1;
	if (L.uid >= 0)
		L.names[16] = "uniqueid";
	if (nf == 18 || nf == 21)
		L.names[17] = "userfield";
	if (nf >= 19) {
		L.names[nf - 3] = "peeraccount";
		L.names[nf - 2] = "linkedid";
		L.names[nf - 1] = "sequence";
	}
	return map_asterisk(r, row, &L, out, why, n);
}

int cf_custom_row(cdrfmt_reader *r, const csvin_row *row, cdr_rec *out, char *why, size_t n)
{
	layout L = custom_layout;
	if (row->nfields != 18 && row->nfields != 19) {
		snprintf(why, n, "expected 19 fields (18 without sequence), got %d", row->nfields);
		return CDRFMT_EBAD;
	}
	if (row->nfields == 18)
		L.seq = -1;
	return map_asterisk(r, row, &L, out, why, n);
}

static const char *const fs_names[15] = {
	"caller_id_name", "caller_id_number", "destination_number", "context", "start_stamp",
	"answer_stamp", "end_stamp", "duration", "billsec", "hangup_cause", "uuid", "bleg_uuid",
	"accountcode", "read_codec", "write_codec"
};

int cf_freeswitch_row(cdrfmt_reader *r, const csvin_row *row, cdr_rec *out, char *why, size_t n)
{
	char *const *f = row->field;
	const size_t *len = row->len;
	int answered, known;
	if (row->nfields != 15) {
		snprintf(why, n, "expected 15 fields, got %d", row->nfields);
		return CDRFMT_EBAD;
	}
	TRY(cf_bytes(row, 0, fs_names[0], why, n));
	TRY(cf_text(row, 1, fs_names[1], why, n));
	TRY(cf_text(row, 2, fs_names[2], why, n));
	TRY(cf_time(r, row, 4, fs_names[4], 0, 0, &out->start, why, n));
	TRY(cf_time(r, row, 5, fs_names[5], 1, 0, &out->answer, why, n));
	TRY(cf_time(r, row, 6, fs_names[6], 1, 0, &out->end, why, n));
	TRY(cf_secs(row, 7, fs_names[7], &out->duration_ms, why, n));
	TRY(cf_secs(row, 8, fs_names[8], &out->billsec_ms, why, n));
	TRY(cf_text(row, 9, fs_names[9], why, n));
	TRY(cf_text(row, 10, fs_names[10], why, n));
	if (len[10] == 0)
		return cf_bad(why, n, 10, fs_names[10], "empty, the call's id is required", NULL, 0);
	TRY(cf_text(row, 12, fs_names[12], why, n));

	out->clid = f[0];
	out->src = f[1];
	out->dst = f[2];
	out->account = f[12];
	out->record_id = cf_id_digest(r, f[10], len[10], row);
	out->call_key = f[10];
	if (!out->record_id)
		return cf_bad(why, n, 10, fs_names[10], "out of memory", NULL, 0);
	out->disposition_text = f[9];
	out->connected = out->billsec_ms > 0 || out->answer != TM_NONE;
	out->disposition = cf_disposition(f[9], len[9], out->billsec_ms, &answered, &known);
	char w[24];
	cf_norm(f[9], len[9], w, sizeof w);
	if (!strcmp(w, "normalclearing"))
		out->disposition = out->connected ? DISP_ANSWERED : DISP_OTHER;
	else if (!known || out->disposition == DISP_FAILED)
		out->disposition = out->connected ? DISP_ANSWERED : DISP_FAILED;
	return CDRFMT_RECORD;
}

cdrfmt_kind cf_switch_classify(const csvin_row *row)
{
	int nf = row->nfields;
	char *const *f = row->field;
	const size_t *len = row->len;
	if (nf >= 16 && nf <= 21 && cf_is_time(f[9], len[9]) && cf_is_uint(f[12], len[12]) &&
	    cf_is_uint(f[13], len[13]))
		return CDRFMT_ASTERISK;
	if ((nf == 18 || nf == 19) && cf_is_time(f[8], len[8]) && cf_is_uint(f[11], len[11]) &&
	    cf_is_uint(f[12], len[12]) && !cf_is_time(f[0], len[0]))
		return CDRFMT_ASTERISK_CUSTOM;
	if (nf == 15 && cf_is_time(f[4], len[4]) && cf_is_uuid(f[10], len[10]))
		return CDRFMT_FREESWITCH;
	return CDRFMT_AUTO;
}
