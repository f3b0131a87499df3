/* rate.c: rate decks (longest-prefix match on a digit trie) and per-call
 * rating (see rate.h and DESIGN.md "Rating").
 *
 * The deck is a 10-way digit trie kept in one array of nodes that refer to
 * their children by int32 index (0 = no child; the root is node 0 and is
 * never a child). A node that ends a prefix points at a list of "slots", one
 * per row with that prefix, sorted by eff_from, newest first. Matching walks
 * the dialled digits down the trie, one array load per digit, remembering
 * the nodes that carry rows; it then tries them deepest first and returns the
 * first row effective at the call time. The cost is O(len(digits)) whatever
 * the deck size: 100,000 prefixes match as fast as 10, bar cache misses.
 *
 * Ownership: the deck owns its row copies and their description strings.
 * Rows live in fixed-size blocks that are never moved, so a pointer from
 * rate_deck_match stays valid while rows are added, until rate_deck_free.
 * rate_deck_add either fully succeeds or leaves the deck as it was. */
#include <stdlib.h>
#include <string.h>

#include "rate.h"

#define ROWS_PER_BLOCK 1024

typedef struct {
	int32_t child[10]; /* node index, 0 = none */
	int32_t slot;      /* first slot of this prefix's rows, -1 = none */
} node;

typedef struct {
	int64_t eff_from, eff_to;
	const rate_row *row;
	int32_t next;      /* next slot (older eff_from), -1 = end */
} slot;

struct rate_deck {
	node *nodes;
	int32_t nnodes, capnodes;
	slot *slots;
	int32_t nslots, capslots;
	rate_row **blocks;  /* each holds ROWS_PER_BLOCK rows */
	size_t nblocks, capblocks;
	size_t nrows;
};

rate_deck *rate_deck_new(void)
{
	rate_deck *d = calloc(1, sizeof *d);

	if (!d)
		return NULL;
	d->capnodes = 64;
	d->nodes = malloc((size_t)d->capnodes * sizeof *d->nodes);
	if (!d->nodes) {
		free(d);
		return NULL;
	}
	memset(&d->nodes[0], 0, sizeof d->nodes[0]);
	d->nodes[0].slot = -1;
	d->nnodes = 1;
	return d;
}

void rate_deck_free(rate_deck *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->nrows; i++)
		free((char *)d->blocks[i / ROWS_PER_BLOCK][i % ROWS_PER_BLOCK].description);
	for (size_t b = 0; b < d->nblocks; b++)
		free(d->blocks[b]);
	free(d->blocks);
	free(d->slots);
	free(d->nodes);
	free(d);
}

size_t rate_deck_size(const rate_deck *d)
{
	return d ? d->nrows : 0;
}

/* Grow helpers: make room for `extra` more items; 0 or -1 (nothing changed). */
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
	p = realloc(d->nodes, (size_t)cap * sizeof *p);
	if (!p)
		return -1;
	d->nodes = p;
	d->capnodes = (int32_t)cap;
	return 0;
}

static int grow_slots(rate_deck *d)
{
	int64_t cap = d->capslots ? d->capslots : 64;
	slot *p;

	if (d->nslots < d->capslots)
		return 0;
	if (d->nslots == INT32_MAX)
		return -1;
	while (cap <= d->nslots)
		cap *= 2;
	if (cap > INT32_MAX)
		cap = INT32_MAX;
	p = realloc(d->slots, (size_t)cap * sizeof *p);
	if (!p)
		return -1;
	d->slots = p;
	d->capslots = (int32_t)cap;
	return 0;
}

