/* view_investigate.c: the dispute wizard (`i` on an account).
 *
 * Opening it asks the questions of inv_setup.c, then runs the
 * investigation as `billtop investigate` does (inv_run: their file, our
 * calls, the engine) and stores the case the same way (inv_save), unless
 * the console is read-only: then the investigation is shown but not kept,
 * and every screen says so. Loading shows "working... (Esc cancels)"; Esc
 * stops the loading of both sides within a few thousand rows
 * (inv_request.poll); the engine's run after it, a fraction of a second,
 * is not interrupted.
 *
 * Then one screen per step of the tree (recon_result.steps: the day, the
 * connected totals, the duration totals, the clock), each with the figures,
 * the engine's answer and why, and what each answer leads to; after the
 * last step, the verdict with the causes. Keys:
 *   Enter   take the answer shown and go to the next step
 *   y / n   answer the step yourself; o: the other answer. A different
 *           answer re-runs the tree on the calls kept in memory (inv_rerun
 *           with recon_opts.force_*; later steps' overrides are dropped, as
 *           their question may no longer be asked), and the case gets a
 *           note saying so: a stored case's findings never change, the
 *           notes are its record of what the engineer decided
 *   q       back a step (on the first step: back to the account)
 *   D H M S the days, the worst day's hours, the missing calls, the single
 *           call (inv_ui.h's drill-downs, pushed on top of this view)
 *   a       a note on the case;  e  the report of the path shown (text,
 *           CSV or JSON; text leads with the case's status and notes, so
 *           with no override it is `billtop case ID --report text`)
 *   I       the account's cases
 *
 * Memory: the view owns the inv_case (both sides' calls, the result) until
 * it closes; the drill-downs above it read it through inv_ui_case(). */
#include <stdlib.h>
#include <string.h>

#include "../core/tm.h"
#include "../data/inv_opts.h"
#include "../data/inv_report.h"
#include "../data/inv_session.h"
#include "inv_ui.h"

typedef struct {
	inv_setup setup;           /* the answers to the prompts */
	inv_case c;                /* owned; inv_case_free */
	recon_opts ro;             /* the options of the run shown (force_* included) */
	int saved;                 /* c.id names a stored case */
	char not_saved[200];       /* why it was not stored */
	int step;                  /* 0..nstep-1: a step; nstep: the verdict */
} wiz_priv;

enum { K_DAY, K_CONNECTED, K_DURATION, K_CLOCK, K_VERDICT, K_SINGLE };

/* What step i asks (recon_tree.c: the day, then connected, then duration;
 * a clock offset adds a last step and makes the verdict timezone_offset). */
static int step_kind(const recon_result *r, int i)
{
	if (i >= r->nstep)
		return K_VERDICT;
	if (i == 0)
		return K_DAY;
	if (i == r->nstep - 1 && r->verdict == RECON_VERDICT_TIMEZONE_OFFSET)
		return K_CLOCK;
	if (i >= 3) /* the single call's seconds (inv_conclude_result): the engine's check */
		return K_SINGLE;
	return i == 1 ? K_CONNECTED : K_DURATION;
}

static const char *const KIND_NAME[] = { "day", "connected", "duration", "clock", "verdict", "single call" };

inv_case *inv_ui_case(view *v)
{
	if (!v || v->ops != &view_investigate_ops || !v->priv)
		return NULL;
	return &((wiz_priv *)v->priv)->c;
}

static void set_title(view *v)
{
	wiz_priv *p = v->priv;
	int n = p->c.res.nstep;
	char where[48];
	if (p->step >= n)
		snprintf(where, sizeof where, "verdict");
	else
		snprintf(where, sizeof where, "step %d/%d", p->step + 1, n);
	if (p->saved)
		snprintf(v->title, sizeof v->title, "%.40s  case %lld  %s", v->account.name, (long long)p->c.id, where);
	else
		snprintf(v->title, sizeof v->title, "%.40s  NOT SAVED  %s", v->account.name, where);
}

