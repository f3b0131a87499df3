/* recon_match.c: pairing two sides' call records (recon_match, rx_match_idx)
 * and the index of theirs it searches.
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
 * It is never O(n*m): theirs are indexed once (rx_index: 12-byte points,
 * one per distinct start/answer time of a call, bucketed by the hash of
 * dst, ~4 points a bucket, sorted by time inside a bucket); each of our
 * calls scans the few points of its dst within the tolerance of its start
 * and its answer, and checks each against the call of theirs it names
 * (numbers exactly, the four time combinations on the exact times), those
 * calls prefetched ahead. Each candidate is emitted once (through the
 * their-side time of its first combination within tolerance). With many
 * calls of ours, a second thread lists the candidates of the second half;
 * each half's list is in (ours, theirs) order, so the two in turn are too.
 * A candidate that competes with no other (the only one of its call of
 * ours and of its call of theirs) is taken at once, which nearly all are;
 * the contested rest are put in the global order (|dt|, ours, theirs) by a
 * stable counting sort on |dt| (0..tol). The pairs are made once the index
 * is freed, their dt read again from the calls.
 *
 * Memory: 12 bytes per point (<= 2 per call of theirs), 1 byte per 4 points
 * of bucket offsets, 12 per candidate, 4 per call of ours and 2-3 per call
 * of theirs while pairing; then 16 per pair. With 1,000,000 ours and
 * 600,000 theirs: ~30 MB at the peak, on top of the sides (48 bytes a call,
 * recon_side.c).
 *
 * Totals and the tree are in recon_tree.c, the causes in recon_diag.c. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "recon.h"
#include "recon_int.h"
#include "tm.h"

/* ---- the index of theirs ---------------------------------------------- */

