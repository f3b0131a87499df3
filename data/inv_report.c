/* inv_report.c: writing an investigation's report (see inv_report.h). */
#include "inv_report.h"

#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>

#include "../core/tm.h"
#include "out.h"
#include "store.h"


static const char *const SIDE[2] = { "ours", "theirs" };

/* "-12.345": milliseconds as decimal seconds; plus: "+" on positives. */
static const char *secs(int64_t ms, int plus, char *buf, size_t n)
{
	uint64_t a = ms < 0 ? (uint64_t)0 - (uint64_t)ms : (uint64_t)ms;
	snprintf(buf, n, "%s%llu.%03llu", ms < 0 ? "-" : plus && ms > 0 ? "+" : "", (unsigned long long)(a / 1000),
	         (unsigned long long)(a % 1000));
	return buf;
}

static const char *money(money_t v, int d, int plus, char *buf, size_t n)
{
	char tmp[40];
	money_format(v, d, tmp, sizeof tmp);
	snprintf(buf, n, "%s%s", plus && v > 0 ? "+" : "", tmp);
	return buf;
}

static const char *num(int64_t v, int plus, char *buf, size_t n)
{
	snprintf(buf, n, plus && v > 0 ? "+%lld" : "%lld", (long long)v);
	return buf;
}

static const char *day_text(int64_t t, char *buf, size_t n)
{
	char tmp[32];
	tm_format(t, tmp, sizeof tmp);
	snprintf(buf, n, "%.10s", tmp);
	return buf;
}

static const char *time_text(int64_t t, char *buf, size_t n)
{
	if (t == TM_NONE)
		snprintf(buf, n, "-");
	else
		tm_format(t, buf, n);
	return buf;
}

static const char *pct(int bp, char *buf, size_t n)
{
	snprintf(buf, n, "%d.%02d", bp / 100, bp % 100);
	return buf;
}

/* A call of either side as a recon_call, in either form of the side. */
typedef struct {
	recon_call c;
	recon_callbuf b;
} call_view;

static const recon_call *our_call(const inv_case *c, int i, call_view *v)
{
	inv_side_call(&c->ours, (size_t)i, &v->c, &v->b);
	return &v->c;
}

static const recon_call *their_call(const inv_case *c, int i, call_view *v)
{
	inv_side_call(&c->theirs, (size_t)i, &v->c, &v->b);
	return &v->c;
}

static void period_totals(const inv_case *c, recon_bucket *t)
{
	memset(t, 0, sizeof *t);
	t->start = c->from;
	for (int i = 0; i < c->res.nday; i++)
		for (int s = 0; s < 2; s++) {
			t->calls[s] += c->res.days[i].calls[s];
			t->connected[s] += c->res.days[i].connected[s];
			t->billsec_ms[s] += c->res.days[i].billsec_ms[s];
			t->cost[s] += c->res.days[i].cost[s];
		}
}

void inv_report_summary(const inv_case *c, char *buf, size_t n)
{
	const recon_result *r = &c->res;
	int d = c->account.decimals;
	char a[48], b[48], h[32];
	call_view v0, v1;
	switch (r->verdict) {
	case RECON_VERDICT_MISSING_CALLS:
		snprintf(buf, n, "Calls are missing: they have %zu call(s) we lack and we have %zu they lack%s%s%s.",
		         r->nmissing_ours, r->nmissing_theirs, r->has_worst_hour ? "; the worst hour starts " : "",
		         r->has_worst_hour ? time_text(r->worst_hour.start, h, sizeof h) : "",
		         r->has_worst_hour ? " UTC" : "");
		break;
	case RECON_VERDICT_DURATION:
	case RECON_VERDICT_RATING:
		if (r->has_single)
			snprintf(buf, n, "%s: the call with the biggest difference is our %s / their %s "
			         "(seconds %s, cost %s).",
			         r->verdict == RECON_VERDICT_DURATION ? "Connected calls match but durations differ"
			                                              : "Calls and durations match but charges differ",
			         our_call(c, r->single.ours, &v0)->id, their_call(c, r->single.theirs, &v1)->id,
			         secs(r->single_diff_ms, 1, a, sizeof a), money(r->single_diff_cost, d, 1, b, sizeof b));
		else
			snprintf(buf, n, "%s.", r->verdict == RECON_VERDICT_DURATION ? "Durations differ"
			                                                               : "Charges differ");
		break;
	case RECON_VERDICT_TIMEZONE_OFFSET:
		snprintf(buf, n, "Their clock is %s s (%s h) from ours: the same calls fall on other hours and days.",
		         num(r->clock_offset_s, 1, a, sizeof a), secs(r->clock_offset_s * 1000 / 3600, 1, b, sizeof b));
		break;
	default:
		snprintf(buf, n, "The two sides agree within the tolerances.");
	}
}

