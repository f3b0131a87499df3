/* recon_sel.c: pairing part of two compact sides in place (recon_sel.h). */
#include "recon_sel.h"

#include <stdlib.h>

#include "recon_int.h"

int recon_match_sel(const recon_side *ours, const uint32_t *osel, size_t no, const recon_side *theirs,
                    const uint32_t *tsel, size_t nt, const recon_opts *o, int64_t offset_s, recon_pair **pairs,
                    size_t *npairs)
{
	recon_opts op;
	rx_index ix;
	int32_t *mo = NULL;
	size_t np = 0;
	int rc;
	*pairs = NULL;
	*npairs = 0;
	if (no == 0 || nt == 0)
		return RECON_OK;
	if (no > RX_MAX_CALLS || nt > RX_MAX_CALLS)
		return RECON_ENOMEM;
	rx_norm_opts(&op, o);
	offset_s = rx_clamp64(offset_s, -RX_MAX_OFFSET, RX_MAX_OFFSET);
	if ((rc = rx_index_build(&ix, theirs, tsel, nt)) != RECON_OK)
		return rc;
	rc = rx_match_idx(ours, osel, no, theirs, &ix, &op, offset_s, &mo, &np);
	rx_index_free(&ix);
	if (rc == RECON_OK && (rc = rx_pairs_of(ours, osel, no, theirs, mo, np, offset_s, pairs)) == RECON_OK)
		*npairs = np;
	free(mo);
	return rc;
}
