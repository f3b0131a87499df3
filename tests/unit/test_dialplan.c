/* test_dialplan.c: dial plans and the normaliser (core/dialplan.c), every
 * country of the table and every rule of dialplan.c's list. */
#include "t.h"
#include "../../core/dialplan.h"

static dial_result R;

/* Normalise `s` under the plan of `cc`; "ext:DIGITS", "int", "emg", "inv". */
static const char *norm(const char *cc, const char *s)
{
	static char out[64];
	static char why[160];
	dialplan p;
	if (dialplan_make(cc, NULL, NULL, &p, why, sizeof why) < 0)
		return why;
	dialplan_normalise(&p, s, &R);
	switch (R.cls) {
	case DIAL_EXTERNAL: snprintf(out, sizeof out, "ext:%s", R.digits); break;
	case DIAL_INTERNAL: snprintf(out, sizeof out, "int"); break;
	case DIAL_EMERGENCY: snprintf(out, sizeof out, "emg"); break;
	default: snprintf(out, sizeof out, "inv"); break;
	}
	return out;
}

TEST(uk)
{
	T_EQ_STR(norm("44", "+44 20 7946 0000"), "ext:442079460000");
	T_EQ_STR(norm("44", "020 7946 0000"), "ext:442079460000");
	T_EQ_STR(R.rule, "trunk 0 dropped, country 44 added");
	T_EQ_STR(norm("44", "02079460000"), "ext:442079460000");
	T_EQ_STR(norm("44", "00442079460000"), "ext:442079460000");
	T_EQ_STR(R.rule, "international prefix 00 dropped, country 44");
	T_EQ_STR(norm("44", "442079460000"), "ext:442079460000");
	T_EQ_STR(norm("44", "2079460000"), "ext:442079460000");
	T_EQ_STR(norm("44", "500"), "int");
	T_EQ_STR(norm("44", "999"), "emg");
	T_EQ_STR(norm("44", "112"), "emg");
	T_EQ_STR(norm("44", "911"), "int"); /* not the UK's: a 3-digit short code */
	T_EQ_STR(norm("44", "01234"), "inv"); /* trunk 0 then 4 digits: a national number cut short */
	T_EQ_STR(R.rule, "trunk 0, then 4 digits: national numbers of United Kingdom have 9 to 10");
	T_EQ_STR(norm("44", "0"), "int"); /* the operator */
	T_EQ_STR(norm("44", "1234"), "int");
	T_EQ_STR(norm("44", "0123456"), "inv"); /* trunk 0 then 6 digits */
	T_EQ_STR(R.rule, "trunk 0, then 6 digits: national numbers of United Kingdom have 9 to 10");
	T_EQ_STR(norm("44", "7946000"), "inv"); /* 7 digits, no prefix */
	T_EQ_STR(norm("44", "+44 12345"), "inv");
	T_EQ_STR(norm("44", "0033 1 23 45 67 89"), "ext:33123456789");
	T_EQ_STR(norm("44", "33123456789"), "ext:33123456789"); /* longer than UK: international */
	T_EQ_STR(norm("44", "+1 206 555 0100"), "ext:12065550100");
	T_EQ_STR(norm("44", "+1 206 555 010"), "inv");
	T_EQ_STR(norm("44", "00"), "inv");
	T_EQ_STR(R.rule, "nothing after the international prefix 00 dropped");
	T_EQ_STR(norm("44", "0000000"), "inv"); /* 00 then 00000: country code 0 */
}

