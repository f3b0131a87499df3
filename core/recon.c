/* recon.c: pairing two sides' call records (recon_match), the shared
 * helpers of the recon module and its small public functions (recon.h).
 *
 * Pairing (recon_match). Records with equal non-empty ids are paired first
 * when opts->match_ids: each of our calls, in index order, takes the unused
 * call of theirs with the same id that is closest in time (ties: the lowest
 * index of theirs). The rest pair on numbers and time: a pair of ours o and
 * theirs j is a candidate when dst is equal, src is equal or empty on either
 * side, and one of the four time combinations (start/start, answer/answer,
 * start/answer, answer/start, after removing the clock offset) is within
 * match_tol_s. Candidates are taken globally best first: smallest |dt|,
 * then the lowest index of ours, then of theirs; a candidate is taken when
 * neither call is paired yet.
 *
 * It is never O(n*m): theirs are indexed once (rx_index: two 32-byte points
 * per call, one per distinct start/answer time, each carrying both times
 * and the number hashes, bucketed by the hash of dst, ~4 points a bucket,
 * sorted by time inside a bucket); each of our calls scans the few points
 * of its dst within the tolerance of its start and its answer, reading
 * nothing but those points. Numbers are compared by hash while scanning
 * and exactly (strcmp) when a pair is taken, which is the same as filtering
 * first, since a candidate that fails is simply never taken. Each candidate
 * is emitted once (through the their-side time of its first combination
 * within tolerance); a candidate that competes with no other (the only one
 * of its call of ours and of its call of theirs) is taken at once, which
 * nearly all are; the contested rest are put in the global order (|dt|,
 * ours, theirs) by a stable counting sort on |dt| (0..tol) of candidates
 * already in (ours, theirs) order. Random reads are prefetched a few calls
 * ahead, and the big tables are advised as huge pages (rx_alloc_big).
 *
 * Memory: 32 bytes per point (<= 2 per call of theirs; 24 more per call
 * while building), 1 byte per 4 points of bucket offsets, 12 per candidate
 * (+4 per contested one), 8 per call of ours and 2 per call of theirs; all
 * freed before return but the pairs (16 bytes each). With 1,000,000 ours
 * and 600,000 theirs: ~50 MB at the peak.
 *
 * Totals and the tree are in recon_tree.c, the causes in recon_diag.c. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__linux__)
#include <sys/mman.h>
#endif

#include "recon.h"
#include "recon_int.h"
#include "tm.h"

/* ---- small helpers ---------------------------------------------------- */

uint32_t rx_hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	if (s)
		for (; *s; s++) {
			h ^= (unsigned char)*s;
			h *= 1099511628211ULL;
		}
	return (uint32_t)(h ^ (h >> 32));
}

void rx_cat(char *buf, size_t n, const char *fmt, ...)
{
	size_t len = strnlen(buf, n);
	va_list ap;
	if (len + 1 >= n)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + len, n - len, fmt, ap);
	va_end(ap);
}

void rx_fmt_bp(char *buf, size_t n, int64_t bp)
{
	buf[0] = 0;
	rx_cat(buf, n, "%lld.%02lld %%", (long long)(bp / 100), (long long)(bp % 100));
}

void rx_fmt_rel(char *buf, size_t n, int64_t a, int64_t b)
{
	__int128 d = abs128((__int128)a - b), m = abs128(a) > abs128(b) ? abs128(a) : abs128(b);
	int64_t bp = m == 0 ? 0 : (int64_t)((d * 10000 * 2 + m) / (2 * m));
	rx_fmt_bp(buf, n, bp);
}

void rx_fmt_day(char *buf, size_t n, int64_t t)
{
	char tmp[32];
	tm_format(rx_time(t), tmp, sizeof tmp);
	snprintf(buf, n, "%.10s", tmp);
}

void rx_fmt_secs(char *buf, size_t n, int64_t ms)
{
	const char *sign = ms < 0 ? "-" : "";
	uint64_t u = ms < 0 ? (uint64_t)0 - (uint64_t)ms : (uint64_t)ms;
	if (u % 1000 == 0)
		snprintf(buf, n, "%s%llu s", sign, (unsigned long long)(u / 1000));
	else
		snprintf(buf, n, "%s%llu.%03llu s", sign, (unsigned long long)(u / 1000),
		         (unsigned long long)(u % 1000));
}

