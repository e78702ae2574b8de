// SPDX-License-Identifier: GPL-2.0
// Every iteration ends with "if (ctx->bio) kw_submit(ctx)" (submit_bio_noacct), also on the early-continue path, so writeback_iter() never sleeps with I/O pending: clean.
#include <linux/bio.h>
#include <linux/pagemap.h>
#include <linux/writeback.h>

struct kw_ctx {
	struct block_device *bdev;
	struct bio *bio;
};

void kw_end_io(struct bio *bio);
sector_t kw_map(struct inode *inode, struct folio *folio, size_t *len);

static void kw_submit(struct kw_ctx *ctx)
{
	submit_bio_noacct(ctx->bio);
	ctx->bio = NULL;
}

static void kw_queue(struct kw_ctx *ctx, struct inode *inode,
		     struct folio *folio, bool keep_towrite)
{
	sector_t sector;
	size_t len;

	sector = kw_map(inode, folio, &len);
	if (keep_towrite)
		folio_start_writeback_keepwrite(folio);
	else
		folio_start_writeback(folio);
	ctx->bio = bio_alloc(ctx->bdev, 1, REQ_OP_WRITE, GFP_NOFS);
	ctx->bio->bi_iter.bi_sector = sector;
	ctx->bio->bi_end_io = kw_end_io;
	__bio_add_page(ctx->bio, &folio->page, len, 0);
}

int kw_writepages(struct address_space *mapping, struct writeback_control *wbc)
{
	struct inode *inode = mapping->host;
	struct kw_ctx ctx = { .bdev = inode->i_sb->s_bdev, .bio = NULL };
	struct folio *folio = NULL;
	int error = 0;

	while ((folio = writeback_iter(mapping, wbc, folio, &error))) {
		kw_queue(&ctx, inode, folio, folio_test_dirty(folio));
		folio_unlock(folio);
		if (folio_test_large(folio)) {
			/* large folios go out at once, with REQ_SYNC */
			ctx.bio->bi_opf |= REQ_SYNC;
			kw_submit(&ctx);
			continue;
		}
		if (ctx.bio)
			kw_submit(&ctx);
	}
	return error;
}
