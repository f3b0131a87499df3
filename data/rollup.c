/* rollup.c: open-addressing hash tables of rollup cells. */
#include "rollup.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/rate.h"

typedef struct {
	int64_t account_id, hour;
	int used;
	rollup_hour_v v;
} hour_cell;

typedef struct {
	int64_t account_id, day;
	char prefix[RATE_PREFIX_MAX + 1];
	int used;
	rollup_dest_v v;
} dest_cell;

typedef struct {
	int64_t account_id, day;
	int type, dir, used;
	rollup_msg_v v;
} msg_cell;

/* Messages are few next to calls: a short list scanned linearly per day
 * is enough (at most accounts x days x 6 cells between flushes). */
struct rollup {
	hour_cell *hours;
	size_t hcap, hcount;
	dest_cell *dests;
	size_t dcap, dcount;
	msg_cell *msgs;
	size_t mcap, mcount;
	size_t mlast;          /* index of the last cell used: consecutive hits */
};

int rollup_msg_type(const char *type)
{
	return type && (type[0] == 'm' || type[0] == 'M') ? 1 : 0;
}

int rollup_msg_dir(const char *d)
{
	if (!d)
		return 2;
	if (strcasecmp(d, "outbound") == 0)
		return 0;
	if (strcasecmp(d, "inbound") == 0)
		return 1;
	return 2;
}

rollup_msg_v *rollup_msg(rollup *r, int64_t account_id, int64_t day, int type, int dir)
{
	msg_cell *c;
	/* search backwards from the newest: messages arrive in time order */
	for (size_t k = r->mcount; k-- > 0;) {
		c = &r->msgs[k];
		if (c->day < day - 86400 * 2)
			break;
		if (c->account_id == account_id && c->day == day && c->type == type && c->dir == dir)
			return &c->v;
	}
	for (size_t k = 0; k < r->mcount; k++) {
		c = &r->msgs[k];
		if (c->account_id == account_id && c->day == day && c->type == type && c->dir == dir)
			return &c->v;
	}
	if (r->mcount == r->mcap) {
		size_t ncap = r->mcap ? r->mcap * 2 : 64;
		msg_cell *n = realloc(r->msgs, ncap * sizeof *n);
		if (!n)
			return NULL;
		r->msgs = n;
		r->mcap = ncap;
	}
	c = &r->msgs[r->mcount++];
	memset(c, 0, sizeof *c);
	c->account_id = account_id;
	c->day = day;
	c->type = type;
	c->dir = dir;
	c->used = 1;
	return &c->v;
}

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	return x ^ (x >> 33);
}

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

rollup *rollup_new(void)
{
	rollup *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	r->hcap = 1024;
	r->dcap = 1024;
	r->hours = calloc(r->hcap, sizeof *r->hours);
	r->dests = calloc(r->dcap, sizeof *r->dests);
	if (!r->hours || !r->dests) {
		rollup_free(r);
		return NULL;
	}
	return r;
}

void rollup_free(rollup *r)
{
	if (!r)
		return;
	free(r->hours);
	free(r->dests);
	free(r->msgs);
	free(r);
}

size_t rollup_entries(const rollup *r)
{
	return r->hcount + r->dcount + r->mcount;
}

static hour_cell *hour_slot(hour_cell *t, size_t cap, int64_t a, int64_t h)
{
	size_t i = mix((uint64_t)a * 0x9e3779b97f4a7c15ULL ^ (uint64_t)h) & (cap - 1);
	while (t[i].used && (t[i].account_id != a || t[i].hour != h))
		i = (i + 1) & (cap - 1);
	return &t[i];
}

static dest_cell *dest_slot(dest_cell *t, size_t cap, int64_t a, int64_t d, const char *p)
{
	size_t i = mix((uint64_t)a * 0x9e3779b97f4a7c15ULL ^ (uint64_t)d ^ hash_str(p)) & (cap - 1);
	while (t[i].used && (t[i].account_id != a || t[i].day != d || strcmp(t[i].prefix, p) != 0))
		i = (i + 1) & (cap - 1);
	return &t[i];
}

