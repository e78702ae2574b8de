// SPDX-License-Identifier: GPL-2.0
// Synchronous writer: each folio's bio goes out with submit_bio_wait() before the next filemap_lock_folio()/folio_wait_writeback(): clean, nothing stays pending.
// Same shape as fs/f2fs/super.c __f2fs_commit_super() (bio_add_folio + submit_bio_wait), applied to a range.
#include <linux/bio.h>
#include <linux/pagemap.h>

struct sw_ctx {
	struct address_space *mapping;
	struct block_device *bdev;
	sector_t sector;
};

static int sw_write_one(struct sw_ctx *ctx, struct folio *folio)
{
	struct bio *bio;
	int ret;

	bio = bio_alloc(ctx->bdev, 1, REQ_OP_WRITE | REQ_SYNC, GFP_NOFS);
	bio->bi_iter.bi_sector = ctx->sector + (folio_pos(folio) >> SECTOR_SHIFT);
	folio_start_writeback(folio);
	bio_add_folio_nofail(bio, folio, folio_size(folio), 0);
	folio_unlock(folio);
	ret = submit_bio_wait(bio);
	bio_put(bio);
	folio_end_writeback(folio);
	return ret;
}

int sw_sync_range(struct sw_ctx *ctx, pgoff_t index, pgoff_t end)
{
	struct folio *folio;
	int ret = 0;

	while (index <= end) {
		folio = filemap_lock_folio(ctx->mapping, index);
		if (IS_ERR(folio))
			break;
		index = folio_next_index(folio);
		folio_wait_writeback(folio);
		if (!folio_clear_dirty_for_io(folio)) {
			folio_unlock(folio);
			folio_put(folio);
			continue;
		}
		ret = sw_write_one(ctx, folio);
		folio_put(folio);
		if (ret)
			break;
	}
	return ret;
}
