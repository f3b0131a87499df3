/* recon_side.c: the compact form of one side's calls (recon.h).
 *
 * A call is a recon_rec of 48 bytes: both numbers packed into 64 bits, the
 * cost, and 32-bit fields for the start (from the side's first start), the
 * answer (from the call's start), billsec, billed seconds and the caller's
 * ref (from the first ref), and the prefix index with two flags. A value
 * that does not fit (a garbage timestamp decades away, a call of weeks) is
 * stored exactly in `wide`, a table sorted by (call, field) that is looked
 * up only when the field says RECON_R_WIDE, so no input is ever changed by
 * the packing. Strings (prefixes, record ids when kept, numbers that do not
 * pack) are NUL-terminated in one arena and referred to by 32-bit offsets.
 *
 * Memory, a million calls: 48 MB of records, plus the ids when kept and
 * the prefixes (once each). */
#include <stdlib.h>
#include <string.h>

#include "recon.h"
#include "recon_int.h"
#include "tm.h"

#define STR_MAX ((size_t)UINT32_MAX)

void recon_side_init(recon_side *s, int keep_ids)
{
	memset(s, 0, sizeof *s);
	s->keep_ids = keep_ids != 0;
}

void recon_side_free(recon_side *s)
{
	if (!s)
		return;
	free(s->rec);
	free(s->str);
	free(s->pfx_off);
	free(s->pfx_tab);
	free(s->id_off);
	free(s->wide);
	memset(s, 0, sizeof *s);
}

/* Grows *p (elements of `size` bytes, capacity *cap) to hold `need`. */
static int grow(void *pp, size_t *cap, size_t need, size_t size, size_t first)
{
	void **p = pp, *np;
	size_t nc = *cap ? *cap : first;
	if (need <= *cap)
		return 0;
	while (nc < need)
		nc *= 2;
	/* glibc grows big blocks with mremap: no copy, no second peak */
	if (!(np = realloc(*p, nc * size)))
		return -1;
	*p = np;
	*cap = nc;
	return 0;
}

/* Offset of a copy of p[0..len) in the arena, or 0 on no memory (the
 * arena's first byte is the empty string, so 0 is never a new string). */
static uint32_t str_put(recon_side *s, const char *p, size_t len, int *oom)
{
	size_t off;
	if (len == 0)
		return 0;
	if (!s->str_len) {
		if (grow(&s->str, &s->str_cap, 1, 1, 4096) < 0)
			return *oom = 1, 0;
		s->str[0] = '\0';
		s->str_len = 1;
	}
	if (s->str_len + len + 1 > STR_MAX || grow(&s->str, &s->str_cap, s->str_len + len + 1, 1, 4096) < 0)
		return *oom = 1, 0;
	off = s->str_len;
	memcpy(s->str + off, p, len);
	s->str[off + len] = '\0';
	s->str_len += len + 1;
	return (uint32_t)off;
}

static uint32_t str_hash(const char *p, size_t len)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)p[i]) * 1099511628211ULL;
	return (uint32_t)(h ^ (h >> 32));
}

/* The packed number of p (NULL: empty), or an arena reference. */
static recon_num num_of(recon_side *s, const char *p, int *oom)
{
	size_t len;
	recon_num v = 0;
	int digits = 1;
	if (!p || !*p)
		return 0;
	for (len = 0; p[len]; len++)
		if (len < 15 && p[len] >= '0' && p[len] <= '9')
			v = v << 4 | (recon_num)(p[len] - '0' + 1);
		else
			digits = 0;
	if (digits)
		return v;
	{
		uint32_t off = str_put(s, p, len, oom);
		return RN_TAG | (recon_num)(str_hash(p, len) & 0x0FFFFFFFu) << 32 | off;
	}
}

/* Digits d[0..len) packed, or as a string in the arena when longer. */
static recon_num num_digits(recon_side *s, const char *d, size_t len, int *oom)
{
	recon_num v = 0;
	if (len > 15) {
		uint32_t off = str_put(s, d, len, oom);
		return RN_TAG | (recon_num)(str_hash(d, len) & 0x0FFFFFFFu) << 32 | off;
	}
	for (size_t i = 0; i < len; i++)
		v = v << 4 | (recon_num)(d[i] - '0' + 1);
	return v;
}

