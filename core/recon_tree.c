/* recon_tree.c: UTC daily totals, the decision tree and recon_run
 * (recon.h). Pairing is in recon.c, the clock offset and the causes in
 * recon_diag.c.
 *
 * Daily totals bucket each side by the UTC day of its own start, as its
 * export says (no offset applied: a clock offset shows as totals shifting
 * between adjacent days, which is part of its evidence).
 *
 * The worst day: only days whose totals differ beyond tolerance qualify
 * (connected count beyond count_bp, billsec beyond seconds_bp, or cost
 * beyond cost_bp and cost_abs; the all-calls count is not used, as carriers
 * often leave failed attempts out of their exports, and cost is not used
 * when either side carries no cost at all). Among those, the day with the
 * largest |Δcost| relative to the larger side wins, then the largest
 * relative |Δconnected|, then relative |Δbillsec|, then the largest |Δcost|
 * and |Δconnected| (when one side is empty every day is 100 % apart), then
 * the earliest day. Relative sizes are compared exactly by
 * cross-multiplication. With no such
 * day (and no force_day) the verdict is none.
 *
 * The tree then runs on that day (or force_day): step "connected totals
 * match?" (count_bp) -> no: missing_calls, with the worst hour and the
 * calls each side lacks; yes: "duration totals match?" (seconds_bp) -> no:
 * duration, yes: rating, with the single matched call that differs most.
 * A clock offset (recon_diag.c) adds a last step and makes the verdict
 * timezone_offset; the rest is still filled. force_connected_match and
 * force_duration_match replace the engine's answer (the step is marked
 * overridden and its figures say what the engine said).
 *
 * recon_run_sides works out the daily totals and the duplicates on a second
 * thread while it pairs the two sides (they share nothing), and adds the
 * duplicates' causes in their place afterwards. recon_run copies its
 * arrays into sides (recon_side.c) and runs that. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "recon.h"
#include "recon_int.h"
#include "tm.h"

/* ---- totals ----------------------------------------------------------- */

static void bucket_add(recon_bucket *b, int side, const recon_side *c, size_t i)
{
	b->calls[side]++;
	b->connected[side] += rs_connected(c, i);
	b->billsec_ms[side] = sat_add(b->billsec_ms[side], rs_billsec(c, i));
	if (rs_has_cost(c, i))
		b->cost[side] = sat_add(b->cost[side], rs_cost(c, i));
}

/* Day start -> index into the day buckets: open addressing, grown at half
 * full. Owns key and val. */
typedef struct {
	int64_t *key;
	int32_t *val;    /* -1: empty slot */
	size_t cap;      /* a power of two */
} day_map;

static size_t day_slot(int64_t day, size_t cap)
{
	return (size_t)((uint64_t)day / RX_DAY * 0x9E3779B97F4A7C15ULL >> 7) & (cap - 1);
}

static int day_map_init(day_map *m, size_t cap)
{
	m->cap = cap;
	m->key = malloc(cap * sizeof *m->key);
	m->val = malloc(cap * sizeof *m->val);
	if (!m->key || !m->val) {
		free(m->key), free(m->val);
		return RECON_ENOMEM;
	}
	memset(m->val, 0xff, cap * sizeof *m->val);
	return RECON_OK;
}

static int day_map_grow(day_map *m)
{
	day_map n;
	if (day_map_init(&n, 2 * m->cap) != RECON_OK)
		return RECON_ENOMEM;
	for (size_t s = 0; s < m->cap; s++) {
		size_t q;
		if (m->val[s] < 0)
			continue;
		for (q = day_slot(m->key[s], n.cap); n.val[q] >= 0; q = (q + 1) & (n.cap - 1))
			;
		n.key[q] = m->key[s], n.val[q] = m->val[s];
	}
	free(m->key), free(m->val);
	*m = n;
	return RECON_OK;
}

static int bucket_cmp(const void *x, const void *y)
{
	const recon_bucket *a = x, *b = y;
	return (a->start > b->start) - (a->start < b->start);
}

