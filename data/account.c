/* account.c: account rows. */
#include "account.h"

#include "alert.h"

#include <stdio.h>
#include <string.h>

#include "../core/tm.h"
#include "csvin.h"

void account_defaults(account_info *a, const char *name)
{
	memset(a, 0, sizeof *a);
	snprintf(a->name, sizeof a->name, "%s", name);
	strcpy(a->currency, "USD");
	a->decimals = 4;
	a->rounding = ROUND_HALF_UP;
}

/* An account name is an identifier people type and scripts pass around, so
 * it is plain text: valid UTF-8 without C0 controls, DEL or C1 controls
 * (U+0080..U+009F). A name with an escape sequence is refused (`account
 * add` says why; an import with --create-accounts rejects the row) rather
 * than stored and escaped everywhere it is shown. Formula-looking names
 * ("=x") are accepted: exports neutralise them (out.h). */
int account_name_ok(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n > ACCOUNT_NAME_MAX || !csvin_valid_utf8(name, n))
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];
		if (c < 0x20 || c == 0x7f || (c == 0xc2 && (unsigned char)name[i + 1] < 0xa0))
			return 0;
	}
	return 1;
}

#define ACCOUNT_COLS "a.id, a.name, a.currency, a.decimals, a.rounding, a.low_balance, " \
	"a.deck_id, COALESCE(d.name, ''), a.created, a.dial_cc, COALESCE(a.dial_np, ''), " \
	"COALESCE(a.dial_ip, '') FROM account a LEFT JOIN deck d ON d.id = a.deck_id "

static void row_to_account(db_stmt *st, account_info *a)
{
	memset(a, 0, sizeof *a);
	a->id = db_column_int64(st, 0);
	snprintf(a->name, sizeof a->name, "%s", (const char *)db_column_text(st, 1));
	snprintf(a->currency, sizeof a->currency, "%s", (const char *)db_column_text(st, 2));
	a->decimals = db_column_int(st, 3);
	if (round_mode_parse((const char *)db_column_text(st, 4), &a->rounding) != 0)
		a->rounding = ROUND_HALF_UP;
	a->has_low_balance = db_column_type(st, 5) != DB_NULL;
	a->low_balance = db_column_int64(st, 5);
	a->deck_id = db_column_int64(st, 6);
	snprintf(a->deck, sizeof a->deck, "%s", (const char *)db_column_text(st, 7));
	a->created = db_column_int64(st, 8);
	if (db_column_type(st, 9) != DB_NULL) {
		char why[160];
		/* a stored plan was valid when set; a code the table no longer has
		 * keeps its prefixes through dialplan_make's custom path */
		if (dialplan_make((const char *)db_column_text(st, 9), (const char *)db_column_text(st, 10),
		                  (const char *)db_column_text(st, 11), &a->plan, why, sizeof why) == 0
		    && dialplan_encode(&a->plan, a->plan_code, sizeof a->plan_code) < 0)
			a->plan_code[0] = '\0';
	}
}

#define IP_TEXT_MAX (DIALPLAN_NINTL * (DIALPLAN_PFX_MAX + 1) + 1)

/* "810,00": the plan's international prefixes as stored in dial_ip. */
static void plan_ip(const dialplan *p, char ip[IP_TEXT_MAX])
{
	ip[0] = '\0';
	for (int i = 0; i < p->nintl; i++) {
		if (i)
			strcat(ip, ",");
		strcat(ip, p->intl[i]);
	}
}

int account_add(db_t *db, account_info *a)
{
	db_stmt *st;
	int rc;
	char ip[IP_TEXT_MAX];
	if (!account_name_ok(a->name))
		return db_failf(db, DB_EINPUT, "bad account name \"%s\": 1 to %d bytes of UTF-8, no control characters",
		                a->name, ACCOUNT_NAME_MAX);
	if (a->decimals < 0 || a->decimals > MONEY_MAX_DECIMALS)
		return db_failf(db, DB_EINPUT, "decimals must be 0 to 9");
	if (db_prepare(db, "INSERT INTO account(name, currency, decimals, rounding, low_balance, created, dial_cc, dial_np,"
	        " dial_ip) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id", &st) != DB_OK)
		return db_fail(db, "add account");
	if (a->plan_code[0]) {
		plan_ip(&a->plan, ip);
		db_bind_text(st, 7, a->plan.cc, -1);
		db_bind_text(st, 8, a->plan.national, -1);
		db_bind_text(st, 9, ip, -1);
	}
	db_bind_text(st, 1, a->name, -1);
	db_bind_text(st, 2, a->currency, -1);
	db_bind_int(st, 3, a->decimals);
	db_bind_text(st, 4, round_mode_name(a->rounding), -1);
	if (a->has_low_balance)
		db_bind_int64(st, 5, a->low_balance);
	a->created = db_now();
	db_bind_int64(st, 6, a->created);
	rc = db_step(st);
	if (rc == DB_ROW) /* RETURNING id */
		a->id = db_column_int64(st, 0);
	db_finalize(st);
	if (rc == DB_ECONSTRAINT)
		return db_failf(db, DB_EEXISTS, "account \"%s\" already exists", a->name);
	if (rc != DB_ROW)
		return db_fail(db, "add account");
	return DB_OK;
}

