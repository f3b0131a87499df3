/* number.c: telephone number normalisation (see number.h).
 *
 * Only the digits of the text count: "+1 (206) 555-0100", "1.206.555.0100"
 * and "12065550100" are the same number. The international access codes
 * stripped are NANP's "011" and the ITU's "00"; NANP numbers never start
 * with 0, so neither can eat a digit of a real domestic number. The caller
 * owns `s` and `out`; nothing here allocates. */
#include <string.h>

#include "number.h"

int number_for_rating(const char *s, char *out, size_t n)
{
	size_t k = 0, skip = 0, nd = 0;
	const char *p;

	if (!out || n == 0)
		return -1;
	out[0] = '\0';
	if (!s)
		return 0;
	/* One pass when the digits fit as they are (nearly always): copy them,
	 * then drop an access code from the front. */
	for (p = s; *p; p++)
		if (*p >= '0' && *p <= '9') {
			if (k == n - 1)
				break;
			out[k++] = *p;
		}
	if (!*p) {
		if (k >= 3 && out[0] == '0' && out[1] == '1' && out[2] == '1')
			skip = 3;
		else if (k >= 2 && out[0] == '0' && out[1] == '0')
			skip = 2;
		if (skip)
			memmove(out, out + skip, k - skip);
		out[k - skip] = '\0';
		return (int)(k - skip);
	}
	k = 0; /* more digits than fit: decide with the access code first */
	out[0] = '\0';
	/* First pass: count digits and decide how many leading ones to drop. */
	{
		char lead[3] = { 0, 0, 0 };
		for (p = s; *p; p++) {
			if (*p >= '0' && *p <= '9') {
				if (nd < 3)
					lead[nd] = *p;
				nd++;
			}
		}
		if (nd >= 3 && lead[0] == '0' && lead[1] == '1' && lead[2] == '1')
			skip = 3;
		else if (nd >= 2 && lead[0] == '0' && lead[1] == '0')
			skip = 2;
	}
	if (nd - skip > n - 1)
		return -1;
	for (p = s; *p; p++) {
		if (*p >= '0' && *p <= '9') {
			if (skip) {
				skip--;
				continue;
			}
			out[k++] = *p;
		}
	}
	out[k] = '\0';
	return (int)k;
}

/* An 11-digit number starting with 1 is NANP with its country code; matching
 * compares the 10 national digits, as one side often omits the 1. */
int number_for_matching(const char *s, char *out, size_t n)
{
	int len = number_for_rating(s, out, n);

	if (len == 11 && out[0] == '1') {
		memmove(out, out + 1, 11); /* 10 digits and the NUL */
		len = 10;
	}
	return len;
}

/* Exact comparison only: "1911" or "9110" are not emergency calls (a prefix
 * test would exempt real destinations such as 911-prefixed extensions from
 * suspension), and the caller passes digits already normalised. */
int number_is_emergency(const char *digits)
{
	if (!digits)
		return 0;
	return strcmp(digits, "911") == 0 || strcmp(digits, "933") == 0 ||
	       strcmp(digits, "112") == 0;
}
