/* db_pg.h: the PostgreSQL backend (db_pg.c), for db.c and the tests only. */
#ifndef BILLTOP_DB_PG_H
#define BILLTOP_DB_PG_H

#include "../db.h"

struct db_backend;
extern const struct db_backend db_pg_backend;

/* 1 when target names a PostgreSQL store: "postgresql://", "postgres://",
 * or a libpq "key=value ..." string (an '=' before any '/'). */
int db_pg_is_target(const char *target);

/* The store's name for messages: postgresql://user@host:port/db (never the
 * password). Valid while db is open. */
const char *db_pg_label(db_t *db);

/* Rewrite SQLite parameters (?NNN, ?) to PostgreSQL's ($N) outside quoted
 * text, identifiers and comments; *nparams gets the largest number. malloc'd
 * (NULL: out of memory). Exposed for the unit tests. */
char *db_pg_rewrite(const char *sql, int *nparams);

#endif
