/* dialplan.c: dial plans and number normalisation (see dialplan.h).
 *
 * Sources of the table: the ITU-T E.164 national numbering plan notices
 * (ITU Operational Bulletin, "National Numbering Plans" pages per country:
 * national prefix, international prefix, NSN lengths) and, as a reference
 * read to cross-check lengths and prefixes, the territory attributes of
 * libphonenumber's PhoneNumberMetadata.xml (nationalPrefix,
 * internationalPrefix, possibleLengths). Nothing is copied from either:
 * the lengths are the common fixed and mobile lengths, chosen wide enough
 * that a real number of the country is never refused.
 *
 * Normalisation rules, in order (the first that applies wins). `digits` are
 * the digits of the dialled text; '+' counts only as its first character.
 *  0. SIP and tel URIs: "sip:+1206...@host;user=phone", "<sip:500@pbx>",
 *     "\"Name\" <sip:500@pbx>": the user part is the number.
 *  1. No digits and nothing else: INVALID (no number).
 *  2. Anything but digits, a leading '+' and separators (space - . ( ) /):
 *     "*97", "voicemail", "s", "#31#": INTERNAL (feature code, voicemail,
 *     extension name); with a leading '+': INVALID.
 *  3. More than 32 digits: INVALID.
 *  4. Leading '+': international (rule I below).
 *  5. Exactly one of the plan's emergency numbers: EMERGENCY.
 *  6. At most DIALPLAN_INTERNAL_MAX (6) digits, and fewer than the plan's
 *     shortest national number: INTERNAL (extension or short code), except,
 *     in a plan whose trunk prefix is 0, two or more digits starting with 0:
 *     a national number cut short ("01234"), which rule 7 or 8 refuses.
 *     "0" alone (the operator) is internal.
 *  7. An international prefix of the plan (longest first: 810 before 8,
 *     0011 before 0): dropped, then international (rule I).
 *  8. The trunk prefix, followed by an NSN of the plan's lengths: the
 *     prefix dropped and the country code added. With a wrong length:
 *     INVALID, except that a number too long for the plan whose trunk
 *     prefix is not 0 goes on to rules 9-12 (RU "8", NANP "1").
 *  9. Plan without a trunk prefix (IT, ES, ...), length of an NSN: national,
 *     the country code added (Italy keeps its leading 0).
 * 10. Starts with the plan's country code followed by an NSN of the plan's
 *     lengths: already E.164, written without '+'.
 * 11. Length of an NSN: national written without its trunk prefix, the
 *     country code added.
 * 12. Longer than the plan's NSNs: international written without prefix
 *     (rule I).
 * 13. Otherwise (7 or more digits, shorter than an NSN): INVALID.
 * Rule I (international): the digits must not start with 0, have at most
 *     15 digits; the plan's own country code, or a code of the table, must
 *     be followed by an NSN of its lengths; any other code needs 7 to 15
 *     digits in all. Country codes are prefix-free (E.164), so at most one
 *     code of the table matches. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "dialplan.h"

#define NDIG_MAX 32

/* The built-in table, constant (no initialisation, safe from any thread):
 * calling code, trunk prefix, international prefixes (longest first),
 * their count, NSN min and max lengths, emergency numbers, name. */