TEST(sip_and_text)
{
	T_EQ_STR(norm("1", "sip:+12065550100@host;user=phone"), "ext:12065550100");
	T_EQ_STR(norm("1", "<sip:500@pbx>"), "int");
	T_EQ_STR(norm("1", "\"User 10\" <sip:114@10.0.0.1>"), "int");
	T_EQ_STR(norm("1", "tel:+1-206-555-0100;phone-context=x"), "ext:12065550100");
	T_EQ_STR(norm("1", "SIPS:2065550100@h"), "ext:12065550100");
	T_EQ_STR(norm("1", "(206) 555-0100"), "ext:12065550100");
	T_EQ_STR(norm("1", "206.555.0100"), "ext:12065550100");
	T_EQ_STR(norm("1", "*97"), "int");
	T_EQ_STR(norm("1", "voicemail"), "int");
	T_EQ_STR(norm("1", "s"), "int");
	T_EQ_STR(norm("1", "#31#2065550100"), "int");
	T_EQ_STR(norm("1", "+1abc"), "inv");
	T_EQ_STR(norm("1", ""), "inv");
	T_EQ_STR(norm("1", NULL), "inv");
	T_EQ_STR(norm("1", "+"), "inv");
	T_EQ_STR(norm("1", "   "), "inv");
	T_EQ_STR(norm("1", "1234567890123456789012345678901234567890"), "inv");
	T_EQ_STR(norm("1", "+1234567890123456"), "inv"); /* 16 digits */
}

TEST(nanp)
{
	T_EQ_STR(norm("1", "2065550100"), "ext:12065550100");
	T_EQ_STR(norm("1", "12065550100"), "ext:12065550100");
	T_EQ_STR(R.rule, "trunk 1 dropped, country 1 added");
	T_EQ_STR(norm("1", "011 44 20 7946 0000"), "ext:442079460000");
	T_EQ_STR(norm("1", "911"), "emg");
	T_EQ_STR(norm("1", "933"), "emg");
	T_EQ_STR(norm("1", "5550100"), "inv"); /* 7-digit local: no area code */
	T_EQ_STR(norm("1", "1002"), "int");
	T_EQ_STR(norm("1", "442079460000"), "ext:442079460000"); /* 12 digits: international */
}

TEST(trunkless)
{
	/* Italy keeps its leading 0 and has no trunk prefix to drop */
	T_EQ_STR(norm("39", "06 1234 5678"), "ext:390612345678");
	T_EQ_STR(R.rule, "national number, country 39 added");
	T_EQ_STR(norm("39", "3912345678"), "ext:393912345678"); /* mobile starting 39: national */
	T_EQ_STR(norm("39", "00390612345678"), "ext:390612345678");
	T_EQ_STR(norm("39", "390612345678"), "ext:390612345678"); /* 12 digits: international */
	T_EQ_STR(norm("39", "12345"), "int");
	T_EQ_STR(norm("39", "113"), "emg");
	T_EQ_STR(norm("34", "912345678"), "ext:34912345678");
	T_EQ_STR(norm("34", "091"), "emg");
	T_EQ_STR(norm("34", "34912345678"), "ext:34912345678");
	T_EQ_STR(norm("34", "91234567"), "inv");
}

TEST(eight_and_810)
{
	T_EQ_STR(norm("7", "8 495 123 45 67"), "ext:74951234567");
	T_EQ_STR(norm("7", "810 44 20 7946 0000"), "ext:442079460000");
	T_EQ_STR(norm("7", "0044 20 7946 0000"), "ext:442079460000");
	T_EQ_STR(norm("7", "74951234567"), "ext:74951234567");
	T_EQ_STR(norm("7", "4951234567"), "ext:74951234567");
	T_EQ_STR(norm("7", "112"), "emg");
	T_EQ_STR(norm("7", "861012345678"), "ext:861012345678"); /* trunk 8 + 11: too long, international */
	T_EQ_STR(norm("998", "8 71 123 45 67"), "ext:998711234567");
	T_EQ_STR(norm("998", "810 7 495 123 45 67"), "ext:74951234567");
	T_EQ_STR(norm("998", "+998 90 123 45 67"), "ext:998901234567");
	T_EQ_STR(norm("998", "+998 90 123 45"), "inv");
}

TEST(other_prefixes)
{
	T_EQ_STR(norm("61", "0011 44 20 7946 0000"), "ext:442079460000");
	T_EQ_STR(norm("61", "02 9374 4000"), "ext:61293744000");
	T_EQ_STR(norm("61", "000"), "emg");
	T_EQ_STR(norm("81", "010 1 206 555 0100"), "ext:12065550100");
	T_EQ_STR(norm("81", "03-1234-5678"), "ext:81312345678");
	T_EQ_STR(norm("81", "110"), "emg");
	T_EQ_STR(norm("234", "009 44 20 7946 0000"), "ext:442079460000");
	T_EQ_STR(norm("234", "0803 123 4567"), "ext:2348031234567");
	T_EQ_STR(norm("65", "001 1 206 555 0100"), "ext:12065550100");
	T_EQ_STR(norm("65", "6123 4567"), "ext:6561234567");
	T_EQ_STR(norm("27", "10111"), "emg");
	T_EQ_STR(norm("27", "021 123 4567"), "ext:27211234567");
}