static int wiz_open(view *v)
{
	wiz_priv *p;
	tui *t = v->t;
	inv_request rq;
	int st;

	if (!(v->priv = p = calloc(1, sizeof(wiz_priv))))
		return -1;
	if (!inv_setup_prompt(t, &p->setup)) {
		tui_set_status(t, "investigation cancelled");
		return -1;
	}
	inv_setup_request(&p->setup, &v->account, &rq);
	rq.poll = tui_busy_poll; /* Esc stops loading either side */
	rq.poll_ctx = t;
	tui_busy_begin(t, "investigating: reading their file and our calls, reconciling");
	st = inv_run(t->db, &rq, &p->c);
	tui_busy_end(t);
	if (st != DB_OK) {
		if (t->cancelled || p->c.cancelled)
			tui_set_status(t, "investigation cancelled while loading: nothing was saved");
		else
			tui_set_status(t, "investigate: %s", db_errmsg(t->db));
		return -1;
	}
	p->ro = p->c.res.opts;
	if (t->read_only) {
		snprintf(p->not_saved, sizeof p->not_saved, "read-only: the case was NOT saved (storing a case needs"
		         " write access)");
	} else {
		tui_text(t, t->rows - 1, 0, t->cols - 1, "saving the case...");
		refresh();
		if (inv_save(t->db, &p->c) != DB_OK)
			snprintf(p->not_saved, sizeof p->not_saved, "the case was NOT saved: %.160s", db_errmsg(t->db));
		else
			p->saved = 1;
	}
	if (p->saved)
		tui_set_status(t, "case %lld saved (verdict %s): %zu of our calls, %zu of theirs", (long long)p->c.id,
		               recon_verdict_name(p->c.res.verdict), p->c.ours.n, p->c.theirs.n);
	else
		tui_set_status(t, "%s", p->not_saved);
	set_title(v);
	return 0;
}

static void wiz_close(view *v)
{
	wiz_priv *p = v->priv;
	if (p)
		inv_case_free(&p->c);
	free(p);
}

/* ---- drawing ------------------------------------------------------------ */

/* Their file; the period and the counts; the tolerances: rows y..y+2. */
static void draw_head(view *v, int y, int cols)
{
	wiz_priv *p = v->priv;
	tui *t = v->t;
	const inv_case *c = &p->c;
	char from[24], to[24], tol[200];
	inv_ui_day(c->from, from, sizeof from);
	inv_ui_day(c->to, to, sizeof to);
	inv_tolerance_format(&c->res.opts, tol, sizeof tol);
	if (strstr(tol, ",max-offset=14h")) /* the default, left out as in the prompt (room at 80 columns) */
		*strstr(tol, ",max-offset=14h") = '\0';
	tui_textf(t, y, 0, cols, "theirs %s (%s)", c->their_path, c->their_format);
	tui_textf(t, y + 1, 0, cols, "period %s..%s UTC: ours %zu calls, theirs %zu, matched %zu", from, to, c->ours.n,
	          c->theirs.n, c->res.npairs);
	tui_textf(t, y + 2, 0, cols, "tolerances %s%s", tol, c->res.opts.match_ids ? ", ids paired first" : "");
}

/* The path taken: "1 day: yes > 2 connected: NO! > verdict: x", the step
 * shown in reverse, an engineer's answer marked with '!'. */
static void draw_path(view *v, int y, int cols)
{
	wiz_priv *p = v->priv;
	tui *t = v->t;
	const recon_result *r = &p->c.res;
	int x = 0;
	tui_text(t, y, 0, cols, "path:");
	x = 6;
	for (int i = 0; i <= r->nstep && x < cols; i++) {
		char seg[64];
		int k = step_kind(r, i), n;
		if (k == K_VERDICT)
			snprintf(seg, sizeof seg, "verdict: %s", recon_verdict_name(r->verdict));
		else
			snprintf(seg, sizeof seg, "%d %s: %s%s", i + 1, KIND_NAME[k], r->steps[i].answer ? "yes" : "no",
			         r->steps[i].overridden ? "!" : "");
		n = (int)strlen(seg);
		if (i == p->step)
			attron(tui_attr(t, CP_SELECT));
		tui_text(t, y, x, cols - x, seg);
		if (i == p->step)
			attroff(tui_attr(t, CP_SELECT));
		x += n;
		if (k != K_VERDICT && x + 3 < cols) {
			tui_text(t, y, x, 3, " > ");
			x += 3;
		}
	}
}

