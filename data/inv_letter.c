/* inv_letter.c: the text report of a dispute, written as a letter to the
 * carrier (inv_letter_write, inv_report.h). Rules: no line past 80 columns
 * (long ids and numbers are broken, never cut); the calls named as each
 * side's file names them (inv_name_of: their id, line and numbers as
 * written, our record id with its source); nothing internal: no local
 * path, no notes, no options, no operator unless c->sign is set. Every
 * difference is theirs ("yours") minus ours. */
#include <stdlib.h>
#include <string.h>

#include "../core/tm.h"
#include "inv_report.h"
#include "out.h"

#define WIDTH 80
#define LETTER_MAX_REJECTS 50

/* text on lines of at most WIDTH columns, broken at blanks (a word longer
 * than a line is broken inside); the first line starts with `lead` (its
 * width is the indent of the others). */
static void para(FILE *f, int indent, const char *lead, const char *text)
{
	const char *p = text;
	int col;
	fprintf(f, "%*s%s", indent - (int)strlen(lead), "", lead);
	col = indent;
	while (*p) {
		const char *sp = p;
		int w;
		while (*sp && *sp != ' ')
			sp++;
		w = (int)(sp - p);
		if (col > indent && col + 1 + w > WIDTH) {
			fprintf(f, "\n%*s", indent, "");
			col = indent;
		} else if (col > indent) {
			fputc(' ', f);
			col++;
		}
		while (col + w > WIDTH) { /* a word longer than the line */
			int k = WIDTH - col;
			fprintf(f, "%.*s\n%*s", k, p, indent, "");
			p += k;
			w -= k;
			col = indent;
		}
		fprintf(f, "%.*s", w, p);
		col += w;
		for (p = sp; *p == ' '; p++)
			;
	}
	fputc('\n', f);
}

static const char *secs_text(int64_t ms, int plus, char *buf, size_t n)
{
	uint64_t a = ms < 0 ? (uint64_t)0 - (uint64_t)ms : (uint64_t)ms;
	const char *sg = ms < 0 ? "-" : plus && ms > 0 ? "+" : "";
	if (a % 1000)
		snprintf(buf, n, "%s%llu.%03llu", sg, (unsigned long long)(a / 1000), (unsigned long long)(a % 1000));
	else
		snprintf(buf, n, "%s%llu", sg, (unsigned long long)(a / 1000));
	return buf;
}

static const char *money_text(money_t v, int d, int plus, char *buf, size_t n)
{
	char tmp[40];
	money_format(v, d, tmp, sizeof tmp);
	snprintf(buf, n, "%s%s", plus && v > 0 ? "+" : "", tmp);
	return buf;
}

static const char *when_text(int64_t t, char *buf, size_t n)
{
	if (t == TM_NONE)
		snprintf(buf, n, "-");
	else
		tm_format(t, buf, n);
	return buf;
}

typedef struct {
	int shown_compared;        /* a call was shown in its compared form */
} letter_state;

/* One call as a sentence: "ID (line N), from A to B, started T UTC, S s,
 * charged C"; its names as written when known. */
static void call_para(FILE *f, const inv_case *c, int side, int idx, int indent, const char *lead,
                      letter_state *ls)
{
	recon_call k;
	recon_callbuf kb;
	const inv_name *nm = inv_name_of(c, side, idx);
	char id[600], src[300], dst[300], st[32], sc[32], co[48], line[2000];
	inv_side_call(side == RECON_OURS ? &c->ours : &c->theirs, (size_t)idx, &k, &kb);
	out_visible(nm ? nm->id : k.id, id, sizeof id, 0);
	out_visible(nm ? nm->src : k.src, src, sizeof src, 0);
	out_visible(nm ? nm->dst : k.dst, dst, sizeof dst, 0);
	if (!nm)
		ls->shown_compared = 1;
	if (side == RECON_THEIRS)
		snprintf(line, sizeof line, "%s%s (line %lld), from %s to %s, started %s UTC, %s s, charged %s", id,
		         nm ? "" : "*", (long long)k.ref, *src ? src : "-", *dst ? dst : "-",
		         when_text(k.start, st, sizeof st), secs_text(k.billsec_ms, 0, sc, sizeof sc),
		         k.has_cost ? money_text(k.cost, c->account.decimals, 0, co, sizeof co) : "nothing");
	else
		snprintf(line, sizeof line, "%s%s, from %s to %s, started %s UTC, %s s, charged %s", id, nm ? "" : "*",
		         *src ? src : "-", *dst ? dst : "-", when_text(k.start, st, sizeof st),
		         secs_text(k.billsec_ms, 0, sc, sizeof sc),
		         k.has_cost ? money_text(k.cost, c->account.decimals, 0, co, sizeof co) : "nothing");
	para(f, indent, lead, line);
}

