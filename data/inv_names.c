/* inv_names.c: the calls a report shows, named as each side's file names
 * them (inv_names_load, investigate.h): ours from the store, theirs from
 * their file read again. The engine compares normalised numbers and ids
 * without their source; a letter to the carrier must quote the records. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cdrsrc.h"
#include "inv_int.h"
#include "pipeline.h"

typedef struct {
	int idx;
	int64_t key;               /* ours: cdr row id; theirs: file line */
	inv_name n;
} name_ent;

struct inv_names {
	name_ent *e[2];
	size_t n[2], cap[2];
};

static void names_free(struct inv_names *m)
{
	if (!m)
		return;
	for (int s = 0; s < 2; s++) {
		for (size_t i = 0; i < m->n[s]; i++) {
			free((char *)m->e[s][i].n.id);
			free((char *)m->e[s][i].n.src);
			free((char *)m->e[s][i].n.dst);
		}
		free(m->e[s]);
	}
	free(m);
}

void inv_names_free(inv_case *c)
{
	names_free(c->names);
	c->names = NULL;
}

static int want(struct inv_names *m, int side, int idx)
{
	if (m->n[side] == m->cap[side]) {
		size_t nc = m->cap[side] ? m->cap[side] * 2 : 64;
		name_ent *ne = realloc(m->e[side], nc * sizeof *ne);
		if (!ne)
			return -1;
		m->e[side] = ne;
		m->cap[side] = nc;
	}
	memset(&m->e[side][m->n[side]], 0, sizeof m->e[side][0]);
	m->e[side][m->n[side]++].idx = idx;
	return 0;
}

static int by_idx(const void *x, const void *y)
{
	const name_ent *a = x, *b = y;
	return (a->idx > b->idx) - (a->idx < b->idx);
}

static int by_key(const void *x, const void *y)
{
	const name_ent *a = x, *b = y;
	return (a->key > b->key) - (a->key < b->key);
}

static void uniq(struct inv_names *m, int side)
{
	size_t k = 0;
	qsort(m->e[side], m->n[side], sizeof *m->e[side], by_idx);
	for (size_t i = 0; i < m->n[side]; i++)
		if (!k || m->e[side][k - 1].idx != m->e[side][i].idx)
			m->e[side][k++] = m->e[side][i];
	m->n[side] = k;
}

const inv_name *inv_name_of(const inv_case *c, int side, int idx)
{
	const struct inv_names *m = c->names;
	size_t lo = 0, hi;
	if (!m || side < 0 || side > 1)
		return NULL;
	hi = m->n[side];
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (m->e[side][mid].idx < idx)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < m->n[side] && m->e[side][lo].idx == idx && m->e[side][lo].n.id)
		return &m->e[side][lo].n;
	return NULL;
}

