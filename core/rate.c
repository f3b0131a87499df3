/* rate.c: rate decks (longest-prefix match on a digit trie) and per-call
 * rating (see rate.h and DESIGN.md "Rating").
 *
 * The deck is a digit trie whose nodes are 12 bytes: a 10-bit map of the
 * digits that have a child, the index of the first child (the children of a
 * node sit side by side in digit order, so child c is at kids + the number
 * of set bits below c), and the newest row ending at this node. All nodes
 * live in one array and refer to each other by int32 index. Compact nodes
 * matter more than anything else for speed: a 100,000-prefix deck is
 * ~190,000 nodes, 2.3 MB, about one core's L2 cache; with 10-way nodes of
 * int32 children (44 bytes, 8.4 MB) most steps of a walk missed the caches
 * and the 100k-deck benchmark ran 2-3 times slower. Matching is one load
 * per dialled digit; rows are then tried deepest prefix first, so
 * O(len(digits)) whatever the deck size.
 *
 * Giving a node a new child moves its child block to a block one larger
 * (grandchildren are referred to by index, so they stay put); freed blocks
 * are kept on free lists by size and reused.
 *
 * Rows with the same prefix (different eff_from) are chained newest first
 * through srow.next. A row is tried by reading its own eff_from/eff_to, so
 * the one memory access that checks a row also brings in the fields that
 * rate_call reads next.
 *
 * Ownership: the deck owns its row copies and their description strings.
 * Rows live in fixed-size blocks that are never moved, so a pointer from
 * rate_deck_match stays valid while rows are added, until rate_deck_free.
 * rate_deck_add either fully succeeds or leaves the deck as it was. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#if defined(__linux__)
#include <sys/mman.h>
#endif

#include "rate.h"

/* Rows are stored in blocks of 16384 x 128 bytes = 2 MB. Big decks are
 * bound by memory latency (a random call touches a random row), and on
 * Linux 2 MB pages save a TLB miss on nearly every call, so the node array
 * (once 2 MB or more) and every row block after the first are allocated
 * 2 MB-aligned and advised MADV_HUGEPAGE. It is a hint: where it does not
 * exist or is refused, nothing changes but speed. A small deck only ever
 * touches the pages of its first block, so it costs little memory. */
#define ROWS_PER_BLOCK 16384
#define HUGE_PAGE ((size_t)2 << 20)

#if defined(__GNUC__) || defined(__clang__)
#define PREFETCH(p) __builtin_prefetch(p)
#else
#define PREFETCH(p) ((void)(p))
#endif

typedef struct {
	uint16_t bits;     /* bit c set: a child for digit c */
	uint16_t unused;
	int32_t kids;      /* index of the first child; free-list link when free */
	int32_t row;       /* newest row with this prefix, -1 = none */
} node;

/* A stored row. Rows are 128 bytes, 64-byte aligned, with the row placed so
 * that everything matching and rating read (rate_per_min .. eff_to) falls in
 * one cache line: checking a row's dates then costs one memory access and
 * rate_call finds its fields already loaded. */
typedef struct {
	_Alignas(64) int32_t next; /* next row with the same prefix, older eff_from; -1 end */
	int32_t unused;
	rate_row row;
} srow;

_Static_assert((offsetof(srow, row) + offsetof(rate_row, rate_per_min)) / 64 ==
               (offsetof(srow, row) + offsetof(rate_row, eff_to) + sizeof(int64_t) - 1) / 64,
               "the fields read by match and rate_call should share a cache line");

struct rate_deck {
	node *nodes;       /* nodes[0] is the root */
	int32_t nnodes, capnodes;
	int32_t freelist[11]; /* free child blocks by size 1..10, -1 = none */
	srow **blocks;     /* each holds ROWS_PER_BLOCK rows */
	size_t nblocks, capblocks;
	size_t nrows;
};

/* popcnt[m]: the number of set bits in the 10-bit map m, built at compile
 * time (1 KB, stays in L1; portable where a popcount instruction is not). */
