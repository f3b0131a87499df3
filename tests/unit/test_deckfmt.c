/* test_deckfmt.c: the rate deck reader (data/deckfmt.c), one test per rule:
 * header names as real exporters write them, --map by name and number, a
 * deck without a header, '+' and ASTPP's "^9377.*", BOM, CR and CRLF,
 * trailing commas, blank lines, increments of 0 (ASTPP), "60/60" billing
 * columns, free seconds refused, NPA-NXX decks (--add-prefix, --rate-column),
 * the checks over the whole deck (zero rate, 20x the median, one prefix
 * twice) and the accounting (records = kept + blank + rejected). */
#include <stdlib.h>
#include <string.h>
#include "t.h"
#include "../../data/deckfmt.h"

static deckfmt_deck D;

static int rd(const char *text, const char *map, const char *add, const char *ratecol)
{
	deckfmt_opts o;
	memset(&o, 0, sizeof o);
	o.map = map;
	o.add_prefix = add;
	o.rate_column = ratecol;
	deckfmt_free(&D);
	return deckfmt_read("t.csv", text, strlen(text), &o, &D);
}

/* The message of line `line` (first), or "". */
static const char *msg_at(int64_t line)
{
	for (size_t i = 0; i < D.nmsgs; i++)
		if (D.msgs[i].line == line)
			return D.msgs[i].text;
	return "";
}

static int accounted(void)
{
	return D.records == (int64_t)D.nrows + D.blank + D.rejected;
}

TEST(header_names_of_real_exporters)
{
	/* ASTPP export labels */
	T_EQ_I64(rd("Code,Destination,\"Connection Cost (USD)\",\"Grace Time\",\"Cost / Min (USD)\","
	            "\"Initial Increment\",Increment\n44,UK,0.01,0,0.05,30,6\n", NULL, NULL, NULL), DECKFMT_OK);
	T_EQ_I64(D.nrows, 1);
	T_EQ_STR(D.rows[0].r.prefix, "44");
	T_EQ_STR(D.rows[0].r.description, "UK");
	T_EQ_I64(D.rows[0].r.rate_per_min, 50000000);
	T_EQ_I64(D.rows[0].r.connect_fee, 10000000);
	T_EQ_I64(D.rows[0].r.min_secs, 30);
	T_EQ_I64(D.rows[0].r.inc_secs, 6);
	/* carrier A-Z deck and IvozProvider words */
	T_EQ_I64(rd("Destination,Dial Code,Per minute charge,Connection charge,Charge period,Effective Date\n"
	            "Peru,51,0.0123,0.02,60,2026-01-01\n", NULL, NULL, NULL), DECKFMT_OK);
	T_EQ_STR(D.rows[0].r.prefix, "51");
	T_EQ_I64(D.rows[0].r.rate_per_min, 12300000);
	T_EQ_I64(D.rows[0].r.connect_fee, 20000000);
	T_EQ_I64(D.rows[0].r.inc_secs, 60);
	T_EQ_I64(D.rows[0].r.min_secs, 60);
	T_EQ_I64(D.rows[0].r.eff_from, 1767225600);
	/* A2Billing / MagnusBilling column names */
	T_EQ_I64(rd("dialprefix,destination,rateinitial,initblock,billingblock,connectcharge,startdate\n"
	            "4420,London,0.01,60,6,0.5,2025-01-01 00:00:00\n", NULL, NULL, NULL), DECKFMT_OK);
	T_EQ_STR(D.rows[0].r.prefix, "4420");
	T_EQ_I64(D.rows[0].r.min_secs, 60);
	T_EQ_I64(D.rows[0].r.inc_secs, 6);
	T_EQ_I64(D.rows[0].r.connect_fee, 500000000);
	/* the "Rate / Min" unit and "per min" spellings */
	T_EQ_I64(rd("Code,Rate / Min,Connect Cost\n1,0.01,0\n", NULL, NULL, NULL), DECKFMT_OK);
	T_EQ_I64(D.rows[0].r.rate_per_min, 10000000);
	T_EQ_I64(rd("prefix,rate per min (EUR)\n1,0.01\n", NULL, NULL, NULL), DECKFMT_OK);
	T_EQ_I64(D.rows[0].r.rate_per_min, 10000000);
	/* a unit in parentheses is dropped, whatever it is */
	T_EQ_I64(rd("Prefix,Rate,Increment (sec),Connect Fee [EUR]\n1,0.01,6,0.1\n", NULL, NULL, NULL), DECKFMT_OK);
	T_EQ_I64(D.rows[0].r.inc_secs, 6);
	T_EQ_I64(D.rows[0].r.connect_fee, 100000000);
}