/* ---- JSON ------------------------------------------------------------------ */

static void j_secs(out_json *j, const char *key, int64_t ms)
{
	char b[40];
	out_json_str(j, key, secs(ms, 0, b, sizeof b));
}

static void j_bucket(out_json *j, const char *key, const char *label_key, const char *label,
                     const recon_bucket *b, int d)
{
	out_json_obj(j, key);
	out_json_str(j, label_key, label);
	out_json_int(j, "calls_ours", b->calls[0]);
	out_json_int(j, "calls_theirs", b->calls[1]);
	out_json_int(j, "calls_diff", b->calls[1] - b->calls[0]);
	out_json_int(j, "connected_ours", b->connected[0]);
	out_json_int(j, "connected_theirs", b->connected[1]);
	out_json_int(j, "connected_diff", b->connected[1] - b->connected[0]);
	j_secs(j, "seconds_ours", b->billsec_ms[0]);
	j_secs(j, "seconds_theirs", b->billsec_ms[1]);
	j_secs(j, "seconds_diff", b->billsec_ms[1] - b->billsec_ms[0]);
	out_json_money(j, "cost_ours", b->cost[0], d);
	out_json_money(j, "cost_theirs", b->cost[1], d);
	out_json_money(j, "cost_diff", b->cost[1] - b->cost[0], d);
	out_json_end(j);
}

static void j_call_n(out_json *j, const char *key, const recon_call *c, int side, int d, const inv_name *nm);

static void j_call(out_json *j, const char *key, const recon_call *c, int side, int d)
{
	j_call_n(j, key, c, side, d, NULL);
}

/* A call, and, when known, its id and numbers as its side's file wrote them. */
static void j_call_n(out_json *j, const char *key, const recon_call *c, int side, int d, const inv_name *nm)
{
	out_json_obj(j, key);
	out_json_str(j, "id", c->id);
	out_json_int(j, side == RECON_OURS ? "row" : "line", c->ref);
	out_json_time(j, "start", c->start);
	out_json_time(j, "answer", c->answer);
	out_json_str(j, "src", c->src);
	out_json_str(j, "dst", c->dst);
	out_json_bool(j, "connected", c->connected);
	j_secs(j, "seconds", c->billsec_ms);
	if (c->billed_secs >= 0)
		out_json_int(j, "billed_seconds", c->billed_secs);
	else
		out_json_null(j, "billed_seconds");
	out_json_str(j, "prefix", *c->prefix ? c->prefix : NULL);
	if (c->has_cost)
		out_json_money(j, "cost", c->cost, d);
	else
		out_json_null(j, "cost");
	if (nm) {
		out_json_obj(j, "as_written");
		out_json_str(j, "id", nm->id);
		out_json_str(j, "src", nm->src);
		out_json_str(j, "dst", nm->dst);
		out_json_end(j);
	}
	out_json_end(j);
}

