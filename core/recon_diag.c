/* recon_diag.c: the causes the engine names beyond the tree (recon.h), each
 * with the figures that show it. Pure C, integer arithmetic only.
 *
 * Clock offset (rx_find_offset). A vote, then a check:
 *  - vote: up to 2048 of our connected calls, spread evenly, look up their
 *    connected calls with the same numbers, a similar billsec (within 2 s
 *    or 2 %) and an answer time (start when there is none) within
 *    max_offset_s; each such call votes once for its time difference
 *    rounded to the minute. A call of ours whose destination has more than
 *    4096 of their times (starts and answers) in the window is too common
 *    to say anything and does not vote.
 *  - the most voted minute (ties: the smaller |minute|) is a candidate when
 *    it is within 2 minutes of a non-zero multiple of 15 minutes (zones and
 *    DST are whole quarter hours) and has at least 3 votes; the candidate is
 *    that multiple.
 *  - check: both sides are paired with and without the candidate; it is
 *    accepted when, with it, at least 60 % of their connected calls pair,
 *    and more than twice as many as without it. The pairs of the accepted
 *    offset (else of none) become r->pairs.
 *
 * Duplicates (rx_duplicates): connected calls of one side with the same
 * src, dst, start and billsec as an earlier one; the cause counts the extra
 * copies.
 *
 * Over the matched pairs (rx_pair_causes), grouped by our rate prefix (theirs
 * when ours is empty; pairs with neither are left out). A pair is
 * "comparable" when both sides bill the same seconds (billed_secs, or whole
 * billsec when either billed_secs is unknown) and both carry a cost.
 *  - billing increment: on a prefix with at least 3 pairs billed on both
 *    sides, the granularity of a side is the gcd of its billed seconds; a
 *    cause when the granularities differ and at least one pair of equal
 *    whole billsec is billed differently (so durations are not the reason).
 *  - rate: on a prefix with at least 3 comparable pairs with our cost > 0,
 *    R = sum(their cost) / sum(our cost); a cause when R is outside the
 *    cost tolerance, the prefix's difference is more than rounding can
 *    explain (n x half a unit of the coarser decimals), and at least 90 % of
 *    the pairs fit R (within 1 %, or two units of the coarser decimals).
 *  - rounding: the decimals a side uses is the most any of its comparable
 *    costs needs; a cause when the two sides' decimals differ, at least 3
 *    pairs are comparable, some differ, at least 95 % differ by at most half
 *    a unit of the coarser decimals, and the totals differ by at most n x
 *    half a unit (rounding per call against per total, or more decimals).
 * At most 6 increment and 6 rate causes are kept, the largest first. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "recon.h"
#include "recon_int.h"

/* "96.2 %" for num/den, rounded half-up to a tenth. */
static void fmt_share(char *buf, size_t n, int64_t num, int64_t den)
{
	int64_t t = den <= 0 ? 0 : (int64_t)(((__int128)num * 2000 + den) / (2 * (__int128)den));
	buf[0] = 0;
	rx_cat(buf, n, "%lld.%lld %%", (long long)(t / 10), (long long)(t % 10));
}

/* "3 h", "5 h 30 min", "45 min" for |s| seconds (whole minutes). */
static void fmt_hours(char *buf, size_t n, int64_t s)
{
	int64_t m = (s < 0 ? -s : s) / 60;
	buf[0] = 0;
	if (m >= 60)
		rx_cat(buf, n, "%lld h", (long long)(m / 60));
	if (m % 60)
		rx_cat(buf, n, "%s%lld min", m >= 60 ? " " : "", (long long)(m % 60));
}

/* ---- clock offset ----------------------------------------------------- */

static int64_t vote_time(const recon_side *c, size_t i)
{
	int64_t a = rs_answer(c, i);
	return rx_time(a != TM_NONE ? a : rs_start(c, i));
}

static int votes_call(const recon_side *c, size_t i) { return rs_connected(c, i) && rs_billsec(c, i) > 0; }

