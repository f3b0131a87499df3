/* inv_opts.h: the options of a dispute investigation as people type them,
 * shared by `billtop investigate` (tui/cmd_investigate.c) and the console's
 * investigation prompts (tui/inv_setup.c), so both accept the same text and
 * keep the same options string with the case.
 *
 * Tolerance text: "count=0.5%,seconds=0.5%,cost=0.5%,cost-abs=0.01,time=5s,
 * max-offset=14h", any subset, any order; percentages to a basis point
 * ("1.25%" or "1.25"), times in s, m or h. inv_tolerance_format writes every
 * item, so parsing its text gives back the same recon_opts tolerances.
 *
 * Nothing here allocates or touches the database. */
#ifndef BILLTOP_INV_OPTS_H
#define BILLTOP_INV_OPTS_H

#include <stddef.h>
#include "../core/recon.h"

/* Apply tolerance text to o (items not named keep their value). Returns 0,
 * or -1 with the reason in why ("unknown item \"x\" (count, ...)" or
 * "bad item \"x=y\" (e.g. ...)"); o may be partly changed on failure. */
int inv_tolerance_parse(const char *spec, recon_opts *o, char *why, size_t n);

/* o's tolerances as text inv_tolerance_parse reads, every item named:
 * "count=0.5%,seconds=0.5%,cost=0.5%,cost-abs=0.01,time=5s,max-offset=14h".
 * buf >= 160 bytes is always enough. */
void inv_tolerance_format(const recon_opts *o, char *buf, size_t n);

/* Append "--name value" to the options string kept with a case: value quoted
 * when it has blanks or quotes; "" for a flag (name alone); NULL: not given,
 * nothing appended. Truncates at n - 1 bytes. */
void inv_options_add(char *buf, size_t n, const char *name, const char *val);

#endif