/* Ensures a block exists for row number d->nrows. */
static int grow_rows(rate_deck *d)
{
	size_t b = d->nrows / ROWS_PER_BLOCK;

	if (b < d->nblocks)
		return 0;
	if (d->nblocks == d->capblocks) {
		size_t cap = d->capblocks ? d->capblocks * 2 : 16;
		rate_row **p = realloc(d->blocks, cap * sizeof *p);
		if (!p)
			return -1;
		d->blocks = p;
		d->capblocks = cap;
	}
	d->blocks[d->nblocks] = malloc(ROWS_PER_BLOCK * sizeof(rate_row));
	if (!d->blocks[d->nblocks])
		return -1;
	d->nblocks++;
	return 0;
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

int rate_deck_add(rate_deck *d, const rate_row *row)
{
	size_t len, depth = 0;
	int32_t cur = 0, s, *link;
	char *desc = NULL;
	rate_row *copy;

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
		int32_t nx = d->nodes[cur].child[row->prefix[depth] - '0'];
		if (!nx)
			break;
		cur = nx;
		depth++;
	}
	if (depth == len)
		for (s = d->nodes[cur].slot; s >= 0; s = d->slots[s].next)
			if (d->slots[s].eff_from == row->eff_from)
				return RATE_EDUP;

	/* Reserve everything before changing anything. */
	if (grow_nodes(d, (int32_t)(len - depth)) || grow_slots(d) || grow_rows(d))
		return RATE_ENOMEM;
	if (row->description) {
		size_t dl = strlen(row->description);
		desc = malloc(dl + 1);
		if (!desc)
			return RATE_ENOMEM;
		memcpy(desc, row->description, dl + 1);
	}

	for (; depth < len; depth++) {
		int32_t nx = d->nnodes++;
		memset(&d->nodes[nx], 0, sizeof d->nodes[nx]);
		d->nodes[nx].slot = -1;
		d->nodes[cur].child[row->prefix[depth] - '0'] = nx;
		cur = nx;
	}
	copy = &d->blocks[d->nrows / ROWS_PER_BLOCK][d->nrows % ROWS_PER_BLOCK];
	*copy = *row;
	copy->description = desc;
	d->nrows++;

	/* Insert the slot keeping the list sorted newest eff_from first. */
	s = d->nslots++;
	d->slots[s].eff_from = row->eff_from;
	d->slots[s].eff_to = row->eff_to;
	d->slots[s].row = copy;
	link = &d->nodes[cur].slot;
	while (*link >= 0 && d->slots[*link].eff_from > row->eff_from)
		link = &d->slots[*link].next;
	d->slots[s].next = *link;
	*link = s;
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
	const slot *slots;

	if (!d || !digits)
		return NULL;
	nodes = d->nodes;
	slots = d->slots;
	for (const char *p = digits; nfound <= RATE_PREFIX_MAX; p++) {
		unsigned c = (unsigned)(*p - '0');
		int32_t nx;
		if (c > 9)
			break;
		nx = nodes[cur].child[c];
		if (!nx)
			break;
		cur = nx;
		if (nodes[cur].slot >= 0)
			found[nfound++] = nodes[cur].slot;
	}
	/* Deepest prefix first; within a prefix, newest eff_from first. */
	while (nfound > 0) {
		for (int32_t s = found[--nfound]; s >= 0; s = slots[s].next)
			if (slots[s].eff_from <= at && at < slots[s].eff_to)
				return slots[s].row;
	}
	return NULL;
}

/* Out-of-range arguments are clamped (min and inc to >= 1, grace to >= 0)
 * so this never divides by zero; a result beyond int64 saturates. */
int64_t rate_billed_seconds(int64_t billsec, int32_t min_secs, int32_t inc_secs,
                            int32_t grace_secs)
{
	__int128 steps, billed;

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
	steps = ((__int128)billsec - min_secs + inc_secs - 1) / inc_secs;
	billed = min_secs + steps * inc_secs;
	return billed > INT64_MAX ? INT64_MAX : (int64_t)billed;
}

static const int64_t pow10_tab[10] = {
	1LL, 10LL, 100LL, 1000LL, 10000LL, 100000LL, 1000000LL, 10000000LL,
	100000000LL, 1000000000LL
};

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

	if (out)
		*out = r;
	if (!row)
		return RATE_ENOMATCH;
	if (decimals < 0 || decimals > MONEY_MAX_DECIMALS || (unsigned)mode > ROUND_DOWN)
		return RATE_EOVERFLOW;
	/* Per-second rounding is full-up: 9001 ms is 10 s. */
	r.billsec = billsec_ms <= 0 ? 0 : billsec_ms / 1000 + (billsec_ms % 1000 != 0);
	r.billed_secs = rate_billed_seconds(r.billsec, row->min_secs, row->inc_secs,
	                                    row->grace_secs);
	if (r.billed_secs > 0) {
		unit = pow10_tab[MONEY_MAX_DECIMALS - decimals];
		r.exact_num = (__int128)row->rate_per_min * r.billed_secs +
		              (__int128)row->connect_fee * 60;
		if (money_div_round(r.exact_num, (__int128)60 * unit, mode, &q) != 0 ||
		    q > INT64_MAX / unit || q < INT64_MIN / unit)
			return RATE_EOVERFLOW;
		r.cost = q * unit;
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
