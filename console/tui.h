/* tui.h: the console's framework: actions, views, drawing helpers.
 *
 * Modelled on tig: one table of actions (actions.c) drives both the key map
 * and the help screen; each screen is a view with a view_ops table, in a
 * file of its own (view_*.c); views are stacked (Enter pushes, q pops;
 * switching between an account's screens replaces the top one: nav.c).
 * Views read through data/ and core/ only; the console holds no billing
 * logic. Memory: the console owns the stack, and each view's priv when
 * its view_ops has a priv_size (else the view owns it). */
#ifndef BILLTOP_TUI_H
#define BILLTOP_TUI_H

#include <curses.h>
#include <stdint.h>

#include "../data/account.h"
#include "../data/db.h"

/* ---- actions -------------------------------------------------------- */

typedef enum {
	ACT_NONE = 0,
	ACT_UP, ACT_DOWN, ACT_PAGE_UP, ACT_PAGE_DOWN, ACT_HOME, ACT_END, ACT_LEFT, ACT_RIGHT,
	ACT_ENTER, ACT_BACK, ACT_QUIT, ACT_HELP, ACT_SEARCH, ACT_SEARCH_NEXT, ACT_SORT,
	ACT_REFRESH, ACT_EXPORT, ACT_FILTER,
	ACT_DASHBOARD, ACT_STATEMENT, ACT_CDRS, ACT_USAGE, ACT_DESTINATIONS, ACT_MESSAGING,
	ACT_CNAM, ACT_RATES, ACT_LEDGER, ACT_POST, ACT_INVESTIGATE,
	/* dispute investigations (view_investigate.c, view_cases.c) */
	ACT_CASES, ACT_NOTE, ACT_OVERRIDE, ACT_CLOSE_CASE,
	ACT_INV_DAYS, ACT_INV_HOUR, ACT_INV_CALLS, ACT_INV_SINGLE,
	ACT_AS_OF,             /* A: every figure as of a time (console.c) */
	ACT_MESSAGES,          /* every message, one by one (view_mdrs.c) */
	ACT_PERIOD,            /* Y: the statement by month / by year (view_statement.c) */
	ACT_CNAMS,             /* every CNAM charge, one by one (view_cnams.c) */
	ACT_REJECTS,           /* rows imports refused (view_rejects.c) */
	ACT_AUDIT,             /* who did what (view_audit.c) */
	ACT_COUNT
} tui_action;

typedef struct {
	tui_action action;
	int key, key2, key3;   /* curses key codes; 0 = none */
	const char *keys;      /* as shown in help: "Up k" */
	const char *scope;     /* "global", "list", "account", ... */
	const char *help;
} tui_action_def;

extern const tui_action_def tui_actions[];  /* terminated by ACT_NONE */
tui_action tui_action_for_key(int ch);
const tui_action_def *tui_action_def_of(tui_action a);

/* ---- views ---------------------------------------------------------- */

typedef struct tui tui;
typedef struct view view;

typedef struct {
	const char *name;
	/* Load the view's data. Returns 0, or -1 with a message in t->status. */
	int (*open)(view *v);
	/* Draw into rows [top, top + rows) of stdscr, `cols` wide. */
	void (*draw)(view *v, int top, int rows, int cols);
	/* Handle an action; return 1 if handled (else the console does). */
	int (*handle)(view *v, tui_action a, int ch);
	/* The database changed under us (another process wrote): reload. */
	void (*reload)(view *v);
	void (*close)(view *v);
	/* The key hints shown in the bottom bar. */
	const char *hints;
	/* The title for `width` columns into buf (n bytes), for a view that
	 * can say it shorter when the screen is narrow (NULL: v->title, cut by
	 * the title bar). */
	void (*title)(view *v, int width, char *buf, size_t n);
	/* tig's private_size: when > 0, the console allocates v->priv zeroed,
	 * this many bytes, before open, and frees it after close (close frees
	 * only what the view allocated inside it). When 0, the view allocates
	 * and frees its own priv (screens not yet moved to this). */
	size_t priv_size;
} view_ops;

struct view {
	const view_ops *ops;
	tui *t;
	void *priv;
	int has_account;
	account_info account;
	char title[160];
	/* the period a list was opened on, [from, to) (tui_push_period), for
	 * its open (lv_period_take); has_period 0: none */
	int has_period;
	int64_t period_from, period_to;
};

#define TUI_MAX_VIEWS 16

