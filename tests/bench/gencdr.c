/* gencdr.c: benchmark input from the traffic generator (core/gen.c).
 *
 *   gencdr N OUT.csv [--seed S]         N calls as Asterisk cdr_csv Master.csv
 *                                       rows (21 columns, times in UTC)
 *   gencdr --deck N OUT.csv [--seed S]  a rate deck of N prefixes covering
 *                                       every destination the generator dials
 *
 *   gencdr N OUT.csv --pace RATE [--chunk-ms MS] [--times LOG] [--seed S]
 *                                       the same rows appended to OUT as a
 *                                       switch writes them: RATE rows a second,
 *                                       a chunk of whole lines every MS ms
 *                                       (default 10); LOG gets one line per
 *                                       chunk, "ROWS NS": rows appended so far
 *                                       and the wall-clock time (CLOCK_REALTIME,
 *                                       ns) just after the chunk's write(2)
 *                                       returned. SIGTERM/SIGINT stop it after
 *                                       the chunk at hand (exit 0).
 *
 * OUT may be "-" for stdout. Calls come from four accounts (acme, globex,
 * initech, umbrella) starting 2024-01-01, with calls_per_day chosen so that N
 * calls take about 90 days. Rows are formatted by hand into a large buffer
 * (no printf per field): a million rows take a few seconds. Row i (from 0)
 * has Asterisk sequence i, so its record id ends in "/i". */
#include <errno.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../core/gen.h"

#define FROM 1704067200LL /* 2024-01-01 00:00:00 UTC */
#define OBUF (4u << 20)

static char *obuf;
static size_t opos;
static FILE *ofp;
static int oerr;

/* --pace: rows a second, chunk period, the chunk log, the stop flag */
static double pace_rate;
static int pace_chunk_ms = 10;
static FILE *pace_log;
static int64_t pace_t0, pace_chunk;
static volatile sig_atomic_t pace_stop;

static void on_stop(int sig)
{
	(void)sig;
	pace_stop = 1;
}

static int64_t wall_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void oflush(void)
{
	if (opos && fwrite(obuf, 1, opos, ofp) != opos)
		oerr = errno ? errno : EIO;
	opos = 0;
}

/* Room for one row (or deck line); every field here is bounded well below. */
static char *oroom(size_t n)
{
	if (opos + n > OBUF)
		oflush();
	return obuf + opos;
}

static char *put_s(char *p, const char *s)
{
	while (*s)
		*p++ = *s++;
	return p;
}

/* A cdr_csv text field: quoted, '"' doubled. */
static char *put_q(char *p, const char *s)
{
	*p++ = '"';
	for (; *s; s++) {
		if (*s == '"')
			*p++ = '"';
		*p++ = *s;
	}
	*p++ = '"';
	return p;
}

static char *put_u(char *p, uint64_t v)
{
	char tmp[24];
	int n = 0;
	do tmp[n++] = (char)('0' + v % 10); while (v /= 10);
	while (n)
		*p++ = tmp[--n];
	return p;
}

static char *put_hex8(char *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--)
		*p++ = "0123456789abcdef"[(v >> (4 * i)) & 15];
	return p;
}

static char *put_2(char *p, int v)
{
	*p++ = (char)('0' + v / 10);
	*p++ = (char)('0' + v % 10);
	return p;
}

