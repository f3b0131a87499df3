/* render_mdr.h: message records (MDRs) as text lines and CSV rows, written
 * the same by `billtop mdrs` and the console's messages list (`e` export),
 * so a file exported from the console equals the command's output.
 * Ownership: writes to a FILE or out_csv the caller owns; keeps nothing. */
#ifndef BILLTOP_RENDER_MDR_H
#define BILLTOP_RENDER_MDR_H

#include <stdint.h>
#include <stdio.h>

#include "../core/money.h"
#include "../data/mdrq.h"
#include "../data/out.h"

void render_mdr_csv_header(out_csv *c);
void render_mdr_csv_row(out_csv *c, const mdrq_row *r, int d);
void render_mdr_text_header(FILE *f);
void render_mdr_text_row(FILE *f, const mdrq_row *r, int d);
/* "N messages, S segments, charges X CUR": X is the statement's messaging
 * line for the same period. */
void render_mdr_text_footer(FILE *f, int64_t n, int64_t segments, money_t total, int d, const char *currency);

#endif
