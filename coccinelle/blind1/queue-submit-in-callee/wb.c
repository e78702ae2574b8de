// SPDX-License-Identifier: GPL-2.0
// The callee queues the folio in its own local bio and submits it before returning; the caller then sleeps (writeback_iter, folio_lock): clean, nothing pending across the call.
// Per-folio bio as in fs/buffer.c / fs/iomap block-size-equals-folio-size writers; the callee name deliberately has no "submit" in it.
#include <linux/bio.h>
#include <linux/pagemap.h>
#include <linux/writeback.h>

void qc_end_io(struct bio *bio);
sector_t qc_map(struct inode *inode, struct folio *folio);

static void qc_write_one(struct inode *inode, struct folio *folio)
{
	struct bio *bio;

	bio = bio_alloc(inode->i_sb->s_bdev, 1, REQ_OP_WRITE, GFP_NOFS);
	bio->bi_iter.bi_sector = qc_map(inode, folio);
	bio->bi_end_io = qc_end_io;
	folio_start_writeback(folio);
	bio_add_folio_nofail(bio, folio, folio_size(folio), 0);
	folio_unlock(folio);
	submit_bio(bio);
}

int qc_writepages(struct address_space *mapping, struct writeback_control *wbc)
{
	struct inode *inode = mapping->host;
	struct folio *folio = NULL;
	struct folio *tail;
	int error = 0;

	while ((folio = writeback_iter(mapping, wbc, folio, &error)))
		qc_write_one(inode, folio);

	/* the EOF folio may have been redirtied by a racing append */
	tail = filemap_get_folio(mapping, (i_size_read(inode) - 1) >> PAGE_SHIFT);
	if (IS_ERR(tail))
		return error;
	folio_lock(tail);
	if (tail->mapping == mapping && folio_clear_dirty_for_io(tail)) {
		folio_wait_writeback(tail);
		qc_write_one(inode, tail);
	} else {
		folio_unlock(tail);
	}
	folio_put(tail);
	return error;
}
