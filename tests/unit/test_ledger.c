/* test_ledger.c: kind names, sign rules, the suspension walk. */
#include "t.h"
#include "../../core/ledger.h"
#include "../../core/tm.h"

TEST(kind_names)
{
	static const char *const names[] = {
		"deposit", "payment", "adjustment", "mrc", "nrc", "e911", "cnam", "usage"
	};
	for (int k = 0; k < LEDGER_KIND_COUNT; k++) {
		ledger_kind got = LEDGER_KIND_COUNT;
		T_EQ_STR(ledger_kind_name((ledger_kind)k), names[k]);
		T_EQ_I64(ledger_kind_parse(names[k], &got), 0);
		T_EQ_I64(got, k);
	}
	ledger_kind got = LEDGER_MRC;
	T_EQ_I64(ledger_kind_parse("Deposit", &got), -1);
	T_EQ_I64(ledger_kind_parse("", &got), -1);
	T_EQ_I64(ledger_kind_parse("refund", &got), -1);
	T_EQ_I64(ledger_kind_parse(NULL, &got), -1);
	T_EQ_I64(got, LEDGER_MRC);
	T_EQ_STR(ledger_kind_name(LEDGER_KIND_COUNT), "?");
}

static int sa(ledger_kind k, money_t v, const char *memo, money_t *out)
{
	*out = 999;
	return ledger_signed_amount(k, v, memo, out);
}

TEST(signed_amount)
{
	money_t p;

	/* credits keep their sign */
	T_EQ_I64(sa(LEDGER_DEPOSIT, 5000000000LL, NULL, &p), LEDGER_OK);
	T_EQ_I64(p, 5000000000LL);
	T_EQ_I64(sa(LEDGER_PAYMENT, 1, "", &p), LEDGER_OK);
	T_EQ_I64(p, 1);
	/* debits are negated */
	static const ledger_kind debits[] = { LEDGER_MRC, LEDGER_NRC, LEDGER_E911, LEDGER_CNAM };
	for (size_t i = 0; i < 4; i++) {
		T_EQ_I64(sa(debits[i], 1500000000, NULL, &p), LEDGER_OK);
		T_EQ_I64(p, -1500000000);
		T_EQ_I64(sa(debits[i], INT64_MAX, NULL, &p), LEDGER_OK);
		T_EQ_I64(p, -INT64_MAX);
		T_EQ_I64(sa(debits[i], -1500000000, NULL, &p), LEDGER_ESIGN);
		T_EQ_I64(p, 999);
		T_EQ_I64(sa(debits[i], INT64_MIN, NULL, &p), LEDGER_ESIGN);
		T_EQ_I64(sa(debits[i], 0, NULL, &p), LEDGER_EZERO);
	}
	T_EQ_I64(sa(LEDGER_DEPOSIT, -5, NULL, &p), LEDGER_ESIGN);
	T_EQ_I64(sa(LEDGER_PAYMENT, 0, NULL, &p), LEDGER_EZERO);
	/* adjustments are signed and need a reason */
	T_EQ_I64(sa(LEDGER_ADJUSTMENT, -2500000000LL, "goodwill reversal", &p), LEDGER_OK);
	T_EQ_I64(p, -2500000000LL);
	T_EQ_I64(sa(LEDGER_ADJUSTMENT, 2500000000LL, "dispute #12", &p), LEDGER_OK);
	T_EQ_I64(p, 2500000000LL);
	T_EQ_I64(sa(LEDGER_ADJUSTMENT, INT64_MIN, "x", &p), LEDGER_OK);
	T_EQ_I64(p, INT64_MIN);
	T_EQ_I64(sa(LEDGER_ADJUSTMENT, 5, NULL, &p), LEDGER_EMEMO);
	T_EQ_I64(sa(LEDGER_ADJUSTMENT, 5, "", &p), LEDGER_EMEMO);
	T_EQ_I64(sa(LEDGER_ADJUSTMENT, 5, " \t ", &p), LEDGER_EMEMO);
	T_EQ_I64(p, 999);
	T_EQ_I64(sa(LEDGER_ADJUSTMENT, 0, "reason", &p), LEDGER_EZERO);
	/* usage comes from rated records only */
	T_EQ_I64(sa(LEDGER_USAGE, 5, NULL, &p), LEDGER_EKIND);
	T_EQ_I64(sa(LEDGER_USAGE, 0, NULL, &p), LEDGER_EKIND);
	T_EQ_I64(sa(LEDGER_KIND_COUNT, 5, NULL, &p), LEDGER_EKIND);
	T_EQ_I64(sa((ledger_kind)-1, 5, NULL, &p), LEDGER_EKIND);
	T_ASSERT(strstr(ledger_strerror(LEDGER_EMEMO), "reason") != NULL);
	T_ASSERT(ledger_strerror(99) != NULL);
}