/* The findings (inv_findings.h): one object per differing day, by money. */
static void j_findings(out_json *j, const inv_case *c)
{
	int d = c->account.decimals;
	char b[48];
	call_view v0, v1;
	out_json_arr(j, "findings");
	for (int i = 0; i < c->findings.n; i++) {
		const inv_finding *f = &c->findings.f[i];
		out_json_obj(j, NULL);
		out_json_str(j, "day", day_text(f->day, b, sizeof b));
		out_json_str(j, "verdict", recon_verdict_name(f->verdict));
		out_json_money(j, "money", f->money, d);
		out_json_bool(j, "walked", f->walked);
		j_bucket(j, "totals", "date", day_text(f->day, b, sizeof b), &f->totals, d);
		if (f->has_hour) {
			tm_format_iso(f->hour, b, sizeof b);
			out_json_str(j, "hour", b);
		} else {
			out_json_null(j, "hour");
		}
		out_json_arr(j, "missing_ours");
		for (size_t k = 0; k < f->nlist_ours; k++)
			out_json_str(j, NULL, their_call(c, f->missing_ours[k], &v0)->id);
		out_json_end(j);
		out_json_int(j, "missing_ours_count", (int64_t)f->nmissing_ours);
		out_json_arr(j, "missing_theirs");
		for (size_t k = 0; k < f->nlist_theirs; k++)
			out_json_str(j, NULL, our_call(c, f->missing_theirs[k], &v0)->id);
		out_json_end(j);
		out_json_int(j, "missing_theirs_count", (int64_t)f->nmissing_theirs);
		out_json_arr(j, "missing_ours_calls");
		for (size_t k = 0; k < f->nlist_ours; k++)
			j_call_n(j, NULL, their_call(c, f->missing_ours[k], &v0), RECON_THEIRS, d,
			         inv_name_of(c, RECON_THEIRS, f->missing_ours[k]));
		out_json_end(j);
		out_json_arr(j, "missing_theirs_calls");
		for (size_t k = 0; k < f->nlist_theirs; k++)
			j_call_n(j, NULL, our_call(c, f->missing_theirs[k], &v0), RECON_OURS, d,
			         inv_name_of(c, RECON_OURS, f->missing_theirs[k]));
		out_json_end(j);
		if (f->has_single) {
			out_json_obj(j, "single_call");
			j_call_n(j, "ours", our_call(c, f->single.ours, &v0), RECON_OURS, d,
			         inv_name_of(c, RECON_OURS, f->single.ours));
			j_call_n(j, "theirs", their_call(c, f->single.theirs, &v1), RECON_THEIRS, d,
			         inv_name_of(c, RECON_THEIRS, f->single.theirs));
			j_secs(j, "diff_seconds", f->single_diff_ms);
			out_json_money(j, "diff_cost", f->single_diff_cost, d);
			out_json_end(j);
		} else {
			out_json_null(j, "single_call");
		}
		out_json_end(j);
	}
	out_json_end(j);
}

/* Their per-minute rate implied by their cost and billed seconds. */
static int implied_rate(const recon_call *t, char *buf, size_t n)
{
	if (!t->has_cost || t->billed_secs <= 0)
		return 0;
	return money_format_fraction((__int128)t->cost * 60, t->billed_secs, 9, buf, n) >= 0;
}

static void j_rating(out_json *j, const cdrq_explain *e)
{
	char exact[64];
	const rate_row *r = &e->rate;
	out_json_obj(j, "our_rating");
	out_json_str(j, "call_id", e->call.record_id);
	out_json_str(j, "state", store_cdr_state_name(e->call.state));
	if (e->has_rate) {
		out_json_obj(j, "rate");
		out_json_int(j, "id", r->id);
		out_json_str(j, "prefix", r->prefix);
		out_json_str(j, "description", r->description);
		out_json_money(j, "rate_per_min", r->rate_per_min, 4);
		out_json_int(j, "min_secs", r->min_secs);
		out_json_int(j, "inc_secs", r->inc_secs);
		out_json_int(j, "grace_secs", r->grace_secs);
		out_json_money(j, "connect_fee", r->connect_fee, 4);
		out_json_time(j, "effective", r->eff_from);
		out_json_end(j);
	} else {
		out_json_null(j, "rate");
	}
	out_json_int(j, "billsec", e->billsec);
	out_json_int(j, "billed_seconds", e->call.billed_secs);
	money_format_fraction(e->exact_num, 60, 12, exact, sizeof exact);
	out_json_str(j, "exact_cost", e->has_rate && e->call.state == CDR_RATED ? exact : NULL);
	out_json_str(j, "rounding", round_mode_name(e->account.rounding));
	out_json_int(j, "decimals", e->account.decimals);
	out_json_money(j, "cost", e->call.cost, e->account.decimals);
	out_json_bool(j, "recomputed_matches", e->recomputed == e->call.cost);
	out_json_end(j);
}

