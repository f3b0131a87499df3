/* test_datefmt.c: ordered dates, --date-format, the order guesser and the
 * zone hint (core/datefmt.c, data/cdrsniff.c). Sample texts are the ones
 * real files write (FreePBX CDR Reports, FreePBX cdr table dumps, Excel
 * re-saves; see docs/real-input/dates.md). */
#include <stdlib.h>

#include "t.h"
#include "../../core/dateguess.h"
#include "../../data/cdrsniff.h"

static int ord(const char *s, df_kind k, tm_civil *c)
{
	memset(c, 0x55, sizeof *c);
	return df_parse_ordered(s, strlen(s), k, c);
}

/* "YYYY-MM-DD HH:MM:SS" of c, zone applied */
static const char *fmt(const tm_civil *c)
{
	static char buf[32];
	tm_format(tm_civil_to_utc(c), buf, sizeof buf);
	return buf;
}

TEST(ordered_forms)
{
	tm_civil c;
	T_EQ_I64(ord("1/9/2017 16:33:01", DF_DMY, &c), TM_OK);
	T_EQ_STR(fmt(&c), "2017-09-01 16:33:01");
	T_EQ_I64(c.has_time, 1); T_EQ_I64(c.has_zone, 0);
	T_EQ_I64(ord("1/9/2017 16:33:01", DF_MDY, &c), TM_OK);
	T_EQ_STR(fmt(&c), "2017-01-09 16:33:01");
	/* two-digit year, no seconds (Excel re-save of FreePBX CDR Reports) */
	T_EQ_I64(ord("04/09/17 12:39", DF_DMY, &c), TM_OK);
	T_EQ_STR(fmt(&c), "2017-09-04 12:39:00");
	T_EQ_I64(ord("24/08/17 09:32", DF_DMY, &c), TM_OK);
	T_EQ_STR(fmt(&c), "2017-08-24 09:32:00");
	/* the two-digit year rule: 00-69 -> 20xx, 70-99 -> 19xx */
	T_EQ_I64(ord("1/1/69", DF_DMY, &c), TM_OK); T_EQ_I64(c.year, 2069);
	T_EQ_I64(ord("1/1/70", DF_DMY, &c), TM_OK); T_EQ_I64(c.year, 1970);
	T_EQ_I64(ord("1/1/00", DF_DMY, &c), TM_OK); T_EQ_I64(c.year, 2000);
	T_EQ_I64(c.has_time, 0);
	/* separators . - and blanks; T; comma */
	T_EQ_I64(ord("01.09.2017 16:33", DF_DMY, &c), TM_OK);
	T_EQ_STR(fmt(&c), "2017-09-01 16:33:00");
	T_EQ_I64(ord("09-01-2017T16:33:01", DF_MDY, &c), TM_OK);
	T_EQ_STR(fmt(&c), "2017-09-01 16:33:01");
	T_EQ_I64(ord("9/1/2017, 4:33:01 PM", DF_MDY, &c), TM_OK);
	T_EQ_STR(fmt(&c), "2017-09-01 16:33:01");
	T_EQ_I64(ord("2017/9/1 16:33", DF_YMD, &c), TM_OK);
	T_EQ_STR(fmt(&c), "2017-09-01 16:33:00");
	/* fractions to the millisecond */
	T_EQ_I64(ord("1/9/2017 16:33:01.25", DF_DMY, &c), TM_OK);
	T_EQ_I64(c.frac_ms, 250);
}