TEST(cgrates_rates_refused_by_name)
{
	T_EQ_I64(rd("#Id,ConnectFee,Rate,RateUnit,RateIncrement,GroupIntervalStart\nRT_1,0,0.1,60s,60s,0s\n",
	            NULL, NULL, NULL), DECKFMT_EINPUT);
	T_ASSERT(strstr(D.err, "t.csv:1: a CGRateS Rates.csv") != NULL);
}

TEST(map_by_name_and_number)
{
	T_EQ_I64(rd("Zone,Digits,Tariff\nUK,44,0.05\n", NULL, NULL, NULL), DECKFMT_EINPUT);
	T_ASSERT(strstr(D.err, "no prefix column") != NULL);
	T_EQ_I64(rd("Zone,Digits,Tariff\nUK,44,0.05\n", "prefix=Digits,rate=3", NULL, NULL), DECKFMT_OK);
	T_EQ_I64(D.has_header, 1);
	T_EQ_STR(D.rows[0].r.prefix, "44");
	T_EQ_I64(D.rows[0].r.rate_per_min, 50000000);
	T_EQ_I64(D.col[DF_PREFIX], 1);
	/* --map wins over a known header name */
	T_EQ_I64(rd("prefix,rate,sell\n44,0.05,0.07\n", "rate=sell", NULL, NULL), DECKFMT_OK);
	T_EQ_I64(D.rows[0].r.rate_per_min, 70000000);
	T_EQ_I64(rd("Zone,Digits\nUK,44\n", "prefix=Digits,rate=Price", NULL, NULL), DECKFMT_EINPUT);
	T_ASSERT(strstr(D.err, "no column \"price\"") != NULL);
	T_EQ_I64(rd("a,b\n", "bogus=1", NULL, NULL), DECKFMT_EINPUT);
	T_ASSERT(strstr(D.err, "unknown deck field \"bogus\"") != NULL);
}

TEST(no_header_with_numbered_map)
{
	/* MagnusBilling's LOAD DATA order: dialprefix,destination,rateinitial,initblock,billingblock */
	T_EQ_I64(rd("5511,Sao Paulo,0.02,30,6\n5521,Rio,0.03,30,6\n", "prefix=1,description=2,rate=3,"
	            "first_increment=4,increment=5", NULL, NULL), DECKFMT_OK);
	T_EQ_I64(D.has_header, 0);
	T_EQ_I64(D.records, 2);
	T_EQ_I64(D.nrows, 2);
	T_EQ_STR(D.rows[0].r.prefix, "5511");
	T_EQ_I64(D.rows[0].line, 1);
	T_EQ_I64(D.rows[1].r.min_secs, 30);
	/* with a header and numbers only, the header is not read as a row */
	T_EQ_I64(rd("code,name,price\n5511,SP,0.02\n", "prefix=1,rate=3", NULL, NULL), DECKFMT_OK);
	T_EQ_I64(D.has_header, 1);
	T_EQ_I64(D.nrows, 1);
	T_EQ_I64(D.records, 1);
}

