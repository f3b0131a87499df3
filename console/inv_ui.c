/* inv_ui.c: drawing shared by the investigation screens (inv_ui.h): the
 * day/hour table row, wrapped text and the figure formats. Figures are the
 * engine's (recon_bucket); nothing is computed here but differences. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/tm.h"
#include "../data/inv_report.h"
#include "../data/inv_session.h"
#include "inv_ui.h"

#define WIDE 132   /* from this width every column of the table shows */

void inv_ui_day(int64_t t, char *buf, size_t n)
{
	char s[32];
	tm_format(t, s, sizeof s);
	snprintf(buf, n, "%.10s", s);
}

void inv_ui_hour(int64_t t, char *buf, size_t n)
{
	char s[32];
	tm_format(t, s, sizeof s);
	snprintf(buf, n, "%.16s", s);
}

void inv_ui_secs(int64_t ms, int plus, char *buf, size_t n)
{
	uint64_t a = ms < 0 ? (uint64_t)0 - (uint64_t)ms : (uint64_t)ms;
	snprintf(buf, n, "%s%llu.%03llu", ms < 0 ? "-" : plus && ms > 0 ? "+" : "", (unsigned long long)(a / 1000),
	         (unsigned long long)(a % 1000));
}

void inv_ui_money(money_t v, int decimals, int plus, char *buf, size_t n)
{
	char m[40]; /* money_format needs 32 at most; with the sign it fits any caller's 48 */
	money_format(v, decimals, m, sizeof m);
	snprintf(buf, n, "%s%s", plus && v > 0 ? "+" : "", m);
}

static void num(int64_t v, int plus, char *buf, size_t n)
{
	snprintf(buf, n, plus && v > 0 ? "+%lld" : "%lld", (long long)v);
}

void inv_ui_bucket_header(tui *t, int y, int cols, const char *label)
{
	attron(A_BOLD);
	if (cols >= WIDE) {
		tui_textf(t, y, 0, cols, "%-12s %-22s  %-22s  %-34s  %s", "", "calls", "connected", "seconds", "cost");
		tui_textf(t, y + 1, 0, cols, "%-12s %7s %7s %6s  %7s %7s %6s  %11s %11s %10s  %10s %10s %10s", label,
		          "ours", "theirs", "diff", "ours", "theirs", "diff", "ours", "theirs", "diff", "ours", "theirs",
		          "diff");
	} else {
		tui_textf(t, y, 0, cols, "%-12s %-20s  %11s  %s", "", "connected", "seconds", "cost");
		tui_textf(t, y + 1, 0, cols, "%-12s %6s %6s %6s  %11s  %10s %10s %9s", label, "ours", "theirs", "diff",
		          "diff", "ours", "theirs", "diff");
	}
	attroff(A_BOLD);
}

void inv_ui_bucket_row(tui *t, int y, int cols, const char *label, const recon_bucket *b, int d)
{
	char x[12][48];
	num(b->connected[0], 0, x[3], 48);
	num(b->connected[1], 0, x[4], 48);
	num(b->connected[1] - b->connected[0], 1, x[5], 48);
	inv_ui_secs(b->billsec_ms[1] - b->billsec_ms[0], 1, x[8], 48);
	inv_ui_money(b->cost[0], d, 0, x[9], 48);
	inv_ui_money(b->cost[1], d, 0, x[10], 48);
	inv_ui_money(b->cost[1] - b->cost[0], d, 1, x[11], 48);
	if (cols >= WIDE) {
		num(b->calls[0], 0, x[0], 48);
		num(b->calls[1], 0, x[1], 48);
		num(b->calls[1] - b->calls[0], 1, x[2], 48);
		inv_ui_secs(b->billsec_ms[0], 0, x[6], 48);
		inv_ui_secs(b->billsec_ms[1], 0, x[7], 48);
		tui_textf(t, y, 0, cols, "%-12s %7s %7s %6s  %7s %7s %6s  %11s %11s %10s  %10s %10s %10s", label, x[0],
		          x[1], x[2], x[3], x[4], x[5], x[6], x[7], x[8], x[9], x[10], x[11]);
	} else {
		tui_textf(t, y, 0, cols, "%-12s %6s %6s %6s  %11s  %10s %10s %9s", label, x[3], x[4], x[5], x[8], x[9],
		          x[10], x[11]);
	}
}

int inv_ui_wrap(tui *t, int y, int x, int w, int max, const char *text)
{
	const char *p = text;
	int used = 0;
	if (w < 10)
		w = 10;
	while (*p && used < max) {
		const char *end = p, *brk = NULL;
		int col = 0;
		while (*end && col < w) {
			if (*end == ' ' && end[1] != '%') /* "0.50 %" stays whole */
				brk = end;
			end++;
			col++;
		}
		if (*end && brk && brk > p) /* break at the last blank that fits */
			end = brk;
		{
			char line[512];
			size_t n = (size_t)(end - p) < sizeof line - 1 ? (size_t)(end - p) : sizeof line - 1;
			memcpy(line, p, n);
			line[n] = '\0';
			tui_text(t, y + used, x, w, line);
		}
		used++;
		p = end;
		while (*p == ' ')
			p++;
	}
	return used;
}

/* ---- a stored case --------------------------------------------------------- */

int inv_ui_case_note(tui *t, int64_t id)
{
	char label[64], buf[1024];
	if (t->read_only) {
		tui_set_status(t, "read-only: adding a note needs write access");
		return 1;
	}
	snprintf(label, sizeof label, "note for case %lld:", (long long)id);
	if (!tui_prompt(t, label, "", buf, sizeof buf) || !buf[0])
		return 1;
	if (inv_case_note(t->db, id, buf) != DB_OK) {
		tui_set_status(t, "note: %s", db_errmsg(t->db));
		return -1;
	}
	tui_set_status(t, "note added to case %lld", (long long)id);
	return 0;
}

int inv_ui_case_close(tui *t, int64_t id)
{
	char label[64];
	if (t->read_only) {
		tui_set_status(t, "read-only: closing a case needs write access");
		return 1;
	}
	snprintf(label, sizeof label, "close case %lld for good? (y/n)", (long long)id);
	if (!tui_confirm(t, label)) {
		tui_set_status(t, "case %lld left open", (long long)id);
		return 1;
	}
	if (inv_case_close(t->db, id) != DB_OK) {
		tui_set_status(t, "%s", db_errmsg(t->db));
		return -1;
	}
	tui_set_status(t, "case %lld closed", (long long)id);
	return 0;
}

typedef struct {
	tui *t;
	int64_t id;
} case_export;

static int write_case(FILE *f, tui_export_format fmt, void *ctx)
{
	case_export *x = ctx;
	int kind = fmt == TUI_EXPORT_JSON ? INV_REPORT_JSON : fmt == TUI_EXPORT_CSV ? INV_REPORT_CSV : INV_REPORT_TEXT;
	char *text;
	size_t len;
	if (inv_case_print(x->t->db, x->id, kind, &text, &len) != DB_OK) {
		tui_set_status(x->t, "export: %s", db_errmsg(x->t->db));
		return -1;
	}
	fwrite(text, 1, len, f);
	free(text);
	return 0;
}

int inv_ui_case_export(tui *t, int64_t id, const char *account)
{
	case_export x = { t, id };
	char stem[200];
	snprintf(stem, sizeof stem, "case-%lld-%s", (long long)id, account);
	return tui_export_ex(t, stem, 1u << TUI_EXPORT_CSV | 1u << TUI_EXPORT_TEXT | 1u << TUI_EXPORT_JSON,
	                     TUI_EXPORT_TEXT, write_case, &x);
}