#define B2(n) n, n + 1, n + 1, n + 2
#define B4(n) B2(n), B2(n + 1), B2(n + 1), B2(n + 2)
#define B6(n) B4(n), B4(n + 1), B4(n + 1), B4(n + 2)
#define B8(n) B6(n), B6(n + 1), B6(n + 1), B6(n + 2)
static const uint8_t popcnt[1024] = { B8(0), B8(1), B8(1), B8(2) };
#undef B2
#undef B4
#undef B6
#undef B8

static srow *row_at(const rate_deck *d, int32_t i)
{
	return &d->blocks[(size_t)i / ROWS_PER_BLOCK][(size_t)i % ROWS_PER_BLOCK];
}

static void advise_huge(void *p, size_t bytes)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE)
	(void)madvise(p, bytes, MADV_HUGEPAGE);
#else
	(void)p;
	(void)bytes;
#endif
}

/* Memory for `bytes`, 64-byte aligned (aligned_alloc wants a size that is
 * a multiple of the alignment, so it is rounded up). huge: 2 MB-aligned and
 * rounded to 2 MB so the hint can apply; advise: give the hint now. */
static void *alloc_aligned(size_t bytes, int huge, int advise)
{
	void *p;

	if (!huge)
		return aligned_alloc(64, (bytes + 63) / 64 * 64);
	bytes = (bytes + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
	p = aligned_alloc(HUGE_PAGE, bytes);
	if (p && advise)
		advise_huge(p, bytes);
	return p;
}

rate_deck *rate_deck_new(void)
{
	rate_deck *d = calloc(1, sizeof *d);

	if (!d)
		return NULL;
	d->capnodes = 64;
	d->nodes = alloc_aligned((size_t)d->capnodes * sizeof *d->nodes, 0, 0);
	if (!d->nodes) {
		free(d);
		return NULL;
	}
	memset(&d->nodes[0], 0, sizeof d->nodes[0]);
	d->nodes[0].row = -1;
	d->nnodes = 1;
	for (int i = 0; i <= 10; i++)
		d->freelist[i] = -1;
	return d;
}

void rate_deck_free(rate_deck *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->nrows; i++)
		free((char *)row_at(d, (int32_t)i)->row.description);
	for (size_t b = 0; b < d->nblocks; b++)
		free(d->blocks[b]);
	free(d->blocks);
	free(d->nodes);
	free(d);
}

size_t rate_deck_size(const rate_deck *d)
{
	return d ? d->nrows : 0;
}

/* Makes room for `extra` more nodes at the end of the array; 0, or -1 with
 * nothing changed. */
static int grow_nodes(rate_deck *d, int32_t extra)
{
	int64_t need = (int64_t)d->nnodes + extra, cap = d->capnodes;
	node *p;

	if (need <= cap)
		return 0;
	if (need > INT32_MAX)
		return -1;
	while (cap < need)
		cap *= 2;
	if (cap > INT32_MAX)
		cap = INT32_MAX;
	p = alloc_aligned((size_t)cap * sizeof *p, (size_t)cap * sizeof *p >= HUGE_PAGE, 1);
	if (!p)
		return -1;
	memcpy(p, d->nodes, (size_t)d->nnodes * sizeof *p);
	free(d->nodes);
	d->nodes = p;
	d->capnodes = (int32_t)cap;
	return 0;
}

