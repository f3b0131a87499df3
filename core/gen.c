/* gen.c: deterministic synthetic traffic (contract in gen.h). Pure C11, libc
 * only, integer arithmetic only: a seed gives the same events on every build.
 *
 * For each UTC day in [from, to): (1) the day's fixed ledger events (opening
 * deposit at `from`, MRC and E911 on the 1st, an occasional NRC); (2) every
 * account's call start times drawn from the daily and weekly rhythm, sorted by
 * (start, account), calls delivered in that order; (3) the same for messages;
 * (4) the day's ledger events, top-ups that fell due included, sorted by time
 * (ties keep insertion order). Memory is bounded by one day of start times.
 *
 * Each account has its own PRNG streams for calls, messages and ledger, seeded
 * from the seed and its name: skipping messages when nobody listens does not
 * change the calls, nor does adding another account.
 *
 * Top-ups: the generator rates its calls with the demo deck (DESIGN.md's rule,
 * 4 decimals half-up, inbound rated like outbound), adds CNAM, message and
 * fixed fees, and keeps an estimated balance. Accounts top up when it falls
 * below about five days of spend plus the monthly fees; the LAST account is a
 * late payer: a small opening deposit and a deposit only 3-5 days after the
 * estimate went below zero, so the demo shows a suspension and a restoration.
 *
 * calls_per_day <= 0 means GEN_DEFAULT_CPD. gen_run returns -1 when out of
 * memory (nothing leaks). */
#include <stdlib.h>
#include <string.h>
#include "gen.h"

#define DAY 86400
#define GEN_DEFAULT_CPD 200
#define M4(x) ((money_t)(x) * 100000) /* x ten-thousandths of a unit */

#define CNAM_FEE   M4(39)      /* 0.0039 */
#define SMS_FEE    M4(40)      /* 0.0040 per segment */
#define SMS_INTL   M4(450)     /* 0.0450 per segment, international */
#define MMS_FEE    M4(150)     /* 0.0150 */
#define MRC_FEE    M4(250000)  /* 25.0000 */
#define E911_FEE   M4(15000)   /* 1.5000 */
#define PORT_FEE   M4(150000)  /* 15.0000 */
#define SETUP_FEE  M4(25000)   /* 2.5000 */
#define FIXED_FEES (MRC_FEE + E911_FEE)

/* ---- PRNG: xoshiro256** seeded by splitmix64 ---- */

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

void gen_rng_seed(gen_rng *r, uint64_t seed)
{
	uint64_t x = seed;
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

uint64_t gen_rng_next(gen_rng *r)
{
	uint64_t *s = r->s;
	uint64_t out = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
	s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3];
	s[2] ^= t; s[3] = rotl(s[3], 45);
	return out;
}

uint64_t gen_rng_below(gen_rng *r, uint64_t n)
{
	if (n == 0)
		return 0;
	/* Lemire's multiply-shift with rejection: exactly uniform. */
	unsigned __int128 m = (unsigned __int128)gen_rng_next(r) * n;
	uint64_t lo = (uint64_t)m;
	if (lo < n) {
		uint64_t thr = (0 - n) % n;
		while (lo < thr) {
			m = (unsigned __int128)gen_rng_next(r) * n;
			lo = (uint64_t)m;
		}
	}
	return (uint64_t)(m >> 64);
}

#define RB(r, n) ((int64_t)gen_rng_below((r), (uint64_t)(n)))

/* ---- the demo deck ---- */

