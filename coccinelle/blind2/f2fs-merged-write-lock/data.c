// SPDX-License-Identifier: GPL-2.0
// Folios go into the per-type merged bio (io->bio); folio_lock of the next folio runs with it unsubmitted, while f2fs_folio_wait_writeback() submits before waiting: REPORT folio_lock only.
/*
 * Modeled on f2fs_write_cache_pages(), f2fs_submit_page_write() and
 * f2fs_folio_wait_writeback() in fs/f2fs/data.c and fs/f2fs/segment.c;
 * the merged bio is only sent by f2fs_submit_merged_write() at the end.
 */
#include <linux/bio.h>
#include <linux/pagemap.h>
#include <linux/writeback.h>
#include "f2fs.h"

static void __submit_merged_bio(struct f2fs_bio_info *io)
{
	if (!io->bio)
		return;
	submit_bio(io->bio);
	io->bio = NULL;
}

void f2fs_submit_merged_write(struct f2fs_sb_info *sbi, enum page_type type)
{
	struct f2fs_bio_info *io = sbi->write_io[type];

	f2fs_down_write(&io->io_rwsem);
	__submit_merged_bio(io);
	f2fs_up_write(&io->io_rwsem);
}

void f2fs_folio_wait_writeback(struct folio *folio, enum page_type type)
{
	if (folio_test_writeback(folio)) {
		/* our own merged bio may hold it: send that first */
		f2fs_submit_merged_write(F2FS_F_SB(folio), type);
		folio_wait_writeback(folio);
	}
}

static void f2fs_submit_page_write(struct f2fs_sb_info *sbi,
				   struct folio *folio, block_t blkaddr)
{
	struct f2fs_bio_info *io = sbi->write_io[DATA];

	f2fs_down_write(&io->io_rwsem);
	if (io->bio && (io->last_block_in_bio != blkaddr - 1 ||
			!bio_add_folio(io->bio, folio, folio_size(folio), 0)))
		__submit_merged_bio(io);
	if (!io->bio) {
		io->bio = f2fs_alloc_write_bio(sbi, blkaddr);
		bio_add_folio_nofail(io->bio, folio, folio_size(folio), 0);
	}
	io->last_block_in_bio = blkaddr;
	f2fs_up_write(&io->io_rwsem);
}

static int f2fs_write_single_data_page(struct folio *folio)
{
	struct f2fs_sb_info *sbi = F2FS_F_SB(folio);
	block_t blkaddr = f2fs_allocate_data_block(sbi, folio);

	folio_start_writeback(folio);
	f2fs_submit_page_write(sbi, folio, blkaddr);
	folio_unlock(folio);
	return 0;
}

int f2fs_write_folios(struct address_space *mapping,
		      struct writeback_control *wbc, struct folio_batch *fbatch)
{
	unsigned int i, nr = folio_batch_count(fbatch);
	int nwritten = 0;

	for (i = 0; i < nr; i++) {
		struct folio *folio = fbatch->folios[i];

		folio_lock(folio);
		if (folio->mapping != mapping || !folio_test_dirty(folio)) {
			folio_unlock(folio);
			continue;
		}
		f2fs_folio_wait_writeback(folio, DATA);
		if (!folio_clear_dirty_for_io(folio)) {
			folio_unlock(folio);
			continue;
		}
		if (!f2fs_write_single_data_page(folio))
			nwritten++;
	}
	if (nwritten)
		f2fs_submit_merged_write(F2FS_M_SB(mapping), DATA);
	return nwritten;
}
