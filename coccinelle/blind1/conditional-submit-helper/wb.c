// SPDX-License-Identifier: GPL-2.0
// A "submit" helper that only sends the bio on a discontiguity, called before folio_lock(): REPORT folio_lock(), contiguous folios stay pending in ctx->bio.
#include <linux/bio.h>
#include <linux/pagemap.h>
#include <linux/pagevec.h>

struct cs_ctx {
	struct address_space *mapping;
	struct block_device *bdev;
	struct bio *bio;
	pgoff_t next_index;
	sector_t sector;
};

void cs_end_io(struct bio *bio);

/* Send the pending bio only if @index does not extend it. */
static void cs_maybe_submit(struct cs_ctx *ctx, pgoff_t index)
{
	if (ctx->bio && ctx->next_index != index) {
		submit_bio(ctx->bio);
		ctx->bio = NULL;
	}
}

static void cs_submit_all(struct cs_ctx *ctx)
{
	if (ctx->bio) {
		submit_bio(ctx->bio);
		ctx->bio = NULL;
	}
}

static void cs_new_bio(struct cs_ctx *ctx)
{
	ctx->bio = bio_alloc(ctx->bdev, BIO_MAX_VECS, REQ_OP_WRITE, GFP_NOFS);
	ctx->bio->bi_iter.bi_sector = ctx->sector;
	ctx->bio->bi_end_io = cs_end_io;
}

int cs_write_batch(struct cs_ctx *ctx, struct folio_batch *fbatch)
{
	unsigned int i;

	for (i = 0; i < folio_batch_count(fbatch); i++) {
		struct folio *folio = fbatch->folios[i];

		cs_maybe_submit(ctx, folio->index);
		folio_lock(folio);
		if (folio->mapping != ctx->mapping ||
		    folio_test_writeback(folio) ||
		    !folio_clear_dirty_for_io(folio)) {
			folio_unlock(folio);
			continue;
		}
		if (!ctx->bio)
			cs_new_bio(ctx);
		folio_start_writeback(folio);
		if (!bio_add_folio(ctx->bio, folio, folio_size(folio), 0)) {
			cs_submit_all(ctx);
			cs_new_bio(ctx);
			bio_add_folio_nofail(ctx->bio, folio, folio_size(folio), 0);
		}
		ctx->next_index = folio_next_index(folio);
		ctx->sector += folio_size(folio) >> SECTOR_SHIFT;
		folio_unlock(folio);
	}
	cs_submit_all(ctx);
	return 0;
}