TEST(ordered_ampm)
{
	tm_civil c;
	T_EQ_I64(ord("9/1/2017 12:05 AM", DF_MDY, &c), TM_OK); T_EQ_I64(c.hour, 0);
	T_EQ_I64(ord("9/1/2017 12:05 PM", DF_MDY, &c), TM_OK); T_EQ_I64(c.hour, 12);
	T_EQ_I64(ord("9/1/2017 1:05 am", DF_MDY, &c), TM_OK); T_EQ_I64(c.hour, 1);
	T_EQ_I64(ord("9/1/2017 11:59:59 p.m.", DF_MDY, &c), TM_OK); T_EQ_I64(c.hour, 23);
	T_EQ_I64(ord("9/1/2017 4:33PM", DF_MDY, &c), TM_OK); T_EQ_I64(c.hour, 16);
	T_EQ_I64(ord("9/1/2017 13:05 PM", DF_MDY, &c), TM_ERANGE);
	T_EQ_I64(ord("9/1/2017 0:05 AM", DF_MDY, &c), TM_ERANGE);
}

TEST(ordered_zones)
{
	tm_civil c;
	T_EQ_I64(ord("1/9/2017 16:33:01Z", DF_DMY, &c), TM_OK);
	T_EQ_I64(c.has_zone, 1); T_EQ_I64(c.zone_offset_s, 0);
	T_EQ_I64(ord("1/9/2017 16:33:01 +03:00", DF_DMY, &c), TM_OK);
	T_EQ_I64(c.zone_offset_s, 3 * 3600); T_EQ_STR(fmt(&c), "2017-09-01 13:33:01");
	T_EQ_I64(ord("1/9/2017 16:33:01-0530", DF_DMY, &c), TM_OK);
	T_EQ_I64(c.zone_offset_s, -(5 * 3600 + 1800));
	T_EQ_I64(ord("1/9/2017 16:33:01+03", DF_DMY, &c), TM_OK); T_EQ_I64(c.zone_offset_s, 10800);
	T_EQ_I64(ord("1/9/2017 16:33:01 UTC", DF_DMY, &c), TM_OK);
	T_EQ_I64(c.has_zone, 1); T_EQ_I64(c.zone_offset_s, 0);
	T_EQ_I64(ord("1/9/2017 4:33:01 PM UTC", DF_DMY, &c), TM_OK); T_EQ_I64(c.hour, 16);
	T_EQ_I64(ord("1/9/2017 16:33:01 +25:00", DF_DMY, &c), TM_ERANGE);
	T_EQ_I64(ord("1/9/2017 16:33:01 EST", DF_DMY, &c), TM_ESYNTAX);
}

TEST(ordered_errors)
{
	tm_civil c;
	T_EQ_I64(ord("13/1/2017 10:00", DF_MDY, &c), TM_ERANGE);  /* no 13th month */
	T_EQ_I64(ord("1/13/2017 10:00", DF_DMY, &c), TM_ERANGE);
	T_EQ_I64(ord("31/2/2017", DF_DMY, &c), TM_ERANGE);
	T_EQ_I64(ord("29/2/2016", DF_DMY, &c), TM_OK);           /* leap year */
	T_EQ_I64(ord("1/9/2017 24:00", DF_DMY, &c), TM_ERANGE);
	T_EQ_I64(ord("1/9-2017", DF_DMY, &c), TM_ESYNTAX);        /* mixed separators */
	T_EQ_I64(ord("1/9/201", DF_DMY, &c), TM_ESYNTAX);         /* 3-digit year */
	T_EQ_I64(ord("17/9/1", DF_YMD, &c), TM_ESYNTAX);          /* year-first wants 4 digits */
	T_EQ_I64(ord("2017/9/1", DF_DMY, &c), TM_ESYNTAX);
	T_EQ_I64(ord("1/9/2017 16:3", DF_DMY, &c), TM_ESYNTAX);
	T_EQ_I64(ord("1/9/2017 16:33:01x", DF_DMY, &c), TM_ESYNTAX);
	T_EQ_I64(ord("", DF_DMY, &c), TM_ESYNTAX);
	T_EQ_I64(ord("1/9/2017", DF_AUTO, &c), TM_ESYNTAX);
	/* never past the length: "1/9/2017" cut at 6 bytes is "1/9/20" */
	T_EQ_I64(df_parse_ordered("1/9/2017", 6, DF_DMY, &c), TM_OK);
	T_EQ_I64(c.year, 2020);
}

