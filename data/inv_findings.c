/* inv_findings.c: every differing UTC day through the tree, and the
 * headline verdict made to agree with its single call (inv_findings.h). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/recon_sel.h"
#include "../core/tm.h"
#include "investigate.h"

void inv_findings_free(inv_findings *fs)
{
	if (!fs)
		return;
	for (int i = 0; i < fs->n; i++) {
		free(fs->f[i].missing_ours);
		free(fs->f[i].missing_theirs);
	}
	free(fs->f);
	fs->f = NULL;
	fs->n = 0;
}

static int64_t floor_day(int64_t t)
{
	int64_t q = t / 86400;
	if (t % 86400 != 0 && t < 0)
		q--;
	return q * 86400;
}


static int day_differs(const recon_bucket *b, const recon_opts *op, int cost_cmp)
{
	return !recon_counts_match(b->connected[0], b->connected[1], op->count_bp) ||
	       !recon_counts_match(b->billsec_ms[0], b->billsec_ms[1], op->seconds_bp) ||
	       (cost_cmp && !recon_cost_match(b->cost[0], b->cost[1], op->cost_bp, op->cost_abs));
}

/* Call i of a side, its id only when pairing needs it (ids of our compact
 * side are fetched from the store one by one otherwise). */
static void get_call(const inv_side *s, size_t i, int want_id, recon_call *k, recon_callbuf *b)
{
	if (s->calls) {
		*k = s->calls[i];
		return;
	}
	recon_side tmp = s->side;
	if (!want_id) {
		tmp.id_fn = NULL;
		tmp.keep_ids = 0;
	}
	recon_side_get(&tmp, i, k, b);
}

static int64_t abs64(int64_t v) { return v < 0 ? -v : v; }

/* What the walk reads of call i, without making its numbers into text (a
 * compact side's record, read directly; a field too wide for it, rare,
 * through recon_side_get). */
typedef struct {
	int64_t start, billsec_ms;
	money_t cost;
	int connected, has_cost;
} lite;

static void get_lite(const inv_side *s, size_t i, lite *o)
{
	if (s->calls) {
		const recon_call *k = &s->calls[i];
		o->start = k->start, o->billsec_ms = k->billsec_ms, o->cost = k->cost;
		o->connected = k->connected, o->has_cost = k->has_cost;
		return;
	}
	const recon_rec *r = &s->side.rec[i];
	o->connected = (r->pf & RECON_R_CONNECTED) != 0;
	o->has_cost = (r->pf & RECON_R_HAS_COST) != 0;
	o->cost = r->cost;
	o->start = recon_side_start(&s->side, i);
	if (r->billsec_ms != RECON_R_WIDE) {
		o->billsec_ms = r->billsec_ms;
	} else {
		recon_call k;
		recon_callbuf b;
		get_call(s, i, 0, &k, &b);
		o->billsec_ms = k.billsec_ms;
	}
}

static int any_cost(const inv_side *s)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->calls ? s->calls[i].has_cost : (s->side.rec[i].pf & RECON_R_HAS_COST) != 0)
			return 1;
	return 0;
}

/* ---- missing calls of one day ------------------------------------------------ */

typedef struct {
	uint32_t *idx;             /* call indexes, ascending */
	size_t n, cap;
} ilist;

static int ilist_push(ilist *l, size_t v)
{
	if (l->n == l->cap) {
		size_t nc = l->cap ? l->cap * 2 : 256;
		uint32_t *ni = realloc(l->idx, nc * sizeof *ni);
		if (!ni)
			return -1;
		l->idx = ni;
		l->cap = nc;
	}
	l->idx[l->n++] = (uint32_t)v;
	return 0;
}