static int pt_less(const rx_point *a, const rx_point *b)
{
	if (a->h != b->h)
		return a->h < b->h;
	if (a->t != b->t)
		return a->t < b->t;
	return a->ia < b->ia;
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

/* Sorts a bucket: insertion sort, which is linear on the nearly sorted
 * buckets files give (calls come in time order; a popular destination can
 * fill one bucket with thousands of points), and heapsort when that is
 * moving too much. */
static void pt_sort(rx_point *p, size_t n)
{
	size_t moves = 0, budget = 8 * n + 64;
	for (size_t i = 1; i < n; i++) {
		rx_point v = p[i];
		size_t k = i;
		for (; k > 0 && pt_less(&v, &p[k - 1]); k--)
			p[k] = p[k - 1];
		p[k] = v;
		if ((moves += i - k) > budget)
			break;
	}
	if (moves <= budget)
		return;
	for (size_t i = n / 2; i-- > 0;)
		pt_sift(p, i, n);
	for (size_t end = n - 1; end > 0; end--) {
		rx_point tmp = p[0];
		p[0] = p[end], p[end] = tmp;
		pt_sift(p, 0, end);
	}
}

/* Does call i get a second point (an answer that differs from the start)? */
static int two_points(const rx_slim *z) { return z->a != TM_NONE && z->a != z->s; }

int rx_index_build(rx_index *x, const recon_side *c, const uint32_t *sel, size_t n)
{
	size_t npt = 0, nb = 16;
	memset(x, 0, sizeof *x);
	for (size_t k = 0; k < n; k++) {
		rx_slim z;
		rs_slim(c, sel ? sel[k] : k, &z);
		npt += 1 + (size_t)two_points(&z);
	}
	/* About 4 points a bucket: the offsets stay small enough to be cached,
	 * and a bucket is a cache line or two of points. */
	while (nb * 4 < npt)
		nb <<= 1;
	x->boff = rx_alloc_big((nb + 1) * sizeof *x->boff);
	x->pt = rx_alloc_big((npt ? npt : 1) * sizeof *x->pt);
	if (!x->boff || !x->pt) {
		rx_index_free(x);
		return RECON_ENOMEM;
	}
	memset(x->boff, 0, (nb + 1) * sizeof *x->boff);
	x->npt = npt;
	x->mask = (uint32_t)(nb - 1);
	x->base = c->n ? rx_time(c->t_base) : 0;
	for (size_t k = 0; k < n; k++) {
		size_t i = sel ? sel[k] : k;
		rx_slim z;
		rs_slim(c, i, &z);
		x->boff[(rx_num_hash(c->rec[i].dst) & x->mask) + 1] += 1 + (uint32_t)two_points(&z);
	}
	for (size_t b = 0; b < nb; b++)
		x->boff[b + 1] += x->boff[b];
	/* Scatter with boff[b] as the cursor of bucket b; afterwards boff[b]
	 * is the end of b, so shift back by one bucket. */
	for (size_t k = 0; k < n; k++) {
		size_t i = sel ? sel[k] : k;
		uint32_t h = rx_num_hash(c->rec[i].dst), b = h & x->mask;
		rx_slim z;
		rx_point p;
		rs_slim(c, i, &z);
		p.h = h;
		p.ia = (uint32_t)i << 1;
		p.t = rx_index_time(x, z.s);
		x->pt[x->boff[b]++] = p;
		if (two_points(&z)) {
			p.t = rx_index_time(x, z.a);
			p.ia |= 1;
			x->pt[x->boff[b]++] = p;
		}
	}
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

size_t rx_index_lower(const rx_index *x, size_t l, size_t r, uint32_t h, int64_t t64)
{
	int32_t t = rx_index_time(x, t64);
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
	int32_t th = rx_index_time(x, hi);
	while (e < r && x->pt[e].h == h && x->pt[e].t <= th)
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

int64_t rx_pair_dt(const recon_side *a, size_t ia, const recon_side *b, size_t ib, int64_t off)
{
	rx_slim x, y;
	unsigned m;
	rs_slim(a, ia, &x);
	rs_slim(b, ib, &y);
	return slim_dt_mask(&x, &y, off, 0, &m);
}

typedef struct {
	int32_t o, j, dt;  /* o: position among ours paired; dt: their time - our time, |dt| <= tol */
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

/* Id phase: see the top of the file. mo/tu are the pairing so far. Only
 * sides that keep their ids take part (a side without can pair on numbers
 * and times only). */
static int match_ids(const recon_side *ours, const uint32_t *osel, size_t nours,
                     const recon_side *theirs, const uint32_t *tsel, size_t ntheirs, int64_t off,
                     int32_t *mo, uint8_t *tu)
{
	size_t cap = 16;
	int32_t *slot;
	uint32_t *sh;
	if (!ours->keep_ids || !theirs->keep_ids)
		return RECON_OK;
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
	for (size_t k = 0; k < ntheirs; k++) {
		size_t j = tsel ? tsel[k] : k;
		uint32_t h, q;
		if (!*rs_id(theirs, j))
			continue;
		h = rx_hash_str(rs_id(theirs, j));
		for (q = h & (uint32_t)(cap - 1); slot[q] >= 0; q = (q + 1) & (uint32_t)(cap - 1))
			;
		slot[q] = (int32_t)j;
		sh[q] = h;
	}
	for (size_t k = 0; k < nours; k++) {
		size_t o = osel ? osel[k] : k;
		const char *id = rs_id(ours, o);
		int32_t best = -1;
		int64_t bestabs = INT64_MAX;
		uint32_t h, q;
		if (!*id)
			continue;
		h = rx_hash_str(id);
		for (q = h & (uint32_t)(cap - 1); slot[q] >= 0; q = (q + 1) & (uint32_t)(cap - 1)) {
			int32_t j = slot[q];
			int64_t dt, ad;
			if (sh[q] != h || tu[j] || strcmp(rs_id(theirs, (size_t)j), id) != 0)
				continue;
			dt = rx_pair_dt(ours, o, theirs, (size_t)j, off);
			ad = dt < 0 ? -dt : dt;
			if (ad < bestabs || (ad == bestabs && j < best))
				bestabs = ad, best = j;
		}
		if (best >= 0) {
			mo[k] = best;
			tu[best] = 1;
		}
	}
	free(slot);
	free(sh);
	return RECON_OK;
}

/* The calls of theirs the index holds, ascending (for the id phase). */
static uint32_t *index_calls(const rx_index *ix, size_t ntheirs, size_t *n)
{
	uint8_t *in = calloc(ntheirs ? ntheirs : 1, 1);
	uint32_t *sel;
	size_t k = 0;
	if (!in)
		return NULL;
	for (size_t p = 0; p < ix->npt; p++)
		in[RX_PT_IDX(&ix->pt[p])] = 1;
	for (size_t j = 0; j < ntheirs; j++)
		k += in[j];
	if ((sel = malloc((k ? k : 1) * sizeof *sel))) {
		k = 0;
		for (size_t j = 0; j < ntheirs; j++)
			if (in[j])
				sel[k++] = (uint32_t)j;
	}
	free(in);
	*n = k;
	return sel;
}

/* Candidates of ours[k0 .. k1) (positions among the calls paired): the
 * pairs within tolerance, each once, in (ours, theirs) order, appended to
 * g->cand; jn[j] counts the candidates of their call j (saturating at 2). */
typedef struct {
	const recon_side *ours, *theirs;
	const uint32_t *osel;
	size_t nours;
	const rx_index *ix;
	int64_t tol, off;
	const int32_t *mo;         /* partners from the id phase */
	const uint8_t *tu;
	size_t k0, k1;
	rx_cand *cand;
	size_t ncand, capcand;
	uint8_t *jn;
	int rc;
} gen_job;

static void gen_cands(gen_job *g)
{
	const recon_side *ours = g->ours, *theirs = g->theirs;
	const rx_index *ix = g->ix;
	const uint32_t *osel = g->osel;
	int64_t tol = g->tol, off = g->off;
	size_t k1 = g->k1;
	enum { LOOKAHEAD = 24, RING = 32 };
	uint32_t ring[RING];
#define OURS(k) (osel ? (size_t)osel[k] : (size_t)(k))
	/* The lookups of successive calls are independent cache misses (bucket
	 * offset, then points, then the calls of theirs they name), so they
	 * are prefetched in stages ahead; ring[] keeps the dst hashes of the
	 * calls ahead. */
	for (size_t k = g->k0; k < g->k0 + LOOKAHEAD && k < k1; k++) {
		ring[k % RING] = rx_num_hash(ours->rec[OURS(k)].dst);
		RX_PREFETCH(&ix->boff[ring[k % RING] & ix->mask]);
	}
	for (size_t k = g->k0; k < k1; k++) {
		size_t o = OURS(k);
		uint32_t h = ring[k % RING];
		size_t seg = g->ncand;
		rx_slim za;
		if (k + LOOKAHEAD < k1) {
			uint32_t hh = rx_num_hash(ours->rec[OURS(k + LOOKAHEAD)].dst);
			ring[(k + LOOKAHEAD) % RING] = hh;
			RX_PREFETCH(&ix->boff[hh & ix->mask]);
		}
		if (k + LOOKAHEAD / 2 < k1) {
			const char *b = (const char *)&ix->pt[ix->boff[ring[(k + LOOKAHEAD / 2) % RING] & ix->mask]];
			RX_PREFETCH(b);
			RX_PREFETCH(b + 64); /* the bucket's second line, often needed */
		}
		if (k + LOOKAHEAD / 4 < k1) { /* the calls of theirs with that dst hash */
			uint32_t hh = ring[(k + LOOKAHEAD / 4) % RING], b = hh & ix->mask;
			for (size_t q = ix->boff[b], e = ix->boff[b + 1], lim = 0; q < e && lim < 8; q++, lim++)
				if (ix->pt[q].h == hh)
					RX_PREFETCH(&theirs->rec[RX_PT_IDX(&ix->pt[q])]);
		}
		if (g->mo[k] >= 0)
			continue;
		rs_slim(ours, o, &za);
		/* The points within tol of our start or answer: one window when the
		 * two overlap, else two disjoint ones, in time order; each point is
		 * visited once. A pair is emitted through one point only: the
		 * their-side time of its first combination within tolerance. */
		{
			int64_t q0 = za.s, q1 = za.a != TM_NONE ? za.a : za.s, w[2][2];
			int32_t wt[2][2];
			int nw;
			size_t q, end;
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
			for (int wi = 0; wi < nw; wi++)
				wt[wi][0] = rx_index_time(ix, w[wi][0]), wt[wi][1] = rx_index_time(ix, w[wi][1]);
			q = ix->boff[b];
			end = ix->boff[b + 1];
			if (end - q > 16) /* a crowded bucket: binary search */
				q = rx_index_lower(ix, q, end, h, w[0][0]);
			for (int wi = 0; wi < nw; wi++)
				for (; q < end; q++) {
					const rx_point *p = &ix->pt[q];
					size_t j = RX_PT_IDX(p);
					rx_slim zb;
					unsigned mask, low;
					int64_t dt;
					if (p->h != h) {
						if (p->h > h)
							break;
						continue;
					}
					if (p->t < wt[wi][0])
						continue;
					if (p->t > wt[wi][1])
						break;
					if (g->tu[j] || !rx_same_numbers(ours, o, theirs, j))
						continue;
					rs_slim(theirs, j, &zb);
					dt = slim_dt_mask(&za, &zb, off, tol, &mask);
					low = mask & (0u - mask);
					if (!low || ((low & 10u) != 0) != (RX_PT_ANSWER(p) != 0))
						continue; /* not within tolerance, or found through its other time */
					if (g->ncand == g->capcand) {
						rx_cand *nc;
						size_t ncap = g->capcand ? 2 * g->capcand : 1024;
						if (ncap > (size_t)INT32_MAX || !(nc = realloc(g->cand, ncap * sizeof *nc))) {
							g->rc = RECON_ENOMEM;
							return;
						}
						g->cand = nc;
						g->capcand = ncap;
					}
					g->cand[g->ncand].o = (int32_t)k;
					g->cand[g->ncand].j = (int32_t)j;
					g->cand[g->ncand].dt = (int32_t)dt;
					g->ncand++;
					g->jn[j] += g->jn[j] < 2;
				}
		}
		cand_sort_j(g->cand + seg, g->ncand - seg);
	}
#undef OURS
}

static void *gen_thread(void *arg)
{
	gen_cands(arg);
	return NULL;
}

#define RX_PAR_MIN 65536 /* calls of ours from which a second thread generates half the candidates */

int rx_match_idx(const recon_side *ours, const uint32_t *osel, size_t nours, const recon_side *theirs,
                 const rx_index *ix, const recon_opts *op, int64_t off, int32_t **mop, size_t *npairs)
{
	int64_t tol = op->match_tol_s;
	size_t ntheirs = theirs->n;
	int32_t *mo = NULL;             /* our call's partner (by position k among ours paired) */
	uint8_t *tu = NULL;             /* their call paired */
	uint32_t *perm = NULL;
	size_t *cnt = NULL, ncand, np = 0;
	gen_job g[2];
	pthread_t th;
	int threaded = 0, rc = RECON_ENOMEM;

	*mop = NULL;
	*npairs = 0;
	memset(g, 0, sizeof g);
	mo = malloc((nours ? nours : 1) * sizeof *mo);
	if (mo)
		memset(mo, 0xff, nours * sizeof *mo);
	if (!mo || nours == 0 || ix->npt == 0) {
		*mop = mo;
		return mo ? RECON_OK : RECON_ENOMEM;
	}
	tu = calloc(ntheirs, 1);
	if (!tu)
		goto done;
	if (op->match_ids) {
		size_t nt = 0;
		uint32_t *tsel = index_calls(ix, ntheirs, &nt);
		if (!tsel)
			goto done;
		rc = match_ids(ours, osel, nours, theirs, tsel, nt, off, mo, tu);
		free(tsel);
		if (rc != RECON_OK)
			goto done;
		rc = RECON_ENOMEM;
	}

	/* Candidates: ours in two halves, the second on another thread when
	 * there are many; each half lists its own in (ours, theirs) order, so
	 * the first's followed by the second's are in that order too. */
	for (int t = 0; t < 2; t++) {
		g[t].ours = ours, g[t].theirs = theirs, g[t].osel = osel, g[t].nours = nours;
		g[t].ix = ix, g[t].tol = tol, g[t].off = off, g[t].mo = mo, g[t].tu = tu;
		g[t].rc = RECON_OK;
	}
	g[0].k0 = 0;
	g[0].k1 = g[1].k0 = nours >= RX_PAR_MIN ? nours / 2 : nours;
	g[1].k1 = nours;
	g[0].capcand = (nours < ix->npt ? nours : ix->npt) / (g[1].k0 < nours ? 2 : 1) + 1024;
	g[0].cand = malloc(g[0].capcand * sizeof *g[0].cand);
	g[0].jn = calloc(ntheirs, 1);
	if (!g[0].cand || !g[0].jn)
		goto done;
	if (g[1].k0 < nours) {
		g[1].capcand = g[0].capcand;
		g[1].cand = malloc(g[1].capcand * sizeof *g[1].cand);
		g[1].jn = calloc(ntheirs, 1);
		if (!g[1].cand || !g[1].jn)
			goto done;
		threaded = pthread_create(&th, NULL, gen_thread, &g[1]) == 0;
	}
	gen_cands(&g[0]);
	if (threaded)
		pthread_join(th, NULL);
	else if (g[1].k0 < nours)
		gen_cands(&g[1]);
	if (g[0].rc != RECON_OK || g[1].rc != RECON_OK)
		goto done;
	if (g[1].jn) { /* one count per call of theirs */
		for (size_t j = 0; j < ntheirs; j++)
			g[0].jn[j] = (uint8_t)(g[0].jn[j] + g[1].jn[j] < 2 ? g[0].jn[j] + g[1].jn[j] : 2);
		free(g[1].jn), g[1].jn = NULL;
	}

	/* A candidate that is the only one of its call of ours and of its call
	 * of theirs is taken whatever the order (nothing competes for either),
	 * so those are paired now; usually nearly all. The rest are contested.
	 * The halves hold different calls of ours: each is looked at alone. */
	for (int t = 0; t < 2; t++) {
		rx_cand *cand = g[t].cand;
		const uint8_t *jn = g[0].jn;
		size_t w = 0, n = g[t].ncand;
		for (size_t i = 0; i < n; i++) {
			const rx_cand c = cand[i];
			int alone = (i == 0 || cand[i - 1].o != c.o) && (i + 1 == n || cand[i + 1].o != c.o);
			if (!alone || jn[c.j] != 1)
				cand[w++] = c;
			else
				mo[c.o] = c.j, tu[c.j] = 1;
		}
		g[t].ncand = w;
	}
	free(g[0].jn), g[0].jn = NULL;
	ncand = g[0].ncand + g[1].ncand;

	/* Stable counting sort on |dt| of the first half's contested followed
	 * by the second's: the order becomes (|dt|, ours, theirs). */
#define CAND(i) ((i) < g[0].ncand ? &g[0].cand[i] : &g[1].cand[(i) - g[0].ncand])
	cnt = calloc((size_t)tol + 2, sizeof *cnt);
	perm = malloc((ncand ? ncand : 1) * sizeof *perm);
	if (!cnt || !perm)
		goto done;
	for (size_t i = 0; i < ncand; i++)
		cnt[ABS32(CAND(i)->dt) + 1]++;
	for (size_t d = 0; d <= (size_t)tol; d++)
		cnt[d + 1] += cnt[d];
	for (size_t i = 0; i < ncand; i++)
		perm[cnt[ABS32(CAND(i)->dt)]++] = (uint32_t)i;
	for (size_t i = 0; i < ncand; i++) {
		const rx_cand *c = CAND(perm[i]);
		if (mo[c->o] < 0 && !tu[c->j]) {
			mo[c->o] = c->j;
			tu[c->j] = 1;
		}
	}
#undef CAND
	for (size_t k = 0; k < nours; k++)
		np += mo[k] >= 0;
	*mop = mo, mo = NULL;
	*npairs = np;
	rc = RECON_OK;
done:
	free(mo);
	free(tu);
	for (int t = 0; t < 2; t++) {
		free(g[t].cand);
		free(g[t].jn);
	}
	free(perm);
	free(cnt);
	return rc;
}

int rx_pairs_of(const recon_side *ours, const uint32_t *osel, size_t nours, const recon_side *theirs,
                const int32_t *mo, size_t np, int64_t off, recon_pair **pairs)
{
	recon_pair *out = malloc((np ? np : 1) * sizeof *out);
	*pairs = out;
	if (!out)
		return RECON_ENOMEM;
	np = 0;
	for (size_t k = 0; k < nours; k++) {
		size_t o = osel ? osel[k] : k;
		if (mo[k] < 0)
			continue;
		if (k + 8 < nours && mo[k + 8] >= 0)
			RX_PREFETCH(&theirs->rec[mo[k + 8]]);
		out[np].ours = (int)o;
		out[np].theirs = mo[k];
		out[np].dt = rx_pair_dt(ours, o, theirs, (size_t)mo[k], off);
		np++;
	}
	return RECON_OK;
}

int recon_match(const recon_call *ours, size_t nours, const recon_call *theirs, size_t ntheirs,
                const recon_opts *o, int64_t offset_s, recon_pair **pairs, size_t *npairs)
{
	recon_opts op;
	recon_side so, st;
	rx_index ix;
	int rc;
	*pairs = NULL;
	*npairs = 0;
	if (nours > RX_MAX_CALLS || ntheirs > RX_MAX_CALLS)
		return RECON_ENOMEM;
	if (nours == 0 || ntheirs == 0)
		return RECON_OK;
	rx_norm_opts(&op, o);
	offset_s = rx_clamp64(offset_s, -RX_MAX_OFFSET, RX_MAX_OFFSET);
	if ((rc = rx_side_of_calls(&so, ours, nours)) != RECON_OK)
		return rc;
	if ((rc = rx_side_of_calls(&st, theirs, ntheirs)) != RECON_OK) {
		recon_side_free(&so);
		return rc;
	}
	if ((rc = rx_index_build(&ix, &st, NULL, ntheirs)) == RECON_OK) {
		int32_t *mo = NULL;
		size_t np = 0;
		rc = rx_match_idx(&so, NULL, nours, &st, &ix, &op, offset_s, &mo, &np);
		rx_index_free(&ix);
		if (rc == RECON_OK && (rc = rx_pairs_of(&so, NULL, nours, &st, mo, np, offset_s, pairs)) == RECON_OK)
			*npairs = np;
		free(mo);
	}
	recon_side_free(&so);
	recon_side_free(&st);
	return rc;
}
