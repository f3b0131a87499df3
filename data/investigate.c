/* investigate.c: running the engine on both sides of a dispute and keeping
 * the case (see investigate.h for what is compared; the sides are loaded by
 * inv_ours.c and inv_theirs.c). */
#include "investigate.h"

#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../core/tm.h"
#include "inv_int.h"

/* ---- running and keeping a case --------------------------------------------- */

/* Our side read on another thread while the caller reads theirs: its own
 * copy of the handle for error messages (the connection is not used by
 * the caller meanwhile). */
typedef struct {
	db_t *dbc;                 /* db_share of the caller's handle */
	const account_info *a;
	int64_t from, to;
	int flags, st;
	inv_side *out;
	inv_cancel *cancel;
	atomic_int done;
	double secs;
} ours_job;

static void *ours_job_run(void *arg)
{
	ours_job *j = arg;
	double t = tm_mono_s();
	j->st = inv_load_ours_cx(j->dbc, j->a, j->from, j->to, j->flags, j->cancel, 0, j->out);
	j->secs = tm_mono_s() - t;
	atomic_store_explicit(&j->done, 1, memory_order_release);
	return NULL;
}

int inv_run(db_t *db, const inv_request *rq, inv_case *c)
{
	inv_theirs_opts to = rq->theirs;
	cdrfmt_kind used;
	char abs[PATH_MAX];
	double t;
	int st, flags = 0, threaded = 0;
	ours_job job = { 0 };
	pthread_t th;
	inv_cancel cancel;

	memset(c, 0, sizeof *c);
	memset(&cancel, 0, sizeof cancel);
	cancel.poll = rq->poll;
	cancel.ctx = rq->poll_ctx;
	c->account = *rq->account;
	c->created = db_now();
	snprintf(c->operator_, sizeof c->operator_, "%s", db_operator());
	snprintf(c->ssh_client, sizeof c->ssh_client, "%s", db_ssh_client());
	snprintf(c->their_path, sizeof c->their_path, "%s", realpath(to.path, abs) ? abs : to.path);
	snprintf(c->options, sizeof c->options, "%s", rq->options ? rq->options : "");
	snprintf(c->their_map, sizeof c->their_map, "%s", to.map ? to.map : "");
	snprintf(c->their_tz, sizeof c->their_tz, "%s", to.tz ? to.tz : "");
	snprintf(c->their_datefmt, sizeof c->their_datefmt, "%s", to.date_format ? to.date_format : "");
	c->version = 1;
	if (rq->compact)
		flags = INV_COMPACT | (rq->ro.match_ids ? INV_KEEP_IDS : 0);
	to.from = rq->has_period ? rq->from : INT64_MIN;
	to.to = rq->has_period ? rq->to : INT64_MAX;
	if (rq->has_period) {
		/* both sides at once: ours on other threads, theirs here */
		c->from = rq->from;
		c->to = rq->to;
		memset(&job, 0, sizeof job);
		job.dbc = db_share(db);
		job.a = &c->account;
		job.from = c->from;
		job.to = c->to;
		job.flags = flags;
		job.out = &c->ours;
		job.cancel = &cancel;
		threaded = job.dbc && pthread_create(&th, NULL, ours_job_run, &job) == 0;
	}
	t = tm_mono_s();
	st = inv_load_theirs_cx(db, &to, flags, &cancel, &c->theirs, &used);
	c->secs_theirs = tm_mono_s() - t;
	if (threaded) {
		if (st != DB_OK) /* their file failed: our side is not needed any more */
			atomic_store_explicit(&cancel.flag, 1, memory_order_relaxed);
		inv_join(th, &job.done, &cancel, 1);
		c->secs_ours = job.secs;
		if (c->ours.ids)
			c->ours.ids->db = db;
		if (st == DB_OK && job.st != DB_OK)
			st = db_failf(db, job.st, "%s", db_errmsg(job.dbc));
	}
	db_close(job.dbc);
	if (st != DB_OK) {
		c->cancelled = cancel.by_poll;
		return st;
	}
	snprintf(c->their_format, sizeof c->their_format, "%s", cdrfmt_name(used));
	c->their_kind = (int)used;
	if (!rq->has_period) {
		/* The UTC days their file covers. */
		int64_t lo = INT64_MAX, hi = INT64_MIN;
		if (!c->theirs.n)
			return db_failf(db, DB_EINPUT, "%s: no calls in their file: give the period (--from, --to)",
			                to.path);
		for (size_t i = 0; i < c->theirs.n; i++) {
			int64_t s0 = c->theirs.compact ? recon_side_start(&c->theirs.side, i) : c->theirs.calls[i].start;
			if (s0 < lo)
				lo = s0;
			if (s0 > hi)
				hi = s0;
		}
		c->from = tm_floor_day(lo);
		c->to = tm_floor_day(hi) + 86400;
	}
	if (!threaded) {
		t = tm_mono_s();
		if ((st = inv_load_ours_cx(db, &c->account, c->from, c->to, flags, &cancel, 1, &c->ours)) != DB_OK) {
			c->cancelled = cancel.by_poll;
			return st;
		}
		c->secs_ours = tm_mono_s() - t;
	}
	t = tm_mono_s();
	if (rq->compact)
		st = recon_run_sides(&c->ours.side, &c->theirs.side, &rq->ro, &c->res);
	else
		st = recon_run(c->ours.calls, c->ours.n, c->theirs.calls, c->theirs.n, &rq->ro, &c->res);
	c->secs_recon = tm_mono_s() - t;
	if (st == RECON_EEMPTY) {
		char a[32], b[32];
		tm_format(c->from, a, sizeof a);
		tm_format(c->to, b, sizeof b);
		return db_failf(db, DB_EINPUT, "no calls on either side from %s to %s UTC", a, b);
	}
	if (st != RECON_OK)
		return db_failf(db, DB_ENOMEM, "out of memory reconciling");
	c->have_result = 1;
	if (c->res.has_single) {
		char ref[32];
		size_t i = (size_t)c->res.single.ours;
		snprintf(ref, sizeof ref, "#%lld",
		         (long long)(c->ours.compact ? recon_side_ref(&c->ours.side, i) : c->ours.calls[i].ref));
		if ((st = cdrq_explain_call(db, ref, &c->explain)) != DB_OK)
			return st;
		c->has_explain = 1;
	}
	if ((st = inv_conclude_result(db, c)) != DB_OK)
		return st;
	return inv_names_load(db, c);
}

void inv_case_free(inv_case *c)
{
	if (!c)
		return;
	if (c->have_result)
		recon_free(&c->res);
	inv_findings_free(&c->findings);
	inv_names_free(c);
	inv_side_free(&c->ours);
	inv_side_free(&c->theirs);
	c->have_result = 0;
}
