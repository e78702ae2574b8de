// SPDX-License-Identifier: GPL-2.0
// Extent walk with a switch: the RECORDED case queues folios into ctx->bio, the NOT_RECORDED case locks a descriptor folio on a later iteration: REPORT filemap_lock_folio.
/*
 * The RECORDED case only looks folios up without locking them
 * (__filemap_get_folio() with FGP_ACCESSED alone, then folio_trylock()), so
 * it never sleeps; the NOT_RECORDED case (allocated but not recorded
 * extents, as in fs/udf/inode.c) does, and can follow a RECORDED extent.
 */
#include <linux/bio.h>
#include <linux/pagemap.h>
#include <linux/writeback.h>
#include "udfdecl.h"

static void udf_wb_submit(struct udf_wb_ctx *ctx)
{
	if (!ctx->bio)
		return;
	submit_bio(ctx->bio);
	ctx->bio = NULL;
}

static void udf_wb_queue(struct udf_wb_ctx *ctx, struct folio *folio,
			 sector_t lblk)
{
	if (ctx->bio && lblk != ctx->next_lblk)
		udf_wb_submit(ctx);
	if (ctx->bio && !bio_add_folio(ctx->bio, folio, folio_size(folio), 0))
		udf_wb_submit(ctx);
	if (!ctx->bio) {
		ctx->bio = udf_wb_alloc_bio(ctx, lblk);
		bio_add_folio_nofail(ctx->bio, folio, folio_size(folio), 0);
	}
	folio_start_writeback(folio);
	folio_unlock(folio);
	ctx->next_lblk = lblk + folio_nr_pages(folio);
}

int udf_wb_range(struct udf_wb_ctx *ctx, struct inode *inode,
		 pgoff_t index, pgoff_t end)
{
	struct address_space *mapping = inode->i_mapping;
	struct udf_wb_extent ext;
	struct folio *folio;
	int err = 0;

	while (index <= end) {
		err = udf_wb_map(inode, index, &ext);
		if (err)
			break;
		switch (ext.type) {
		case UDF_WB_HOLE:
			index += ext.len;
			break;
		case UDF_WB_NOT_RECORDED:
			/* mark it recorded in its allocation extent descriptor */
			folio = filemap_lock_folio(ctx->aed_mapping, ext.aed_index);
			if (IS_ERR(folio)) {
				err = PTR_ERR(folio);
				goto out;
			}
			udf_wb_mark_recorded(folio, &ext);
			folio_mark_dirty(folio);
			folio_unlock(folio);
			folio_put(folio);
			continue;	/* map again: now recorded */
		case UDF_WB_RECORDED:
			folio = __filemap_get_folio(mapping, index,
						    FGP_ACCESSED, 0);
			if (IS_ERR(folio)) {
				index++;
				break;
			}
			if (folio_trylock(folio)) {
				if (folio_clear_dirty_for_io(folio))
					udf_wb_queue(ctx, folio,
						     ext.lblk + index - ext.start);
				else
					folio_unlock(folio);
			}
			index = folio_next_index(folio);
			folio_put(folio);
			break;
		default:
			err = -EIO;
			goto out;
		}
	}
out:
	udf_wb_submit(ctx);
	return err;
}
