/* test_copytext.c: COPY text fields and array elements (data/copytext.c),
 * as PostgreSQL reads them back (COPY text format; array_in). */
#include "t.h"
#include "../../data/copytext.h"

#include <stdint.h>

TEST(fields)
{
	copytext ct = { 0 };
	T_EQ_I64(ct_field(&ct, "a\tb\\c\nd\re") | ct_char(&ct, '|') | ct_field(&ct, NULL)
	         | ct_char(&ct, '|') | ct_field(&ct, "") | ct_char(&ct, '|') | ct_field(&ct, "Zoë \"x\""), 0);
	T_EQ_STR(ct.p, "a\\tb\\\\c\\nd\\re|\\N||Zoë \"x\"");
	ct_free(&ct);
}

TEST(elements)
{
	copytext ct = { 0 };
	T_EQ_I64(ct_char(&ct, '{') | ct_elem(&ct, "plain") | ct_char(&ct, ',') | ct_elem(&ct, "q\"uo\\te\"")
	         | ct_char(&ct, ',') | ct_elem(&ct, "") | ct_char(&ct, '}'), 0);
	T_EQ_STR(ct.p, "{\"plain\",\"q\\\"uo\\\\te\\\"\",\"\"}");
	ct_free(&ct);
}

TEST(ints)
{
	copytext ct = { 0 };
	T_EQ_I64(ct_int(&ct, 0) | ct_char(&ct, ' ') | ct_int(&ct, -42) | ct_char(&ct, ' ') | ct_int(&ct, INT64_MAX)
	         | ct_char(&ct, ' ') | ct_int(&ct, INT64_MIN), 0);
	T_EQ_STR(ct.p, "0 -42 9223372036854775807 -9223372036854775808");
	ct_free(&ct);
}

/* past the first 64 KiB the buffer grows and keeps what it held */
TEST(grows)
{
	copytext ct = { 0 };
	for (int i = 0; i < 100000; i++)
		T_EQ_I64(ct_put(&ct, "0123456789", 10), 0);
	T_EQ_I64(ct.len, 1000000);
	T_EQ_I64(ct.p[999999], '9');
	T_EQ_I64(ct.p[1000000], '\0');
	ct_free(&ct);
}

SUITE(copytext)
{
	RUN(fields);
	RUN(elements);
	RUN(ints);
	RUN(grows);
}
