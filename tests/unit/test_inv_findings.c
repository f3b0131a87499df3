/* test_inv_findings.c: every differing day walked through the tree
 * (data/inv_findings.c, issue 11), on plain sides built here: 3 days of
 * 100 calls each, day 0 with 3 calls missing on their side and 1 extra,
 * day 1 with 2 calls 90 s longer and 0.50 dearer (their seconds total
 * stays within 0.5 %, their charges do not). Checks the findings (days, verdicts, order by
 * money, the missing calls both ways, the single call), that the headline
 * agrees with its single call (duration, never rating), and the engineer's
 * day forced onto day 0. No database: inv_conclude_result only reads the
 * sides and the result. */
#include <stdlib.h>
#include <string.h>

#include "t.h"
#include "../../data/investigate.h"

#define DAY0 1793577600LL /* 2026-11-02 */
#define N 300

static char ids[2][N + 1][16], dsts[N + 1][16];

/* Call i of a side: 5 minutes apart, 200-600 s, charged 1/1000 a second. */
static void mk(recon_call *k, int side, int i, int64_t extra_s)
{
	memset(k, 0, sizeof *k);
	snprintf(ids[side][i], sizeof ids[side][i], "%c%d", side ? 't' : 'o', i);
	snprintf(dsts[i], sizeof dsts[i], "1206555%04d", i);
	k->id = ids[side][i];
	k->src = "15550001111";
	k->dst = dsts[i];
	k->prefix = "";
	k->start = DAY0 + (int64_t)(i / 100) * 86400 + (int64_t)(i % 100) * 600;
	k->answer = k->start;
	k->billsec_ms = (200 + (i * 37) % 400 + extra_s) * 1000;
	k->connected = 1;
	k->has_cost = 1;
	k->cost = (money_t)(k->billsec_ms / 1000) * 1000000; /* 0.001 a second, in nano-units */
	k->billed_secs = k->billsec_ms / 1000;
	k->ref = i + 1;
}

static void build(inv_case *c, const recon_opts *o)
{
	int no = 0, nt = 0;
	memset(c, 0, sizeof *c);
	c->ours.calls = calloc(N + 1, sizeof(recon_call));
	c->theirs.calls = calloc(N + 1, sizeof(recon_call));
	for (int i = 0; i < N; i++) {
		mk(&c->ours.calls[no++], 0, i, 0);
		if (i == 10 || i == 20 || i == 30) /* day 0: three of ours missing on their side */
			continue;
		mk(&c->theirs.calls[nt], 1, i, i == 150 || i == 160 ? 90 : 0); /* day 1: two 90 s longer */
		if (i == 150 || i == 160) /* and charged 0.50 more each: the day's charges differ beyond 0.5 % */
			c->theirs.calls[nt].cost = c->ours.calls[no - 1].cost + 500000000;
		nt++;
	}
	mk(&c->theirs.calls[nt], 1, N, 0); /* day 0: one of theirs we lack */
	c->theirs.calls[nt].start = DAY0 + 5 * 60 + 7;
	c->theirs.calls[nt].answer = c->theirs.calls[nt].start;
	nt++;
	c->ours.n = (size_t)no;
	c->theirs.n = (size_t)nt;
	c->account.decimals = 4;
	c->have_result = recon_run(c->ours.calls, c->ours.n, c->theirs.calls, c->theirs.n, o, &c->res) == RECON_OK;
}

static void done(inv_case *c)
{
	inv_findings_free(&c->findings);
	if (c->have_result)
		recon_free(&c->res);
	free(c->ours.calls);
	free(c->theirs.calls);
}

TEST(every_day_by_money)
{
	inv_case c;
	recon_opts o;
	recon_default_opts(&o);
	build(&c, &o);
	T_ASSERT(c.have_result);
	T_EQ_I64(inv_conclude_result(NULL, &c), DB_OK);
	T_EQ_I64(c.findings.n, 2);
	/* day 0: their charges of the one we lack minus ours of the three they lack */
	const inv_finding *a = c.findings.f[0].day == DAY0 ? &c.findings.f[0] : &c.findings.f[1];
	const inv_finding *b = a == &c.findings.f[0] ? &c.findings.f[1] : &c.findings.f[0];
	T_EQ_I64(a->verdict, RECON_VERDICT_MISSING_CALLS);
	T_EQ_I64(a->nmissing_theirs, 3);
	T_EQ_I64(a->nmissing_ours, 1);
	T_EQ_STR(c.ours.calls[a->missing_theirs[0]].id, "o10");
	T_EQ_STR(c.theirs.calls[a->missing_ours[0]].id, "t300");
	T_EQ_I64(b->day, DAY0 + 86400);
	T_EQ_I64(b->verdict, RECON_VERDICT_DURATION);
	T_ASSERT(b->has_single);
	T_EQ_I64(b->single_diff_ms, 90000);
	T_EQ_I64(b->money, 2 * 500000000LL);
	/* ordered by |money| */
	T_ASSERT(llabs(c.findings.f[0].money) >= llabs(c.findings.f[1].money));
	/* the headline never calls a call of other seconds a rating issue */
	if (c.res.has_single && llabs(c.res.single_diff_ms) >= 1000)
		T_ASSERT(c.res.verdict != RECON_VERDICT_RATING);
	done(&c);
}

TEST(engineers_day)
{
	inv_case c;
	recon_opts o;
	recon_default_opts(&o);
	o.force_day = DAY0;
	build(&c, &o);
	T_ASSERT(c.have_result);
	T_EQ_I64(inv_conclude_result(NULL, &c), DB_OK);
	T_EQ_I64(c.res.verdict, RECON_VERDICT_MISSING_CALLS);
	int walked = 0;
	for (int i = 0; i < c.findings.n; i++)
		walked += c.findings.f[i].walked && c.findings.f[i].day == DAY0;
	T_EQ_I64(walked, 1);
	done(&c);
}

/* The tree on day 1: the durations roughly match, so the engine's branch is
 * rating, but its single call differs by +90 s: a duration verdict. */
TEST(headline_agrees)
{
	inv_case c;
	recon_opts o;
	recon_default_opts(&o);
	o.force_day = DAY0 + 86400;
	build(&c, &o);
	T_ASSERT(c.have_result);
	T_EQ_I64(inv_conclude_result(NULL, &c), DB_OK);
	T_ASSERT(c.res.has_single);
	T_EQ_I64(c.res.single_diff_ms, 90000);
	T_EQ_I64(c.res.verdict, RECON_VERDICT_DURATION);
	T_EQ_STR(c.res.steps[c.res.nstep - 1].question, "Do the seconds of the single call match?");
	done(&c);
}

SUITE(inv_findings)
{
	RUN(every_day_by_money);
	RUN(headline_agrees);
	RUN(engineers_day);
}
