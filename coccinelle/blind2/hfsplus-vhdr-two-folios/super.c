// SPDX-License-Identifier: GPL-2.0
// Primary and alternate volume-header folios: each is locked and made stable before it is queued, and its bio is sent before the next folio is locked; the final waits follow submission: CLEAN.
/*
 * Loosely modeled on hfsplus_sync_fs() in fs/hfsplus/super.c, which writes
 * the volume header and its alternate copy; here both live in the block
 * device's page cache and are written asynchronously, then waited for.
 */
#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/pagemap.h>
#include "hfsplus_fs.h"

static struct bio *hfsplus_vhdr_bio(struct super_block *sb, struct folio *folio,
				    sector_t sector)
{
	struct bio *bio;

	bio = bio_alloc(sb->s_bdev, 1, REQ_OP_WRITE | REQ_SYNC | REQ_META,
			GFP_NOFS);
	bio->bi_iter.bi_sector = sector;
	bio->bi_end_io = hfsplus_vhdr_end_io;
	folio_start_writeback(folio);
	bio_add_folio_nofail(bio, folio, folio_size(folio), 0);
	return bio;
}

int hfsplus_write_vhdrs(struct super_block *sb)
{
	struct hfsplus_sb_info *sbi = HFSPLUS_SB(sb);
	struct address_space *mapping = sb->s_bdev->bd_mapping;
	struct folio *primary, *alt;
	struct bio *bio;

	primary = filemap_lock_folio(mapping, sbi->vhdr_index);
	if (IS_ERR(primary))
		return PTR_ERR(primary);
	folio_wait_stable(primary);
	hfsplus_fill_vhdr(sb, primary);
	bio = hfsplus_vhdr_bio(sb, primary, sbi->part_start + HFSPLUS_VOLHEAD_SECTOR);
	folio_unlock(primary);
	submit_bio(bio);

	alt = filemap_lock_folio(mapping, sbi->alt_vhdr_index);
	if (IS_ERR(alt)) {
		folio_wait_writeback(primary);
		folio_put(primary);
		return PTR_ERR(alt);
	}
	folio_wait_stable(alt);
	hfsplus_fill_vhdr(sb, alt);
	bio = hfsplus_vhdr_bio(sb, alt, sbi->alt_vhdr_sector);
	folio_unlock(alt);
	submit_bio(bio);

	folio_wait_writeback(primary);
	folio_wait_writeback(alt);
	folio_put(primary);
	folio_put(alt);
	return 0;
}
