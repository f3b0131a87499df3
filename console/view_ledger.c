/* view_ledger.c: one account's ledger entries (deposits, payments,
 * adjustments, MRC, NRC, E911, CNAM), newest first, as `billtop ledger
 * list` reads them (report_each_entry). The selected entry is shown in full
 * at the bottom: who posted it, from where, when, and the whole memo.
 * Memos are operator text: always drawn through tui_text, which makes
 * control characters visible. / searches memo and kind; p posts.
 *
 * Memory: the view owns its copy of the entries (ledger entries are few
 * compared with calls: every one is loaded). */
#include <stdlib.h>
#include <string.h>

#include "../core/tm.h"
#include "../data/out.h"
#include "../data/report.h"
#include "tui.h"

typedef struct {
	report_entry e;
	char op[48], ssh[64];
	int64_t posted;
} entry_row;

typedef struct {
	entry_row *rows;           /* oldest first, as read; shown reversed */
	int n, cap;
	int sel, top, list_rows;   /* in display order (0 = newest) */
	char search[64];
	int oom;
} ledger_priv;

static entry_row *at_display(ledger_priv *p, int i)
{
	return &p->rows[p->n - 1 - i];
}

static int collect(const report_entry *e, const char *op, const char *ssh, int64_t posted, void *ctx)
{
	ledger_priv *p = ctx;
	entry_row *r;
	if (p->n == p->cap) {
		int ncap = p->cap ? p->cap * 2 : 64;
		entry_row *nr = realloc(p->rows, (size_t)ncap * sizeof *nr);
		if (!nr) {
			p->oom = 1;
			return 1;
		}
		p->rows = nr;
		p->cap = ncap;
	}
	r = &p->rows[p->n++];
	r->e = *e;
	snprintf(r->op, sizeof r->op, "%s", op ? op : "");
	snprintf(r->ssh, sizeof r->ssh, "%s", ssh ? ssh : "");
	r->posted = posted;
	return 0;
}

static int load(view *v)
{
	ledger_priv *p = v->priv;
	tui *t = v->t;
	int64_t keep = p->n ? at_display(p, p->sel)->e.id : 0;
	int at_top = p->sel == 0;
	account_info fresh;
	if (account_get(t->db, v->account.id, &fresh) == DB_OK)
		v->account = fresh;
	p->n = 0;
	p->oom = 0;
	if (report_each_entry(t->db, &v->account, INT64_MIN, INT64_MAX, collect, p) != DB_OK || p->oom) {
		tui_set_status(t, "ledger: %s", p->oom ? "out of memory" : db_errmsg(t->db));
		return -1;
	}
	/* keep the selected entry selected; at the top, follow new entries */
	p->sel = 0;
	for (int i = 0; !at_top && i < p->n; i++)
		if (at_display(p, i)->e.id == keep)
			p->sel = i;
	snprintf(v->title, sizeof v->title, "%.64s  ledger, newest first (%d)", v->account.name, p->n);
	return 0;
}

static int ledger_open(view *v)
{
	if (!(v->priv = calloc(1, sizeof(ledger_priv))))
		return -1;
	return load(v);
}

static void ledger_close(view *v)
{
	ledger_priv *p = v->priv;
	if (p)
		free(p->rows);
	free(p);
}

static void ledger_reload(view *v)
{
	load(v);
}

