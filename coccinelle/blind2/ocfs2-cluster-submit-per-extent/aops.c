// SPDX-License-Identifier: GPL-2.0
// Nested loops per cluster: lock all folios of the cluster, then queue them, then send the bio before the next cluster is locked: CLEAN.
/*
 * The locking pass follows ocfs2_grab_folios_for_write() in
 * fs/ocfs2/aops.c (a whole cluster's worth of folios, locked in index
 * order); the bio of a cluster is always sent at the end of the outer
 * iteration, so the folio locks of the next cluster are taken with
 * nothing pending.
 */
#include <linux/bio.h>
#include <linux/pagemap.h>
#include <linux/writeback.h>
#include "ocfs2.h"

#define OCFS2_WB_MAX_FOLIOS 16

int ocfs2_wb_clusters(struct inode *inode, struct ocfs2_wb_cluster *clusters,
		      int nr_clusters)
{
	struct address_space *mapping = inode->i_mapping;
	struct folio *folios[OCFS2_WB_MAX_FOLIOS];
	struct bio *bio;
	int c, i, n;

	for (c = 0; c < nr_clusters; c++) {
		struct ocfs2_wb_cluster *cl = &clusters[c];

		/* pass 1: lock the cluster's folios; nothing is queued yet */
		n = 0;
		for (i = 0; i < cl->nr_folios && i < OCFS2_WB_MAX_FOLIOS; i++) {
			folios[n] = filemap_lock_folio(mapping, cl->index + i);
			if (IS_ERR(folios[n]))
				break;
			folio_wait_writeback(folios[n]);
			n++;
		}
		if (!n)
			continue;

		/* pass 2: put them under writeback and into one bio */
		bio = bio_alloc(inode->i_sb->s_bdev, n, REQ_OP_WRITE, GFP_NOFS);
		bio->bi_iter.bi_sector = cl->pblock << (inode->i_blkbits - 9);
		bio->bi_end_io = ocfs2_wb_end_io;
		for (i = 0; i < n; i++) {
			folio_clear_dirty_for_io(folios[i]);
			folio_start_writeback(folios[i]);
			bio_add_folio_nofail(bio, folios[i],
					     folio_size(folios[i]), 0);
			folio_unlock(folios[i]);
			folio_put(folios[i]);
		}
		submit_bio(bio);
	}
	return 0;
}