struct tui {
	db_t *db;
	const char *db_path;
	int ascii;            /* no UTF-8 line/block characters */
	int color;            /* colours in use */
	int read_only;
	int rows, cols;
	view *stack[TUI_MAX_VIEWS];
	int depth;
	int running;
	int dirty;            /* redraw needed */
	int64_t data_version;
	char status[256];     /* one-line message in the bottom bar */
	int64_t status_at;
	int cancelled;        /* Esc pressed during a query */
	int64_t as_of;        /* A: the time figures are as of; TM_NONE = now (the clock) */
};

/* The time the screens' figures are as of: t->as_of, or db_now(). */
int64_t tui_as_of(const tui *t);

/* How long the console waits for a key before it polls for writes
 * (data_version): a write shows within about this (ms). */
#define TUI_POLL_MS 200

/* The whole screen at the current size: the view, the chrome, the status
 * (a prompt draws itself over it after a resize). */
void tui_draw(tui *t);

/* Colour pairs (also meaningful without colour: attributes are chosen so
 * that everything reads in monochrome). */
enum { CP_TITLE = 1, CP_GOOD, CP_BAD, CP_WARN, CP_DIM, CP_BAR1, CP_BAR2, CP_SELECT };

/* Push a new view (takes ownership; on open failure the view is freed and
 * the status line says why). Returns 0 or -1. */
int tui_push(tui *t, const view_ops *ops, const account_info *account);
/* tui_push of a list opened on [from, to): Enter on a summary screen lists
 * the records its figures count (the list's f filter shows the period). */
int tui_push_period(tui *t, const view_ops *ops, const account_info *account, int64_t from, int64_t to);
void tui_pop(tui *t);
/* Put a new view in place of the top one (switching between an account's
 * screens): the new one is opened first, and only when that works is the
 * old one closed and freed; on failure the stack is as it was. Returns 0
 * or -1 (the status line says why). With an empty stack: tui_push. */