/* Fills r->days/nday: one bucket per UTC day with a call on either side,
 * ascending. Calls come mostly in runs of one day: the last day's bucket
 * is kept at hand. */
static int make_days(const recon_side *ours, const recon_side *theirs, recon_result *r)
{
	day_map m;
	size_t nd = 0, capd = 16;
	recon_bucket *d = malloc(capd * sizeof *d);
	if (!d || day_map_init(&m, 64) != RECON_OK) {
		free(d);
		return RECON_ENOMEM;
	}
	for (int side = 0; side < 2; side++) {
		const recon_side *c = side ? theirs : ours;
		size_t n = c->n;
		int64_t last_day = INT64_MIN;
		int32_t last = -1;
		for (size_t i = 0; i < n; i++) {
			int64_t day = rx_day_start(rs_start(c, i));
			if (day != last_day) {
				size_t k = day_slot(day, m.cap);
				while (m.val[k] >= 0 && m.key[k] != day)
					k = (k + 1) & (m.cap - 1);
				if (m.val[k] < 0) { /* a new day */
					if (nd == capd) {
						recon_bucket *nb = realloc(d, 2 * capd * sizeof *d);
						if (!nb)
							goto nomem;
						d = nb, capd *= 2;
					}
					memset(&d[nd], 0, sizeof d[nd]);
					d[nd].start = day;
					m.key[k] = day;
					m.val[k] = (int32_t)nd++;
					if (2 * nd > m.cap && day_map_grow(&m) != RECON_OK)
						goto nomem;
					last = (int32_t)nd - 1;
				} else {
					last = m.val[k];
				}
				last_day = day;
			}
			bucket_add(&d[last], side, c, i);
		}
	}
	free(m.key);
	free(m.val);
	qsort(d, nd, sizeof *d, bucket_cmp);
	r->days = d;
	r->nday = (int)nd;
	return RECON_OK;
nomem:
	free(d);
	free(m.key);
	free(m.val);
	return RECON_ENOMEM;
}

static int day_differs(const recon_bucket *b, const recon_opts *op, int cost_cmp)
{
	return !recon_counts_match(b->connected[0], b->connected[1], op->count_bp) ||
	       !recon_counts_match(b->billsec_ms[0], b->billsec_ms[1], op->seconds_bp) ||
	       (cost_cmp && !recon_cost_match(b->cost[0], b->cost[1], op->cost_bp, op->cost_abs));
}

/* Sign of |a1-b1|/max(|a1|,|b1|) - |a2-b2|/max(|a2|,|b2|), exactly; 0/0 = 0.
 * d < 2^64 and m <= 2^63, so the cross products fit in unsigned __int128. */
static int rel_cmp(int64_t a1, int64_t b1, int64_t a2, int64_t b2)
{
	unsigned __int128 d1 = (unsigned __int128)abs128((__int128)a1 - b1);
	unsigned __int128 m1 = (unsigned __int128)(abs128(a1) > abs128(b1) ? abs128(a1) : abs128(b1));
	unsigned __int128 d2 = (unsigned __int128)abs128((__int128)a2 - b2);
	unsigned __int128 m2 = (unsigned __int128)(abs128(a2) > abs128(b2) ? abs128(a2) : abs128(b2));
	unsigned __int128 l, rr;
	if (m1 == 0 || m2 == 0) /* then that side's d is 0 too: its share is 0 */
		return (d1 != 0) - (d2 != 0);
	l = d1 * m2;
	rr = d2 * m1;
	return (l > rr) - (l < rr);
}

/* Sign of |a1-b1| - |a2-b2|. */
static int abs_cmp(int64_t a1, int64_t b1, int64_t a2, int64_t b2)
{
	__int128 d1 = abs128((__int128)a1 - b1), d2 = abs128((__int128)a2 - b2);
	return (d1 > d2) - (d1 < d2);
}

