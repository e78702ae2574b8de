// SPDX-License-Identifier: GPL-2.0
// Each folio is written with submit_bio_wait(), and unmapped folios get writeback started and ended at once; nothing is pending when the next folio is locked: CLEAN.
/*
 * Synchronous per-folio flush of an indirect-block range (an fsync-style
 * path).  Folios without mapped blocks go through writeback with
 * folio_start_writeback_keepwrite() + folio_end_writeback() so that their
 * towrite tag stays, without any bio.
 */
#include <linux/bio.h>
#include <linux/pagemap.h>
#include <linux/writeback.h>
#include "minix.h"

static int minix_write_folio_sync(struct inode *inode, struct folio *folio,
				  sector_t pblk)
{
	struct bio *bio;
	int err;

	bio = bio_alloc(inode->i_sb->s_bdev, 1, REQ_OP_WRITE | REQ_SYNC,
			GFP_NOFS);
	bio->bi_iter.bi_sector = pblk << (inode->i_blkbits - 9);
	bio_add_folio_nofail(bio, folio, folio_size(folio), 0);
	folio_start_writeback(folio);
	folio_unlock(folio);
	err = submit_bio_wait(bio);
	bio_put(bio);
	folio_end_writeback(folio);
	return err;
}

int minix_flush_itree(struct inode *inode, pgoff_t start, pgoff_t end)
{
	struct address_space *mapping = inode->i_mapping;
	struct folio *folio;
	sector_t pblk;
	pgoff_t index;
	int err = 0;

	for (index = start; index <= end && !err; index++) {
		folio = filemap_lock_folio(mapping, index);
		if (IS_ERR(folio))
			continue;
		folio_wait_writeback(folio);
		if (!folio_clear_dirty_for_io(folio)) {
			folio_unlock(folio);
			folio_put(folio);
			continue;
		}
		if (!minix_folio_pblk(inode, folio, &pblk)) {
			/* unmapped: nothing to write, the folio stays tagged */
			folio_start_writeback_keepwrite(folio);
			folio_unlock(folio);
			folio_end_writeback(folio);
		} else {
			err = minix_write_folio_sync(inode, folio, pblk);
		}
		folio_put(folio);
	}
	return err;
}