TEST(plus_and_astpp_pattern)
{
	T_EQ_I64(rd("prefix,rate\n+9377,0.2\n^9378.*,0.2\n^9379,0.2\n", NULL, NULL, NULL), DECKFMT_OK);
	T_EQ_I64(D.nrows, 3);
	T_EQ_STR(D.rows[0].r.prefix, "9377");
	T_EQ_STR(D.rows[1].r.prefix, "9378");
	T_EQ_STR(D.rows[2].r.prefix, "9379");
	T_EQ_I64(D.warnings, 0);
}

TEST(bom_cr_crlf_trailing_comma_blank_lines)
{
	T_EQ_I64(rd("\xef\xbb\xbfprefix,rate,\r\n44,0.05,\r\n\r\n33,0.04,\r\n,,\r\n\r\n", NULL, NULL, NULL),
	         DECKFMT_OK);
	T_EQ_I64(D.nrows, 2);
	T_EQ_STR(D.rows[1].r.prefix, "33");
	T_EQ_I64(D.rows[1].line, 4);
	T_EQ_I64(D.blank, 1);      /* ",," */
	T_EQ_I64(D.records, 3);
	T_ASSERT(accounted());
	T_EQ_I64(rd("prefix,rate\r44,0.05\r33,0.04", NULL, NULL, NULL), DECKFMT_OK);
	T_EQ_I64(D.nrows, 2);
	T_EQ_I64(D.rows[1].line, 3);
	/* rows with a trailing comma under a header without one (ASTPP samples) */
	T_EQ_I64(rd("Code,Destination,Per Minute Cost\n93,Afghanistan,0.3,\n \n", NULL, NULL, NULL), DECKFMT_OK);
	T_EQ_I64(D.nrows, 1);
	T_EQ_I64(D.rejected, 0);
}

TEST(increment_zero_as_astpp)
{
	/* astpp.cdr.php: INC < 1 -> 1; INITIALBLOCK < 1 -> no initial block */
	T_EQ_I64(rd("Code,Per Minute Cost,Initial Increment,Increment\n1,0.01,0,0\n2,0.01,0,60\n3,0.01,30,0\n"
	            "4,0.01,,\n", NULL, NULL, NULL), DECKFMT_OK);
	T_EQ_I64(D.rows[0].r.min_secs, 1);
	T_EQ_I64(D.rows[0].r.inc_secs, 1);
	T_EQ_I64(D.rows[1].r.min_secs, 60);
	T_EQ_I64(D.rows[1].r.inc_secs, 60);
	T_EQ_I64(D.rows[2].r.min_secs, 30);
	T_EQ_I64(D.rows[2].r.inc_secs, 1);
	T_EQ_I64(D.rows[3].r.min_secs, 1);
	T_EQ_I64(D.rows[3].r.inc_secs, 1);
}

TEST(billing_increment_pairs)
{
	T_EQ_I64(rd("Code,Rate,Billing Increment\n1,0.01,1/1\n2,0.01,60/60\n3,0.01,30/6\n4,0.01,60\n5,0.01,x/6\n"
	            "6,0.01,-1\n7,0.01,60/\n", NULL, NULL, NULL), DECKFMT_OK);
	T_EQ_I64(D.nrows, 4);
	T_EQ_I64(D.rows[0].r.min_secs, 1);
	T_EQ_I64(D.rows[1].r.min_secs, 60);
	T_EQ_I64(D.rows[1].r.inc_secs, 60);
	T_EQ_I64(D.rows[2].r.min_secs, 30);
	T_EQ_I64(D.rows[2].r.inc_secs, 6);
	T_EQ_I64(D.rows[3].r.min_secs, 60);
	T_EQ_I64(D.rows[3].r.inc_secs, 60);
	T_EQ_I64(D.rejected, 3);
	T_ASSERT(strstr(msg_at(6), "billing increment \"x/6\"") != NULL);
	T_ASSERT(strstr(msg_at(7), "billing increment \"-1\"") != NULL);
	T_ASSERT(strstr(msg_at(8), "billing increment \"60/\"") != NULL);
	/* "30-6" in an increment column is both increments, as "30/6" */
	T_EQ_I64(rd("Code,Rate,Increment\n1,0.01,30-6\n", NULL, NULL, NULL), DECKFMT_OK);
	T_EQ_I64(D.rows[0].r.min_secs, 30);
	T_EQ_I64(D.rows[0].r.inc_secs, 6);
}

