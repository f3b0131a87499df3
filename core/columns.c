/* columns.c: display columns of UTF-8 text (columns.h). */
#define _XOPEN_SOURCE 700 /* wcwidth */
#include "columns.h"

#include <stdio.h>
#include <string.h>
#include <wchar.h>

/* One UTF-8 character at s: its code point and length; an invalid or
 * cut sequence is one byte, code point -1. */
static int utf8_next(const unsigned char *s, long *cp)
{
	int len = s[0] < 0x80 ? 1 : (s[0] & 0xe0) == 0xc0 ? 2 : (s[0] & 0xf0) == 0xe0 ? 3 : (s[0] & 0xf8) == 0xf0 ? 4 : 0;
	long c;
	if (len == 0) {
		*cp = -1;
		return 1;
	}
	c = len == 1 ? s[0] : s[0] & (0x3f >> (len - 1));
	for (int i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			*cp = -1;
			return 1;
		}
		c = c << 6 | (s[i] & 0x3f);
	}
	*cp = c;
	return len;
}

static int cp_width(long c)
{
	int w;
	if (c < 0)
		return 1;
	if (c < 0x7f)
		return c >= 0x20;
	if ((w = wcwidth((wchar_t)c)) >= 0)
		return w;
	/* a locale that does not know the character (C, POSIX) */
	if ((c >= 0x300 && c <= 0x36f) || (c >= 0x200b && c <= 0x200f) || (c >= 0xfe00 && c <= 0xfe0f))
		return 0;
	if ((c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf && c != 0x303f) || (c >= 0xac00 && c <= 0xd7a3)
	    || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60)
	    || (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x1f300 && c <= 0x1f64f) || (c >= 0x1f900 && c <= 0x1f9ff)
	    || (c >= 0x20000 && c <= 0x3fffd))
		return 2;
	return 1;
}

size_t col_fit(const char *s, int cols, int *used)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	int w = 0;
	while (p[i]) {
		long c;
		int len = utf8_next(p + i, &c), cw = cp_width(c);
		if (w + cw > cols)
			break;
		w += cw;
		i += (size_t)len;
	}
	if (used)
		*used = w;
	return i;
}

int col_width(const char *s)
{
	int w;
	col_fit(s, 1 << 30, &w);
	return w;
}

const char *col_ellipsis(int ascii)
{
	return ascii ? "~" : "\xe2\x80\xa6";
}

int col_clip(const char *s, int cols, int ascii, char *buf, size_t n)
{
	size_t k;
	if (n == 0)
		return 0;
	if (cols <= 0) {
		buf[0] = '\0';
		return s[strspn(s, " ")] != '\0';
	}
	k = col_fit(s, cols, NULL);
	if (s[k + strspn(s + k, " ")] == '\0') {   /* it fits, or only blanks are left over */
		snprintf(buf, n, "%.*s", (int)k, s);
		return 0;
	}
	k = col_fit(s, cols - 1, NULL);   /* the sign takes one column */
	snprintf(buf, n, "%.*s%s", (int)k, s, col_ellipsis(ascii));
	return 1;
}
