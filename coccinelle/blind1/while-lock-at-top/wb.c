// SPDX-License-Identifier: GPL-2.0
// while loop that locks and waits for stable pages at its top, after the previous iteration queued a folio in the local bio: REPORT folio_lock() and folio_wait_stable().
#include <linux/bio.h>
#include <linux/pagemap.h>

void wt_end_io(struct bio *bio);

int wt_flush_range(struct address_space *mapping, struct block_device *bdev,
		   pgoff_t index, pgoff_t end, sector_t sector)
{
	struct bio *bio = NULL;
	struct folio *folio;
	size_t len;

	while (index <= end) {
		folio = filemap_get_folio(mapping, index);
		if (IS_ERR(folio))
			break;
		folio_lock(folio);
		folio_wait_stable(folio);
		index = folio_next_index(folio);
		len = folio_size(folio);
		if (folio->mapping != mapping || !folio_clear_dirty_for_io(folio)) {
			folio_unlock(folio);
			folio_put(folio);
			sector += len >> SECTOR_SHIFT;
			continue;
		}
		if (!bio) {
			bio = bio_alloc(bdev, BIO_MAX_VECS, REQ_OP_WRITE, GFP_NOFS);
			bio->bi_iter.bi_sector = sector;
			bio->bi_end_io = wt_end_io;
		}
		folio_start_writeback(folio);
		if (!bio_add_folio(bio, folio, len, 0)) {
			submit_bio(bio);
			bio = bio_alloc(bdev, BIO_MAX_VECS, REQ_OP_WRITE, GFP_NOFS);
			bio->bi_iter.bi_sector = sector;
			bio->bi_end_io = wt_end_io;
			bio_add_folio_nofail(bio, folio, len, 0);
		}
		sector += len >> SECTOR_SHIFT;
		folio_unlock(folio);
		folio_put(folio);
	}
	if (bio)
		submit_bio(bio);
	return 0;
}