static void write_json(FILE *f, const inv_case *c)
{
	call_view v0, v1;
	const recon_result *r = &c->res;
	const recon_opts *o = &r->opts;
	int d = c->account.decimals;
	out_json j;
	recon_bucket tot;
	char b[400];

	out_json_init(&j, f, 1);
	out_json_obj(&j, NULL);
	out_json_int(&j, "case", c->id);
	out_json_str(&j, "account", c->account.name);
	out_json_str(&j, "currency", c->account.currency);
	out_json_time(&j, "created", c->created);
	out_json_str(&j, "operator", c->operator_);
	out_json_str(&j, "ssh_client", c->ssh_client);
	out_json_obj(&j, "period");
	out_json_time(&j, "from", c->from);
	out_json_time(&j, "to", c->to);
	out_json_end(&j);
	out_json_str(&j, "options", c->options);
	out_json_obj(&j, "tolerances");
	out_json_str(&j, "count_pct", pct(o->count_bp, b, sizeof b));
	out_json_str(&j, "seconds_pct", pct(o->seconds_bp, b, sizeof b));
	out_json_str(&j, "cost_pct", pct(o->cost_bp, b, sizeof b));
	out_json_money(&j, "cost_abs", o->cost_abs, d);
	out_json_int(&j, "time_s", o->match_tol_s);
	out_json_int(&j, "max_offset_s", o->max_offset_s);
	out_json_bool(&j, "match_ids", o->match_ids);
	out_json_end(&j);
	out_json_obj(&j, "ours");
	out_json_int(&j, "records", c->ours.rows);
	out_json_int(&j, "calls", (int64_t)c->ours.n);
	out_json_int(&j, "extra_legs", c->ours.extra_legs);
	out_json_end(&j);
	out_json_obj(&j, "theirs");
	out_json_str(&j, "path", c->their_path);
	out_json_str(&j, "format", c->their_format);
	out_json_int(&j, "rows", c->theirs.rows);
	out_json_int(&j, "calls", (int64_t)c->theirs.n);
	out_json_int(&j, "outside_period", c->theirs.outside);
	out_json_int(&j, "extra_legs", c->theirs.extra_legs);
	out_json_int(&j, "rejected", c->theirs.rejected);
	out_json_arr(&j, "rejects");
	for (size_t i = 0; i < c->theirs.nrejects; i++) {
		out_json_obj(&j, NULL);
		out_json_int(&j, "line", c->theirs.rejects[i].line);
		out_json_str(&j, "reason", c->theirs.rejects[i].why);
		out_json_end(&j);
	}
	out_json_end(&j);
	out_json_end(&j);
	period_totals(c, &tot);
	j_bucket(&j, "totals", "date", "total", &tot, d);
	out_json_arr(&j, "daily");
	for (int i = 0; i < r->nday; i++)
		j_bucket(&j, NULL, "date", day_text(r->days[i].start, b, sizeof b), &r->days[i], d);
	out_json_end(&j);
	if (r->worst_day >= 0 && r->worst_day < r->nday)
		j_bucket(&j, "worst_day", "date", day_text(r->days[r->worst_day].start, b, sizeof b),
		         &r->days[r->worst_day], d);
	else
		out_json_null(&j, "worst_day");
	out_json_arr(&j, "steps");
	for (int i = 0; i < r->nstep; i++) {
		out_json_obj(&j, NULL);
		out_json_str(&j, "question", r->steps[i].question);
		out_json_str(&j, "answer", r->steps[i].answer ? "yes" : "no");
		out_json_str(&j, "figures", r->steps[i].figures);
		out_json_bool(&j, "overridden", r->steps[i].overridden);
		out_json_end(&j);
	}
	out_json_end(&j);
	out_json_str(&j, "verdict", recon_verdict_name(r->verdict));
	inv_report_summary(c, b, sizeof b);
	out_json_str(&j, "summary", b);
	out_json_int(&j, "clock_offset_s", r->clock_offset_s);
	if (r->has_worst_hour) {
		char iso[32];
		tm_format_iso(r->worst_hour.start, iso, sizeof iso);
		j_bucket(&j, "worst_hour", "hour", iso, &r->worst_hour, d);
	} else {
		out_json_null(&j, "worst_hour");
	}
	out_json_int(&j, "matched", (int64_t)r->npairs);
	out_json_obj(&j, "unmatched");
	out_json_int(&j, "ours", (int64_t)(c->ours.n - r->npairs));
	out_json_int(&j, "theirs", (int64_t)(c->theirs.n - r->npairs));
	out_json_end(&j);
	out_json_arr(&j, "missing_ours");
	for (size_t i = 0; i < r->nmissing_ours; i++)
		out_json_str(&j, NULL, their_call(c, r->missing_ours[i], &v0)->id);
	out_json_end(&j);
	out_json_arr(&j, "missing_ours_lines");
	for (size_t i = 0; i < r->nmissing_ours; i++)
		out_json_int(&j, NULL, their_call(c, r->missing_ours[i], &v0)->ref);
	out_json_end(&j);
	out_json_arr(&j, "missing_theirs");
	for (size_t i = 0; i < r->nmissing_theirs; i++)
		out_json_str(&j, NULL, our_call(c, r->missing_theirs[i], &v0)->id);
	out_json_end(&j);
	if (r->has_single) {
		const recon_call *t = their_call(c, r->single.theirs, &v1);
		out_json_obj(&j, "single_call");
		j_call(&j, "ours", our_call(c, r->single.ours, &v0), RECON_OURS, d);
		j_call(&j, "theirs", t, RECON_THEIRS, d);
		out_json_int(&j, "dt_s", r->single.dt);
		j_secs(&j, "diff_seconds", r->single_diff_ms);
		out_json_money(&j, "diff_cost", r->single_diff_cost, d);
		if (c->has_explain)
			j_rating(&j, &c->explain);
		else
			out_json_null(&j, "our_rating");
		out_json_str(&j, "their_rate_per_min", implied_rate(t, b, sizeof b) ? b : NULL);
		out_json_end(&j);
	} else {
		out_json_null(&j, "single_call");
	}
	out_json_arr(&j, "causes");
	for (int i = 0; i < r->ncause; i++) {
		const recon_cause *k = &r->causes[i];
		out_json_obj(&j, NULL);
		out_json_str(&j, "kind", recon_cause_name(k->kind));
		out_json_str(&j, "side", k->side == RECON_OURS || k->side == RECON_THEIRS ? SIDE[k->side] : NULL);
		out_json_str(&j, "prefix", k->prefix[0] ? k->prefix : NULL);
		out_json_int(&j, "offset_s", k->offset_s);
		out_json_str(&j, "evidence", k->evidence);
		out_json_end(&j);
	}
	out_json_end(&j);
	out_json_obj(&j, "cnam");
	out_json_money(&j, "ours", c->ours.cnam, d);
	out_json_money(&j, "theirs", c->theirs.cnam, d);
	out_json_end(&j);
	out_json_int(&j, "version", c->version);
	j_findings(&j, c);
	out_json_end(&j);
	out_json_done(&j);
}

