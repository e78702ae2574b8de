// SPDX-License-Identifier: GPL-2.0
// folio_lock() is reached only when bio is NULL (with a bio pending, a contended folio ends the run instead): clean, the sleep never has queued I/O behind it.
#include <linux/bio.h>
#include <linux/pagemap.h>
#include <linux/pagevec.h>

void li_end_io(struct bio *bio);

/* Returns how many folios of @fbatch were consumed; the caller retries the rest. */
unsigned int li_write_run(struct address_space *mapping,
			  struct block_device *bdev,
			  struct folio_batch *fbatch, sector_t sector)
{
	struct bio *bio = NULL;
	unsigned int i;

	for (i = 0; i < folio_batch_count(fbatch); i++) {
		struct folio *folio = fbatch->folios[i];

		if (!folio_trylock(folio)) {
			if (bio)
				break;
			folio_lock(folio);
		}
		if (folio->mapping != mapping || folio_test_writeback(folio) ||
		    !folio_clear_dirty_for_io(folio)) {
			folio_unlock(folio);
			continue;
		}
		if (bio && bio_full(bio, folio_size(folio))) {
			folio_mark_dirty(folio);
			folio_unlock(folio);
			break;
		}
		if (!bio) {
			bio = bio_alloc(bdev, BIO_MAX_VECS, REQ_OP_WRITE, GFP_NOFS);
			bio->bi_iter.bi_sector = sector;
			bio->bi_end_io = li_end_io;
		}
		folio_start_writeback(folio);
		bio_add_folio_nofail(bio, folio, folio_size(folio), 0);
		sector += folio_size(folio) >> SECTOR_SHIFT;
		folio_unlock(folio);
	}
	if (bio)
		submit_bio(bio);
	return i;
}
