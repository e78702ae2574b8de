// SPDX-License-Identifier: GPL-2.0
// Plug callback armed right after each folio is queued, before writeback_iter() can sleep: clean, the block layer sends ctx->bio if the task sleeps.
// Modeled on fs/mpage.c __mpage_writepages()/mpage_unplug() (blk_plug_cb_init/arm/disarm).
#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/blk_plug.h>
#include <linux/pagemap.h>
#include <linux/writeback.h>

struct pc_ctx {
	struct block_device *bdev;
	struct bio *bio;
	sector_t sector;
	struct blk_plug_cb plug_cb;	/* sends @bio when the task sleeps */
};

void pc_end_io(struct bio *bio);

static struct bio *pc_take_bio(struct pc_ctx *ctx)
{
	struct bio *bio = ctx->bio;

	blk_plug_cb_disarm(&ctx->plug_cb);
	ctx->bio = NULL;
	return bio;
}

static void pc_unplug(struct blk_plug_cb *cb, bool from_schedule)
{
	struct pc_ctx *ctx = container_of(cb, struct pc_ctx, plug_cb);
	struct bio *bio = pc_take_bio(ctx);

	if (bio)
		submit_bio(bio);
}

static void pc_queue_folio(struct pc_ctx *ctx, struct folio *folio)
{
	if (!ctx->bio) {
		ctx->bio = bio_alloc(ctx->bdev, BIO_MAX_VECS, REQ_OP_WRITE,
				     GFP_NOFS);
		ctx->bio->bi_iter.bi_sector = ctx->sector;
		ctx->bio->bi_end_io = pc_end_io;
	}
	folio_start_writeback(folio);
	bio_add_folio_nofail(ctx->bio, folio, folio_size(folio), 0);
	ctx->sector += folio_size(folio) >> SECTOR_SHIFT;
}

int pc_writepages(struct address_space *mapping, struct writeback_control *wbc,
		  struct block_device *bdev)
{
	struct pc_ctx ctx = { .bdev = bdev, .bio = NULL, .sector = 0 };
	struct folio *folio = NULL;
	struct blk_plug plug;
	struct bio *bio;
	int error;

	blk_plug_cb_init(&ctx.plug_cb, pc_unplug, NULL);
	blk_start_plug(&plug);
	while ((folio = writeback_iter(mapping, wbc, folio, &error))) {
		if (ctx.bio && bio_full(ctx.bio, folio_size(folio))) {
			bio = pc_take_bio(&ctx);
			submit_bio(bio);
		}
		pc_queue_folio(&ctx, folio);
		blk_plug_cb_arm(&ctx.plug_cb);
		folio_unlock(folio);
	}
	bio = pc_take_bio(&ctx);
	if (bio)
		submit_bio(bio);
	blk_finish_plug(&plug);
	return error;
}
