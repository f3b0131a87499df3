/* cdrfmt_freeswitch.c: format "freeswitch": FreeSWITCH mod_cdr_csv, no header.
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
 *   connected: the README's rule for "connected" wins for billing.
 * Recognised by 15 fields, a time in field 5 and a uuid in field 11. */
#include "cdrfmt_switch.h"

#include <stdio.h>
#include <string.h>

static const char *const fs_names[15] = {
	"caller_id_name", "caller_id_number", "destination_number", "context", "start_stamp",
	"answer_stamp", "end_stamp", "duration", "billsec", "hangup_cause", "uuid", "bleg_uuid",
	"accountcode", "read_codec", "write_codec"
};

static int freeswitch_row(cdrfmt_reader *r, const csvin_row *row, cdr_rec *out, char *why, size_t n)
{
	char *const *f = row->field;
	const size_t *len = row->len;
	int answered, known;
	if (row->nfields != 15) {
		snprintf(why, n, "expected 15 fields, got %d", row->nfields);
		return CDRFMT_EBAD;
	}
	CF_TRY(cf_bytes(row, 0, fs_names[0], why, n));
	CF_TRY(cf_text(row, 1, fs_names[1], why, n));
	CF_TRY(cf_text(row, 2, fs_names[2], why, n));
	CF_TRY(cf_time(r, row, 4, fs_names[4], 0, 0, &out->start, why, n));
	CF_TRY(cf_time(r, row, 5, fs_names[5], 1, 0, &out->answer, why, n));
	CF_TRY(cf_time(r, row, 6, fs_names[6], 1, 0, &out->end, why, n));
	CF_TRY(cf_secs(row, 7, fs_names[7], &out->duration_ms, why, n));
	CF_TRY(cf_secs(row, 8, fs_names[8], &out->billsec_ms, why, n));
	CF_TRY(cf_text(row, 9, fs_names[9], why, n));
	CF_TRY(cf_text(row, 10, fs_names[10], why, n));
	if (len[10] == 0)
		return cf_bad(why, n, 10, fs_names[10], "empty, the call's id is required", NULL, 0);
	CF_TRY(cf_text(row, 12, fs_names[12], why, n));

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

static int freeswitch_classify(const cf_probe *p)
{
	const csvin_row *row = p->row;
	if (p->header)
		return CF_NO;
	if (row->nfields == 15 && cf_is_time(row->field[4], row->len[4]) && cf_is_uuid(row->field[10], row->len[10]))
		return CF_SURE;
	return CF_NO;
}

static void freeswitch_describe(const cdrfmt_reader *r, int nfields, cf_sbuf *b)
{
	static const char *const use[15] = {
		"clid", "src", "dst", NULL, "start", "answer", "end", "duration", "billsec", "disposition",
		"record id, call key", NULL, "account", NULL, NULL };
	(void)r;
	(void)nfields;
	cf_describe_fixed(b, 15, fs_names, use);
}

const cdrfmt_desc cdrfmt_freeswitch = {
	.kind = CDRFMT_FREESWITCH,
	.name = "freeswitch",
	.aliases = NULL,
	.headed = CF_HEADLESS,
	.classify = freeswitch_classify,
	.row = freeswitch_row,
	.describe = freeswitch_describe,
	.shape = "freeswitch: 15, a time in field 5, a uuid in field 11",
	.summary = "FreeSWITCH mod_cdr_csv example template, 15 columns",
	.billing = "once per uuid (a call written again with another cause)",
};
