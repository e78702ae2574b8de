// SPDX-License-Identifier: GPL-2.0
// folio_batch walk: submit before folio_lock when trylock fails, submit before folio_wait_writeback when the folio is under writeback, submit before wrapping: CLEAN.
/*
 * Modeled on extent_write_cache_pages() in fs/btrfs/extent_io.c of this
 * tree (submit_write_bio_before_sleep() before folio_lock() and
 * folio_wait_writeback()), with the plug-callback path left out: here the
 * helper always submits what is pending.
 */
#include <linux/bio.h>
#include <linux/pagemap.h>
#include <linux/pagevec.h>
#include <linux/writeback.h>
#include "btrfs_inode.h"

static void btrfs_flush_write_bio(struct btrfs_bio_ctrl *bio_ctrl)
{
	if (!bio_ctrl->bbio)
		return;
	submit_bio(&bio_ctrl->bbio->bio);
	bio_ctrl->bbio = NULL;
}

static int extent_writepage(struct folio *folio, struct btrfs_bio_ctrl *bio_ctrl)
{
	u64 disk_bytenr = btrfs_folio_disk_bytenr(folio);

	folio_start_writeback(folio);
	if (bio_ctrl->bbio && !btrfs_bio_is_contig(bio_ctrl, disk_bytenr))
		btrfs_flush_write_bio(bio_ctrl);
	if (!bio_ctrl->bbio)
		btrfs_alloc_write_bbio(bio_ctrl, folio, disk_bytenr);
	bio_add_folio_nofail(&bio_ctrl->bbio->bio, folio, folio_size(folio), 0);
	folio_unlock(folio);
	return 0;
}

static int btrfs_wcp_walk(struct address_space *mapping,
			  struct btrfs_bio_ctrl *bio_ctrl, pgoff_t index,
			  pgoff_t end, bool scanned)
{
	struct writeback_control *wbc = bio_ctrl->wbc;
	struct folio_batch fbatch;
	unsigned int i, nr_folios;
	int ret = 0;

	folio_batch_init(&fbatch);
retry:
	while (index <= end && (nr_folios = filemap_get_folios_tag(mapping,
				&index, end, PAGECACHE_TAG_DIRTY, &fbatch))) {
		for (i = 0; i < nr_folios; i++) {
			struct folio *folio = fbatch.folios[i];

			if (!folio_trylock(folio)) {
				btrfs_flush_write_bio(bio_ctrl);
				folio_lock(folio);
			}
			if (folio->mapping != mapping ||
			    !folio_test_dirty(folio)) {
				folio_unlock(folio);
				continue;
			}
			if (wbc->sync_mode != WB_SYNC_NONE) {
				if (folio_test_writeback(folio))
					btrfs_flush_write_bio(bio_ctrl);
				folio_wait_writeback(folio);
			}
			if (folio_test_writeback(folio) ||
			    !folio_clear_dirty_for_io(folio)) {
				folio_unlock(folio);
				continue;
			}
			/* start writeback, add to bio_ctrl->bbio, unlock */
			ret = extent_writepage(folio, bio_ctrl);
			if (ret < 0)
				break;
		}
		folio_batch_release(&fbatch);
		cond_resched();
		if (ret < 0)
			return ret;
	}
	if (!scanned) {
		scanned = true;
		index = 0;
		/* a locked folio at the start may wait on our bio */
		btrfs_flush_write_bio(bio_ctrl);
		goto retry;
	}
	return ret;
}
