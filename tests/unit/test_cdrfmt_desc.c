/* test_cdrfmt_desc.c: the table of CDR formats (data/cdrfmt.c) is whole and
 * consistent: every kind has exactly one descriptor, names and aliases are
 * unique and parse back to their kind, every descriptor has its hooks and
 * texts, and the stored names (record ids are "source:...") do not change. */
#include <string.h>
#include <strings.h>
#include "t.h"
#include "../../data/cdrfmt_int.h"

TEST(every_kind_has_one_descriptor)
{
	for (int k = CDRFMT_AUTO + 1; k <= CDRFMT_LAST; k++) {
		int n = 0;
		for (size_t i = 0; i < cdrfmt_table_len; i++)
			n += cdrfmt_table[i]->kind == (cdrfmt_kind)k;
		if (n != 1)
			T_FAIL("kind %d has %d descriptors in cdrfmt_table, expected 1", k, n);
		T_ASSERT(cdrfmt_desc_of((cdrfmt_kind)k) != NULL);
	}
	T_EQ_I64(cdrfmt_table_len, CDRFMT_LAST);
	T_ASSERT(cdrfmt_desc_of(CDRFMT_AUTO) == NULL);
}

TEST(every_descriptor_is_complete)
{
	for (size_t i = 0; i < cdrfmt_table_len; i++) {
		const cdrfmt_desc *d = cdrfmt_table[i];
		T_ASSERT(d->kind > CDRFMT_AUTO && d->kind <= CDRFMT_LAST);
		T_ASSERT(d->name && *d->name);
		T_ASSERT(d->row != NULL);
		T_ASSERT(d->classify != NULL);
		T_ASSERT(d->describe != NULL);
		T_ASSERT(d->headed == CF_HEADLESS || d->headed == CF_HEADED || d->headed == CF_FIRST_ROW);
		T_ASSERT(d->summary && *d->summary && strlen(d->summary) <= 62);
		T_ASSERT(d->billing && *d->billing);
		/* detection's failure message lists every headerless layout */
		T_ASSERT(d->headed != CF_HEADLESS || d->shape);
		T_EQ_STR(cdrfmt_name(d->kind), d->name);
	}
}

/* Every name and alias, checked against every other (any case). */
TEST(names_and_aliases_unique_and_parse_back)
{
	const char *all[128];
	cdrfmt_kind kind[128];
	size_t n = 0;
	all[n] = "auto", kind[n++] = CDRFMT_AUTO;
	for (size_t i = 0; i < cdrfmt_table_len; i++) {
		const cdrfmt_desc *d = cdrfmt_table[i];
		T_ASSERT(n < 128);
		all[n] = d->name, kind[n++] = d->kind;
		for (const char *const *a = d->aliases; a && *a; a++) {
			T_ASSERT(n < 128);
			all[n] = *a, kind[n++] = d->kind;
		}
	}
	for (size_t i = 0; i < n; i++) {
		cdrfmt_kind k = (cdrfmt_kind)-1;
		for (size_t j = i + 1; j < n; j++)
			if (!strcasecmp(all[i], all[j]))
				T_FAIL("format name \"%s\" given twice", all[i]);
		T_EQ_I64(cdrfmt_parse_name(all[i], &k), 0);
		T_EQ_I64(k, kind[i]);
	}
	cdrfmt_kind k;
	T_EQ_I64(cdrfmt_parse_name("no-such-format", &k), -1);
}

/* The names are stored (imports' source, record ids "source:...") and
 * listed in usage texts in kind order: renaming one breaks old databases. */
TEST(stored_names_do_not_change)
{
	char buf[256];
	T_EQ_STR(cdrfmt_names_list(buf, sizeof buf),
	         "auto|asterisk|asterisk-custom|freeswitch|flowroute|generic|asterisk-db|grandstream");
	T_EQ_STR(cdrfmt_names_list(buf, 9), "auto|ast");
}

SUITE(cdrfmt_desc)
{
	RUN(every_kind_has_one_descriptor);
	RUN(every_descriptor_is_complete);
	RUN(names_and_aliases_unique_and_parse_back);
	RUN(stored_names_do_not_change);
}