/* >0 when day a differs more than day b (the rule at the top of the file). */
static int day_worse(const recon_bucket *a, const recon_bucket *b, int cost_cmp)
{
	int c = 0;
	if (cost_cmp)
		c = rel_cmp(a->cost[0], a->cost[1], b->cost[0], b->cost[1]);
	if (!c)
		c = rel_cmp(a->connected[0], a->connected[1], b->connected[0], b->connected[1]);
	if (!c)
		c = rel_cmp(a->billsec_ms[0], a->billsec_ms[1], b->billsec_ms[0], b->billsec_ms[1]);
	if (!c && cost_cmp)
		c = abs_cmp(a->cost[0], a->cost[1], b->cost[0], b->cost[1]);
	if (!c)
		c = abs_cmp(a->connected[0], a->connected[1], b->connected[0], b->connected[1]);
	if (!c)
		c = (a->start < b->start) - (a->start > b->start);
	return c;
}

/* ---- the tree --------------------------------------------------------- */

static recon_step *add_step(recon_result *r, const char *question, int answer, int overridden)
{
	recon_step *s;
	if (r->nstep >= RECON_MAX_STEPS)
		s = &r->steps[RECON_MAX_STEPS - 1];
	else
		s = &r->steps[r->nstep++];
	memset(s, 0, sizeof *s);
	snprintf(s->question, sizeof s->question, "%s", question);
	s->answer = answer;
	s->overridden = overridden;
	return s;
}

static void day_figures(char *buf, size_t n, const recon_bucket *b, int cost_cmp)
{
	char day[16], s0[32], s1[32], rel[24];
	rx_fmt_day(day, sizeof day, b->start);
	rx_cat(buf, n, "%s: connected ours %lld, theirs %lld", day, (long long)b->connected[0],
	       (long long)b->connected[1]);
	rx_fmt_rel(rel, sizeof rel, b->connected[0], b->connected[1]);
	rx_cat(buf, n, " (%s)", rel);
	rx_fmt_secs(s0, sizeof s0, b->billsec_ms[0]);
	rx_fmt_secs(s1, sizeof s1, b->billsec_ms[1]);
	rx_fmt_rel(rel, sizeof rel, b->billsec_ms[0], b->billsec_ms[1]);
	rx_cat(buf, n, "; seconds %s, %s (%s)", s0, s1, rel);
	if (cost_cmp) {
		rx_fmt_money(s0, sizeof s0, b->cost[0]);
		rx_fmt_money(s1, sizeof s1, b->cost[1]);
		rx_fmt_rel(rel, sizeof rel, b->cost[0], b->cost[1]);
		rx_cat(buf, n, "; cost %s, %s (%s)", s0, s1, rel);
	}
}

static int in_window(const recon_side *c, size_t i, int64_t off, int64_t lo, int64_t hi)
{
	rx_slim z;
	rs_slim(c, i, &z);
	if (z.s - off >= lo && z.s - off < hi)
		return 1;
	return z.a != TM_NONE && z.a - off >= lo && z.a - off < hi;
}

/* The hour of day `day` whose connected counts differ most (largest
 * |Δconnected|, then |Δbillsec|, then |Δcost|, then more calls, then the
 * earliest), and the connected calls of that hour that have no counterpart:
 * both sides' connected calls of day±tol are paired (with the clock offset)
 * and the unpaired ones whose start (theirs: minus the offset) is in the
 * hour are listed, ascending by index. */
