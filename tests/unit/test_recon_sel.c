/* test_recon_sel.c: recon_match_sel (core/recon_sel.h) pairs a selection
 * of two compact sides in place exactly as recon_match pairs copies of the
 * same calls: random sets (numbers shared so that calls compete, jittered
 * times, failed calls, ids) with every call selected and with a subset. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "t.h"
#include "../../core/gen.h"
#include "../../core/recon.h"
#include "../../core/recon_sel.h"
#include "../../core/tm.h"

#define N0 600
#define N1 500
#define T0 1790000000

typedef struct {
	char id[24], src[16], dst[16];   /* id: a letter and a size_t */
} names;

static void make(recon_call *c, names *nm, size_t n, gen_rng *r, int side)
{
	for (size_t i = 0; i < n; i++) {
		memset(&c[i], 0, sizeof c[i]);
		snprintf(nm[i].id, sizeof nm[i].id, "%c%zu", side ? 't' : 'o', i);
		snprintf(nm[i].src, sizeof nm[i].src, "1555000%04u", (unsigned)gen_rng_below(r, 20));
		snprintf(nm[i].dst, sizeof nm[i].dst, "1206555%04u", (unsigned)gen_rng_below(r, 40));
		c[i].id = nm[i].id, c[i].src = nm[i].src, c[i].dst = nm[i].dst, c[i].prefix = "";
		/* ascending starts with a few seconds' jitter: close calls compete */
		c[i].start = T0 + (int64_t)i * 60 * N1 / (int64_t)n + (int64_t)gen_rng_below(r, 9) - 4;
		c[i].connected = gen_rng_below(r, 10) != 0;
		c[i].answer = c[i].connected ? c[i].start + 3 : TM_NONE;
		c[i].billsec_ms = c[i].connected ? (int64_t)gen_rng_below(r, 300000) : 0;
		c[i].billed_secs = -1;
		c[i].ref = (int64_t)i;
	}
}

/* recon_match on the calls of sel (positions mapped back to indexes) and
 * recon_match_sel on the sides give the same pairs. */
static void same(const recon_call *o, const recon_call *t, const recon_side *so, const recon_side *st,
                 const uint32_t *os, size_t no, const uint32_t *ts, size_t nt, const recon_opts *op, int64_t off)
{
	recon_call *a = calloc(no + 1, sizeof *a), *b = calloc(nt + 1, sizeof *b);
	recon_pair *p = NULL, *q = NULL;
	size_t np = 0, nq = 0;
	for (size_t k = 0; k < no; k++)
		a[k] = o[os[k]];
	for (size_t k = 0; k < nt; k++)
		b[k] = t[ts[k]];
	T_EQ_I64(recon_match(a, no, b, nt, op, off, &p, &np), RECON_OK);
	T_EQ_I64(recon_match_sel(so, os, no, st, ts, nt, op, off, &q, &nq), RECON_OK);
	T_ASSERT(np > no / 4); /* enough pairs to mean something */
	T_EQ_I64(nq, np);
	for (size_t k = 0; k < np && k < nq; k++) {
		T_EQ_I64(q[k].ours, os[p[k].ours]);
		T_EQ_I64(q[k].theirs, ts[p[k].theirs]);
		T_EQ_I64(q[k].dt, p[k].dt);
	}
	free(a), free(b), free(p), free(q);
}

TEST(same_pairs_as_recon_match)
{
	static recon_call o[N0], t[N1];
	static names on[N0], tn[N1];
	static uint32_t os[N0], ts[N1];
	recon_side so, st;
	recon_opts op;
	gen_rng r;
	size_t no = 0, nt = 0;
	gen_rng_seed(&r, 12);
	make(o, on, N0, &r, 0);
	make(t, tn, N1, &r, 1);
	/* theirs: most of ours again, times moved by up to 3 s, own ids */
	for (size_t i = 0; i < N1; i++) {
		size_t j = i * N0 / N1;
		memcpy(tn[i].src, on[j].src, sizeof tn[i].src);
		memcpy(tn[i].dst, on[j].dst, sizeof tn[i].dst);
		t[i].start = o[j].start + (int64_t)gen_rng_below(&r, 7) - 3;
		t[i].connected = gen_rng_below(&r, 8) ? o[j].connected : !o[j].connected;
		t[i].answer = t[i].connected ? t[i].start + 3 : TM_NONE;
		if (gen_rng_below(&r, 4) == 0) /* a quarter share ids with ours */
			memcpy(tn[i].id, on[j].id, sizeof tn[i].id);
	}
	recon_side_init(&so, 1);
	recon_side_init(&st, 1);
	for (size_t i = 0; i < N0; i++)
		T_EQ_I64(recon_side_push(&so, &o[i]), RECON_OK);
	for (size_t i = 0; i < N1; i++)
		T_EQ_I64(recon_side_push(&st, &t[i]), RECON_OK);
	recon_default_opts(&op);
	for (size_t i = 0; i < N0; i++)
		os[i] = (uint32_t)i;
	for (size_t i = 0; i < N1; i++)
		ts[i] = (uint32_t)i;
	same(o, t, &so, &st, os, N0, ts, N1, &op, 0);
	same(o, t, &so, &st, os, N0, ts, N1, &op, 2);  /* a clock offset */
	/* the connected calls only, as inv_findings.c selects a day's */
	for (size_t i = 0; i < N0; i++)
		if (o[i].connected)
			os[no++] = (uint32_t)i;
	for (size_t i = 0; i < N1; i++)
		if (t[i].connected)
			ts[nt++] = (uint32_t)i;
	same(o, t, &so, &st, os, no, ts, nt, &op, 0);
	op.match_ids = 1;
	same(o, t, &so, &st, os, no, ts, nt, &op, 0);
	{
		recon_pair *q = NULL;
		size_t nq = 1;
		T_EQ_I64(recon_match_sel(&so, os, 0, &st, ts, nt, &op, 0, &q, &nq), RECON_OK);
		T_EQ_I64(nq, 0);
		T_ASSERT(q == NULL);
	}
	recon_side_free(&so);
	recon_side_free(&st);
}

SUITE(recon_sel)
{
	RUN(same_pairs_as_recon_match);
}
