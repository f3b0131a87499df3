/* deckfmt.c: rate deck CSV -> rate rows (see deckfmt.h).
 *
 * Rules, stated once here (README "Rate decks" repeats them):
 *  - prefix: digits; a leading '+' and ASTPP's pattern form "^9377.*" are read
 *    as the digits; blanks and '-' between digits are dropped with a warning;
 *    anything else (letters, "44.0" as spreadsheets write numbers, an empty
 *    prefix) rejects the row.
 *    --add-prefix DIGITS goes before every prefix.
 *  - rate and connect fee: decimal amounts (money_parse, 9 decimals at most);
 *    a negative or unreadable rate rejects the row.
 *  - increments: whole seconds. 0 or empty is read as ASTPP's CDR rating
 *    reads it (freeswitch/fs/lib/astpp.cdr.php): an increment < 1 is 1 s (per
 *    second), an initial increment < 1 is no initial block, i.e. the first
 *    increment is the increment. A billing column "1/1", "60/60", "30+6" gives
 *    both; an increment column holding "a/b" too.
 *  - free seconds (ASTPP "Included Seconds"/"Grace Time", IvozProvider
 *    "Interval start"): deducted from every call there, a rule billtop does
 *    not have: 0 or empty is read, any other value rejects the row.
 *  - checks over the whole file (deckfmt_check.c): a zero rate and a rate more than 20 times
 *    the median of the deck's non-zero rates are warnings (a cheap
 *    destination far under the median is normal in A-Z decks, so there is no
 *    lower bound); the same prefix and effective date twice with the same
 *    rates is a warning (the repeat is not stored), with different rates the
 *    later row is rejected (which one was meant cannot be known). */
#include "deckfmt.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/tm.h"
#include "csvin.h"
#include "deckfmt_int.h"

static const char *const FIELD_NAMES[DF_NFIELDS] = {
	[DF_PREFIX] = "prefix", [DF_DESC] = "description", [DF_RATE] = "rate", [DF_MIN] = "first_increment",
	[DF_INC] = "increment", [DF_BILLING] = "billing_increment", [DF_FEE] = "connect_fee",
	[DF_GRACE] = "grace", [DF_FREE] = "free_seconds", [DF_EFF] = "effective", [DF_END] = "end",
	[DF_NPA] = "npa", [DF_NXX] = "nxx", [DF_NPANXX] = "npanxx", [DF_ACTION] = "action",
};

/* Normalised header names (see deckfmt.h) per field. Where the writer is
 * known it is named; the sources are listed in tests/corpus/deck/README.md. */