TEST(epochs)
{
	tm_civil c;
	T_EQ_I64(df_parse_epoch("1504279981", 10, &c), 1);
	T_EQ_STR(fmt(&c), "2017-09-01 15:33:01"); T_EQ_I64(c.has_zone, 1);
	T_EQ_I64(df_parse_epoch("1504279981123", 13, &c), 1);
	T_EQ_STR(fmt(&c), "2017-09-01 15:33:01"); T_EQ_I64(c.frac_ms, 123);
	T_EQ_I64(df_parse_epoch("1504279981.5", 12, &c), 1); T_EQ_I64(c.frac_ms, 500);
	T_EQ_I64(df_parse_epoch("999999999", 9, &c), 1);
	T_EQ_I64(df_parse_epoch("15042799811", 11, &c), 0);      /* 11 digits: neither */
	T_EQ_I64(df_parse_epoch("15042799", 8, &c), 0);
	T_EQ_I64(df_parse_epoch("150427998112.5", 14, &c), 0);   /* ms with a fraction */
	T_EQ_I64(df_parse_epoch("1504279981x", 11, &c), 0);
	/* found by fuzz_tm: a long run of digits must not overflow */
	T_EQ_I64(df_parse_epoch("22222222222222222222222222", 26, &c), 0);
}

static int fm(const char *f, const char *s, tm_civil *c, char *why)
{
	df_format F;
	char w[200];
	if (df_format_compile(f, &F, w, sizeof w) != 0) {
		strcpy(why, w);
		return -1;
	}
	why[0] = '\0';
	return df_format_match(&F, s, strlen(s), c, why, 200);
}

TEST(format_match)
{
	tm_civil c;
	char why[200];
	T_EQ_I64(fm("%d/%m/%Y %H:%M:%S", "1/9/2017 16:33:01", &c, why), TM_OK);
	T_EQ_STR(fmt(&c), "2017-09-01 16:33:01");
	T_EQ_I64(fm("%d/%m/%y %H:%M", "04/09/17 12:39", &c, why), TM_OK);
	T_EQ_STR(fmt(&c), "2017-09-04 12:39:00");
	T_EQ_I64(fm("%m/%d/%Y %I:%M:%S %p", "9/1/2017 04:33:01 PM", &c, why), TM_OK);
	T_EQ_STR(fmt(&c), "2017-09-01 16:33:01");
	T_EQ_I64(fm("%m/%d/%Y %I:%M %p", "9/1/2017 12:33 AM", &c, why), TM_OK);
	T_EQ_STR(fmt(&c), "2017-09-01 00:33:00");
	T_EQ_I64(fm("%d-%b-%Y %T", "04-Sep-2017 12:39:26", &c, why), TM_OK);
	T_EQ_STR(fmt(&c), "2017-09-04 12:39:26");
	T_EQ_I64(fm("%e %b %Y %H:%M", " 4 september 2017 12:39", &c, why), TM_OK);
	T_EQ_STR(fmt(&c), "2017-09-04 12:39:00");
	T_EQ_I64(fm("%FT%T%z", "2017-09-04T12:39:26+01:00", &c, why), TM_OK);
	T_EQ_STR(fmt(&c), "2017-09-04 11:39:26");
	T_EQ_I64(fm("%F %T %z", "2017-09-04 12:39:26 UTC", &c, why), TM_OK);
	T_EQ_I64(c.has_zone, 1);
	T_EQ_I64(fm("%s", "1504525166", &c, why), TM_OK);
	T_EQ_STR(fmt(&c), "2017-09-04 11:39:26");
	T_EQ_I64(fm("%d/%m/%Y %H:%M:%S", "1/9/2017 16:33:01.250", &c, why), TM_OK);
	T_EQ_I64(c.frac_ms, 250);
	/* numbers take up to their width: compact stamps read too */
	T_EQ_I64(fm("%Y%m%d%H%M%S", "20170901163301", &c, why), TM_OK);
	T_EQ_STR(fmt(&c), "2017-09-01 16:33:01");
	T_EQ_I64(fm("%Y%%%m", "2017%09", &c, why), TM_OK);
	T_EQ_I64(c.month, 9);
}

