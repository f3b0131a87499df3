/* inv_theirs.c: loading their side of a dispute from their CDR file
 * (inv_load_theirs*, investigate.h) with the same importers as `import
 * cdr`, never into the store. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inv_int.h"
#include "cdrsrc.h"
#include "pipeline.h"
#include "cdrsniff.h"
#include "tz.h"

/* ---- their side ----------------------------------------------------------- */

/* Legs of one call (their file): call key -> the record id of its first
 * connected leg, as "key\0id\0" strings in the arena. */
typedef struct {
	const char **slot;
	size_t cap, n;
} leg_table;

static int leg_seen(inv_side *s, leg_table *t, const char *key, const char *rid, int *other)
{
	size_t kl = strlen(key), rl = strlen(rid), i;
	char *e;
	*other = 0;
	if (t->n * 2 >= t->cap) {
		size_t ncap = t->cap ? t->cap * 2 : 4096;
		const char **ns = calloc(ncap, sizeof *ns);
		if (!ns)
			return -1;
		for (size_t k = 0; k < t->cap; k++)
			if (t->slot[k]) {
				for (i = inv_fnv(t->slot[k], strlen(t->slot[k])) & (ncap - 1); ns[i]; i = (i + 1) & (ncap - 1))
					;
				ns[i] = t->slot[k];
			}
		free(t->slot);
		t->slot = ns;
		t->cap = ncap;
	}
	for (i = inv_fnv(key, kl) & (t->cap - 1); t->slot[i]; i = (i + 1) & (t->cap - 1))
		if (strcmp(t->slot[i], key) == 0) {
			*other = strcmp(t->slot[i] + kl + 1, rid) != 0;
			return 0;
		}
	if (!(e = inv_arena_alloc(s, kl + rl + 2)))
		return -1;
	memcpy(e, key, kl + 1);
	memcpy(e + kl + 1, rid, rl + 1);
	t->slot[i] = e;
	t->n++;
	return 0;
}

typedef struct {
	db_t *db;
	const inv_theirs_opts *o;
	inv_side *s;
	leg_table legs;
	inv_cancel *cancel;        /* polled here: callbacks run on the caller's thread */
	int oom, cancelled;
	char stop[700];
} theirs_ctx;

static int on_their_item(const pipe_item *it, void *vctx)
{
	theirs_ctx *x = vctx;
	inv_side *s = x->s;
	const cdr_rec *r = &it->rec;
	recon_call *c;
	int other;

	if (((s->rows + s->rejected) & (INV_CANCEL_EVERY - 1)) == 0 && inv_cancel_check(x->cancel, 1)) {
		x->cancelled = 1;
		return 1;
	}
	if (it->kind == PIPE_BAD) {
		s->rejected++;
		if (!x->o->keep_going) {
			snprintf(x->stop, sizeof x->stop, "%s:%lld: %s", x->o->path, (long long)it->line, it->why);
			return 1;
		}
		if (s->nrejects < INV_MAX_REJECTS) {
			inv_reject *rj = &s->rejects[s->nrejects];
			rj->line = it->line;
			if (!(rj->why = (char *)inv_arena_str(s, it->why, strlen(it->why))))
				goto oom;
			s->nrejects++;
		}
		return 0;
	}
	s->rows++;
	if (r->start < x->o->from || r->start >= x->o->to) {
		s->outside++;
		return 0;
	}
	if (r->connected && r->call_key && *r->call_key) {
		if (leg_seen(s, &x->legs, r->call_key, r->record_id, &other) < 0)
			goto oom;
		if (other) {
			s->extra_legs++;
			return 0;
		}
	}
	char idbuf[CDR_RECORD_ID_MAX + 1]; /* the call's id, without cdrfmt's row digest */
	size_t idlen = cdrfmt_call_id_len(r->record_id);
	if (idlen >= sizeof idbuf)
		idlen = sizeof idbuf - 1;
	memcpy(idbuf, r->record_id, idlen);
	idbuf[idlen] = '\0';
	if (s->compact) {
		recon_call k;
		k.id = idbuf;
		k.src = r->src; /* normalised by recon_side_push_raw */
		k.dst = r->dst;
		k.prefix = "";
		k.start = r->start;
		k.answer = r->answer;
		k.billsec_ms = r->billsec_ms;
		k.connected = r->connected;
		k.has_cost = r->has_their_cost;
		k.cost = r->has_their_cost ? r->their_cost : 0;
		k.billed_secs = r->their_billed_secs;
		k.ref = it->line;
		if (recon_side_push_raw(&s->side, &k) != RECON_OK)
			goto oom;
		s->n = s->side.n;
		s->cnam = money_add_sat(s->cnam, r->cnam_fee);
		return 0;
	}
	if (!(c = inv_push_call(s)))
		goto oom;
	c->id = inv_arena_str(s, idbuf, idlen);
	c->src = inv_number(s, r->src, 1);
	c->dst = inv_number(s, r->dst, 0);
	c->prefix = "";
	if (!c->id || !c->src || !c->dst)
		goto oom;
	c->start = r->start;
	c->answer = r->answer;
	c->billsec_ms = r->billsec_ms;
	c->connected = r->connected;
	c->has_cost = r->has_their_cost;
	c->cost = r->has_their_cost ? r->their_cost : 0;
	c->billed_secs = r->their_billed_secs;
	c->ref = it->line;
	s->cnam = money_add_sat(s->cnam, r->cnam_fee);
	return 0;
oom:
	x->oom = 1;
	return 1;
}

