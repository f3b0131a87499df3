/* render_cnam.h: CNAM charges (cnamq.h) as text lines and CSV rows, written
 * the same by `billtop cnams` and the console's CNAM lookups list (`e`
 * export), so a file exported from the console equals the command's output.
 * Ownership: writes to a FILE or out_csv the caller owns; keeps nothing. */
#ifndef BILLTOP_RENDER_CNAM_H
#define BILLTOP_RENDER_CNAM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../core/money.h"
#include "../data/cnamq.h"
#include "../data/out.h"

/* "call" (the lookup fee on a call record) or "ledger" (a cnam entry). */
const char *render_cnam_source(const cnamq_row *r);
/* The name a lookup returned, from the stored caller id ("NAME" <NUMBER>
 * or NAME <NUMBER>): "" when none was stored (no caller id, or its name
 * part is the number itself). Raw bytes: make them visible before showing. */
void render_cnam_name(const cnamq_row *r, char *buf, size_t n);
/* The row's reference: the call's id, or "ledger:ID". */
void render_cnam_ref(const cnamq_row *r, char *buf, size_t n);

void render_cnam_csv_header(out_csv *c);
void render_cnam_csv_row(out_csv *c, const cnamq_row *r, int d);
void render_cnam_text_header(FILE *f);
void render_cnam_text_row(FILE *f, const cnamq_row *r, int d);
/* "N lookups, M ledger entries, CNAM X CUR": X is the statement's CNAM line
 * for the same period. */
void render_cnam_text_footer(FILE *f, int64_t lookups, int64_t entries, money_t total, int d, const char *currency);

#endif
