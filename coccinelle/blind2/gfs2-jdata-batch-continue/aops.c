// SPDX-License-Identifier: GPL-2.0
// folio_batch loop with continues; each folio is queued into ctx->bio and the next one is locked/waited on unsubmitted: REPORT folio_lock and folio_wait_writeback.
/*
 * Modeled on gfs2_write_jdata_batch() in fs/gfs2/aops.c, with the per-folio
 * write changed to add the folio to a bio held in the writeback context;
 * the bio is only sent by gfs2_write_cache_jdata() after the last batch.
 */
#include <linux/bio.h>
#include <linux/pagemap.h>
#include <linux/pagevec.h>
#include <linux/writeback.h>
#include "gfs2.h"

static void gfs2_jwb_submit(struct gfs2_jwb_ctx *ctx)
{
	if (ctx->bio) {
		submit_bio(ctx->bio);
		ctx->bio = NULL;
	}
}

static int gfs2_jdata_queue_folio(struct gfs2_jwb_ctx *ctx, struct folio *folio)
{
	u64 dblock;
	int ret;

	ret = gfs2_jwb_map(ctx->inode, folio, &dblock);
	if (ret)
		return ret;
	if (ctx->bio && (dblock != ctx->next_block ||
			 !bio_add_folio(ctx->bio, folio, folio_size(folio), 0)))
		gfs2_jwb_submit(ctx);
	if (!ctx->bio) {
		ctx->bio = gfs2_jwb_alloc_bio(ctx, dblock);
		bio_add_folio_nofail(ctx->bio, folio, folio_size(folio), 0);
	}
	folio_start_writeback(folio);
	folio_unlock(folio);
	ctx->next_block = dblock + (folio_size(folio) >> ctx->inode->i_blkbits);
	return 0;
}

static int gfs2_jwb_batch(struct gfs2_jwb_ctx *ctx,
			  struct address_space *mapping,
			  struct writeback_control *wbc,
			  struct folio_batch *fbatch, pgoff_t *done_index)
{
	int nr_folios = folio_batch_count(fbatch);
	int i, ret = 0;

	for (i = 0; i < nr_folios; i++) {
		struct folio *folio = fbatch->folios[i];

		*done_index = folio->index;
		folio_lock(folio);
		if (unlikely(folio->mapping != mapping)) {
			folio_unlock(folio);
			continue;
		}
		if (!folio_test_dirty(folio)) {
			folio_unlock(folio);
			continue;
		}
		if (folio_test_writeback(folio)) {
			if (wbc->sync_mode == WB_SYNC_NONE) {
				folio_unlock(folio);
				continue;
			}
			folio_wait_writeback(folio);
		}
		if (!folio_clear_dirty_for_io(folio)) {
			folio_unlock(folio);
			continue;
		}
		ret = gfs2_jdata_queue_folio(ctx, folio);
		if (unlikely(ret)) {
			folio_unlock(folio);
			*done_index = folio_next_index(folio);
			break;
		}
		if (--wbc->nr_to_write <= 0 && wbc->sync_mode == WB_SYNC_NONE)
			return 1;
	}
	return ret;
}
