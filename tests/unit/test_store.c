/* test_store.c: the store against a naive model: balances to the nano-unit,
 * suspension transitions, dedupe, one billed leg per call, verify. */
#include <stdlib.h>
#include <unistd.h>

#include "../../core/gen.h"
#include "../../core/tm.h"
#include "../../data/account.h"
#include "../../data/db.h"
#include "../../data/report.h"
#include "../../data/store.h"
#include "../../data/verify.h"
#include "t.h"

static db_t *fresh_db(const char *name)
{
	db_t *db = NULL;
	char msg[256];
	const char *p = t_tmppath(name);
	char side[1100];
	unlink(p);
	snprintf(side, sizeof side, "%s-wal", p);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", p);
	unlink(side);
	if (db_open(p, DB_OPEN_CREATE, &db, msg, sizeof msg) != DB_OK) {
		fprintf(stderr, "open %s: %s\n", p, msg);
		return NULL;
	}
	return db;
}

static int64_t add_account_with_deck(db_t *db, const char *name)
{
	account_info a;
	db_stmt *st;
	account_defaults(&a, name);
	if (account_add(db, &a) != DB_OK)
		return 0;
	/* deck "d": 1 -> 0.0050 6/6, 44 -> 0.0123 30/6 + 0.01 connect, grace 3 */
	db_exec(db, "INSERT OR IGNORE INTO deck(id, name, created) VALUES(1, 'd', 0);"
	             "INSERT OR IGNORE INTO rate(deck_id, prefix, rate, min_secs, inc_secs, grace_secs,"
	             " connect_fee, eff_from) VALUES(1, '1', 5000000, 6, 6, 0, 0, 0),"
	             " (1, '44', 12300000, 30, 6, 3, 10000000, 0)");
	if (account_set_deck(db, name, "d") != DB_OK)
		return 0;
	if (db_prepare(db, "SELECT 1", &st) == DB_OK)
		db_finalize(st);
	return a.id;
}

static void make_call(cdr_rec *r, const char *id, const char *key, int64_t start, int64_t billsec_ms,
                      const char *dst, int connected)
{
	memset(r, 0, sizeof *r);
	r->record_id = id;
	r->call_key = key;
	r->account = "acct";
	r->src = "15550001111";
	r->dst = dst;
	r->clid = "";
	r->disposition_text = connected ? "ANSWERED" : "NO ANSWER";
	r->disposition = connected ? DISP_ANSWERED : DISP_NO_ANSWER;
	r->start = start;
	r->answer = connected ? start : TM_NONE;
	r->end = start + billsec_ms / 1000;
	r->duration_ms = billsec_ms;
	r->billsec_ms = billsec_ms;
	r->connected = connected;
	r->their_billed_secs = -1;
}

static int64_t scalar(db_t *db, const char *sql)
{
	db_stmt *st;
	int64_t v = -1;
	if (db_prepare(db, sql, &st) != DB_OK)
		return -2;
	if (db_step(st) == DB_ROW)
		v = db_column_int64(st, 0);
	db_finalize(st);
	return v;
}

static void count_finding(const char *f, void *ctx)
{
	(void)f;
	++*(int *)ctx;
}