/* What the two answers of step kind k lead to. */
static void draw_next(tui *t, int y, int cols, int k, const recon_result *r)
{
	switch (k) {
	case K_DAY:
		tui_text(t, y, 2, cols - 2, "yes: the tree goes on with that day (o or y: choose another day; D: the table)");
		tui_text(t, y + 1, 2, cols - 2, "no:  the two sides agree within the tolerances (verdict none)");
		break;
	case K_CONNECTED:
		tui_text(t, y, 2, cols - 2, "no:  calls are missing: the hour that differs most, the calls each side lacks");
		tui_text(t, y + 1, 2, cols - 2, "yes: compare the duration totals next");
		break;
	case K_DURATION:
		tui_text(t, y, 2, cols - 2, "no:  a duration issue: the matched call whose seconds differ most");
		tui_text(t, y + 1, 2, cols - 2, "yes: a rating issue: the matched call whose cost differs most");
		break;
	case K_CLOCK:
		tui_text(t, y, 2, cols - 2, "yes: their clock runs at a constant offset from ours (verdict timezone_offset);");
		tui_text(t, y + 1, 2, cols - 2, "     the engine found it, so it has no override");
		break;
	case K_SINGLE:
		tui_text(t, y, 2, cols - 2, "no:  the matched call's seconds differ: a duration issue, not a rating one;");
		tui_text(t, y + 1, 2, cols - 2, "     it follows from the call itself, so it has no override");
		break;
	}
	(void)r;
}

/* Taller terminals: the days around the one the tree runs on, from row y
 * to bottom (a clock offset shows as totals shifting between neighbouring
 * days; a weekly pattern shows too). Nothing when fewer than 6 rows fit. */
static void draw_days_around(view *v, int y, int bottom, int cols)
{
	wiz_priv *p = v->priv;
	tui *t = v->t;
	const recon_result *r = &p->c.res;
	int room = bottom - y - 3, mid = r->worst_day >= 0 ? r->worst_day : 0, first;
	char label[32];
	if (bottom - y < 6 || r->nday == 0)
		return;
	first = mid - room / 2;
	if (first > r->nday - room)
		first = r->nday - room;
	if (first < 0)
		first = 0;
	attron(A_BOLD);
	tui_text(t, y++, 0, cols, "THE DAYS AROUND IT (* the day; D: every day)");
	attroff(A_BOLD);
	inv_ui_bucket_header(t, y, cols, "day");
	y += 2;
	for (int i = first; i < r->nday && i < first + room; i++, y++) {
		inv_ui_day(r->days[i].start, label, sizeof label);
		if (i == r->worst_day) {
			snprintf(label + 10, sizeof label - 10, " *");
			attron(tui_attr(t, CP_BAD));
		}
		inv_ui_bucket_row(t, y, cols, label, &r->days[i], p->c.account.decimals);
		if (i == r->worst_day)
			attroff(tui_attr(t, CP_BAD));
	}
}

static void draw_step(view *v, int y, int bottom, int cols)
{
	wiz_priv *p = v->priv;
	tui *t = v->t;
	const recon_result *r = &p->c.res;
	const recon_step *s = &r->steps[p->step];
	int k = step_kind(r, p->step), d = p->c.account.decimals;
	char label[32];

	attron(A_BOLD);
	tui_textf(t, y++, 0, cols, "STEP %d of %d: %s", p->step + 1, r->nstep, s->question);
	attroff(A_BOLD);
	y++;
	if (k != K_CLOCK && r->worst_day >= 0 && r->worst_day < r->nday) {
		inv_ui_bucket_header(t, y, cols, k == K_DAY ? "day" : "the day");
		inv_ui_day(r->days[r->worst_day].start, label, sizeof label);
		inv_ui_bucket_row(t, y + 2, cols, label, &r->days[r->worst_day], d);
		y += 4;
	} else if (k == K_CLOCK) {
		tui_textf(t, y, 0, cols, "clock offset: their time - our time = %+lld s (%+.2f h)",
		          (long long)r->clock_offset_s, (double)r->clock_offset_s / 3600.0);
		y += 2;
	}
	attron(A_BOLD);
	if (s->overridden) {
		tui_textf(t, y, 0, cols, "Your answer: %s", s->answer ? "YES" : "NO");
		attroff(A_BOLD);
		attron(tui_attr(t, CP_WARN));
		tui_textf(t, y, 18, cols - 18, "overriding the engine, which says %s", s->answer ? "no" : "yes");
		attroff(tui_attr(t, CP_WARN));
	} else {
		tui_textf(t, y, 0, cols, "The engine's answer: %s", s->answer ? "YES" : "NO");
		attroff(A_BOLD);
	}
	y++;
	tui_text(t, y, 0, 5, "why:");
	y += inv_ui_wrap(t, y, 5, cols - 6, bottom - y - 5 > 1 ? bottom - y - 5 : 1, s->figures);
	y++;
	if (y + 2 <= bottom - 2) {
		tui_text(t, y, 0, cols, "then:");
		draw_next(t, y + 1, cols, k, r);
		y += 4;
	}
	draw_days_around(v, y, bottom, cols);
}

