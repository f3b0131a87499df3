/* inv_setup.c: the questions `i` asks before an investigation runs, one
 * bottom-line prompt each (tui_prompt): their file, its format, --map,
 * --tz, the period, the tolerances (shown with their defaults, editable)
 * and the flags. Every answer is read by the same code as `billtop
 * investigate`'s options (cdrfmt_parse_name, tz_open, tm_parse_utc,
 * inv_tolerance_parse), and the options string kept with the case is built
 * as the command builds it (inv_options_add, same order), so a case opened
 * here reads like one opened from the shell.
 *
 * A bad answer is said in the next prompt's label and asked again with the
 * text kept; Esc at any prompt cancels the whole investigation. The answers
 * of the last investigation are offered again (one engineer per console). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/tm.h"
#include "../data/inv_opts.h"
#include "../data/tz.h"
#include "inv_ui.h"

static inv_setup last;         /* the previous answers, offered again */
static int have_last;

/* Ask `q`; while check() says why the answer is bad, ask again showing why.
 * Returns 1 with the answer in buf, 0 on Esc. */
static int ask(tui *t, const char *q, const char *initial, char *buf, size_t n,
               int (*check)(const char *answer, void *ctx, char *why, size_t wn), void *ctx)
{
	char why[300] = "", label[512], init[PATH_MAX];
	snprintf(init, sizeof init, "%s", initial ? initial : "");
	for (;;) {
		if (why[0])
			snprintf(label, sizeof label, "%.300s; %s", why, q);
		else
			snprintf(label, sizeof label, "%s", q);
		if (!tui_prompt(t, label, init, buf, n))
			return 0;
		why[0] = '\0';
		if (!check || check(buf, ctx, why, sizeof why) == 0)
			return 1;
		snprintf(init, sizeof init, "%s", buf);
	}
}

static void trim(char *s)
{
	size_t n = strlen(s), k = 0;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	while (s[k] == ' ' || s[k] == '\t')
		k++;
	memmove(s, s + k, n - k + 1);
}

static int check_path(const char *a, void *ctx, char *why, size_t n)
{
	inv_setup *s = ctx;
	struct stat sb;
	char p[PATH_MAX];
	snprintf(p, sizeof p, "%s", a);
	trim(p);
	if (p[0] == '~' && (p[1] == '/' || !p[1]) && getenv("HOME")) {
		char home[PATH_MAX];
		snprintf(home, sizeof home, "%s", getenv("HOME"));
		if (strlen(home) + strlen(p) < sizeof p) {
			memmove(p + strlen(home), p + 1, strlen(p)); /* drops the ~, keeps the NUL */
			memcpy(p, home, strlen(home));
		}
	}
	if (!p[0])
		return snprintf(why, n, "a path is needed"), -1;
	if (stat(p, &sb) != 0)
		return snprintf(why, n, "%.200s: %s", p, strerror(errno)), -1;
	if (S_ISDIR(sb.st_mode))
		return snprintf(why, n, "%.200s is a directory", p), -1;
	if (access(p, R_OK) != 0)
		return snprintf(why, n, "%.200s: %s", p, strerror(errno)), -1;
	snprintf(s->path, sizeof s->path, "%s", p);
	return 0;
}

static int check_format(const char *a, void *ctx, char *why, size_t n)
{
	inv_setup *s = ctx;
	char f[64];
	snprintf(f, sizeof f, "%s", a);
	trim(f);
	if (!f[0])
		snprintf(f, sizeof f, "auto");
	if (cdrfmt_parse_name(f, &s->format) < 0)
		return snprintf(why, n, "unknown format \"%.40s\"", f), -1;
	snprintf(s->format_text, sizeof s->format_text, "%.23s", f); /* names are shorter */
	return 0;
}

static int check_tz(const char *a, void *ctx, char *why, size_t n)
{
	inv_setup *s = ctx;
	char z[128], w[200];
	tz_zone *zone;
	snprintf(z, sizeof z, "%s", a);
	trim(z);
	if (z[0] && !(zone = tz_open(z, w, sizeof w)))
		return snprintf(why, n, "--tz %.60s: %.200s", z, w), -1;
	if (z[0])
		tz_close(zone);
	snprintf(s->tz, sizeof s->tz, "%s", z);
	return 0;
}

static int parse_time(const char *a, int64_t *out, char *text, size_t tn, char *why, size_t n)
{
	char x[40];
	int st;
	snprintf(x, sizeof x, "%s", a);
	trim(x);
	snprintf(text, tn, "%s", x);
	if (!x[0])
		return 0;
	if ((st = tm_parse_utc(x, strlen(x), out)) != TM_OK)
		return snprintf(why, n, "\"%.40s\": %s (YYYY-MM-DD[ HH:MM[:SS]])", x, tm_strerror(st)), -1;
	return 0;
}

static int check_from(const char *a, void *ctx, char *why, size_t n)
{
	inv_setup *s = ctx;
	return parse_time(a, &s->from, s->from_text, sizeof s->from_text, why, n);
}

