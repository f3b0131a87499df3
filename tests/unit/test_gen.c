/* test_gen.c: the synthetic traffic generator (core/gen.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "t.h"
#include "../../core/gen.h"

#define DAY 86400
#define FROM_2024 1704067200LL /* 2024-01-01 00:00:00 UTC, a Monday */
#define NACC 4
#define NDAYS 92
#define M4(x) ((money_t)(x) * 100000)

static const gen_account accts[NACC] = {
	{"acme", 300}, {"globex", 200}, {"initech", 120}, {"umbrella", 60}
};

/* ---- the deck, parsed here independently of gen.c ---- */

typedef struct { char prefix[33]; money_t rate, connect; int min, inc, grace; } trow;
static trow deck[200];
static int ndeck;

static money_t parse_m(const char *s)
{
	money_t v = 0, scale = 1000000000;
	for (; *s >= '0' && *s <= '9'; s++)
		v = v * 10 + (*s - '0');
	v *= 1000000000;
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9'; s++)
			v += (*s - '0') * (scale /= 10);
	return v;
}

/* Splits the deck text; returns 0 or the line number of a bad row. */
static int load_deck(void)
{
	const char *p = gen_demo_deck_csv();
	const char *nl = strchr(p, '\n');
	int line = 1;
	ndeck = 0;
	if (!nl || strncmp(p, "prefix,description,rate,min,inc,connect_fee,grace\n", (size_t)(nl - p + 1)))
		return 1;
	for (p = nl + 1; *p; p = nl + 1) {
		char buf[256], *f[8];
		int nf = 0;
		line++;
		nl = strchr(p, '\n');
		if (!nl || nl - p >= (long)sizeof buf || ndeck == 200)
			return line;
		memcpy(buf, p, (size_t)(nl - p));
		buf[nl - p] = 0;
		f[nf++] = buf;
		for (char *q = buf; *q; q++)
			if (*q == ',') {
				*q = 0;
				if (nf == 8)
					return line;
				f[nf++] = q + 1;
			}
		if (nf != 7 || !*f[0] || strlen(f[0]) > 32 || strspn(f[0], "0123456789") != strlen(f[0]))
			return line;
		trow *r = &deck[ndeck++];
		strcpy(r->prefix, f[0]);
		r->rate = parse_m(f[2]);
		r->min = atoi(f[3]);
		r->inc = atoi(f[4]);
		r->connect = parse_m(f[5]);
		r->grace = atoi(f[6]);
		if (r->min < 1 || r->inc < 1 || r->grace < 0 || !*f[1])
			return line;
	}
	return 0;
}

static const trow *deck_lookup(const char *num)
{
	const trow *best = NULL;
	size_t bl = 0;
	if (*num == '+')
		num++;
	if (!*num || strspn(num, "0123456789") != strlen(num))
		return NULL;
	for (int i = 0; i < ndeck; i++) {
		size_t l = strlen(deck[i].prefix);
		if (l > bl && strncmp(num, deck[i].prefix, l) == 0) {
			best = &deck[i];
			bl = l;
		}
	}
	return best;
}

/* DESIGN.md's rule: increments, grace, connect fee, 4 decimals half-up. */
static money_t rate_call(const trow *r, int64_t billsec)
{
	if (billsec <= 0 || billsec <= r->grace)
		return 0;
	int64_t billed = billsec <= r->min ? r->min
		: r->min + (billsec - r->min + r->inc - 1) / r->inc * r->inc;
	int64_t num = r->rate * billed + r->connect * 60, den = 60 * M4(1);
	return (num + den / 2) / den * M4(1);
}

/* ---- a collector that checks as events arrive ---- */

/* A balance change: fixed always applies; call costs as rated by the deck. */
typedef struct { int64_t t; size_t seq; int acct, kind; money_t fixed, out_cost, in_cost; } delta;

typedef struct {
	char err[256];
	uint64_t h[3];
	long ncalls, nmsgs, nled, answered, n911, nin, ncnam, over20, mid, nmms, nnrc;
	int64_t last[3];
	long hour[24], perday[NDAYS];
	char dids[NACC][24];
	int mrc[NACC][6], e911[NACC][6], opening[NACC];
	char (*ids)[48];
	size_t nids, capids;
	delta *dl;
	size_t ndl, capdl;
	int stop_after;
} coll;