/* The number p as written, normalised as number_for_matching does (digits
 * only, a leading 011 or 00 dropped, then the 1 of an 11-digit NANP
 * number), packed; a number with more digits than number_for_matching
 * takes (127) is kept as written, as the loaders always did. */
static recon_num num_raw(recon_side *s, const char *p, int *oom)
{
	char d[131];
	size_t k = 0, skip = 0;
	if (!p)
		return 0;
	for (const char *q = p; *q; q++)
		if (*q >= '0' && *q <= '9') {
			if (k == sizeof d)
				return num_of(s, p, oom); /* more than 127 after any access code */
			d[k++] = *q;
		}
	if (k >= 3 && d[0] == '0' && d[1] == '1' && d[2] == '1')
		skip = 3;
	else if (k >= 2 && d[0] == '0' && d[1] == '0')
		skip = 2;
	if (k - skip > 127)
		return num_of(s, p, oom);
	if (k - skip == 11 && d[skip] == '1')
		skip++;
	return num_digits(s, d + skip, k - skip, oom);
}

/* The text of a number: buf for a packed one (>= 16 bytes), else the arena. */
const char *rx_num_text(const recon_side *s, recon_num x, char *buf)
{
	int n = 0;
	char tmp[16];
	if (RN_IS_REF(x))
		return s->str + (uint32_t)x;
	for (; x; x >>= 4)
		tmp[n++] = (char)('0' + (int)(x & 15) - 1);
	for (int k = 0; k < n; k++)
		buf[k] = tmp[n - 1 - k];
	buf[n] = '\0';
	return buf;
}

/* Index of prefix p in the side's prefix table (0 for ""), added when new. */
static uint32_t pfx_index(recon_side *s, const char *p, int *oom)
{
	size_t len, mask, k;
	uint32_t h;
	if (!p || !*p)
		return 0;
	len = strlen(p);
	if (s->pfx_last) { /* the prefix of the call before, often the same */
		const char *q = s->str + s->pfx_off[s->pfx_last];
		if (memcmp(q, p, len) == 0 && q[len] == '\0')
			return s->pfx_last;
	}
	if (!s->npfx) { /* index 0 is "" */
		if (grow(&s->pfx_off, &s->pfx_cap, 1, sizeof *s->pfx_off, 64) < 0)
			return *oom = 1, 0;
		s->pfx_off[0] = 0;
		s->npfx = 1;
	}
	if (2 * (s->npfx + 1) > s->pfx_tab_cap) { /* rehash at half full */
		size_t nc = s->pfx_tab_cap ? 2 * s->pfx_tab_cap : 256;
		uint32_t *t = calloc(nc, sizeof *t);
		if (!t)
			return *oom = 1, 0;
		for (size_t i = 1; i < s->npfx; i++) {
			const char *q = s->str + s->pfx_off[i];
			for (k = str_hash(q, strlen(q)) & (nc - 1); t[k]; k = (k + 1) & (nc - 1))
				;
			t[k] = (uint32_t)i + 1;
		}
		free(s->pfx_tab);
		s->pfx_tab = t;
		s->pfx_tab_cap = nc;
	}
	mask = s->pfx_tab_cap - 1;
	h = str_hash(p, len);
	for (k = h & mask; s->pfx_tab[k]; k = (k + 1) & mask) {
		const char *q = s->str + s->pfx_off[s->pfx_tab[k] - 1];
		if (memcmp(q, p, len) == 0 && q[len] == '\0')
			return s->pfx_last = s->pfx_tab[k] - 1;
	}
	if (s->npfx >= UINT32_MAX - 1 ||
	    grow(&s->pfx_off, &s->pfx_cap, s->npfx + 1, sizeof *s->pfx_off, 64) < 0)
		return *oom = 1, 0;
	s->pfx_off[s->npfx] = str_put(s, p, len, oom);
	if (*oom)
		return 0;
	s->pfx_tab[k] = (uint32_t)s->npfx + 1;
	s->pfx_last = (uint32_t)s->npfx;
	return (uint32_t)s->npfx++;
}