void rx_fmt_money(char *buf, size_t n, money_t v)
{
	char tmp[40];
	buf[0] = 0;
	rx_cat(buf, n, "%s", money_format(v, 4, tmp, sizeof tmp) < 0 ? "?" : tmp);
}

recon_cause *rx_add_cause(recon_result *r, recon_cause_kind kind, int side, const char *prefix)
{
	recon_cause *c;
	if (r->ncause >= RECON_MAX_CAUSES)
		return NULL;
	c = &r->causes[r->ncause++];
	memset(c, 0, sizeof *c);
	c->kind = kind;
	c->side = side;
	snprintf(c->prefix, sizeof c->prefix, "%s", rx_s(prefix));
	return c;
}

#define HUGE_PAGE ((size_t)2 << 20)

void *rx_alloc_big(size_t bytes)
{
	void *p;
	if (bytes < 2 * HUGE_PAGE)
		return malloc(bytes ? bytes : 1);
	bytes = (bytes + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
	p = aligned_alloc(HUGE_PAGE, bytes);
#if defined(__linux__) && defined(MADV_HUGEPAGE)
	if (p)
		(void)madvise(p, bytes, MADV_HUGEPAGE);
#endif
	return p;
}

/* ---- public small functions ------------------------------------------- */

void recon_default_opts(recon_opts *o)
{
	memset(o, 0, sizeof *o);
	o->count_bp = 50;
	o->seconds_bp = 50;
	o->cost_bp = 50;
	o->cost_abs = MONEY_SCALE / 100;
	o->match_tol_s = 5;
	o->max_offset_s = 14 * 3600;
	o->match_ids = 0; /* the caller sets it when both exports carry the same ids */
	o->force_day = -1;
	o->force_connected_match = -1;
	o->force_duration_match = -1;
}

static int clampi(int v, int lo, int hi) { return v < lo ? lo : v > hi ? hi : v; }
static int64_t clamp64(int64_t v, int64_t lo, int64_t hi) { return v < lo ? lo : v > hi ? hi : v; }

void rx_norm_opts(recon_opts *out, const recon_opts *o)
{
	if (!o)
		recon_default_opts(out);
	else
		*out = *o;
	out->count_bp = clampi(out->count_bp, 0, 10000);
	out->seconds_bp = clampi(out->seconds_bp, 0, 10000);
	out->cost_bp = clampi(out->cost_bp, 0, 10000);
	if (out->cost_abs < 0)
		out->cost_abs = 0;
	out->match_tol_s = clamp64(out->match_tol_s, 0, RX_MAX_TOL);
	out->max_offset_s = clamp64(out->max_offset_s, 0, RX_MAX_OFFSET);
	out->match_ids = out->match_ids != 0;
	if (out->force_connected_match != 0 && out->force_connected_match != 1)
		out->force_connected_match = -1;
	if (out->force_duration_match != 0 && out->force_duration_match != 1)
		out->force_duration_match = -1;
}

const char *recon_verdict_name(recon_verdict v)
{
	switch (v) {
	case RECON_VERDICT_MISSING_CALLS: return "missing_calls";
	case RECON_VERDICT_DURATION: return "duration";
	case RECON_VERDICT_RATING: return "rating";
	case RECON_VERDICT_TIMEZONE_OFFSET: return "timezone_offset";
	case RECON_VERDICT_NONE: break;
	}
	return "none";
}

const char *recon_cause_name(recon_cause_kind k)
{
	switch (k) {
	case RECON_CAUSE_CLOCK_OFFSET: return "timezone_offset";
	case RECON_CAUSE_INCREMENT: return "billing_increment";
	case RECON_CAUSE_ROUNDING: return "rounding";
	case RECON_CAUSE_RATE: return "rate";
	case RECON_CAUSE_DUPLICATES: return "duplicates";
	}
	return "?";
}

int recon_counts_match(int64_t a, int64_t b, int bp)
{
	__int128 d = abs128((__int128)a - b), m = abs128(a) > abs128(b) ? abs128(a) : abs128(b);
	if (bp < 0)
		bp = 0;
	return d * 10000 <= (__int128)bp * m;
}

int recon_cost_match(money_t a, money_t b, int bp, money_t abs_floor)
{
	if (abs128((__int128)a - b) <= (__int128)(abs_floor < 0 ? 0 : abs_floor))
		return 1;
	return recon_counts_match(a, b, bp);
}

/* ---- the index of theirs ---------------------------------------------- */

static int pt_less(const rx_point *a, const rx_point *b)
{
	if (a->h != b->h)
		return a->h < b->h;
	if (a->t != b->t)
		return a->t < b->t;
	return a->idx < b->idx;
}

static void pt_sift(rx_point *p, size_t i, size_t n)
{
	for (;;) {
		size_t c = 2 * i + 1;
		rx_point tmp;
		if (c >= n)
			return;
		if (c + 1 < n && pt_less(&p[c], &p[c + 1]))
			c++;
		if (!pt_less(&p[i], &p[c]))
			return;
		tmp = p[i], p[i] = p[c], p[c] = tmp;
		i = c;
	}
}

/* Sorts a bucket: insertion sort when short (nearly all are), else heapsort
 * (a popular destination can fill one bucket with thousands of points). */
static void pt_sort(rx_point *p, size_t n)
{
	if (n <= 16) {
		for (size_t i = 1; i < n; i++) {
			rx_point v = p[i];
			size_t k = i;
			for (; k > 0 && pt_less(&v, &p[k - 1]); k--)
				p[k] = p[k - 1];
			p[k] = v;
		}
		return;
	}
	for (size_t i = n / 2; i-- > 0;)
		pt_sift(p, i, n);
	for (size_t end = n - 1; end > 0; end--) {
		rx_point tmp = p[0];
		p[0] = p[end], p[end] = tmp;
		pt_sift(p, 0, end);
	}
}

/* 0 for an empty src; never UINT32_MAX (which means "not hashed yet"). */
static uint32_t src_hash(const char *src)
{
	uint32_t h;
	if (!src || !*src)
		return 0;
	h = rx_hash_str(src);
	return h == 0 || h == UINT32_MAX ? 1 : h;
}

/* The times of c (answer TM_NONE when there is none), without hashes. */
static void slim_times(const recon_call *c, rx_slim *z)
{
	z->s = rx_time(c->start);
	z->a = c->answer == TM_NONE ? TM_NONE : rx_time(c->answer);
}

/* The times and src hash of the call a point belongs to. */
static void point_slim(const rx_point *p, rx_slim *z)
{
	z->s = p->is_answer ? p->other : p->t;
	z->a = p->is_answer ? p->t : p->other;
	z->dh = p->h;
	z->sh = p->sh;
}

int rx_index_build(rx_index *x, const recon_call *c, size_t n)
{
	size_t npt = 0, nb = 16;
	rx_slim *sl;
	memset(x, 0, sizeof *x);
	sl = rx_alloc_big(n * sizeof *sl); /* for the build only */
	if (!sl)
		return RECON_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		slim_times(&c[i], &sl[i]);
		sl[i].dh = rx_hash_str(c[i].dst);
		sl[i].sh = src_hash(c[i].src);
		npt += 1 + (size_t)(sl[i].a != TM_NONE && sl[i].a != sl[i].s);
	}
	/* About 4 points a bucket: the offsets stay small enough to be cached,
	 * and a bucket is a cache line or two of points. */
	while (nb * 4 < npt)
		nb <<= 1;
	x->boff = rx_alloc_big((nb + 1) * sizeof *x->boff);
	x->pt = rx_alloc_big(npt * sizeof *x->pt);
	if (!x->boff || !x->pt) {
		free(sl);
		rx_index_free(x);
		return RECON_ENOMEM;
	}
	memset(x->boff, 0, (nb + 1) * sizeof *x->boff);
	x->npt = npt;
	x->mask = (uint32_t)(nb - 1);
	for (size_t i = 0; i < n; i++)
		x->boff[(sl[i].dh & x->mask) + 1] += 1 + (uint32_t)(sl[i].a != TM_NONE && sl[i].a != sl[i].s);
	for (size_t b = 0; b < nb; b++)
		x->boff[b + 1] += x->boff[b];
	/* Scatter with boff[b] as the cursor of bucket b; afterwards boff[b]
	 * is the end of b, so shift back by one bucket. */
	for (size_t i = 0; i < n; i++) {
		const rx_slim *z = &sl[i];
		uint32_t b = z->dh & x->mask;
		rx_point p;
		memset(&p, 0, sizeof p);
		p.h = z->dh;
		p.idx = (int32_t)i;
		p.t = z->s;
		p.other = z->a;
		p.sh = z->sh;
		x->pt[x->boff[b]++] = p;
		if (z->a != TM_NONE && z->a != z->s) {
			p.t = z->a;
			p.other = z->s;
			p.is_answer = 1;
			x->pt[x->boff[b]++] = p;
		}
	}
	free(sl);
	for (size_t b = nb; b > 0; b--)
		x->boff[b] = x->boff[b - 1];
	x->boff[0] = 0;
	for (size_t b = 0; b < nb; b++)
		pt_sort(x->pt + x->boff[b], x->boff[b + 1] - x->boff[b]);
	return RECON_OK;
}

