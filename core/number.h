/* number.h: telephone number normalisation, pure C.
 * Caller owns every buffer. */
#ifndef BILLTOP_NUMBER_H
#define BILLTOP_NUMBER_H

#include <stddef.h>

/* Normalise a dialled number for rating: keep digits only, drop a leading
 * '+', then a leading "011" or "00" international access code. Writes at most
 * n-1 digits and a NUL; returns the digit count (0 when none), or -1 when
 * the result would not fit. "+1 (206) 555-0100" -> "12065550100". */
int number_for_rating(const char *s, char *out, size_t n);

/* Normalise for matching two sides' records: as number_for_rating, then the
 * leading 1 of an 11-digit NANP number is removed. "12065550100" and
 * "+1 206 555 0100" and "2065550100" all give "2065550100". */
int number_for_matching(const char *s, char *out, size_t n);

/* 1 when the normalised digits are an emergency number (911, 933, 112). */
int number_is_emergency(const char *digits);

#endif