static int similar_billsec(int64_t a, int64_t b)
{
	int64_t d = a > b ? a - b : b - a, m = a > b ? a : b;
	return d <= 2000 || d * 50 <= m;
}

static int vote_offset(const recon_side *ours, const recon_side *theirs, const rx_index *ix,
                       const recon_opts *op, int64_t *cand)
{
	int64_t maxm = op->max_offset_s / 60, best = 0;
	size_t nv = (size_t)(2 * maxm + 1), nconn = 0, step, seen = 0;
	uint32_t *votes = calloc(nv, sizeof *votes), *last = calloc(nv, sizeof *last), sample = 0;
	*cand = 0;
	if (!votes || !last) {
		free(votes), free(last);
		return RECON_ENOMEM;
	}
	for (size_t i = 0; i < ours->n; i++)
		nconn += votes_call(ours, i);
	step = nconn / 2048 + 1;
	for (size_t i = 0; i < ours->n; i++) {
		int64_t ta;
		size_t first, end;
		if (!votes_call(ours, i) || seen++ % step)
			continue;
		sample++;
		ta = vote_time(ours, i);
		rx_index_range(ix, rx_num_hash(ours->rec[i].dst), ta - op->max_offset_s - 30,
		               ta + op->max_offset_s + 30, &first, &end);
		if (end - first > 4096)
			continue;
		for (size_t k = first; k < end; k++) {
			size_t b = RX_PT_IDX(&ix->pt[k]);
			int64_t tb = vote_time(theirs, b), m, pa = rs_answer(theirs, b);
			/* the point's own time, exactly (points keep it clamped) */
			int64_t tp = rx_time(RX_PT_ANSWER(&ix->pt[k]) ? pa : rs_start(theirs, b));
			size_t v;
			if (tp != tb || !votes_call(theirs, b) || !rx_same_numbers(ours, i, theirs, b) ||
			    !similar_billsec(rs_billsec(ours, i), rs_billsec(theirs, b)))
				continue;
			m = rx_floor_div(tb - ta + 30, 60);
			if (m < -maxm || m > maxm)
				continue;
			v = (size_t)(m + maxm);
			if (last[v] == sample)
				continue;
			last[v] = sample;
			votes[v]++;
		}
	}
	for (int64_t m = -maxm; m <= maxm; m++) {
		uint32_t vm = votes[m + maxm], vb = votes[best + maxm];
		int64_t am = m < 0 ? -m : m, ab = best < 0 ? -best : best;
		if (vm > vb || (vm == vb && am < ab))
			best = m;
	}
	if (votes[best + maxm] >= 3) {
		int64_t q = rx_floor_div(best + 7, 15) * 15; /* nearest quarter hour */
		int64_t dq = best - q;
		if (q != 0 && dq >= -2 && dq <= 2 && q * 60 >= -op->max_offset_s &&
		    q * 60 <= op->max_offset_s)
			*cand = q * 60;
	}
	free(votes);
	free(last);
	return RECON_OK;
}

static size_t count_connected_pairs(const recon_side *theirs, const int32_t *mo, size_t n, int all)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += mo[i] >= 0 && (all || rs_connected(theirs, (size_t)mo[i]));
	return k;
}

/* The evidence of an accepted offset (out, n >= 400) and the short form for
 * the step (fig, nfig). */