static int missing_calls(const recon_side *ours, const recon_side *theirs, const recon_opts *op,
                         int64_t off, int64_t day, recon_result *r)
{
	recon_bucket hours[24];
	int best = 0, rc = RECON_ENOMEM;
	int64_t lo = day - op->match_tol_s, hi = day + RX_DAY + op->match_tol_s, h0;
	size_t no = 0, nt = 0, np = 0;
	uint32_t *so = NULL, *st = NULL;
	uint8_t *po = NULL, *pt = NULL;
	recon_pair *p = NULL;
	rx_index ix;

	memset(hours, 0, sizeof hours);
	memset(&ix, 0, sizeof ix);
	for (int k = 0; k < 24; k++)
		hours[k].start = day + 3600 * k;
	for (int side = 0; side < 2; side++) {
		const recon_side *c = side ? theirs : ours;
		for (size_t i = 0; i < c->n; i++) {
			int64_t s = rx_time(rs_start(c, i));
			if (rx_day_start(s) == day)
				bucket_add(&hours[rx_floor_div(s - day, 3600)], side, c, i);
		}
	}
	for (int k = 1; k < 24; k++) {
		const recon_bucket *a = &hours[k], *b = &hours[best];
		__int128 da = abs128((__int128)a->connected[0] - a->connected[1]);
		__int128 db = abs128((__int128)b->connected[0] - b->connected[1]);
		if (da == db) {
			da = abs128((__int128)a->billsec_ms[0] - a->billsec_ms[1]);
			db = abs128((__int128)b->billsec_ms[0] - b->billsec_ms[1]);
		}
		if (da == db) {
			da = abs128((__int128)a->cost[0] - a->cost[1]);
			db = abs128((__int128)b->cost[0] - b->cost[1]);
		}
		if (da == db) {
			da = (__int128)a->connected[0] + a->connected[1];
			db = (__int128)b->connected[0] + b->connected[1];
		}
		if (da > db)
			best = k;
	}
	r->has_worst_hour = 1;
	r->worst_hour = hours[best];
	h0 = hours[best].start;

	/* both sides' connected calls of the day (and tol around it), paired */
	for (size_t i = 0; i < ours->n; i++)
		no += rs_connected(ours, i) && in_window(ours, i, 0, lo, hi);
	for (size_t i = 0; i < theirs->n; i++)
		nt += rs_connected(theirs, i) && in_window(theirs, i, off, lo, hi);
	so = malloc((no ? no : 1) * sizeof *so);
	st = malloc((nt ? nt : 1) * sizeof *st);
	po = calloc(ours->n ? ours->n : 1, 1);
	pt = calloc(theirs->n ? theirs->n : 1, 1);
	if (!so || !st || !po || !pt)
		goto done;
	no = nt = 0;
	for (size_t i = 0; i < ours->n; i++)
		if (rs_connected(ours, i) && in_window(ours, i, 0, lo, hi))
			so[no++] = (uint32_t)i;
	for (size_t i = 0; i < theirs->n; i++)
		if (rs_connected(theirs, i) && in_window(theirs, i, off, lo, hi))
			st[nt++] = (uint32_t)i;
	if (no && nt) {
		int32_t *mo = NULL;
		if ((rc = rx_index_build(&ix, theirs, st, nt)) != RECON_OK ||
		    (rc = rx_match_idx(ours, so, no, theirs, &ix, op, off, &mo, &np)) != RECON_OK)
			goto done;
		rc = rx_pairs_of(ours, so, no, theirs, mo, np, off, &p);
		free(mo);
		if (rc != RECON_OK)
			goto done;
		rc = RECON_ENOMEM;
	}
	for (size_t k = 0; k < np; k++)
		po[p[k].ours] = pt[p[k].theirs] = 1;
	r->missing_theirs = malloc((no ? no : 1) * sizeof *r->missing_theirs);
	r->missing_ours = malloc((nt ? nt : 1) * sizeof *r->missing_ours);
	if (!r->missing_theirs || !r->missing_ours)
		goto done;
	/* so and st are ascending: so are the lists */
	for (size_t k = 0; k < no; k++) {
		int64_t s = rx_time(rs_start(ours, so[k]));
		if (!po[so[k]] && s >= h0 && s < h0 + 3600)
			r->missing_theirs[r->nmissing_theirs++] = (int)so[k];
	}
	for (size_t k = 0; k < nt; k++) {
		int64_t s = rx_time(rs_start(theirs, st[k])) - off;
		if (!pt[st[k]] && s >= h0 && s < h0 + 3600)
			r->missing_ours[r->nmissing_ours++] = (int)st[k];
	}
	rc = RECON_OK;
done:
	rx_index_free(&ix);
	free(so), free(st), free(po), free(pt), free(p);
	return rc;
}