static uint64_t hb(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ s[i]) * 0x100000001b3ULL;
	return h;
}
#define HS(h, s) ((h) = hb((h), (s), strlen(s) + 1))
#define HI(h, v) do { int64_t v_ = (v); (h) = hb((h), &v_, sizeof v_); } while (0)

#define CFAIL(...) do { if (!c->err[0]) snprintf(c->err, sizeof c->err, __VA_ARGS__); return 0; } while (0)

static int acct_index(const char *name)
{
	for (int i = 0; i < NACC; i++)
		if (strcmp(name, accts[i].name) == 0)
			return i;
	return -1;
}

static void push_id(coll *c, const char *id)
{
	if (c->nids == c->capids) {
		c->capids = c->capids ? c->capids * 2 : 4096;
		c->ids = realloc(c->ids, c->capids * sizeof *c->ids);
	}
	snprintf(c->ids[c->nids++], 48, "%s", id);
}

static void push_delta(coll *c, int64_t t, int a, int kind, money_t fixed, money_t out_cost,
                       money_t in_cost)
{
	if (c->ndl == c->capdl) {
		c->capdl = c->capdl ? c->capdl * 2 : 4096;
		c->dl = realloc(c->dl, c->capdl * sizeof *c->dl);
	}
	delta d = {t, c->ndl, a, kind, fixed, out_cost, in_cost};
	c->dl[c->ndl++] = d;
}

static int on_call(const gen_call *k, void *ctx)
{
	coll *c = ctx;
	uint64_t h = c->h[0];
	HS(h, k->call_id); HS(h, k->account); HS(h, k->src); HS(h, k->dst); HS(h, k->clid);
	HI(h, k->start); HI(h, k->answer); HI(h, k->end); HI(h, k->duration_ms);
	HI(h, k->billsec_ms); HS(h, k->disposition); HI(h, k->inbound); HI(h, k->cnam_fee);
	c->h[0] = h;
	if (c->stop_after && c->ncalls + 1 == c->stop_after)
		return 7;
	int a = acct_index(k->account);
	if (a < 0)
		CFAIL("%s: unknown account %s", k->call_id, k->account);
	if (k->start < c->last[0])
		CFAIL("%s: start %lld before previous %lld", k->call_id, (long long)k->start, (long long)c->last[0]);
	c->last[0] = k->start;
	if (k->start < FROM_2024 || k->start >= FROM_2024 + NDAYS * DAY)
		CFAIL("%s: start out of range", k->call_id);
	if (k->duration_ms % 1000 || k->billsec_ms % 1000 || k->billsec_ms < 0)
		CFAIL("%s: durations not whole seconds", k->call_id);
	if (k->end != k->start + k->duration_ms / 1000)
		CFAIL("%s: end != start + duration", k->call_id);
	if (k->billsec_ms > k->duration_ms)
		CFAIL("%s: billsec > duration", k->call_id);
	int ans = strcmp(k->disposition, "ANSWERED") == 0;
	if (!ans && strcmp(k->disposition, "NO ANSWER") && strcmp(k->disposition, "BUSY") &&
	    strcmp(k->disposition, "FAILED"))
		CFAIL("%s: disposition %s", k->call_id, k->disposition);
	if (ans) {
		if (k->answer < k->start || k->billsec_ms <= 0 || k->answer + k->billsec_ms / 1000 != k->end)
			CFAIL("%s: answered call times inconsistent", k->call_id);
		c->answered++;
		int64_t s = k->billsec_ms / 1000;
		c->over20 += s > 1200;
		c->mid += s >= 20 && s <= 180;
	} else if (k->billsec_ms != 0 || k->answer != INT64_MIN) {
		CFAIL("%s: unanswered call has billsec or answer", k->call_id);
	}
	const trow *r = deck_lookup(k->dst);
	if (!r)
		CFAIL("%s: dst %s has no deck row", k->call_id, k->dst);
	if (strcmp(k->dst, "911") == 0)
		c->n911++;
	if (k->inbound) {
		c->nin++;
		if (!c->dids[a][0])
			snprintf(c->dids[a], sizeof c->dids[a], "%s", k->dst);
		if (strcmp(c->dids[a], k->dst))
			CFAIL("%s: inbound dst %s is not the account's DID", k->call_id, k->dst);
		if (k->cnam_fee != 0 && k->cnam_fee != M4(39))
			CFAIL("%s: cnam fee %lld", k->call_id, (long long)k->cnam_fee);
		c->ncnam += k->cnam_fee != 0;
	} else if (k->cnam_fee) {
		CFAIL("%s: CNAM fee on an outbound call", k->call_id);
	}
	c->hour[k->start % DAY / 3600]++;
	c->perday[(k->start - FROM_2024) / DAY]++;
	push_id(c, k->call_id);
	money_t cost = rate_call(r, k->billsec_ms / 1000);
	push_delta(c, k->start, a, 1, -k->cnam_fee, k->inbound ? 0 : cost, k->inbound ? cost : 0);
	c->ncalls++;
	return 0;
}

