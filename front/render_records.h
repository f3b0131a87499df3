/* render_records.h: refused import rows (rejects.h) and audit rows
 * (audit.h) as CSV rows and text, written by the console's rejects and
 * audit screens (`e` export) in the form `billtop rejects --format csv`
 * and `billtop audit --format csv` write, so an exported file equals the
 * command's output: cli/cmd_rejects.c and cli/cmd_audit.c write their
 * CSV and text with these too (their JSON is their own).
 * Ownership: writes to a FILE or out_csv the caller owns; keeps nothing. */
#ifndef BILLTOP_RENDER_RECORDS_H
#define BILLTOP_RENDER_RECORDS_H

#include <stddef.h>
#include <stdio.h>

#include "../data/audit.h"
#include "../data/out.h"
#include "../data/rejects.h"

void render_reject_csv_header(out_csv *c);
void render_reject_csv_row(out_csv *c, const rejects_row *r);
/* FILE:LINE: reason (import N), then the row made visible (2 KB at most). */
void render_reject_text_row(FILE *f, const rejects_row *r);

/* The one-line description of an audit row, raw text (escape it to show). */
void render_audit_detail(const audit_row *r, char *buf, size_t n);
void render_audit_csv_header(out_csv *c);
void render_audit_csv_row(out_csv *c, const audit_row *r);
void render_audit_text_header(FILE *f);
void render_audit_text_row(FILE *f, const audit_row *r);

#endif