/* The matched pair of day `day` (by our start) with the biggest |Δbillsec|
 * (by_cost 0) or |Δcost| (by_cost 1, pairs where both sides carry a cost);
 * ties: the earliest start of ours, then the lowest index of ours. */
static void single_call(const recon_side *ours, const recon_side *theirs, int64_t day, int by_cost,
                        recon_result *r)
{
	__int128 best = -1;
	const recon_pair *bp = NULL;
	int64_t bs = 0;
	for (size_t k = 0; k < r->npairs; k++) {
		const recon_pair *p = &r->pairs[k];
		size_t a = (size_t)p->ours, b = (size_t)p->theirs;
		int64_t as = rx_time(rs_start(ours, a));
		__int128 d;
		if (rx_day_start(as) != day)
			continue;
		if (by_cost && !(rs_has_cost(ours, a) && rs_has_cost(theirs, b)))
			continue;
		d = by_cost ? abs128((__int128)rs_cost(theirs, b) - rs_cost(ours, a))
		            : abs128((__int128)rs_billsec(theirs, b) - rs_billsec(ours, a));
		if (d > best || (d == best && (as < bs || (as == bs && p->ours < bp->ours)))) {
			best = d;
			bp = p;
			bs = as;
		}
	}
	if (!bp)
		return;
	r->has_single = 1;
	r->single = *bp;
	r->single_diff_ms = sat_add(rs_billsec(theirs, (size_t)bp->theirs), -rs_billsec(ours, (size_t)bp->ours));
	r->single_diff_cost = (rs_has_cost(theirs, (size_t)bp->theirs) && rs_has_cost(ours, (size_t)bp->ours))
	                          ? sat_add(rs_cost(theirs, (size_t)bp->theirs), -rs_cost(ours, (size_t)bp->ours))
	                          : 0;
}

