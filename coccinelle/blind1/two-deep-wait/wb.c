// SPDX-License-Identifier: GPL-2.0
// Extent writer whose only sleep is two helpers deep (td_prepare_next -> td_stabilize -> folio_wait_stable): REPORT td_prepare_next(), the extent's bio is still pending.
#include <linux/bio.h>
#include <linux/pagemap.h>

struct td_ctx {
	struct address_space *mapping;
	struct block_device *bdev;
	struct bio *bio;
	sector_t sector;
	bool stable_writes;
};

void td_end_io(struct bio *bio);

static void td_stabilize(struct td_ctx *ctx, struct folio *folio)
{
	if (ctx->stable_writes)
		folio_wait_stable(folio);
}

static struct folio *td_prepare_next(struct td_ctx *ctx, pgoff_t index)
{
	struct folio *folio = filemap_get_folio(ctx->mapping, index);

	if (IS_ERR(folio))
		return NULL;
	if (!folio_trylock(folio)) {
		folio_put(folio);
		return NULL;
	}
	if (!folio_clear_dirty_for_io(folio)) {
		folio_unlock(folio);
		folio_put(folio);
		return NULL;
	}
	td_stabilize(ctx, folio);
	return folio;
}

static void td_submit(struct td_ctx *ctx)
{
	submit_bio(ctx->bio);
	ctx->bio = NULL;
}

/*
 * @first is locked and cleaned by the caller; the extent is at most
 * BIO_MAX_VECS single-page folios long, so the bio cannot overflow.
 */
int td_write_extent(struct td_ctx *ctx, struct folio *first, pgoff_t last,
		    bool keep_towrite)
{
	struct folio *folio = first;
	pgoff_t index;

	ctx->bio = bio_alloc(ctx->bdev, BIO_MAX_VECS, REQ_OP_WRITE, GFP_NOFS);
	ctx->bio->bi_iter.bi_sector = ctx->sector;
	ctx->bio->bi_end_io = td_end_io;
	for (;;) {
		index = folio_next_index(folio);
		__folio_start_writeback(folio, keep_towrite);
		bio_add_folio_nofail(ctx->bio, folio, folio_size(folio), 0);
		folio_unlock(folio);
		folio_put(folio);
		if (index > last)
			break;
		folio = td_prepare_next(ctx, index);
		if (!folio)
			break;
	}
	td_submit(ctx);
	return 0;
}