static void draw_verdict(view *v, int y, int bottom, int cols)
{
	wiz_priv *p = v->priv;
	tui *t = v->t;
	const inv_case *c = &p->c;
	const recon_result *r = &c->res;
	int d = c->account.decimals;
	char a[400], b[48], e[48];

	attron(tui_attr(t, r->verdict == RECON_VERDICT_NONE ? CP_GOOD : CP_BAD));
	tui_textf(t, y++, 0, cols, "VERDICT: %s", recon_verdict_name(r->verdict));
	attroff(tui_attr(t, r->verdict == RECON_VERDICT_NONE ? CP_GOOD : CP_BAD));
	inv_report_summary(c, a, sizeof a);
	y += inv_ui_wrap(t, y, 2, cols - 3, 3, a);
	tui_textf(t, y++, 2, cols - 2, "%zu calls matched; unmatched: %zu of ours, %zu of theirs; clock offset %+lld s",
	          r->npairs, c->ours.n - r->npairs, c->theirs.n - r->npairs, (long long)r->clock_offset_s);
	if (r->worst_day >= 0 && r->worst_day < r->nday) {
		inv_ui_day(r->days[r->worst_day].start, b, sizeof b);
		if (r->has_worst_hour)
			inv_ui_hour(r->worst_hour.start, e, sizeof e);
		tui_textf(t, y++, 2, cols - 2, "worst day %s%s%s    (D the days, H its hours)", b,
		          r->has_worst_hour ? ", worst hour " : "", r->has_worst_hour ? e : "");
	}
	if (r->verdict == RECON_VERDICT_MISSING_CALLS || r->nmissing_ours || r->nmissing_theirs)
		tui_textf(t, y++, 2, cols - 2, "calls they lack: %zu of ours; calls we lack: %zu of theirs    (M lists them)",
		          r->nmissing_theirs, r->nmissing_ours);
	if (r->has_single) {
		inv_ui_secs(r->single_diff_ms, 1, b, sizeof b);
		inv_ui_money(r->single_diff_cost, d, 1, e, sizeof e);
		tui_textf(t, y++, 2, cols - 2, "single call: ours %s / theirs %s: seconds %s, cost %s    (S)",
		          c->ours.calls[r->single.ours].id, c->theirs.calls[r->single.theirs].id, b, e);
	}
	/* every day that differs (inv_findings.h), the largest amount first */
	if (c->findings.n && y + 2 < bottom) {
		int shown = 0, room = bottom - y - 4 < 4 ? bottom - y - 4 : 4;
		y++;
		attron(A_BOLD);
		tui_textf(t, y++, 0, cols, "EVERY DAY THAT DIFFERS (%d), the largest amount first", c->findings.n);
		attroff(A_BOLD);
		for (int i = 0; i < c->findings.n && shown < (room > 1 ? room : 1); i++, shown++) {
			const inv_finding *f = &c->findings.f[i];
			inv_ui_day(f->day, b, sizeof b);
			inv_ui_money(f->money, d, 1, e, sizeof e);
			if (f->verdict == RECON_VERDICT_MISSING_CALLS)
				tui_textf(t, y++, 2, cols - 2, "%s  missing calls %s: they lack %zu of ours, we lack %zu of theirs",
				          b, e, f->nmissing_theirs, f->nmissing_ours);
			else if (f->has_single) {
				char sec[48];
				inv_ui_secs(f->single_diff_ms, 1, sec, sizeof sec);
				tui_textf(t, y++, 2, cols - 2, "%s  %s %s: one call %s s, ours %s", b,
				          recon_verdict_name(f->verdict), e, sec, c->ours.calls[f->single.ours].id);
			} else
				tui_textf(t, y++, 2, cols - 2, "%s  %s %s", b, recon_verdict_name(f->verdict), e);
		}
		if (shown < c->findings.n)
			tui_textf(t, y++, 2, cols - 2, "... %d more in the report (e)", c->findings.n - shown);
	}
	y++;
	attron(A_BOLD);
	tui_textf(t, y++, 0, cols, "CAUSES THE DATA SHOWS (%d)", r->ncause);
	attroff(A_BOLD);
	if (!r->ncause && y < bottom)
		tui_text(t, y++, 2, cols - 2, "none found");
	for (int i = 0; i < r->ncause && y < bottom; i++) {
		const recon_cause *k = &r->causes[i];
		char head[96];
		snprintf(head, sizeof head, "- %s%s%s%s%s:", recon_cause_name(k->kind),
		         k->side == RECON_OURS ? ", ours" : k->side == RECON_THEIRS ? ", theirs" : "",
		         k->prefix[0] ? ", prefix " : "", k->prefix, "");
		tui_text(t, y, 2, cols - 2, head);
		y += inv_ui_wrap(t, y, 4 + (int)strlen(head), cols - 5 - (int)strlen(head), bottom - y, k->evidence);
	}
	if (r->worst_day >= 0)
		draw_days_around(v, y + 1, bottom, cols);
}