static void offset_evidence(const recon_side *ours, const recon_side *theirs, int64_t off,
                            size_t base, size_t with, size_t without, const char *what,
                            const recon_result *r, char *out, size_t n, char *fig, size_t nfig)
{
	char hrs[32], sh[24], sh0[24], sh2[24], day[16];
	size_t moved = 0, npc = 0;
	int ex = -1;
	int64_t exd = -1;
	fmt_hours(hrs, sizeof hrs, off);
	fmt_share(sh, sizeof sh, (int64_t)with, (int64_t)base);
	fmt_share(sh0, sizeof sh0, (int64_t)without, (int64_t)base);
	out[0] = 0;
	rx_cat(out, n, "their clock is %s %s ours (%+lld s): with that offset %zu of their %zu %s "
	       "(%s) pair, without it %zu (%s)",
	       hrs, off > 0 ? "ahead of" : "behind", (long long)off, with, base, what, sh, without, sh0);
	fig[0] = 0;
	rx_cat(fig, nfig, "%s", out);
	for (size_t k = 0; k < r->npairs; k++) {
		size_t a = (size_t)r->pairs[k].ours, b = (size_t)r->pairs[k].theirs;
		if (!rs_connected(ours, a))
			continue;
		npc++;
		moved += rx_day_start(rs_start(ours, a)) != rx_day_start(rs_start(theirs, b));
	}
	for (int d = 0; d < r->nday; d++) {
		int64_t dd = r->days[d].connected[0] - r->days[d].connected[1];
		if (dd < 0)
			dd = -dd;
		if (dd > exd)
			exd = dd, ex = d;
	}
	fmt_share(sh2, sizeof sh2, (int64_t)moved, (int64_t)npc);
	rx_cat(out, n, "; %zu of %zu connected pairs (%s) fall on another UTC day on their side, so "
	       "daily totals shift between adjacent days", moved, npc, sh2);
	if (ex >= 0) {
		rx_fmt_day(day, sizeof day, r->days[ex].start);
		rx_cat(out, n, " (%s: ours %lld connected, theirs %lld)", day,
		       (long long)r->days[ex].connected[0], (long long)r->days[ex].connected[1]);
	}
}

int rx_find_offset(const recon_side *ours, const recon_side *theirs, rx_index *ix,
                   const recon_opts *op, recon_result *r, int *found, char *found_fig, size_t nfig)
{
	int64_t cand = 0, off = 0;
	int32_t *m0 = NULL, *m1 = NULL, *mo;
	size_t n0 = 0, n1 = 0, base = 0, np, c0 = 0, c1 = 0;
	int rc, all = 0;

	*found = 0;
	r->clock_offset_s = 0;
	if (ours->n && theirs->n && op->max_offset_s >= 900 &&
	    (rc = vote_offset(ours, theirs, ix, op, &cand)) != RECON_OK)
		goto fail;
	if ((rc = rx_match_idx(ours, NULL, ours->n, theirs, ix, op, 0, &m0, &n0)) != RECON_OK)
		goto fail;
	if (cand) {
		if ((rc = rx_match_idx(ours, NULL, ours->n, theirs, ix, op, cand, &m1, &n1)) != RECON_OK)
			goto fail;
		for (size_t j = 0; j < theirs->n; j++)
			base += rs_connected(theirs, j);
		all = base == 0; /* no connected flags on their side: count every call */
		if (all)
			base = theirs->n;
		c0 = count_connected_pairs(theirs, m0, ours->n, all);
		c1 = count_connected_pairs(theirs, m1, ours->n, all);
		if (c1 * 10 >= base * 6 && c1 > 2 * c0) {
			*found = 1;
			off = cand;
			free(m0), m0 = NULL;
		} else {
			free(m1), m1 = NULL;
		}
	}
	rx_index_free(ix); /* the pairs are made without it */
	mo = *found ? m1 : m0;
	np = *found ? n1 : n0;
	if ((rc = rx_pairs_of(ours, NULL, ours->n, theirs, mo, np, off, &r->pairs)) != RECON_OK)
		goto fail;
	r->npairs = np;
	if (*found) {
		recon_cause *c;
		r->clock_offset_s = cand;
		c = rx_add_cause(r, RECON_CAUSE_CLOCK_OFFSET, -1, "");
		if (c) {
			c->offset_s = cand;
			offset_evidence(ours, theirs, cand, base, c1, c0,
			                all ? "calls" : "connected calls", r, c->evidence,
			                sizeof c->evidence, found_fig, nfig);
		}
	}
	free(m0);
	free(m1);
	return RECON_OK;
fail:
	rx_index_free(ix);
	free(m0);
	free(m1);
	return rc;
}

/* ---- duplicates ------------------------------------------------------- */