static int check_to(const char *a, void *ctx, char *why, size_t n)
{
	inv_setup *s = ctx;
	if (parse_time(a, &s->to, s->to_text, sizeof s->to_text, why, n) != 0)
		return -1;
	if (!s->to_text[0])
		return snprintf(why, n, "the end of the period is needed"), -1;
	if (s->to <= s->from)
		return snprintf(why, n, "the end must be after %.30s", s->from_text), -1;
	return 0;
}

static int check_tolerance(const char *a, void *ctx, char *why, size_t n)
{
	inv_setup *s = ctx;
	recon_opts o;
	char w[300];
	recon_default_opts(&o);
	if (inv_tolerance_parse(a, &o, w, sizeof w) != 0)
		return snprintf(why, n, "%.280s", w), -1;
	s->ro = o;
	snprintf(s->tolerance, sizeof s->tolerance, "%s", a);
	trim(s->tolerance);
	return 0;
}

static int check_flags(const char *a, void *ctx, char *why, size_t n)
{
	inv_setup *s = ctx;
	char buf[256], *w, *save = NULL;
	int ids = 0, keep = 0;
	snprintf(buf, sizeof buf, "%s", a);
	for (w = strtok_r(buf, " ,", &save); w; w = strtok_r(NULL, " ,", &save)) {
		while (*w == '-')
			w++;
		if (!strcmp(w, "match-ids"))
			ids = 1;
		else if (!strcmp(w, "keep-going"))
			keep = 1;
		else
			return snprintf(why, n, "unknown flag \"%.40s\" (match-ids, keep-going)", w), -1;
	}
	s->match_ids = ids;
	s->keep_going = keep;
	return 0;
}

int inv_setup_prompt(tui *t, inv_setup *s)
{
	char buf[PATH_MAX], dflt_tol[160];
	recon_opts dflt;

	if (have_last)
		*s = last;
	else
		memset(s, 0, sizeof *s);
	recon_default_opts(&dflt);
	inv_tolerance_format(&dflt, dflt_tol, sizeof dflt_tol);
	/* the clock offsets searched are not a "roughly match" tolerance: left
	 * out of the text offered (room at 80 columns), still accepted */
	if (strstr(dflt_tol, ",max-offset="))
		*strstr(dflt_tol, ",max-offset=") = '\0';
	if (!ask(t, "their CDR file:", s->path, buf, sizeof buf, check_path, s)
	    || !ask(t, "format (auto asterisk asterisk-custom freeswitch flowroute generic asterisk-db grandstream):",
	            s->format_text[0] ? s->format_text : "auto", buf, sizeof buf, check_format, s)
	    || !ask(t, "--map field=Column,... (Enter: none):", s->map, s->map, sizeof s->map, NULL, NULL)
	    || !ask(t, "--tz of their times (Enter: UTC):", s->tz, buf, sizeof buf, check_tz, s)
	    || !ask(t, "from (Enter: the UTC days their file covers):", s->from_text, buf, sizeof buf, check_from, s))
		return 0;
	trim(s->map);
	s->has_period = s->from_text[0] != '\0';
	if (s->has_period && !ask(t, "to (the period is [from, to)):", s->to_text, buf, sizeof buf, check_to, s))
		return 0;
	if (!s->has_period)
		s->to_text[0] = '\0';
	if (!ask(t, "tolerances:", s->tolerance[0] ? s->tolerance : dflt_tol, buf, sizeof buf, check_tolerance, s)
	    || !ask(t, "flags (match-ids keep-going; Enter: none):", "", buf, sizeof buf, check_flags, s))
		return 0;
	s->ro.match_ids = s->match_ids;

	/* the options string, in the order cmd_investigate.c writes it */
	s->options[0] = '\0';
	inv_options_add(s->options, sizeof s->options, "--theirs-format",
	                strcmp(s->format_text, "auto") ? s->format_text : NULL);
	inv_options_add(s->options, sizeof s->options, "--theirs-map", s->map[0] ? s->map : NULL);
	inv_options_add(s->options, sizeof s->options, "--theirs-tz", s->tz[0] ? s->tz : NULL);
	inv_options_add(s->options, sizeof s->options, "--from", s->has_period ? s->from_text : NULL);
	inv_options_add(s->options, sizeof s->options, "--to", s->has_period ? s->to_text : NULL);
	inv_options_add(s->options, sizeof s->options, "--tolerance",
	                s->tolerance[0] && strcmp(s->tolerance, dflt_tol) ? s->tolerance : NULL);
	inv_options_add(s->options, sizeof s->options, "--match-ids", s->match_ids ? "" : NULL);
	inv_options_add(s->options, sizeof s->options, "--keep-going", s->keep_going ? "" : NULL);
	last = *s;
	have_last = 1;
	return 1;
}

void inv_setup_request(const inv_setup *s, const account_info *a, inv_request *rq)
{
	memset(rq, 0, sizeof *rq);
	rq->account = a;
	rq->theirs.path = s->path;
	rq->theirs.format = s->format;
	rq->theirs.map = s->map[0] ? s->map : NULL;
	rq->theirs.tz = s->tz[0] ? s->tz : NULL;
	rq->theirs.keep_going = s->keep_going;
	rq->has_period = s->has_period;
	rq->from = s->from;
	rq->to = s->to;
	rq->ro = s->ro;
	rq->options = s->options;
}