/* Steps 1-3 of the tree and the verdict (before any clock offset verdict). */
static int walk_tree(const recon_side *ours, const recon_side *theirs, const recon_opts *op,
                     int cost_cmp, recon_result *r)
{
	int ndiff = 0, worst = -1, ans, engine;
	recon_step *s;
	const recon_bucket *b;
	char tolbuf[24], rel[24], s0[32];

	for (int d = 0; d < r->nday; d++)
		if (day_differs(&r->days[d], op, cost_cmp)) {
			ndiff++;
			if (worst < 0 || day_worse(&r->days[d], &r->days[worst], cost_cmp) > 0)
				worst = d;
		}
	if (op->force_day != -1) {
		int64_t fd = rx_day_start(op->force_day);
		int found = -1;
		for (int d = 0; d < r->nday; d++)
			if (r->days[d].start == fd)
				found = d;
		s = add_step(r, "Do the daily totals differ substantially on some UTC day?", 1, 1);
		rx_fmt_day(s0, sizeof s0, fd);
		rx_cat(s->figures, sizeof s->figures, "the engineer chose %s (%d of %d UTC days differ beyond tolerance)",
		       s0, ndiff, r->nday);
		if (found < 0) {
			rx_cat(s->figures, sizeof s->figures, "; neither side has a call on %s", s0);
			r->worst_day = -1;
			r->verdict = RECON_VERDICT_NONE;
			return RECON_OK;
		}
		rx_cat(s->figures, sizeof s->figures, ": ");
		day_figures(s->figures, sizeof s->figures, &r->days[found], cost_cmp);
		worst = found;
	} else {
		s = add_step(r, "Do the daily totals differ substantially on some UTC day?", worst >= 0, 0);
		rx_cat(s->figures, sizeof s->figures, "%d of %d UTC days differ beyond tolerance", ndiff,
		       r->nday);
		if (worst < 0) {
			char t1[24], t2[24], t3[24], m[32];
			rx_fmt_bp(t1, sizeof t1, op->count_bp);
			rx_fmt_bp(t2, sizeof t2, op->seconds_bp);
			rx_fmt_bp(t3, sizeof t3, op->cost_bp);
			rx_fmt_money(m, sizeof m, op->cost_abs);
			rx_cat(s->figures, sizeof s->figures,
			       " (connected %s, seconds %s, cost %s or %s)", t1, t2, t3, m);
			r->worst_day = -1;
			r->verdict = RECON_VERDICT_NONE;
			return RECON_OK;
		}
		rx_cat(s->figures, sizeof s->figures, "; most: ");
		day_figures(s->figures, sizeof s->figures, &r->days[worst], cost_cmp);
	}
	r->worst_day = worst;
	b = &r->days[worst];
	rx_fmt_day(s0, sizeof s0, b->start);

	engine = recon_counts_match(b->connected[0], b->connected[1], op->count_bp);
	ans = op->force_connected_match >= 0 ? op->force_connected_match : engine;
	s = add_step(r, "Do the connected-call totals roughly match?", ans, op->force_connected_match >= 0);
	rx_fmt_rel(rel, sizeof rel, b->connected[0], b->connected[1]);
	rx_fmt_bp(tolbuf, sizeof tolbuf, op->count_bp);
	rx_cat(s->figures, sizeof s->figures, "%s: ours %lld connected, theirs %lld: %s apart, tolerance %s",
	       s0, (long long)b->connected[0], (long long)b->connected[1], rel, tolbuf);
	if (s->overridden)
		rx_cat(s->figures, sizeof s->figures, " (the engine says %s; the engineer says %s)",
		       engine ? "yes" : "no", ans ? "yes" : "no");
	if (!ans) {
		r->verdict = RECON_VERDICT_MISSING_CALLS;
		return missing_calls(ours, theirs, op, r->clock_offset_s, b->start, r);
	}

	engine = recon_counts_match(b->billsec_ms[0], b->billsec_ms[1], op->seconds_bp);
	ans = op->force_duration_match >= 0 ? op->force_duration_match : engine;
	s = add_step(r, "Do the duration totals roughly match?", ans, op->force_duration_match >= 0);
	rx_fmt_rel(rel, sizeof rel, b->billsec_ms[0], b->billsec_ms[1]);
	rx_fmt_bp(tolbuf, sizeof tolbuf, op->seconds_bp);
	{
		char a0[32], a1[32];
		rx_fmt_secs(a0, sizeof a0, b->billsec_ms[0]);
		rx_fmt_secs(a1, sizeof a1, b->billsec_ms[1]);
		rx_cat(s->figures, sizeof s->figures, "%s: ours %s, theirs %s: %s apart, tolerance %s", s0,
		       a0, a1, rel, tolbuf);
		if (ans && cost_cmp) {
			rx_fmt_money(a0, sizeof a0, b->cost[0]);
			rx_fmt_money(a1, sizeof a1, b->cost[1]);
			rx_fmt_rel(rel, sizeof rel, b->cost[0], b->cost[1]);
			rx_cat(s->figures, sizeof s->figures, "; cost ours %s, theirs %s: %s apart", a0, a1, rel);
		}
	}
	if (s->overridden)
		rx_cat(s->figures, sizeof s->figures, " (the engine says %s; the engineer says %s)",
		       engine ? "yes" : "no", ans ? "yes" : "no");
	r->verdict = ans ? RECON_VERDICT_RATING : RECON_VERDICT_DURATION;
	single_call(ours, theirs, b->start, ans, r);
	return RECON_OK;
}

/* ---- run -------------------------------------------------------------- */

static int any_cost(const recon_side *c)
{
	for (size_t i = 0; i < c->n; i++)
		if (rs_has_cost(c, i))
			return 1;
	return 0;
}

/* What runs beside the pairing: daily totals and duplicates (neither reads
 * nor writes what the pairing does; the duplicates' causes are added in
 * their place afterwards). */
typedef struct {
	const recon_side *ours, *theirs;
	recon_result *r;           /* days, nday only */
	recon_cause dup[2];
	int ndup[2], rc;
} side_job;

