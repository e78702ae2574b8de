// SPDX-License-Identifier: GPL-2.0
// Folios past EOF are cycled through writeback (start then end) with nothing added to a bio, the others get their own bio submitted in the same iteration: clean, nothing pending when writeback_iter() sleeps.
// The start/end cycle is the one in fs/ext4/page-io.c ext4_bio_write_folio() and fs/ext4/inode.c mpage_prepare_extent_to_map().
#include <linux/bio.h>
#include <linux/pagemap.h>
#include <linux/writeback.h>

void se_end_io(struct bio *bio);
sector_t se_map(struct inode *inode, struct folio *folio);

int se_writepages(struct address_space *mapping, struct writeback_control *wbc)
{
	struct inode *inode = mapping->host;
	loff_t isize = i_size_read(inode);
	struct folio *folio = NULL;
	struct bio *bio;
	int error = 0;

	while ((folio = writeback_iter(mapping, wbc, folio, &error))) {
		if (folio_pos(folio) >= isize) {
			/* nothing to write: just clear the xarray tags */
			folio_start_writeback(folio);
			folio_end_writeback(folio);
			folio_unlock(folio);
			continue;
		}
		bio = bio_alloc(inode->i_sb->s_bdev, 1, REQ_OP_WRITE, GFP_NOFS);
		bio->bi_iter.bi_sector = se_map(inode, folio);
		bio->bi_end_io = se_end_io;
		folio_start_writeback(folio);
		bio_add_folio_nofail(bio, folio, folio_size(folio), 0);
		folio_unlock(folio);
		submit_bio(bio);
	}
	return error;
}
