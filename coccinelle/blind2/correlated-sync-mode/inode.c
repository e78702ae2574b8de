// SPDX-License-Identifier: GPL-2.0
// Sleeps happen only for WB_SYNC_ALL, and exactly then the pending bio was sent at the top of the iteration; WB_SYNC_NONE only trylocks and skips: CLEAN (condition-dependent).
/*
 * For background writeback the walk never blocks on a folio (trylock, skip
 * folios under writeback).  For data-integrity writeback it must block, so
 * it first sends what it has queued.  The two tests are on the same
 * wbc->sync_mode, which nothing in the loop changes.
 */
#include <linux/bio.h>
#include <linux/pagemap.h>
#include <linux/writeback.h>
#include "affs.h"

static void affs_wb_submit(struct affs_wb_ctx *ctx)
{
	if (ctx->bio) {
		submit_bio(ctx->bio);
		ctx->bio = NULL;
	}
}

static void affs_wb_queue(struct affs_wb_ctx *ctx, struct folio *folio)
{
	sector_t sector = affs_folio_sector(ctx->inode, folio);

	if (ctx->bio && (sector != ctx->next_sector ||
			 !bio_add_folio(ctx->bio, folio, folio_size(folio), 0)))
		affs_wb_submit(ctx);
	if (!ctx->bio) {
		ctx->bio = affs_wb_alloc_bio(ctx, sector);
		bio_add_folio_nofail(ctx->bio, folio, folio_size(folio), 0);
	}
	ctx->next_sector = sector + (folio_size(folio) >> SECTOR_SHIFT);
}

int affs_wb_walk(struct affs_wb_ctx *ctx, struct writeback_control *wbc,
		 pgoff_t index, pgoff_t end)
{
	struct address_space *mapping = ctx->inode->i_mapping;
	struct folio *folio;

	for (; index <= end; index++) {
		folio = filemap_get_folio(mapping, index);
		if (IS_ERR(folio))
			continue;
		if (wbc->sync_mode == WB_SYNC_ALL)
			affs_wb_submit(ctx);
		if (!folio_trylock(folio)) {
			if (wbc->sync_mode != WB_SYNC_ALL)
				goto skip;
			folio_lock(folio);
		}
		if (folio_test_writeback(folio)) {
			if (wbc->sync_mode != WB_SYNC_ALL)
				goto skip_unlock;
			folio_wait_writeback(folio);
		}
		if (folio->mapping != mapping || !folio_clear_dirty_for_io(folio))
			goto skip_unlock;
		folio_start_writeback(folio);
		affs_wb_queue(ctx, folio);
		folio_unlock(folio);
		folio_put(folio);
		continue;
skip_unlock:
		folio_unlock(folio);
skip:
		folio_put(folio);
	}
	affs_wb_submit(ctx);
	return 0;
}
