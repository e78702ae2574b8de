// SPDX-License-Identifier: GPL-2.0
// Folios are gathered LOCKED (folio_lock in the batch loop) and only put under writeback and into the bio at submission time: clean, nothing is under writeback and pending while we sleep.
// Modeled on fs/ceph/addr.c ceph_process_folio_batch() (locks) + ceph_submit_write() (set_page_writeback at submit).
#include <linux/bio.h>
#include <linux/pagemap.h>
#include <linux/pagevec.h>

#define LG_MAX_FOLIOS PAGEVEC_SIZE	/* one folio_batch */

struct lg_ctx {
	struct address_space *mapping;
	struct block_device *bdev;
	sector_t sector;
	struct folio *folios[LG_MAX_FOLIOS];
	unsigned int nr;
};

void lg_end_io(struct bio *bio);

static void lg_submit_write(struct lg_ctx *ctx)
{
	struct bio *bio;
	unsigned int i;

	if (!ctx->nr)
		return;
	bio = bio_alloc(ctx->bdev, ctx->nr, REQ_OP_WRITE, GFP_NOFS);
	bio->bi_iter.bi_sector = ctx->sector;
	bio->bi_end_io = lg_end_io;
	for (i = 0; i < ctx->nr; i++) {
		struct folio *folio = ctx->folios[i];

		folio_start_writeback(folio);
		bio_add_folio_nofail(bio, folio, folio_size(folio), 0);
		ctx->sector += folio_size(folio) >> SECTOR_SHIFT;
		folio_unlock(folio);
	}
	submit_bio(bio);
	ctx->nr = 0;
}

static void lg_process_batch(struct lg_ctx *ctx, struct folio_batch *fbatch)
{
	unsigned int i;

	for (i = 0; i < folio_batch_count(fbatch); i++) {
		struct folio *folio = fbatch->folios[i];

		if (ctx->nr == LG_MAX_FOLIOS)
			break;
		folio_lock(folio);
		if (folio->mapping != ctx->mapping) {
			folio_unlock(folio);
			continue;
		}
		folio_wait_writeback(folio);
		if (!folio_clear_dirty_for_io(folio)) {
			folio_unlock(folio);
			continue;
		}
		ctx->folios[ctx->nr++] = folio;
	}
}

int lg_writepages(struct lg_ctx *ctx, pgoff_t index, pgoff_t end)
{
	struct folio_batch fbatch;

	folio_batch_init(&fbatch);
	while (index <= end &&
	       filemap_get_folios_tag(ctx->mapping, &index, end,
				      PAGECACHE_TAG_TOWRITE, &fbatch)) {
		lg_process_batch(ctx, &fbatch);
		lg_submit_write(ctx);
		folio_batch_release(&fbatch);
	}
	return 0;
}