/* Days since 1970-01-01 to a proleptic Gregorian date (Hinnant's algorithm). */
static void civil(int64_t z, int *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

/* "YYYY-MM-DD HH:MM:SS" quoted; the date part is cached per day. */
static char *put_time(char *p, int64_t t)
{
	static int64_t cday = INT64_MIN;
	static char cdate[11];
	int64_t day = t >= 0 ? t / 86400 : (t - 86399) / 86400, s = t - day * 86400;
	if (day != cday) {
		int y, m, d;
		civil(day, &y, &m, &d);
		char *q = cdate;
		q = put_2(q, y / 100 % 100);
		q = put_2(q, y % 100);
		*q++ = '-';
		q = put_2(q, m);
		*q++ = '-';
		put_2(q, d);
		cday = day;
	}
	*p++ = '"';
	memcpy(p, cdate, 10);
	p += 10;
	*p++ = ' ';
	p = put_2(p, (int)(s / 3600));
	*p++ = ':';
	p = put_2(p, (int)(s / 60 % 60));
	*p++ = ':';
	p = put_2(p, (int)(s % 60));
	*p++ = '"';
	return p;
}

/* ---- calls ---- */

typedef struct { uint64_t n, want; } cdr_ctx;

static void oflush(void);

/* --pace, after each row: once the rows due by the end of the current chunk
 * are formatted, wait for that moment, write them (whole lines only) and
 * log the time. Behind schedule, it writes at once and catches up. */
static int pace_row(cdr_ctx *x)
{
	for (;;) {
		int64_t due_ns = pace_t0 + (pace_chunk + 1) * (int64_t)pace_chunk_ms * 1000000;
		uint64_t due_rows = (uint64_t)((double)(pace_chunk + 1) * pace_chunk_ms * pace_rate / 1000.0);
		if (x->n < due_rows && x->n < x->want && !pace_stop)
			return 0;
		int64_t wait = due_ns - wall_ns();
		if (wait > 0 && !pace_stop) {
			struct timespec ts = { (time_t)(wait / 1000000000), (long)(wait % 1000000000) };
			nanosleep(&ts, NULL); /* a signal cuts it short: the rows go out now */
		}
		oflush();
		if (fflush(ofp) != 0 && !oerr)
			oerr = errno ? errno : EIO;
		if (pace_log)
			fprintf(pace_log, "%llu %lld\n", (unsigned long long)x->n, (long long)wall_ns());
		pace_chunk++;
		if (x->n >= x->want || pace_stop || oerr)
			return 1;
		if (x->n < due_rows)
			return 0;
		/* a slow rate: this row already covers the next chunk too */
	}
}

static int on_call(const gen_call *c, void *vctx)
{
	cdr_ctx *x = vctx;
	uint64_t seq = x->n++;
	char *p0 = oroom(1024), *p = p0;
	char chan[64], *q;
	p = put_q(p, c->account); *p++ = ',';
	p = put_q(p, c->src); *p++ = ',';
	p = put_q(p, c->dst); *p++ = ',';
	p = put_q(p, c->inbound ? "from-pstn" : "from-internal"); *p++ = ',';
	p = put_q(p, c->clid); *p++ = ',';
	/* channel, dstchannel: the caller's leg and the leg dialled */
	q = put_s(chan, c->inbound ? "SIP/carrier" : "SIP/");
	if (!c->inbound)
		q = put_s(q, c->account);
	*q++ = '-';
	*put_hex8(q, seq * 2) = 0;
	p = put_q(p, chan); *p++ = ',';
	if (strcmp(c->disposition, "FAILED") == 0) {
		p = put_s(p, "\"\",");
	} else {
		q = put_s(chan, c->inbound ? "SIP/" : "SIP/carrier");
		if (c->inbound)
			q = put_s(q, c->account);
		*q++ = '-';
		*put_hex8(q, seq * 2 + 1) = 0;
		p = put_q(p, chan); *p++ = ',';
	}
	p = put_s(p, "\"Dial\",\"");
	if (c->inbound) {
		p = put_s(p, "SIP/");
		p = put_s(p, c->account);
		p = put_s(p, ",30");
	} else {
		p = put_s(p, "SIP/carrier/");
		p = put_s(p, c->dst);
		p = put_s(p, ",60,T");
	}
	p = put_s(p, "\",");
	p = put_time(p, c->start); *p++ = ',';
	if (c->answer != INT64_MIN)
		p = put_time(p, c->answer);
	*p++ = ',';
	p = put_time(p, c->end); *p++ = ',';
	p = put_u(p, (uint64_t)(c->duration_ms / 1000)); *p++ = ',';
	p = put_u(p, (uint64_t)(c->billsec_ms / 1000)); *p++ = ',';
	p = put_q(p, c->disposition); *p++ = ',';
	p = put_s(p, "\"DOCUMENTATION\",");
	/* uniqueid "<start>.<seq>", userfield, peeraccount, linkedid, sequence */
	char uid[48];
	q = put_u(uid, (uint64_t)c->start);
	*q++ = '.';
	*put_u(q, seq) = 0;
	p = put_q(p, uid); *p++ = ',';
	p = put_s(p, "\"\",\"\",");
	p = put_q(p, uid); *p++ = ',';
	p = put_u(p, seq);
	*p++ = '\n';
	opos += (size_t)(p - p0);
	if (pace_rate > 0)
		return pace_row(x);
	return x->n >= x->want ? 1 : 0;
}

static int write_calls(uint64_t n, uint64_t seed)
{
	/* Weekday-average factor of the generator's weekly rhythm is ~0.78. */
	static const int share[4] = {40, 30, 20, 10};
	uint64_t per_day = (n * 1000 + 90 * 783 - 1) / (90 * 783);
	gen_account acc[4] = {{"acme", 0}, {"globex", 0}, {"initech", 0}, {"umbrella", 0}};
	for (int i = 0; i < 4; i++) {
		uint64_t c = per_day * (uint64_t)share[i] / 100;
		acc[i].calls_per_day = c < 1 ? 1 : c > 100000000 ? 100000000 : (int)c;
	}
	cdr_ctx x = {0, n};
	gen_config cfg;
	memset(&cfg, 0, sizeof cfg);
	cfg.seed = seed;
	cfg.from = FROM;
	cfg.to = FROM + 20000LL * 86400; /* stops after n calls, long before */
	cfg.naccounts = 4;
	cfg.accounts = acc;
	cfg.on_call = on_call;
	cfg.ctx = &x;
	int rc = n ? gen_run(&cfg) : 0;
	if (rc < 0) {
		fprintf(stderr, "gencdr: out of memory\n");
		return -1;
	}
	return 0;
}

/* ---- rate deck ---- */

typedef struct { char prefix[33], desc[64], rate[16], tail[48]; money_t rate_n; } drow;

static int load_demo(drow **rows)
{
	const char *p = strchr(gen_demo_deck_csv(), '\n') + 1;
	int n = 0, cap = 0;
	*rows = NULL;
	for (; *p; p = strchr(p, '\n') + 1) {
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			*rows = realloc(*rows, (size_t)cap * sizeof **rows);
			if (!*rows)
				return -1;
		}
		drow *r = &(*rows)[n++];
		char *f[4] = {r->prefix, r->desc, r->rate, r->tail};
		size_t lim[4] = {sizeof r->prefix, sizeof r->desc, sizeof r->rate, sizeof r->tail};
		for (int i = 0; i < 4; i++) {
			size_t k = 0;
			while (*p != '\n' && (i == 3 || *p != ',') && k + 1 < lim[i])
				f[i][k++] = *p++;
			f[i][k] = 0;
			if (*p == ',' && i < 3)
				p++;
		}
		r->rate_n = 0;
		const char *s = r->rate;
		money_t scale = MONEY_SCALE;
		for (; *s && *s != '.'; s++)
			r->rate_n = r->rate_n * 10 + (*s - '0');
		r->rate_n *= MONEY_SCALE;
		if (*s == '.')
			for (s++; *s; s++)
				r->rate_n += (*s - '0') * (scale /= 10);
	}
	return n;
}