/* ---- CSV ------------------------------------------------------------------- */

static void c_secs(out_csv *o, int64_t ms)
{
	char b[40];
	out_csv_cell(o, secs(ms, 0, b, sizeof b));
}

static void c_bucket(out_csv *o, const char *label, const recon_bucket *b, int d)
{
	out_csv_cell(o, label);
	out_csv_int(o, b->calls[0]);
	out_csv_int(o, b->calls[1]);
	out_csv_int(o, b->calls[1] - b->calls[0]);
	out_csv_int(o, b->connected[0]);
	out_csv_int(o, b->connected[1]);
	out_csv_int(o, b->connected[1] - b->connected[0]);
	c_secs(o, b->billsec_ms[0]);
	c_secs(o, b->billsec_ms[1]);
	c_secs(o, b->billsec_ms[1] - b->billsec_ms[0]);
	out_csv_money(o, b->cost[0], d);
	out_csv_money(o, b->cost[1], d);
	out_csv_money(o, b->cost[1] - b->cost[0], d);
	out_csv_end(o);
}

static void c_call_n(out_csv *o, const char *what, const recon_call *k, int side, int d, const inv_name *nm);

static void c_call(out_csv *o, const char *what, const recon_call *k, int side, int d)
{
	c_call_n(o, what, k, side, d, NULL);
}

static void c_call_n(out_csv *o, const char *what, const recon_call *k, int side, int d, const inv_name *nm)
{
	out_csv_cell(o, what);
	out_csv_cell(o, SIDE[side]);
	out_csv_cell(o, k->id);
	out_csv_int(o, k->ref);
	out_csv_time(o, k->start);
	out_csv_time(o, k->answer);
	out_csv_cell(o, k->src);
	out_csv_cell(o, k->dst);
	out_csv_int(o, k->connected);
	c_secs(o, k->billsec_ms);
	if (k->billed_secs >= 0)
		out_csv_int(o, k->billed_secs);
	else
		out_csv_cell(o, "");
	out_csv_cell(o, k->prefix);
	if (k->has_cost)
		out_csv_money(o, k->cost, d);
	else
		out_csv_cell(o, "");
	out_csv_cell(o, nm ? nm->id : "");
	out_csv_cell(o, nm ? nm->src : "");
	out_csv_cell(o, nm ? nm->dst : "");
	out_csv_end(o);
}

