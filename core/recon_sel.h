/* recon_sel.h: pairing part of two compact sides (the connected calls of
 * one day) in place, by recon_match's rule and as the engine pairs the
 * worst day's calls (recon_tree.c), without copying the calls out as
 * recon_call and packing them again (data/inv_findings.c pairs every
 * differing day this way: at a million calls the copies were most of it). */
#ifndef BILLTOP_RECON_SEL_H
#define BILLTOP_RECON_SEL_H
#include <stddef.h>
#include <stdint.h>
#include "recon.h"

/* osel[0..no) and tsel[0..nt): indexes into ours and theirs, ascending.
 * *pairs (malloc'd, caller frees; NULL when none) get *npairs pairs,
 * ascending by ours, their indexes into the sides (not into osel/tsel).
 * RECON_OK or RECON_ENOMEM. */
int recon_match_sel(const recon_side *ours, const uint32_t *osel, size_t no, const recon_side *theirs,
                    const uint32_t *tsel, size_t nt, const recon_opts *o, int64_t offset_s, recon_pair **pairs,
                    size_t *npairs);
#endif
