/* cdrsniff.h: the pre-scan of a CDR or MDR file: how its dates are written
 * and whether its wall clock is off from the epochs it also carries.
 *
 * Reads at most CDRSNIFF_ROWS data rows from the start of the file (never
 * the whole file: a million-row file answers in milliseconds) through the
 * same cdrfmt reader the import uses, so every time field the import reads
 * is seen. No SQLite here. Only regular files are sampled: a FIFO is read
 * once, by the import, so it keeps year-first dates or its --date-format.
 *
 * Order: decided from the values (datefmt.h df_guess): "1/9/2017" is read
 * day-first when some date of the sample can only be day-first ("13/9"),
 * month-first likewise, year-first when the year comes first. When every
 * date of the sample reads both ways, the Unix epoch that Asterisk and
 * Grandstream unique ids carry ("1491742741.3", "host-1491742741.3")
 * decides, if exactly one reading puts every start a constant whole or half
 * hour from its epoch; otherwise the file is refused naming the ambiguity.
 * --date-format states the reading and nothing is guessed.
 *
 * Zone hint: rows with both a zone-less start and a unique-id epoch give
 * wall - epoch; when no --tz was given and at least 80 % of them agree on a
 * whole or half hour other than 0, hint says so and suggests a zone. It is
 * a warning, never a refusal: the import goes on reading times as UTC. */
#ifndef BILLTOP_CDRSNIFF_H
#define BILLTOP_CDRSNIFF_H

#include <stdint.h>
#include "../core/dateguess.h"
#include "cdrfmt.h"

#define CDRSNIFF_ROWS 2000

typedef struct {
	df_spec dates;          /* the reading for every row (cdrfmt_reader_set_dates) */
	char order[400];        /* how it was decided, e.g. "decided: day-first (DMY) because ..." */
	int64_t rows;           /* data rows sampled */
	int64_t epoch_rows;     /* of those, rows with a unique-id epoch and a zone-less start */
	int64_t offset_rows;    /* rows agreeing on offset_s */
	int has_offset;
	int offset_s;           /* most common wall - epoch (seconds), when has_offset */
	char hint[300];         /* the zone warning, "" when none (no "FILE: " prefix) */
} cdrsniff_result;

/* Sample a CDR file of a known format. csv_flags: csvin_read_file_ex's
 * (CSVIN_LENIENT under --lenient). date_format: --date-format or NULL;
 * tz_given: --tz was given (no hint then). 0 and *out, or -1 with why (a
 * bad --date-format, ambiguous or contradictory dates, a reader that cannot
 * be set up): the caller refuses the file as "FILE: why". */
int cdrsniff_cdr(const char *path, cdrfmt_kind kind, const char *map, const char *date_format,
                 unsigned csv_flags, int tz_given, cdrsniff_result *out, char *why, size_t n);

/* The same for a headed file whose time column is the first whose name
 * (case-insensitive) is in names (NULL-terminated): MDR files. No hint. */
int cdrsniff_column(const char *path, const char *const *names, const char *date_format,
                    unsigned csv_flags, cdrsniff_result *out, char *why, size_t n);

/* Read r's time fields under dates from now on (copied). */
void cdrfmt_reader_set_dates(cdrfmt_reader *r, const df_spec *dates);

#endif