/* Index of the longest demo prefix of s, or -1. */
static int demo_match(const drow *rows, int n, const char *s)
{
	int best = -1;
	size_t bl = 0;
	for (int i = 0; i < n; i++) {
		size_t l = strlen(rows[i].prefix);
		if (l > bl && strncmp(s, rows[i].prefix, l) == 0) {
			best = i;
			bl = l;
		}
	}
	return best;
}

static char *put_rate4(char *p, money_t v)
{
	p = put_u(p, (uint64_t)(v / MONEY_SCALE));
	*p++ = '.';
	int64_t f = v % MONEY_SCALE / 100000;
	for (int64_t d = 1000; d; d /= 10)
		*p++ = (char)('0' + f / d % 10);
	return p;
}

static int write_deck(uint64_t n, uint64_t seed)
{
	drow *rows;
	int nr = load_demo(&rows);
	if (nr < 0) {
		fprintf(stderr, "gencdr: out of memory\n");
		return -1;
	}
	char *p = oroom(128);
	opos += (size_t)(put_s(p, "prefix,description,rate,min,inc,connect_fee,grace\n") - p);
	for (int i = 0; i < nr; i++) {
		char *p0 = oroom(256);
		p = put_s(p0, rows[i].prefix); *p++ = ',';
		p = put_s(p, rows[i].desc); *p++ = ',';
		p = put_s(p, rows[i].rate); *p++ = ',';
		p = put_s(p, rows[i].tail); *p++ = '\n';
		opos += (size_t)(p - p0);
	}
	if (n > (uint64_t)nr)
		n -= (uint64_t)nr;
	else
		n = 0;
	/* Longer prefixes under each demo row (emergency numbers excepted), round
	 * robin: each parent walks widths 2, 3, ... and values 0..10^w-1, and a
	 * candidate is kept only if its longest demo prefix is that parent, so
	 * no prefix is written twice. */
	int *width = calloc((size_t)nr, sizeof *width);
	uint64_t *val = calloc((size_t)nr, sizeof *val);
	if (!width || !val) {
		free(width); free(val); free(rows);
		fprintf(stderr, "gencdr: out of memory\n");
		return -1;
	}
	gen_rng rng;
	gen_rng_seed(&rng, seed);
	for (int i = 0; i < nr; i++)
		width[i] = 2;
	for (int i = 0, idle = 0; n && idle < nr; i = (i + 1) % nr) {
		if (strcmp(rows[i].prefix, "911") == 0 || strcmp(rows[i].prefix, "933") == 0 ||
		    strlen(rows[i].prefix) + (size_t)width[i] > 16) {
			idle++; /* every parent exhausted: stop */
			continue;
		}
		idle = 0;
		char cand[40];
		for (;;) {
			uint64_t lim = 1;
			for (int k = 0; k < width[i]; k++)
				lim *= 10;
			if (val[i] == lim) {
				width[i]++;
				val[i] = 0;
				if (strlen(rows[i].prefix) + (size_t)width[i] > 16)
					break;
				continue;
			}
			char *q = put_s(cand, rows[i].prefix);
			uint64_t v = val[i]++;
			for (int k = width[i] - 1; k >= 0; k--, v /= 10)
				q[k] = (char)('0' + v % 10);
			q[width[i]] = 0;
			if (demo_match(rows, nr, cand) == i)
				break;
		}
		if (strlen(rows[i].prefix) + (size_t)width[i] > 16)
			continue;
		money_t rate = rows[i].rate_n * (85 + (money_t)gen_rng_below(&rng, 31)) / 100;
		rate = (rate + 50000) / 100000 * 100000; /* 4 decimals */
		char *p0 = oroom(256);
		p = put_s(p0, cand); *p++ = ',';
		p = put_s(p, rows[i].desc); *p++ = ' ';
		p = put_s(p, cand); *p++ = ',';
		p = put_rate4(p, rate); *p++ = ',';
		p = put_s(p, rows[i].tail); *p++ = '\n';
		opos += (size_t)(p - p0);
		n--;
	}
	free(width);
	free(val);
	free(rows);
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: gencdr N OUT.csv [--seed S]\n"
	                "       gencdr N OUT.csv --pace RATE [--chunk-ms MS] [--times LOG] [--seed S]\n"
	                "       gencdr --deck N OUT.csv [--seed S]\n");
	return 2;
}

