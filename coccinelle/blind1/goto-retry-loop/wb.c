// SPDX-License-Identifier: GPL-2.0
// Loop written with goto: the next filemap_lock_folio() runs after the previous folio went into ctx->bio: REPORT filemap_lock_folio().
#include <linux/bio.h>
#include <linux/pagemap.h>

struct gl_ctx {
	struct address_space *mapping;
	struct block_device *bdev;
	struct bio *bio;
	sector_t sector;
};

void gl_end_io(struct bio *bio);

static void gl_submit(struct gl_ctx *ctx)
{
	submit_bio(ctx->bio);
	ctx->bio = NULL;
}

/* The run is at most BIO_MAX_VECS pages, so one bio holds it all. */
int gl_write_run(struct gl_ctx *ctx, pgoff_t index, pgoff_t end)
{
	struct folio *folio;
	int nr = 0;

	ctx->bio = bio_alloc(ctx->bdev, BIO_MAX_VECS, REQ_OP_WRITE, GFP_NOFS);
	ctx->bio->bi_iter.bi_sector = ctx->sector;
	ctx->bio->bi_end_io = gl_end_io;
next:
	if (index > end)
		goto out;
	folio = filemap_lock_folio(ctx->mapping, index);
	if (IS_ERR(folio))
		goto out;
	if (!folio_clear_dirty_for_io(folio)) {
		folio_unlock(folio);
		folio_put(folio);
		goto out;
	}
	__folio_start_writeback(folio, false);
	bio_add_folio_nofail(ctx->bio, folio, folio_size(folio), 0);
	nr++;
	index = folio_next_index(folio);
	folio_unlock(folio);
	folio_put(folio);
	goto next;
out:
	if (nr)
		gl_submit(ctx);
	else
		bio_put(ctx->bio);
	return nr;
}
