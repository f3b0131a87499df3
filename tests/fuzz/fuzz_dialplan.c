/* fuzz_dialplan.c: the dial-plan normaliser (core/dialplan.c, issue 9).
 *
 * Input: either "PLAN\nDIALLED" where PLAN is an encoded plan ("44/0/00",
 * "7/8/810,00"; used when it decodes), or one byte choosing an entry of the
 * built-in table followed by DIALLED. DIALLED is any text (seeds in
 * tests/fuzz/seeds/dialplan/: national, international, SIP URIs, feature
 * codes, emergency numbers). Invariants checked:
 *  - never a crash; the class is one of the four; the rule is never empty;
 *  - the digits are digits only; an external number has 1 to 15 of them and
 *    does not start with 0; an invalid one has none;
 *  - idempotent on its output: '+' and the E.164 digits give the same
 *    external number again;
 *  - the plan encodes and decodes to the same text. */
#include <string.h>

#include "fuzz.h"
#include "../../core/dialplan.h"

#define IN_MAX 512

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char in[IN_MAX + 1], code[DIALPLAN_CODE_MAX], code2[DIALPLAN_CODE_MAX], text[300], plus[24];
	const char *dialled = in;
	dialplan p;
	dial_result r, r2;
	size_t n = size < IN_MAX ? size : IN_MAX, nt = 0;
	const char *nl;

	if (size == 0)
		return 0;
	memcpy(in, data, n);
	in[n] = '\0'; /* an embedded NUL ends the text, as in a C string field */
	while (dialplan_at(nt))
		nt++;
	if ((nl = strchr(in, '\n')) != NULL) {
		in[nl - in] = '\0';
		if (dialplan_decode(in, &p) == 0) {
			dialled = nl + 1;
		} else {
			in[nl - in] = '\n';
			p = *dialplan_at((unsigned char)in[0] % nt);
			dialled = in + 1;
		}
	} else {
		p = *dialplan_at((unsigned char)in[0] % nt);
		dialled = in + 1;
	}
	FUZZ_CHECK(dialplan_encode(&p, code, sizeof code) > 0);
	{
		dialplan q;
		FUZZ_CHECK(dialplan_decode(code, &q) == 0);
		FUZZ_CHECK(dialplan_encode(&q, code2, sizeof code2) > 0 && strcmp(code, code2) == 0);
	}
	dialplan_normalise(&p, dialled, &r);
	FUZZ_CHECK(r.cls == DIAL_EXTERNAL || r.cls == DIAL_INTERNAL || r.cls == DIAL_EMERGENCY
	           || r.cls == DIAL_INVALID);
	FUZZ_CHECK(r.rule[0] != '\0');
	for (const char *s = r.digits; *s; s++)
		FUZZ_CHECK(*s >= '0' && *s <= '9');
	if (r.cls == DIAL_INVALID)
		FUZZ_CHECK(r.digits[0] == '\0');
	if (r.cls == DIAL_EXTERNAL) {
		size_t nd = strlen(r.digits);
		FUZZ_CHECK(nd >= 1 && nd <= DIALPLAN_E164_MAX && r.digits[0] != '0');
		snprintf(plus, sizeof plus, "+%s", r.digits);
		dialplan_normalise(&p, plus, &r2);
		FUZZ_CHECK(r2.cls == DIAL_EXTERNAL && strcmp(r2.digits, r.digits) == 0);
	}
	dialplan_result_text(&r, text, sizeof text);
	FUZZ_CHECK(text[0] != '\0');
	return 0;
}