int main(int argc, char **argv)
{
	const char *pos[2] = {NULL, NULL}, *times = NULL;
	int npos = 0, deck = 0;
	uint64_t seed = 1;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--deck") == 0) {
			deck = 1;
		} else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
			char *end;
			seed = strtoull(argv[++i], &end, 10);
			if (*end)
				return usage();
		} else if (strcmp(argv[i], "--pace") == 0 && i + 1 < argc) {
			char *end;
			pace_rate = strtod(argv[++i], &end);
			if (*end || !(pace_rate > 0))
				return usage();
		} else if (strcmp(argv[i], "--chunk-ms") == 0 && i + 1 < argc) {
			char *end;
			long v = strtol(argv[++i], &end, 10);
			if (*end || v < 1 || v > 60000)
				return usage();
			pace_chunk_ms = (int)v;
		} else if (strcmp(argv[i], "--times") == 0 && i + 1 < argc) {
			times = argv[++i];
		} else if (npos < 2) {
			pos[npos++] = argv[i];
		} else {
			return usage();
		}
	}
	if (npos != 2)
		return usage();
	char *end;
	errno = 0;
	uint64_t n = strtoull(pos[0], &end, 10);
	if (*end || errno || pos[0][0] == '-')
		return usage();
	if (pace_rate > 0 && deck)
		return usage();
	/* paced: appended to, as a switch does (the file may exist, empty) */
	ofp = strcmp(pos[1], "-") == 0 ? stdout : fopen(pos[1], pace_rate > 0 ? "ab" : "wb");
	if (!ofp) {
		fprintf(stderr, "gencdr: %s: %s\n", pos[1], strerror(errno));
		return 1;
	}
	if (times && !(pace_log = fopen(times, "w"))) {
		fprintf(stderr, "gencdr: %s: %s\n", times, strerror(errno));
		return 1;
	}
	if (pace_rate > 0) {
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_stop; /* no SA_RESTART: the sleep ends at once */
		sigemptyset(&sa.sa_mask);
		sigaction(SIGTERM, &sa, NULL);
		sigaction(SIGINT, &sa, NULL);
		pace_t0 = wall_ns();
	}
	if (!(obuf = malloc(OBUF))) {
		fprintf(stderr, "gencdr: out of memory\n");
		return 1;
	}
	int rc = deck ? write_deck(n, seed) : write_calls(n, seed);
	oflush();
	if ((ofp != stdout ? fclose(ofp) : fflush(ofp)) != 0 && !oerr)
		oerr = errno ? errno : EIO;
	free(obuf);
	if (pace_log && fclose(pace_log) != 0 && !oerr)
		oerr = errno ? errno : EIO;
	if (oerr) {
		fprintf(stderr, "gencdr: %s: %s\n", pos[1], strerror(oerr));
		return 1;
	}
	return rc ? 1 : 0;
}