static int add_wide(recon_side *s, size_t idx, int field, int64_t v)
{
	if (grow(&s->wide, &s->wide_cap, s->nwide + 1, sizeof *s->wide, 16) < 0)
		return -1;
	s->wide[s->nwide].idx = (uint32_t)idx;
	s->wide[s->nwide].field = (uint32_t)field;
	s->wide[s->nwide].v = v;
	s->nwide++;
	return 0;
}

/* v as a 32-bit field, or RECON_R_WIDE with v kept in the wide table. */
static int32_t fit32(recon_side *s, size_t idx, int field, __int128 d, int64_t v, int *oom)
{
	if (d > INT32_MIN + 1 && d <= INT32_MAX)
		return (int32_t)d;
	if (add_wide(s, idx, field, v) < 0)
		*oom = 1;
	return RECON_R_WIDE;
}

int64_t rx_wide_get(const recon_side *s, size_t i, int field)
{
	size_t lo = 0, hi = s->nwide;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const recon_wide *w = &s->wide[mid];
		if (w->idx < i || (w->idx == i && (int)w->field < field))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s->nwide && s->wide[lo].idx == i && (int)s->wide[lo].field == field ? s->wide[lo].v : 0;
}

static int push(recon_side *s, const recon_call *c, int raw)
{
	size_t i = s->n, nwide0 = s->nwide;
	recon_rec r;
	uint32_t pi;
	int oom = 0;
	size_t cap0 = s->cap;
	if (i >= RX_MAX_CALLS || grow(&s->rec, &s->cap, i + 1, sizeof *s->rec, 4096) < 0)
		return RECON_ENOMEM;
	if (s->keep_ids && (s->cap != cap0 || !s->id_off)) { /* id_off follows rec's capacity */
		uint32_t *ni = realloc(s->id_off, s->cap * sizeof *ni);
		if (!ni)
			return RECON_ENOMEM;
		s->id_off = ni;
	}
	if (i == 0) {
		s->t_base = c->start;
		s->ref_base = c->ref;
	}
	memset(&r, 0, sizeof r);
	r.dst = raw ? num_raw(s, c->dst, &oom) : num_of(s, c->dst, &oom);
	r.src = raw ? num_raw(s, c->src, &oom) : num_of(s, c->src, &oom);
	r.cost = c->cost;
	/* wide entries in field order: start, answer, billsec, billed, ref, prefix */
	r.start = fit32(s, i, RECON_W_START, (__int128)c->start - s->t_base, c->start, &oom);
	if (c->answer == TM_NONE)
		r.answer = RECON_R_NONE;
	else
		r.answer = fit32(s, i, RECON_W_ANSWER, (__int128)c->answer - c->start, c->answer, &oom);
	r.billsec_ms = fit32(s, i, RECON_W_BILLSEC, c->billsec_ms, c->billsec_ms, &oom);
	r.billed_secs = fit32(s, i, RECON_W_BILLED, c->billed_secs, c->billed_secs, &oom);
	r.ref = fit32(s, i, RECON_W_REF, (__int128)c->ref - s->ref_base, c->ref, &oom);
	pi = pfx_index(s, c->prefix, &oom);
	if (pi >= RECON_R_PFX_WIDE) {
		if (add_wide(s, i, RECON_W_PREFIX, pi) < 0)
			oom = 1;
		pi = RECON_R_PFX_WIDE;
	}
	r.pf = pi | (c->connected ? RECON_R_CONNECTED : 0) | (c->has_cost ? RECON_R_HAS_COST : 0);
	if (s->keep_ids)
		s->id_off[i] = c->id ? str_put(s, c->id, strlen(c->id), &oom) : 0;
	if (oom) {
		s->nwide = nwide0;
		return RECON_ENOMEM;
	}
	s->rec[i] = r;
	s->n++;
	return RECON_OK;
}

