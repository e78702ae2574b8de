// SPDX-License-Identifier: GPL-2.0
// Normal path sends the bio before folio_lock(), but the error path relocks the rest of the cluster with filemap_lock_folio() before submitting: REPORT filemap_lock_folio() only.
// Loosely modeled on the redirty-on-error cleanup of fs/btrfs/extent_io.c locked-range writers.
#include <linux/bio.h>
#include <linux/pagemap.h>

struct ep_ctx {
	struct address_space *mapping;
	struct block_device *bdev;
	struct bio *bio;
};

void ep_end_io(struct bio *bio);
int ep_map_blocks(struct ep_ctx *ctx, struct folio *folio, sector_t *sector);

static void ep_submit(struct ep_ctx *ctx)
{
	if (ctx->bio) {
		submit_bio(ctx->bio);
		ctx->bio = NULL;
	}
}

int ep_write_cluster(struct ep_ctx *ctx, pgoff_t index, int nr)
{
	struct folio *folio;
	sector_t sector;
	int i, err = 0;

	for (i = 0; i < nr; i++) {
		folio = filemap_get_folio(ctx->mapping, index + i);
		if (IS_ERR(folio)) {
			err = PTR_ERR(folio);
			goto fail;
		}
		if (!folio_trylock(folio)) {
			ep_submit(ctx);
			folio_lock(folio);
		}
		err = ep_map_blocks(ctx, folio, &sector);
		if (err) {
			folio_unlock(folio);
			folio_put(folio);
			goto fail;
		}
		if (!ctx->bio) {
			ctx->bio = bio_alloc(ctx->bdev, nr, REQ_OP_WRITE, GFP_NOFS);
			ctx->bio->bi_iter.bi_sector = sector;
			ctx->bio->bi_end_io = ep_end_io;
		}
		folio_start_writeback(folio);
		bio_add_folio_nofail(ctx->bio, folio, folio_size(folio), 0);
		folio_unlock(folio);
		folio_put(folio);
	}
	ep_submit(ctx);
	return 0;
fail:
	/* keep the rest of the cluster dirty for the next pass */
	for (; i < nr; i++) {
		folio = filemap_lock_folio(ctx->mapping, index + i);
		if (IS_ERR(folio))
			continue;
		folio_mark_dirty(folio);
		folio_unlock(folio);
		folio_put(folio);
	}
	ep_submit(ctx);
	return err;
}
