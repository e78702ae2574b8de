// SPDX-License-Identifier: GPL-2.0
// Queueing and sleeping split across functions: REPORT qs_write_range() (its bio, queued by qs_add(), then filemap_lock_folio()) and qs_add_and_lock_next() (queues into ctx->bio, then folio_lock_killable()); qs_write_pair() is clean.
#include <linux/bio.h>
#include <linux/pagemap.h>

struct qs_ctx {
	struct address_space *mapping;
	struct block_device *bdev;
	struct bio *bio;
};

struct bio *qs_alloc_bio(struct block_device *bdev, struct folio *folio);

/* Queue a locked, cleaned folio on *biop; the caller owns and sends the bio. */
static void qs_add(struct block_device *bdev, struct bio **biop,
		   struct folio *folio)
{
	folio_start_writeback(folio);
	if (!*biop)
		*biop = qs_alloc_bio(bdev, folio);
	bio_add_folio_nofail(*biop, folio, folio_size(folio), 0);
}

int qs_write_range(struct address_space *mapping, struct block_device *bdev,
		   pgoff_t start, pgoff_t end)
{
	struct bio *bio = NULL;
	struct folio *folio;
	pgoff_t index;

	for (index = start; index <= end && index - start < BIO_MAX_VECS; index++) {
		folio = filemap_lock_folio(mapping, index);
		if (IS_ERR(folio))
			break;
		if (folio_clear_dirty_for_io(folio))
			qs_add(bdev, &bio, folio);
		folio_unlock(folio);
		folio_put(folio);
	}
	if (bio)
		submit_bio(bio);
	return 0;
}

/* Queue @folio in ctx->bio, then return its successor locked (or NULL). */
static struct folio *qs_add_and_lock_next(struct qs_ctx *ctx,
					  struct folio *folio)
{
	struct folio *next;

	folio_start_writeback(folio);
	ctx->bio = qs_alloc_bio(ctx->bdev, folio);
	bio_add_folio_nofail(ctx->bio, folio, folio_size(folio), 0);
	folio_unlock(folio);
	next = filemap_get_folio(ctx->mapping, folio_next_index(folio));
	if (IS_ERR(next))
		return NULL;
	if (folio_lock_killable(next)) {
		folio_put(next);
		return NULL;
	}
	return next;
}

/* @folio is locked and cleaned; nothing is pending when we get here. */
int qs_write_pair(struct qs_ctx *ctx, struct folio *folio)
{
	struct folio *next;

	next = qs_add_and_lock_next(ctx, folio);
	submit_bio(ctx->bio);
	ctx->bio = NULL;
	if (next) {
		folio_mark_dirty(next);
		folio_unlock(next);
		folio_put(next);
	}
	return 0;
}