static void wiz_draw(view *v, int top, int rows, int cols)
{
	wiz_priv *p = v->priv;
	tui *t = v->t;
	int y = top, bottom = top + rows;
	if (p->step > p->c.res.nstep)
		p->step = p->c.res.nstep;
	set_title(v);
	draw_head(v, y, cols);
	y += 3;
	draw_path(v, y++, cols);
	if (!p->saved) {
		attron(tui_attr(t, CP_WARN));
		tui_text(t, y, 0, cols, p->not_saved);
		attroff(tui_attr(t, CP_WARN));
	} else {
		tui_hline(t, y, 0, cols);
	}
	y++;
	if (p->step < p->c.res.nstep)
		draw_step(v, y, bottom - 2, cols);
	else
		draw_verdict(v, y, bottom - 2, cols);
	attron(tui_attr(t, CP_DIM));
	if (p->step < p->c.res.nstep)
		tui_textf(t, bottom - 2, 0, cols, "Enter take %s  y/n answer  o the other answer  q back a step",
		          p->c.res.steps[p->step].answer ? "YES" : "NO");
	else
		tui_text(t, bottom - 2, 0, cols, "q back to the last step to change an answer");
	tui_text(t, bottom - 1, 0, cols, "D days  H hours  M missing calls  S single call  a note  e report  I cases");
	attroff(tui_attr(t, CP_DIM));
}

/* ---- answers ------------------------------------------------------------ */

/* Re-run the tree with p->ro. 0, or -1 (the status says why; the result
 * shown is unchanged). */
static int rerun(view *v)
{
	wiz_priv *p = v->priv;
	tui *t = v->t;
	int st;
	tui_busy_begin(t, "re-running the tree");
	st = inv_rerun(t->db, &p->c, &p->ro);
	tui_busy_end(t);
	if (st != DB_OK) {
		tui_set_status(t, "investigate: %s", db_errmsg(t->db));
		return -1;
	}
	return 0;
}

/* Keep the engineer's decision with the case (notes are its record): the
 * note says it in full, the status line in short. */
static void note_override(view *v, const char *note, const char *brief)
{
	wiz_priv *p = v->priv;
	tui *t = v->t;
	char full[700];
	const char *verdict = recon_verdict_name(p->c.res.verdict);
	if (!p->saved) {
		tui_set_status(t, "%s: verdict now %s (case not saved)", brief, verdict);
		return;
	}
	snprintf(full, sizeof full, "%s; verdict on that path: %s", note, verdict);
	/* the conclusion itself (verdict, path, missing lists, single call) is
	 * kept as the case's next version; the note says why */
	if (inv_conclude_save(t->db, &p->c) != DB_OK)
		tui_set_status(t, "%s: verdict now %s (saving the conclusion failed: %s)", brief, verdict,
		               db_errmsg(t->db));
	else if (inv_case_note(t->db, p->c.id, full) != DB_OK)
		tui_set_status(t, "%s: verdict now %s (the note failed: %s)", brief, verdict, db_errmsg(t->db));
	else
		tui_set_status(t, "%s: %s; case %lld version %d", brief, verdict, (long long)p->c.id, p->c.version);
}

