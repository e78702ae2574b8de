// SPDX-License-Identifier: GPL-2.0
// One bio per extent, chained to the previous one (which is sent), but inside an extent the next folio is locked while the current bio holds earlier folios: REPORT filemap_lock_folio.
/*
 * The chaining helper follows gfs2_chain_bio() in fs/gfs2/lops.c: it sends
 * the previous bio and returns a new one; the bio of the current extent
 * stays pending until the next extent or the end of the walk.
 */
#include <linux/bio.h>
#include <linux/pagemap.h>
#include <linux/writeback.h>
#include "jfs_incore.h"
#include "jfs_metapage.h"

static struct bio *jfs_chain_bio(struct bio *prev, unsigned int nr_iovecs,
				 sector_t sector)
{
	struct bio *new;

	new = bio_alloc(prev->bi_bdev, nr_iovecs, prev->bi_opf, GFP_NOIO);
	bio_clone_blkg_association(new, prev);
	new->bi_iter.bi_sector = sector;
	bio_chain(new, prev);
	submit_bio(prev);
	return new;
}

int jfs_write_extents(struct inode *inode, struct list_head *extents)
{
	struct address_space *mapping = inode->i_mapping;
	struct jfs_wb_extent *je;
	struct bio *bio = NULL;
	struct folio *folio;
	unsigned int nr_vecs;
	pgoff_t idx;

	list_for_each_entry(je, extents, list) {
		sector_t sector = je->pblock << (inode->i_blkbits - 9);

		nr_vecs = min_t(unsigned int, je->nr_folios, BIO_MAX_VECS);
		if (bio) {
			bio = jfs_chain_bio(bio, nr_vecs, sector);
		} else {
			bio = bio_alloc(inode->i_sb->s_bdev, nr_vecs,
					REQ_OP_WRITE, GFP_NOIO);
			bio->bi_iter.bi_sector = sector;
			bio->bi_end_io = jfs_wb_end_io;
		}

		for (idx = je->index; idx < je->index + nr_vecs; idx++) {
			folio = filemap_lock_folio(mapping, idx);
			if (IS_ERR(folio))
				continue;
			if (!folio_clear_dirty_for_io(folio)) {
				folio_unlock(folio);
				folio_put(folio);
				continue;
			}
			folio_start_writeback(folio);
			bio_add_folio_nofail(bio, folio, PAGE_SIZE, 0);
			folio_unlock(folio);
			folio_put(folio);
		}
	}
	if (bio)
		submit_bio(bio);
	return 0;
}