static void *side_work(void *arg)
{
	side_job *j = arg;
	if ((j->rc = make_days(j->ours, j->theirs, j->r)) == RECON_OK &&
	    (j->rc = rx_duplicates(j->ours, RECON_OURS, &j->dup[0], &j->ndup[0])) == RECON_OK)
		j->rc = rx_duplicates(j->theirs, RECON_THEIRS, &j->dup[1], &j->ndup[1]);
	return NULL;
}

#define RX_SIDE_THREAD_MIN 50000 /* calls from which totals and duplicates get a thread of their own */

int recon_run_sides(const recon_side *ours, const recon_side *theirs, const recon_opts *o,
                    recon_result *out)
{
	recon_opts op;
	rx_index ix;
	int rc, found = 0, cost_cmp, threaded = 0;
	char fig[320];
	side_job job;
	pthread_t th;

	memset(out, 0, sizeof *out);
	out->worst_day = -1;
	rx_norm_opts(&op, o);
	out->opts = op;
	if (ours->n == 0 && theirs->n == 0)
		return RECON_EEMPTY;
	if (ours->n > RX_MAX_CALLS || theirs->n > RX_MAX_CALLS)
		return RECON_ENOMEM;
	cost_cmp = any_cost(ours) && any_cost(theirs);
	memset(&job, 0, sizeof job);
	job.ours = ours, job.theirs = theirs, job.r = out;
	if (ours->n + theirs->n >= RX_SIDE_THREAD_MIN)
		threaded = pthread_create(&th, NULL, side_work, &job) == 0;
	if (!threaded)
		side_work(&job);
	if ((rc = rx_index_build(&ix, theirs, NULL, theirs->n)) == RECON_OK) {
		fig[0] = 0;
		rc = rx_find_offset(ours, theirs, &ix, &op, out, &found, fig, sizeof fig); /* frees ix */
	}
	if (threaded)
		pthread_join(th, NULL);
	if (rc != RECON_OK || (rc = job.rc) != RECON_OK)
		goto fail;
	if ((rc = walk_tree(ours, theirs, &op, cost_cmp, out)) != RECON_OK)
		goto fail;
	if (found) {
		recon_step *s = add_step(out, "Are the two sides' clocks offset by a constant amount?", 1, 0);
		snprintf(s->figures, sizeof s->figures, "%s", fig);
		out->verdict = RECON_VERDICT_TIMEZONE_OFFSET;
	}
	for (int k = 0; k < 2; k++)
		if (job.ndup[k] && out->ncause < RECON_MAX_CAUSES)
			out->causes[out->ncause++] = job.dup[k];
	if ((rc = rx_pair_causes(ours, theirs, &op, out)) != RECON_OK)
		goto fail;
	return RECON_OK;
fail:
	recon_free(out);
	out->opts = op;
	return rc;
}

int recon_run(const recon_call *ours, size_t nours, const recon_call *theirs, size_t ntheirs,
              const recon_opts *o, recon_result *out)
{
	recon_side so, st;
	int rc;
	memset(out, 0, sizeof *out);
	out->worst_day = -1;
	rx_norm_opts(&out->opts, o);
	if (nours == 0 && ntheirs == 0)
		return RECON_EEMPTY;
	if (nours > RX_MAX_CALLS || ntheirs > RX_MAX_CALLS)
		return RECON_ENOMEM;
	if ((rc = rx_side_of_calls(&so, ours, nours)) != RECON_OK)
		return rc;
	if ((rc = rx_side_of_calls(&st, theirs, ntheirs)) != RECON_OK) {
		recon_side_free(&so);
		return rc;
	}
	rc = recon_run_sides(&so, &st, o, out);
	recon_side_free(&so);
	recon_side_free(&st);
	return rc;
}

void recon_free(recon_result *r)
{
	if (!r)
		return;
	free(r->days);
	free(r->missing_ours);
	free(r->missing_theirs);
	free(r->pairs);
	memset(r, 0, sizeof *r);
	r->worst_day = -1;
}
