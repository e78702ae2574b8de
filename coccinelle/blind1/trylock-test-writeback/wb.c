// SPDX-License-Identifier: GPL-2.0
// Sleeps guarded by a submit: folio_lock() only after folio_trylock() failed and tw_submit() ran; folio_wait_writeback() on the locked folio only after "if (folio_test_writeback()) tw_submit()": clean.
// Modeled on fs/btrfs/extent_io.c extent_write_cache_pages(), with an unconditional submit helper.
#include <linux/bio.h>
#include <linux/pagemap.h>
#include <linux/pagevec.h>
#include <linux/writeback.h>

struct tw_ctx {
	struct address_space *mapping;
	struct writeback_control *wbc;
	struct block_device *bdev;
	struct bio *bio;
	sector_t sector;
};

void tw_end_io(struct bio *bio);

static void tw_submit(struct tw_ctx *ctx)
{
	if (ctx->bio) {
		submit_bio(ctx->bio);
		ctx->bio = NULL;
	}
}

static void tw_queue(struct tw_ctx *ctx, struct folio *folio)
{
	folio_start_writeback(folio);
	if (ctx->bio && bio_full(ctx->bio, folio_size(folio)))
		tw_submit(ctx);
	if (!ctx->bio) {
		ctx->bio = bio_alloc(ctx->bdev, BIO_MAX_VECS, REQ_OP_WRITE,
				     GFP_NOFS);
		ctx->bio->bi_iter.bi_sector = ctx->sector;
		ctx->bio->bi_end_io = tw_end_io;
	}
	bio_add_folio_nofail(ctx->bio, folio, folio_size(folio), 0);
	ctx->sector += folio_size(folio) >> SECTOR_SHIFT;
}

int tw_write_batch(struct tw_ctx *ctx, struct folio_batch *fbatch)
{
	unsigned int i;

	for (i = 0; i < folio_batch_count(fbatch); i++) {
		struct folio *folio = fbatch->folios[i];

		if (!folio_trylock(folio)) {
			tw_submit(ctx);
			folio_lock(folio);
		}
		if (folio->mapping != ctx->mapping) {
			folio_unlock(folio);
			continue;
		}
		if (ctx->wbc->sync_mode != WB_SYNC_NONE) {
			if (folio_test_writeback(folio))
				tw_submit(ctx);
			folio_wait_writeback(folio);
		}
		if (folio_test_writeback(folio) ||
		    !folio_clear_dirty_for_io(folio)) {
			folio_unlock(folio);
			continue;
		}
		tw_queue(ctx, folio);
		folio_unlock(folio);
	}
	tw_submit(ctx);
	return 0;
}