static uint32_t dup_hash(const recon_side *c, size_t i)
{
	const recon_rec *r = &c->rec[i];
	uint64_t h = (uint64_t)rx_num_hash(r->src) << 32 | rx_num_hash(r->dst);
	h ^= (uint64_t)rx_time(rs_start(c, i)) * 0x9E3779B97F4A7C15ULL;
	h = (h ^ (h >> 29)) * 0xBF58476D1CE4E5B9ULL;
	h ^= (uint64_t)rs_billsec(c, i) * 0x94D049BB133111EBULL;
	h ^= h >> 31;
	return (uint32_t)(h ^ (h >> 32));
}

static int dup_equal(const recon_side *c, size_t a, size_t b)
{
	return rx_time(rs_start(c, a)) == rx_time(rs_start(c, b)) && rs_billsec(c, a) == rs_billsec(c, b) &&
	       rx_num_eq(c, c->rec[a].dst, c, c->rec[b].dst) && rx_num_eq(c, c->rec[a].src, c, c->rec[b].src);
}

typedef struct {
	int32_t idx;   /* -1 empty */
	uint32_t h;
} dup_slot;

int rx_duplicates(const recon_side *c, int side, recon_cause *cause, int *found)
{
	size_t n = c->n, nconn = 0, cap = 16, extra = 0, distinct = 0;
	dup_slot *slot;
	uint8_t *dupd;
	uint32_t ring[32];
	__int128 worth = 0;
	int first = -1, first_of = -1;
	*found = 0;
	for (size_t i = 0; i < n; i++)
		nconn += rs_connected(c, i);
	if (nconn < 2)
		return RECON_OK;
	while (cap < nconn + nconn / 2) /* at most 2/3 full */
		cap <<= 1;
	slot = rx_alloc_big(cap * sizeof *slot);
	dupd = calloc(cap, 1);
	if (!slot || !dupd) {
		free(slot), free(dupd);
		return RECON_ENOMEM;
	}
	memset(slot, 0xff, cap * sizeof *slot);
	/* Probes land anywhere in the table: the slot of the call 16 ahead is
	 * prefetched, its hash kept in ring[] (32 entries: ahead + current). */
	for (size_t i = 0; i < n && i < 16; i++)
		if (rs_connected(c, i)) {
			ring[i % 32] = dup_hash(c, i);
			RX_PREFETCH(&slot[ring[i % 32] & (uint32_t)(cap - 1)]);
		}
	for (size_t i = 0; i < n; i++) {
		uint32_t h, k;
		if (i + 16 < n && rs_connected(c, i + 16)) {
			uint32_t hh = dup_hash(c, i + 16);
			ring[(i + 16) % 32] = hh;
			RX_PREFETCH(&slot[hh & (uint32_t)(cap - 1)]);
		}
		if (!rs_connected(c, i))
			continue;
		h = ring[i % 32];
		for (k = h & (uint32_t)(cap - 1); slot[k].idx >= 0; k = (k + 1) & (uint32_t)(cap - 1))
			if (slot[k].h == h && dup_equal(c, (size_t)slot[k].idx, i))
				break;
		if (slot[k].idx < 0) {
			slot[k].idx = (int32_t)i;
			slot[k].h = h;
			continue;
		}
		extra++;
		if (!dupd[k])
			distinct++, dupd[k] = 1;
		if (rs_has_cost(c, i))
			worth += rs_cost(c, i);
		if (first < 0)
			first = (int)i, first_of = slot[k].idx;
	}
	free(slot);
	free(dupd);
	if (extra) {
		recon_cause *cz = cause;
		char m[40], id0[48], id1[48];
		memset(cz, 0, sizeof *cz);
		cz->kind = RECON_CAUSE_DUPLICATES;
		cz->side = side;
		*found = 1;
		rx_fmt_money(m, sizeof m, worth > INT64_MAX ? INT64_MAX : worth < INT64_MIN ? INT64_MIN
		                                                                             : (money_t)worth);
		/* ids fetched one at a time: a side may fetch them on demand */
		snprintf(id0, sizeof id0, "%.40s", rs_id(c, (size_t)first));
		snprintf(id1, sizeof id1, "%.40s", rs_id(c, (size_t)first_of));
		rx_cat(cz->evidence, sizeof cz->evidence,
		       "%s side has %zu duplicate records: %zu connected calls recorded more than once "
		       "(same src, dst, start and duration), the extra copies worth %s; first: record %s "
		       "repeats %s",
		       side == RECON_OURS ? "our" : "their", extra, distinct, m, id0, id1);
	}
	return RECON_OK;
}