static char *dup_n(const char *s, size_t n)
{
	char *d = malloc(n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

static int set_name(name_ent *e, const char *id, size_t idlen, const char *src, const char *dst)
{
	e->n.id = dup_n(id, idlen);
	e->n.src = dup_n(src ? src : "", src ? strlen(src) : 0);
	e->n.dst = dup_n(dst ? dst : "", dst ? strlen(dst) : 0);
	return e->n.id && e->n.src && e->n.dst ? 0 : -1;
}

typedef struct {
	name_ent *e;               /* sorted by line */
	size_t n, next;
	int oom;
} theirs_scan;

static int on_item(const pipe_item *it, void *vctx)
{
	theirs_scan *x = vctx;
	if (x->next >= x->n)
		return 1; /* every line wanted is read: stop */
	if (it->kind != PIPE_RECORD)
		return 0;
	while (x->next < x->n && x->e[x->next].key < it->line)
		x->next++;
	while (x->next < x->n && x->e[x->next].key == it->line) {
		const cdr_rec *r = &it->rec;
		if (set_name(&x->e[x->next], r->record_id, cdrfmt_call_id_len(r->record_id), r->src, r->dst) < 0) {
			x->oom = 1;
			return 1;
		}
		x->next++;
	}
	return x->next >= x->n;
}

static void add_finding_calls(struct inv_names *m, const inv_case *c, int *bad)
{
	const recon_result *r = &c->res;
	for (int i = 0; i < c->findings.n; i++) {
		const inv_finding *f = &c->findings.f[i];
		for (size_t k = 0; k < f->nlist_ours; k++)
			*bad |= want(m, RECON_THEIRS, f->missing_ours[k]);
		for (size_t k = 0; k < f->nlist_theirs; k++)
			*bad |= want(m, RECON_OURS, f->missing_theirs[k]);
		if (f->has_single) {
			*bad |= want(m, RECON_OURS, f->single.ours);
			*bad |= want(m, RECON_THEIRS, f->single.theirs);
		}
	}
	for (size_t k = 0; k < r->nmissing_ours; k++)
		*bad |= want(m, RECON_THEIRS, r->missing_ours[k]);
	for (size_t k = 0; k < r->nmissing_theirs; k++)
		*bad |= want(m, RECON_OURS, r->missing_theirs[k]);
	if (r->has_single) {
		*bad |= want(m, RECON_OURS, r->single.ours);
		*bad |= want(m, RECON_THEIRS, r->single.theirs);
	}
}

int inv_names_load(db_t *db, inv_case *c)
{
	struct inv_names *m = calloc(1, sizeof *m);
	db_stmt *q = NULL;
	int bad = 0;

	inv_names_free(c);
	if (!m)
		return db_failf(db, DB_ENOMEM, "out of memory");
	add_finding_calls(m, c, &bad);
	if (bad) {
		names_free(m);
		return db_failf(db, DB_ENOMEM, "out of memory");
	}
	uniq(m, 0);
	uniq(m, 1);
	/* ours: the stored record (record id with its source, numbers as imported) */
	if (m->n[0] && db_prepare(db, "SELECT record_id, src, dst FROM cdr WHERE id = ?1", &q) == DB_OK) {
		for (size_t i = 0; i < m->n[0]; i++) {
			recon_call k;
			recon_callbuf kb;
			name_ent *e = &m->e[0][i];
			const char *id;
			inv_side_call(&c->ours, (size_t)e->idx, &k, &kb);
			db_bind_int64(q, 1, k.ref);
			if (db_step(q) == DB_ROW && (id = (const char *)db_column_text(q, 0)) &&
			    set_name(e, id, cdrfmt_call_id_len(id), (const char *)db_column_text(q, 1),
			             (const char *)db_column_text(q, 2)) < 0)
				bad = 1;
			db_reset(q);
		}
		db_finalize(q);
	}
	/* theirs: their file again, the lines wanted only */
	if (m->n[1] && !bad) {
		cdrsrc src;
		cdrsrc_opts so;
		csvin_error err;
		theirs_scan x;
		char why[600];
		for (size_t i = 0; i < m->n[1]; i++) {
			recon_call k;
			recon_callbuf kb;
			inv_side_call(&c->theirs, (size_t)m->e[1][i].idx, &k, &kb);
			m->e[1][i].key = k.ref;
		}
		qsort(m->e[1], m->n[1], sizeof *m->e[1], by_key);
		memset(&so, 0, sizeof so);
		so.path = c->their_path;
		so.format = (cdrfmt_kind)c->their_kind;
		so.map = c->their_map[0] ? c->their_map : NULL;
		so.tz = c->their_tz[0] ? c->their_tz : NULL;
		so.date_format = c->their_datefmt[0] ? c->their_datefmt : NULL;
		so.no_zone_hint = 1;
		so.opt_prefix = "theirs-";
		memset(&x, 0, sizeof x);
		x.e = m->e[1];
		x.n = m->n[1];
		if (cdrsrc_open(&src, &so, why, sizeof why) == 0) {
			(void)pipeline_run_flags(c->their_path, src.csv_flags, src.fmt, on_item, NULL, &x, &err);
			cdrsrc_close(&src);
		}
		bad |= x.oom;
		qsort(m->e[1], m->n[1], sizeof *m->e[1], by_idx);
	}
	if (bad) {
		names_free(m);
		return db_failf(db, DB_ENOMEM, "out of memory");
	}
	c->names = m;
	return DB_OK;
}