static void totals_row(FILE *f, const char *label, const char *a, const char *b, const char *d)
{
	fprintf(f, "%-18s %19s %19s %19s\n", label, a, b, d);
}

static void finding(FILE *f, const inv_case *c, int no, const inv_finding *fd, letter_state *ls)
{
	const recon_bucket *b = &fd->totals;
	int d = c->account.decimals;
	char day[32], m[48], x[48], y[48], head[160], text[400], h[32];
	tm_format(fd->day, day, sizeof day);
	day[10] = '\0';
	money_text(fd->money, d, 1, m, sizeof m);
	switch (fd->verdict) {
	case RECON_VERDICT_MISSING_CALLS:
		snprintf(head, sizeof head, "%d. %s: calls missing (amount %s)", no, day, m);
		break;
	case RECON_VERDICT_DURATION:
		snprintf(head, sizeof head, "%d. %s: durations differ (amount %s)", no, day, m);
		break;
	default:
		snprintf(head, sizeof head, "%d. %s: charges differ (amount %s)", no, day, m);
	}
	fprintf(f, "%s\n", head);
	if (fd->verdict == RECON_VERDICT_MISSING_CALLS) {
		snprintf(text, sizeof text, "Connected calls on %s UTC: ours %lld, yours %lld.", day,
		         (long long)b->connected[0], (long long)b->connected[1]);
		if (fd->has_hour) {
			tm_format(fd->hour, h, sizeof h);
			snprintf(text + strlen(text), sizeof text - strlen(text), " Most of the difference is in the hour from %.5s UTC.",
			         h + 11);
		}
		para(f, 3, "", text);
		fprintf(f, "   In your records, not in ours: %zu\n", fd->nmissing_ours);
		for (size_t k = 0; k < fd->nlist_ours; k++)
			call_para(f, c, RECON_THEIRS, fd->missing_ours[k], 5, "- ", ls);
		if (fd->nlist_ours < fd->nmissing_ours)
			fprintf(f, "     ... and %zu more, not listed in this letter\n",
			        fd->nmissing_ours - fd->nlist_ours);
		fprintf(f, "   In our records, not in yours: %zu\n", fd->nmissing_theirs);
		for (size_t k = 0; k < fd->nlist_theirs; k++)
			call_para(f, c, RECON_OURS, fd->missing_theirs[k], 5, "- ", ls);
		if (fd->nlist_theirs < fd->nmissing_theirs)
			fprintf(f, "     ... and %zu more, not listed in this letter\n",
			        fd->nmissing_theirs - fd->nlist_theirs);
	} else {
		snprintf(text, sizeof text, fd->verdict == RECON_VERDICT_DURATION
		                                ? "The same calls are in both records, but some last longer in one. "
		                                  "Seconds on %s UTC: ours %s, yours %s."
		                                : "The same calls, of the same durations, are charged differently. "
		                                  "Seconds on %s UTC: ours %s, yours %s.",
		         day, secs_text(b->billsec_ms[0], 0, x, sizeof x), secs_text(b->billsec_ms[1], 0, y, sizeof y));
		para(f, 3, "", text);
		if (fd->has_single) {
			fprintf(f, "   The call that differs most:\n");
			call_para(f, c, RECON_OURS, fd->single.ours, 17, "Our record:  ", ls);
			call_para(f, c, RECON_THEIRS, fd->single.theirs, 17, "Your record: ", ls);
			snprintf(text, sizeof text, "%s s, %s", secs_text(fd->single_diff_ms, 1, x, sizeof x),
			         money_text(fd->single_diff_cost, d, 1, y, sizeof y));
			para(f, 17, "Difference:  ", text);
		}
	}
	fputc('\n', f);
}