TEST(free_seconds_refused_unless_zero)
{
	T_EQ_I64(rd("Code,Per Minute Cost,Included Seconds\n1,0.01,0\n2,0.01,30\n", NULL, NULL, NULL), DECKFMT_OK);
	T_EQ_I64(D.nrows, 1);
	T_EQ_I64(D.rejected, 1);
	T_ASSERT(strstr(msg_at(3), "Included Seconds 30") != NULL);
}

TEST(prefix_not_digits)
{
	T_EQ_I64(rd("prefix,rate\n44 20,0.05\nabc,0.05\n,0.05\n1-876,0.2\n44.0,0.05\n", NULL, NULL, NULL), DECKFMT_OK);
	T_EQ_I64(D.nrows, 2);
	T_EQ_STR(D.rows[0].r.prefix, "4420");
	T_EQ_STR(D.rows[1].r.prefix, "1876");
	T_ASSERT(strstr(msg_at(2), "separators") != NULL);
	T_ASSERT(strstr(msg_at(3), "prefix \"abc\" is not digits") != NULL);
	T_ASSERT(strstr(msg_at(4), "empty prefix") != NULL);
	T_ASSERT(strstr(msg_at(6), "prefix \"44.0\" is not digits") != NULL);
	T_EQ_I64(D.rejected, 3);
	T_EQ_I64(D.warnings, 2);
	T_ASSERT(accounted());
}

TEST(bad_rate_rejected)
{
	T_EQ_I64(rd("prefix,rate\n44,-0.05\n45,0,05\n46,abc\n47,0.05\n", NULL, NULL, NULL), DECKFMT_OK);
	T_EQ_I64(D.nrows, 2); /* "0,05" is 0 and a trailing field: a warning for zero */
	T_EQ_I64(D.rejected, 2);
	T_ASSERT(strstr(msg_at(2), "rate \"-0.05\"") != NULL);
	T_ASSERT(strstr(msg_at(4), "rate \"abc\"") != NULL);
}

TEST(zero_and_far_rates_warned)
{
	T_EQ_I64(rd("prefix,rate\n1,0.01\n2,0.01\n3,0.01\n4,0.01\n500,1.19\n6,0\n7,0.2\n8,0.21\n", NULL, NULL, NULL),
	         DECKFMT_OK);
	T_EQ_I64(D.median, 10000000);
	T_EQ_I64(D.nrows, 8);
	T_EQ_I64(D.rejected, 0);
	T_ASSERT(strstr(msg_at(6), "prefix 500 has rate 1.19, 119x the deck's median 0.01") != NULL);
	T_ASSERT(strstr(msg_at(7), "rate 0") != NULL);
	T_EQ_STR(msg_at(8), "");            /* 20x exactly is not "more than 20x" */
	T_ASSERT(strstr(msg_at(9), "21x") != NULL);
	T_EQ_I64(D.warnings, 3);
}

TEST(one_prefix_twice)
{
	T_EQ_I64(rd("prefix,rate\n44,0.05\n44,0.05\n33,0.04\n33,0.06\n", NULL, NULL, NULL), DECKFMT_OK);
	T_EQ_I64(D.nrows, 3);     /* the repeat is kept, flagged; the different one is rejected */
	T_EQ_I64(D.repeats, 1);
	T_EQ_I64(D.rows[1].repeat, 1);
	T_EQ_I64(D.rejected, 1);
	T_ASSERT(strstr(msg_at(3), "repeats line 2") != NULL);
	T_ASSERT(strstr(msg_at(5), "on line 4") != NULL);
	T_ASSERT(accounted());
	/* different effective dates are not the same rate twice */
	T_EQ_I64(rd("prefix,rate,effective\n44,0.05,2026-01-01\n44,0.06,2026-02-01\n", NULL, NULL, NULL), DECKFMT_OK);
	T_EQ_I64(D.rejected, 0);
	T_EQ_I64(D.nrows, 2);
}

