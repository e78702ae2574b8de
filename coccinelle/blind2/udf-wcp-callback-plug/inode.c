// SPDX-License-Identifier: GPL-2.0
// write_cache_pages() callback queues into ctx->bio and then arms ctx->plug_cb, so a sleep in write_cache_pages() sends the bio: CLEAN.
/*
 * Modeled on fs/mpage.c in this tree (struct mpage_data with plug_cb,
 * mpage_take_bio(), mpage_unplug(), blk_plug_cb_arm() after
 * folio_start_writeback()), written against write_cache_pages().
 */
#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/pagemap.h>
#include <linux/writeback.h>
#include "udfdecl.h"

struct udf_wb_ctx {
	struct bio *bio;
	sector_t next_sector;
	struct blk_plug_cb plug_cb;	/* sends @bio when the task sleeps */
};

static struct bio *udf_wb_take_bio(struct udf_wb_ctx *ctx)
{
	struct bio *bio = ctx->bio;

	blk_plug_cb_disarm(&ctx->plug_cb);
	ctx->bio = NULL;
	return bio;
}

static void udf_wb_submit(struct udf_wb_ctx *ctx)
{
	struct bio *bio = udf_wb_take_bio(ctx);

	if (bio)
		submit_bio(bio);
}

static void udf_wb_unplug(struct blk_plug_cb *cb, bool from_schedule)
{
	struct udf_wb_ctx *ctx = container_of(cb, struct udf_wb_ctx, plug_cb);
	struct bio *bio = udf_wb_take_bio(ctx);

	if (bio)
		udf_punt_bio(bio, from_schedule);
}

static int udf_wb_folio(struct folio *folio, struct writeback_control *wbc,
			void *data)
{
	struct udf_wb_ctx *ctx = data;
	struct inode *inode = folio->mapping->host;
	sector_t sector = udf_folio_sector(inode, folio);

	if (ctx->bio && sector != ctx->next_sector)
		udf_wb_submit(ctx);
again:
	if (!ctx->bio) {
		ctx->bio = bio_alloc(inode->i_sb->s_bdev, BIO_MAX_VECS,
				     REQ_OP_WRITE, GFP_NOFS);
		ctx->bio->bi_iter.bi_sector = sector;
		ctx->bio->bi_end_io = udf_wb_end_io;
	}
	if (!bio_add_folio(ctx->bio, folio, folio_size(folio), 0)) {
		udf_wb_submit(ctx);
		goto again;
	}
	folio_start_writeback(folio);
	/* the folio in the bio is under writeback: let a sleep send it */
	blk_plug_cb_arm(&ctx->plug_cb);
	folio_unlock(folio);
	ctx->next_sector = sector + (folio_size(folio) >> SECTOR_SHIFT);
	return 0;
}

static int udf_writepages(struct address_space *mapping,
			  struct writeback_control *wbc)
{
	struct udf_wb_ctx ctx = { };
	struct blk_plug plug;
	int err;

	blk_plug_cb_init(&ctx.plug_cb, udf_wb_unplug, NULL);
	blk_start_plug(&plug);
	err = write_cache_pages(mapping, wbc, udf_wb_folio, &ctx);
	udf_wb_submit(&ctx);
	blk_finish_plug(&plug);
	return err;
}