void rx_index_free(rx_index *x)
{
	free(x->pt);
	free(x->boff);
	memset(x, 0, sizeof *x);
}

size_t rx_index_lower(const rx_index *x, size_t l, size_t r, uint32_t h, int64_t t)
{
	while (l < r) { /* first point >= (h, t) */
		size_t mid = l + (r - l) / 2;
		const rx_point *p = &x->pt[mid];
		if (p->h < h || (p->h == h && p->t < t))
			l = mid + 1;
		else
			r = mid;
	}
	return l;
}

void rx_index_range(const rx_index *x, uint32_t h, int64_t lo, int64_t hi, size_t *first,
                    size_t *end)
{
	uint32_t b = h & x->mask;
	size_t l = rx_index_lower(x, x->boff[b], x->boff[b + 1], h, lo), e = l, r = x->boff[b + 1];
	while (e < r && x->pt[e].h == h && x->pt[e].t <= hi)
		e++;
	*first = l;
	*end = e;
}

/* ---- pairing ---------------------------------------------------------- */

/* Time combinations, ours/theirs: the order of the header (for dt ties)
 * and the emission bit of each (bit q*2+p, q = our start 0 / answer 1,
 * p = their start 0 / answer 1). Returns the signed difference of the
 * closest combination; *mask gets those within tol. */