static const char *const ALIASES[DF_NFIELDS][28] = {
	[DF_PREFIX] = { "prefix", "dialcode", "code", "dialprefix" /* A2Billing, MagnusBilling */,
	                "pattern" /* ASTPP table */, "destinationprefix" /* IvozProvider */,
	                "destinationcode", "prefixes", "e164prefix", "countrycodeprefix", NULL },
	[DF_DESC]   = { "description", "destination", "desc", "name", "country", "comment" /* ASTPP */,
	                "destinationname", "targetpatternname" /* IvozProvider */, "zone", "region", NULL },
	[DF_RATE]   = { "rate", "ratepermin", "rateperminute", "price", "perminute", "cost",
	                "costmin" /* ASTPP export "Cost / Min (USD)" */, "perminutecost" /* ASTPP */,
	                "perminutecharge", "perminuterate" /* IvozProvider */, "rateinitial" /* A2Billing */,
	                "ratemin", "pricemin", "priceperminute", "costperminute", "ratecost" /* Kazoo */,
	                "sellrate", "sellingrate", "minuterate", NULL },
	[DF_MIN]    = { "firstincrement", "initialincrement" /* ASTPP */, "initinc", "initblock" /* A2Billing */,
	                "minsecs", "min", "minimum", "rateminimum" /* Kazoo */, "firstinterval",
	                "initialinterval", "minimumduration", "interval1" /* Neon */, NULL },
	[DF_INC]    = { "increment", "subsequentincrement", "incrsecs", "billingblock" /* A2Billing */, "inc",
	                "interval", "chargeperiod" /* IvozProvider */, "rateincrement" /* Kazoo */,
	                "nextincrement", "additionalincrement", "subsequentinterval", "nextinterval", "subinterval",
	                "intervaln" /* Neon */, NULL },
	[DF_BILLING] = { "billingincrement", "billing", "increments", "billingcycle", "billinginterval",
	                 "billingincrements", "billingperiod", NULL },
	[DF_FEE]    = { "connectfee", "connectcost" /* ASTPP */, "connectionfee", "setupfee", "connectioncost",
	                "connectcharge" /* A2Billing */, "connectioncharge" /* IvozProvider */,
	                "ratesurcharge" /* Kazoo */, "setupcharge", NULL },
	[DF_GRACE]  = { "grace", "gracesecs", "graceperiod", "freesecs", NULL },
	[DF_FREE]   = { "includedseconds" /* ASTPP */, "gracetime" /* ASTPP export label */,
	                "intervalstart" /* IvozProvider */, NULL },
	[DF_EFF]    = { "effective", "effectivedate", "efffrom", "validfrom", "effectivefrom",
	                "startdate" /* A2Billing */, "activationdate", NULL },
	[DF_END]    = { "enddate", "effto", "validto", "expires", "expirydate", "stopdate" /* A2Billing */,
	                "effectiveto", NULL },
	[DF_NPA]    = { "npa", NULL },
	[DF_NXX]    = { "nxx", NULL },
	[DF_NPANXX] = { "npanxx", "npanxxcode", NULL },
	[DF_ACTION] = { "action" /* Neon: I insert, U update, D delete */, NULL },
};

/* US NPA-NXX decks: one rate per jurisdiction, a column each. */
static const char *const US_RATES[] = {
	"interstate", "intrastate", "indeterminate", "inter", "intra", "ij", "interrate", "intrarate",
	"indeterminaterate", "interstaterate", "intrastaterate", "ijrate", "local", "localrate", NULL
};

/* CGRateS Rates.csv: rates keyed by a rate id, not by prefix. */
static const char *const CGRATES[] = { "connectfee", "rateunit", "rateincrement", "groupintervalstart", NULL };

const char *deckfmt_field_name(deckfmt_field f)
{
	return f < DF_NFIELDS ? FIELD_NAMES[f] : "?";
}

/* Normalise a header name into out (see deckfmt.h). */
static void norm(const char *s, char *out, size_t cap)
{
	size_t n = 0;
	int paren = 0;
	for (; *s && n + 1 < cap; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '(' || c == '[') {
			paren++;
			continue;
		}
		if ((c == ')' || c == ']') && paren) {
			paren--;
			continue;
		}
		if (paren || !isalnum(c) || c >= 0x80)
			continue;
		out[n++] = (char)tolower(c);
	}
	out[n] = '\0';
	static const char *const CUR[] = { "usd", "eur", "gbp", "cad", "aud", "inr", NULL };
	for (int i = 0; CUR[i]; i++)
		if (n > 3 && strcmp(out + n - 3, CUR[i]) == 0) {
			out[n - 3] = '\0';
			break;
		}
}

static int in_list(const char *const *list, const char *name)
{
	for (int k = 0; list[k]; k++)
		if (strcmp(list[k], name) == 0)
			return 1;
	return 0;
}

static int field_of(const char *normed)
{
	for (int f = 0; f < DF_NFIELDS; f++)
		if (in_list(ALIASES[f], normed))
			return f;
	return -1;
}

typedef struct {
	const deckfmt_opts *o;
	deckfmt_deck *d;
	const char *label;
	int fatal;                 /* the whole file was refused: d->err set */
	int want_header;           /* the first record is a header (not: --map by numbers only) */
	int have_first;            /* the first record was seen */
	int map_col[DF_NFIELDS];   /* --map by number (0-based), -1 */
	char map_name[DF_NFIELDS][64]; /* --map by name (normalised), "" */
	int rate_pick;             /* --rate-column as a 0-based number, -1 */
	char rate_name[64];        /* --rate-column normalised, "" */
} rd;

