/* cmd_watch.c: watch --exec CMD [--once] | watch --status: send the alert
 * outbox (data/alert.h) to a command, one run per transition.
 *
 * Each alert is claimed ("sending", committed) before the command runs and
 * marked sent when it exits 0; any other end (exit status, signal, timeout)
 * puts it back to pending with the error and a next try 1 s, 2 s, 4 s ...
 * (capped by --max-backoff) later, reported on stderr. Per account the
 * alerts go in order: a failing one holds back that account's later ones.
 * The daemon polls PRAGMA data_version every 200 ms, so a transition
 * committed by another process is sent within about 0.2 s. Backoff times
 * are real (wall clock) seconds; the times recorded as sent follow db_now
 * ($BILLTOP_NOW in tests). */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../core/tm.h"
#include "../data/alert.h"
#include "../data/out.h"
#include "cli.h"

#define POLL_MS 200

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

typedef struct {
	const char *cmd, *db_path;
	int timeout_s, max_backoff_s, quiet;
} watch_opts;

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	nanosleep(&ts, NULL); /* a signal ends it early: the loop checks stop_flag */
}

static void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void note(const char *fmt, ...)
{
	char when[32], msg[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	tm_format((int64_t)time(NULL), when, sizeof when);
	fprintf(stderr, "%s billtop watch: %s\n", when, cli_vis(msg));
}

static const char *describe(const alert_row *a)
{
	static char buf[512];
	snprintf(buf, sizeof buf, "alert %lld: %s %s at %s, balance %s %s, cause %s", (long long)a->id, a->account,
	         a->event, cli_time_text(a->at), cli_money(a->balance, a->decimals), a->currency, a->cause);
	return buf;
}

/* In the child: the facts as environment variables, then /bin/sh -c CMD. */
static void child_exec(const watch_opts *o, const alert_row *a)
{
	char num[32], at[32];
	setpgid(0, 0);
	signal(SIGPIPE, SIG_DFL);
	setenv("BILLTOP_ACCOUNT", a->account, 1);
	setenv("BILLTOP_EVENT", a->event, 1);
	setenv("BILLTOP_BALANCE", cli_money(a->balance, a->decimals), 1);
	setenv("BILLTOP_CURRENCY", a->currency, 1);
	tm_format_iso(a->at, at, sizeof at);
	setenv("BILLTOP_AT", at, 1);
	snprintf(num, sizeof num, "%lld", (long long)a->at);
	setenv("BILLTOP_AT_EPOCH", num, 1);
	setenv("BILLTOP_CAUSE", a->cause, 1);
	setenv("BILLTOP_CAUSE_KIND", a->cause_kind, 1);
	setenv("BILLTOP_CAUSE_ID", a->cause_ref, 1);
	if (a->has_mark)
		setenv("BILLTOP_LOW_BALANCE", cli_money(a->mark, a->decimals), 1);
	else
		unsetenv("BILLTOP_LOW_BALANCE");
	snprintf(num, sizeof num, "%lld", (long long)a->id);
	setenv("BILLTOP_ALERT_ID", num, 1);
	snprintf(num, sizeof num, "%lld", (long long)a->attempts + 1);
	setenv("BILLTOP_ATTEMPT", num, 1);
	setenv("BILLTOP_DB", o->db_path, 1);
	execl("/bin/sh", "sh", "-c", o->cmd, (char *)NULL);
	_exit(127);
}

/* Run the command for one alert; 0 when it exited 0, else -1 with the
 * reason in err. A stop request lets the command finish (within the
 * timeout): its outcome is recorded before watch exits. */
static int run_command(const watch_opts *o, const alert_row *a, char *err, size_t errlen)
{
	int64_t start = tm_mono_ms();
	int status, killed = 0;
	pid_t pid, w;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "cannot start /bin/sh: %s", strerror(errno));
		return -1;
	}
	if (pid == 0)
		child_exec(o, a);
	for (;;) {
		w = waitpid(pid, &status, WNOHANG);
		if (w == pid)
			break;
		if (w < 0 && errno != EINTR) {
			snprintf(err, errlen, "lost the command: %s", strerror(errno));
			return -1;
		}
		if (tm_mono_ms() - start > (int64_t)o->timeout_s * 1000 + (killed ? 2000 : 0)) {
			kill(-pid, killed ? SIGKILL : SIGTERM);
			kill(pid, killed ? SIGKILL : SIGTERM);
			killed++;
		}
		sleep_ms(10);
	}
	if (killed) {
		snprintf(err, errlen, "timed out after %d s (killed)", o->timeout_s);
		return -1;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFEXITED(status))
		snprintf(err, errlen, "exit status %d", WEXITSTATUS(status));
	else
		snprintf(err, errlen, "killed by signal %d", WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	return -1;
}

