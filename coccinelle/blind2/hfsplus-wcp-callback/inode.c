// SPDX-License-Identifier: GPL-2.0
// write_cache_pages() callback queues folios into ctx->bio; write_cache_pages() locks the next folio meanwhile: REPORT write_cache_pages in the caller.
/*
 * Modeled on the write_cache_pages() users of older kernels (fs/mpage.c
 * __mpage_writepage() with struct mpage_data, before writeback_iter()):
 * the callback leaves the bio pending for the next folio, and the bio is
 * only sent after write_cache_pages() returns.
 */
#include <linux/bio.h>
#include <linux/pagemap.h>
#include <linux/writeback.h>
#include "hfsplus_fs.h"

struct hfsplus_wb_ctx {
	struct bio *bio;
	sector_t next_sector;
};

static void hfsplus_wb_end_io(struct bio *bio)
{
	struct folio_iter fi;

	bio_for_each_folio_all(fi, bio)
		folio_end_writeback(fi.folio);
	bio_put(bio);
}

static void hfsplus_wb_submit(struct hfsplus_wb_ctx *ctx)
{
	if (ctx->bio) {
		submit_bio(ctx->bio);
		ctx->bio = NULL;
	}
}

static int hfsplus_wb_folio(struct folio *folio, struct writeback_control *wbc,
			    void *data)
{
	struct hfsplus_wb_ctx *ctx = data;
	struct inode *inode = folio->mapping->host;
	sector_t sector;
	int err;

	err = hfsplus_folio_to_sector(inode, folio, &sector);
	if (err) {
		folio_unlock(folio);
		return err;
	}
	if (ctx->bio && sector != ctx->next_sector)
		hfsplus_wb_submit(ctx);
again:
	if (!ctx->bio) {
		ctx->bio = bio_alloc(inode->i_sb->s_bdev, BIO_MAX_VECS,
				     REQ_OP_WRITE | wbc_to_write_flags(wbc),
				     GFP_NOFS);
		ctx->bio->bi_iter.bi_sector = sector;
		ctx->bio->bi_end_io = hfsplus_wb_end_io;
	}
	if (!bio_add_folio(ctx->bio, folio, folio_size(folio), 0)) {
		hfsplus_wb_submit(ctx);
		goto again;
	}
	folio_start_writeback(folio);
	folio_unlock(folio);
	ctx->next_sector = sector + (folio_size(folio) >> SECTOR_SHIFT);
	return 0;
}

static int hfsplus_writepages(struct address_space *mapping,
			      struct writeback_control *wbc)
{
	struct hfsplus_wb_ctx ctx = { };
	int err;

	err = write_cache_pages(mapping, wbc, hfsplus_wb_folio, &ctx);
	hfsplus_wb_submit(&ctx);
	return err;
}
