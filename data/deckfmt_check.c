/* deckfmt_check.c: the checks over a whole deck once read (deckfmt.c states
 * the rules): one prefix twice for the same date, a zero rate, a rate more
 * than 20 times the median of the deck's non-zero rates. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "deckfmt_int.h"

static int by_prefix(const void *a, const void *b)
{
	const deckfmt_row *p = *(deckfmt_row *const *)a, *q = *(deckfmt_row *const *)b;
	int c = strcmp(p->r.prefix, q->r.prefix);
	if (c)
		return c;
	if (p->r.eff_from != q->r.eff_from)
		return p->r.eff_from < q->r.eff_from ? -1 : 1;
	return p->line < q->line ? -1 : p->line > q->line;
}

static int by_money(const void *a, const void *b)
{
	money_t p = *(const money_t *)a, q = *(const money_t *)b;
	return p < q ? -1 : p > q;
}

static int by_line(const void *a, const void *b)
{
	const deckfmt_msg *p = a, *q = b;
	return p->line < q->line ? -1 : p->line > q->line;
}

static void fmt_money(money_t v, char *out, size_t cap)
{
	char buf[64];
	money_format(v, 9, buf, sizeof buf);
	/* trim trailing zeros, keep 2 decimals */
	size_t n = strlen(buf);
	char *dot = strchr(buf, '.');
	while (dot && n > (size_t)(dot - buf) + 3 && buf[n - 1] == '0')
		buf[--n] = '\0';
	snprintf(out, cap, "%s", buf);
}

/* The checks over the whole file (see the file comment). */
int deckfmt_check(deckfmt_deck *d)
{
	size_t n = d->nrows, nz = 0;
	deckfmt_row **ix;
	money_t *rates;
	char a[48], b[48];
	if (!n)
		return 0;
	if (!(ix = malloc(n * sizeof *ix)) || !(rates = malloc(n * sizeof *rates))) {
		free(ix);
		return 1;
	}
	for (size_t i = 0; i < n; i++) {
		ix[i] = &d->rows[i];
		if (d->rows[i].r.rate_per_min > 0)
			rates[nz++] = d->rows[i].r.rate_per_min;
	}
	qsort(ix, n, sizeof *ix, by_prefix);
	/* one prefix twice for the same date: the first row is kept */
	size_t keep = 0;
	for (size_t i = 1; i < n; i++) {
		deckfmt_row *p = ix[keep], *q = ix[i];
		if (strcmp(p->r.prefix, q->r.prefix) != 0 || p->r.eff_from != q->r.eff_from) {
			keep = i;
			continue;
		}
		if (p->r.rate_per_min == q->r.rate_per_min && p->r.min_secs == q->r.min_secs
		    && p->r.inc_secs == q->r.inc_secs && p->r.grace_secs == q->r.grace_secs
		    && p->r.connect_fee == q->r.connect_fee && p->r.eff_to == q->r.eff_to) {
			q->repeat = 1;
			d->repeats++;
			deckfmt_note(d, q->line, 0, "prefix %s repeats line %lld with the same rates: read once", q->r.prefix,
			    (long long)p->line);
		} else {
			fmt_money(q->r.rate_per_min, a, sizeof a);
			fmt_money(p->r.rate_per_min, b, sizeof b);
			q->repeat = -1; /* rejected: removed below */
			deckfmt_note(d, q->line, 1, "prefix %s has rate %s %d/%d here and %s %d/%d on line %lld for the same "
			    "date: which one is meant cannot be known", q->r.prefix, a, q->r.min_secs, q->r.inc_secs, b,
			    p->r.min_secs, p->r.inc_secs, (long long)p->line);
		}
	}
	free(ix);
	/* drop the rejected repeats, keeping file order */
	size_t w = 0;
	for (size_t i = 0; i < n; i++) {
		if (d->rows[i].repeat < 0) {
			free((char *)d->rows[i].r.description);
			continue;
		}
		d->rows[w++] = d->rows[i];
	}
	d->nrows = n = w;
	if (nz >= 3) {
		qsort(rates, nz, sizeof *rates, by_money);
		d->median = rates[nz / 2];
	}
	free(rates);
	fmt_money(d->median, b, sizeof b);
	for (size_t i = 0; i < n; i++) {
		const deckfmt_row *r = &d->rows[i];
		if (r->repeat)
			continue;
		if (r->r.rate_per_min == 0) {
			deckfmt_note(d, r->line, 0, "prefix %s has rate 0: calls there are free", r->r.prefix);
		} else if (d->median > 0 && r->r.rate_per_min / 20 > d->median) {
			fmt_money(r->r.rate_per_min, a, sizeof a);
			deckfmt_note(d, r->line, 0, "prefix %s has rate %s, %lldx the deck's median %s", r->r.prefix, a,
			    (long long)(r->r.rate_per_min / d->median), b);
		}
	}
	if (d->msgs)
		qsort(d->msgs, d->nmsgs, sizeof *d->msgs, by_line);
	return 0;
}
