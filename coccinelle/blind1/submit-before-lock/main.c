// SPDX-License-Identifier: GPL-2.0
// Sleeping helper from lock.c, but the pending bio is sent (if (ctx->bio) sb_submit(ctx)) right before every call: clean, nothing to report.
// Loop shape borrowed from fs/gfs2/aops.c gfs2_write_jdata_batch(); unlike it, this writer keeps a bio and sends it before each lock.
#include <linux/bio.h>
#include <linux/pagemap.h>
#include <linux/pagevec.h>
#include "sb.h"

static void sb_submit(struct sb_ctx *ctx)
{
	submit_bio(ctx->bio);
	ctx->bio = NULL;
}

int sb_write_batch(struct sb_ctx *ctx, struct folio_batch *fbatch)
{
	unsigned int i;

	for (i = 0; i < folio_batch_count(fbatch); i++) {
		struct folio *folio = fbatch->folios[i];

		if (ctx->bio)
			sb_submit(ctx);
		if (!sb_lock_folio(ctx, folio))
			continue;
		ctx->bio = bio_alloc(ctx->bdev, folio_nr_pages(folio),
				     REQ_OP_WRITE, GFP_NOFS);
		ctx->bio->bi_iter.bi_sector = ctx->sector;
		ctx->bio->bi_end_io = sb_end_io;
		folio_start_writeback(folio);
		bio_add_folio_nofail(ctx->bio, folio, folio_size(folio), 0);
		ctx->sector += folio_size(folio) >> SECTOR_SHIFT;
		folio_unlock(folio);
	}
	if (ctx->bio)
		sb_submit(ctx);
	return 0;
}