TEST(walk_transitions)
{
	ledger_walk w;

	ledger_walk_init(&w, 0, LEDGER_ACTIVE, TM_NONE);
	T_EQ_I64(w.since, TM_NONE);
	T_EQ_I64(ledger_walk_step(&w, 100, 10), LEDGER_NO_CHANGE);
	T_EQ_I64(ledger_walk_step(&w, 200, -10), LEDGER_NO_CHANGE); /* zero: stays active */
	T_EQ_I64(w.balance, 0);
	T_EQ_I64(w.status, LEDGER_ACTIVE);
	T_EQ_I64(ledger_walk_step(&w, 300, -1), LEDGER_BECAME_SUSPENDED);
	T_EQ_I64(w.status, LEDGER_SUSPENDED);
	T_EQ_I64(w.since, 300);
	T_EQ_I64(ledger_walk_step(&w, 400, -5), LEDGER_NO_CHANGE);
	T_EQ_I64(ledger_walk_step(&w, 500, 6), LEDGER_NO_CHANGE);   /* zero: stays suspended */
	T_EQ_I64(w.balance, 0);
	T_EQ_I64(w.status, LEDGER_SUSPENDED);
	T_EQ_I64(w.since, 300);
	T_EQ_I64(ledger_walk_step(&w, 600, 1), LEDGER_BECAME_ACTIVE);
	T_EQ_I64(w.since, 600);
	T_EQ_I64(w.status, LEDGER_ACTIVE);
	/* one event can jump straight across zero either way */
	T_EQ_I64(ledger_walk_step(&w, 700, -100), LEDGER_BECAME_SUSPENDED);
	T_EQ_I64(ledger_walk_step(&w, 800, 200), LEDGER_BECAME_ACTIVE);
	T_EQ_I64(w.balance, 101);
	/* a zero delta changes nothing */
	T_EQ_I64(ledger_walk_step(&w, 900, 0), LEDGER_NO_CHANGE);
	T_EQ_I64(w.since, 800);
	/* an opening state is respected */
	ledger_walk_init(&w, -50, LEDGER_SUSPENDED, 42);
	T_EQ_I64(ledger_walk_step(&w, 1000, 50), LEDGER_NO_CHANGE);
	T_EQ_I64(w.since, 42);
	T_EQ_I64(ledger_walk_step(&w, 1100, 1), LEDGER_BECAME_ACTIVE);
	/* saturation at the limits keeps the sign */
	ledger_walk_init(&w, INT64_MAX - 1, LEDGER_ACTIVE, 0);
	T_EQ_I64(ledger_walk_step(&w, 1, 100), LEDGER_NO_CHANGE);
	T_EQ_I64(w.balance, INT64_MAX);
	ledger_walk_init(&w, INT64_MIN + 1, LEDGER_SUSPENDED, 0);
	T_EQ_I64(ledger_walk_step(&w, 1, -100), LEDGER_NO_CHANGE);
	T_EQ_I64(w.balance, INT64_MIN);
}

static uint64_t rng(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

/* Random deposits and charges through ledger_signed_amount and the walk,
 * against a reference that recomputes the balance from the whole history
 * each time and applies the rule as DESIGN.md words it. */
TEST(walk_vs_reference)
{
	enum { N = 4000 };
	static money_t posted[N];
	uint64_t s = 777;
	ledger_walk w;
	int susp = 0, transitions = 0, zero_hits = 0;
	int64_t since = TM_NONE;

	ledger_walk_init(&w, 0, LEDGER_ACTIVE, TM_NONE);
	for (int i = 0; i < N; i++) {
		/* every postable kind, leaning toward whatever brings the balance
		 * back to zero so it crosses zero (and lands on it) often */
		static const ledger_kind credits[] = { LEDGER_DEPOSIT, LEDGER_PAYMENT };
		static const ledger_kind debits[] = { LEDGER_MRC, LEDGER_NRC, LEDGER_E911, LEDGER_CNAM };
		uint64_t dice = rng(&s) % 10;
		ledger_kind k;
		if (dice == 0)
			k = LEDGER_ADJUSTMENT;
		else if ((dice <= 6) == (w.balance > 0))
			k = debits[rng(&s) % 4];
		else
			k = credits[rng(&s) % 2];
		/* small whole amounts so the balance often lands exactly on 0 */
		money_t amt = (money_t)(rng(&s) % 5) * 1000000000LL;
		int64_t at = 1000 + i * 60;
		money_t p;
		const char *memo = rng(&s) % 2 ? "reason" : NULL;
		if (k == LEDGER_ADJUSTMENT && rng(&s) % 2)
			amt = -amt;
		int st = ledger_signed_amount(k, amt, memo, &p);
		if (amt == 0) {
			T_EQ_I64(st, LEDGER_EZERO);
			continue;
		}
		if (k == LEDGER_ADJUSTMENT && !memo) {
			T_EQ_I64(st, LEDGER_EMEMO);
			continue;
		}
		T_EQ_I64(st, LEDGER_OK);
		/* the sign follows the kind */
		if (k == LEDGER_DEPOSIT || k == LEDGER_PAYMENT)
			T_EQ_I64(p, amt);
		else if (k == LEDGER_ADJUSTMENT)
			T_EQ_I64(p, amt);
		else
			T_EQ_I64(p, -amt);
		posted[i] = p;

		money_t bal = 0;
		for (int j = 0; j <= i; j++)
			bal += posted[j];
		int was = susp;
		if (bal < 0)
			susp = 1;
		else if (bal > 0)
			susp = 0;
		else
			zero_hits++;
		ledger_transition want = was == susp ? LEDGER_NO_CHANGE
		                       : susp ? LEDGER_BECAME_SUSPENDED : LEDGER_BECAME_ACTIVE;
		if (want != LEDGER_NO_CHANGE) {
			since = at;
			transitions++;
		}
		T_EQ_I64(ledger_walk_step(&w, at, p), want);
		T_EQ_I64(w.balance, bal);
		T_EQ_I64(w.status, susp ? LEDGER_SUSPENDED : LEDGER_ACTIVE);
		T_EQ_I64(w.since, since);
	}
	/* the sequence exercised what it should */
	T_ASSERT(transitions > 100);
	T_ASSERT(zero_hits > 50);
}

void suite_ledger(void); /* t.h's SUITE() has no prototype of its own */

SUITE(ledger)
{
	RUN(kind_names);
	RUN(signed_amount);
	RUN(walk_transitions);
	RUN(walk_vs_reference);
}