rollup_hour_v *rollup_hour(rollup *r, int64_t account_id, int64_t hour)
{
	hour_cell *c;
	if ((r->hcount + 1) * 2 > r->hcap) {
		size_t ncap = r->hcap * 2;
		hour_cell *n = calloc(ncap, sizeof *n);
		if (!n)
			return NULL;
		for (size_t i = 0; i < r->hcap; i++)
			if (r->hours[i].used)
				*hour_slot(n, ncap, r->hours[i].account_id, r->hours[i].hour) = r->hours[i];
		free(r->hours);
		r->hours = n;
		r->hcap = ncap;
	}
	c = hour_slot(r->hours, r->hcap, account_id, hour);
	if (!c->used) {
		c->used = 1;
		c->account_id = account_id;
		c->hour = hour;
		memset(&c->v, 0, sizeof c->v);
		r->hcount++;
	}
	return &c->v;
}

rollup_dest_v *rollup_dest(rollup *r, int64_t account_id, int64_t day, const char *prefix)
{
	dest_cell *c;
	if ((r->dcount + 1) * 2 > r->dcap) {
		size_t ncap = r->dcap * 2;
		dest_cell *n = calloc(ncap, sizeof *n);
		if (!n)
			return NULL;
		for (size_t i = 0; i < r->dcap; i++)
			if (r->dests[i].used)
				*dest_slot(n, ncap, r->dests[i].account_id, r->dests[i].day, r->dests[i].prefix) = r->dests[i];
		free(r->dests);
		r->dests = n;
		r->dcap = ncap;
	}
	c = dest_slot(r->dests, r->dcap, account_id, day, prefix);
	if (!c->used) {
		c->used = 1;
		c->account_id = account_id;
		c->day = day;
		strncpy(c->prefix, prefix, RATE_PREFIX_MAX);
		c->prefix[RATE_PREFIX_MAX] = '\0';
		memset(&c->v, 0, sizeof c->v);
		r->dcount++;
	}
	return &c->v;
}

