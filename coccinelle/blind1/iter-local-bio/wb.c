// SPDX-License-Identifier: GPL-2.0
// Local bio kept across writeback_iter() iterations: REPORT, writeback_iter() locks the next folio while the previous one is unsubmitted in bio.
// Modeled on fs/mpage.c __mpage_writepages() + mpage_write_folio() as they were before the plug callback.
#include <linux/bio.h>
#include <linux/pagemap.h>
#include <linux/writeback.h>

void ilb_end_io(struct bio *bio);
sector_t ilb_map(struct inode *inode, struct folio *folio);

static struct bio *ilb_new_bio(struct inode *inode, sector_t sector)
{
	struct bio *bio;

	bio = bio_alloc(inode->i_sb->s_bdev, BIO_MAX_VECS, REQ_OP_WRITE,
			GFP_NOFS);
	bio->bi_iter.bi_sector = sector;
	bio->bi_end_io = ilb_end_io;
	return bio;
}

int ilb_writepages(struct address_space *mapping,
		   struct writeback_control *wbc)
{
	struct inode *inode = mapping->host;
	struct bio *bio = NULL;
	struct folio *folio = NULL;
	sector_t sector, next_sector = 0;
	int error = 0;

	while ((folio = writeback_iter(mapping, wbc, folio, &error))) {
		sector = ilb_map(inode, folio);
		/* only a discontiguity sends the bio; contiguous folios pile up */
		if (bio && sector != next_sector) {
			submit_bio(bio);
			bio = NULL;
		}
		if (!bio)
			bio = ilb_new_bio(inode, sector);
		folio_start_writeback(folio);
		if (!bio_add_folio(bio, folio, folio_size(folio), 0)) {
			submit_bio(bio);
			bio = ilb_new_bio(inode, sector);
			bio_add_folio_nofail(bio, folio, folio_size(folio), 0);
		}
		next_sector = sector + (folio_size(folio) >> SECTOR_SHIFT);
		folio_unlock(folio);
	}
	if (bio)
		submit_bio(bio);
	return error;
}
