/* cdrfmt_switch.c: what the headerless switch layouts share (no descriptor
 * here): the Asterisk-like mapper of cdr_csv (cdrfmt_asterisk.c) and
 * cdr_custom (cdrfmt_asterisk_custom.c). The rules are cdrfmt_asterisk.c's:
 *   record_id = uniqueid/sequence, else uniqueid/digest-of-the-row, else a
 *               digest of the row
 *   call_key  = linkedid, else uniqueid, else ""  (one billed leg per key)
 *   connected = disposition ANSWERED and billsec > 0 */
#include "cdrfmt_switch.h"

#include <stdio.h>
#include <string.h>

int cf_switch_map_asterisk(cdrfmt_reader *r, const csvin_row *row, const cf_switch_layout *L, cdr_rec *out,
                           char *why, size_t n)
{
	char *const *f = row->field;
	const size_t *len = row->len;
	int answered, known;

	CF_TRY(cf_text(row, L->account, L->names[L->account], why, n));
	CF_TRY(cf_text(row, L->src, L->names[L->src], why, n));
	CF_TRY(cf_text(row, L->dst, L->names[L->dst], why, n));
	CF_TRY(cf_bytes(row, L->clid, L->names[L->clid], why, n));
	CF_TRY(cf_text(row, L->disp, L->names[L->disp], why, n));
	CF_TRY(cf_time(r, row, L->start, L->names[L->start], 0, 0, &out->start, why, n));
	CF_TRY(cf_time(r, row, L->answer, L->names[L->answer], 1, 0, &out->answer, why, n));
	CF_TRY(cf_time(r, row, L->end, L->names[L->end], 1, 0, &out->end, why, n));
	CF_TRY(cf_secs(row, L->dur, L->names[L->dur], &out->duration_ms, why, n));
	CF_TRY(cf_secs(row, L->bill, L->names[L->bill], &out->billsec_ms, why, n));
	if (L->uid >= 0)
		CF_TRY(cf_text(row, L->uid, L->names[L->uid], why, n));
	if (L->link >= 0)
		CF_TRY(cf_text(row, L->link, L->names[L->link], why, n));
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