static const char deck_csv[] =
	"prefix,description,rate,min,inc,connect_fee,grace\n" "1,USA domestic,0.0050,6,6,0.0000,0\n"
	"1800,USA toll free 800,0.0000,6,6,0.0000,0\n" "1833,USA toll free 833,0.0000,6,6,0.0000,0\n"
	"1844,USA toll free 844,0.0000,6,6,0.0000,0\n" "1855,USA toll free 855,0.0000,6,6,0.0000,0\n"
	"1866,USA toll free 866,0.0000,6,6,0.0000,0\n" "1877,USA toll free 877,0.0000,6,6,0.0000,0\n"
	"1888,USA toll free 888,0.0000,6,6,0.0000,0\n" "1907,USA Alaska,0.0250,6,6,0.0000,0\n"
	"1808,USA Hawaii,0.0200,6,6,0.0000,0\n" "1787,Puerto Rico,0.0100,6,6,0.0000,0\n"
	"1416,Canada Toronto,0.0060,6,6,0.0000,0\n" "1514,Canada Montreal,0.0060,6,6,0.0000,0\n"
	"1604,Canada Vancouver,0.0060,6,6,0.0000,0\n" "1876,Jamaica,0.1100,60,60,0.0000,0\n"
	"1809,Dominican Republic,0.0650,60,6,0.0000,0\n" "911,Emergency 911,0.0000,1,1,0.0000,0\n"
	"933,Emergency 933 test,0.0000,1,1,0.0000,0\n" "44,United Kingdom fixed,0.0090,1,1,0.0000,3\n"
	"4420,United Kingdom London,0.0080,1,1,0.0000,3\n"
	"447,United Kingdom mobile,0.0350,60,60,0.0000,0\n"
	"4470,United Kingdom personal numbers,0.2500,60,60,0.0000,0\n"
	"49,Germany fixed,0.0100,1,1,0.0000,2\n" "4930,Germany Berlin,0.0090,1,1,0.0000,2\n"
	"4940,Germany Hamburg,0.0090,1,1,0.0000,2\n" "4989,Germany Munich,0.0090,1,1,0.0000,2\n"
	"4915,Germany mobile,0.0450,60,60,0.0000,0\n" "4916,Germany mobile,0.0450,60,60,0.0000,0\n"
	"4917,Germany mobile,0.0450,60,60,0.0000,0\n" "33,France fixed,0.0100,1,1,0.0000,0\n"
	"331,France Paris,0.0085,1,1,0.0000,0\n" "336,France mobile,0.0400,30,6,0.0000,0\n"
	"337,France mobile,0.0400,30,6,0.0000,0\n" "52,Mexico fixed,0.0120,30,6,0.0000,0\n"
	"5255,Mexico City,0.0080,30,6,0.0000,0\n" "5233,Mexico Guadalajara,0.0090,30,6,0.0000,0\n"
	"5281,Mexico Monterrey,0.0090,30,6,0.0000,0\n" "521,Mexico mobile,0.0300,30,6,0.0000,6\n"
	"91,India,0.0150,1,1,0.0000,0\n" "9111,India Delhi,0.0120,1,1,0.0000,0\n"
	"9122,India Mumbai,0.0120,1,1,0.0000,0\n" "9180,India Bangalore,0.0120,1,1,0.0000,0\n"
	"917,India mobile,0.0150,1,1,0.0000,0\n" "918,India mobile,0.0150,1,1,0.0000,0\n"
	"919,India mobile,0.0150,1,1,0.0000,0\n" "86,China fixed,0.0100,6,6,0.0000,0\n"
	"8610,China Beijing,0.0090,6,6,0.0000,0\n" "8621,China Shanghai,0.0090,6,6,0.0000,0\n"
	"8613,China mobile,0.0110,6,6,0.0000,0\n" "8615,China mobile,0.0110,6,6,0.0000,0\n"
	"8618,China mobile,0.0110,6,6,0.0000,0\n" "63,Philippines,0.1200,60,60,0.0000,0\n"
	"632,Philippines Manila,0.1000,60,60,0.0000,0\n"
	"639,Philippines mobile,0.1500,60,60,0.0050,0\n" "234,Nigeria,0.1500,60,60,0.0000,0\n"
	"2341,Nigeria Lagos,0.1400,60,60,0.0000,0\n" "2347,Nigeria mobile,0.1600,60,60,0.0100,0\n"
	"2348,Nigeria mobile,0.1600,60,60,0.0100,0\n" "2349,Nigeria mobile,0.1600,60,60,0.0100,0\n"
	"61,Australia fixed,0.0150,1,1,0.0000,0\n" "614,Australia mobile,0.0300,30,6,0.0000,0\n"
	"81,Japan fixed,0.0250,1,1,0.0000,0\n" "8170,Japan mobile,0.0600,30,6,0.0000,0\n"
	"8180,Japan mobile,0.0600,30,6,0.0000,0\n" "8190,Japan mobile,0.0600,30,6,0.0000,0\n";

const char *gen_demo_deck_csv(void) { return deck_csv; }

/* ---- dialling plan: prefix + random digits, weight, answer ratio ---- */

/* E.164 prefix, random digits appended (NANP: the first is 2-9), answered
 * per mille, weight. */
typedef struct { const char *p; int nd, nanp, asr, w; } dial_t;

