/* cdrfmt_switch.h: what the headerless switch layouts share (cdrfmt_switch.c):
 * the Asterisk-like row mapper used by cdrfmt_asterisk.c and
 * cdrfmt_asterisk_custom.c. Include only from the cdrfmt_*.c files. */
#ifndef BILLTOP_CDRFMT_SWITCH_H
#define BILLTOP_CDRFMT_SWITCH_H

#include "cdrfmt_int.h"

/* Column indexes (0-based) of an Asterisk-like layout, and each column's
 * name for messages. */
typedef struct {
	int account, src, dst, clid, start, answer, end, dur, bill, disp;
	int uid, link, seq; /* -1 when the layout lacks them */
	const char *names[21];
} cf_switch_layout;

/* Map a row of an Asterisk-like layout (cdr_csv or cdr_custom): the rules of
 * cdrfmt_asterisk.c's comment (record id, call key, connected). */
int cf_switch_map_asterisk(cdrfmt_reader *r, const csvin_row *row, const cf_switch_layout *L, cdr_rec *out,
                           char *why, size_t n);

#define CF_TRY(x) do { int t_ = (x); if (t_) return t_; } while (0)

#endif