/* Ensures a block exists for row number d->nrows. */
static int grow_rows(rate_deck *d)
{
	size_t b = d->nrows / ROWS_PER_BLOCK;

	if (d->nrows >= INT32_MAX)
		return -1;
	if (b < d->nblocks)
		return 0;
	if (d->nblocks == d->capblocks) {
		size_t cap = d->capblocks ? d->capblocks * 2 : 16;
		srow **p = realloc(d->blocks, cap * sizeof *p);
		if (!p)
			return -1;
		d->blocks = p;
		d->capblocks = cap;
	}
	/* The first block is left on small pages (a small deck touches only a
	 * few of them); once a second is needed the deck is big, and the first
	 * gets the hint too (the kernel may merge its pages later). */
	d->blocks[d->nblocks] = alloc_aligned(ROWS_PER_BLOCK * sizeof(srow), 1, d->nblocks > 0);
	if (!d->blocks[d->nblocks])
		return -1;
	if (d->nblocks == 1)
		advise_huge(d->blocks[0], ROWS_PER_BLOCK * sizeof(srow));
	d->nblocks++;
	return 0;
}

/* A block of sz nodes: from the free list, else from the end of the array
 * (the caller has reserved the room with grow_nodes). */
static int32_t alloc_block(rate_deck *d, int sz)
{
	int32_t i = d->freelist[sz];

	if (i >= 0) {
		d->freelist[sz] = d->nodes[i].kids;
		return i;
	}
	i = d->nnodes;
	d->nnodes += sz;
	return i;
}

/* Gives node n a child for digit c (which it lacks); returns the child. */
static int32_t add_child(rate_deck *d, int32_t n, int c)
{
	unsigned bits = d->nodes[n].bits;
	int k = popcnt[bits], pos = popcnt[bits & ((1u << c) - 1)];
	int32_t old = d->nodes[n].kids, nb = alloc_block(d, k + 1);
	node *dst = &d->nodes[nb];

	for (int i = 0; i < pos; i++)
		dst[i] = d->nodes[old + i];
	for (int i = pos; i < k; i++)
		dst[i + 1] = d->nodes[old + i];
	memset(&dst[pos], 0, sizeof dst[pos]);
	dst[pos].row = -1;
	if (k > 0) {
		d->nodes[old].kids = d->freelist[k];
		d->freelist[k] = old;
	}
	d->nodes[n].kids = nb;
	d->nodes[n].bits = (uint16_t)(bits | (1u << c));
	return nb + pos;
}

static int32_t child(const node *nodes, int32_t n, unsigned c)
{
	unsigned bits = nodes[n].bits;

	if (!(bits >> c & 1))
		return -1;
	return nodes[n].kids + popcnt[bits & ((1u << c) - 1)];
}

static int valid_prefix(const char *p, size_t *len)
{
	size_t n = 0;

	while (n <= RATE_PREFIX_MAX && p[n]) {
		if (p[n] < '0' || p[n] > '9')
			return 0;
		n++;
	}
	if (n == 0 || n > RATE_PREFIX_MAX)
		return 0;
	*len = n;
	return 1;
}

/* Checks, in order: prefix (RATE_EPREFIX, also for a NULL row), increments
 * and grace (RATE_EINCREMENT), signs (RATE_ENEGATIVE), duplicate prefix +
 * eff_from (RATE_EDUP). A row whose eff_to <= eff_from is accepted but can
 * never match. A NULL deck is RATE_ENOMEM. */
