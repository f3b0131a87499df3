/* figure.h: the rounded figures the front ends show (percentages, minutes,
 * average durations), in integers only. Each is the exact quotient of the
 * underlying integers (counts, milliseconds, seconds) rounded ONCE, half-up
 * (ties away from zero, as ROUND_HALF_UP in money.h), to the last digit
 * shown: 1 of 6 is 16.7 %, never 16.6 (cut) and never a rounding of a
 * rounding. No floats.
 *
 * Totals rule (render.c, README "Figures"): a row shows its own value
 * rounded once; a TOTAL shows the exact sum of the rows' underlying values
 * rounded once (never the sum of the rounded rows). So n rows may differ
 * from their total by at most n/2 units of the last digit shown;
 * fig_rows_drift says by how much they do.
 *
 * Pure libc; no state. */
#ifndef BILLTOP_FIGURE_H
#define BILLTOP_FIGURE_H

#include <stdint.h>

/* num / den rounded half-up (ties away from zero), through __int128 so no
 * product overflows. den <= 0 gives 0 (no figure: "0 of 0 calls"). */
int64_t fig_div_half_up(int64_t num, int64_t den);

/* part of whole as a percentage in tenths: 1 of 6 -> 167 ("16.7 %");
 * whole <= 0 -> 0. */
int64_t fig_pct_tenths(int64_t part, int64_t whole);

/* Milliseconds as minutes in hundredths: 52157000 ms -> 86928 ("869.28");
 * 9000 ms -> 15 ("0.15"). */
int64_t fig_minutes_centi_ms(int64_t ms);

/* Whole seconds as minutes in hundredths: 61 s -> 102 ("1.02"). */
int64_t fig_minutes_centi_s(int64_t secs);

/* An average duration (ACD) in whole seconds: total_ms over n calls,
 * rounded once: 2 calls of 10.5 s + 11 s -> 11 s; n <= 0 -> 0. */
int64_t fig_avg_secs(int64_t total_ms, int64_t n);

/* The sum of the rounded rows minus the rounded total, for the note that
 * says rows and total differ (0 when they agree). rows[] are the rounded
 * row figures, total the rounded total; both in the same unit. */
int64_t fig_rows_drift(const int64_t *rows, int n, int64_t total);

/* v in units of 10^-decimals as text: (167, 1) -> "16.7", (-5, 2) ->
 * "-0.05", (3, 0) -> "3". buf >= 24 bytes is always enough. */
void fig_format(int64_t v, int decimals, char *buf, unsigned long n);

#endif