static int64_t slim_dt_mask(const rx_slim *a, const rx_slim *b, int64_t off, int64_t tol,
                            unsigned *mask)
{
	int ha = a->a != TM_NONE, hb = b->a != TM_NONE;
	int64_t bs = b->s - off, ba = hb ? b->a - off : 0;
	int64_t d[4] = { bs - a->s, hb && ha ? ba - a->a : 0, ba - a->s, ha ? bs - a->a : 0 };
	int ok[4] = { 1, ha && hb, hb, ha };
	static const unsigned bit[4] = { 1u, 8u, 2u, 4u };
	int64_t best = 0, bestabs = INT64_MAX;
	unsigned m = 0;
	for (int k = 0; k < 4; k++) {
		int64_t ad;
		if (!ok[k])
			continue;
		ad = d[k] < 0 ? -d[k] : d[k];
		if (ad <= tol)
			m |= bit[k];
		if (ad < bestabs)
			bestabs = ad, best = d[k];
	}
	*mask = m;
	return best;
}

int64_t rx_pair_dt(const recon_call *a, const recon_call *b, int64_t off)
{
	rx_slim x, y;
	unsigned m;
	slim_times(a, &x);
	slim_times(b, &y);
	return slim_dt_mask(&x, &y, off, 0, &m);
}

int rx_same_numbers(const recon_call *a, const recon_call *b)
{
	const char *as = rx_s(a->src), *bs = rx_s(b->src);
	if (a->dst != b->dst && strcmp(rx_s(a->dst), rx_s(b->dst)) != 0)
		return 0;
	return !*as || !*bs || as == bs || strcmp(as, bs) == 0;
}

typedef struct {
	int32_t o, j, dt;  /* dt: their time - our time, |dt| <= tol */
} rx_cand;

static int cand_cmp_j(const void *x, const void *y)
{
	const rx_cand *a = x, *b = y;
	return (a->j > b->j) - (a->j < b->j);
}