int tui_replace(tui *t, const view_ops *ops, const account_info *account);
view *tui_top(tui *t);
void tui_set_status(tui *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Modal line prompt at the bottom. Returns 1 with the text in buf, 0 when
 * cancelled (Esc). `initial` pre-fills the field. Input wider than the
 * field shows its tail after an ellipsis. Every prompt (tui_prompt,
 * tui_ask_key, tui_confirm) redraws on resize: the whole screen is laid
 * out again at the new size, then the prompt with what was typed. */
int tui_prompt(tui *t, const char *label, const char *initial, char *buf, size_t n);
/* A dialogue's two lines above the prompt (l1 on rows - 3, l2 on rows - 2;
 * NULL: none), drawn now and by every prompt until changed, so they survive
 * a resize. The dialogue clears them (both NULL) when it ends. Copied. */
void tui_prompt_note(tui *t, const char *l1, const char *l2);

/* Read a key, waiting `delay` ms (-1: until one comes; curses timeout()).
 * Escape sequences the terminal description does not map to a key, and
 * Alt+key (Esc + a letter), come back as 0 (ignore it), never as Esc then
 * letters; a lone Esc is 27; ERR when nothing came in time. */
int tui_read_key(int delay);

/* One-key question at the bottom: returns the first key typed that is in
 * `keys` (a letter in either case counts, returned as written in `keys`;
 * Enter is '\r'), or 0 for Esc. Other keys are ignored. No Enter needed. */
int tui_ask_key(tui *t, const char *label, const char *keys);
/* A y/n question on one key: 1 for y or Y; 0 for n, N, Enter or Esc. */
int tui_confirm(tui *t, const char *label);

/* Attribute for a colour pair, or a monochrome fallback. */
int tui_attr(const tui *t, int pair);

/* Draw text at (y, x) clipped to `width` display columns (and to the
 * screen's edge); control characters are made visible and, in ASCII mode,
 * non-ASCII is escaped. Text that does not fit ends with an ellipsis
 * (U+2026 in UTF-8, "~" in ASCII): nothing is cut without a sign. Blanks
 * left over at the end are not text. */
void tui_text(tui *t, int y, int x, int width, const char *s);
/* printf + tui_text */
void tui_textf(tui *t, int y, int x, int width, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* A horizontal rule. */
void tui_hline(tui *t, int y, int x, int width);
/* A bar of value/max scaled to width cells, drawn with `fill` (UTF-8 block
 * or ASCII character chosen by the caller via tui_bar_char). */
void tui_bar(tui *t, int y, int x, int width, int64_t value, int64_t max, int series);

/* Install a progress handler during slow queries: shows "working... (Esc
 * cancels)" and aborts the query when Esc is pressed (t->cancelled = 1). */
void tui_busy_begin(tui *t, const char *what);
void tui_busy_end(tui *t);
/* Between tui_busy_begin and _end, for work that is not one SQLite query
 * (the investigation's loads, inv_request.poll): turns the spinner, keeps
 * typed keys, and returns 1 (t->cancelled = 1) when Esc was pressed.
 * ctx is the tui; call it on the console's thread only. */
int tui_busy_poll(void *ctx);

/* Scroll a table whose first shown row is *top (0..n; the view clamps it
 * to what fits when drawing): Up/Down, PgUp/PgDn by `page`, Home/End.
 * Returns 1 when `a` was one of those. */
int tui_scroll(tui_action a, int *top, int page, int n);

/* Case-insensitive (ASCII) substring test, for searches. */
int tui_contains(const char *haystack, const char *needle);

/* Exports (export.c): the shared `e` dialogue. It asks csv or text, then a
 * path pre-filled with "billtop-STEM.csv|txt" (the user confirms or edits),
 * asks before overwriting, opens the file, calls fn(f, fmt, ctx) to write
 * it (fn returns 0, or -1 after optionally setting t->status), closes it and
 * shows the written path with tui_set_status. The FILE belongs to export.c;
 * fn must not close it. Returns 0 written, 1 cancelled, -1 failed. */
typedef enum { TUI_EXPORT_CSV = 0, TUI_EXPORT_TEXT, TUI_EXPORT_JSON } tui_export_format;
typedef int (*tui_export_fn)(FILE *f, tui_export_format fmt, void *ctx);
int tui_export(tui *t, const char *stem, tui_export_fn fn, void *ctx);
/* The same dialogue for a screen that writes other formats: `formats` is a
 * set of 1u << TUI_EXPORT_* bits, `dflt` the one an empty answer picks. */
int tui_export_ex(tui *t, const char *stem, unsigned formats, tui_export_format dflt, tui_export_fn fn,
                  void *ctx);

/* Open the account screen an action names (dashboard, statement, CDRs...)
 * on top of the stack. Returns 1 when the action names such a screen. */
int tui_open_account_view(tui *t, tui_action a, const account_info *account);

/* p: post a ledger entry to the account through prompts (action_post.c).
 * Refused when read-only; reloads every view after writing. Returns 0
 * posted, 1 cancelled, -1 refused or failed (the status line says why). */
int tui_post(tui *t, const account_info *a);

/* The CDR list's selected call, for the screen opened on top of it
 * (view_cdrs.c): 0 with the cdr row id, or -1 when v is not a CDR list or
 * has no selection. */
int view_cdrs_selected(const view *v, int64_t *cdr_id);

/* Run the console. Returns the process exit status. */
int tui_run(const char *db_path, int read_only, int ascii, int no_color);

/* Views (one file each). Open an account view through tui_open_account_view
 * (nav.c); views that need more context than an account take it from the
 * view below them (e.g. explain reads the CDR list's selected call). */
extern const view_ops view_accounts_ops;     /* view_accounts.c */
extern const view_ops view_dashboard_ops;    /* view_dashboard.c */
extern const view_ops view_help_ops;         /* view_help.c */
extern const view_ops view_statement_ops;    /* view_statement.c */
extern const view_ops view_cdrs_ops;         /* view_cdrs.c */
extern const view_ops view_explain_ops;      /* view_explain.c */
extern const view_ops view_ledger_ops;       /* view_ledger.c */
extern const view_ops view_usage_ops;        /* view_usage.c */
extern const view_ops view_dest_ops;         /* view_dest.c */
extern const view_ops view_msg_ops;          /* view_msg.c */
extern const view_ops view_mdrs_ops;         /* view_mdrs.c */
extern const view_ops view_cnam_ops;         /* view_cnam.c */
extern const view_ops view_rates_ops;        /* view_rates.c */
extern const view_ops view_cnams_ops;        /* view_cnams.c: CNAM charges one by one */
/* Screens of the whole database, not of an account (scope global): opened
 * by tui_open_account_view with any account, or none. */
extern const view_ops view_rejects_ops;      /* view_rejects.c */
extern const view_ops view_audit_ops;        /* view_audit.c */
/* Dispute investigations: the wizard (prompts, run, one screen per step;
 * its drill-downs are declared in inv_ui.h) and an account's cases. */
extern const view_ops view_investigate_ops;  /* view_investigate.c */
extern const view_ops view_cases_ops;        /* view_cases.c */

#endif