/* Send one alert. Returns 1 sent, 0 failed (recorded for a retry), -1 a
 * store error (message printed). */
static int send_one(db_t *db, const watch_opts *o, const alert_row *a)
{
	char err[200];
	int st = alert_set_sending(db, a->id);
	if (st == DB_EEXISTS)
		return 0;
	if (st != DB_OK) {
		note("%s", db_errmsg(db));
		return -1;
	}
	if (run_command(o, a, err, sizeof err) == 0) {
		/* A busy store (a long import holds the write lock) must not
		 * leave the alert "sending": try for a minute. */
		for (int k = 0; (st = alert_set_sent(db, a->id, db_now())) != DB_OK && k < 60 && !stop_flag; k++)
			sleep_ms(1000);
		if (st != DB_OK) {
			note("%s: sent, but recording it failed (it will be sent again): %s", describe(a), db_errmsg(db));
			return -1;
		}
		if (!o->quiet)
			note("sent %s", describe(a));
		return 1;
	} else {
		int64_t attempt = a->attempts + 1;
		int64_t delay = attempt >= 20 ? o->max_backoff_s : (int64_t)1 << (attempt - 1);
		if (delay > o->max_backoff_s)
			delay = o->max_backoff_s;
		for (int k = 0; (st = alert_set_failed(db, a->id, (int64_t)time(NULL) + delay, err)) != DB_OK && k < 60
		                && !stop_flag; k++)
			sleep_ms(1000);
		if (st != DB_OK) {
			note("%s: recording the failure failed: %s", describe(a), db_errmsg(db));
			return -1;
		}
		note("FAILED %s: %s (attempt %lld); next try in %lld s", describe(a), err, (long long)attempt,
		     (long long)delay);
		return 0;
	}
}

/* One pass over the due alerts. *sent and *failed count; accounts listed
 * in skip (once mode: an account whose alert failed in this run) are left
 * alone. Returns the number of attempts, or -1 on a store error. */
static int pass(db_t *db, const watch_opts *o, int once, int64_t **skip, size_t *nskip, int64_t *sent,
                int64_t *failed)
{
	alert_row *rows;
	size_t n;
	int tried = 0;
	if (alert_due(db, (int64_t)time(NULL), once, db_now(), &rows, &n) != DB_OK) {
		note("%s", db_errmsg(db));
		return -1;
	}
	for (size_t i = 0; i < n && !stop_flag; i++) {
		int r, skipped = 0;
		for (size_t k = 0; k < *nskip; k++)
			skipped |= (*skip)[k] == rows[i].account_id;
		if (skipped)
			continue;
		tried++;
		if ((r = send_one(db, o, &rows[i])) < 0) {
			free(rows);
			return -1;
		}
		if (r) {
			(*sent)++;
		} else {
			int64_t *ns = realloc(*skip, (*nskip + 1) * sizeof *ns);
			(*failed)++;
			if (ns) {
				*skip = ns;
				(*skip)[(*nskip)++] = rows[i].account_id;
			}
		}
	}
	free(rows);
	return tried;
}

