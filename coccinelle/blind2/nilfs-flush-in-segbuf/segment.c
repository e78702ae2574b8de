// SPDX-License-Identifier: GPL-2.0
// GC folios written into the log; nilfs_segbuf_flush() (in segbuf.c) sends the pending bio before each folio lock: CLEAN.
/*
 * Loosely modeled on fs/nilfs2/segment.c (nilfs_segctor_write / GC inode
 * handling) calling into fs/nilfs2/segbuf.c: the submission helper lives in
 * the other file of the directory and reaches submit_bio() two calls down.
 */
#include <linux/bio.h>
#include <linux/pagemap.h>
#include "nilfs.h"
#include "segbuf.h"

static bool nilfs_gc_folio_needs_write(struct folio *folio,
				       struct address_space *mapping)
{
	if (folio->mapping != mapping)
		return false;
	return folio_clear_dirty_for_io(folio);
}

int nilfs_segctor_write_gc_folios(struct nilfs_segment_buffer *segbuf,
				  struct nilfs_write_info *wi,
				  struct list_head *gc_inodes)
{
	struct nilfs_inode_info *ii;
	struct folio *folio;
	pgoff_t index;

	list_for_each_entry(ii, gc_inodes, i_dirty) {
		struct address_space *mapping = ii->vfs_inode.i_mapping;

		for (index = 0; index < ii->i_gc_nr_folios; index++) {
			/*
			 * Whoever holds the next folio's lock may be waiting
			 * for writeback of a folio we queued: send it first.
			 */
			nilfs_segbuf_flush(segbuf, wi);
			folio = filemap_lock_folio(mapping, index);
			if (IS_ERR(folio))
				continue;
			if (!nilfs_gc_folio_needs_write(folio, mapping)) {
				folio_unlock(folio);
				folio_put(folio);
				continue;
			}
			folio_start_writeback(folio);
			nilfs_segbuf_queue_folio(segbuf, wi, folio);
			folio_unlock(folio);
			folio_put(folio);
		}
	}
	nilfs_segbuf_flush(segbuf, wi);
	return 0;
}
