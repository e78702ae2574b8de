// SPDX-License-Identifier: GPL-2.0
// The folio-grabbing helper sends the pending bio (via a bio-taking submitter) before it locks the folio; a ctx-taking flush with early return ends the walk: CLEAN.
/*
 * Same shape as a context passed through several helpers; the sleeping
 * helper fat_wb_grab() is not a sleeper for its callers because it submits
 * whatever is pending before it can block.
 */
#include <linux/bio.h>
#include <linux/pagemap.h>
#include <linux/writeback.h>
#include "fat.h"

struct fat_wb_ctx {
	struct inode *inode;
	struct bio *bio;
	sector_t next_sector;
};

static void fat_submit_bio(struct bio *bio)
{
	bio->bi_end_io = fat_wb_end_io;
	submit_bio(bio);
}

static void fat_wb_flush(struct fat_wb_ctx *ctx)
{
	if (!ctx->bio)
		return;
	fat_submit_bio(ctx->bio);
	ctx->bio = NULL;
}

static struct folio *fat_wb_grab(struct fat_wb_ctx *ctx, pgoff_t index)
{
	/* the holder of this folio may wait for writeback of ours */
	if (ctx->bio) {
		fat_submit_bio(ctx->bio);
		ctx->bio = NULL;
	}
	return __filemap_get_folio(ctx->inode->i_mapping, index,
				   FGP_LOCK | FGP_NOFS, 0);
}

static void fat_wb_queue(struct fat_wb_ctx *ctx, struct folio *folio,
			 sector_t sector)
{
	if (ctx->bio && (sector != ctx->next_sector ||
			 !bio_add_folio(ctx->bio, folio, folio_size(folio), 0)))
		fat_wb_flush(ctx);
	if (!ctx->bio) {
		ctx->bio = fat_wb_alloc_bio(ctx->inode, sector);
		bio_add_folio_nofail(ctx->bio, folio, folio_size(folio), 0);
	}
	ctx->next_sector = sector + (folio_size(folio) >> SECTOR_SHIFT);
}

static int fat_wb_range(struct fat_wb_ctx *ctx, pgoff_t index, pgoff_t end)
{
	struct folio *folio;
	sector_t sector;
	int err = 0;

	for (; index <= end && !err; index++) {
		folio = fat_wb_grab(ctx, index);
		if (IS_ERR(folio))
			continue;
		if (folio_clear_dirty_for_io(folio)) {
			err = fat_map_folio(ctx->inode, folio, &sector);
			if (!err) {
				folio_start_writeback(folio);
				fat_wb_queue(ctx, folio, sector);
			}
		}
		folio_unlock(folio);
		folio_put(folio);
	}
	return err;
}

int fat_writepages_range(struct inode *inode, pgoff_t start, pgoff_t end)
{
	struct fat_wb_ctx ctx = { .inode = inode };
	int err;

	err = fat_wb_range(&ctx, start, end);
	fat_wb_flush(&ctx);
	return err;
}