TEST(format_errors)
{
	tm_civil c;
	char why[200];
	T_EQ_I64(fm("%d/%m/%Y %H:%M:%S", "13/13/2017 16:33:01", &c, why), TM_ESYNTAX);
	T_EQ_STR(why, "at character 4 (\"13/2017 16:33:01\"): expected the month (%m, 1-12)");
	T_EQ_I64(fm("%d/%m/%Y %H:%M:%S", "2017-09-01 16:33:01", &c, why), TM_ESYNTAX);
	T_EQ_STR(why, "at character 3 (\"17-09-01 16:33:01\"): expected '/'");
	T_EQ_I64(fm("%d/%m/%Y %H:%M", "31/02/2017 10:00", &c, why), TM_ERANGE);
	T_EQ_STR(why, "out of range (2017-02-31 10:00:00 does not exist)");
	T_EQ_I64(fm("%d/%m/%Y", "1/9/2017 10:00", &c, why), TM_ESYNTAX);
	T_EQ_STR(why, "at character 9 (\" 10:00\"): expected the end of the time");
	T_EQ_I64(fm("%d/%m/%Y %I:%M %p", "1/9/2017 10:00 XM", &c, why), TM_ESYNTAX);
	T_ASSERT(strstr(why, "AM or PM"));
	T_EQ_I64(fm("%d/%Q/%Y", "x", &c, why), -1);
	T_EQ_STR(why, "--date-format \"%d/%Q/%Y\": %Q at character 4 is not supported (%Y %y %m %d %e %H %I %M "
	              "%S %p %b %z %T %F %s %%)");
	T_EQ_I64(fm("%d/%m %H:%M", "x", &c, why), -1);
	T_ASSERT(strstr(why, "has no year"));
	T_EQ_I64(fm("%d/%m/%Y %I:%M", "x", &c, why), -1);
	T_ASSERT(strstr(why, "%I (12-hour clock) and %p"));
	T_EQ_I64(fm("%Y%", "x", &c, why), -1);
	/* found by fuzz_tm: %T / %F expanding past the item table */
	T_EQ_I64(fm("%Y%T%T%T%T%T%T%T%T%T%T%T%T%T%T%T", "x", &c, why), -1);
	T_ASSERT(strstr(why, "is too long"));
	T_EQ_I64(fm("", "x", &c, why), -1);
}

TEST(read_under_spec)
{
	df_spec sp;
	tm_civil c;
	char why[200];
	memset(&sp, 0, sizeof sp);
	/* DF_AUTO: today's reading, year-first only, epochs when allowed */
	T_EQ_I64(df_read(&sp, "2017-09-01 16:33:01", 19, 0, &c, why, sizeof why), TM_OK);
	T_EQ_I64(df_read(&sp, "1/9/2017 16:33:01", 17, 0, &c, why, sizeof why), TM_ESYNTAX);
	T_EQ_I64(df_read(&sp, "1504279981", 10, 0, &c, why, sizeof why), TM_ESYNTAX);
	T_EQ_I64(df_read(&sp, "1504279981", 10, 1, &c, why, sizeof why), TM_OK);
	T_EQ_I64(df_read(&sp, "1504279981123", 13, 1, &c, why, sizeof why), TM_OK);
	T_EQ_STR(fmt(&c), "2017-09-01 15:33:01");
	/* an order: its dates, and ISO text as well */
	sp.kind = DF_DMY;
	T_EQ_I64(df_read(&sp, "1/9/2017 16:33:01", 17, 0, &c, why, sizeof why), TM_OK);
	T_EQ_STR(fmt(&c), "2017-09-01 16:33:01");
	T_EQ_I64(df_read(&sp, "2017-09-01 16:33:01", 19, 0, &c, why, sizeof why), TM_OK);
	T_EQ_I64(df_read(&sp, "1/13/2017 16:33:01", 18, 0, &c, why, sizeof why), TM_ERANGE);
	T_EQ_STR(why, "out of range read day-first (DMY), as the file's dates are");
	T_EQ_I64(df_read(&sp, "2024-13-01 00:00:00", 19, 0, &c, why, sizeof why), TM_ERANGE);
	/* a --date-format alone decides: ISO text is refused under it */
	sp.kind = DF_FORMAT;
	T_EQ_I64(df_format_compile("%d/%m/%Y %H:%M:%S", &sp.fmt, why, sizeof why), 0);
	T_EQ_I64(df_read(&sp, "1/9/2017 16:33:01", 17, 0, &c, why, sizeof why), TM_OK);
	T_EQ_I64(df_read(&sp, "2017-09-01 16:33:01", 19, 0, &c, why, sizeof why), TM_ESYNTAX);
}