/* Every country of the table: a national number of each length in range is
 * external with the code added, one digit short or long is not, its first
 * emergency number is emergency, 500 is internal, its longest international
 * prefix reaches +44, and '+' of the result gives the result again. */
TEST(every_country)
{
	const dialplan *p;
	for (size_t i = 0; (p = dialplan_at(i)) != NULL; i++) {
		char num[40], want[40], em[16], plus[40];
		dial_result r, r2;
		dialplan q;
		char why[160], code[DIALPLAN_CODE_MAX];
		T_ASSERT(p->nintl >= 1 && p->nintl <= DIALPLAN_NINTL);
		for (int k = 0; k < p->nintl; k++) {
			T_ASSERT(p->intl[k][0] != '\0');
			T_ASSERT(k == 0 || strlen(p->intl[k]) <= strlen(p->intl[k - 1])); /* longest first */
			T_ASSERT(strcmp(p->intl[k], p->national) != 0);
		}
		T_ASSERT(p->nsn_min > DIALPLAN_INTERNAL_MAX - 1 && p->nsn_max >= p->nsn_min);
		T_ASSERT((int)strlen(p->cc) + p->nsn_max <= DIALPLAN_E164_MAX);
		T_ASSERT(dialplan_make(p->cc, NULL, NULL, &q, why, sizeof why) == 0);
		T_ASSERT(dialplan_encode(&q, code, sizeof code) > 0);
		T_ASSERT(dialplan_decode(code, &q) == 0);
		T_EQ_STR(q.cc, p->cc);
		T_EQ_STR(q.national, p->national);
		T_EQ_STR(q.intl[0], p->intl[0]);
		for (int len = p->nsn_min; len <= p->nsn_max; len++) {
			/* an NSN starting with 2 (no table plan's prefixes start with 2) */
			snprintf(num, sizeof num, "%s2%0*d", p->national, len - 1, 0);
			num[strlen(p->national) + (size_t)len] = '\0';
			memset(num + strlen(p->national) + 1, '3', (size_t)len - 1);
			snprintf(want, sizeof want, "%s%s", p->cc, num + strlen(p->national));
			dialplan_normalise(p, num, &r);
			if (r.cls != DIAL_EXTERNAL || strcmp(r.digits, want) != 0)
				T_FAIL("+%s: %s -> %s %s (%s), expected %s", p->cc, num, dialplan_class_name(r.cls),
				       r.digits, r.rule, want);
			snprintf(plus, sizeof plus, "+%s", r.digits);
			dialplan_normalise(p, plus, &r2);
			if (r2.cls != DIAL_EXTERNAL || strcmp(r2.digits, want) != 0)
				T_FAIL("+%s: %s -> %s (%s)", p->cc, plus, r2.digits, r2.rule);
		}
		/* one digit too many after the trunk prefix (or as a national number) */
		snprintf(num, sizeof num, "+%s2", p->cc);
		memset(num + strlen(num), '3', (size_t)p->nsn_max);
		num[1 + strlen(p->cc) + 1 + (size_t)p->nsn_max] = '\0';
		dialplan_normalise(p, num, &r);
		if (r.cls != DIAL_INVALID)
			T_FAIL("+%s: %s should be invalid, got %s %s", p->cc, num, r.digits, r.rule);
		snprintf(em, sizeof em, "%.*s", (int)strcspn(p->emergency, " "), p->emergency);
		dialplan_normalise(p, em, &r);
		if (r.cls != DIAL_EMERGENCY)
			T_FAIL("+%s: %s should be emergency (%s)", p->cc, em, r.rule);
		dialplan_normalise(p, "500", &r);
		if (r.cls != DIAL_INTERNAL && !(r.cls == DIAL_EMERGENCY))
			T_FAIL("+%s: 500 -> %s", p->cc, dialplan_class_name(r.cls));
		snprintf(num, sizeof num, "%s442079460000", p->intl[0]);
		dialplan_normalise(p, num, &r);
		if (r.cls != DIAL_EXTERNAL || strcmp(r.digits, "442079460000") != 0)
			T_FAIL("+%s: %s -> %s (%s)", p->cc, num, r.digits, r.rule);
	}
}

