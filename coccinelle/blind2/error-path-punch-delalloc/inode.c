// SPDX-License-Identifier: GPL-2.0
// Gathered locked folios are queued one by one; on allocation failure the error path punches delalloc with a helper that locks folios, before the bio is sent: REPORT xfs_wb_punch_delalloc.
/*
 * Loosely modeled on the writeback error handling of fs/xfs/xfs_aops.c
 * (xfs_discard_folio -> xfs_bmap_punch_delalloc_range) and of ext4's
 * mpage_release_unused_pages(): the failure comes after some folios of the
 * extent are already in the pending bio.  The normal path never sleeps on
 * a folio: the folios were locked by the caller.
 */
#include <linux/bio.h>
#include <linux/pagemap.h>
#include <linux/writeback.h>
#include "xfs.h"

static void xfs_wb_submit(struct xfs_wb_ctx *ctx)
{
	if (ctx->bio) {
		submit_bio(ctx->bio);
		ctx->bio = NULL;
	}
}

static void xfs_wb_add(struct xfs_wb_ctx *ctx, struct folio *folio,
		       xfs_fsblock_t fsb)
{
	if (ctx->bio && !bio_add_folio(ctx->bio, folio, folio_size(folio), 0))
		xfs_wb_submit(ctx);
	if (!ctx->bio) {
		ctx->bio = xfs_wb_alloc_bio(ctx, fsb);
		bio_add_folio_nofail(ctx->bio, folio, folio_size(folio), 0);
	}
}

/* Drop the delalloc reservation of every cached folio in [start, end]. */
static void xfs_wb_punch_delalloc(struct inode *inode, pgoff_t start,
				  pgoff_t end)
{
	struct folio *folio;
	pgoff_t index;

	for (index = start; index <= end; index++) {
		folio = filemap_lock_folio(inode->i_mapping, index);
		if (IS_ERR(folio))
			continue;
		xfs_clear_folio_delalloc(folio);
		folio_unlock(folio);
		folio_put(folio);
	}
	xfs_bmap_punch_delalloc_range(XFS_I(inode), start, end + 1);
}

int xfs_wb_map_and_queue(struct xfs_wb_ctx *ctx, struct folio **folios,
			 int nr)
{
	struct inode *inode = ctx->inode;
	pgoff_t first = folios[0]->index, last = folios[nr - 1]->index;
	xfs_fsblock_t fsb;
	int i, err;

	for (i = 0; i < nr; i++) {
		struct folio *folio = folios[i];

		err = xfs_wb_alloc_block(inode, folio->index, &fsb);
		if (err)
			goto out_error;
		folio_start_writeback(folio);
		xfs_wb_add(ctx, folio, fsb);
		folio_unlock(folio);
	}
	xfs_wb_submit(ctx);
	return 0;

out_error:
	/* unlock what we did not write, then give back its reservation */
	for (; i < nr; i++) {
		folio_redirty_for_writepage(ctx->wbc, folios[i]);
		folio_unlock(folios[i]);
	}
	xfs_wb_punch_delalloc(inode, first, last);
	xfs_wb_submit(ctx);
	return err;
}
