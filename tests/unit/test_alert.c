/* test_alert.c: the alert outbox against a naive model (issue 10).
 *
 * Random ledger entries, a fifth of them back-dated (the walk re-walks from
 * their hour), are posted to an account with a low-balance mark. A naive
 * model sorts them and walks the balance: every downward crossing of the
 * mark (>= before, < after) and every suspension transition must be an
 * alert that is not withdrawn, with the model's balance, and nothing else;
 * verify must agree. Then the claim/sent/failed cycle and the per-account
 * order of alert_due. */
#include <stdlib.h>

#include "../../core/gen.h"
#include "../../core/ledger.h"
#include "../../data/account.h"
#include "../../data/alert.h"
#include "../../data/db.h"
#include "../../data/post.h"
#include "../../data/verify.h"
#include "t.h"

typedef struct {
	int64_t at, id;
	money_t delta;
} entry;

static int entry_cmp(const void *a, const void *b)
{
	const entry *x = a, *y = b;
	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static void quiet(const char *f, void *ctx)
{
	(void)ctx;
	fprintf(stderr, "  verify: %s\n", f);
}

static int64_t new_account(db_t *db, const char *name, money_t mark)
{
	account_info a;
	account_defaults(&a, name);
	a.has_low_balance = 1;
	a.low_balance = mark;
	return account_add(db, &a) == DB_OK ? a.id : -1;
}

TEST(random_entries_match_the_model)
{
	int seen_l = 0, seen_s = 0, seen_r = 0;
	for (int round = 0; round < 8; round++) {
		db_t *db = NULL;
		char msg[200], model[8192] = "", got[8192] = "";
		entry e[240];
		gen_rng rng;
		int64_t acct;
		money_t mark = (money_t)(round * 3) * 1000000000, bal = 0;
		int susp = 0;
		db_stmt *st;
		verify_result vr;
		T_EQ_I64(db_open(":memory:", DB_OPEN_CREATE, &db, msg, sizeof msg), DB_OK);
		T_ASSERT((acct = new_account(db, "acct", mark)) > 0);
		gen_rng_seed(&rng, 77 + (uint64_t)round);
		for (int k = 0; k < 240; k++) {
			int64_t at = 1790000000 + (int64_t)k * 600
			             - (gen_rng_below(&rng, 5) == 0 ? (int64_t)gen_rng_below(&rng, 40000) : 0);
			money_t amount = (money_t)(gen_rng_below(&rng, 2000) + 1) * 10000000;
			ledger_kind kd = gen_rng_below(&rng, 2) ? LEDGER_DEPOSIT : LEDGER_MRC;
			money_t posted;
			T_EQ_I64(ledger_signed_amount(kd, amount, "m", &posted), LEDGER_OK);
			T_EQ_I64(post_ledger_entry(db, acct, kd, posted, "m", at, &e[k].id), DB_OK);
			e[k].at = at;
			e[k].delta = posted;
		}
		qsort(e, 240, sizeof e[0], entry_cmp);
		for (int k = 0; k < 240; k++) {
			money_t before = bal;
			bal += e[k].delta;
			if (before >= mark && bal < mark)
				snprintf(model + strlen(model), sizeof model - strlen(model), "L%lld:%lld:%lld ",
				         (long long)e[k].at, (long long)e[k].id, (long long)bal);
			if (!susp && bal < 0) {
				susp = 1;
				snprintf(model + strlen(model), sizeof model - strlen(model), "S%lld:%lld:%lld ",
				         (long long)e[k].at, (long long)e[k].id, (long long)bal);
			} else if (susp && bal > 0) {
				susp = 0;
				snprintf(model + strlen(model), sizeof model - strlen(model), "R%lld:%lld:%lld ",
				         (long long)e[k].at, (long long)e[k].id, (long long)bal);
			}
		}
		T_EQ_I64(db_prepare(db, "SELECT event, at, cause_id, balance FROM alert"
		                            " WHERE status != 'withdrawn' ORDER BY at, cause_id, event != 'low_balance'", &st), DB_OK);
		while (db_step(st) == DB_ROW) {
			const char *ev = (const char *)db_column_text(st, 0);
			snprintf(got + strlen(got), sizeof got - strlen(got), "%c%lld:%lld:%lld ",
			         ev[0] == 'l' ? 'L' : ev[0] == 's' ? 'S' : 'R', (long long)db_column_int64(st, 1),
			         (long long)db_column_int64(st, 2), (long long)db_column_int64(st, 3));
		}
		db_finalize(st);
		seen_l += strchr(model, 'L') != NULL;
		seen_s += strchr(model, 'S') != NULL;
		seen_r += strchr(model, 'R') != NULL;
		T_EQ_STR(got, model);
		T_EQ_I64(verify_all(db, quiet, NULL, &vr), DB_OK);
		T_EQ_I64(vr.differences, 0);
		db_close(db);
	}
	T_ASSERT(seen_l >= 4 && seen_s >= 4 && seen_r >= 4); /* the model did cross */
}

TEST(claim_send_fail_and_order)
{
	db_t *db = NULL;
	char msg[200];
	int64_t a, b, id;
	alert_row *rows;
	size_t n;
	alert_counts c;
	T_EQ_I64(db_open(":memory:", DB_OPEN_CREATE, &db, msg, sizeof msg), DB_OK);
	T_ASSERT((a = new_account(db, "a", 5000000000)) > 0);
	T_ASSERT((b = new_account(db, "b", 0)) > 0);
	T_EQ_I64(post_ledger_entry(db, a, LEDGER_DEPOSIT, 10000000000, "m", 1790000000, &id), DB_OK);
	T_EQ_I64(post_ledger_entry(db, a, LEDGER_MRC, -20000000000, "m", 1790000600, &id), DB_OK); /* low, suspended */
	T_EQ_I64(post_ledger_entry(db, b, LEDGER_MRC, -1000000000, "m", 1790000300, &id), DB_OK);  /* low, suspended */
	/* one per account, the earliest: b's low balance, then a's */
	T_EQ_I64(alert_due(db, 100, 0, INT64_MAX, &rows, &n), DB_OK);
	T_EQ_I64(n, 2);
	T_EQ_STR(rows[0].account, "b");
	T_EQ_STR(rows[0].event, "low_balance");
	T_EQ_STR(rows[1].account, "a");
	T_EQ_STR(rows[1].event, "low_balance");
	T_EQ_STR(rows[1].cause, "ledger entry 2 (mrc -20.0000)");
	T_EQ_I64(rows[1].balance, -10000000000);
	id = rows[1].id;
	free(rows);
	/* a's fails: its suspension waits until the retry is due and sent */
	T_EQ_I64(alert_set_sending(db, id), DB_OK);
	T_EQ_I64(alert_set_sending(db, id), DB_EEXISTS); /* claimed once */
	T_EQ_I64(alert_set_failed(db, id, 200, "exit status 1"), DB_OK);
	T_EQ_I64(alert_due(db, 150, 0, INT64_MAX, &rows, &n), DB_OK);
	T_EQ_I64(n, 1);
	T_EQ_STR(rows[0].account, "b");
	free(rows);
	T_EQ_I64(alert_due(db, 200, 0, INT64_MAX, &rows, &n), DB_OK);
	T_EQ_I64(n, 2);
	T_EQ_I64(rows[1].id, id);
	T_EQ_I64(rows[1].attempts, 1);
	T_EQ_STR(rows[1].last_error, "exit status 1");
	free(rows);
	T_EQ_I64(alert_set_sending(db, id), DB_OK);
	T_EQ_I64(alert_set_sent(db, id, 300), DB_OK);
	T_EQ_I64(alert_due(db, 150, 0, INT64_MAX, &rows, &n), DB_OK);
	T_EQ_I64(n, 2);
	T_EQ_STR(rows[1].account, "a");
	T_EQ_STR(rows[1].event, "suspended");
	free(rows);
	/* a claimed alert of a stopped watcher goes back to pending */
	T_EQ_I64(alert_count(db, &c), DB_OK);
	T_EQ_I64(c.sent, 1);
	T_EQ_I64(c.pending, 3);
	T_EQ_I64(alert_set_sending(db, id + 1), DB_OK);
	T_EQ_I64(alert_recover(db, &c.sending), DB_OK);
	T_EQ_I64(c.sending, 1);
	T_EQ_I64(alert_count(db, &c), DB_OK);
	T_EQ_I64(c.sending, 0);
	T_EQ_I64(c.pending, 3);
	/* not before its time: b's low balance is at 1790000300 */
	T_EQ_I64(alert_due(db, 150, 0, 1790000299, &rows, &n), DB_OK);
	T_EQ_I64(n, 0);
	free(rows);
	db_close(db);
}

SUITE(alert)
{
	RUN(random_entries_match_the_model);
	RUN(claim_send_fail_and_order);
}