void inv_letter_write(FILE *f, const inv_case *c)
{
	const recon_result *r = &c->res;
	int d = c->account.decimals;
	recon_bucket t;
	letter_state ls = { 0 };
	char a[64], b[64], x[48], y[48], z[48], name[200], text[600];

	memset(&t, 0, sizeof t);
	for (int i = 0; i < r->nday; i++)
		for (int s = 0; s < 2; s++) {
			t.calls[s] += r->days[i].calls[s];
			t.connected[s] += r->days[i].connected[s];
			t.billsec_ms[s] += r->days[i].billsec_ms[s];
			t.cost[s] = money_add_sat(t.cost[s], r->days[i].cost[s]);
		}
	out_visible(c->account.name, name, sizeof name, 0);
	snprintf(text, sizeof text, "Billing dispute: the calls of account %s", name);
	para(f, 0, "", text);
	tm_format(c->from, a, sizeof a);
	tm_format(c->to, b, sizeof b);
	fprintf(f, "Period: calls starting from %s to %s UTC\n", a, b);
	tm_format(c->created, a, sizeof a);
	if (c->id)
		fprintf(f, "Our reference: case %lld%s, %.10s\n", (long long)c->id,
		        c->version > 1 ? " (revised)" : "", a);
	fputc('\n', f);
	fprintf(f, "%-18s %19s %19s %19s\n", "Totals", "our records", "your records", "difference");
	snprintf(a, sizeof a, "%lld", (long long)t.calls[0]);
	snprintf(b, sizeof b, "%lld", (long long)t.calls[1]);
	snprintf(x, sizeof x, "%+lld", (long long)(t.calls[1] - t.calls[0]));
	totals_row(f, "Calls", a, b, x);
	snprintf(a, sizeof a, "%lld", (long long)t.connected[0]);
	snprintf(b, sizeof b, "%lld", (long long)t.connected[1]);
	snprintf(x, sizeof x, "%+lld", (long long)(t.connected[1] - t.connected[0]));
	totals_row(f, "Connected calls", a, b, x);
	totals_row(f, "Seconds", secs_text(t.billsec_ms[0], 0, a, sizeof a), secs_text(t.billsec_ms[1], 0, b, sizeof b),
	           secs_text(t.billsec_ms[1] - t.billsec_ms[0], 1, x, sizeof x));
	snprintf(z, sizeof z, "Charges (%s)", c->account.currency);
	totals_row(f, z, money_text(t.cost[0], d, 0, a, sizeof a), money_text(t.cost[1], d, 0, b, sizeof b),
	           money_text(money_add_sat(t.cost[1], -t.cost[0]), d, 1, y, sizeof y));
	if (c->ours.cnam || c->theirs.cnam)
		totals_row(f, "CNAM lookups", money_text(c->ours.cnam, d, 0, a, sizeof a),
		           money_text(c->theirs.cnam, d, 0, b, sizeof b),
		           money_text(money_add_sat(c->theirs.cnam, -c->ours.cnam), d, 1, y, sizeof y));
	fprintf(f, "Differences are yours minus ours; times are UTC.\n\n");

	if (r->verdict == RECON_VERDICT_TIMEZONE_OFFSET) {
		snprintf(text, sizeof text, "Your records' times are %+lld s from ours: we compared them with that offset "
		         "removed.", (long long)r->clock_offset_s);
		para(f, 0, "", text);
		fputc('\n', f);
	}
	if (!c->findings.n) {
		snprintf(text, sizeof text, "Our records and yours agree on every day within the tolerances (counts "
		         "%d.%02d %%, seconds %d.%02d %%, charges %d.%02d %% or %s).",
		         r->opts.count_bp / 100, r->opts.count_bp % 100, r->opts.seconds_bp / 100, r->opts.seconds_bp % 100,
		         r->opts.cost_bp / 100, r->opts.cost_bp % 100, money_text(r->opts.cost_abs, d, 0, x, sizeof x));
		para(f, 0, "", text);
		fputc('\n', f);
	} else {
		fprintf(f, "What we found, the largest amount first (%d day%s):\n\n", c->findings.n,
		        c->findings.n == 1 ? "" : "s");
		for (int i = 0; i < c->findings.n; i++)
			finding(f, c, i + 1, &c->findings.f[i], &ls);
	}
	if (c->theirs.rejected) {
		fprintf(f, "%lld row%s of your file could not be read:\n", (long long)c->theirs.rejected,
		        c->theirs.rejected == 1 ? "" : "s");
		for (size_t i = 0; i < c->theirs.nrejects && i < LETTER_MAX_REJECTS; i++) {
			char why[400];
			out_visible(c->theirs.rejects[i].why, why, sizeof why, 0);
			snprintf(text, sizeof text, "line %lld: %s", (long long)c->theirs.rejects[i].line, why);
			para(f, 2, "- ", text);
		}
		if (c->theirs.nrejects > LETTER_MAX_REJECTS || (size_t)c->theirs.rejected > c->theirs.nrejects)
			fprintf(f, "  ... and %lld more\n", (long long)c->theirs.rejected - LETTER_MAX_REJECTS);
		fputc('\n', f);
	}
	if (ls.shown_compared)
		para(f, 0, "", "Ids marked * and their numbers are shown as compared (numbers in one form), "
		               "not as written in the records.");
	para(f, 0, "", "Our ids are our switch's record ids after the name of its format; yours are as "
	               "written in your file, with the file's line.");
	if (c->sign[0]) {
		char sg[200];
		out_visible(c->sign, sg, sizeof sg, 0);
		fprintf(f, "\nRegards,\n");
		para(f, 0, "", sg);
	}
}
