// SPDX-License-Identifier: GPL-2.0
// Per-index lookup with FGP_LOCK | FGP_WRITE after earlier folios went into ctx->bio: REPORT __filemap_get_folio(), it sleeps on the folio lock.
// Loosely modeled on the lock-then-start-writeback sequence of fs/ext4/inode.c mpage_prepare_extent_to_map().
#include <linux/bio.h>
#include <linux/pagemap.h>

struct fg_ctx {
	struct address_space *mapping;
	struct block_device *bdev;
	struct bio *bio;
	sector_t sector;
};

void fg_end_io(struct bio *bio);

static void fg_alloc_bio(struct fg_ctx *ctx)
{
	ctx->bio = bio_alloc(ctx->bdev, BIO_MAX_VECS, REQ_OP_WRITE, GFP_NOFS);
	ctx->bio->bi_iter.bi_sector = ctx->sector;
	ctx->bio->bi_end_io = fg_end_io;
}

static void fg_submit(struct fg_ctx *ctx)
{
	if (!ctx->bio)
		return;
	submit_bio(ctx->bio);
	ctx->bio = NULL;
}

int fg_write_range(struct fg_ctx *ctx, pgoff_t start, pgoff_t end)
{
	struct folio *folio;
	pgoff_t index = start;
	int ret = 0;

	while (index <= end) {
		folio = __filemap_get_folio(ctx->mapping, index,
					    FGP_LOCK | FGP_WRITE, GFP_NOFS);
		if (IS_ERR(folio)) {
			ret = PTR_ERR(folio);
			break;
		}
		index = folio_next_index(folio);
		if (folio_test_writeback(folio) ||
		    !folio_clear_dirty_for_io(folio)) {
			folio_unlock(folio);
			folio_put(folio);
			continue;
		}
		folio_start_writeback(folio);
		if (!ctx->bio)
			fg_alloc_bio(ctx);
		if (!bio_add_folio(ctx->bio, folio, folio_size(folio), 0)) {
			fg_submit(ctx);
			fg_alloc_bio(ctx);
			bio_add_folio_nofail(ctx->bio, folio, folio_size(folio), 0);
		}
		ctx->sector += folio_size(folio) >> SECTOR_SHIFT;
		folio_unlock(folio);
		folio_put(folio);
	}
	fg_submit(ctx);
	return ret;
}