static const dialplan TABLE[] = {
	{ "1", "1", { "011" }, 1, 10, 10, "911 933 112", "NANP (US, Canada, Caribbean)" },
	{ "7", "8", { "810", "00" }, 2, 10, 10, "112 101 102 103 104 01 02 03", "Russia, Kazakhstan" },
	{ "20", "0", { "00" }, 1, 8, 10, "122 123 180 112", "Egypt" },
	{ "27", "0", { "00" }, 1, 9, 9, "10111 10177 112", "South Africa" },
	{ "30", "", { "00" }, 1, 10, 10, "112 100 166 199", "Greece" },
	{ "31", "0", { "00" }, 1, 9, 9, "112", "Netherlands" },
	{ "32", "0", { "00" }, 1, 8, 9, "112 100 101", "Belgium" },
	{ "33", "0", { "00" }, 1, 9, 9, "112 15 17 18 114", "France" },
	{ "34", "", { "00" }, 1, 9, 9, "112 091 092 061 080 085", "Spain" },
	{ "39", "", { "00" }, 1, 6, 11, "112 113 115 118", "Italy" },
	{ "41", "0", { "00" }, 1, 9, 9, "112 117 118 144", "Switzerland" },
	{ "43", "0", { "00" }, 1, 7, 13, "112 122 133 144", "Austria" },
	{ "44", "0", { "00" }, 1, 9, 10, "999 112", "United Kingdom" },
	{ "45", "", { "00" }, 1, 8, 8, "112", "Denmark" },
	{ "46", "0", { "00" }, 1, 7, 9, "112", "Sweden" },
	{ "47", "", { "00" }, 1, 8, 8, "112 110 113", "Norway" },
	{ "48", "", { "00" }, 1, 9, 9, "112 997 998 999", "Poland" },
	{ "49", "0", { "00" }, 1, 8, 12, "112 110", "Germany" },
	{ "52", "", { "00" }, 1, 10, 10, "911", "Mexico" },
	{ "54", "0", { "00" }, 1, 10, 11, "911 107 100 101", "Argentina" },
	{ "55", "0", { "00" }, 1, 10, 11, "190 192 193", "Brazil" },
	{ "60", "0", { "00" }, 1, 8, 10, "999 112", "Malaysia" },
	{ "61", "0", { "0011" }, 1, 9, 9, "000 112 106", "Australia" },
	{ "62", "0", { "001", "007", "008", "009" }, 4, 8, 12, "112 110 118", "Indonesia" },
	{ "63", "0", { "00" }, 1, 8, 10, "911 112", "Philippines" },
	{ "64", "0", { "00" }, 1, 8, 10, "111", "New Zealand" },
	{ "65", "", { "001", "000", "002", "008", "018" }, 5, 8, 8, "999 995", "Singapore" },
	{ "66", "0", { "001" }, 1, 8, 9, "191 1669 199", "Thailand" },
	{ "81", "0", { "010" }, 1, 9, 10, "110 119 118", "Japan" },
	{ "82", "0", { "001", "002", "005", "006", "008" }, 5, 8, 10, "112 119", "South Korea" },
	{ "84", "0", { "00" }, 1, 9, 10, "113 114 115", "Vietnam" },
	{ "86", "0", { "00" }, 1, 9, 11, "110 119 120 122", "China" },
	{ "90", "0", { "00" }, 1, 10, 10, "112 155 156", "Turkey" },
	{ "91", "0", { "00" }, 1, 10, 10, "112 100 101 102 108", "India" },
	{ "92", "0", { "00" }, 1, 9, 10, "15 115 1122", "Pakistan" },
	{ "234", "0", { "009" }, 1, 8, 10, "112 199", "Nigeria" },
	{ "254", "0", { "000" }, 1, 9, 9, "999 112", "Kenya" },
	{ "351", "", { "00" }, 1, 9, 9, "112", "Portugal" },
	{ "353", "0", { "00" }, 1, 7, 9, "112 999", "Ireland" },
	{ "380", "0", { "00" }, 1, 9, 9, "112 101 102 103", "Ukraine" },
	{ "966", "0", { "00" }, 1, 8, 9, "911 999 997 998", "Saudi Arabia" },
	{ "971", "0", { "00" }, 1, 8, 9, "999 998 997 112", "United Arab Emirates" },
	{ "972", "0", { "00" }, 1, 8, 9, "100 101 102 112", "Israel" },
	{ "998", "8", { "810", "00" }, 2, 9, 9, "101 102 103 112", "Uzbekistan" },
};
#define NTABLE (sizeof TABLE / sizeof TABLE[0])