int rate_deck_add(rate_deck *d, const rate_row *row)
{
	size_t len, depth = 0;
	int32_t cur = 0, idx, *link;
	char *desc = NULL;
	srow *copy;

	if (!d)
		return RATE_ENOMEM;
	if (!row || !valid_prefix(row->prefix, &len))
		return RATE_EPREFIX;
	if (row->min_secs < 1 || row->inc_secs < 1 || row->grace_secs < 0)
		return RATE_EINCREMENT;
	if (row->rate_per_min < 0 || row->connect_fee < 0)
		return RATE_ENEGATIVE;

	/* Walk the part of the path that exists; check for a duplicate. */
	while (depth < len) {
		int32_t nx = child(d->nodes, cur, (unsigned)(row->prefix[depth] - '0'));
		if (nx < 0)
			break;
		cur = nx;
		depth++;
	}
	if (depth == len)
		for (idx = d->nodes[cur].row; idx >= 0; idx = row_at(d, idx)->next)
			if (row_at(d, idx)->row.eff_from == row->eff_from)
				return RATE_EDUP;

	/* Reserve everything before changing anything: the first new child
	 * needs a block of at most 10 nodes, each level below it one node. */
	if ((depth < len && grow_nodes(d, (int32_t)(10 + len - depth))) || grow_rows(d))
		return RATE_ENOMEM;
	if (row->description) {
		size_t dl = strlen(row->description);
		desc = malloc(dl + 1);
		if (!desc)
			return RATE_ENOMEM;
		memcpy(desc, row->description, dl + 1);
	}

	for (; depth < len; depth++)
		cur = add_child(d, cur, row->prefix[depth] - '0');

	idx = (int32_t)d->nrows++;
	copy = row_at(d, idx);
	copy->row = *row;
	copy->row.description = desc;

	/* Chain it keeping the list sorted newest eff_from first. */
	link = &d->nodes[cur].row;
	while (*link >= 0 && row_at(d, *link)->row.eff_from > row->eff_from)
		link = &row_at(d, *link)->next;
	copy->next = *link;
	*link = idx;
	return RATE_OK;
}

/* Digits past the first non-digit are ignored (callers pass normalised
 * digits; a stray character must not read past the trie). */
const rate_row *rate_deck_match(const rate_deck *d, const char *digits, int64_t at)
{
	int32_t found[RATE_PREFIX_MAX + 1];
	int nfound = 0;
	int32_t cur = 0;
	const node *nodes;

	if (!d || !digits)
		return NULL;
	nodes = d->nodes;
	/* No node is deeper than RATE_PREFIX_MAX, so found[] cannot overflow. */
	for (const char *p = digits;; p++) {
		unsigned c = (unsigned)(*p - '0'), bits = nodes[cur].bits;
		if (c > 9 || !(bits >> c & 1))
			break;
		cur = nodes[cur].kids + popcnt[bits & ((1u << c) - 1)];
		if (nodes[cur].row >= 0) {
			found[nfound] = nodes[cur].row;
			/* start fetching the row while the walk goes on */
			PREFETCH(&row_at(d, found[nfound])->row.rate_per_min);
			nfound++;
		}
	}
	/* Deepest prefix first; within a prefix, newest eff_from first. */
	while (nfound > 0) {
		for (int32_t i = found[--nfound]; i >= 0;) {
			const srow *r = row_at(d, i);
			if (r->row.eff_from <= at && at < r->row.eff_to)
				return &r->row;
			i = r->next;
		}
	}
	return NULL;
}

/* The increment rule for a billsec so large that 64-bit arithmetic could
 * overflow (never a real call); the result saturates at INT64_MAX. */
static int64_t billed_huge(int64_t billsec, int32_t min_secs, int32_t inc_secs)
{
	__int128 steps = ((__int128)billsec - min_secs + inc_secs - 1) / inc_secs;
	__int128 billed = min_secs + steps * inc_secs;

	return billed > INT64_MAX ? INT64_MAX : (int64_t)billed;
}

/* The rule itself, small enough to be inlined into rate_call. Out-of-range
 * arguments are clamped (min and inc to >= 1, grace to >= 0) so it never
 * divides by zero. */
static inline int64_t billed_seconds(int64_t billsec, int32_t min_secs, int32_t inc_secs,
                                     int32_t grace_secs)
{
	if (min_secs < 1)
		min_secs = 1;
	if (inc_secs < 1)
		inc_secs = 1;
	if (grace_secs < 0)
		grace_secs = 0;
	if (billsec <= 0 || billsec <= grace_secs)
		return 0;
	if (billsec <= min_secs)
		return min_secs;
	if (INT64_MAX - billsec < (int64_t)inc_secs * 2)
		return billed_huge(billsec, min_secs, inc_secs);
	return min_secs + (billsec - min_secs + inc_secs - 1) / inc_secs * inc_secs;
}

