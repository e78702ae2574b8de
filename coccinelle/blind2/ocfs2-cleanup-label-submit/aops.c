// SPDX-License-Identifier: GPL-2.0
// Locked cluster folios are queued; every exit goes through the out_submit label that sends the bio, and the integrity waits come after it: CLEAN.
/*
 * The folios arrive locked, a cluster's worth, as from
 * ocfs2_grab_folios_for_write() in fs/ocfs2/aops.c.  Nothing in the loop
 * sleeps on a folio; folio_wait_writeback() runs only after submission.
 */
#include <linux/bio.h>
#include <linux/pagemap.h>
#include <linux/writeback.h>
#include "ocfs2.h"

static int ocfs2_wb_add(struct ocfs2_wb_ctx *ctx, struct folio *folio,
			u64 p_blkno)
{
	if (ctx->bio && p_blkno != ctx->next_blkno)
		return -EAGAIN;
	if (!ctx->bio) {
		ctx->bio = bio_alloc(ctx->bdev, OCFS2_MAX_CLUSTER_FOLIOS,
				     REQ_OP_WRITE, GFP_NOFS);
		ctx->bio->bi_iter.bi_sector = p_blkno << (ctx->blkbits - 9);
		ctx->bio->bi_end_io = ocfs2_wb_end_io;
	}
	if (!bio_add_folio(ctx->bio, folio, folio_size(folio), 0))
		return -EAGAIN;
	ctx->next_blkno = p_blkno + (folio_size(folio) >> ctx->blkbits);
	return 0;
}

int ocfs2_wb_cluster(struct ocfs2_wb_ctx *ctx, struct folio **folios, int nr,
		     bool sync)
{
	u64 p_blkno;
	int i, ret = 0;

	for (i = 0; i < nr; i++) {
		struct folio *folio = folios[i];

		ret = ocfs2_extent_map_get_blocks(ctx->inode, folio->index,
						  &p_blkno);
		if (ret)
			goto out_submit;
		folio_start_writeback(folio);
		ret = ocfs2_wb_add(ctx, folio, p_blkno);
		if (ret) {
			folio_end_writeback(folio);
			goto out_submit;
		}
		folio_unlock(folio);
	}

out_submit:
	if (ctx->bio) {
		submit_bio(ctx->bio);
		ctx->bio = NULL;
	}
	/* the folios we did not get to are still locked */
	for (; i < nr; i++) {
		folio_redirty_for_writepage(ctx->wbc, folios[i]);
		folio_unlock(folios[i]);
	}
	if (sync) {
		for (i = 0; i < nr; i++)
			folio_wait_writeback(folios[i]);
	}
	return ret;
}
