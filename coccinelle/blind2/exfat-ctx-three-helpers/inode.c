// SPDX-License-Identifier: GPL-2.0
// Context passed writepages -> wb_range -> wb_folio -> wb_add; wb_range locks the next folio while ctx->bio holds queued ones: REPORT __filemap_get_folio in exfat_wb_range.
/*
 * The top level sends the bio between the two halves of a cyclic walk, so
 * exfat_writepages() itself is fine; the problem is inside the range walk.
 */
#include <linux/bio.h>
#include <linux/pagemap.h>
#include <linux/writeback.h>
#include "exfat_fs.h"

struct exfat_wb_ctx {
	struct inode *inode;
	struct writeback_control *wbc;
	struct bio *bio;
	sector_t next_sector;
};

static void exfat_wb_submit(struct exfat_wb_ctx *ctx)
{
	if (!ctx->bio)
		return;
	submit_bio(ctx->bio);
	ctx->bio = NULL;
}

static void exfat_wb_add(struct exfat_wb_ctx *ctx, struct folio *folio,
			 sector_t sector)
{
	if (ctx->bio && (sector != ctx->next_sector ||
			 !bio_add_folio(ctx->bio, folio, folio_size(folio), 0)))
		exfat_wb_submit(ctx);
	if (!ctx->bio) {
		ctx->bio = exfat_wb_alloc_bio(ctx, sector);
		bio_add_folio_nofail(ctx->bio, folio, folio_size(folio), 0);
	}
	ctx->next_sector = sector + (folio_size(folio) >> SECTOR_SHIFT);
}

static int exfat_wb_folio(struct exfat_wb_ctx *ctx, struct folio *folio)
{
	sector_t sector;
	int err;

	err = exfat_map_folio(ctx->inode, folio, &sector);
	if (err)
		return err;
	folio_start_writeback(folio);
	exfat_wb_add(ctx, folio, sector);
	return 0;
}

static int exfat_wb_range(struct exfat_wb_ctx *ctx, pgoff_t index, pgoff_t end)
{
	struct address_space *mapping = ctx->inode->i_mapping;
	struct folio *folio;
	int err = 0;

	while (index <= end && !err) {
		folio = __filemap_get_folio(mapping, index, FGP_LOCK | FGP_NOFS, 0);
		if (IS_ERR(folio)) {
			index++;
			continue;
		}
		index = folio_next_index(folio);
		if (folio_clear_dirty_for_io(folio))
			err = exfat_wb_folio(ctx, folio);
		folio_unlock(folio);
		folio_put(folio);
	}
	return err;
}

int exfat_writepages(struct address_space *mapping,
		     struct writeback_control *wbc)
{
	struct exfat_wb_ctx ctx = { .inode = mapping->host, .wbc = wbc };
	pgoff_t start = mapping->writeback_index;
	int err;

	err = exfat_wb_range(&ctx, start, ULONG_MAX);
	/* send what the first half queued before wrapping around */
	exfat_wb_submit(&ctx);
	if (!err && start)
		err = exfat_wb_range(&ctx, 0, start - 1);
	exfat_wb_submit(&ctx);
	return err;
}