static int all_digits(const char *s, size_t maxlen)
{
	size_t n = strlen(s);
	if (n == 0 || n > maxlen)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* Parse "a,b,c" into p->intl, longest first. 0, or -1 with why. */
static int set_intl(dialplan *p, const char *list, char *why, size_t whylen)
{
	const char *s = list;
	p->nintl = 0;
	while (*s) {
		const char *e = strchr(s, ',');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		char one[DIALPLAN_PFX_MAX + 2];
		if (n == 0 || n > DIALPLAN_PFX_MAX || p->nintl == DIALPLAN_NINTL) {
			snprintf(why, whylen, "international prefixes: up to %d, each 1 to %d digits, "
			         "separated by commas", DIALPLAN_NINTL, DIALPLAN_PFX_MAX);
			return -1;
		}
		memcpy(one, s, n);
		one[n] = '\0';
		if (!all_digits(one, DIALPLAN_PFX_MAX)) {
			snprintf(why, whylen, "international prefix \"%.*s\" is not digits", (int)n, s);
			return -1;
		}
		memcpy(p->intl[p->nintl++], one, n + 1);
		s = e ? e + 1 : s + n;
	}
	/* longest first (insertion sort, at most 5) */
	for (int i = 1; i < p->nintl; i++)
		for (int j = i; j > 0 && strlen(p->intl[j]) > strlen(p->intl[j - 1]); j--) {
			char t[DIALPLAN_PFX_MAX + 1];
			memcpy(t, p->intl[j], sizeof t);
			memcpy(p->intl[j], p->intl[j - 1], sizeof t);
			memcpy(p->intl[j - 1], t, sizeof t);
		}
	return 0;
}

const dialplan *dialplan_at(size_t i)
{
	return i < NTABLE ? &TABLE[i] : NULL;
}

const dialplan *dialplan_country(const char *cc)
{
	if (!cc)
		return NULL;
	for (size_t i = 0; i < NTABLE; i++)
		if (strcmp(TABLE[i].cc, cc) == 0)
			return &TABLE[i];
	return NULL;
}

int dialplan_make(const char *cc, const char *national, const char *intl, dialplan *out,
                  char *why, size_t whylen)
{
	const dialplan *t;
	memset(out, 0, sizeof *out);
	if (!cc || !all_digits(cc, DIALPLAN_CC_MAX) || cc[0] == '0') {
		snprintf(why, whylen, "country calling code \"%s\": 1 to 3 digits, not starting with 0 "
		         "(1, 44, 998...)", cc ? cc : "");
		return -1;
	}
	if ((t = dialplan_country(cc)) != NULL) {
		*out = *t;
	} else {
		if (!national || !intl) {
			snprintf(why, whylen, "country calling code %s is not in the built-in table: give "
			         "--national-prefix and --intl-prefix", cc);
			return -1;
		}
		snprintf(out->cc, sizeof out->cc, "%s", cc);
		out->nsn_min = DIALPLAN_INTERNAL_MAX + 1;
		out->nsn_max = DIALPLAN_E164_MAX - (int)strlen(cc);
		out->emergency = "112";
		out->name = "custom";
	}
	if (national) {
		if (*national == '\0' || strcmp(national, "none") == 0)
			out->national[0] = '\0';
		else if (!all_digits(national, DIALPLAN_PFX_MAX)) {
			snprintf(why, whylen, "national prefix \"%s\": 1 to %d digits, or none", national,
			         DIALPLAN_PFX_MAX);
			return -1;
		} else
			snprintf(out->national, sizeof out->national, "%s", national);
	}
	if (intl && set_intl(out, intl, why, whylen) < 0)
		return -1;
	if (out->nintl == 0) {
		snprintf(why, whylen, "a dial plan needs at least one international prefix");
		return -1;
	}
	for (int i = 0; i < out->nintl; i++)
		if (strcmp(out->intl[i], out->national) == 0) {
			snprintf(why, whylen, "the national and an international prefix are both %s", out->national);
			return -1;
		}
	return 0;
}

int dialplan_encode(const dialplan *p, char *out, size_t n)
{
	size_t k;
	int w = snprintf(out, n, "%s/%s/", p->cc, p->national);
	if (w < 0 || (size_t)w >= n)
		return -1;
	k = (size_t)w;
	for (int i = 0; i < p->nintl; i++) {
		w = snprintf(out + k, n - k, "%s%s", i ? "," : "", p->intl[i]);
		if (w < 0 || (size_t)w >= n - k)
			return -1;
		k += (size_t)w;
	}
	return (int)k;
}

int dialplan_decode(const char *code, dialplan *out)
{
	char cc[8], np[8], why[160];
	const char *a, *b;
	if (!code || !(a = strchr(code, '/')) || !(b = strchr(a + 1, '/')))
		return -1;
	if ((size_t)(a - code) >= sizeof cc || (size_t)(b - a - 1) >= sizeof np)
		return -1;
	memcpy(cc, code, (size_t)(a - code));
	cc[a - code] = '\0';
	memcpy(np, a + 1, (size_t)(b - a - 1));
	np[b - a - 1] = '\0';
	return dialplan_make(cc, np, b + 1, out, why, sizeof why);
}

void dialplan_describe(const dialplan *p, char *out, size_t n)
{
	char ip[DIALPLAN_NINTL * (DIALPLAN_PFX_MAX + 1) + 1] = "";
	for (int i = 0; i < p->nintl; i++) {
		if (i)
			strcat(ip, ",");
		strcat(ip, p->intl[i]);
	}
	snprintf(out, n, "+%s (%s), trunk %s, international %s, national numbers %d-%d digits", p->cc,
	         p->name ? p->name : "custom", p->national[0] ? p->national : "none", ip, p->nsn_min,
	         p->nsn_max);
}

const char *dialplan_class_name(dial_class c)
{
	switch (c) {
	case DIAL_EXTERNAL: return "external";
	case DIAL_INTERNAL: return "internal";
	case DIAL_EMERGENCY: return "emergency";
	default: return "invalid";
	}
}

static int starts(const char *s, const char *pfx)
{
	size_t n = strlen(pfx);
	return n && strncmp(s, pfx, n) == 0;
}

static void set(dial_result *r, dial_class c, const char *digits, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void set(dial_result *r, dial_class c, const char *digits, const char *fmt, ...)
{
	va_list ap;
	r->cls = c;
	snprintf(r->digits, sizeof r->digits, "%s", c == DIAL_INVALID ? "" : digits);
	va_start(ap, fmt);
	vsnprintf(r->rule, sizeof r->rule, fmt, ap);
	va_end(ap);
}

/* 1 when word-list `list` (space-separated) holds exactly d. */
static int in_list(const char *list, const char *d)
{
	size_t n = strlen(d);
	const char *s = list;
	while (s && *s) {
		const char *e = strchr(s, ' ');
		size_t k = e ? (size_t)(e - s) : strlen(s);
		if (k == n && strncmp(s, d, n) == 0)
			return 1;
		s = e ? e + 1 : NULL;
	}
	return 0;
}

/* Rule I: `d` (digits, nd of them) is an international number. */
static void international(const dialplan *p, const char *d, size_t nd, const char *how, dial_result *r)
{
	const dialplan *c = NULL;
	size_t lc;
	if (nd == 0) {
		set(r, DIAL_INVALID, "", "nothing after the %s", how);
		return;
	}
	if (d[0] == '0') {
		set(r, DIAL_INVALID, "", "%s, then %zu digits starting with 0: no country code starts with 0",
		    how, nd);
		return;
	}
	if (nd > DIALPLAN_E164_MAX) {
		set(r, DIAL_INVALID, "", "%s, then %zu digits: an international number has at most %d", how, nd,
		    DIALPLAN_E164_MAX);
		return;
	}
	if (p->cc[0] && starts(d, p->cc))
		c = p;
	else
		for (size_t k = 1; k <= DIALPLAN_CC_MAX && k < nd && !c; k++) {
			char cc[DIALPLAN_CC_MAX + 1];
			memcpy(cc, d, k);
			cc[k] = '\0';
			c = dialplan_country(cc);
		}
	if (c) {
		size_t nsn;
		lc = strlen(c->cc);
		nsn = nd - lc;
		if ((int)nsn < c->nsn_min || (int)nsn > c->nsn_max) {
			if (c->nsn_min == c->nsn_max)
				set(r, DIAL_INVALID, "", "%s, country %s, then %zu digits: numbers of %s have %d",
				    how, c->cc, nsn, c->name, c->nsn_min);
			else
				set(r, DIAL_INVALID, "", "%s, country %s, then %zu digits: numbers of %s have %d to %d",
				    how, c->cc, nsn, c->name, c->nsn_min, c->nsn_max);
			return;
		}
		set(r, DIAL_EXTERNAL, d, "%s, country %s", how, c->cc);
		return;
	}
	if (nd < 7) {
		set(r, DIAL_INVALID, "", "%s, then %zu digits: too short for an international number", how, nd);
		return;
	}
	set(r, DIAL_EXTERNAL, d, "%s", how);
}

/* Rule 0: the part of `s` that holds the number: the user part of a SIP or
 * tel URI (after a '<' if there is one), else the whole text. */
static void user_part(const char *s, const char **b, const char **e)
{
	const char *lt = strchr(s, '<'), *p = lt ? lt + 1 : s, *q;
	while (*p == ' ' || *p == '\t')
		p++;
	if (strncasecmp(p, "sip:", 4) == 0)
		p += 4;
	else if (strncasecmp(p, "sips:", 5) == 0)
		p += 5;
	else if (strncasecmp(p, "tel:", 4) == 0)
		p += 4;
	else if (!lt) {
		*b = p;
		*e = p + strlen(p);
		goto trim;
	}
	for (q = p; *q && *q != '@' && *q != ';' && *q != '>' && *q != '?'; q++)
		;
	*b = p;
	*e = q;
trim:
	while (*e > *b && ((*e)[-1] == ' ' || (*e)[-1] == '\t' || (*e)[-1] == '\r' || (*e)[-1] == '\n'))
		(*e)--;
}

void dialplan_normalise(const dialplan *p, const char *dialled, dial_result *r)
{
	const char *b, *e, *s;
	char d[NDIG_MAX + 1];
	size_t nd = 0, ln = strlen(p->national);
	int plus = 0, other = 0, seen = 0;

	memset(r, 0, sizeof *r);
	user_part(dialled ? dialled : "", &b, &e);
	for (s = b; s < e; s++) {
		unsigned char c = (unsigned char)*s;
		if (c >= '0' && c <= '9') {
			if (nd < NDIG_MAX)
				d[nd] = (char)c;
			nd++;
			seen = 1;
		} else if (c == '+' && !seen && !plus) {
			plus = 1;
			seen = 1;
		} else if (c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '/' || c == '\t') {
			continue;
		} else {
			other = 1;
			seen = 1;
		}
	}
	d[nd < NDIG_MAX ? nd : NDIG_MAX] = '\0';
	if (!seen || (plus && nd == 0 && !other)) {
		set(r, DIAL_INVALID, "", "no number");
		return;
	}
	if (other) {
		if (plus)
			set(r, DIAL_INVALID, "", "'+' followed by something that is not a number");
		else
			set(r, DIAL_INTERNAL, nd <= DIALPLAN_E164_MAX ? d : "",
			    "not a number: feature code, voicemail or extension name");
		return;
	}
	if (nd > NDIG_MAX) {
		set(r, DIAL_INVALID, "", "%zu digits: longer than any number", nd);
		return;
	}
	if (plus) {
		international(p, d, nd, "'+' international", r);
		return;
	}
	if (in_list(p->emergency, d)) {
		set(r, DIAL_EMERGENCY, d, "emergency number of %s", p->name ? p->name : p->cc);
		return;
	}
	if ((int)nd <= DIALPLAN_INTERNAL_MAX && (int)nd < p->nsn_min
	    && !(nd > 1 && d[0] == '0' && strcmp(p->national, "0") == 0)) {
		set(r, DIAL_INTERNAL, d, "%zu digits without '+': extension or short code", nd);
		return;
	}
	for (int i = 0; i < p->nintl; i++)
		if (starts(d, p->intl[i])) {
			char how[48];
			snprintf(how, sizeof how, "international prefix %s dropped", p->intl[i]);
			international(p, d + strlen(p->intl[i]), nd - strlen(p->intl[i]), how, r);
			return;
		}
	if (ln && starts(d, p->national)) {
		int nsn = (int)(nd - ln);
		char e164[NDIG_MAX + DIALPLAN_CC_MAX + 1];
		if (nsn >= p->nsn_min && nsn <= p->nsn_max) {
			snprintf(e164, sizeof e164, "%s%s", p->cc, d + ln);
			set(r, DIAL_EXTERNAL, e164, "trunk %s dropped, country %s added", p->national, p->cc);
			return;
		}
		if (!(p->national[0] != '0' && nsn > p->nsn_max)) {
			if (p->nsn_min == p->nsn_max)
				set(r, DIAL_INVALID, "", "trunk %s, then %d digits: national numbers of %s have %d",
				    p->national, nsn, p->name ? p->name : p->cc, p->nsn_min);
			else
				set(r, DIAL_INVALID, "", "trunk %s, then %d digits: national numbers of %s have %d to %d",
				    p->national, nsn, p->name ? p->name : p->cc, p->nsn_min, p->nsn_max);
			return;
		}
	}
	if (!ln && (int)nd >= p->nsn_min && (int)nd <= p->nsn_max) {
		char e164[NDIG_MAX + DIALPLAN_CC_MAX + 1];
		snprintf(e164, sizeof e164, "%s%s", p->cc, d);
		set(r, DIAL_EXTERNAL, e164, "national number, country %s added", p->cc);
		return;
	}
	if (starts(d, p->cc)) {
		int nsn = (int)(nd - strlen(p->cc));
		if (nsn >= p->nsn_min && nsn <= p->nsn_max) {
			set(r, DIAL_EXTERNAL, d, "country %s already there (E.164 without '+')", p->cc);
			return;
		}
	}
	if ((int)nd >= p->nsn_min && (int)nd <= p->nsn_max) {
		char e164[NDIG_MAX + DIALPLAN_CC_MAX + 1];
		snprintf(e164, sizeof e164, "%s%s", p->cc, d);
		set(r, DIAL_EXTERNAL, e164, "national number without trunk prefix, country %s added", p->cc);
		return;
	}
	if ((int)nd > p->nsn_max) {
		international(p, d, nd, "no prefix, longer than a national number: international", r);
		return;
	}
	if (p->nsn_min == p->nsn_max)
		set(r, DIAL_INVALID, "", "%zu digits: too long for an extension (at most %d), too short for a "
		    "national number of %s (%d)", nd, DIALPLAN_INTERNAL_MAX, p->name ? p->name : p->cc, p->nsn_min);
	else
		set(r, DIAL_INVALID, "", "%zu digits: too long for an extension (at most %d), too short for a "
		    "national number of %s (%d to %d)", nd, DIALPLAN_INTERNAL_MAX, p->name ? p->name : p->cc,
		    p->nsn_min, p->nsn_max);
}

void dialplan_result_text(const dial_result *r, char *out, size_t n)
{
	switch (r->cls) {
	case DIAL_EXTERNAL: snprintf(out, n, "%s -> %s", r->rule, r->digits); break;
	case DIAL_EMERGENCY: snprintf(out, n, "%s -> emergency", r->rule); break;
	case DIAL_INTERNAL: snprintf(out, n, "%s -> internal", r->rule); break;
	default: snprintf(out, n, "%s -> invalid", r->rule); break;
	}
}