/* ---- increment, rate, rounding ---------------------------------------- */

typedef struct {
	const char *prefix;
	uint32_t h;
	int64_t nb, g[2], bsum[2];       /* increment: pairs billed on both sides */
	int64_t neqdur, neqdur_diff;     /* ... of equal whole billsec; billed differently */
	int64_t nr, nfit, rbilled;       /* rate: comparable pairs with our cost > 0 */
	__int128 csum[2];
	int64_t r_ppm;
} pstat;

typedef struct {
	pstat *s;
	size_t n, cap;
	int32_t *tab;                    /* open addressing, -1 empty */
	size_t tcap;
	const char *last;                /* pointer cache of the previous lookup */
	int32_t lastidx;
} pmap;

static int64_t gcd64(int64_t a, int64_t b)
{
	while (b) {
		int64_t t = a % b;
		a = b, b = t;
	}
	return a;
}

static int pmap_rehash(pmap *m, size_t ncap)
{
	int32_t *nt = malloc(ncap * sizeof *nt);
	if (!nt)
		return -1;
	memset(nt, 0xff, ncap * sizeof *nt);
	for (size_t i = 0; i < m->n; i++) {
		size_t k = m->s[i].h & (ncap - 1);
		while (nt[k] >= 0)
			k = (k + 1) & (ncap - 1);
		nt[k] = (int32_t)i;
	}
	free(m->tab);
	m->tab = nt;
	m->tcap = ncap;
	return 0;
}

/* Index of the stats of prefix p (created when new), or -1 on no memory. */
static int32_t pmap_get(pmap *m, const char *p)
{
	uint32_t h;
	size_t k;
	if (p == m->last && m->lastidx >= 0)
		return m->lastidx;
	h = rx_hash_str(p);
	for (k = h & (m->tcap - 1); m->tab[k] >= 0; k = (k + 1) & (m->tcap - 1))
		if (m->s[m->tab[k]].h == h && strcmp(m->s[m->tab[k]].prefix, p) == 0)
			break;
	if (m->tab[k] < 0) {
		if (m->n == m->cap) {
			pstat *ns = realloc(m->s, 2 * m->cap * sizeof *ns);
			if (!ns)
				return -1;
			m->s = ns, m->cap *= 2;
		}
		memset(&m->s[m->n], 0, sizeof m->s[m->n]);
		m->s[m->n].prefix = p;
		m->s[m->n].h = h;
		m->tab[k] = (int32_t)m->n++;
		if (2 * m->n > m->tcap) {
			if (pmap_rehash(m, 2 * m->tcap) != 0)
				return -1;
			return pmap_get(m, p);
		}
	}
	m->last = p;
	m->lastidx = m->tab[k];
	return m->tab[k];
}

static int64_t whole_secs(int64_t ms) { return ms <= 0 ? 0 : ms / 1000 + (ms % 1000 != 0); }

static int comparable(const recon_side *o, size_t a, const recon_side *t, size_t b)
{
	int64_t ba, bb;
	if (!rs_has_cost(o, a) || !rs_has_cost(t, b))
		return 0;
	ba = rs_billed(o, a), bb = rs_billed(t, b);
	if (ba >= 0 && bb >= 0)
		return ba == bb;
	return whole_secs(rs_billsec(o, a)) == whole_secs(rs_billsec(t, b));
}

static int decimals_of(money_t v)
{
	int64_t p = MONEY_SCALE;
	for (int d = 0; d < 9; d++, p /= 10)
		if (v % p == 0)
			return d;
	return 9;
}

static const int64_t unit_of[10] = { 1000000000, 100000000, 10000000, 1000000, 100000,
                                     10000, 1000, 100, 10, 1 };