TEST(make_and_encode)
{
	dialplan p;
	char why[160], code[DIALPLAN_CODE_MAX], text[200];
	T_EQ_I64(dialplan_make("44", NULL, NULL, &p, why, sizeof why), 0);
	T_EQ_I64(dialplan_encode(&p, code, sizeof code), 7);
	T_EQ_STR(code, "44/0/00");
	T_EQ_I64(dialplan_make("7", NULL, NULL, &p, why, sizeof why), 0);
	dialplan_encode(&p, code, sizeof code);
	T_EQ_STR(code, "7/8/810,00"); /* longest first */
	T_EQ_I64(dialplan_make("44", "none", "00,011", &p, why, sizeof why), 0);
	dialplan_encode(&p, code, sizeof code);
	T_EQ_STR(code, "44//011,00");
	T_EQ_I64(dialplan_decode("44//011,00", &p), 0);
	T_EQ_STR(p.national, "");
	T_EQ_I64(p.nintl, 2);
	dialplan_describe(&p, text, sizeof text);
	T_EQ_STR(text, "+44 (United Kingdom), trunk none, international 011,00, national numbers 9-10 digits");
	T_EQ_I64(dialplan_make("263", NULL, NULL, &p, why, sizeof why), -1);
	T_EQ_STR(why, "country calling code 263 is not in the built-in table: give --national-prefix and --intl-prefix");
	T_EQ_I64(dialplan_make("263", "0", "00", &p, why, sizeof why), 0);
	T_EQ_I64(p.nsn_min, 7);
	T_EQ_I64(p.nsn_max, 12);
	dialplan_normalise(&p, "0771234567", &R);
	T_EQ_STR(R.digits, "263771234567");
	T_EQ_I64(dialplan_make("0", NULL, NULL, &p, why, sizeof why), -1);
	T_EQ_I64(dialplan_make("1234", NULL, NULL, &p, why, sizeof why), -1);
	T_EQ_I64(dialplan_make("x", NULL, NULL, &p, why, sizeof why), -1);
	T_EQ_I64(dialplan_make("44", "0x", NULL, &p, why, sizeof why), -1);
	T_EQ_I64(dialplan_make("44", NULL, "00,,011", &p, why, sizeof why), -1);
	T_EQ_I64(dialplan_make("44", NULL, "", &p, why, sizeof why), -1);
	T_EQ_I64(dialplan_make("44", "00", NULL, &p, why, sizeof why), -1); /* same as intl */
	T_EQ_I64(dialplan_decode("44", &p), -1);
	T_EQ_I64(dialplan_decode(NULL, &p), -1);
	T_EQ_I64(dialplan_decode("44/0/", &p), -1);
}

TEST(result_text)
{
	char t[256];
	norm("44", "020 7946 0000");
	dialplan_result_text(&R, t, sizeof t);
	T_EQ_STR(t, "trunk 0 dropped, country 44 added -> 442079460000");
	norm("44", "500");
	dialplan_result_text(&R, t, sizeof t);
	T_EQ_STR(t, "3 digits without '+': extension or short code -> internal");
	norm("44", "999");
	dialplan_result_text(&R, t, sizeof t);
	T_EQ_STR(t, "emergency number of United Kingdom -> emergency");
	norm("44", "0234567");
	dialplan_result_text(&R, t, sizeof t);
	T_EQ_STR(t, "trunk 0, then 6 digits: national numbers of United Kingdom have 9 to 10 -> invalid");
}

void suite_dialplan(void); /* t.h's SUITE() has no prototype of its own */

SUITE(dialplan)
{
	RUN(uk);
	RUN(sip_and_text);
	RUN(nanp);
	RUN(trunkless);
	RUN(eight_and_810);
	RUN(other_prefixes);
	RUN(every_country);
	RUN(make_and_encode);
	RUN(result_text);
}