/* Position of call v in l (present: it was paired from l), by bisection. */
static size_t ilist_pos(const ilist *l, uint32_t v)
{
	size_t lo = 0, hi = l->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (l->idx[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Pairs the calls of lo with those of lt; po[k] / pt[k] set for the k-th
 * call of each list that pairs. Compact sides are paired in place
 * (recon_match_sel); the wide form through recon_match on copies. */
static int pair_lists(const inv_case *c, const ilist *lo, const ilist *lt, uint8_t *po, uint8_t *pt)
{
	const recon_opts *op = &c->res.opts;
	int64_t off = c->res.clock_offset_s;
	recon_pair *p = NULL;
	size_t np = 0;
	int rc = -1;
	if (!lo->n || !lt->n)
		return 0;
	if (!c->ours.calls && !c->theirs.calls) {
		if (recon_match_sel(&c->ours.side, lo->idx, lo->n, &c->theirs.side, lt->idx, lt->n, op, off, &p, &np) !=
		    RECON_OK)
			return -1;
		for (size_t k = 0; k < np; k++) {
			po[ilist_pos(lo, (uint32_t)p[k].ours)] = 1;
			pt[ilist_pos(lt, (uint32_t)p[k].theirs)] = 1;
		}
		free(p);
		return 0;
	}
	recon_call *ko = calloc(lo->n, sizeof *ko), *kt = calloc(lt->n, sizeof *kt);
	recon_callbuf *bo = calloc(lo->n, sizeof *bo), *bt = calloc(lt->n, sizeof *bt);
	if (!ko || !kt || !bo || !bt)
		goto done;
	for (size_t k = 0; k < lo->n; k++)
		get_call(&c->ours, lo->idx[k], op->match_ids, &ko[k], &bo[k]);
	for (size_t k = 0; k < lt->n; k++)
		get_call(&c->theirs, lt->idx[k], op->match_ids, &kt[k], &bt[k]);
	if (recon_match(ko, lo->n, kt, lt->n, op, off, &p, &np) != RECON_OK)
		goto done;
	for (size_t k = 0; k < np; k++)
		po[p[k].ours] = pt[p[k].theirs] = 1;
	rc = 0;
done:
	free(ko), free(kt), free(bo), free(bt), free(p);
	return rc;
}

/* The connected calls of day f->day (within tol around it) of both sides,
 * paired with the clock offset as the engine pairs the walked day's; the
 * unpaired ones whose start is in the day are the missing calls. */
static int missing_of_day(const inv_case *c, inv_finding *f, const ilist *lo, const ilist *lt)
{
	int64_t off = c->res.clock_offset_s, day = f->day;
	uint8_t *po = NULL, *pt = NULL;
	int rc = -1, hours[24][1];
	money_t m = 0;
	size_t cap = c->list_calls > 0 ? (size_t)c->list_calls : c->list_calls < 0 ? SIZE_MAX : INV_FINDING_LIST_CALLS;
	size_t cap_o = cap < lt->n ? cap : lt->n, cap_t = cap < lo->n ? cap : lo->n;

	memset(hours, 0, sizeof hours);
	po = calloc(lo->n + 1, 1);
	pt = calloc(lt->n + 1, 1);
	f->missing_ours = malloc((cap_o + 1) * sizeof *f->missing_ours);
	f->missing_theirs = malloc((cap_t + 1) * sizeof *f->missing_theirs);
	if (!po || !pt || !f->missing_ours || !f->missing_theirs || pair_lists(c, lo, lt, po, pt) < 0)
		goto done;
	for (size_t k = 0; k < lo->n; k++) {
		lite a;
		if (po[k])
			continue;
		get_lite(&c->ours, lo->idx[k], &a);
		if (a.start < day || a.start >= day + 86400)
			continue;
		if (f->nlist_theirs < cap_t)
			f->missing_theirs[f->nlist_theirs++] = (int)lo->idx[k];
		f->nmissing_theirs++;
		hours[(a.start - day) / 3600][0]++;
		if (a.has_cost)
			m = money_add_sat(m, -a.cost);
	}
	for (size_t k = 0; k < lt->n; k++) {
		lite b;
		int64_t st;
		if (pt[k])
			continue;
		get_lite(&c->theirs, lt->idx[k], &b);
		st = b.start - off;
		if (st < day || st >= day + 86400)
			continue;
		if (f->nlist_ours < cap_o)
			f->missing_ours[f->nlist_ours++] = (int)lt->idx[k];
		f->nmissing_ours++;
		hours[(st - day) / 3600][0]++;
		if (b.has_cost)
			m = money_add_sat(m, b.cost);
	}
	f->money = m;
	if (f->nmissing_ours + f->nmissing_theirs) {
		int best = 0;
		for (int h = 1; h < 24; h++)
			if (hours[h][0] > hours[best][0])
				best = h;
		f->has_hour = 1;
		f->hour = day + 3600 * best;
	}
	rc = 0;
done:
	free(po), free(pt);
	return rc;
}

/* The missing-calls days, each paired on its own: on two threads when
 * there are enough calls to pay for one (the days are independent; a
 * compact side is only read: with --match-ids its record ids are in
 * memory, else not fetched). 0, or -1 when memory runs out. */
typedef struct {
	const inv_case *c;
	inv_findings *fs;
	const ilist *lo, *lt;
	int first, rc;
} days_job;

static void *days_run(void *arg)
{
	days_job *j = arg;
	j->rc = 0;
	for (int i = j->first; i < j->fs->n; i += 2)
		if (j->fs->f[i].verdict == RECON_VERDICT_MISSING_CALLS &&
		    missing_of_day(j->c, &j->fs->f[i], &j->lo[i], &j->lt[i]) < 0)
			j->rc = -1;
	return NULL;
}

#define INV_DAYS_THREAD_MIN 20000 /* calls to pair before a second thread helps */

static int missing_days(const inv_case *c, inv_findings *fs, const ilist *lo, const ilist *lt)
{
	days_job a = { c, fs, lo, lt, 0, 0 }, b = { c, fs, lo, lt, 1, 0 };
	size_t work = 0;
	pthread_t th;
	for (int i = 0; i < fs->n; i++)
		work += lo[i].n + lt[i].n;
	if (work >= INV_DAYS_THREAD_MIN && pthread_create(&th, NULL, days_run, &b) == 0) {
		days_run(&a);
		pthread_join(th, NULL);
		return a.rc | b.rc;
	}
	for (int i = 0; i < fs->n; i++)
		if (fs->f[i].verdict == RECON_VERDICT_MISSING_CALLS && missing_of_day(c, &fs->f[i], &lo[i], &lt[i]) < 0)
			return -1;
	return 0;
}

/* ---- the days -------------------------------------------------------------------- */

static int by_money(const void *x, const void *y)
{
	const inv_finding *a = x, *b = y;
	int64_t ma = abs64(a->money), mb = abs64(b->money);
	if (ma != mb)
		return ma > mb ? -1 : 1;
	return (a->day > b->day) - (a->day < b->day);
}

/* Day -> finding: a slot per UTC day from the first finding's to the last
 * one's (fs->f is ascending by day until the final sort by money), looked
 * up once or twice per call of both sides and once per matched pair. */
typedef struct {
	int64_t first;
	size_t n;
	int *slot;                 /* finding index, -1 when the day is none */
} day_map;

static int day_map_build(day_map *m, const inv_findings *fs)
{
	memset(m, 0, sizeof *m);
	if (!fs->n)
		return 0;
	m->first = fs->f[0].day;
	m->n = (size_t)((fs->f[fs->n - 1].day - m->first) / 86400) + 1;
	if (!(m->slot = malloc(m->n * sizeof *m->slot)))
		return -1;
	for (size_t d = 0; d < m->n; d++)
		m->slot[d] = -1;
	for (int i = 0; i < fs->n; i++)
		m->slot[(fs->f[i].day - m->first) / 86400] = i;
	return 0;
}

/* The finding of UTC day start `day`, or -1. */
static int find_day(const day_map *m, int64_t day)
{
	if (!m->n || day < m->first || (uint64_t)(day - m->first) / 86400 >= m->n)
		return -1;
	return m->slot[(day - m->first) / 86400];
}

/* Make the headline agree with its single call: the rating branch took the
 * matched call whose charge differs most; when its seconds differ too, the
 * difference is in the durations. */
static void settle_headline(inv_case *c)
{
	recon_result *r = &c->res;
	char a[48];
	if (r->verdict != RECON_VERDICT_RATING || !r->has_single ||
	    abs64(r->single_diff_ms) < INV_SECONDS_DIFFER_MS)
		return;
	r->verdict = RECON_VERDICT_DURATION;
	if (r->nstep < RECON_MAX_STEPS) {
		recon_step *s = &r->steps[r->nstep++];
		memset(s, 0, sizeof *s);
		snprintf(s->question, sizeof s->question, "Do the seconds of the single call match?");
		s->answer = 0;
		snprintf(a, sizeof a, "%+.3f", (double)r->single_diff_ms / 1000.0);
		snprintf(s->figures, sizeof s->figures,
		         "the matched call whose charge differs most differs by %s s: a duration difference, "
		         "not a rating one", a);
	}
}

/* Daily totals of both sides, theirs moved back by the clock offset: every
 * UTC day from the first to the last, ascending; *n of them. NULL on out
 * of memory. */
static recon_bucket *shift_days(const inv_case *c, int64_t off, int *n)
{
	int64_t lo = INT64_MAX, hi = INT64_MIN;
	recon_bucket *b;
	size_t nd;
	for (int side = 0; side < 2; side++) {
		const inv_side *s = side ? &c->theirs : &c->ours;
		for (size_t i = 0; i < s->n; i++) {
			lite k;
			int64_t d;
			get_lite(s, i, &k);
			d = floor_day(k.start - (side ? off : 0));
			lo = d < lo ? d : lo;
			hi = d > hi ? d : hi;
		}
	}
	if (lo > hi) {
		*n = 0;
		return calloc(1, sizeof *b);
	}
	nd = (size_t)((hi - lo) / 86400) + 1;
	if (nd > 100000 || !(b = calloc(nd, sizeof *b)))
		return NULL;
	for (size_t d = 0; d < nd; d++)
		b[d].start = lo + (int64_t)d * 86400;
	for (int side = 0; side < 2; side++) {
		const inv_side *s = side ? &c->theirs : &c->ours;
		for (size_t i = 0; i < s->n; i++) {
			lite k;
			recon_bucket *x;
			get_lite(s, i, &k);
			x = &b[(floor_day(k.start - (side ? off : 0)) - lo) / 86400];
			x->calls[side]++;
			x->connected[side] += k.connected != 0;
			x->billsec_ms[side] += k.billsec_ms;
			if (k.has_cost)
				x->cost[side] = money_add_sat(x->cost[side], k.cost);
		}
	}
	*n = (int)nd;
	return b;
}

int inv_conclude_result(db_t *db, inv_case *c)
{
	recon_result *r = &c->res;
	const recon_opts *op = &r->opts;
	inv_findings fs = { 0 };
	day_map dm = { 0, 0, NULL };
	ilist *lo = NULL, *lt = NULL;
	int cost_cmp, st = DB_ENOMEM, nf = 0;
	int64_t off = r->clock_offset_s, tol = op->match_tol_s;

	recon_bucket *days = r->days, *shifted = NULL;
	int nday = r->nday;
	int64_t walked_day = r->worst_day >= 0 && r->worst_day < r->nday ? r->days[r->worst_day].start : INT64_MIN;

	settle_headline(c);
	inv_findings_free(&c->findings);
	if (!r->nday)
		return DB_OK;
	cost_cmp = any_cost(&c->ours) && any_cost(&c->theirs);
	if (off != 0) {
		/* with a clock offset, the days are compared with their times moved
		 * back by it (the engine's daily table is of each side's own clock) */
		if (!(shifted = shift_days(c, off, &nday)))
			goto oom;
		days = shifted;
	}
	if (!(fs.f = calloc((size_t)nday + 1, sizeof *fs.f)))
		goto oom;
	for (int d = 0; d < nday; d++) {
		const recon_bucket *b = &days[d];
		int walked = b->start == walked_day;
		int conn, dur;
		inv_finding *f;
		if (!day_differs(b, op, cost_cmp) && !(walked && op->force_day != -1))
			continue;
		f = &fs.f[fs.n++];
		f->day = b->start;
		f->day_index = d;
		f->totals = *b;
		f->walked = walked;
		conn = recon_counts_match(b->connected[0], b->connected[1], op->count_bp);
		if (walked && op->force_connected_match >= 0)
			conn = op->force_connected_match;
		dur = recon_counts_match(b->billsec_ms[0], b->billsec_ms[1], op->seconds_bp);
		if (walked && op->force_duration_match >= 0)
			dur = op->force_duration_match;
		f->verdict = !conn ? RECON_VERDICT_MISSING_CALLS : dur ? RECON_VERDICT_RATING : RECON_VERDICT_DURATION;
	}
	nf = fs.n; /* lo[], lt[] are indexed by these findings, until the end */
	if (day_map_build(&dm, &fs) < 0)
		goto oom;
	/* missing calls: each side's connected calls of those days, in one pass */
	if (!(lo = calloc((size_t)fs.n + 1, sizeof *lo)) || !(lt = calloc((size_t)fs.n + 1, sizeof *lt)))
		goto oom;
	for (int side = 0; side < 2; side++) {
		const inv_side *s = side ? &c->theirs : &c->ours;
		ilist *l = side ? lt : lo;
		int any = 0;
		for (int i = 0; i < fs.n; i++)
			any |= fs.f[i].verdict == RECON_VERDICT_MISSING_CALLS;
		if (!any)
			break;
		for (size_t i = 0; i < s->n; i++) {
			lite k;
			int64_t t, d0, d1;
			get_lite(s, i, &k);
			if (!k.connected)
				continue;
			t = k.start - (side ? off : 0);
			d0 = floor_day(t - tol);
			d1 = floor_day(t + tol);
			for (int64_t d = d0; d <= d1; d += 86400) {
				int j = find_day(&dm, d);
				if (j >= 0 && fs.f[j].verdict == RECON_VERDICT_MISSING_CALLS && ilist_push(&l[j], i) < 0)
					goto oom;
			}
		}
	}
	if (missing_days(c, &fs, lo, lt) < 0)
		goto oom;
	/* the matched calls of the other days: the single call and the money */
	for (size_t k = 0; k < r->npairs; k++) {
		const recon_pair *p = &r->pairs[k];
		lite a, b;
		int64_t dms;
		money_t dc;
		int j;
		get_lite(&c->ours, (size_t)p->ours, &a);
		j = find_day(&dm, floor_day(a.start));
		if (j < 0 || fs.f[j].verdict == RECON_VERDICT_MISSING_CALLS)
			continue;
		get_lite(&c->theirs, (size_t)p->theirs, &b);
		inv_finding *f = &fs.f[j];
		dms = b.billsec_ms - a.billsec_ms;
		dc = (a.has_cost && b.has_cost) ? money_add_sat(b.cost, -a.cost) : 0;
		if ((f->verdict == RECON_VERDICT_DURATION) == (abs64(dms) >= INV_SECONDS_DIFFER_MS))
			f->money = money_add_sat(f->money, dc);
		/* biggest difference: seconds first for a duration finding, the
		 * charge for a rating one (then the earliest call) */
		{
			int64_t key = f->verdict == RECON_VERDICT_DURATION ? abs64(dms) : abs64(dc);
			int64_t cur = !f->has_single ? -1
			              : f->verdict == RECON_VERDICT_DURATION ? abs64(f->single_diff_ms)
			                                                     : abs64(f->single_diff_cost);
			if (key > cur) {
				f->has_single = 1;
				f->single = *p;
				f->single_diff_ms = dms;
				f->single_diff_cost = dc;
			}
		}
	}
	for (int i = 0; i < fs.n; i++) {
		inv_finding *f = &fs.f[i];
		if (f->verdict == RECON_VERDICT_RATING && f->has_single &&
		    abs64(f->single_diff_ms) >= INV_SECONDS_DIFFER_MS) {
			/* its single call says duration: the money is that of the calls whose seconds differ */
			f->verdict = RECON_VERDICT_DURATION;
			f->money = 0;
			for (size_t k = 0; k < r->npairs; k++) {
				lite a, b;
				get_lite(&c->ours, (size_t)r->pairs[k].ours, &a);
				if (floor_day(a.start) != f->day)
					continue;
				get_lite(&c->theirs, (size_t)r->pairs[k].theirs, &b);
				if (abs64(b.billsec_ms - a.billsec_ms) >= INV_SECONDS_DIFFER_MS && a.has_cost && b.has_cost)
					f->money = money_add_sat(f->money, money_add_sat(b.cost, -a.cost));
			}
		}
	}
	/* With a clock offset, a day's totals differ by the calls the offset
	 * moves across midnight: a missing-calls day where every call pairs
	 * (the offset applied) has nothing to show, and is no finding. */
	if (off != 0) {
		int k = 0;
		for (int i = 0; i < fs.n; i++) {
			inv_finding *f = &fs.f[i];
			if (f->verdict == RECON_VERDICT_MISSING_CALLS && !f->nmissing_ours && !f->nmissing_theirs &&
			    !f->walked) {
				free(f->missing_ours);
				free(f->missing_theirs);
				continue;
			}
			fs.f[k++] = *f;
		}
		fs.n = k;
	}
	if (fs.n > 1)
		qsort(fs.f, (size_t)fs.n, sizeof *fs.f, by_money);
	c->findings = fs;
	st = DB_OK;
	goto out;
oom:
	inv_findings_free(&fs);
	st = db_failf(db, DB_ENOMEM, "out of memory walking the days");
out:
	if (lo)
		for (int i = 0; i < nf; i++)
			free(lo[i].idx);
	if (lt)
		for (int i = 0; i < nf; i++)
			free(lt[i].idx);
	free(lo);
	free(lt);
	free(shifted);
	free(dm.slot);
	return st;
}