int recon_side_push(recon_side *s, const recon_call *c) { return push(s, c, 0); }
int recon_side_push_raw(recon_side *s, const recon_call *c) { return push(s, c, 1); }

int64_t recon_side_start(const recon_side *s, size_t i) { return rs_start(s, i); }
int64_t recon_side_ref(const recon_side *s, size_t i) { return rs_ref(s, i); }

void recon_side_get(const recon_side *s, size_t i, recon_call *out, recon_callbuf *buf)
{
	const recon_rec *r = &s->rec[i];
	memset(out, 0, sizeof *out);
	if (s->keep_ids)
		out->id = s->str ? s->str + s->id_off[i] : "";
	else
		out->id = s->id_fn ? s->id_fn(s->id_ctx, s, i) : NULL;
	if (!out->id)
		out->id = "";
	out->src = rx_num_text(s, r->src, buf->src);
	out->dst = rx_num_text(s, r->dst, buf->dst);
	out->start = rs_start(s, i);
	out->answer = rs_answer(s, i);
	out->billsec_ms = rs_billsec(s, i);
	out->connected = (r->pf & RECON_R_CONNECTED) != 0;
	out->has_cost = (r->pf & RECON_R_HAS_COST) != 0;
	out->cost = r->cost;
	out->billed_secs = rs_billed(s, i);
	out->prefix = rs_prefix(s, i);
	out->ref = rs_ref(s, i);
}

/* A number of side b as a number of side a (references re-made in a). */
static recon_num num_move(recon_side *a, const recon_side *b, recon_num x, int *oom)
{
	const char *t;
	uint32_t off;
	if (!RN_IS_REF(x))
		return x;
	t = b->str + (uint32_t)x;
	off = str_put(a, t, strlen(t), oom);
	return (x & ~(recon_num)UINT32_MAX) | off;
}

#define APPEND_CHUNK 65536 /* calls: b gives back its memory this often */

