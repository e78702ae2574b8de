// SPDX-License-Identifier: GPL-2.0
// Sleep hidden in a lookup helper at the top of each iteration: REPORT hfs_next_folio() (filemap_lock_folio) while the previous folio is pending in ctx->bio.
#include <linux/bio.h>
#include <linux/pagemap.h>

struct hfs_ctx {
	struct address_space *mapping;
	struct block_device *bdev;
	struct bio *bio;
	sector_t next_sector;
};

void hfs_end_io(struct bio *bio);

static struct folio *hfs_next_folio(struct hfs_ctx *ctx, pgoff_t index)
{
	struct folio *folio;

	folio = filemap_lock_folio(ctx->mapping, index);
	if (IS_ERR(folio))
		return NULL;
	if (!folio_test_dirty(folio) || folio_test_writeback(folio)) {
		folio_unlock(folio);
		folio_put(folio);
		return NULL;
	}
	return folio;
}

static void hfs_submit(struct hfs_ctx *ctx)
{
	if (ctx->bio) {
		submit_bio(ctx->bio);
		ctx->bio = NULL;
	}
}

static void hfs_alloc_bio(struct hfs_ctx *ctx)
{
	ctx->bio = bio_alloc(ctx->bdev, BIO_MAX_VECS, REQ_OP_WRITE, GFP_NOFS);
	ctx->bio->bi_iter.bi_sector = ctx->next_sector;
	ctx->bio->bi_end_io = hfs_end_io;
}

static void hfs_add_folio(struct hfs_ctx *ctx, struct folio *folio)
{
	folio_start_writeback(folio);
	if (!ctx->bio)
		hfs_alloc_bio(ctx);
	if (!bio_add_folio(ctx->bio, folio, folio_size(folio), 0)) {
		hfs_submit(ctx);
		hfs_alloc_bio(ctx);
		bio_add_folio_nofail(ctx->bio, folio, folio_size(folio), 0);
	}
	ctx->next_sector += folio_size(folio) >> SECTOR_SHIFT;
}

int hfs_write_range(struct hfs_ctx *ctx, pgoff_t start, pgoff_t end)
{
	struct folio *folio;
	pgoff_t index;

	for (index = start; index <= end; index++) {
		folio = hfs_next_folio(ctx, index);
		if (!folio)
			continue;
		folio_clear_dirty_for_io(folio);
		hfs_add_folio(ctx, folio);
		folio_unlock(folio);
		folio_put(folio);
	}
	hfs_submit(ctx);
	return 0;
}