TEST(dedupe_and_one_billed_leg)
{
	db_t *db = fresh_db("legs.db");
	store_opts so = { "test", NULL, 0, 0 };
	store_writer *w;
	cdr_rec r;
	char why[200];
	int out;
	T_ASSERT(db);
	T_ASSERT(add_account_with_deck(db, "acct") > 0);
	T_EQ_I64(db_begin(db, 1), DB_OK);
	T_ASSERT((w = store_new(db, &so)) != NULL);
	make_call(&r, "leg/1", "call-1", 1000000, 60000, "12065550100", 1);
	T_EQ_I64(store_cdr(w, &r, &out, why, sizeof why), DB_OK);
	T_EQ_I64(out, STORE_INSERTED);
	make_call(&r, "leg/2", "call-1", 1000000, 30000, "12065550100", 1);
	T_EQ_I64(store_cdr(w, &r, &out, why, sizeof why), DB_OK);
	T_EQ_I64(out, STORE_INSERTED);           /* kept ... */
	make_call(&r, "leg/1", "call-1", 1000000, 60000, "12065550100", 1);
	T_EQ_I64(store_cdr(w, &r, &out, why, sizeof why), DB_OK);
	T_EQ_I64(out, STORE_DUPLICATE);          /* same record id: nothing */
	r.account = "nobody";
	r.record_id = "x";
	T_EQ_I64(store_cdr(w, &r, &out, why, sizeof why), DB_OK);
	T_EQ_I64(out, STORE_REJECT);
	T_ASSERT(strstr(why, "unknown account") != NULL);
	T_EQ_I64(store_finish(w), DB_OK);
	T_EQ_I64(db_commit(db), DB_OK);
	store_free(w);
	/* ... but charged once: 60 s at 0.005 = 0.0050 */
	T_EQ_I64(scalar(db, "SELECT SUM(cost) FROM cdr"), 5000000);
	T_EQ_I64(scalar(db, "SELECT COUNT(*) FROM cdr WHERE state = 3"), 1);
	int findings = 0;
	verify_result vr;
	T_EQ_I64(verify_all(db, count_finding, &findings, &vr), DB_OK);
	T_EQ_I64(findings, 0);
	db_close(db);
}

/* ---- the random model ---------------------------------------------- */

typedef struct {
	int64_t at, id;
	int cls;
	money_t delta;
} ev;

static int ev_cmp(const void *a, const void *b)
{
	const ev *x = a, *y = b;
	if (x->at != y->at) return x->at < y->at ? -1 : 1;
	if (x->cls != y->cls) return x->cls - y->cls;
	return x->id < y->id ? -1 : x->id > y->id;
}