int rollup_flush(rollup *r, db_t *db)
{
	db_stmt *h = NULL, *d = NULL, *m = NULL;
	int st = DB_OK;
	if (r->hcount == 0 && r->dcount == 0 && r->mcount == 0)
		return DB_OK;
	if ((st = db_prepare(db,
	        "INSERT INTO rollup_hour(account_id, hour, calls, connected, duration_ms, billsec_ms,"
	        " billed_secs, unrated, cost_calls, cost_cnam, cnam_lookups, msgs, msg_segments, cost_msg,"
	        " internal) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15)"
	        " ON CONFLICT(account_id, hour) DO UPDATE SET calls=rollup_hour.calls+excluded.calls,"
	        " connected=rollup_hour.connected+excluded.connected, duration_ms=rollup_hour.duration_ms+excluded.duration_ms,"
	        " billsec_ms=rollup_hour.billsec_ms+excluded.billsec_ms, billed_secs=rollup_hour.billed_secs+excluded.billed_secs,"
	        " unrated=rollup_hour.unrated+excluded.unrated, cost_calls=rollup_hour.cost_calls+excluded.cost_calls,"
	        " cost_cnam=rollup_hour.cost_cnam+excluded.cost_cnam, cnam_lookups=rollup_hour.cnam_lookups+excluded.cnam_lookups,"
	        " msgs=rollup_hour.msgs+excluded.msgs, msg_segments=rollup_hour.msg_segments+excluded.msg_segments,"
	        " cost_msg=rollup_hour.cost_msg+excluded.cost_msg, internal=rollup_hour.internal+excluded.internal", &h)) != DB_OK)
		goto out;
	if ((st = db_prepare(db,
	        "INSERT INTO rollup_dest_day(account_id, day, prefix, calls, connected, billsec_ms,"
	        " billed_secs, cost) VALUES(?1,?2,?3,?4,?5,?6,?7,?8)"
	        " ON CONFLICT(account_id, day, prefix) DO UPDATE SET calls=rollup_dest_day.calls+excluded.calls,"
	        " connected=rollup_dest_day.connected+excluded.connected, billsec_ms=rollup_dest_day.billsec_ms+excluded.billsec_ms,"
	        " billed_secs=rollup_dest_day.billed_secs+excluded.billed_secs, cost=rollup_dest_day.cost+excluded.cost", &d)) != DB_OK)
		goto out;
	for (size_t i = 0; i < r->hcap; i++) {
		hour_cell *c = &r->hours[i];
		if (!c->used)
			continue;
		int64_t vals[] = { c->account_id, c->hour, c->v.calls, c->v.connected, c->v.duration_ms,
		                   c->v.billsec_ms, c->v.billed_secs, c->v.unrated, c->v.cost_calls,
		                   c->v.cost_cnam, c->v.cnam_lookups, c->v.msgs, c->v.msg_segments,
		                   c->v.cost_msg, c->v.internal };
		for (int k = 0; k < 15; k++)
			db_bind_int64(h, k + 1, vals[k]);
		if (db_step(h) != DB_DONE) {
			st = db_fail(db, "write hourly rollup");
			goto out;
		}
		db_reset(h);
		c->used = 0;
	}
	r->hcount = 0;
	for (size_t i = 0; i < r->dcap; i++) {
		dest_cell *c = &r->dests[i];
		if (!c->used)
			continue;
		db_bind_int64(d, 1, c->account_id);
		db_bind_int64(d, 2, c->day);
		db_bind_text(d, 3, c->prefix, -1);
		db_bind_int64(d, 4, c->v.calls);
		db_bind_int64(d, 5, c->v.connected);
		db_bind_int64(d, 6, c->v.billsec_ms);
		db_bind_int64(d, 7, c->v.billed_secs);
		db_bind_int64(d, 8, c->v.cost);
		if (db_step(d) != DB_DONE) {
			st = db_fail(db, "write destination rollup");
			goto out;
		}
		db_reset(d);
		c->used = 0;
	}
	r->dcount = 0;
	if (r->mcount) {
		if ((st = db_prepare(db, "INSERT INTO rollup_msg_day(account_id, day, type, dir, msgs, segments, cost)"
		                     " VALUES(?1,?2,?3,?4,?5,?6,?7) ON CONFLICT(account_id, day, type, dir) DO UPDATE"
		                     " SET msgs=rollup_msg_day.msgs+excluded.msgs, segments=rollup_msg_day.segments+excluded.segments,"
		                     " cost=rollup_msg_day.cost+excluded.cost", &m)) != DB_OK)
			goto out;
		for (size_t i = 0; i < r->mcount; i++) {
			msg_cell *c = &r->msgs[i];
			int64_t vals[] = { c->account_id, c->day, c->type, c->dir, c->v.msgs, c->v.segments, c->v.cost };
			for (int k = 0; k < 7; k++)
				db_bind_int64(m, k + 1, vals[k]);
			if (db_step(m) != DB_DONE) {
				st = db_fail(db, "write message rollup");
				goto out;
			}
			db_reset(m);
		}
		r->mcount = 0;
	}
out:
	db_finalize(h);
	db_finalize(d);
	db_finalize(m);
	return st;
}

int rollup_drop_empty_dest(db_t *db, int64_t account_id)
{
	db_stmt *st;
	int rc;
	if (db_prepare(db, "DELETE FROM rollup_dest_day WHERE account_id = ?1 AND calls = 0", &st) != DB_OK)
		return db_fail(db, "prune destination rollup");
	db_bind_int64(st, 1, account_id);
	rc = db_step(st);
	db_finalize(st);
	return rc == DB_DONE ? DB_OK : db_fail(db, "prune destination rollup");
}