static int on_msg(const gen_msg *m, void *ctx)
{
	coll *c = ctx;
	uint64_t h = c->h[1];
	HS(h, m->msg_id); HS(h, m->account); HI(h, m->at); HI(h, m->inbound); HS(h, m->from);
	HS(h, m->to); HI(h, m->mms); HI(h, m->segments); HI(h, m->cost);
	c->h[1] = h;
	int a = acct_index(m->account);
	if (a < 0)
		CFAIL("%s: unknown account", m->msg_id);
	if (m->at < c->last[1])
		CFAIL("%s: message out of time order", m->msg_id);
	c->last[1] = m->at;
	if (m->segments < 1 || m->segments > 10 || (m->mms && m->segments != 1))
		CFAIL("%s: segments %d", m->msg_id, m->segments);
	money_t want = m->mms ? M4(150) : m->segments * M4(40);
	if (m->cost != want && !(m->to[0] == '+' && m->cost == m->segments * M4(450)))
		CFAIL("%s: cost %lld", m->msg_id, (long long)m->cost);
	c->nmms += m->mms;
	push_id(c, m->msg_id);
	push_delta(c, m->at, a, 2, -m->cost, 0, 0);
	c->nmsgs++;
	return 0;
}

static int on_ledger(const gen_ledger *l, void *ctx)
{
	coll *c = ctx;
	uint64_t h = c->h[2];
	HS(h, l->account); HI(h, l->at); HS(h, l->kind); HI(h, l->amount); HS(h, l->memo);
	c->h[2] = h;
	int a = acct_index(l->account);
	if (a < 0)
		CFAIL("ledger: unknown account");
	if (l->at < c->last[2])
		CFAIL("ledger: %s at %lld out of time order", l->kind, (long long)l->at);
	c->last[2] = l->at;
	if (l->amount <= 0)
		CFAIL("ledger: %s amount %lld", l->kind, (long long)l->amount);
	int month = (int)((l->at - FROM_2024) / DAY); /* day index -> month 0..3 */
	month = month < 31 ? 0 : month < 60 ? 1 : month < 91 ? 2 : 3;
	int deposit = strcmp(l->kind, "deposit") == 0;
	if (deposit) {
		if (l->at == FROM_2024 && strstr(l->memo, "opening"))
			c->opening[a]++;
	} else if (strcmp(l->kind, "mrc") == 0) {
		if (l->amount != M4(250000) || (l->at - FROM_2024) % DAY)
			CFAIL("ledger: mrc %lld at %lld", (long long)l->amount, (long long)l->at);
		c->mrc[a][month]++;
	} else if (strcmp(l->kind, "e911") == 0) {
		if (l->amount != M4(15000))
			CFAIL("ledger: e911 %lld", (long long)l->amount);
		c->e911[a][month]++;
	} else if (strcmp(l->kind, "nrc") == 0) {
		c->nnrc++;
	} else {
		CFAIL("ledger: kind %s", l->kind);
	}
	push_delta(c, l->at, a, 0, deposit ? l->amount : -l->amount, 0, 0);
	c->nled++;
	return 0;
}

static void coll_free(coll *c)
{
	free(c->ids);
	free(c->dl);
}

static int run(coll *c, uint64_t seed, int ndays, int calls, int msgs, int ledger)
{
	gen_config cfg = {
		.seed = seed, .from = FROM_2024, .to = FROM_2024 + (int64_t)ndays * DAY,
		.naccounts = NACC, .accounts = accts,
		.on_call = calls ? on_call : NULL, .on_msg = msgs ? on_msg : NULL,
		.on_ledger = ledger ? on_ledger : NULL, .ctx = c,
	};
	for (int i = 0; i < 3; i++) {
		c->h[i] = 0xcbf29ce484222325ULL;
		c->last[i] = INT64_MIN;
	}
	return gen_run(&cfg);
}

