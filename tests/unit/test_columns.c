/* test_columns.c: display columns of UTF-8 text and the ellipsis that ends
 * cut text (core/columns.h): measured in columns, never splitting a
 * character, wide characters counting two. */
#include "t.h"
#include "../../core/columns.h"

TEST(width)
{
	T_EQ_I64(col_width(""), 0);
	T_EQ_I64(col_width("abc"), 3);
	T_EQ_I64(col_width("caf\xc3\xa9"), 4);              /* é: 2 bytes, 1 column */
	T_EQ_I64(col_width("\xe6\x97\xa5\xe6\x9c\xac"), 4);  /* 日本: 2 wide */
	T_EQ_I64(col_width("e\xcc\x81"), 1);                 /* e + combining acute */
	T_EQ_I64(col_width("\xff" "a"), 2);                  /* an invalid byte counts 1 */
}

TEST(fit)
{
	int used;
	T_EQ_I64(col_fit("abcdef", 4, &used), 4);
	T_EQ_I64(used, 4);
	/* 日本語 in 5 columns: two characters (4 columns), never half of the third */
	T_EQ_I64(col_fit("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 5, &used), 6);
	T_EQ_I64(used, 4);
	T_EQ_I64(col_fit("caf\xc3\xa9!", 4, &used), 5);
}

TEST(clip)
{
	char b[64];
	T_EQ_I64(col_clip("short", 10, 0, b, sizeof b), 0);
	T_EQ_STR(b, "short");
	T_EQ_I64(col_clip("exactly10!", 10, 0, b, sizeof b), 0);
	T_EQ_STR(b, "exactly10!");
	/* the error line: cut, and it says so */
	T_EQ_I64(col_clip("bad amount (amount has more than 9 decimals)", 16, 0, b, sizeof b), 1);
	T_EQ_STR(b, "bad amount (amo\xe2\x80\xa6");
	T_EQ_I64(col_width(b), 16);
	T_EQ_I64(col_clip("bad amount (amount has more than 9 decimals)", 16, 1, b, sizeof b), 1);
	T_EQ_STR(b, "bad amount (amo~");
	/* only blanks left over: not a cut */
	T_EQ_I64(col_clip("name      ", 6, 0, b, sizeof b), 0);
	T_EQ_STR(b, "name  ");
	/* wide characters: 日本語 in 4 columns is 日 + ellipsis (3 columns, the
	 * next wide one does not fit in the 1 left) */
	T_EQ_I64(col_clip("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 4, 0, b, sizeof b), 1);
	T_EQ_STR(b, "\xe6\x97\xa5\xe2\x80\xa6");
	T_ASSERT(col_width(b) <= 4);
	T_EQ_I64(col_clip("abc", 0, 0, b, sizeof b), 1);
	T_EQ_STR(b, "");
}

void suite_columns(void); /* t.h's SUITE() has no prototype of its own */

SUITE(columns)
{
	RUN(width);
	RUN(fit);
	RUN(clip);
}