int inv_ui_force_day(view *w, int64_t day)
{
	wiz_priv *p = w->priv;
	recon_opts keep = p->ro;
	char d[24], what[96];
	if (!inv_ui_case(w))
		return -1;
	p->ro.force_day = day;
	p->ro.force_connected_match = p->ro.force_duration_match = -1;
	if (rerun(w) != 0) {
		p->ro = keep;
		return -1;
	}
	p->step = p->c.res.nstep > 1 ? 1 : p->c.res.nstep;
	set_title(w);
	inv_ui_day(day, d, sizeof d);
	snprintf(what, sizeof what, "override: the engineer chose the day %s", d);
	note_override(w, what, what + 10);
	return 0;
}

/* o / y on the day step: ask which day (the one shown offered); an empty
 * answer gives the choice back to the engine. */
static void choose_day(view *v)
{
	wiz_priv *p = v->priv;
	const recon_result *r = &p->c.res;
	char init[24] = "", buf[64];
	int64_t day;
	if (r->worst_day >= 0 && r->worst_day < r->nday)
		inv_ui_day(r->days[r->worst_day].start, init, sizeof init);
	if (!tui_prompt(v->t, "investigate which UTC day (YYYY-MM-DD; empty: the engine's):", init, buf, sizeof buf))
		return;
	if (!buf[0]) {
		recon_opts keep = p->ro;
		if (p->ro.force_day == -1)
			return;
		p->ro.force_day = -1;
		p->ro.force_connected_match = p->ro.force_duration_match = -1;
		if (rerun(v) != 0) {
			p->ro = keep;
			return;
		}
		p->step = p->c.res.nstep > 1 ? 1 : p->c.res.nstep;
		set_title(v);
		note_override(v, "override withdrawn: the engine's day again", "the engine's day again");
		return;
	}
	if (tm_parse_utc(buf, strlen(buf), &day) != TM_OK) {
		tui_set_status(v->t, "not a day: \"%.40s\" (YYYY-MM-DD)", buf);
		return;
	}
	inv_ui_force_day(v, tm_floor_day(day));
}

/* y, n or o (want: 1, 0, -1 for "the other") on the step shown. */
static void answer(view *v, int want)
{
	wiz_priv *p = v->priv;
	tui *t = v->t;
	const recon_result *r = &p->c.res;
	int k = step_kind(r, p->step), engine, *force;
	recon_opts keep = p->ro;
	char what[200], brief[80];

	if (k == K_VERDICT) {
		tui_set_status(t, "the verdict follows the steps: q goes back to change an answer");
		return;
	}
	if (k == K_CLOCK) {
		tui_set_status(t, "the clock offset is a finding of the engine: it has no override");
		return;
	}
	if (k == K_SINGLE) {
		tui_set_status(t, "the single call's seconds differ: a fact of the call, it has no override");
		return;
	}
	if (want < 0)
		want = !r->steps[p->step].answer;
	if (k == K_DAY) {
		if (want)
			choose_day(v);
		else
			tui_set_status(t, "the engine takes no \"no\" here: choose another day with o (or in D's table)");
		return;
	}
	if (want == r->steps[p->step].answer) { /* the answer already shown */
		p->step++;
		return;
	}
	engine = r->steps[p->step].overridden ? !r->steps[p->step].answer : r->steps[p->step].answer;
	force = k == K_CONNECTED ? &p->ro.force_connected_match : &p->ro.force_duration_match;
	*force = want == engine ? -1 : want; /* the engine's own answer: no override */
	if (k == K_CONNECTED)
		p->ro.force_duration_match = -1; /* a later question may no longer be asked */
	if (rerun(v) != 0) {
		p->ro = keep;
		return;
	}
	snprintf(what, sizeof what, "%s \"%s\" %s (the engine: %s)", *force >= 0 ? "override:" : "override withdrawn:",
	         r->steps[p->step].question, want ? "yes" : "no", engine ? "yes" : "no");
	snprintf(brief, sizeof brief, "step %d: %s%s", p->step + 1, want ? "yes" : "no",
	         *force >= 0 ? " (the engineer's)" : ", the engine's answer again");
	p->step++;
	note_override(v, what, brief);
}

/* ---- report and notes ------------------------------------------------------ */

