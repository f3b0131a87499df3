/* dialplan.h: an account's dial plan and the normalisation of dialled
 * numbers to E.164, pure C (issue 9).
 *
 * A dial plan is a country calling code with its national (trunk) prefix,
 * its international prefixes and the lengths of its national significant
 * numbers (NSN). The built-in table holds the common countries; an account
 * may override the prefixes. dialplan_normalise classifies what a switch
 * wrote as the destination:
 *   EXTERNAL   an E.164 number (digits, no '+'), to be rated;
 *   INTERNAL   an extension, feature code, voicemail or other non-numeric
 *              destination: never charged, never unrated;
 *   EMERGENCY  the plan's emergency numbers (never charged);
 *   INVALID    cannot be a number of the plan (the reason says why).
 * The rules, in order, are written out in dialplan.c and in
 * docs/real-input/dialplan.md. Caller owns every buffer; nothing allocates. */
#ifndef BILLTOP_DIALPLAN_H
#define BILLTOP_DIALPLAN_H

#include <stddef.h>

#define DIALPLAN_CC_MAX 3        /* digits of a country calling code */
#define DIALPLAN_PFX_MAX 4       /* digits of a national or international prefix */
#define DIALPLAN_NINTL 5         /* international prefixes per plan */
#define DIALPLAN_E164_MAX 15     /* digits of an E.164 number (ITU-T E.164) */
#define DIALPLAN_INTERNAL_MAX 6  /* longest extension / short code (see rules) */
#define DIALPLAN_CODE_MAX 48     /* dialplan_encode's text, NUL included */

typedef struct {
	char cc[DIALPLAN_CC_MAX + 1];                 /* "44"; "" = no plan */
	char national[DIALPLAN_PFX_MAX + 1];          /* trunk prefix, "" when none (IT, ES...) */
	char intl[DIALPLAN_NINTL][DIALPLAN_PFX_MAX + 1]; /* longest first */
	int nintl;
	int nsn_min, nsn_max;                         /* national significant number lengths */
	const char *emergency;                        /* static, space-separated ("999 112") */
	const char *name;                             /* static, "United Kingdom" */
} dialplan;

typedef enum { DIAL_EXTERNAL = 0, DIAL_INTERNAL, DIAL_EMERGENCY, DIAL_INVALID } dial_class;

typedef struct {
	dial_class cls;
	/* EXTERNAL: the E.164 digits; EMERGENCY / INTERNAL: the dialled digits
	 * (empty for a non-numeric destination); INVALID: empty. */
	char digits[DIALPLAN_E164_MAX + 1];
	/* The rule applied ("trunk 0 dropped, country 44 added"), or for
	 * INVALID the reason ("5 digits: ..."). */
	char rule[160];
} dial_result;

/* The built-in table: entry i (NULL past the end), and the entry of a
 * calling code (NULL when the table has none). Entries are static. */
const dialplan *dialplan_at(size_t i);
const dialplan *dialplan_country(const char *cc);

/* Build a plan for calling code `cc`: the table's entry, with `national`
 * (NULL: the table's; "" or "none": no trunk prefix) and `intl` (NULL: the
 * table's; "00,011": a comma-separated list) overriding it. A code the
 * table lacks needs both overrides and gets NSN lengths 7 to 15 - len(cc)
 * and the emergency number 112.
 * Returns 0, or -1 with the reason in why. */
int dialplan_make(const char *cc, const char *national, const char *intl, dialplan *out,
                  char *why, size_t whylen);

/* "44/0/00", "39//00", "7/8/810,00": what a call record keeps of the plan
 * it was rated with (lengths come from the table, by code). Returns the
 * length, or -1 when it does not fit. dialplan_decode reverses it (0, or
 * -1 for text that is not a plan). */
int dialplan_encode(const dialplan *p, char *out, size_t n);
int dialplan_decode(const char *code, dialplan *out);

/* Human form: "+44 (United Kingdom), trunk 0, international 00, national
 * numbers 9-10 digits". */
void dialplan_describe(const dialplan *p, char *out, size_t n);

/* Classify and normalise `dialled` (any text, NULL as "") under `p`. */
void dialplan_normalise(const dialplan *p, const char *dialled, dial_result *out);

/* "trunk 0 dropped, country 44 added -> 442079460000" (or "-> internal",
 * "-> emergency 999", "-> invalid"): the explanation after the number as
 * written, which the caller prints (made visible) before it. */
void dialplan_result_text(const dial_result *r, char *out, size_t n);

const char *dialplan_class_name(dial_class c);

#endif
