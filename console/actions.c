/* actions.c: the one table of console actions. It drives the key map
 * (tui_action_for_key) and the help screen (view_help.c) alike, so a key
 * cannot exist without its help line. Every F-key action has a letter. */
#include "tui.h"

#define CTRL(c) ((c) & 0x1f)

const tui_action_def tui_actions[] = {
	{ ACT_UP,          KEY_UP, 'k', 0,             "Up k",          "list",    "move up" },
	{ ACT_DOWN,        KEY_DOWN, 'j', 0,           "Down j",        "list",    "move down" },
	{ ACT_PAGE_UP,     KEY_PPAGE, CTRL('b'), 0,    "PgUp ^B",       "list",    "page up" },
	{ ACT_PAGE_DOWN,   KEY_NPAGE, CTRL('f'), ' ',  "PgDn ^F Space", "list",    "page down" },
	{ ACT_HOME,        KEY_HOME, 'g', 0,           "Home g",        "list",    "first row" },
	{ ACT_END,         KEY_END, 'G', 0,            "End G",         "list",    "last row" },
	{ ACT_LEFT,        KEY_LEFT, 'h', '[',         "Left h [",      "view",    "previous period / column" },
	{ ACT_RIGHT,       KEY_RIGHT, 'l', ']',        "Right l ]",     "view",    "next period / column" },
	{ ACT_ENTER,       '\n', '\r', KEY_ENTER,      "Enter",         "list",    "open / drill down" },
	{ ACT_BACK,        'q', 27, KEY_BACKSPACE,     "q Esc",         "global",  "back one screen (Esc never quits)" },
	{ ACT_QUIT,        'Q', KEY_F(10), 0,          "Q F10",         "global",  "quit billtop" },
	{ ACT_HELP,        '?', KEY_F(1), 0,           "? F1",          "global",  "this help" },
	{ ACT_SEARCH,      '/', KEY_F(3), 0,           "/ F3",          "list",    "search" },
	{ ACT_SEARCH_NEXT, 'n', 0, 0,                  "n",             "list",    "next search match" },
	{ ACT_SORT,        'o', KEY_F(6), 0,           "o F6",          "list",    "change the sort order" },
	{ ACT_REFRESH,     'R', KEY_F(5), CTRL('l'),   "R F5 ^L",       "global",  "reload and redraw" },
	{ ACT_AS_OF,       'A', 0, 0,                  "A",             "global",  "as of: figures at a time you type (empty: now)" },
	{ ACT_REJECTS,     'X', 0, 0,                  "X",             "global",  "rows imports refused (billtop rejects)" },
	{ ACT_AUDIT,       'W', 0, 0,                  "W",             "global",  "audit: who did what, when" },
	{ ACT_EXPORT,      'e', KEY_F(2), 0,           "e F2",          "report",  "export (CSV or printable text)" },
	{ ACT_FILTER,      'f', KEY_F(4), 0,           "f F4",          "list",    "filter" },
	{ ACT_DASHBOARD,   'd', 0, 0,                  "d",             "account", "account dashboard" },
	{ ACT_STATEMENT,   's', 0, 0,                  "s",             "account", "MRC & NRC statement" },
	{ ACT_PERIOD,      'Y', 0, 0,                  "Y",             "statement", "statement by month / by year (h/l move one)" },
	{ ACT_CDRS,        'c', 0, 0,                  "c",             "account", "call records (CDRs)" },
	{ ACT_USAGE,       'u', 0, 0,                  "u",             "account", "usage by hour / day" },
	{ ACT_DESTINATIONS,'b', 0, 0,                  "b",             "account", "per-destination breakout" },
	{ ACT_MESSAGING,   'm', 0, 0,                  "m",             "account", "messaging statistics" },
	{ ACT_MESSAGES,    't', 0, 0,                  "t",             "account", "messages one by one; Enter on messaging: its window" },
	{ ACT_CNAM,        'N', 0, 0,                  "N",             "account", "CNAM statistics" },
	{ ACT_CNAMS,       'C', 0, 0,                  "C",             "account", "CNAM lookups and fees; Enter on CNAM: its window" },
	{ ACT_RATES,       'r', 0, 0,                  "r",             "account", "the account's rate deck" },
	{ ACT_LEDGER,      'L', 0, 0,                  "L",             "account", "ledger entries" },
	{ ACT_POST,        'p', KEY_F(7), 0,           "p F7",          "account", "post a ledger entry (not read-only)" },
	{ ACT_INVESTIGATE, 'i', 0, 0,                  "i",             "account", "investigate a balance dispute" },
	{ ACT_CASES,       'I', 0, 0,                  "I",             "account", "dispute cases: reopen, add a note, close" },
	/* The wizard's and the case list's keys. n, o and c already name other
	 * actions (next match, sort, CDRs), so those screens read them from
	 * the key itself; their rows here keep them in the help. */
	{ ACT_OVERRIDE,    'y', 0, 0,                  "y n o",         "wizard",  "answer the step yes / no / the other way (re-runs)" },
	{ ACT_INV_DAYS,    'D', 0, 0,                  "D",             "wizard",  "daily totals, the worst day marked" },
	{ ACT_INV_HOUR,    'H', 0, 0,                  "H",             "wizard",  "the worst day hour by hour" },
	{ ACT_INV_CALLS,   'M', 0, 0,                  "M",             "wizard",  "the missing calls on each side" },
	{ ACT_INV_SINGLE,  'S', 0, 0,                  "S",             "wizard",  "the single call side by side, our rating" },
	{ ACT_NOTE,        'a', 0, 0,                  "a",             "case",    "add a note to the case" },
	{ ACT_CLOSE_CASE,  0, 0, 0,                    "c",             "cases",   "close the selected case" },
	{ ACT_NONE, 0, 0, 0, NULL, NULL, NULL }
};

tui_action tui_action_for_key(int ch)
{
	if (ch == 0)
		return ACT_NONE;
	for (const tui_action_def *d = tui_actions; d->action != ACT_NONE; d++)
		if (d->key == ch || d->key2 == ch || d->key3 == ch)
			return d->action;
	return ACT_NONE;
}

const tui_action_def *tui_action_def_of(tui_action a)
{
	for (const tui_action_def *d = tui_actions; d->action != ACT_NONE; d++)
		if (d->action == a)
			return d;
	return NULL;
}