/* Sorts the candidates of one call of ours by index of theirs: almost
 * always 1-3 of them (insertion sort); a crowded destination may give many. */
#define ABS32(x) ((x) < 0 ? -(x) : (x))

static void cand_sort_j(rx_cand *c, size_t n)
{
	if (n > 32) {
		qsort(c, n, sizeof *c, cand_cmp_j);
		return;
	}
	for (size_t i = 1; i < n; i++) {
		rx_cand v = c[i];
		size_t k = i;
		for (; k > 0 && c[k - 1].j > v.j; k--)
			c[k] = c[k - 1];
		c[k] = v;
	}
}

/* Id phase: see the top of the file. mo/tu are the pairing so far. */
static int match_ids(const recon_call *ours, size_t nours, const recon_call *theirs,
                     size_t ntheirs, int64_t off, int32_t *mo, uint8_t *tu)
{
	size_t cap = 16;
	int32_t *slot;
	uint32_t *sh;
	while (cap < 2 * ntheirs)
		cap <<= 1;
	slot = malloc(cap * sizeof *slot);
	sh = malloc(cap * sizeof *sh);
	if (!slot || !sh) {
		free(slot);
		free(sh);
		return RECON_ENOMEM;
	}
	memset(slot, 0xff, cap * sizeof *slot);
	for (size_t j = 0; j < ntheirs; j++) {
		uint32_t h, k;
		if (!*rx_s(theirs[j].id))
			continue;
		h = rx_hash_str(theirs[j].id);
		for (k = h & (uint32_t)(cap - 1); slot[k] >= 0; k = (k + 1) & (uint32_t)(cap - 1))
			;
		slot[k] = (int32_t)j;
		sh[k] = h;
	}
	for (size_t o = 0; o < nours; o++) {
		const char *id = rx_s(ours[o].id);
		int32_t best = -1;
		int64_t bestabs = INT64_MAX;
		uint32_t h, k;
		if (!*id)
			continue;
		h = rx_hash_str(id);
		for (k = h & (uint32_t)(cap - 1); slot[k] >= 0; k = (k + 1) & (uint32_t)(cap - 1)) {
			int32_t j = slot[k];
			int64_t dt, ad;
			if (sh[k] != h || tu[j] || strcmp(rx_s(theirs[j].id), id) != 0)
				continue;
			dt = rx_pair_dt(&ours[o], &theirs[j], off);
			ad = dt < 0 ? -dt : dt;
			if (ad < bestabs || (ad == bestabs && j < best))
				bestabs = ad, best = j;
		}
		if (best >= 0) {
			mo[o] = best;
			tu[best] = 1;
		}
	}
	free(slot);
	free(sh);
	return RECON_OK;
}

