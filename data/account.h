/* account.h: prepaid accounts in the store. */
#ifndef BILLTOP_ACCOUNT_H
#define BILLTOP_ACCOUNT_H

#include <stdint.h>
#include "../core/dialplan.h"
#include "../core/money.h"
#include "db.h"

#define ACCOUNT_NAME_MAX 64

typedef struct {
	int64_t id;
	char name[ACCOUNT_NAME_MAX + 1];
	char currency[8];
	int decimals;              /* 0..9, default 4 */
	round_mode rounding;       /* default half-up */
	int has_low_balance;
	money_t low_balance;       /* warn when balance < this */
	int64_t deck_id;           /* 0 when no deck */
	char deck[ACCOUNT_NAME_MAX + 1];
	int64_t created;
	/* Dial plan (issue 9): plan_code "44/0/00" (dialplan_encode), "" when
	 * the account has none; plan is valid when plan_code is not empty. */
	char plan_code[DIALPLAN_CODE_MAX];
	dialplan plan;
} account_info;

/* Defaults for a new account named `name` (USD, 4 decimals, half-up). */
void account_defaults(account_info *a, const char *name);

/* 1 when `name` is acceptable: 1..64 bytes of UTF-8 with no control chars. */
int account_name_ok(const char *name);

/* Insert a; sets a->id. DB_EEXISTS if the name is taken. */
int account_add(db_t *db, account_info *a);
int account_find(db_t *db, const char *name, account_info *out);  /* DB_ENOTFOUND */
int account_get(db_t *db, int64_t id, account_info *out);
int account_set_deck(db_t *db, const char *name, const char *deck);
int account_set_low_balance(db_t *db, const char *name, money_t low);
/* Give the account a dial plan (p NULL: remove it; its calls are then
 * rated as before dial plans). Calls already stored keep the plan they
 * were rated with (cdr.dialplan). */
int account_set_dialplan(db_t *db, const char *name, const dialplan *p);

/* Calls fn for each account in name order; stops when fn returns non-zero. */
typedef int (*account_fn)(const account_info *a, void *ctx);
int account_each(db_t *db, account_fn fn, void *ctx);

#endif