/* Like T_ASSERT but keeps going, so the test can free what it holds. */
#define CHECK(cond) do { if (!(cond)) { \
	fprintf(stderr, "  %s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); ok = 0; } } while (0)

static int cmp_id(const void *a, const void *b) { return strcmp(a, b); }

static int cmp_delta(const void *x, const void *y)
{
	const delta *a = x, *b = y;
	if (a->t != b->t)
		return a->t < b->t ? -1 : 1;
	if (a->kind != b->kind)
		return a->kind - b->kind; /* ledger first within a second */
	return (a->seq > b->seq) - (a->seq < b->seq);
}

/* ---- tests ---- */

TEST(rng)
{
	gen_rng a, b;
	gen_rng_seed(&a, 1);
	gen_rng_seed(&b, 1);
	for (int i = 0; i < 100; i++)
		T_EQ_I64(gen_rng_next(&a), gen_rng_next(&b));
	gen_rng_seed(&b, 2);
	T_ASSERT(gen_rng_next(&a) != gen_rng_next(&b));
	long hist[7] = {0};
	for (int i = 0; i < 70000; i++) {
		uint64_t v = gen_rng_below(&a, 7);
		T_ASSERT(v < 7);
		hist[v]++;
	}
	for (int i = 0; i < 7; i++)
		T_ASSERT(hist[i] > 9400 && hist[i] < 10600);
	T_EQ_I64(gen_rng_below(&a, 1), 0);
	T_EQ_I64(gen_rng_below(&a, 0), 0);
}

TEST(deck)
{
	T_EQ_I64(load_deck(), 0);
	T_ASSERT(ndeck >= 40 && ndeck <= 80);
	for (int i = 0; i < ndeck; i++)
		for (int j = i + 1; j < ndeck; j++)
			if (strcmp(deck[i].prefix, deck[j].prefix) == 0)
				T_FAIL("duplicate prefix %s", deck[i].prefix);
	static const struct { const char *num; money_t rate; int min, inc; } want[] = {
		{"12065550100", M4(50), 6, 6}, {"18005551234", 0, 6, 6}, {"911", 0, 1, 1},
		{"+442079460000", M4(80), 1, 1}, {"+447700900123", M4(350), 60, 60},
		{"+5215512345678", M4(300), 30, 6}, {"+919812345678", M4(150), 1, 1},
		{"+639171234567", M4(1500), 60, 60}, {"+2348031234567", M4(1600), 60, 60},
		{"+63281234567", M4(1000), 60, 60}, {"+2341234567", M4(1400), 60, 60},
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		const trow *r = deck_lookup(want[i].num);
		T_ASSERT(r != NULL);
		T_EQ_I64(r->rate, want[i].rate);
		T_EQ_I64(r->min, want[i].min);
		T_EQ_I64(r->inc, want[i].inc);
	}
	/* Worked example: 0.0050/min 6/6, 9 s bills 12 s = 0.001 */
	T_EQ_I64(rate_call(deck_lookup("12125550000"), 9), M4(10));
}

TEST(traffic_shape)
{
	static coll c;
	memset(&c, 0, sizeof c);
	T_EQ_I64(load_deck(), 0);
	int rc = run(&c, 42, NDAYS, 1, 1, 1);
	if (c.err[0]) {
		coll_free(&c);
		T_FAIL("%s", c.err);
	}
	T_EQ_I64(rc, 0);
	if (getenv("T_VERBOSE"))
		fprintf(stderr, "  gen: %d accounts x %d days: %ld calls (%ld answered, %ld inbound, "
		        "%ld cnam, %ld to 911, %ld > 20 min), %ld messages (%ld mms), %ld ledger (%ld nrc)\n",
		        NACC, NDAYS, c.ncalls, c.answered, c.nin, c.ncnam, c.n911, c.over20, c.nmsgs,
		        c.nmms, c.nled, c.nnrc);
	int ok = 1;
	/* ASR 50-80 %, long tail, most answered calls 20-180 s, CNAM on most inbound */
	CHECK(c.answered * 100 >= c.ncalls * 50 && c.answered * 100 <= c.ncalls * 80);
	CHECK(c.over20 > 0 && c.mid * 2 > c.answered);
	CHECK(c.n911 >= 1 && c.n911 * 500 < c.ncalls);
	CHECK(c.nin * 10 > c.ncalls && c.nin * 2 < c.ncalls && c.ncnam * 10 > c.nin * 7);
	CHECK(c.nmms > 0 && c.nmms * 5 < c.nmsgs && c.nnrc >= 1);
	/* daily rhythm: 10:00-16:00 far busier than 01:00-05:00 */
	long busy = 0, quiet = 0;
	for (int hr = 10; hr < 16; hr++)
		busy += c.hour[hr];
	for (int hr = 1; hr < 5; hr++)
		quiet += c.hour[hr];
	CHECK(busy > 4 * quiet);
	/* weekly rhythm: a weekend day is lighter than a weekday */
	long wk = 0, we = 0, nwk = 0, nwe = 0;
	for (int d = 0; d < NDAYS; d++) {
		int wd = (int)((FROM_2024 / DAY + d + 3) % 7);
		if (wd >= 5) { we += c.perday[d]; nwe++; }
		else { wk += c.perday[d]; nwk++; }
	}
	CHECK(we * nwk * 10 < wk * nwe * 6);
	/* unique ids */
	qsort(c.ids, c.nids, sizeof *c.ids, cmp_id);
	for (size_t i = 1; i < c.nids; i++)
		CHECK(strcmp(c.ids[i - 1], c.ids[i]) != 0);
	/* monthly fees once per account per month (Jan..Apr 1), one opening deposit */
	for (int a = 0; a < NACC; a++) {
		CHECK(c.opening[a] == 1);
		for (int m = 0; m < 4; m++)
			CHECK(c.mrc[a][m] == 1 && c.e911[a][m] == 1);
	}
	/* Balances (rating inbound or not): the last account goes negative and
	 * is restored; the others stay above zero. */
	qsort(c.dl, c.ndl, sizeof *c.dl, cmp_delta);
	for (int inbound_rated = 0; inbound_rated < 2; inbound_rated++) {
		money_t bal[NACC] = {0};
		int neg[NACC] = {0}, restored[NACC] = {0};
		for (size_t i = 0; i < c.ndl; i++) {
			const delta *d = &c.dl[i];
			bal[d->acct] += d->fixed - d->out_cost - (inbound_rated ? d->in_cost : 0);
			if (bal[d->acct] < 0)
				neg[d->acct] = 1;
			else if (neg[d->acct] && bal[d->acct] > 0)
				restored[d->acct] = 1;
		}
		for (int a = 0; a < NACC - 1; a++)
			CHECK(!neg[a]);
		CHECK(neg[NACC - 1] && restored[NACC - 1]);
	}
	coll_free(&c);
	T_ASSERT(ok);
}

TEST(deterministic)
{
	static coll a, b, s;
	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	memset(&s, 0, sizeof s);
	T_EQ_I64(load_deck(), 0);
	run(&a, 7, 21, 1, 1, 1);
	run(&b, 7, 21, 1, 1, 1);
	run(&s, 8, 21, 1, 1, 1);
	uint64_t ha[3], hb_[3], hs[3];
	memcpy(ha, a.h, sizeof ha);
	memcpy(hb_, b.h, sizeof hb_);
	memcpy(hs, s.h, sizeof hs);
	long na = a.ncalls;
	coll_free(&a); coll_free(&b); coll_free(&s);
	T_ASSERT(na > 1000);
	for (int i = 0; i < 3; i++) {
		T_EQ_I64(ha[i], hb_[i]);
		T_ASSERT(ha[i] != hs[i]);
	}
	/* Calls alone (no message or ledger listeners) are the same calls. */
	memset(&a, 0, sizeof a);
	run(&a, 7, 21, 1, 0, 0);
	uint64_t h0 = a.h[0];
	coll_free(&a);
	T_EQ_I64(h0, ha[0]);
}

TEST(stop)
{
	static coll c;
	memset(&c, 0, sizeof c);
	c.stop_after = 100;
	int rc = run(&c, 1, 30, 1, 1, 1);
	long n = c.ncalls;
	coll_free(&c);
	T_EQ_I64(rc, 7);
	T_EQ_I64(n, 99);
	gen_config none = {.seed = 1, .from = 10, .to = 10, .naccounts = 1, .accounts = accts};
	T_EQ_I64(gen_run(&none), 0);
}

void suite_gen(void); /* t.h's SUITE() has no prototype of its own */
SUITE(gen)
{
	RUN(rng);
	RUN(deck);
	RUN(deterministic);
	RUN(traffic_shape);
	RUN(stop);
}