int inv_load_theirs(db_t *db, const inv_theirs_opts *o, inv_side *out, cdrfmt_kind *format_used)
{
	return inv_load_theirs_cx(db, o, 0, NULL, out, format_used);
}

int inv_load_theirs_ex(db_t *db, const inv_theirs_opts *o, int flags, inv_side *out,
                       cdrfmt_kind *format_used)
{
	return inv_load_theirs_cx(db, o, flags, NULL, out, format_used);
}

int inv_load_theirs_cx(db_t *db, const inv_theirs_opts *o, int flags, inv_cancel *c, inv_side *out,
                       cdrfmt_kind *format_used)
{
	theirs_ctx x;
	cdrsrc src;
	cdrsrc_opts so;
	csvin_error err;
	char why[600];
	int rc;

	memset(out, 0, sizeof *out);
	memset(&x, 0, sizeof x);
	if (flags & INV_COMPACT) {
		out->compact = 1;
		recon_side_init(&out->side, 1);
	}
	memset(&so, 0, sizeof so);
	so.path = o->path;
	so.format = o->format;
	so.map = o->map;
	so.tz = o->tz;
	so.date_format = o->date_format;
	so.no_zone_hint = 1; /* the comparison finds and reports a clock offset itself */
	so.opt_prefix = "theirs-";
	if (cdrsrc_open(&src, &so, why, sizeof why) != 0)
		return db_failf(db, DB_EINPUT, "%s", why);
	*format_used = src.format;
	if (o->keep_going && !(out->rejects = calloc(INV_MAX_REJECTS, sizeof *out->rejects))) {
		cdrsrc_close(&src);
		return db_failf(db, DB_ENOMEM, "out of memory");
	}
	x.db = db;
	x.o = o;
	x.s = out;
	x.cancel = c;
	rc = pipeline_run_flags(o->path, src.csv_flags, src.fmt, on_their_item, NULL, &x, &err);
	cdrsrc_close(&src);
	free(x.legs.slot);
	if (x.cancelled)
		return db_failf(db, DB_EINPUT, "cancelled");
	if (x.oom)
		return db_failf(db, DB_ENOMEM, "%s: out of memory reading their calls", o->path);
	if (x.stop[0])
		return db_failf(db, DB_EINPUT, "%s", x.stop);
	if (rc != CSVIN_OK) /* an unterminated quote cannot be resynchronised: refused even with keep-going */
		return db_failf(db, DB_EINPUT, "%s:%lld: %s", o->path, (long long)err.line, err.msg);
	inv_trim(out);
	return DB_OK;
}
