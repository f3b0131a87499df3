/* datechar.h: the character classes the date readers share (datefmt.c,
 * dateguess.c). ASCII only, locale-free; ch is an unsigned char value or
 * -1 (end of text). Internal to core/. */
#ifndef BILLTOP_DATECHAR_H
#define BILLTOP_DATECHAR_H

static inline int is_digit(int ch)
{
	return ch >= '0' && ch <= '9';
}

static inline int is_blank(int ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

static inline int lower(int ch)
{
	return ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch;
}

#endif