static int watch_run(db_t *db, const watch_opts *o, int once)
{
	int64_t recovered, sent = 0, failed = 0, dv = 0, dv_now, due;
	int64_t *skip = NULL;
	size_t nskip = 0;
	int rc = 0;
	if (alert_recover(db, &recovered) != DB_OK) {
		note("%s", db_errmsg(db));
		return 1;
	}
	if (recovered)
		note("%lld alert(s) were being sent when a watcher stopped: they may have been sent already and are "
		     "sent again (at least once)", (long long)recovered);
	if (!once && !o->quiet)
		note("watching %s for alerts (SIGINT or SIGTERM stops)", o->db_path);
	alert_data_version(db, &dv);
	while (!stop_flag) {
		int tried = pass(db, o, once, &skip, &nskip, &sent, &failed);
		if (tried < 0) {
			if (once) {
				rc = 1;
				break;
			}
			sleep_ms(1000); /* a busy or failing store: try again */
			continue;
		}
		if (once) {
			if (tried == 0)
				break;
			continue;
		}
		/* Once mode skips failing accounts for the run; the daemon
		 * retries them by their next_try, so it forgets them here. */
		nskip = 0;
		if (tried > 0)
			continue;
		/* Idle: until another process commits, a retry is due, or a
		 * second passed (a transition dated later becomes due by the
		 * clock alone: one cheap query a second finds it). */
		if (alert_next_due(db, &due) != DB_OK)
			due = INT64_MAX;
		for (int polls = 0; !stop_flag && polls < 1000 / POLL_MS; polls++) {
			if (alert_data_version(db, &dv_now) == DB_OK && dv_now != dv) {
				dv = dv_now;
				break;
			}
			if (due != INT64_MAX && due <= (int64_t)time(NULL))
				break;
			sleep_ms(POLL_MS);
		}
	}
	free(skip);
	if (once) {
		alert_counts c;
		if (alert_count(db, &c) == DB_OK && (failed || c.pending || !o->quiet))
			note("%lld sent, %lld failed in this run; %lld pending (%lld failing)", (long long)sent,
			     (long long)failed, (long long)c.pending, (long long)c.failing);
		return rc ? rc : failed ? 1 : 0;
	}
	if (!o->quiet)
		note("stopped: %lld sent, %lld failed attempts", (long long)sent, (long long)failed);
	return rc;
}

static int print_row(const alert_row *a, void *ctx)
{
	(void)ctx;
	printf("%6lld  %-20s %-11s %-19s %14s  %-9s %3lld  %s%s%s\n", (long long)a->id, cli_vis(a->account), a->event,
	       cli_time_text(a->at), cli_money(a->balance, a->decimals), a->status, (long long)a->attempts,
	       cli_vis(a->cause), a->last_error[0] ? ": " : "", cli_vis(a->last_error));
	return 0;
}

static int json_row(const alert_row *a, void *ctx)
{
	out_json *j = ctx;
	out_json_obj(j, NULL);
	out_json_int(j, "id", a->id);
	out_json_str(j, "account", a->account);
	out_json_str(j, "event", a->event);
	out_json_time(j, "at", a->at);
	out_json_money(j, "balance", a->balance, a->decimals);
	out_json_str(j, "currency", a->currency);
	out_json_str(j, "cause_kind", a->cause_kind);
	out_json_str(j, "cause_id", a->cause_ref);
	out_json_str(j, "cause", a->cause);
	out_json_str(j, "status", a->status);
	out_json_int(j, "attempts", a->attempts);
	out_json_str(j, "last_error", a->last_error[0] ? a->last_error : NULL);
	if (a->sent_at)
		out_json_time(j, "sent_at", a->sent_at);
	else
		out_json_null(j, "sent_at");
	out_json_end(j);
	return 0;
}

static int watch_status(db_t *db, int all, int json)
{
	alert_counts c;
	if (alert_count(db, &c) != DB_OK)
		return cli_error("%s", db_errmsg(db));
	if (json) {
		out_json j;
		int st;
		out_json_init(&j, stdout, 1);
		out_json_obj(&j, NULL);
		out_json_obj(&j, "counts");
		out_json_int(&j, "sent", c.sent);
		out_json_int(&j, "pending", c.pending);
		out_json_int(&j, "failing", c.failing);
		out_json_int(&j, "sending", c.sending);
		out_json_int(&j, "withdrawn", c.withdrawn);
		out_json_int(&j, "skipped", c.skipped);
		out_json_end(&j);
		out_json_arr(&j, "alerts");
		st = alert_each(db, !all, json_row, &j);
		out_json_end(&j);
		out_json_end(&j);
		out_json_done(&j);
		return st == DB_OK ? 0 : cli_error("%s", db_errmsg(db));
	}
	printf("alerts: %lld sent, %lld pending (%lld failing), %lld sending, %lld withdrawn, %lld skipped\n",
	       (long long)c.sent, (long long)c.pending, (long long)c.failing, (long long)c.sending,
	       (long long)c.withdrawn, (long long)c.skipped);
	printf("%6s  %-20s %-11s %-19s %14s  %-9s %3s  %s\n", "ID", "ACCOUNT", "EVENT", "AT", "BALANCE", "STATUS",
	       "TRY", "CAUSE: LAST ERROR");
	if (alert_each(db, !all, print_row, NULL) != DB_OK)
		return cli_error("%s", db_errmsg(db));
	return 0;
}

