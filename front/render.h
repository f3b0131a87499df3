/* render.h: the printed forms that the command line and the console both
 * write: a statement as text or CSV, call records as CSV or text lines, one
 * call's rating explanation, and the usage figures (minutes, ASR, ACD).
 * One function per form, so a file exported from the console is
 * byte-identical to the command's output for the same data (`billtop
 * statement`, `billtop cdrs`, `billtop explain`, `billtop usage`), and a
 * figure reads the same on every screen.
 *
 * Ownership: every function writes to a FILE (or out_csv) the caller owns
 * and keeps nothing; the report structures are read, never changed. No
 * figure is computed here beyond sums the caller passes in. */
#ifndef BILLTOP_RENDER_H
#define BILLTOP_RENDER_H

#include <stdint.h>
#include <stdio.h>

#include "../core/money.h"
#include "../data/account.h"
#include "../data/cdrq.h"
#include "../data/rerate.h"
#include "../data/out.h"
#include "../data/report.h"

/* `billtop statement ACCOUNT --month LABEL` (text) and `--format csv`.
 * label is the period as the user named it: "2026-03" or "2026". */
void render_statement_text(FILE *f, const account_info *a, const report_statement *s, const char *label);
void render_statement_csv(FILE *f, const account_info *a, const report_statement *s);

/* `billtop cdrs --format csv`: header row, then one row per call. */
void render_cdr_csv_header(out_csv *c);
void render_cdr_csv_row(out_csv *c, const cdrq_row *r, int decimals);

/* `billtop cdrs` (text): header line, one line per call, and the footer
 * "N calls, charges TOTAL CUR" (total = sum of cost + cnam_cost). */
void render_cdr_text_header(FILE *f);
void render_cdr_text_row(FILE *f, const cdrq_row *r, int decimals);
void render_cdr_text_footer(FILE *f, int64_t n, money_t total, int decimals, const char *currency);

/* "244.000": a call's answered seconds with milliseconds. buf >= 24 bytes. */
void render_billsec(int64_t billsec_ms, char *buf, size_t n);

/* `billtop explain CALL-ID` (text): rate row, increments, billed seconds,
 * exact cost, rounding, final cost. */
void render_explain_number(FILE *f, const cdrq_explain *e);
void render_explain_text(FILE *f, const cdrq_explain *e);
/* Every rating of a call (rerate_history, issue 10): the first, then each
 * correction with its run, who, when, the deck and the memo; the last is
 * the current one. */
void render_explain_ratings(FILE *f, const rerate_rating *g, int n, int decimals);

/* Usage figures as `billtop usage` prints them (the console's usage,
 * destination and dashboard screens show the same strings). buf >= 32.
 * Every figure is its exact value rounded ONCE, half-up, to the digit
 * shown (core/figure.h), never cut:
 * render_minutes: answered time in minutes, 2 decimals: "869.28".
 * render_billed_minutes: billed seconds in minutes, 2 decimals: 61 -> "1.02".
 * render_asr: ASR from report_asr_bp, 1 decimal: "73.6%", or "73.6" when
 * percent_sign is 0; render_pct: the same from the counts (1 of 6: "16.7%").
 * render_acd: ACD (report_acd_ms) as minutes:seconds, whole seconds: "3:32". */
void render_minutes(int64_t ms, char *buf, size_t n);
void render_billed_minutes(int64_t secs, char *buf, size_t n);
void render_asr(int64_t bp, int percent_sign, char *buf, size_t n);
void render_pct(int64_t part, int64_t whole, int percent_sign, char *buf, size_t n);
void render_acd(int64_t ms, char *buf, size_t n);

/* `billtop usage ACCOUNT --window W --format csv`: header row, one row per
 * bucket in u's order, then "total". The console's usage and destination
 * exports write it too (the destination rows in the order shown). Exact
 * columns: calls, connected, billed_seconds, calls_cost (money at the
 * account's decimals, as rated) and billsec (answered seconds with
 * milliseconds); asr_pct, acd_s and minutes are the rounded figures shown. */
void render_usage_csv(FILE *f, const report_usage *u, int decimals);
/* `billtop usage ACCOUNT --window W` (text): heading, one line per bucket,
 * TOTAL (the exact sums, each figure rounded once), a note when the rounded
 * rows' minutes do not add up to TOTAL's, and the window's charges by kind. window is the window's name as
 * given ("12h", "this-week"); the buckets' kind is u->by. */
void render_usage_text(FILE *f, const account_info *a, const char *window, const report_usage *u);
/* The totals rule's footer: when the buckets' rounded minutes do not add
 * up to TOTAL's (each row is rounded, TOTAL is the exact sum rounded once),
 * writes the note saying what they add up to and returns 1; else 0. For
 * every screen or form that shows a TOTAL under rounded minutes. */
int render_usage_minutes_note(const report_usage *u, char *buf, size_t n);

#endif