/* sql: one of the two constant statements below (the name or the id bound
 * as ?1); statement text is never built at run time (tests/sql_audit.py). */
static int account_query(db_t *db, const char *sql, const char *name, int64_t id, account_info *out)
{
	db_stmt *st;
	int rc;
	if (db_prepare(db, sql, &st) != DB_OK)
		return db_fail(db, "find account");
	if (name)
		db_bind_text(st, 1, name, -1);
	else
		db_bind_int64(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW)
		row_to_account(st, out);
	db_finalize(st);
	if (rc == DB_ROW)
		return DB_OK;
	if (rc == DB_DONE) {
		if (name)
			return db_failf(db, DB_ENOTFOUND, "no account named \"%s\" (see `billtop account list`)", name);
		return db_failf(db, DB_ENOTFOUND, "no account with id %lld", (long long)id);
	}
	return db_fail(db, "find account");
}

int account_find(db_t *db, const char *name, account_info *out)
{
	return account_query(db, "SELECT " ACCOUNT_COLS "WHERE a.name = ?1", name, 0, out);
}

int account_get(db_t *db, int64_t id, account_info *out)
{
	return account_query(db, "SELECT " ACCOUNT_COLS "WHERE a.id = ?1", NULL, id, out);
}

int account_set_deck(db_t *db, const char *name, const char *deck)
{
	db_stmt *st;
	int rc;
	account_info a;
	if ((rc = account_find(db, name, &a)) != DB_OK)
		return rc;
	if (db_prepare(db, "UPDATE account SET deck_id = (SELECT id FROM deck WHERE name = ?1) "
	        "WHERE id = ?2 AND EXISTS (SELECT 1 FROM deck WHERE name = ?1)", &st) != DB_OK)
		return db_fail(db, "set deck");
	db_bind_text(st, 1, deck, -1);
	db_bind_int64(st, 2, a.id);
	rc = db_step(st);
	db_finalize(st);
	if (rc != DB_DONE)
		return db_fail(db, "set deck");
	if (db_changes(db) == 0)
		return db_failf(db, DB_ENOTFOUND, "no rate deck named \"%s\" (import one with `billtop rates import`)", deck);
	return DB_OK;
}

/* The new mark re-derives the account's low-balance crossings in the same
 * transaction (alert_mark_changed: the history is recorded, not alerted). */
int account_set_low_balance(db_t *db, const char *name, money_t low)
{
	db_stmt *st;
	account_info a;
	int rc;
	if ((rc = db_begin(db, 1)) != DB_OK)
		return rc;
	if (db_prepare(db, "UPDATE account SET low_balance = ?1 WHERE name = ?2", &st) != DB_OK) {
		rc = db_fail(db, "set low balance");
		goto fail;
	}
	db_bind_int64(st, 1, low);
	db_bind_text(st, 2, name, -1);
	rc = db_step(st);
	db_finalize(st);
	if (rc != DB_DONE) {
		rc = db_fail(db, "set low balance");
		goto fail;
	}
	if (!db_changes(db)) {
		rc = db_failf(db, DB_ENOTFOUND, "no account named \"%s\"", name);
		goto fail;
	}
	if ((rc = account_find(db, name, &a)) != DB_OK || (rc = alert_mark_changed(db, a.id, db_now())) != DB_OK)
		goto fail;
	return db_commit(db);
fail:
	db_rollback(db);
	return rc;
}

int account_set_dialplan(db_t *db, const char *name, const dialplan *p)
{
	db_stmt *st;
	int rc;
	char ip[IP_TEXT_MAX];
	if (p)
		plan_ip(p, ip);
	if (db_prepare(db, "UPDATE account SET dial_cc = ?1, dial_np = ?2, dial_ip = ?3 WHERE name = ?4", &st) != DB_OK)
		return db_fail(db, "set dial plan");
	if (p) {
		db_bind_text(st, 1, p->cc, -1);
		db_bind_text(st, 2, p->national, -1);
		db_bind_text(st, 3, ip, -1);
	}
	db_bind_text(st, 4, name, -1);
	rc = db_step(st);
	db_finalize(st);
	if (rc != DB_DONE)
		return db_fail(db, "set dial plan");
	return db_changes(db) ? DB_OK
	       : db_failf(db, DB_ENOTFOUND, "no account named \"%s\"", name);
}

int account_each(db_t *db, account_fn fn, void *ctx)
{
	db_stmt *st;
	int rc;
	if (db_prepare(db, "SELECT " ACCOUNT_COLS "ORDER BY a.name", &st) != DB_OK)
		return db_fail(db, "list accounts");
	while ((rc = db_step(st)) == DB_ROW) {
		account_info a;
		row_to_account(st, &a);
		if (fn(&a, ctx))
			break;
	}
	db_finalize(st);
	return rc == DB_ROW || rc == DB_DONE ? DB_OK : db_fail(db, "list accounts");
}