static void ledger_draw(view *v, int top, int rows, int cols)
{
	ledger_priv *p = v->priv;
	tui *t = v->t;
	int d = v->account.decimals, wide = cols >= 110, memo_x = wide ? 69 : 53;
	p->list_rows = rows - 6;
	if (p->list_rows < 1)
		p->list_rows = 1;
	attron(A_BOLD);
	if (wide)
		tui_textf(t, top, 0, cols, "%6s  %-19s  %-10s %14s  %-12s %s", "ID", "AT (UTC)", "KIND", "AMOUNT",
		          "OPERATOR", "MEMO");
	else
		tui_textf(t, top, 0, cols, "%6s  %-16s  %-10s %14s  %s", "ID", "AT (UTC)", "KIND", "AMOUNT", "MEMO");
	attroff(A_BOLD);
	if (p->n == 0) {
		tui_text(t, top + 2, 2, cols - 4, "no ledger entries yet (p posts one)");
		return;
	}
	if (p->sel < p->top)
		p->top = p->sel;
	if (p->sel >= p->top + p->list_rows)
		p->top = p->sel - p->list_rows + 1;
	for (int i = 0; i < p->list_rows && p->top + i < p->n; i++) {
		const entry_row *r = at_display(p, p->top + i);
		int y = top + 1 + i, sel = p->top + i == p->sel;
		int attr = sel ? tui_attr(t, CP_SELECT) : r->e.amount < 0 ? 0 : tui_attr(t, CP_GOOD);
		char at[24], amount[40];
		tm_format(r->e.at, at, sizeof at);
		money_format(r->e.amount, d, amount, sizeof amount);
		attron(attr);
		move(y, 0);
		for (int k = 0; k < cols; k++)
			addch(' ');
		if (wide) {
			tui_textf(t, y, 0, 56, "%6lld  %-19s  %-10s %14s", (long long)r->e.id, at, r->e.kind, amount);
			tui_text(t, y, 56, 12, r->op);
		} else {
			tui_textf(t, y, 0, 52, "%6lld  %.16s  %-10s %14s", (long long)r->e.id, at, r->e.kind, amount);
		}
		if (r->e.at > tui_as_of(t)) {
			/* dated after now (or the as-of time): scheduled, counts from its time */
			tui_text(t, y, memo_x, 10, "SCHEDULED");
			tui_text(t, y, memo_x + 10, cols - memo_x - 10, r->e.memo);
		} else {
			tui_text(t, y, memo_x, cols - memo_x, r->e.memo);
		}
		attroff(attr);
	}

	/* the selected entry in full */
	{
		const entry_row *r = at_display(p, p->sel);
		int y = top + rows - 5, w = cols - 6;
		char posted[24], at[24], amount[40], vis[1024];
		size_t len, off = 0;
		tm_format(r->posted, posted, sizeof posted);
		tm_format(r->e.at, at, sizeof at);
		money_format(r->e.amount, d, amount, sizeof amount);
		tui_hline(t, y++, 0, cols);
		attron(A_BOLD);
		tui_textf(t, y, 0, cols, "#%lld %s %s %s at %s%s", (long long)r->e.id, r->e.kind, amount,
		          v->account.currency, at, r->e.at > tui_as_of(t) ? "  SCHEDULED: counts from then" : "");
		attroff(A_BOLD);
		y++;
		tui_text(t, y, 0, 8, "posted");
		/* ref: the idempotency key of `ledger add --ref`, which a retry repeats */
		tui_textf(t, y++, 8, cols - 8, "%s UTC by %s%s%s%s%s", posted, r->op[0] ? r->op : "?",
		          r->ssh[0] ? " from " : "", r->ssh, r->e.ref[0] ? "  ref " : "", r->e.ref);
		/* the memo, made visible, over the last line(s): as much as fits */
		len = out_visible(r->e.memo, vis, sizeof vis, t->ascii);
		tui_text(t, y, 0, 6, "memo");
		while (off < len && y < top + rows) {
			size_t take = 0;
			int colsn = 0;
			while (off + take < len && colsn < w) {
				take++;
				while (off + take < len && ((unsigned char)vis[off + take] & 0xc0) == 0x80)
					take++;
				colsn++;
			}
			{
				char part[1024];
				memcpy(part, vis + off, take);
				part[take] = '\0';
				tui_text(t, y++, 6, w, part);
			}
			off += take;
		}
	}
}

static int search_from(ledger_priv *p, int start)
{
	for (int k = 0; k < p->n; k++) {
		int i = (start + k) % p->n;
		const entry_row *r = at_display(p, i);
		if (tui_contains(r->e.memo, p->search) || tui_contains(r->e.kind, p->search)) {
			p->sel = i;
			return 1;
		}
	}
	return 0;
}

static int ledger_handle(view *v, tui_action a, int ch)
{
	ledger_priv *p = v->priv;
	tui *t = v->t;
	int page = p->list_rows > 1 ? p->list_rows - 1 : 1;
	switch (a) {
	case ACT_UP: if (p->sel > 0) p->sel--; return 1;
	case ACT_DOWN: if (p->sel + 1 < p->n) p->sel++; return 1;
	case ACT_PAGE_UP: p->sel = p->sel > page ? p->sel - page : 0; return 1;
	case ACT_PAGE_DOWN: p->sel = p->sel + page < p->n ? p->sel + page : (p->n ? p->n - 1 : 0); return 1;
	case ACT_HOME: p->sel = 0; return 1;
	case ACT_END: p->sel = p->n ? p->n - 1 : 0; return 1;
	case ACT_SEARCH:
		if (tui_prompt(t, "search memo or kind:", p->search, p->search, sizeof p->search) && p->search[0]
		    && !search_from(p, p->sel + 1))
			tui_set_status(t, "no entry matches \"%s\"", p->search);
		return 1;
	case ACT_SEARCH_NEXT:
		if (p->search[0] && !search_from(p, p->sel + 1))
			tui_set_status(t, "no entry matches \"%s\"", p->search);
		return 1;
	case ACT_LEDGER: return 1;
	default: return tui_open_account_view(t, a, &v->account);
	}
}

const view_ops view_ledger_ops = {
	"ledger", ledger_open, ledger_draw, ledger_handle, ledger_reload, ledger_close,
	"/ search  p post  s statement  c CDRs  d dashboard",
};