int rx_match_idx(const recon_call *ours, size_t nours, const recon_call *theirs, size_t ntheirs,
                 const rx_index *ix, const recon_opts *op, int64_t off, recon_pair **pairs,
                 size_t *npairs)
{
	int64_t tol = op->match_tol_s;
	int32_t *mo = NULL, *md = NULL; /* our call's partner and dt (INT32_MIN: paired by id) */
	uint8_t *tu = NULL, *jn = NULL; /* their call paired; its candidates (0, 1, 2 = more) */
	rx_cand *cand = NULL;
	uint32_t *perm = NULL;
	size_t *cnt = NULL, ncand = 0, capcand, np = 0;
	recon_pair *out = NULL;
	enum { LOOKAHEAD = 24, RING = 32 };
	uint32_t ring[RING];
	rx_slim za;
	int rc = RECON_ENOMEM;

	*pairs = NULL;
	*npairs = 0;
	if (nours == 0 || ntheirs == 0)
		return RECON_OK;
	mo = malloc(nours * sizeof *mo);
	md = malloc(nours * sizeof *md);
	tu = calloc(ntheirs, 1);
	jn = calloc(ntheirs, 1);
	capcand = (nours < ntheirs ? nours : ntheirs) + 1024;
	cand = malloc(capcand * sizeof *cand);
	if (!mo || !md || !tu || !jn || !cand)
		goto done;
	memset(mo, 0xff, nours * sizeof *mo);
	for (size_t o = 0; o < nours; o++)
		md[o] = INT32_MIN;
	if (op->match_ids && match_ids(ours, nours, theirs, ntheirs, off, mo, tu) != RECON_OK)
		goto done;

	/* The lookups of successive calls are independent cache misses (bucket
	 * offset, then points, then their call), so they are prefetched in
	 * stages ahead (our dst text, bucket offset, points, their call);
	 * ring[] keeps the dst hashes of the calls ahead. */
	for (size_t k = 0; k < LOOKAHEAD && k < nours; k++) {
		ring[k % RING] = rx_hash_str(ours[k].dst);
		RX_PREFETCH(&ix->boff[ring[k % RING] & ix->mask]);
	}
	for (size_t o = 0; o < nours; o++) {
		const recon_call *a = &ours[o];
		uint32_t h = ring[o % RING];
		size_t seg = ncand;
		if (o + 2 * LOOKAHEAD < nours)
			RX_PREFETCH(ours[o + 2 * LOOKAHEAD].dst);
		if (o + LOOKAHEAD < nours) {
			uint32_t hh = rx_hash_str(ours[o + LOOKAHEAD].dst);
			ring[(o + LOOKAHEAD) % RING] = hh;
			RX_PREFETCH(&ix->boff[hh & ix->mask]);
		}
		if (o + LOOKAHEAD / 2 < nours)
			RX_PREFETCH(&ix->pt[ix->boff[ring[(o + LOOKAHEAD / 2) % RING] & ix->mask]]);
		if (o + LOOKAHEAD / 2 < nours) /* the bucket's second line, often needed */
			RX_PREFETCH((const char *)&ix->pt[ix->boff[ring[(o + LOOKAHEAD / 2) % RING] & ix->mask]] + 64);
		if (mo[o] >= 0)
			continue;
		slim_times(a, &za);
		za.dh = h;
		za.sh = UINT32_MAX; /* not hashed yet: only when a point of this dst is seen */
		/* The points within tol of our start or answer: one window when the
		 * two overlap, else two disjoint ones, in time order; each point is
		 * visited once. A pair is emitted through one point only: the
		 * their-side time of its first combination within tolerance. */
		{
			int64_t q0 = za.s, q1 = za.a != TM_NONE ? za.a : za.s, w[2][2];
			int nw;
			size_t k, end;
			uint32_t b = h & ix->mask;
			if (q1 < q0) {
				int64_t tmp = q0;
				q0 = q1, q1 = tmp;
			}
			w[0][0] = q0 + off - tol;
			w[0][1] = q0 + off + tol;
			w[1][0] = q1 + off - tol;
			w[1][1] = q1 + off + tol;
			nw = 2;
			if (w[1][0] <= w[0][1] + 1) {
				w[0][1] = w[1][1];
				nw = 1;
			}
			k = ix->boff[b];
			end = ix->boff[b + 1];
			if (end - k > 16) /* a crowded bucket: binary search */
				k = rx_index_lower(ix, k, end, h, w[0][0]);
			for (int wi = 0; wi < nw; wi++)
				for (; k < end; k++) {
					const rx_point *p = &ix->pt[k];
					rx_slim zb;
					unsigned mask, low;
					int64_t dt;
					if (p->h != h) {
						if (p->h > h)
							break;
						continue;
					}
					if (p->t < w[wi][0])
						continue;
					if (p->t > w[wi][1])
						break;
					if (za.sh == UINT32_MAX)
						za.sh = src_hash(a->src);
					/* dst and src are compared by hash here and exactly when a
					 * pair is taken: a candidate that fails then is skipped,
					 * which is the same as never having been one. */
					if (tu[p->idx] || (za.sh && p->sh && za.sh != p->sh))
						continue;
					point_slim(p, &zb);
					dt = slim_dt_mask(&za, &zb, off, tol, &mask);
					low = mask & (0u - mask);
					if (!low || ((low & 10u) != 0) != (p->is_answer != 0))
						continue; /* not within tolerance, or found through its other time */
					if (ncand == capcand) {
						rx_cand *nc;
						if (capcand > (size_t)INT32_MAX)
							goto done;
						nc = realloc(cand, 2 * capcand * sizeof *cand);
						if (!nc)
							goto done;
						cand = nc;
						capcand *= 2;
					}
					cand[ncand].o = (int32_t)o;
					cand[ncand].j = p->idx;
					cand[ncand].dt = (int32_t)dt;
					ncand++;
					jn[p->idx] += jn[p->idx] < 2;
				}
		}
		cand_sort_j(cand + seg, ncand - seg);
	}

	/* A candidate that is the only one of its call of ours and of its call
	 * of theirs is taken whatever the order (nothing competes for either),
	 * so those are paired now, once the numbers are checked; usually nearly
	 * all. The rest are contested. Their calls are visited in random order:
	 * the record, then its dst, are prefetched ahead. */
	{
		size_t w = 0;
		for (size_t i = 0; i < ncand; i++) {
			const rx_cand c = cand[i];
			int alone = (i == 0 || cand[i - 1].o != c.o) && (i + 1 == ncand || cand[i + 1].o != c.o);
			if (i + 16 < ncand)
				RX_PREFETCH(&theirs[cand[i + 16].j]);
			if (i + 8 < ncand)
				RX_PREFETCH(theirs[cand[i + 8].j].dst);
			if (!alone || jn[c.j] != 1)
				cand[w++] = c;
			else if (rx_same_numbers(&ours[c.o], &theirs[c.j]))
				mo[c.o] = c.j, md[c.o] = c.dt, tu[c.j] = 1;
		}
		ncand = w;
	}
	free(jn), jn = NULL;

	/* Stable counting sort on |dt|: the order becomes (|dt|, ours, theirs). */
	cnt = calloc((size_t)tol + 2, sizeof *cnt);
	perm = malloc((ncand ? ncand : 1) * sizeof *perm);
	if (!cnt || !perm)
		goto done;
	for (size_t i = 0; i < ncand; i++)
		cnt[ABS32(cand[i].dt) + 1]++;
	for (size_t d = 0; d <= (size_t)tol; d++)
		cnt[d + 1] += cnt[d];
	for (size_t i = 0; i < ncand; i++)
		perm[cnt[ABS32(cand[i].dt)]++] = (uint32_t)i;
	for (size_t i = 0; i < ncand; i++) {
		const rx_cand *c = &cand[perm[i]];
		if (mo[c->o] < 0 && !tu[c->j] && rx_same_numbers(&ours[c->o], &theirs[c->j])) {
			mo[c->o] = c->j;
			md[c->o] = c->dt;
			tu[c->j] = 1;
		}
	}
	free(perm), perm = NULL;
	free(cnt), cnt = NULL;
	free(cand), cand = NULL;
	free(tu), tu = NULL;

	for (size_t o = 0; o < nours; o++)
		np += mo[o] >= 0;
	out = malloc((np ? np : 1) * sizeof *out);
	if (!out)
		goto done;
	np = 0;
	for (size_t o = 0; o < nours; o++) {
		if (mo[o] < 0)
			continue;
		out[np].ours = (int)o;
		out[np].theirs = mo[o];
		out[np].dt = md[o] != INT32_MIN ? md[o] : rx_pair_dt(&ours[o], &theirs[mo[o]], off);
		np++;
	}
	*pairs = out;
	*npairs = np;
	rc = RECON_OK;
done:
	free(mo);
	free(md);
	free(tu);
	free(jn);
	free(cand);
	free(perm);
	free(cnt);
	return rc;
}

int recon_match(const recon_call *ours, size_t nours, const recon_call *theirs, size_t ntheirs,
                const recon_opts *o, int64_t offset_s, recon_pair **pairs, size_t *npairs)
{
	recon_opts op;
	rx_index ix;
	int rc;
	*pairs = NULL;
	*npairs = 0;
	if (nours > RX_MAX_CALLS || ntheirs > RX_MAX_CALLS)
		return RECON_ENOMEM;
	if (nours == 0 || ntheirs == 0)
		return RECON_OK;
	rx_norm_opts(&op, o);
	offset_s = clamp64(offset_s, -RX_MAX_OFFSET, RX_MAX_OFFSET);
	if ((rc = rx_index_build(&ix, theirs, ntheirs)) != RECON_OK)
		return rc;
	rc = rx_match_idx(ours, nours, theirs, ntheirs, &ix, &op, offset_s, pairs, npairs);
	rx_index_free(&ix);
	return rc;
}
