/* asof.h: the words for "as of" shared by the command line and the console:
 * the lines that show what is dated after the as-of time (scheduled ledger
 * entries, records from a switch whose clock runs ahead, the next
 * transition of the suspension walk). Such records count from their own
 * time: these lines show them apart from the balance, never in it.
 *
 * Ownership: the caller owns every buffer; nothing is kept. */
#ifndef BILLTOP_ASOF_H
#define BILLTOP_ASOF_H

#include <stdint.h>
#include <stdio.h>

#include "../data/account.h"
#include "../data/report.h"

#define ASOF_LINE_MAX 200
#define ASOF_LINES 3

/* Fill up to ASOF_LINES lines (each ASOF_LINE_MAX bytes) about `l`; returns
 * how many. A line starting "warning:" is one the reader must not miss. */
int asof_later_lines(const account_info *a, const report_later *l, char out[ASOF_LINES][ASOF_LINE_MAX]);

/* The same lines, indented by two spaces, on f (the text forms). */
void asof_print_later(FILE *f, const account_info *a, const report_later *l);

#endif