/* *dec = the most decimals v and the previous values need: one division
 * when v needs no more than *dec. */
static void widen_decimals(int *dec, money_t v)
{
	if (*dec < 9 && v % unit_of[*dec] != 0)
		*dec = decimals_of(v);
}

/* gcd(g, x) for x > 0, one division when g already divides x. */
static int64_t gcd_with(int64_t g, int64_t x)
{
	return g && x % g == 0 ? g : gcd64(g, x);
}

/* round(v * ppm / 10^6), half away from zero, in int64 when it fits. */
static __int128 times_ppm(money_t v, int64_t ppm)
{
	if (v > -((int64_t)1 << 40) && v < ((int64_t)1 << 40) && ppm >= 0 && ppm < ((int64_t)1 << 21)) {
		int64_t x = v * ppm * 2;
		return x >= 0 ? (x + 1000000) / 2000000 : -((-x + 1000000) / 2000000);
	}
	{
		__int128 x = (__int128)v * ppm * 2;
		return x >= 0 ? (x + 1000000) / 2000000 : -((-x + 1000000) / 2000000);
	}
}

static const char *pair_prefix(const recon_side *o, size_t a, const recon_side *t, size_t b)
{
	const char *p = rs_prefix(o, a);
	return *p ? p : rs_prefix(t, b);
}

typedef struct {
	const pstat *s;
	__int128 key;
} ranked;

static int ranked_cmp(const void *x, const void *y)
{
	const ranked *a = x, *b = y;
	if (a->key != b->key)
		return a->key > b->key ? -1 : 1;
	return strcmp(a->s->prefix, b->s->prefix);
}

/* A comparable pair (index into r->pairs), and its prefix's stats (-1: no
 * rate stats: no prefix, or our cost not positive). */
typedef struct {
	uint32_t k;
	int32_t ps;
} comp_pair;

static void fmt_ratio(char *buf, size_t n, int64_t ppm)
{
	int64_t r4 = (ppm + 50) / 100;
	buf[0] = 0;
	rx_cat(buf, n, "%lld.%04lld", (long long)(r4 / 10000), (long long)(r4 % 10000));
}

static money_t per_min(__int128 cost, int64_t billed)
{
	int64_t v = 0;
	money_t out = 0;
	if (billed <= 0 || money_div_round(cost * 60, billed, ROUND_HALF_UP, &v) != 0)
		return 0;
	if (money_round(v, 4, ROUND_HALF_UP, &out) != 0)
		return v;
	return out;
}

