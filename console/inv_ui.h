/* inv_ui.h: the console's dispute-investigation screens, shared between
 * their files.
 *
 *   inv_setup.c          the prompts of `i` (their file, format, --map, --tz,
 *                        period, tolerances, flags) into an inv_setup
 *   view_investigate.c   the wizard: runs the investigation, stores the case
 *                        as `billtop investigate` does, one screen per step
 *                        of the tree, accept / override / back
 *   view_inv_days.c      drill-down: the daily table, worst day marked
 *   view_inv_hour.c      drill-down: the worst day hour by hour
 *   view_inv_calls.c     drill-down: the calls each side lacks
 *   view_inv_call.c      drill-down: the single call, both sides, our rating
 *   view_cases.c         an account's cases: reopen, note, close, export
 *   view_case_report.c   a stored case's report, read-only
 *   inv_ui.c             drawing shared by those screens
 *
 * Ownership: the wizard owns the open investigation (inv_case: both sides'
 * calls and the engine's result) for as long as it is on the stack. The
 * drill-downs are pushed on top of it and find it through inv_ui_case() on
 * the view below them at open; they keep the wizard's view pointer (valid:
 * it cannot leave the stack before they do) and never keep pointers into
 * the result, which a re-run replaces. */
#ifndef BILLTOP_INV_UI_H
#define BILLTOP_INV_UI_H

#include <limits.h>

#include "../core/recon.h"
#include "../data/investigate.h"
#include "tui.h"

/* ---- inv_setup.c -------------------------------------------------------- */

typedef struct {
	char path[PATH_MAX];       /* their file, as typed */
	cdrfmt_kind format;        /* CDRFMT_AUTO unless named */
	char format_text[24], map[512], tz[128], from_text[40], to_text[40], tolerance[512];
	int has_period;
	int64_t from, to;
	int match_ids, keep_going;
	recon_opts ro;             /* defaults + the tolerances typed + match_ids */
	char options[1024];        /* as `billtop investigate` keeps them with the case */
} inv_setup;

/* Ask for everything `billtop investigate` takes, one prompt at a time on
 * the bottom line; a bad answer is said and asked again. Returns 1 when
 * filled, 0 when the engineer pressed Esc. */
int inv_setup_prompt(tui *t, inv_setup *s);

/* The request inv_run takes, pointing into s and *a (which must outlive it). */
void inv_setup_request(const inv_setup *s, const account_info *a, inv_request *rq);

/* ---- view_investigate.c ------------------------------------------------- */

/* The open investigation of wizard view v, or NULL when v is not a wizard. */
inv_case *inv_ui_case(view *v);
/* Re-run the wizard's tree on `day` (UTC day start) chosen by the engineer
 * (the days drill-down). 0, or -1 with the reason on the status line. */
int inv_ui_force_day(view *wizard, int64_t day);

/* ---- inv_ui.c ------------------------------------------------------------ */

/* One bucket (a day or an hour) as a table row, ours / theirs / diff
 * (theirs - ours). At 132 columns and wider every figure shows; narrower,
 * connected, seconds and cost. The header takes two rows. */
void inv_ui_bucket_header(tui *t, int y, int cols, const char *label);
void inv_ui_bucket_row(tui *t, int y, int cols, const char *label, const recon_bucket *b, int decimals);

/* Text wrapped at blanks into rows [y, y + max) from column x, width w.
 * Returns the rows used. */
int inv_ui_wrap(tui *t, int y, int x, int w, int max, const char *text);

/* "2026-11-18" / "2026-11-18 14:00" (UTC) into buf (>= 24 bytes). */
void inv_ui_day(int64_t t, char *buf, size_t n);
void inv_ui_hour(int64_t t, char *buf, size_t n);
/* Milliseconds as decimal seconds, "+" on positives when plus: "-12.345". */
void inv_ui_secs(int64_t ms, int plus, char *buf, size_t n);
/* Money in the account's decimals, "+" on positives when plus. */
void inv_ui_money(money_t v, int decimals, int plus, char *buf, size_t n);

/* A stored case, from any screen that names one (the wizard, the case list,
 * the stored report). Each refuses on a read-only console, saying why.
 * note: prompt, then inv_case_note. close: confirm, then inv_case_close.
 * export: the shared `e` dialogue (text, CSV or JSON) writing what `billtop
 * case ID --report KIND` prints (inv_case_print). Return 0 done, 1
 * cancelled or refused, -1 failed; the status line says which. */
int inv_ui_case_note(tui *t, int64_t id);
int inv_ui_case_close(tui *t, int64_t id);
int inv_ui_case_export(tui *t, int64_t id, const char *account);

/* Drill-downs, pushed by the wizard onto itself. */
extern const view_ops view_inv_days_ops;     /* view_inv_days.c */
extern const view_ops view_inv_hour_ops;     /* view_inv_hour.c */
extern const view_ops view_inv_calls_ops;    /* view_inv_calls.c */
extern const view_ops view_inv_call_ops;     /* view_inv_call.c */
/* A stored case's report: the case id comes from the case list below
 * (view_cases_selected). */
extern const view_ops view_case_report_ops;  /* view_case_report.c */
/* The case list's selected case: 0 with its id, or -1 when v is not the
 * case list or it is empty. */
int view_cases_selected(const view *v, int64_t *id);

#endif
