/* inv_session.c: re-running an open investigation, hour totals and the
 * stored case as `billtop case` prints it (see inv_session.h). */
#include "inv_session.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../core/tm.h"
#include "inv_report.h"
#include "out.h"

int inv_rerun(db_t *db, inv_case *c, const recon_opts *ro)
{
	recon_result nr;
	cdrq_explain ex;
	int has_ex = 0, st;
	double t = tm_mono_s();

	if (c->ours.compact && c->theirs.compact)
		st = recon_run_sides(&c->ours.side, &c->theirs.side, ro, &nr);
	else
		st = recon_run(c->ours.calls, c->ours.n, c->theirs.calls, c->theirs.n, ro, &nr);
	if (st == RECON_EEMPTY)
		return db_failf(db, DB_EINPUT, "no calls on either side");
	if (st != RECON_OK)
		return db_failf(db, DB_ENOMEM, "out of memory reconciling");
	memset(&ex, 0, sizeof ex);
	if (nr.has_single) {
		char ref[32];
		recon_call k;
		recon_callbuf kb;
		inv_side_call(&c->ours, (size_t)nr.single.ours, &k, &kb);
		snprintf(ref, sizeof ref, "#%lld", (long long)k.ref);
		if ((st = cdrq_explain_call(db, ref, &ex)) != DB_OK) {
			recon_free(&nr);
			return st;
		}
		has_ex = 1;
	}
	if (c->have_result)
		recon_free(&c->res);
	c->res = nr;
	c->have_result = 1;
	c->explain = ex;
	c->has_explain = has_ex;
	c->secs_recon = tm_mono_s() - t;
	/* the result is replaced: its findings and names follow it */
	if ((st = inv_conclude_result(db, c)) != DB_OK)
		return st;
	return inv_names_load(db, c);
}

static void add(recon_bucket *b, int side, const recon_call *k)
{
	b->calls[side]++;
	b->connected[side] += k->connected != 0;
	b->billsec_ms[side] += k->billsec_ms;
	if (k->has_cost)
		b->cost[side] += k->cost;
}

void inv_hour_totals(const inv_case *c, int64_t day, recon_bucket hours[24])
{
	memset(hours, 0, 24 * sizeof *hours);
	for (int k = 0; k < 24; k++)
		hours[k].start = day + 3600 * k;
	for (int side = 0; side < 2; side++) {
		const inv_side *s = side ? &c->theirs : &c->ours;
		for (size_t i = 0; i < s->n; i++) {
			recon_call k;
			recon_callbuf kb;
			const recon_call *kp = &k;
			if (s->calls)
				kp = &s->calls[i];
			else
				inv_side_call(s, i, &k, &kb); /* the compact form */
			if (kp->start >= day && kp->start < day + 86400)
				add(&hours[(kp->start - day) / 3600], side, kp);
		}
	}
}

void inv_case_state_write(FILE *f, const inv_case_row *r)
{
	char when[32], line[600];
	const char *p = r->notes;
	fprintf(f, "case %lld: %s", (long long)r->id, r->status);
	if (r->closed != TM_NONE) {
		tm_format(r->closed, when, sizeof when);
		fprintf(f, " on %s UTC by %s", when, r->closed_by);
	}
	fprintf(f, "\n");
	tm_format(r->created, when, sizeof when);
	fprintf(f, "account %s; opened %s UTC by %s; their file %s\n", r->account, when, r->operator_, r->their_path);
	if (r->versions > 1)
		fprintf(f, "verdict: %s, the engineer's conclusion (version %d; version 1, the engine's: %s)\n",
		        r->concluded, r->versions, r->verdict);
	else
		fprintf(f, "verdict: %s (the engine's; no conclusion yet)\n", r->verdict);
	if (*p)
		fprintf(f, "notes:\n");
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char raw[600];
		size_t k = n < sizeof raw ? n : sizeof raw - 1;
		memcpy(raw, p, k);
		raw[k] = '\0';
		out_visible(raw, line, sizeof line, 0);
		fprintf(f, "  %s\n", line);
		p += n + (nl != NULL);
	}
	fprintf(f, "\n");
}

int inv_case_print(db_t *db, int64_t id, int kind, char **out, size_t *len)
{
	return inv_case_print_v(db, id, 0, kind, out, len);
}

int inv_case_print_v(db_t *db, int64_t id, int version, int kind, char **out, size_t *len)
{
	*out = NULL;
	*len = 0;
	return inv_case_report_v(db, id, version, kind, out, len);
}