int64_t rate_billed_seconds(int64_t billsec, int32_t min_secs, int32_t inc_secs,
                            int32_t grace_secs)
{
	return billed_seconds(billsec, min_secs, inc_secs, grace_secs);
}

static const int64_t pow10_tab[10] = {
	1LL, 10LL, 100LL, 1000LL, 10000LL, 100000LL, 1000000LL, 10000000LL,
	100000000LL, 1000000000LL
};

/* n / den rounded by mode, for 0 <= n <= INT64_MAX and den > 0: the case of
 * every real call. It is money_div_round specialised to non-negative 64-bit
 * operands so it can be inlined; the unit tests check that the two agree.
 * Rating a call from a big deck is bound by the row's cache miss, and the
 * fewer instructions follow it, the more of the next call the CPU can
 * overlap with it: this path made the 100k-deck benchmark ~25 % faster. */
static int64_t div_round_u64(uint64_t n, uint64_t den, round_mode mode)
{
	uint64_t q = n / den, rem = n % den, rest = den - rem;

	switch (mode) {
	case ROUND_UP:
		q += rem != 0;
		break;
	case ROUND_HALF_UP:
		q += rem >= rest;
		break;
	case ROUND_HALF_EVEN:
		q += rem > rest || (rem == rest && (q & 1));
		break;
	case ROUND_DOWN:
		break;
	}
	return (int64_t)q;
}

/* A call with billed 0 (not answered, billsec 0, or within grace) costs 0:
 * the connect fee is charged only together with billed time. decimals
 * outside 0..9 or an unknown mode have no representable result and give
 * RATE_EOVERFLOW, as does a cost beyond int64; a NULL row is RATE_ENOMATCH.
 * *out is always written (zeros on error). */
int rate_call(const rate_row *row, int64_t billsec_ms, int decimals, round_mode mode,
              rate_result *out)
{
	rate_result r = { 0, 0, 0, 0 };
	int64_t unit, q;
	__int128 back;

	if (out)
		*out = r;
	if (!row)
		return RATE_ENOMATCH;
	if (decimals < 0 || decimals > MONEY_MAX_DECIMALS || (unsigned)mode > ROUND_DOWN)
		return RATE_EOVERFLOW;
	/* Per-second rounding is full-up: 9001 ms is 10 s. */
	r.billsec = billsec_ms <= 0 ? 0 : billsec_ms / 1000 + (billsec_ms % 1000 != 0);
	r.billed_secs = billed_seconds(r.billsec, row->min_secs, row->inc_secs, row->grace_secs);
	if (r.billed_secs > 0) {
		unit = pow10_tab[MONEY_MAX_DECIMALS - decimals];
		r.exact_num = (__int128)row->rate_per_min * r.billed_secs +
		              (__int128)row->connect_fee * 60;
		if (r.exact_num >= 0 && r.exact_num <= INT64_MAX)
			q = div_round_u64((uint64_t)r.exact_num, (uint64_t)unit * 60, mode);
		else if (money_div_round(r.exact_num, (__int128)60 * unit, mode, &q) != 0)
			return RATE_EOVERFLOW;
		back = (__int128)q * unit; /* one multiply; no division to test range */
		if (back > INT64_MAX || back < INT64_MIN)
			return RATE_EOVERFLOW;
		r.cost = (money_t)back;
	}
	if (out)
		*out = r;
	return RATE_OK;
}

const char *rate_strerror(int status)
{
	switch (status) {
	case RATE_OK: return "ok";
	case RATE_ENOMEM: return "out of memory";
	case RATE_EPREFIX: return "prefix must be 1 to 32 digits";
	case RATE_EINCREMENT: return "increments must be >= 1 and grace >= 0";
	case RATE_ENEGATIVE: return "negative rate or connect fee";
	case RATE_EDUP: return "a row with this prefix and effective date already exists";
	case RATE_ENOMATCH: return "no rate row matches";
	case RATE_EOVERFLOW: return "cost out of range";
	default: return "unknown rate error";
	}
}