TEST(npanxx_deck)
{
	const char *us = "NPANXX,Interstate,Intrastate,Indeterminate\n201555,0.01,0.02,0.03\n";
	T_EQ_I64(rd(us, NULL, "1", NULL), DECKFMT_EINPUT);
	T_ASSERT(strstr(D.err, "3 rate columns") != NULL && strstr(D.err, "--rate-column") != NULL);
	T_EQ_I64(rd(us, NULL, NULL, "Intrastate"), DECKFMT_EINPUT);
	T_ASSERT(strstr(D.err, "--add-prefix 1") != NULL);
	T_EQ_I64(rd(us, NULL, "1", "intrastate"), DECKFMT_OK);
	T_EQ_STR(D.rows[0].r.prefix, "1201555");
	T_EQ_I64(D.rows[0].r.rate_per_min, 20000000);
	T_EQ_I64(rd(us, NULL, "1", "4"), DECKFMT_OK);
	T_EQ_I64(D.rows[0].r.rate_per_min, 30000000);
	T_EQ_I64(rd("NPA,NXX,Rate\n201,555,0.01\n20,555,0.01\n", NULL, "1", NULL), DECKFMT_OK);
	T_EQ_STR(D.rows[0].r.prefix, "1201555");
	T_EQ_I64(D.rejected, 1);
	T_EQ_I64(rd("prefix,rate\n44,0.05\n", NULL, "x1", NULL), DECKFMT_EINPUT);
}

TEST(first_increment_without_increment_warned)
{
	T_EQ_I64(rd("Prefix,Rate,First Interval,Next\n44,0.05,30,6\n", NULL, NULL, NULL), DECKFMT_OK);
	T_EQ_I64(D.rows[0].r.min_secs, 30);
	T_EQ_I64(D.rows[0].r.inc_secs, 1);
	T_ASSERT(strstr(msg_at(1), "no increment column") != NULL);
	T_EQ_I64(D.warnings, 1);
	/* SDF's "Sub Interval" is the increment */
	T_EQ_I64(rd("Prefix,Rate,First Interval,Sub Interval\n44,0.05,30,6\n", NULL, NULL, NULL), DECKFMT_OK);
	T_EQ_I64(D.rows[0].r.inc_secs, 6);
	T_EQ_I64(D.warnings, 0);
}

TEST(empty_rate_rejected)
{
	T_EQ_I64(rd("Prefix,Rate\n43820,\n43,0.02\n", NULL, NULL, NULL), DECKFMT_OK);
	T_EQ_I64(D.nrows, 1);
	T_ASSERT(strstr(msg_at(2), "no rate") != NULL);
}

TEST(several_rate_columns)
{
	const char *t = "Code,Rate,Price\n44,0.05,0.07\n";
	T_EQ_I64(rd(t, NULL, NULL, NULL), DECKFMT_EINPUT);
	T_ASSERT(strstr(D.err, "t.csv:1: 2 rate columns (\"rate\", \"price\")") != NULL);
	T_EQ_I64(rd(t, NULL, NULL, "Price"), DECKFMT_OK);
	T_EQ_I64(D.rows[0].r.rate_per_min, 70000000);
	T_EQ_I64(rd(t, "rate=2", NULL, NULL), DECKFMT_OK);
	T_EQ_I64(D.rows[0].r.rate_per_min, 50000000);
	T_EQ_I64(rd(t, NULL, NULL, "Cost"), DECKFMT_EINPUT);
	T_ASSERT(strstr(D.err, "--rate-column \"Cost\": no such column") != NULL);
}