int rx_pair_causes(const recon_side *ours, const recon_side *theirs, const recon_opts *op,
                   recon_result *r)
{
	pmap m;
	int dec[2] = { 0, 0 }, dmin;
	int64_t ncomp = 0, unit, half, within = 0, differ = 0;
	__int128 tot[2] = { 0, 0 };
	ranked *rk = NULL;
	comp_pair *cp = NULL;
	size_t nrk;

	memset(&m, 0, sizeof m);
	m.cap = 16;
	m.tcap = 32;
	m.lastidx = -1;
	m.s = malloc(m.cap * sizeof *m.s);
	m.tab = malloc(m.tcap * sizeof *m.tab);
	if (!m.s || !m.tab)
		goto nomem;
	memset(m.tab, 0xff, m.tcap * sizeof *m.tab);

	cp = rx_alloc_big((r->npairs ? r->npairs : 1) * sizeof *cp);
	if (!cp)
		goto nomem;

	/* Pass 1: decimals, increment stats, rate sums; the comparable pairs
	 * are listed in cp[] for pass 2. Their calls are visited in random
	 * order: prefetched ahead. */
	for (size_t k = 0; k < r->npairs; k++) {
		size_t a = (size_t)r->pairs[k].ours, b = (size_t)r->pairs[k].theirs;
		money_t ca = rs_cost(ours, a), cb = rs_cost(theirs, b);
		int64_t ba = rs_billed(ours, a), bb = rs_billed(theirs, b);
		const char *p;
		int comp;
		pstat *s;
		int32_t i = -1;
		if (k + 16 < r->npairs)
			RX_PREFETCH(&theirs->rec[r->pairs[k + 16].theirs]);
		p = pair_prefix(ours, a, theirs, b);
		comp = comparable(ours, a, theirs, b);
		if (*p && (i = pmap_get(&m, p)) < 0)
			goto nomem;
		if (comp) {
			widen_decimals(&dec[0], ca);
			widen_decimals(&dec[1], cb);
			cp[ncomp].ps = i >= 0 && ca > 0 && cb >= 0 ? i : -1;
			cp[ncomp].k = (uint32_t)k;
			ncomp++;
		}
		if (i < 0)
			continue;
		s = &m.s[i];
		if (ba > 0 && bb > 0) {
			s->nb++;
			s->g[0] = gcd_with(s->g[0], ba);
			s->g[1] = gcd_with(s->g[1], bb);
			s->bsum[0] += ba;
			s->bsum[1] += bb;
			if (whole_secs(rs_billsec(ours, a)) == whole_secs(rs_billsec(theirs, b))) {
				s->neqdur++;
				s->neqdur_diff += ba != bb;
			}
		}
		if (comp && ca > 0 && cb >= 0) {
			s->nr++;
			s->csum[0] += ca;
			s->csum[1] += cb;
			s->rbilled += ba >= 0 ? ba : whole_secs(rs_billsec(ours, a));
		}
	}
	dmin = dec[0] < dec[1] ? dec[0] : dec[1];
	unit = 1;
	for (int d = dmin; d < 9; d++)
		unit *= 10;
	half = unit / 2;
	for (size_t i = 0; i < m.n; i++)
		if (m.s[i].nr > 0 && m.s[i].csum[0] > 0)
			m.s[i].r_ppm = (int64_t)((m.s[i].csum[1] * 2000000 + m.s[i].csum[0]) /
			                         (2 * m.s[i].csum[0]));

	/* Pass 2 over the comparable pairs: rounding, and how many pairs fit
	 * their prefix's ratio. */
	for (int64_t k = 0; k < ncomp; k++) {
		const recon_pair *pk = &r->pairs[cp[k].k];
		money_t ca = rs_cost(ours, (size_t)pk->ours), cb = rs_cost(theirs, (size_t)pk->theirs);
		__int128 d = (__int128)cb - ca;
		if (k + 16 < ncomp)
			RX_PREFETCH(&theirs->rec[r->pairs[cp[k + 16].k].theirs]);
		tot[0] += ca;
		tot[1] += cb;
		differ += d != 0;
		within += abs128(d) <= half;
		if (cp[k].ps >= 0) {
			pstat *s = &m.s[cp[k].ps];
			__int128 pred = times_ppm(ca, s->r_ppm);
			__int128 allow = abs128(pred) / 100;
			if (allow < 2 * unit)
				allow = 2 * unit;
			s->nfit += abs128((__int128)cb - pred) <= allow;
		}
	}
	free(cp), cp = NULL;

	rk = malloc((m.n ? m.n : 1) * sizeof *rk);
	if (!rk)
		goto nomem;

	/* Billing increments. */
	nrk = 0;
	for (size_t i = 0; i < m.n; i++) {
		const pstat *s = &m.s[i];
		if (s->nb >= 3 && s->g[0] != s->g[1] && s->neqdur_diff >= 1)
			rk[nrk].s = s, rk[nrk].key = s->neqdur_diff, nrk++;
	}
	qsort(rk, nrk, sizeof *rk, ranked_cmp);
	for (size_t i = 0; i < nrk && i < 6; i++) {
		const pstat *s = rk[i].s;
		recon_cause *c = rx_add_cause(r, RECON_CAUSE_INCREMENT, -1, s->prefix);
		if (!c)
			break;
		rx_cat(c->evidence, sizeof c->evidence,
		       "on prefix %.32s their billed seconds are all multiples of %lld, ours multiples of "
		       "%lld: %lld of %lld matched calls of the same duration are billed differently; over "
		       "%lld matched calls they bill %lld s where we bill %lld s",
		       s->prefix, (long long)s->g[1], (long long)s->g[0], (long long)s->neqdur_diff,
		       (long long)s->neqdur, (long long)s->nb, (long long)s->bsum[1], (long long)s->bsum[0]);
	}

	/* Rate differences. */
	nrk = 0;
	for (size_t i = 0; i < m.n; i++) {
		const pstat *s = &m.s[i];
		__int128 dsum = s->csum[1] - s->csum[0];
		int64_t dev = s->r_ppm - 1000000;
		if (s->nr < 3 || s->csum[0] <= 0)
			continue;
		if ((dev < 0 ? -dev : dev) <= (int64_t)op->cost_bp * 100)
			continue;
		if (abs128(dsum) <= (__int128)s->nr * half || s->nfit * 10 < s->nr * 9)
			continue;
		rk[nrk].s = s, rk[nrk].key = abs128(dsum), nrk++;
	}
	qsort(rk, nrk, sizeof *rk, ranked_cmp);
	for (size_t i = 0; i < nrk && i < 6; i++) {
		const pstat *s = rk[i].s;
		recon_cause *c = rx_add_cause(r, RECON_CAUSE_RATE, -1, s->prefix);
		char ratio[32], m0[40], m1[40], c0[40], c1[40];
		if (!c)
			break;
		fmt_ratio(ratio, sizeof ratio, s->r_ppm);
		rx_fmt_money(m0, sizeof m0, per_min(s->csum[0], s->rbilled));
		rx_fmt_money(m1, sizeof m1, per_min(s->csum[1], s->rbilled));
		rx_fmt_money(c0, sizeof c0, (money_t)s->csum[0]);
		rx_fmt_money(c1, sizeof c1, (money_t)s->csum[1]);
		rx_cat(c->evidence, sizeof c->evidence,
		       "on prefix %.32s, %lld matched calls billed the same seconds cost %s on their side "
		       "against %s on ours: ratio %s (about %s/min theirs, %s/min ours); %lld of %lld "
		       "calls fit that ratio",
		       s->prefix, (long long)s->nr, c1, c0, ratio, m1, m0, (long long)s->nfit,
		       (long long)s->nr);
	}

	/* Rounding. */
	if (dec[0] != dec[1] && ncomp >= 3 && differ >= 1 && within * 100 >= ncomp * 95 &&
	    abs128(tot[1] - tot[0]) <= (__int128)ncomp * half) {
		int coarse = dec[0] < dec[1] ? RECON_OURS : RECON_THEIRS;
		recon_cause *c = rx_add_cause(r, RECON_CAUSE_ROUNDING, coarse, "");
		if (c) {
			char t0[40], t1[40], d[40], h[40], lim[40];
			rx_fmt_money(t0, sizeof t0, (money_t)tot[0]);
			rx_fmt_money(t1, sizeof t1, (money_t)tot[1]);
			rx_fmt_money(d, sizeof d, (money_t)(tot[1] - tot[0]));
			rx_fmt_money(h, sizeof h, half);
			rx_fmt_money(lim, sizeof lim, (money_t)(ncomp * half));
			rx_cat(c->evidence, sizeof c->evidence,
			       "%s per-call costs are rounded to %d decimals, %s carry %d (rounding per call "
			       "against per total or to more decimals): %lld of %lld comparable calls differ, "
			       "%lld by at most half a unit (%s); the totals differ by %s (ours %s, theirs %s), "
			       "within %lld x %s = %s",
			       coarse == RECON_OURS ? "our" : "their", dmin,
			       coarse == RECON_OURS ? "theirs" : "ours", dec[0] > dec[1] ? dec[0] : dec[1],
			       (long long)differ, (long long)ncomp, (long long)within, h, d, t0, t1,
			       (long long)ncomp, h, lim);
		}
	}
	free(rk);
	free(m.s);
	free(m.tab);
	return RECON_OK;
nomem:
	free(cp);
	free(rk);
	free(m.s);
	free(m.tab);
	return RECON_ENOMEM;
}