static void feed(df_guess *g, const char *s, int64_t line)
{
	df_guess_feed(g, s, strlen(s), line, 0, 0);
}

TEST(guess_order)
{
	df_guess g;
	df_spec sp;
	char why[400];
	/* day-first: the second file's 24/08/17 decides */
	df_guess_init(&g, NULL);
	feed(&g, "04/09/17 12:39", 2);
	feed(&g, "24/08/17 09:32", 3);
	feed(&g, "04/09/17 12:38", 4);
	T_EQ_I64(df_guess_decide(&g, &sp, why, sizeof why), 0);
	T_EQ_I64(sp.kind, DF_DMY);
	T_EQ_STR(why, "decided: day-first (DMY) because \"24/08/17 09:32\" on line 3 cannot be month-first (MDY)");
	/* one text rules out two orders: the message names the telling one */
	df_guess_init(&g, NULL);
	feed(&g, "24/08/17 09:32", 2);
	T_EQ_I64(df_guess_decide(&g, &sp, why, sizeof why), 0);
	T_EQ_STR(why, "decided: day-first (DMY) because \"24/08/17 09:32\" on line 2 cannot be month-first (MDY)");
	/* month-first: a second number above 12 */
	df_guess_init(&g, NULL);
	feed(&g, "9/1/2017 4:33:01 PM", 2);
	feed(&g, "9/21/2017 4:33:01 PM", 7);
	T_EQ_I64(df_guess_decide(&g, &sp, why, sizeof why), 0);
	T_EQ_I64(sp.kind, DF_MDY);
	T_ASSERT(strstr(why, "on line 7 cannot be day-first (DMY)"));
	/* year-first with slashes is read as today (tm_parse_civil): no order needed */
	df_guess_init(&g, NULL);
	feed(&g, "2017/9/1 16:33", 2);
	feed(&g, "2017-09-01 16:33:01", 3);
	T_EQ_I64(df_guess_decide(&g, &sp, why, sizeof why), 0);
	T_EQ_I64(sp.kind, DF_AUTO);
	T_EQ_STR(why, "year-first (ISO) dates");
	/* year-first with dots is an order of its own */
	df_guess_init(&g, NULL);
	feed(&g, "2017.09.01 16:33", 2);
	T_EQ_I64(df_guess_decide(&g, &sp, why, sizeof why), 0);
	T_EQ_I64(sp.kind, DF_YMD);
	/* blanks and empty fields are not dates */
	df_guess_init(&g, NULL);
	feed(&g, "", 2);
	feed(&g, "  ", 3);
	T_EQ_I64(df_guess_decide(&g, &sp, why, sizeof why), 0);
	T_EQ_STR(why, "no dates in the sample");
}