static const dial_t dials[] = {
	{"1212", 7, 1, 690, 330}, {"1646", 7, 1, 690, 220}, {"1718", 7, 1, 680, 200},
	{"1213", 7, 1, 690, 300}, {"1310", 7, 1, 690, 240}, {"1312", 7, 1, 690, 300},
	{"1415", 7, 1, 700, 300}, {"1206", 7, 1, 700, 320}, {"1305", 7, 1, 670, 280},
	{"1404", 7, 1, 680, 300}, {"1512", 7, 1, 700, 280}, {"1617", 7, 1, 690, 300},
	{"1702", 7, 1, 660, 220}, {"1303", 7, 1, 690, 260}, {"1214", 7, 1, 690, 300},
	{"1713", 7, 1, 680, 300}, {"1202", 7, 1, 700, 260}, {"1602", 7, 1, 680, 240},
	{"1503", 7, 1, 700, 220}, {"1919", 7, 1, 690, 220}, {"1907", 7, 1, 660, 40},
	{"1808", 7, 1, 660, 40}, {"1787", 7, 1, 620, 40}, {"1416", 7, 1, 690, 100},
	{"1514", 7, 1, 690, 70}, {"1604", 7, 1, 690, 70}, {"1876", 7, 1, 520, 30},
	{"1809", 7, 1, 540, 20}, {"1800", 7, 1, 820, 250}, {"1888", 7, 1, 820, 150},
	{"1877", 7, 1, 820, 120}, {"1866", 7, 1, 820, 100}, {"1855", 7, 1, 810, 60},
	{"1844", 7, 1, 810, 40}, {"1833", 7, 1, 810, 30}, {"4420", 8, 0, 620, 120},
	{"44161", 7, 0, 620, 50}, {"44131", 7, 0, 620, 30}, {"4477", 8, 0, 600, 80},
	{"4478", 8, 0, 600, 60}, {"4479", 8, 0, 600, 60}, {"4475", 8, 0, 600, 40},
	{"4930", 8, 0, 620, 60}, {"4989", 8, 0, 620, 40}, {"4940", 8, 0, 620, 40},
	{"49151", 8, 0, 600, 50}, {"49160", 7, 0, 600, 30}, {"49172", 7, 0, 600, 30},
	{"49176", 8, 0, 600, 30}, {"331", 8, 0, 620, 60}, {"334", 8, 0, 620, 30},
	{"336", 8, 0, 600, 60}, {"337", 8, 0, 600, 40}, {"5255", 8, 0, 580, 90},
	{"5233", 8, 0, 580, 40}, {"5281", 8, 0, 580, 40}, {"52155", 8, 0, 560, 120},
	{"52133", 8, 0, 560, 60}, {"52181", 8, 0, 560, 50}, {"9111", 8, 0, 560, 40},
	{"9122", 8, 0, 560, 40}, {"9180", 8, 0, 560, 30}, {"919", 9, 0, 540, 120},
	{"918", 9, 0, 540, 80}, {"917", 9, 0, 540, 60}, {"8610", 8, 0, 560, 40},
	{"8621", 8, 0, 560, 40}, {"8613", 9, 0, 550, 60}, {"8615", 9, 0, 550, 40},
	{"8618", 9, 0, 550, 40}, {"632", 8, 0, 480, 60}, {"639", 9, 0, 460, 150},
	{"2341", 7, 0, 440, 30}, {"23480", 8, 0, 420, 50}, {"23481", 8, 0, 420, 30},
	{"23470", 8, 0, 420, 30}, {"23490", 8, 0, 420, 20}, {"612", 8, 0, 620, 20},
	{"613", 8, 0, 620, 20}, {"614", 8, 0, 600, 40}, {"813", 8, 0, 620, 20},
	{"8190", 8, 0, 600, 30},
};
#define NDIALS ((int)(sizeof dials / sizeof dials[0]))
#define NNANP_CALLERS 20 /* the first 20 dials are ordinary US numbers */

/* International mobiles that call or text our DIDs. */
static const dial_t intl_callers[] = {
	{"4477", 8, 0, 0, 0}, {"52155", 8, 0, 0, 0}, {"639", 9, 0, 0, 0},
	{"9198", 8, 0, 0, 0}, {"49151", 8, 0, 0, 0}, {"8613", 9, 0, 0, 0},
	{"23480", 8, 0, 0, 0}, {"336", 8, 0, 0, 0},
};

static const char *const cnam_names[] = {
	"WIRELESS CALLER", "SMITH JOHN", "GARCIA MARIA", "NGUYEN LINH", "PATEL RAJ",
	"JOHNSON MARY", "BROWN DAVID", "MILLER SUSAN", "WILSON JAMES", "LEE KEVIN",
	"MARTINEZ ANA", "ANDERSON PAUL", "DAVIS ROBERT", "NEW YORK NY",
	"SEATTLE WA", "CHICAGO IL",
};
#define NCNAM ((int)(sizeof cnam_names / sizeof cnam_names[0]))