/* A whole number option from lo to hi, def when absent, -1 after an error. */
static int int_opt(const char *name, const char *text, int def, int lo, int hi)
{
	char *end;
	long v;
	if (!text)
		return def;
	v = strtol(text, &end, 10);
	if (*end || end == text || v < lo || v > hi) {
		cli_usage_error("watch", "%s wants a whole number from %d to %d", name, lo, hi);
		return -1;
	}
	return (int)v;
}

const cli_command cmd_watch_entry = {
	.name = "watch",
	.usage = "watch --exec CMD [--once] [--timeout 30] [--max-backoff 300] [--quiet]\n"
	         "       billtop watch --status [--all] [--format text|json]",
	.summary = "run CMD once per account transition: low balance, suspended, restored",
	.help = "Every transition of an account (its low-balance mark crossed downward,\n"
	        "suspended, restored) is an alert, recorded with the record that caused it\n"
	        "when that record is committed, so none is missed while watch is down.\n"
	        "watch runs /bin/sh -c CMD once per alert, oldest first, with BILLTOP_ACCOUNT,\n"
	        "BILLTOP_EVENT (low_balance|suspended|restored), BILLTOP_BALANCE,\n"
	        "BILLTOP_CURRENCY, BILLTOP_AT (ISO 8601 UTC), BILLTOP_AT_EPOCH, BILLTOP_CAUSE,\n"
	        "BILLTOP_CAUSE_KIND (ledger|cdr|mdr), BILLTOP_CAUSE_ID (entry number or record\n"
	        "id), BILLTOP_LOW_BALANCE, BILLTOP_ALERT_ID, BILLTOP_ATTEMPT and BILLTOP_DB.\n"
	        "Exit 0 marks it sent; anything else (or --timeout) is reported on stderr and\n"
	        "retried after 1, 2, 4 ... s up to --max-backoff; an account's later alerts\n"
	        "wait for its earlier one. It notices a commit within 0.2 s. At least once: a\n"
	        "watch killed while CMD runs sends that alert again. --once sends what is\n"
	        "pending (failed ones once each) and exits 1 if any failed (for cron).\n"
	        "--status lists the alerts not yet sent (--all: every alert).",
	.fn = cmd_watch,
};

int cmd_watch(const cli_global *g, int argc, char **argv)
{
	const char *exec = NULL, *timeout = NULL, *backoff = NULL, *format = NULL;
	int once = 0, status = 0, all = 0, quiet = 0, npos, rc;
	cli_opt opts[] = { { "--exec", 1, &exec, NULL }, { "--once", 0, NULL, &once },
	                   { "--status", 0, NULL, &status }, { "--all", 0, NULL, &all },
	                   { "--timeout", 1, &timeout, NULL }, { "--max-backoff", 1, &backoff, NULL },
	                   { "--quiet", 0, NULL, &quiet }, { "--format", 1, &format, NULL },
	                   { NULL, 0, NULL, NULL } };
	int fmt;
	struct sigaction sa;
	watch_opts o;
	db_t *db;
	if (cli_parse("watch", argc, argv, opts, NULL, 0, &npos) < 0)
		return 2;
	if (status ? (exec || once) : !exec)
		return cli_usage_error("watch", "say `watch --exec CMD [--once]` or `watch --status [--all]`");
	if (exec && !*exec)
		return cli_usage_error("watch", "--exec needs a command");
	if ((fmt = cli_format("watch", format, 0)) < 0)
		return 2;
	if (format && !status)
		return cli_usage_error("watch", "--format goes with --status");
	memset(&o, 0, sizeof o);
	o.cmd = exec;
	o.db_path = db_default_path(g->db_path);
	o.quiet = quiet;
	if ((o.timeout_s = int_opt("--timeout", timeout, 30, 1, 86400)) < 0
	    || (o.max_backoff_s = int_opt("--max-backoff", backoff, 300, 1, 86400)) < 0)
		return 2;
	if (!(db = cli_open(g, 0, !status)))
		return 1;
	if (status) {
		rc = watch_status(db, all, fmt == FMT_JSON);
		db_close(db);
		return rc;
	}
	/* SIGINT / SIGTERM: let the running command end, record it, exit 0.
	 * No SA_RESTART: the idle sleep ends at once. */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	rc = watch_run(db, &o, once);
	db_close(db);
	return rc;
}