TEST(random_mixes_balance_and_suspension)
{
	for (int round = 0; round < 12; round++) {
		db_t *db = fresh_db("mix.db");
		gen_rng rng;
		ev evs[600];
		int nev = 0;
		int64_t acct;
		T_ASSERT(db);
		T_ASSERT((acct = add_account_with_deck(db, "acct")) > 0);
		gen_rng_seed(&rng, 1000 + (uint64_t)round);
		for (int batch = 0; batch < 6; batch++) {
			store_opts so = { "test", NULL, 0, 0 };
			store_writer *w;
			T_EQ_I64(db_begin(db, 1), DB_OK);
			T_ASSERT((w = store_new(db, &so)) != NULL);
			for (int k = 0; k < 80; k++) {
				/* times mostly increasing, sometimes in the past (out of order) */
				int64_t at = 1700000000 + (int64_t)batch * 20000 + k * 200
				             - (gen_rng_below(&rng, 10) == 0 ? (int64_t)gen_rng_below(&rng, 50000) : 0);
				if (gen_rng_below(&rng, 4) == 0) {
					static const ledger_kind kinds[] = { LEDGER_DEPOSIT, LEDGER_PAYMENT, LEDGER_MRC,
					                                     LEDGER_NRC, LEDGER_E911, LEDGER_CNAM, LEDGER_ADJUSTMENT };
					ledger_kind kd = kinds[gen_rng_below(&rng, 7)];
					money_t amount = (money_t)(gen_rng_below(&rng, 3000) + 1) * 1000000;
					money_t posted;
					int64_t id;
					if (kd == LEDGER_ADJUSTMENT && gen_rng_below(&rng, 2))
						amount = -amount;
					T_EQ_I64(ledger_signed_amount(kd, amount, "memo", &posted), LEDGER_OK);
					T_EQ_I64(store_ledger(w, acct, kd, posted, "memo", at, &id), DB_OK);
					evs[nev++] = (ev){ at, id, 0, posted };
				} else {
					cdr_rec r;
					char rid[48], why[200];
					int out, connected = gen_rng_below(&rng, 5) != 0;
					snprintf(rid, sizeof rid, "r%d-%d-%d", round, batch, k);
					make_call(&r, rid, "", at, (int64_t)gen_rng_below(&rng, 400000),
					          gen_rng_below(&rng, 3) ? "12065550100" : "442071234567", connected);
					T_EQ_I64(store_cdr(w, &r, &out, why, sizeof why), DB_OK);
					T_EQ_I64(out, STORE_INSERTED);
					db_stmt *st;
					db_prepare(db, "SELECT id, cost FROM cdr WHERE record_id = 'test:' || ?1", &st);
					db_bind_text(st, 1, rid, -1);
					T_EQ_I64(db_step(st), DB_ROW);
					if (connected || db_column_int64(st, 1))
						evs[nev++] = (ev){ at, db_column_int64(st, 0), 1, -db_column_int64(st, 1) };
					db_finalize(st);
				}
			}
			T_EQ_I64(store_finish(w), DB_OK);
			T_EQ_I64(db_commit(db), DB_OK);
			store_free(w);
		}
		/* the naive model */
		qsort(evs, (size_t)nev, sizeof evs[0], ev_cmp);
		money_t bal = 0;
		int susp = 0, ntr = 0;
		char model[4096] = "";
		for (int i = 0; i < nev; i++) {
			bal += evs[i].delta;
			if (!susp && bal < 0) {
				susp = 1;
				ntr++;
				snprintf(model + strlen(model), sizeof model - strlen(model), "S%lld ", (long long)evs[i].at);
			} else if (susp && bal > 0) {
				susp = 0;
				ntr++;
				snprintf(model + strlen(model), sizeof model - strlen(model), "R%lld ", (long long)evs[i].at);
			}
		}
		account_info a;
		report_balance b;
		T_EQ_I64(account_get(db, acct, &a), DB_OK);
		T_EQ_I64(report_get_balance(db, &a, INT64_MAX, &b), DB_OK);
		T_EQ_I64(b.balance, bal);
		T_EQ_I64(b.suspended, susp);
		/* the stored transitions, in order */
		char got[4096] = "";
		db_stmt *st;
		db_prepare(db, "SELECT event, at FROM suspension ORDER BY at, id", &st);
		while (db_step(st) == DB_ROW)
			snprintf(got + strlen(got), sizeof got - strlen(got), "%c%lld ",
			         db_column_text(st, 0)[0] == 's' ? 'S' : 'R', (long long)db_column_int64(st, 1));
		db_finalize(st);
		T_EQ_STR(got, model);
		int findings = 0;
		verify_result vr;
		T_EQ_I64(verify_all(db, count_finding, &findings, &vr), DB_OK);
		T_EQ_I64(findings, 0);
		T_ASSERT(ntr >= 0);
		db_close(db);
	}
}

TEST(verify_detects_a_wrong_charge)
{
	db_t *db = fresh_db("tamper.db");
	store_opts so = { "test", NULL, 0, 0 };
	store_writer *w;
	cdr_rec r;
	char why[200];
	int out, findings = 0;
	verify_result vr;
	T_ASSERT(db);
	T_ASSERT(add_account_with_deck(db, "acct") > 0);
	T_EQ_I64(db_begin(db, 1), DB_OK);
	T_ASSERT((w = store_new(db, &so)) != NULL);
	make_call(&r, "t1", "", 1700000000, 9100, "12065550100", 1);
	T_EQ_I64(store_cdr(w, &r, &out, why, sizeof why), DB_OK);
	T_EQ_I64(store_finish(w), DB_OK);
	T_EQ_I64(db_commit(db), DB_OK);
	store_free(w);
	T_EQ_I64(verify_all(db, count_finding, &findings, &vr), DB_OK);
	T_EQ_I64(findings, 0);
	/* a rate row edited behind our back: every charge on it is now wrong */
	db_exec(db, "UPDATE rate SET rate = rate * 2");
	T_EQ_I64(verify_all(db, count_finding, &findings, &vr), DB_OK);
	T_ASSERT(findings > 0);
	db_close(db);
}

SUITE(store)
{
	RUN(dedupe_and_one_billed_leg);
	RUN(random_mixes_balance_and_suspension);
	RUN(verify_detects_a_wrong_charge);
}
