// SPDX-License-Identifier: GPL-2.0
// Batch writer whose lock helper lives in lock.c: REPORT oth_lock_for_write() (folio_lock/folio_wait_writeback) with earlier folios still pending in ctx->bio.
// Loosely modeled on the tagged-batch loop of fs/ext4/inode.c mpage_prepare_extent_to_map().
#include <linux/bio.h>
#include <linux/pagemap.h>
#include <linux/pagevec.h>
#include "oth.h"

static void oth_new_bio(struct oth_ctx *ctx)
{
	ctx->bio = bio_alloc(ctx->bdev, BIO_MAX_VECS, REQ_OP_WRITE, GFP_NOFS);
	ctx->bio->bi_iter.bi_sector = ctx->sector;
	ctx->bio->bi_end_io = oth_end_io;
}

int oth_writepages(struct oth_ctx *ctx, pgoff_t index, pgoff_t end)
{
	struct folio_batch fbatch;
	unsigned int i, nr;

	folio_batch_init(&fbatch);
	while (index <= end) {
		nr = filemap_get_folios_tag(ctx->mapping, &index, end,
					    PAGECACHE_TAG_TOWRITE, &fbatch);
		if (!nr)
			break;
		for (i = 0; i < nr; i++) {
			struct folio *folio = fbatch.folios[i];

			if (!oth_lock_for_write(ctx, folio))
				continue;
			if (!ctx->bio)
				oth_new_bio(ctx);
			folio_start_writeback(folio);
			if (!bio_add_folio(ctx->bio, folio, folio_size(folio), 0)) {
				submit_bio(ctx->bio);
				oth_new_bio(ctx);
				bio_add_folio_nofail(ctx->bio, folio,
						     folio_size(folio), 0);
			}
			ctx->sector += folio_size(folio) >> SECTOR_SHIFT;
			folio_unlock(folio);
		}
		folio_batch_release(&fbatch);
		cond_resched();
	}
	if (ctx->bio) {
		submit_bio(ctx->bio);
		ctx->bio = NULL;
	}
	return 0;
}