/* Hour-of-day weights (UTC): quiet nights, busy 09-17. */
static const int call_hour_w[24] = {
	6, 4, 3, 2, 2, 3, 6, 14, 30, 55, 75, 80, 70, 78, 85, 80, 65, 45, 30, 22, 18, 14, 10, 8
};
/* Messages peak later (afternoon and evening). */
static const int msg_hour_w[24] = {
	30, 24, 18, 12, 8, 6, 8, 12, 20, 30, 40, 46, 50, 54, 58, 62, 64, 66, 64, 60, 56, 50, 44, 36
};
/* Weekday factors per mille, Monday first. */
static const int call_wday_w[7] = {1050, 1000, 1000, 980, 920, 330, 200};
static const int msg_wday_w[7] = {1000, 1000, 1000, 1000, 1050, 750, 650};

/* ---- parsed deck with a digit trie for longest-prefix lookups ---- */

#define MAXROWS 128
#define MAXNODES 512

typedef struct { money_t rate, connect; int min, inc, grace; } drow;
typedef struct { short child[10]; short row; } tnode;

typedef struct {
	char name[32], did[16], cname[24];
	int cpd, late;
	gen_rng rc, rm, rl;          /* call, message, ledger streams */
	uint64_t cseq, mseq;
	money_t bal, usage;          /* estimated balance; usage spent so far */
	int64_t days;                /* whole days simulated */
	int pending;                 /* a deposit is scheduled at `due` */
	int64_t due;
} acct_t;

typedef struct { int64_t t; int a; } slot_t;

typedef struct {
	const gen_config *cfg;
	drow rows[MAXROWS];
	tnode nodes[MAXNODES];
	int nrows, nnodes, dial_total;
	acct_t *ac;
	slot_t *slots, *raw;         /* sorted and drawn start times of a day */
	size_t nslots, capslots;
	uint32_t *count;             /* DAY + 1 counters for the counting sort */
	gen_ledger *led;
	int nled, capled;
} state_t;

static int dig(char c) { return c >= '0' && c <= '9'; }

/* Parse "d.dddd" (up to 9 decimals) into nano-units; advances *pp. */
static money_t parse_money(const char **pp)
{
	const char *p = *pp;
	money_t v = 0, scale = MONEY_SCALE;
	while (dig(*p))
		v = v * 10 + (*p++ - '0');
	v *= MONEY_SCALE;
	if (*p == '.') /* the deck has at most 9 decimals */
		for (p++; dig(*p); p++)
			v += (*p - '0') * (scale /= 10);
	*pp = p;
	return v;
}

static void load_deck(state_t *st)
{
	const char *p = strchr(deck_csv, '\n') + 1;
	memset(st->nodes, 0, sizeof st->nodes);
	st->nodes[0].row = -1;
	st->nnodes = 1;
	while (*p && st->nrows < MAXROWS) {
		int n = 0;
		for (; dig(*p); p++) {
			int d = *p - '0';
			if (!st->nodes[n].child[d] && st->nnodes < MAXNODES) {
				st->nodes[st->nnodes].row = -1;
				st->nodes[n].child[d] = (short)st->nnodes++;
			}
			n = st->nodes[n].child[d];
		}
		p = strchr(p + 1, ',') + 1; /* skip the description */
		drow *r = &st->rows[st->nrows];
		r->rate = parse_money(&p); p++;
		r->min = (int)(parse_money(&p) / MONEY_SCALE); p++;
		r->inc = (int)(parse_money(&p) / MONEY_SCALE); p++;
		r->connect = parse_money(&p); p++;
		r->grace = (int)(parse_money(&p) / MONEY_SCALE);
		if (n)
			st->nodes[n].row = (short)st->nrows++;
		p = strchr(p, '\n') + 1;
	}
}

/* Longest deck prefix of the digits in s ('+' skipped), or NULL. */
static const drow *deck_match(const state_t *st, const char *s)
{
	int n = 0, best = -1;
	if (*s == '+')
		s++;
	for (; dig(*s); s++) {
		n = st->nodes[n].child[*s - '0'];
		if (!n)
			break;
		if (st->nodes[n].row >= 0)
			best = st->nodes[n].row;
	}
	return best >= 0 ? &st->rows[best] : NULL;
}

/* DESIGN.md's per-call rule, 4 decimals, half-up. */
static money_t rate_estimate(const state_t *st, const char *dst, int64_t billsec)
{
	const drow *r = deck_match(st, dst);
	if (!r || billsec <= 0 || billsec <= r->grace)
		return 0;
	int64_t billed = r->min;
	if (billsec > r->min)
		billed += (billsec - r->min + r->inc - 1) / r->inc * r->inc;
	int64_t num = r->rate * billed + r->connect * 60, den = 60 * M4(1);
	return (num + den / 2) / den * M4(1);
}

/* ---- small string builders ---- */