TEST(neon_action_and_map_none)
{
	/* Neon's rate table upload: Action I/U/D, Interval1/IntervalN, day-or-month dates */
	const char *t = "Code,Destination,Rate,Effective Date,Action,Connection Fee,Interval1,IntervalN\n"
	                "91,India,0.0001,11/12/2014 00:00,I ,0.05,30,6\n92,Pakistan,0.0065,11/12/2014 00:00,D,0.05,1,1\n";
	T_EQ_I64(rd(t, NULL, NULL, NULL), DECKFMT_OK);
	T_EQ_I64(D.nrows, 0);
	T_EQ_I64(D.rejected, 2);
	T_ASSERT(strstr(msg_at(2), "effective date \"11/12/2014 00:00\" is not a date") != NULL);
	T_EQ_I64(rd(t, "effective=-", NULL, NULL), DECKFMT_OK);
	T_EQ_I64(D.col[DF_EFF], -1);
	T_EQ_I64(D.nrows, 1);
	T_EQ_I64(D.rows[0].r.min_secs, 30);
	T_EQ_I64(D.rows[0].r.inc_secs, 6);
	T_EQ_I64(D.rows[0].r.connect_fee, 50000000);
	T_ASSERT(strstr(msg_at(3), "action \"D\"") != NULL);
}

TEST(add_prefix_on_any_deck)
{
	T_EQ_I64(rd("prefix,rate\n201555,0.01\n", NULL, "1", NULL), DECKFMT_OK);
	T_EQ_STR(D.rows[0].r.prefix, "1201555");
}

TEST(nul_and_utf8_rejected)
{
	static const char t[] = "prefix,rate,description\n44,0.05,ok\n4\0004,0.05,x\n45,0.05,\xff\n";
	deckfmt_opts o;
	memset(&o, 0, sizeof o);
	deckfmt_free(&D);
	T_EQ_I64(deckfmt_read("t.csv", t, sizeof t - 1, &o, &D), DECKFMT_OK);
	T_EQ_I64(D.nrows, 1);
	T_EQ_I64(D.rejected, 2);
	T_ASSERT(strstr(msg_at(3), "NUL") != NULL);
	T_ASSERT(strstr(msg_at(4), "UTF-8") != NULL);
}

TEST(empty_and_header_only)
{
	T_EQ_I64(rd("", NULL, NULL, NULL), DECKFMT_EINPUT);
	T_ASSERT(strstr(D.err, "empty file") != NULL);
	T_EQ_I64(rd("prefix,rate\n\n\n", NULL, NULL, NULL), DECKFMT_OK);
	T_EQ_I64(D.nrows, 0);
	T_EQ_I64(D.records, 0);
}

void suite_deckfmt(void); /* t.h's SUITE() has no prototype of its own */

SUITE(deckfmt)
{
	RUN(header_names_of_real_exporters);
	RUN(cgrates_rates_refused_by_name);
	RUN(map_by_name_and_number);
	RUN(no_header_with_numbered_map);
	RUN(plus_and_astpp_pattern);
	RUN(bom_cr_crlf_trailing_comma_blank_lines);
	RUN(increment_zero_as_astpp);
	RUN(billing_increment_pairs);
	RUN(free_seconds_refused_unless_zero);
	RUN(prefix_not_digits);
	RUN(bad_rate_rejected);
	RUN(zero_and_far_rates_warned);
	RUN(one_prefix_twice);
	RUN(npanxx_deck);
	RUN(first_increment_without_increment_warned);
	RUN(empty_rate_rejected);
	RUN(several_rate_columns);
	RUN(neon_action_and_map_none);
	RUN(add_prefix_on_any_deck);
	RUN(nul_and_utf8_rejected);
	RUN(empty_and_header_only);
	deckfmt_free(&D);
}