TEST(guess_ambiguous)
{
	df_guess g;
	df_spec sp;
	char why[400];
	df_guess_init(&g, NULL);
	feed(&g, "04/09/17 12:39", 2);
	feed(&g, "04/09/17 12:38", 3);
	T_EQ_I64(df_guess_decide(&g, &sp, why, sizeof why), -1);
	T_EQ_STR(why, "ambiguous dates: every date in the sample reads as day-first (DMY) and as month-first (MDY) "
	              "(e.g. \"04/09/17 12:39\" on line 2): give --date-format '%d/%m/%y %H:%M' (day first) or "
	              "'%m/%d/%y %H:%M' (month first)");
	/* AM/PM and seconds in the suggestion */
	df_guess_init(&g, NULL);
	feed(&g, "1/9/2017 4:33:01 PM", 5);
	T_EQ_I64(df_guess_decide(&g, &sp, why, sizeof why), -1);
	T_ASSERT(strstr(why, "'%d/%m/%Y %I:%M:%S %p' (day first)"));
	/* contradictory: one date only day-first, another only month-first */
	df_guess_init(&g, NULL);
	feed(&g, "13/01/2017 10:00", 2);
	feed(&g, "01/13/2017 10:00", 9);
	T_EQ_I64(df_guess_decide(&g, &sp, why, sizeof why), -1);
	T_EQ_STR(why, "contradictory dates: \"13/01/2017 10:00\" on line 2 cannot be month-first (MDY), "
	              "\"01/13/2017 10:00\" on line 9 cannot be day-first (DMY): the file mixes orders; give "
	              "--date-format");
	/* a fixed --date-format is never questioned */
	{
		df_spec f;
		memset(&f, 0, sizeof f);
		f.kind = DF_FORMAT;
		T_EQ_I64(df_format_compile("%d/%m/%y %H:%M", &f.fmt, why, sizeof why), 0);
		df_guess_init(&g, &f);
		feed(&g, "04/09/17 12:39", 2);
		T_EQ_I64(df_guess_decide(&g, &sp, why, sizeof why), 0);
		T_EQ_I64(sp.kind, DF_FORMAT);
		T_EQ_STR(why, "as --date-format \"%d/%m/%y %H:%M\" says");
	}
}

TEST(guess_by_epoch)
{
	/* FreePBX CDR Reports rows written at UTC+1 (uniqueid 1504525166 =
	 * 11:39:26 UTC); every date reads both ways: the epoch decides. */
	df_guess g;
	df_spec sp;
	char why[400];
	int off;
	int64_t agree, rows;
	df_guess_init(&g, NULL);
	df_guess_feed(&g, "04/09/17 12:39", 14, 2, 1, 1504525166);
	df_guess_feed(&g, "04/09/17 12:38", 14, 3, 1, 1504525135);
	T_EQ_I64(df_guess_decide(&g, &sp, why, sizeof why), 0);
	T_EQ_I64(sp.kind, DF_DMY);
	T_EQ_STR(why, "decided: day-first (DMY) because the unique ids' epochs match it on all 2 rows that have one");
	T_EQ_I64(df_guess_offset(&g, DF_DMY, &off, &agree, &rows), 1);
	T_EQ_I64(off, 3600); T_EQ_I64(agree, 2); T_EQ_I64(rows, 2);
	/* month-first the same way */
	df_guess_init(&g, NULL);
	df_guess_feed(&g, "09/04/17 12:39", 14, 2, 1, 1504525166);
	T_EQ_I64(df_guess_decide(&g, &sp, why, sizeof why), 0);
	T_EQ_I64(sp.kind, DF_MDY);
	/* an epoch hours away from both readings decides nothing */
	df_guess_init(&g, NULL);
	df_guess_feed(&g, "04/09/17 12:39", 14, 2, 1, 1504525166 + 20 * 3600);
	T_EQ_I64(df_guess_decide(&g, &sp, why, sizeof why), -1);
	/* a start 10 minutes off a half hour is no zone */
	df_guess_init(&g, NULL);
	df_guess_feed(&g, "2017-09-04 12:49:26", 19, 2, 1, 1504525166);
	T_EQ_I64(df_guess_offset(&g, DF_AUTO, &off, &agree, &rows), 0);
	T_EQ_I64(rows, 1);
}