int recon_side_append(recon_side *a, recon_side *b)
{
	size_t n0 = a->n, nw0, cap0 = a->cap;
	uint32_t *pm = NULL;
	recon_wide *nw = NULL; /* a's new wide entries, made last call first */
	size_t nnw = 0, nwcap = 0;
	int oom = 0;
	if (b->n == 0) {
		recon_side_free(b);
		return RECON_OK;
	}
	if (n0 == 0 && a->keep_ids == b->keep_ids) { /* nothing to merge: take b */
		recon_id_fn fn = a->id_fn;
		void *ctx = a->id_ctx;
		recon_side_free(a);
		*a = *b;
		a->id_fn = fn, a->id_ctx = ctx;
		memset(b, 0, sizeof *b);
		return RECON_OK;
	}
	if (n0 + b->n > RX_MAX_CALLS || grow(&a->rec, &a->cap, n0 + b->n, sizeof *a->rec, 4096) < 0)
		return RECON_ENOMEM;
	if (a->keep_ids && (a->cap != cap0 || !a->id_off)) {
		uint32_t *ni = realloc(a->id_off, a->cap * sizeof *ni);
		if (!ni)
			return RECON_ENOMEM;
		a->id_off = ni;
	}
	/* b's prefix indexes in a */
	if (b->npfx && !(pm = malloc(b->npfx * sizeof *pm)))
		return RECON_ENOMEM;
	for (size_t k = 0; k < b->npfx && !oom; k++)
		pm[k] = k ? pfx_index(a, b->str + b->pfx_off[k], &oom) : 0;
	nw0 = a->nwide;
	/* Last call first, so that b's records can be given back as they are
	 * copied: the two halves of a side are never both whole in memory. */
	for (size_t i = b->n; i-- > 0 && !oom;) {
		recon_rec r = b->rec[i];
		size_t ai = n0 + i;
		uint32_t pi = pm ? pm[rs_prefix_index(b, i)] : 0;
		recon_wide w[6];
		int nwi = 0;
		int64_t st = rs_start(b, i), rf = rs_ref(b, i);
		__int128 d;
		r.dst = num_move(a, b, r.dst, &oom);
		r.src = num_move(a, b, r.src, &oom);
		d = (__int128)st - a->t_base;
		if (d > INT32_MIN + 1 && d <= INT32_MAX)
			r.start = (int32_t)d;
		else
			r.start = RECON_R_WIDE, w[nwi++] = (recon_wide){ (uint32_t)ai, RECON_W_START, st };
		if (r.answer == RECON_R_WIDE)
			w[nwi++] = (recon_wide){ (uint32_t)ai, RECON_W_ANSWER, rx_wide_get(b, i, RECON_W_ANSWER) };
		if (r.billsec_ms == RECON_R_WIDE)
			w[nwi++] = (recon_wide){ (uint32_t)ai, RECON_W_BILLSEC, rx_wide_get(b, i, RECON_W_BILLSEC) };
		if (r.billed_secs == RECON_R_WIDE)
			w[nwi++] = (recon_wide){ (uint32_t)ai, RECON_W_BILLED, rx_wide_get(b, i, RECON_W_BILLED) };
		d = (__int128)rf - a->ref_base;
		if (d > INT32_MIN + 1 && d <= INT32_MAX)
			r.ref = (int32_t)d;
		else
			r.ref = RECON_R_WIDE, w[nwi++] = (recon_wide){ (uint32_t)ai, RECON_W_REF, rf };
		if (pi >= RECON_R_PFX_WIDE)
			w[nwi++] = (recon_wide){ (uint32_t)ai, RECON_W_PREFIX, pi }, pi = RECON_R_PFX_WIDE;
		r.pf = (r.pf & ~0xFFFFFFu) | pi;
		if (a->keep_ids) {
			const char *id = b->keep_ids && b->str ? b->str + b->id_off[i] : "";
			a->id_off[ai] = str_put(a, id, strlen(id), &oom);
		}
		while (nwi > 0 && !oom) { /* reversed: the list is turned round at the end */
			if (nnw == nwcap && grow(&nw, &nwcap, nnw + 1, sizeof *nw, 16) < 0)
				oom = 1;
			else
				nw[nnw++] = w[--nwi];
		}
		a->rec[ai] = r;
		if (i % APPEND_CHUNK == 0 && i) { /* give back b's tail */
			recon_rec *br = realloc(b->rec, i * sizeof *br);
			if (br)
				b->rec = br, b->cap = i;
			if (b->id_off) {
				uint32_t *bi = realloc(b->id_off, i * sizeof *bi);
				if (bi)
					b->id_off = bi;
			}
		}
	}
	free(pm);
	if (!oom && nnw && grow(&a->wide, &a->wide_cap, nw0 + nnw, sizeof *a->wide, 16) < 0)
		oom = 1;
	if (oom) {
		free(nw);
		a->nwide = nw0;
		return RECON_ENOMEM; /* a keeps its n0 calls */
	}
	for (size_t k = 0; k < nnw; k++)
		a->wide[nw0 + k] = nw[nnw - 1 - k];
	a->nwide = nw0 + nnw;
	a->n = n0 + b->n;
	free(nw);
	recon_side_free(b);
	return RECON_OK;
}

void recon_side_trim(recon_side *s)
{
	if (s->n && s->n < s->cap) {
		recon_rec *r = realloc(s->rec, s->n * sizeof *r);
		if (r)
			s->rec = r;
		if (s->id_off) {
			uint32_t *ni = realloc(s->id_off, s->n * sizeof *ni);
			if (ni)
				s->id_off = ni;
		}
		s->cap = s->n; /* a failed shrink keeps the larger block */
	}
	if (s->str_len && s->str_len < s->str_cap) {
		char *p = realloc(s->str, s->str_len);
		if (p) {
			s->str = p;
			s->str_cap = s->str_len;
		}
	}
}

/* A side holding copies of n plain calls (ids kept). */
int rx_side_of_calls(recon_side *s, const recon_call *c, size_t n)
{
	recon_side_init(s, 1);
	for (size_t i = 0; i < n; i++)
		if (recon_side_push(s, &c[i]) != RECON_OK) {
			recon_side_free(s);
			return RECON_ENOMEM;
		}
	return RECON_OK;
}
