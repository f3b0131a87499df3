/* db_pg.h: the PostgreSQL backend (db_pg.c), for db.c and the tests only. */
#ifndef BILLTOP_DB_PG_H
#define BILLTOP_DB_PG_H

#include "../db.h"

/* The store's name for messages: postgresql://user@host:port/db (never the
 * password). Valid while db is open. */
const char *db_pg_label(db_t *db);

/* Rewrite SQLite parameters (?NNN, ?) to PostgreSQL's ($N) outside quoted
 * text, identifiers and comments; *nparams gets the largest number. malloc'd
 * (NULL: out of memory). Exposed for the unit tests. */
char *db_pg_rewrite(const char *sql, int *nparams);

#endif