TEST(uniqueid_and_zones)
{
	int64_t e = 0;
	T_EQ_I64(df_uniqueid_epoch("1690325492.2", 12, &e), 1); T_EQ_I64(e, 1690325492);
	T_EQ_I64(df_uniqueid_epoch("pbx-01-1706368044.0/3", 21, &e), 1); T_EQ_I64(e, 1706368044);
	T_EQ_I64(df_uniqueid_epoch("1504279981.1/fnv:0123", 21, &e), 1); T_EQ_I64(e, 1504279981);
	T_EQ_I64(df_uniqueid_epoch("asterisk:pbx-1706368044.7/8", 27, &e), 1); T_EQ_I64(e, 1706368044);
	T_EQ_I64(df_uniqueid_epoch("1504279981", 10, &e), 0);
	T_EQ_I64(df_uniqueid_epoch("1504279981.", 11, &e), 0);
	T_EQ_I64(df_uniqueid_epoch("96aa82fe-7bd1-11e5-a230-5c514f6a0f72", 36, &e), 0);
	T_EQ_I64(df_uniqueid_epoch("12345.6", 7, &e), 0);
	T_EQ_STR(df_zone_for_offset(3 * 3600), "Europe/Moscow");
	T_EQ_STR(df_zone_for_offset(-5 * 3600), "America/New_York");
	T_EQ_STR(df_zone_for_offset(5 * 3600 + 1800), "Asia/Kolkata");
	T_ASSERT(df_zone_for_offset(0) == NULL);
	T_ASSERT(df_zone_for_offset(5 * 3600 + 2700) == NULL);
}

/* The real cdr_custom file was written at UTC+3: start 01:51:32 local, its
 * uniqueid 1690325492 is 22:51:32 UTC the day before. */
TEST(sniff_realdata_hint)
{
	cdrsniff_result *r = malloc(sizeof *r);
	char why[600];
	T_ASSERT(r);
	T_EQ_I64(cdrsniff_cdr(t_realdata("asterisk-cdr_custom.csv"), CDRFMT_ASTERISK_CUSTOM, NULL, NULL, 0, 0, r, why,
	                      sizeof why), 0);
	T_EQ_I64(r->dates.kind, DF_AUTO);
	T_EQ_I64(r->has_offset, 1);
	T_EQ_I64(r->offset_s, 3 * 3600);
	T_EQ_I64(r->offset_rows, r->epoch_rows);
	T_EQ_STR(r->hint, "warning: times are 3 h ahead of the unique ids' clock: the switch wrote local time "
	                  "(UTC+3, e.g. Europe/Moscow); give --tz");
	/* with --tz: no hint */
	T_EQ_I64(cdrsniff_cdr(t_realdata("asterisk-cdr_custom.csv"), CDRFMT_ASTERISK_CUSTOM, NULL, NULL, 0, 1, r, why,
	                      sizeof why), 0);
	T_EQ_STR(r->hint, "");
	/* a file written in UTC: no hint */
	T_EQ_I64(cdrsniff_cdr(t_realdata("asterisk-cdr_csv-21col-multileg.csv"), CDRFMT_ASTERISK, NULL, NULL, 0, 0, r,
	                      why, sizeof why), 0);
	T_EQ_I64(r->offset_s, 0);
	T_EQ_STR(r->hint, "");
	free(r);
}

void suite_datefmt(void); /* t.h's SUITE() has no prototype of its own */

SUITE(datefmt)
{
	RUN(ordered_forms);
	RUN(ordered_ampm);
	RUN(ordered_zones);
	RUN(ordered_errors);
	RUN(epochs);
	RUN(format_match);
	RUN(format_errors);
	RUN(read_under_spec);
	RUN(guess_order);
	RUN(guess_ambiguous);
	RUN(guess_by_epoch);
	RUN(uniqueid_and_zones);
	RUN(sniff_realdata_hint);
}
