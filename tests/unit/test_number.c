/* test_number.c: number normalisation for rating and for matching. */
#include "t.h"
#include "../../core/number.h"

static const char *rating(const char *s)
{
	static char b[4][64];
	static int slot;
	char *o = b[slot++ % 4];
	if (number_for_rating(s, o, 64) < 0)
		return "(error)";
	return o;
}

static const char *matching(const char *s)
{
	static char b[4][64];
	static int slot;
	char *o = b[slot++ % 4];
	if (number_for_matching(s, o, 64) < 0)
		return "(error)";
	return o;
}

TEST(for_rating)
{
	T_EQ_STR(rating("+1 (206) 555-0100"), "12065550100");
	T_EQ_STR(rating("12065550100"), "12065550100");
	T_EQ_STR(rating("1.206.555.0100"), "12065550100");
	T_EQ_STR(rating("011 44 20 7946 0958"), "442079460958");
	T_EQ_STR(rating("0044 20 7946 0958"), "442079460958");
	T_EQ_STR(rating("+442079460958"), "442079460958");
	T_EQ_STR(rating("2065550100"), "2065550100");
	T_EQ_STR(rating("18774551500"), "18774551500");
	T_EQ_STR(rating("911"), "911");
	T_EQ_STR(rating("6789"), "6789");
	T_EQ_STR(rating(""), "");
	T_EQ_STR(rating("anonymous"), "");
	T_EQ_STR(rating("+"), "");
	T_EQ_STR(rating("00"), "");
	T_EQ_STR(rating("011"), "");
	T_EQ_STR(rating("01"), "01");    /* not an access code */
	T_EQ_STR(rating("0111"), "1");   /* 011 once, then the digits */
	T_EQ_STR(rating("0001"), "01");  /* 00 once only */
	T_EQ_STR(rating("10011"), "10011"); /* only a leading code */
	T_EQ_STR(rating("0 1 1 49 30 1234"), "49301234");
}

TEST(for_rating_buffer)
{
	char b[12];

	T_EQ_I64(number_for_rating("+1 (206) 555-0100", b, sizeof b), 11);
	T_EQ_STR(b, "12065550100");
	T_EQ_I64(number_for_rating("+1 (206) 555-0100", b, 11), -1);
	/* the stripped access code does not count against the room */
	T_EQ_I64(number_for_rating("011 12065550100", b, 12), 11);
	T_EQ_STR(b, "12065550100");
	T_EQ_I64(number_for_rating("x", b, 1), 0);
	T_EQ_STR(b, "");
	T_EQ_I64(number_for_rating("1", b, 1), -1);
	T_EQ_I64(number_for_rating("1", b, 0), -1);
	T_EQ_I64(number_for_rating(NULL, b, sizeof b), 0);
	T_EQ_STR(b, "");
	T_EQ_I64(number_for_rating("1", NULL, 5), -1);
}

TEST(for_matching)
{
	T_EQ_STR(matching("12065550100"), "2065550100");
	T_EQ_STR(matching("+1 206 555 0100"), "2065550100");
	T_EQ_STR(matching("2065550100"), "2065550100");
	T_EQ_STR(matching("(206) 555-0100"), "2065550100");
	T_EQ_STR(matching("011 1 206 555 0100"), "2065550100");
	/* only an 11-digit number loses its leading 1 */
	T_EQ_STR(matching("1206555010"), "1206555010");
	T_EQ_STR(matching("120655501001"), "120655501001");
	T_EQ_STR(matching("22065550100"), "22065550100");
	T_EQ_STR(matching("+442079460958"), "442079460958");
	T_EQ_STR(matching("1002"), "1002");
	char b[12];
	T_EQ_I64(number_for_matching("+1 206 555 0100", b, 11), -1); /* 11 digits needed first */
	T_EQ_I64(number_for_matching("+1 206 555 0100", b, 12), 10);
	T_EQ_STR(b, "2065550100");
}

TEST(emergency)
{
	T_EQ_I64(number_is_emergency("911"), 1);
	T_EQ_I64(number_is_emergency("933"), 1);
	T_EQ_I64(number_is_emergency("112"), 1);
	/* exact match only (documented in number.c) */
	T_EQ_I64(number_is_emergency("1911"), 0);
	T_EQ_I64(number_is_emergency("9110"), 0);
	T_EQ_I64(number_is_emergency("91"), 0);
	T_EQ_I64(number_is_emergency("411"), 0);
	T_EQ_I64(number_is_emergency(""), 0);
	T_EQ_I64(number_is_emergency(NULL), 0);
	char b[8];
	number_for_rating("+911", b, sizeof b);
	T_EQ_I64(number_is_emergency(b), 1);
}

void suite_number(void); /* t.h's SUITE() has no prototype of its own */

SUITE(number)
{
	RUN(for_rating);
	RUN(for_rating_buffer);
	RUN(for_matching);
	RUN(emergency);
}