void deckfmt_note(deckfmt_deck *d, int64_t line, int reject, const char *fmt, ...)
{
	va_list ap;
	if (reject)
		d->rejected++;
	else
		d->warnings++;
	if (d->nmsgs >= DECKFMT_MAX_MSGS) {
		d->msgs_dropped++;
		return;
	}
	if (!d->msgs && !(d->msgs = calloc(DECKFMT_MAX_MSGS, sizeof *d->msgs))) {
		d->msgs_dropped++;
		return;
	}
	deckfmt_msg *m = &d->msgs[d->nmsgs++];
	m->line = line;
	m->reject = reject;
	va_start(ap, fmt);
	vsnprintf(m->text, sizeof m->text, fmt, ap);
	va_end(ap);
}

static int refuse(rd *x, int64_t line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int refuse(rd *x, int64_t line, const char *fmt, ...)
{
	char why[260];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	if (line > 0)
		snprintf(x->d->err, sizeof x->d->err, "%s:%lld: %s", x->label, (long long)line, why);
	else
		snprintf(x->d->err, sizeof x->d->err, "%s: %s", x->label, why);
	x->fatal = 1;
	return 1;
}

/* "12" -> 11 (0-based), or -1 when s is not a column number. */
#define MAP_NONE (-2) /* --map field=-: the field is read from no column */

static int colnum(const char *s)
{
	char *end;
	long v;
	if (!isdigit((unsigned char)*s))
		return -1;
	v = strtol(s, &end, 10);
	return (*end || v < 1 || v > 10000) ? -1 : (int)v - 1;
}

/* Parse --map "field=Column,...". Field names are those of deckfmt_field_name
 * and the header aliases ("rate=Cost / Min (USD)" works, so does "dialcode=2"). */
static int parse_map(rd *x)
{
	const char *p = x->o->map;
	int all_numbers = 1, any = 0;
	for (int f = 0; f < DF_NFIELDS; f++) {
		x->map_col[f] = -1;
		x->map_name[f][0] = '\0';
	}
	while (p && *p) {
		const char *comma = strchr(p, ','), *eq = strchr(p, '=');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		char key[64], val[128], nk[64];
		int f = -1;
		if (!eq || eq > p + len || (size_t)(eq - p) >= sizeof key || len - (size_t)(eq - p) > sizeof val)
			return refuse(x, 0, "--map \"%.*s\": say field=Column or field=NUMBER", (int)len, p);
		memcpy(key, p, (size_t)(eq - p));
		key[eq - p] = '\0';
		memcpy(val, eq + 1, len - (size_t)(eq - p) - 1);
		val[len - (size_t)(eq - p) - 1] = '\0';
		for (int g = 0; g < DF_NFIELDS; g++)
			if (strcmp(key, FIELD_NAMES[g]) == 0)
				f = g;
		if (f < 0) {
			norm(key, nk, sizeof nk);
			f = field_of(nk);
		}
		if (f < 0)
			return refuse(x, 0, "--map: unknown deck field \"%s\" (prefix, description, rate, first_increment, "
			              "increment, billing_increment, connect_fee, grace, free_seconds, effective, end, npa, "
			              "nxx, npanxx, action)",
			              key);
		if (!val[0])
			return refuse(x, 0, "--map %s=: no column named (say %s=- to read none)", key, key);
		if (strcmp(val, "-") == 0) {
			x->map_col[f] = MAP_NONE;
			all_numbers = 0;
		} else if ((x->map_col[f] = colnum(val)) < 0) {
			all_numbers = 0;
			norm(val, x->map_name[f], sizeof x->map_name[f]);
			if (!x->map_name[f][0])
				return refuse(x, 0, "--map %s=%s: not a column name or number", key, val);
		}
		any = 1;
		p = comma ? comma + 1 : NULL;
	}
	/* A deck without a header can only be mapped by column numbers: the
	 * first record is data then if its prefix cell holds digits. */
	x->want_header = !(any && all_numbers);
	return 0;
}

static int row_blank(const csvin_row *row)
{
	for (int i = 0; i < row->nfields; i++)
		for (size_t k = 0; k < row->len[i]; k++)
			if (!isspace((unsigned char)row->field[i][k]))
				return 0;
	return 1;
}

static char *dupn(const char *s)
{
	size_t n = strlen(s);
	char *p = malloc(n + 1);
	if (p)
		memcpy(p, s, n + 1);
	return p;
}

/* Map the header (or, without one, the numbered --map) to d->col. */
static int map_header(rd *x, const csvin_row *row)
{
	deckfmt_deck *d = x->d;
	int n = row->nfields, cg = 0;
	char nn[96];
	d->ncols = n;
	if (!(d->colname = calloc((size_t)n + 1, sizeof *d->colname)))
		return refuse(x, 0, "out of memory");
	for (int i = 0; i < n; i++)
		if (!(d->colname[i] = dupn(x->want_header ? row->field[i] : "")))
			return refuse(x, 0, "out of memory");
	for (int f = 0; f < DF_NFIELDS; f++)
		d->col[f] = -1;
	if (x->want_header) {
		for (int i = 0; i < n; i++) {
			norm(row->field[i], nn, sizeof nn);
			if (in_list(CGRATES, nn))
				cg++;
			int f = field_of(nn);
			if (in_list(US_RATES, nn) || f == DF_RATE) {
				/* every column that could be the rate: --rate-column picks
				 * one; with several and no choice the deck is refused below */
				d->rate_cols++;
				int pick = x->rate_name[0] ? strcmp(nn, x->rate_name) == 0 : x->rate_pick == i;
				if (pick || (!x->rate_name[0] && x->rate_pick < 0 && d->col[DF_RATE] < 0))
					d->col[DF_RATE] = i;
				continue;
			}
			if (f >= 0 && d->col[f] < 0)
				d->col[f] = i;
		}
		if (cg >= 3)
			return refuse(x, row->line, "a CGRateS Rates.csv: its rates are keyed by rate id, the prefixes are in "
			              "Destinations.csv, joined through DestinationRates.csv and RatingPlans.csv; "
			              "billtop reads decks that carry prefix and rate on one row");
	}
	if (x->rate_pick >= 0) {
		if (x->rate_pick >= n)
			return refuse(x, row->line, "--rate-column %d: the file has %d columns", x->rate_pick + 1, n);
		d->col[DF_RATE] = x->rate_pick;
	} else if (x->rate_name[0] && d->col[DF_RATE] < 0) {
		return refuse(x, row->line, "--rate-column \"%s\": no such column in the header", x->o->rate_column);
	}
	/* --map wins over the header */
	for (int f = 0; f < DF_NFIELDS; f++) {
		if (x->map_col[f] == MAP_NONE) {
			d->col[f] = -1;
		} else if (x->map_col[f] >= 0) {
			if (x->map_col[f] >= n)
				return refuse(x, row->line, "--map %s=%d: the file has %d columns", FIELD_NAMES[f],
				              x->map_col[f] + 1, n);
			d->col[f] = x->map_col[f];
		} else if (x->map_name[f][0]) {
			int found = -1;
			for (int i = 0; i < n && found < 0; i++) {
				norm(row->field[i], nn, sizeof nn);
				if (strcmp(nn, x->map_name[f]) == 0)
					found = i;
			}
			if (found < 0)
				return refuse(x, row->line, "--map %s: no column \"%s\" in the header", FIELD_NAMES[f],
				              x->map_name[f]);
			d->col[f] = found;
		}
	}
	int us = d->col[DF_NPANXX] >= 0 || (d->col[DF_NPA] >= 0 && d->col[DF_NXX] >= 0);
	if (d->col[DF_PREFIX] < 0 && !us)
		return refuse(x, row->line, "no prefix column (prefix, code, dial code, dialprefix, pattern, NPANXX "
		              "or NPA and NXX): name it with --map prefix=COLUMN");
	int rate_chosen = x->rate_pick >= 0 || x->rate_name[0] || x->map_col[DF_RATE] != -1 || x->map_name[DF_RATE][0];
	if (d->rate_cols > 1 && !rate_chosen) {
		char names[200] = "";
		size_t k = 0;
		for (int i = 0; i < n; i++) {
			norm(row->field[i], nn, sizeof nn);
			if ((in_list(US_RATES, nn) || field_of(nn) == DF_RATE) && k < sizeof names - 40)
				k += (size_t)snprintf(names + k, sizeof names - k, "%s\"%s\"", k ? ", " : "", nn);
		}
		return refuse(x, row->line, "%d rate columns (%s): say which one this deck bills with "
		              "--rate-column NAME", d->rate_cols, names);
	}
	if (d->col[DF_RATE] < 0)
		return refuse(x, row->line, "no rate column (rate, cost, price, per minute cost, rateinitial...): "
		              "name it with --map rate=COLUMN");
	if (d->col[DF_MIN] >= 0 && d->col[DF_INC] < 0 && d->col[DF_BILLING] < 0)
		deckfmt_note(d, row->line, 0, "a first increment column (\"%s\") but no increment column: the increment is "
		    "1 s; name it with --map increment=COLUMN", d->colname[d->col[DF_MIN]]);
	if (us && d->col[DF_PREFIX] < 0 && !x->o->add_prefix)
		return refuse(x, row->line, "an NPA-NXX deck: its prefixes lack the country code; say --add-prefix 1 "
		              "(stored as written, 201555 would rate calls to +20 1555, Egypt)");
	return 0;
}

static int row_blank_str(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	return !*s;
}

/* Whole seconds "60", "" -> *v (empty -> 0). */
static int secs(const char *s, int64_t *v)
{
	char *end;
	long long n;
	while (isspace((unsigned char)*s))
		s++;
	if (!*s) {
		*v = 0;
		return 0;
	}
	n = strtoll(s, &end, 10);
	if (end == s)
		return -1;
	/* "60.0" as some spreadsheets write it */
	if (*end == '.') {
		end++;
		while (*end == '0')
			end++;
	}
	if (*end == 's')
		end++;
	while (isspace((unsigned char)*end))
		end++;
	if (*end || n < 0 || n > 86400)
		return -1;
	*v = n;
	return 0;
}

/* "60/60", "1/1", "30+6", "60-60", "60" -> a, b (b = a for one number).
 * Returns 2 for two numbers, 1 for one, -1 when not seconds (both sides of
 * a separator must hold a number: "-1" and "60/" are refused). */
static int pair(const char *s, int64_t *a, int64_t *b)
{
	char first[32];
	const char *sep = strpbrk(s, "/+-:");
	if (!sep)
		return secs(s, a) ? -1 : (*b = *a, 1);
	if ((size_t)(sep - s) >= sizeof first)
		return -1;
	memcpy(first, s, (size_t)(sep - s));
	first[sep - s] = '\0';
	if (row_blank_str(first) || row_blank_str(sep + 1))
		return -1;
	return secs(first, a) || secs(sep + 1, b) ? -1 : 2;
}

/* Digits of a prefix cell into out (cap RATE_PREFIX_MAX + 1). Returns 0 ok,
 * 1 ok with separators dropped, -1 not a prefix. */
static int prefix_digits(const char *s, char *out, size_t *nd)
{
	int seps = 0;
	size_t n = *nd;
	const char *e = s + strlen(s);
	while (isspace((unsigned char)*s))
		s++;
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	if (*s == '^') { /* ASTPP pattern "^9377.*" */
		s++;
		if (e - s >= 2 && e[-2] == '.' && (e[-1] == '*' || e[-1] == '+'))
			e -= 2;
	} else if (*s == '+') {
		s++;
	}
	for (const char *p = s; p < e; p++) {
		if (isdigit((unsigned char)*p)) {
			if (n >= RATE_PREFIX_MAX)
				return -1;
			out[n++] = *p;
		} else if ((*p == ' ' || *p == '-') && p > s && p + 1 < e) {
			/* "44 20", "1-876"; not '.': a spreadsheet's "44.0" is not 440 */
			seps = 1;
		} else {
			return -1;
		}
	}
	out[n] = '\0';
	*nd = n;
	return seps;
}

static const char *cell(const csvin_row *row, int col)
{
	return col >= 0 && col < row->nfields ? row->field[col] : "";
}

/* One data record -> one row, or a rejection. Returns 0, or 1 out of memory. */
static int data_row(rd *x, const csvin_row *row)
{
	deckfmt_deck *d = x->d;
	const int *c = d->col;
	int64_t line = row->line, a, b;
	char digits[RATE_PREFIX_MAX + 2];
	size_t nd = 0;
	rate_row r;
	const char *f;
	int seps = 0;

	for (int i = 0; i < row->nfields; i++)
		if (memchr(row->field[i], '\0', row->len[i]))
			return deckfmt_note(d, line, 1, "field %d holds a NUL byte", i + 1), 0;
	for (int k = 0; k < DF_NFIELDS; k++) {
		if (c[k] < 0)
			continue;
		if (c[k] >= row->nfields && (k == DF_PREFIX || k == DF_RATE || k == DF_NPA || k == DF_NXX
		                             || k == DF_NPANXX))
			return deckfmt_note(d, line, 1, "%d fields: no %s (column %d)", row->nfields, FIELD_NAMES[k], c[k] + 1), 0;
		if (c[k] < row->nfields && !csvin_valid_utf8(row->field[c[k]], row->len[c[k]]))
			return deckfmt_note(d, line, 1, "%s is not valid UTF-8", FIELD_NAMES[k]), 0;
	}
	if (c[DF_ACTION] >= 0) {
		f = cell(row, c[DF_ACTION]);
		while (isspace((unsigned char)*f))
			f++;
		if (*f == 'D' || *f == 'd')
			return deckfmt_note(d, line, 1, "action \"%.20s\": the row deletes its prefix in the writer's system; "
			           "billtop replaces a deck with a new file and --effective DATE", f), 0;
	}
	memset(&r, 0, sizeof r);
	if (x->o->add_prefix)
		for (const char *p = x->o->add_prefix; *p && nd < RATE_PREFIX_MAX; p++)
			digits[nd++] = *p;
	if (c[DF_PREFIX] >= 0) {
		f = cell(row, c[DF_PREFIX]);
		if ((seps = prefix_digits(f, digits, &nd)) < 0)
			return deckfmt_note(d, line, 1, "prefix \"%.40s\" is not digits", f), 0;
		if (seps)
			deckfmt_note(d, line, 0, "prefix \"%.40s\" has separators: read as %s", f, digits + 0);
	} else if (c[DF_NPANXX] >= 0) {
		f = cell(row, c[DF_NPANXX]);
		size_t before = nd;
		if (prefix_digits(f, digits, &nd) != 0 || nd - before != 6)
			return deckfmt_note(d, line, 1, "NPANXX \"%.40s\" is not 6 digits", f), 0;
	} else {
		const char *npa = cell(row, c[DF_NPA]), *nxx = cell(row, c[DF_NXX]);
		size_t before = nd;
		if (prefix_digits(npa, digits, &nd) != 0 || nd - before != 3)
			return deckfmt_note(d, line, 1, "NPA \"%.40s\" is not 3 digits", npa), 0;
		before = nd;
		if (prefix_digits(nxx, digits, &nd) != 0 || nd - before != 3)
			return deckfmt_note(d, line, 1, "NXX \"%.40s\" is not 3 digits", nxx), 0;
	}
	digits[nd] = '\0';
	if (nd == 0 || (x->o->add_prefix && nd == strlen(x->o->add_prefix)))
		return deckfmt_note(d, line, 1, "empty prefix"), 0;
	memcpy(r.prefix, digits, nd + 1);

	f = cell(row, c[DF_RATE]);
	if (row_blank_str(f))
		return deckfmt_note(d, line, 1, "no rate: the writer does not sell this prefix (stored without it, its calls "
		           "would rate on a shorter prefix)"), 0;
	if (money_parse(f, strlen(f), &r.rate_per_min) != MONEY_OK || r.rate_per_min < 0)
		return deckfmt_note(d, line, 1, "rate \"%.40s\" is not an amount >= 0 (at most 9 decimals)", f), 0;
	/* increments: see the file comment for 0 */
	a = b = 0;
	if (c[DF_BILLING] >= 0 && pair(f = cell(row, c[DF_BILLING]), &a, &b) < 0)
		return deckfmt_note(d, line, 1, "billing increment \"%.40s\" is not seconds like 60/60", f), 0;
	if (c[DF_INC] >= 0) {
		int64_t i1, i2;
		int k = pair(f = cell(row, c[DF_INC]), &i1, &i2);
		if (k < 0)
			return deckfmt_note(d, line, 1, "increment \"%.40s\" is not whole seconds", f), 0;
		if (k == 2)
			a = i1, b = i2;
		else
			b = i1;
	}
	if (c[DF_MIN] >= 0 && secs(f = cell(row, c[DF_MIN]), &a))
		return deckfmt_note(d, line, 1, "first increment \"%.40s\" is not whole seconds", f), 0;
	r.inc_secs = (int32_t)(b < 1 ? 1 : b);
	r.min_secs = (int32_t)(a < 1 ? r.inc_secs : a);
	if (c[DF_FEE] >= 0 && *(f = cell(row, c[DF_FEE])) && !row_blank_str(f)) {
		if (money_parse(f, strlen(f), &r.connect_fee) != MONEY_OK || r.connect_fee < 0)
			return deckfmt_note(d, line, 1, "connect fee \"%.40s\" is not an amount >= 0", f), 0;
	}
	if (c[DF_GRACE] >= 0) {
		if (secs(f = cell(row, c[DF_GRACE]), &a))
			return deckfmt_note(d, line, 1, "grace \"%.40s\" is not whole seconds", f), 0;
		r.grace_secs = (int32_t)a;
	}
	if (c[DF_FREE] >= 0) {
		if (secs(f = cell(row, c[DF_FREE]), &a))
			return deckfmt_note(d, line, 1, "%s \"%.40s\" is not whole seconds", d->colname[c[DF_FREE]], f), 0;
		if (a > 0)
			return deckfmt_note(d, line, 1, "%s %lld: that writer deducts free seconds from every call, "
			           "a rule billtop does not have", d->colname[c[DF_FREE]], (long long)a), 0;
	}
	r.eff_from = x->o->effective;
	if (c[DF_EFF] >= 0 && !row_blank_str(f = cell(row, c[DF_EFF])))
		if (tm_parse_utc(f, strlen(f), &r.eff_from) != TM_OK)
			return deckfmt_note(d, line, 1, "effective date \"%.40s\" is not a date (YYYY-MM-DD [HH:MM:SS]; "
			           "or read none with --map effective=- and give --effective DATE)", f), 0;
	r.eff_to = RATE_FOREVER;
	if (c[DF_END] >= 0 && !row_blank_str(f = cell(row, c[DF_END])))
		if (tm_parse_utc(f, strlen(f), &r.eff_to) != TM_OK || r.eff_to <= r.eff_from)
			return deckfmt_note(d, line, 1, "end date \"%.40s\" is not a date after the effective date", f), 0;

	if (d->nrows == d->cap) {
		size_t nc = d->cap ? d->cap * 2 : 256;
		deckfmt_row *nr = realloc(d->rows, nc * sizeof *nr);
		if (!nr)
			return 1;
		d->rows = nr;
		d->cap = nc;
	}
	if (!(r.description = dupn(c[DF_DESC] >= 0 ? cell(row, c[DF_DESC]) : "")))
		return 1;
	d->rows[d->nrows].r = r;
	d->rows[d->nrows].line = line;
	d->rows[d->nrows].repeat = 0;
	d->nrows++;
	return 0;
}

static int on_row(const csvin_row *row, void *vctx)
{
	rd *x = vctx;
	deckfmt_deck *d = x->d;
	if (!x->have_first) {
		x->have_first = 1;
		if (!x->want_header) {
			/* --map by numbers only: the file has no header when the
			 * mapped prefix cell of its first record holds a prefix */
			int pc = x->map_col[DF_PREFIX] >= 0 ? x->map_col[DF_PREFIX]
			       : x->map_col[DF_NPANXX] >= 0 ? x->map_col[DF_NPANXX] : x->map_col[DF_NPA];
			char dg[RATE_PREFIX_MAX + 2];
			size_t nd = 0;
			if (pc < 0 || pc >= row->nfields || prefix_digits(row->field[pc], dg, &nd) < 0 || nd == 0)
				x->want_header = 1;
		}
		for (int i = 0; i < row->nfields; i++)
			if (memchr(row->field[i], '\0', row->len[i]))
				return refuse(x, row->line, "field %d of the first row holds a NUL byte", i + 1);
		if (map_header(x, row))
			return 1;
		d->has_header = x->want_header;
		if (x->want_header)
			return 0;
	}
	d->records++;
	if (row_blank(row)) {
		d->blank++;
		return 0;
	}
	if (data_row(x, row))
		return refuse(x, row->line, "out of memory");
	return 0;
}

int deckfmt_read(const char *path, const char *buf, size_t len, const deckfmt_opts *o, deckfmt_deck *d)
{
	static const deckfmt_opts none;
	rd x;
	csvin_error err;
	int rc;
	memset(d, 0, sizeof *d);
	for (int f = 0; f < DF_NFIELDS; f++)
		d->col[f] = -1;
	memset(&x, 0, sizeof x);
	x.o = o ? o : &none;
	x.d = d;
	x.label = path;
	x.want_header = 1;
	x.rate_pick = -1;
	if (x.o->add_prefix) {
		const char *p = x.o->add_prefix;
		for (; *p; p++)
			if (!isdigit((unsigned char)*p))
				break;
		if (*p || strlen(x.o->add_prefix) > 4) {
			refuse(&x, 0, "--add-prefix \"%s\": 1 to 4 digits (a country code)", x.o->add_prefix);
			return DECKFMT_EINPUT;
		}
	}
	if (x.o->rate_column && (x.rate_pick = colnum(x.o->rate_column)) < 0)
		norm(x.o->rate_column, x.rate_name, sizeof x.rate_name);
	if (parse_map(&x))
		return DECKFMT_EINPUT;
	rc = buf ? csvin_read_buffer(buf, len, on_row, &x, &err) : csvin_read_file(path, 0, on_row, NULL, &x, &err);
	if (x.fatal)
		return strstr(d->err, "out of memory") ? DECKFMT_ENOMEM : DECKFMT_EINPUT;
	if (rc != CSVIN_OK) {
		snprintf(d->err, sizeof d->err, "%s:%lld: %s", path, (long long)err.line, err.msg);
		return rc == CSVIN_EOPEN ? DECKFMT_EOPEN : rc == CSVIN_ENOMEM ? DECKFMT_ENOMEM : DECKFMT_EINPUT;
	}
	if (!x.have_first) {
		snprintf(d->err, sizeof d->err, "%s: empty file (a rate deck needs a header row)", path);
		return DECKFMT_EINPUT;
	}
	if (deckfmt_check(d)) {
		snprintf(d->err, sizeof d->err, "%s: out of memory", path);
		return DECKFMT_ENOMEM;
	}
	return DECKFMT_OK;
}

void deckfmt_free(deckfmt_deck *d)
{
	for (size_t i = 0; i < d->nrows; i++)
		free((char *)d->rows[i].r.description);
	free(d->rows);
	if (d->colname)
		for (int i = 0; i < d->ncols; i++)
			free(d->colname[i]);
	free(d->colname);
	free(d->msgs);
	memset(d, 0, sizeof *d);
}