static void write_csv(FILE *f, const inv_case *c)
{
	call_view v0, v1;
	static const char *const dh[] = { "date", "calls_ours", "calls_theirs", "calls_diff", "connected_ours",
		"connected_theirs", "connected_diff", "seconds_ours", "seconds_theirs", "seconds_diff", "cost_ours",
		"cost_theirs", "cost_diff", NULL };
	static const char *const ch[] = { "list", "side", "record_id", "row_or_line", "start", "answer", "src", "dst",
		"connected", "seconds", "billed_seconds", "prefix", "cost", "id_as_written", "src_as_written",
		"dst_as_written", NULL };
	const recon_result *r = &c->res;
	int d = c->account.decimals;
	char b[32];
	out_csv o;

	out_csv_init(&o, f);
	for (int i = 0; dh[i]; i++)
		out_csv_cell(&o, dh[i]);
	out_csv_end(&o);
	for (int i = 0; i < r->nday; i++)
		c_bucket(&o, day_text(r->days[i].start, b, sizeof b), &r->days[i], d);
	out_csv_end(&o);
	for (int i = 0; ch[i]; i++)
		out_csv_cell(&o, ch[i]);
	out_csv_end(&o);
	for (size_t i = 0; i < r->nmissing_ours; i++)
		c_call(&o, "missing_ours", their_call(c, r->missing_ours[i], &v0), RECON_THEIRS, d);
	for (size_t i = 0; i < r->nmissing_theirs; i++)
		c_call(&o, "missing_theirs", our_call(c, r->missing_theirs[i], &v0), RECON_OURS, d);
	if (r->has_single) {
		c_call(&o, "single_call", our_call(c, r->single.ours, &v0), RECON_OURS, d);
		c_call(&o, "single_call", their_call(c, r->single.theirs, &v1), RECON_THEIRS, d);
	}
	/* every finding's calls, "DAY missing_ours" etc., named as each file names them */
	for (int i = 0; i < c->findings.n; i++) {
		const inv_finding *fd = &c->findings.f[i];
		char what[48], day[16];
		day_text(fd->day, day, sizeof day);
		snprintf(what, sizeof what, "%s missing_ours", day);
		for (size_t k = 0; k < fd->nlist_ours; k++)
			c_call_n(&o, what, their_call(c, fd->missing_ours[k], &v0), RECON_THEIRS, d,
			         inv_name_of(c, RECON_THEIRS, fd->missing_ours[k]));
		snprintf(what, sizeof what, "%s missing_theirs", day);
		for (size_t k = 0; k < fd->nlist_theirs; k++)
			c_call_n(&o, what, our_call(c, fd->missing_theirs[k], &v0), RECON_OURS, d,
			         inv_name_of(c, RECON_OURS, fd->missing_theirs[k]));
		if (fd->has_single) {
			snprintf(what, sizeof what, "%s single_call", day);
			c_call_n(&o, what, our_call(c, fd->single.ours, &v0), RECON_OURS, d,
			         inv_name_of(c, RECON_OURS, fd->single.ours));
			c_call_n(&o, what, their_call(c, fd->single.theirs, &v1), RECON_THEIRS, d,
			         inv_name_of(c, RECON_THEIRS, fd->single.theirs));
		}
	}
}

void inv_report_write(FILE *f, const inv_case *c, int kind)
{
	if (kind == INV_REPORT_JSON)
		write_json(f, c);
	else if (kind == INV_REPORT_CSV)
		write_csv(f, c);
	else
		inv_letter_write(f, c);
}

char *inv_report_string(const inv_case *c, int kind, size_t *len)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	if (!f)
		return NULL;
	/* only this thread writes f: no lock per character (the JSON writer
	 * puts strings a character at a time; the locks were a third of it) */
	__fsetlocking(f, FSETLOCKING_BYCALLER);
	inv_report_write(f, c, kind);
	if (ferror(f)) {
		fclose(f);
		free(buf);
		return NULL;
	}
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}