static char *put(char *p, const char *s)
{
	while (*s)
		*p++ = *s++;
	return p;
}

static char *put_u64(char *p, uint64_t v)
{
	char tmp[24];
	int n = 0;
	do tmp[n++] = (char)('0' + v % 10); while (v /= 10);
	while (n)
		*p++ = tmp[--n];
	return p;
}

static char *put_rand(char *p, gen_rng *r, const dial_t *d)
{
	p = put(p, d->p);
	for (int i = 0; i < d->nd; i++)
		*p++ = (char)('0' + (i == 0 && d->nanp ? 2 + RB(r, 8) : RB(r, 10)));
	*p = 0;
	return p;
}

/* A number that calls or texts us: US mostly, else a foreign mobile ('+'). */
static void caller_number(char *out, gen_rng *r, int intl_permille)
{
	if (RB(r, 1000) < intl_permille) {
		*out = '+';
		put_rand(out + 1, r, &intl_callers[RB(r, sizeof intl_callers / sizeof intl_callers[0])]);
	} else {
		put_rand(out, r, &dials[RB(r, NNANP_CALLERS)]);
	}
}

/* "\"NAME\" <number>" as Asterisk writes a clid. */
static void make_clid(char *out, const char *name, const char *num)
{
	char *p = out;
	*p++ = '"';
	p = put(p, name);
	p = put(p, "\" <");
	p = put(p, num);
	*p++ = '>';
	*p = 0;
}

static void copy_name(char *dst, size_t n, const char *src)
{
	size_t i = 0;
	for (; src[i] && i + 1 < n; i++)
		dst[i] = src[i];
	dst[i] = 0;
}

/* ---- calendar (proleptic Gregorian, days since 1970-01-01) ---- */

static int64_t floor_div(int64_t a, int64_t b) { return a / b - (a % b < 0); }