static int write_report(FILE *f, tui_export_format fmt, void *ctx)
{
	view *v = ctx;
	wiz_priv *p = v->priv;
	int kind = fmt == TUI_EXPORT_JSON ? INV_REPORT_JSON : fmt == TUI_EXPORT_CSV ? INV_REPORT_CSV : INV_REPORT_TEXT;
	/* the text is the letter to the carrier, as `billtop case ID --report
	 * text` prints it: nothing internal (status, notes) above it */
	inv_report_write(f, &p->c, kind);
	return 0;
}

static void export_report(view *v)
{
	wiz_priv *p = v->priv;
	char stem[200];
	if (p->saved)
		snprintf(stem, sizeof stem, "case-%lld-%s", (long long)p->c.id, v->account.name);
	else
		snprintf(stem, sizeof stem, "investigation-%s", v->account.name);
	tui_export_ex(v->t, stem, 1u << TUI_EXPORT_CSV | 1u << TUI_EXPORT_TEXT | 1u << TUI_EXPORT_JSON,
	              TUI_EXPORT_TEXT, write_report, v);
}

static void add_note(view *v)
{
	wiz_priv *p = v->priv;
	if (!p->saved)
		tui_set_status(v->t, "%s", v->t->read_only ? "read-only: the case was not saved, so it takes no notes"
		                                            : "the case was not saved, so it takes no notes");
	else
		inv_ui_case_note(v->t, p->c.id);
}

static void drill(view *v, tui_action a)
{
	wiz_priv *p = v->priv;
	const recon_result *r = &p->c.res;
	tui *t = v->t;
	switch (a) {
	case ACT_INV_DAYS:
		tui_push(t, &view_inv_days_ops, &v->account);
		break;
	case ACT_INV_HOUR:
		if (r->worst_day < 0)
			tui_set_status(t, "no day differs: no hours to show (D shows every day)");
		else
			tui_push(t, &view_inv_hour_ops, &v->account);
		break;
	case ACT_INV_CALLS:
		if (!r->has_worst_hour)
			tui_set_status(t, "no missing calls on this path (verdict %s)", recon_verdict_name(r->verdict));
		else
			tui_push(t, &view_inv_calls_ops, &v->account);
		break;
	default:
		if (!r->has_single)
			tui_set_status(t, "no single call on this path (verdict %s)", recon_verdict_name(r->verdict));
		else
			tui_push(t, &view_inv_call_ops, &v->account);
		break;
	}
}

static int handle(view *v, tui_action a, int ch);

/* Every key may change the step or the result: the title (drawn before the
 * view) is set here, not only in wiz_draw. */
static int wiz_handle(view *v, tui_action a, int ch)
{
	int r = handle(v, a, ch);
	if (r && tui_top(v->t) == v)
		set_title(v);
	return r;
}

static int handle(view *v, tui_action a, int ch)
{
	wiz_priv *p = v->priv;
	tui *t = v->t;
	/* n (next match) and o (sort) name other actions: read the key */
	if (ch == 'y' || ch == 'n' || ch == 'o') {
		answer(v, ch == 'y' ? 1 : ch == 'n' ? 0 : -1);
		return 1;
	}
	switch (a) {
	case ACT_ENTER:
		if (p->step < p->c.res.nstep)
			p->step++;
		return 1;
	case ACT_BACK:
		if (p->step == 0)
			return 0; /* q on the first step: back to the account */
		p->step--;
		return 1;
	case ACT_LEFT:
	case ACT_UP:
		if (p->step > 0)
			p->step--;
		return 1;
	case ACT_RIGHT:
	case ACT_DOWN:
		if (p->step < p->c.res.nstep)
			p->step++;
		return 1;
	case ACT_HOME: p->step = 0; return 1;
	case ACT_END: p->step = p->c.res.nstep; return 1;
	case ACT_INV_DAYS:
	case ACT_INV_HOUR:
	case ACT_INV_CALLS:
	case ACT_INV_SINGLE:
		drill(v, a);
		return 1;
	case ACT_EXPORT: export_report(v); return 1;
	case ACT_NOTE: add_note(v); return 1;
	case ACT_INVESTIGATE:
		tui_set_status(t, "an investigation is open: q back to the account to start another");
		return 1;
	default:
		return tui_open_account_view(t, a, &v->account);
	}
}

const view_ops view_investigate_ops = {
	.name = "investigation",
	.open = wiz_open,
	.draw = wiz_draw,
	.handle = wiz_handle,
	.reload = NULL,
	.close = wiz_close,
	.hints = "Enter accept  y/n/o answer  a note  e report",
};