static void civil(int64_t z, int *y, int *m, int *d)
{
	z += 719468;
	int64_t era = floor_div(z, 146097);
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

/* ---- ledger events of one day ---- */

/* Adds a ledger event of the day (at most 5 per account: opening, mrc, e911,
 * nrc, top-up) if it falls in [from, to), and moves the estimated balance. */
static void add_led(state_t *st, int a, int64_t at, const char *kind, money_t amt,
                   const char *memo, const char *ym)
{
	if (at < st->cfg->from || at >= st->cfg->to || st->nled == st->capled)
		return;
	gen_ledger *l = &st->led[st->nled++];
	memset(l, 0, sizeof *l);
	copy_name(l->account, sizeof l->account, st->ac[a].name);
	l->at = at;
	l->kind = kind;
	l->amount = amt;
	char *p = put(l->memo, memo);
	if (ym) {
		*p++ = ' ';
		p = put(p, ym);
	}
	*p = 0;
	st->ac[a].bal += strcmp(kind, "deposit") == 0 ? amt : -amt;
}

static money_t round_up_to(money_t v, money_t step)
{
	return v <= 0 ? step : (v + step - 1) / step * step;
}

/* Estimated daily usage spend: observed average, or a guess at the start. */
static money_t est_daily(const acct_t *a)
{
	money_t guess = (money_t)a->cpd * M4(300); /* 0.03 a call */
	money_t d = a->days > 0 ? a->usage / a->days : guess;
	return d < M4(1000) ? M4(1000) : d;
}

/* After the estimate moved at time t: schedule a top-up if it is due. */
static void check_topup(state_t *st, int a, int64_t t)
{
	acct_t *ac = &st->ac[a];
	if (ac->pending)
		return;
	if (ac->late) {
		if (ac->bal >= 0)
			return;
		/* Pays in the afternoon, 3-5 days after going negative. */
		int64_t d = floor_div(t + 3 * DAY + RB(&ac->rl, 2 * DAY + 1), DAY) * DAY;
		ac->due = d + 14 * 3600 + RB(&ac->rl, 6 * 3600);
	} else {
		if (ac->bal >= FIXED_FEES + 5 * est_daily(ac))
			return;
		ac->due = t + 300 + RB(&ac->rl, 6 * 3600);
	}
	ac->pending = 1;
}

static void day_ledger_pre(state_t *st, int64_t day, int mday, const char *ym, int wd)
{
	const gen_config *c = st->cfg;
	for (int a = 0; a < c->naccounts; a++) {
		acct_t *ac = &st->ac[a];
		if (c->from >= day && c->from < day + DAY) {
			money_t open = ac->late
				? round_up_to(FIXED_FEES + 8 * est_daily(ac), M4(50000))
				: round_up_to(FIXED_FEES + 30 * est_daily(ac), M4(500000));
			add_led(st, a, c->from, "deposit", open, "opening deposit", NULL);
		}
		if (mday == 1) {
			add_led(st, a, day, "mrc", MRC_FEE, "MRC DID and service", ym);
			add_led(st, a, day, "e911", E911_FEE, "E911 service", ym);
		}
		if (wd < 5 && RB(&ac->rl, 40) == 0) {
			int port = RB(&ac->rl, 3) == 0;
			int64_t at = day + 14 * 3600 + RB(&ac->rl, 8 * 3600);
			add_led(st, a, at, "nrc", port ? PORT_FEE : SETUP_FEE,
			        port ? "number port-in" : "new DID setup", NULL);
		}
		check_topup(st, a, day);
	}
}

static int day_ledger_post(state_t *st, int64_t day)
{
	const gen_config *c = st->cfg;
	for (int a = 0; a < c->naccounts; a++) {
		acct_t *ac = &st->ac[a];
		ac->days++;
		if (!ac->pending || ac->due >= day + DAY)
			continue;
		ac->pending = 0;
		money_t amt;
		const char *memo;
		if (ac->late) {
			amt = round_up_to(-ac->bal + 20 * est_daily(ac), M4(100000));
			memo = "late payment by wire";
		} else {
			amt = round_up_to(30 * est_daily(ac) + FIXED_FEES, M4(500000));
			memo = RB(&ac->rl, 2) ? "top-up by card" : "top-up by ACH";
		}
		add_led(st, a, ac->due, "deposit", amt, memo, NULL);
	}
	/* Insertion sort by time: stable, and a day holds few entries. */
	for (int i = 1; i < st->nled; i++) {
		gen_ledger x = st->led[i];
		int j = i;
		for (; j > 0 && st->led[j - 1].at > x.at; j--)
			st->led[j] = st->led[j - 1];
		st->led[j] = x;
	}
	int rc = 0;
	for (int i = 0; i < st->nled && !rc; i++)
		if (c->on_ledger)
			rc = c->on_ledger(&st->led[i], c->ctx);
	st->nled = 0;
	return rc;
}

/* ---- start times of one day ---- */

/* Draws n(account) start times from the hourly weights for every account,
 * keeps those in [from, to), and sorts them by (second, account) with a
 * stable counting sort over the seconds of the day (drawn account by account,
 * so ties are already in account order). */
static int draw_slots(state_t *st, int64_t day, int wd, int msgs)
{
	const gen_config *c = st->cfg;
	const int *hw = msgs ? msg_hour_w : call_hour_w;
	int htotal = 0;
	for (int h = 0; h < 24; h++)
		htotal += hw[h];
	st->nslots = 0;
	for (int a = 0; a < c->naccounts; a++) {
		acct_t *ac = &st->ac[a];
		gen_rng *r = msgs ? &ac->rm : &ac->rc;
		/* mean * weekday factor * (0.90 .. 1.10), fractional part by lot */
		int64_t mean = msgs ? (int64_t)ac->cpd * 3 / 5 : ac->cpd;
		int64_t x = mean * (msgs ? msg_wday_w : call_wday_w)[wd] * (900 + RB(r, 201));
		int64_t n = x / 1000000 + (RB(r, 1000000) < x % 1000000);
		if (st->nslots + (size_t)n > st->capslots) {
			size_t cap = (st->nslots + (size_t)n) * 2 + 1024;
			slot_t *s = realloc(st->raw, cap * sizeof *s);
			if (s)
				st->raw = s;
			if (!s || !(s = realloc(st->slots, cap * sizeof *s)))
				return -1;
			st->slots = s;
			st->capslots = cap;
		}
		for (int64_t i = 0; i < n; i++) {
			int64_t u = RB(r, htotal), h = 0;
			while (u >= hw[h])
				u -= hw[h++];
			int64_t t = day + h * 3600 + RB(r, 3600);
			if (t >= c->from && t < c->to) {
				slot_t *s = &st->raw[st->nslots++];
				s->t = t;
				s->a = a;
			}
		}
	}
	memset(st->count, 0, (DAY + 1) * sizeof *st->count);
	for (size_t i = 0; i < st->nslots; i++)
		st->count[st->raw[i].t - day + 1]++;
	for (int i = 1; i <= DAY; i++)
		st->count[i] += st->count[i - 1];
	for (size_t i = 0; i < st->nslots; i++)
		st->slots[st->count[st->raw[i].t - day]++] = st->raw[i];
	return 0;
}

/* ---- one call ---- */

static int64_t talk_seconds(gen_rng *r)
{
	int64_t b = RB(r, 1000), u = RB(r, 1001);
	if (b < 70)
		return 1 + RB(r, 19);                            /* 1-19 s */
	if (b < 775)
		return 20 + 160 * (u * 1000 + u * u) / 2000000;  /* 20-180 s, skewed low */
	if (b < 975)
		return 181 + 1019 * u * u / 1000000;             /* 3-20 min */
	return 1201 + 3000 * u * u / 1000000 + RB(r, 1200); /* 20-90 min */
}

static void make_call(state_t *st, acct_t *ac, int64_t start, gen_call *k)
{
	gen_rng *r = &ac->rc;
	char *p = put(k->call_id, ac->name);
	*p++ = '-';
	*put_u64(p, ++ac->cseq) = 0;
	copy_name(k->account, sizeof k->account, ac->name);
	k->start = start;
	k->cnam_fee = 0;
	int asr;
	if (RB(r, 1000) < 300) {                 /* inbound to our DID */
		k->inbound = 1;
		caller_number(k->src, r, 40);
		strcpy(k->dst, ac->did);
		if (RB(r, 100) < 85) {
			k->cnam_fee = CNAM_FEE;
			make_clid(k->clid, cnam_names[RB(r, NCNAM)], k->src);
		} else {
			make_clid(k->clid, k->src, k->src);
		}
		asr = 740;
	} else {                                 /* outbound */
		k->inbound = 0;
		strcpy(k->src, ac->did);
		make_clid(k->clid, ac->cname, ac->did);
		/* 911: about one in 3000 calls, at least about one a month. */
		if (RB(r, ac->cpd * 30 < 3000 ? ac->cpd * 30 : 3000) == 0) {
			strcpy(k->dst, "911");
			asr = 1000;
		} else {
			int64_t u = RB(r, st->dial_total), i = 0;
			while (u >= dials[i].w)
				u -= dials[i++].w;
			const dial_t *d = &dials[i];
			char *q = k->dst;
			if (!d->nanp)
				*q++ = '+';
			put_rand(q, r, d);
			asr = d->asr;
		}
	}
	int64_t ring, talk = 0;
	if (RB(r, 1000) < asr) {
		k->disposition = "ANSWERED";
		ring = 3 + RB(r, 23);
		talk = strcmp(k->dst, "911") == 0 ? 60 + RB(r, 540) : talk_seconds(r);
		k->answer = start + ring;
	} else {
		int64_t u = RB(r, 100);
		k->disposition = u < 58 ? "NO ANSWER" : u < 85 ? "BUSY" : "FAILED";
		ring = u < 58 ? 15 + RB(r, 31) : u < 85 ? 1 + RB(r, 6) : RB(r, 3);
		k->answer = INT64_MIN;
	}
	k->end = start + ring + talk;
	k->duration_ms = (ring + talk) * 1000;
	k->billsec_ms = talk * 1000;
}

/* ---- one message ---- */

static void make_msg(acct_t *ac, int64_t at, gen_msg *m)
{
	gen_rng *r = &ac->rm;
	char *p = put(m->msg_id, ac->name);
	p = put(p, "-m");
	*put_u64(p, ++ac->mseq) = 0;
	copy_name(m->account, sizeof m->account, ac->name);
	m->at = at;
	m->inbound = RB(r, 100) < 45;
	char other[24];
	int short_code = m->inbound && RB(r, 100) < 6;
	if (short_code) {
		char *q = other;
		int len = 5 + (int)RB(r, 2);
		for (int i = 0; i < len; i++)
			*q++ = (char)('1' + RB(r, 9));
		*q = 0;
	} else {
		caller_number(other, r, 60);
	}
	strcpy(m->inbound ? m->from : m->to, other);
	strcpy(m->inbound ? m->to : m->from, ac->did);
	int intl = other[0] == '+';
	m->mms = !intl && !short_code && RB(r, 100) < 8;
	if (m->mms) {
		m->segments = 1;
		m->cost = MMS_FEE;
	} else {
		int64_t u = RB(r, 100);
		m->segments = u < 78 ? 1 : u < 93 ? 2 : u < 98 ? 3 : (int)(4 + RB(r, 3));
		m->cost = (intl && !m->inbound ? SMS_INTL : SMS_FEE) * m->segments;
	}
}

/* Draws the day's calls (or messages), delivers them in time order, and
 * charges the estimated costs to the balances. */
static int run_day(state_t *st, int64_t day, int wd, int msgs)
{
	const gen_config *c = st->cfg;
	gen_call k;
	gen_msg m;
	memset(&k, 0, sizeof k);
	memset(&m, 0, sizeof m);
	if (draw_slots(st, day, wd, msgs))
		return -1;
	for (size_t i = 0; i < st->nslots; i++) {
		acct_t *ac = &st->ac[st->slots[i].a];
		int64_t t = st->slots[i].t;
		money_t cost;
		if (msgs) {
			make_msg(ac, t, &m);
			cost = m.cost;
		} else {
			make_call(st, ac, t, &k);
			/* A switch writes a call when it ends: a call still going on at
			 * `to` (the demo's clock) has no record yet. */
			if (k.end >= c->to)
				continue;
			cost = k.cnam_fee + (c->on_ledger ? rate_estimate(st, k.dst, k.billsec_ms / 1000) : 0);
		}
		ac->bal -= cost;
		ac->usage += cost;
		if (c->on_ledger)
			check_topup(st, st->slots[i].a, t);
		int rc = msgs ? (c->on_msg ? c->on_msg(&m, c->ctx) : 0)
		              : (c->on_call ? c->on_call(&k, c->ctx) : 0);
		if (rc)
			return rc;
	}
	return 0;
}

/* ---- driver ---- */

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

static void init_account(acct_t *ac, const gen_account *ga, uint64_t seed, int late)
{
	static const char *const npas[] = {"206", "212", "312", "415", "512", "617", "303", "404"};
	memset(ac, 0, sizeof *ac);
	copy_name(ac->name, sizeof ac->name, ga->name);
	ac->cpd = ga->calls_per_day > 0 ? ga->calls_per_day : GEN_DEFAULT_CPD;
	ac->late = late;
	uint64_t h = fnv1a(ac->name);
	uint64_t x = seed ^ h;
	gen_rng_seed(&ac->rc, splitmix64(&x));
	gen_rng_seed(&ac->rm, splitmix64(&x));
	gen_rng_seed(&ac->rl, splitmix64(&x));
	/* DID 1-NPA-555-01xx (555-0100..0199 are reserved for fiction). */
	char *p = put(ac->did, "1");
	p = put(p, npas[h % 8]);
	p = put(p, "55501");
	*p++ = (char)('0' + (h >> 8) % 10);
	*p++ = (char)('0' + (h >> 16) % 10);
	*p = 0;
	size_t i = 0;
	for (; ac->name[i] && i < 20; i++) {
		char ch = ac->name[i];
		ac->cname[i] = ch >= 'a' && ch <= 'z' ? (char)(ch - 32) : ch == '"' ? '\'' : ch;
	}
	ac->cname[i] = 0;
}

int gen_run(const gen_config *cfg)
{
	if (!cfg || cfg->naccounts <= 0 || !cfg->accounts || cfg->from >= cfg->to)
		return 0;
	state_t *st = calloc(1, sizeof *st);
	if (!st)
		return -1;
	st->cfg = cfg;
	load_deck(st);
	for (int i = 0; i < NDIALS; i++)
		st->dial_total += dials[i].w;
	int rc = 0;
	st->ac = calloc((size_t)cfg->naccounts, sizeof *st->ac);
	st->capled = 5 * cfg->naccounts;
	st->led = malloc((size_t)st->capled * sizeof *st->led);
	st->count = malloc((DAY + 1) * sizeof *st->count);
	if (!st->ac || !st->led || !st->count) {
		free(st->ac);
		free(st->led);
		free(st->count);
		free(st);
		return -1;
	}
	for (int a = 0; a < cfg->naccounts; a++)
		init_account(&st->ac[a], &cfg->accounts[a], cfg->seed, a == cfg->naccounts - 1);
	int want_calls = cfg->on_call || cfg->on_ledger;
	int want_msgs = cfg->on_msg || cfg->on_ledger;
	for (int64_t day = floor_div(cfg->from, DAY) * DAY; day < cfg->to && !rc; day += DAY) {
		int y, m, d;
		int64_t dn = day / DAY;
		civil(dn, &y, &m, &d);
		int wd = (int)((dn % 7 + 7 + 3) % 7); /* 1970-01-01 was a Thursday */
		char ym[8] = {(char)('0' + y / 1000 % 10), (char)('0' + y / 100 % 10),
		              (char)('0' + y / 10 % 10), (char)('0' + y % 10), '-',
		              (char)('0' + m / 10), (char)('0' + m % 10), 0};
		if (cfg->on_ledger)
			day_ledger_pre(st, day, d, ym, wd);
		if (!rc && want_calls)
			rc = run_day(st, day, wd, 0);
		if (!rc && want_msgs)
			rc = run_day(st, day, wd, 1);
		if (!rc && cfg->on_ledger)
			rc = day_ledger_post(st, day);
	}
	free(st->slots);
	free(st->raw);
	free(st->count);
	free(st->led);
	free(st->ac);
	free(st);
	return rc;
}
