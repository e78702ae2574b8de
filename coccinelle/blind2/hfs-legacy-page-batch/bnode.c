// SPDX-License-Identifier: GPL-2.0
// Page-based b-tree writeback; the bio is sent only every HFS_WB_BATCH pages or on a gap, so find_lock_page/wait_on_page_writeback usually run with pages pending: REPORT both.
/*
 * Written in the page-based style of older fs/hfs and fs/hfsplus code
 * (find_lock_page, set_page_writeback, bio_add_page).  Whether a page is
 * pending at the lookup depends on the batch counter: only the first page
 * after a submission is safe.
 */
#include <linux/bio.h>
#include <linux/pagemap.h>
#include <linux/writeback.h>
#include "btree.h"

#define HFS_WB_BATCH	16

static struct bio *hfs_bnode_alloc_bio(struct hfs_btree *tree, pgoff_t index)
{
	struct super_block *sb = tree->inode->i_sb;
	struct bio *bio;

	bio = bio_alloc(sb->s_bdev, HFS_WB_BATCH, REQ_OP_WRITE, GFP_NOFS);
	bio->bi_iter.bi_sector = hfs_bnode_page_sector(tree, index);
	bio->bi_end_io = hfs_bnode_end_io;
	return bio;
}

int hfs_btree_write_pages(struct hfs_btree *tree, pgoff_t start, pgoff_t end)
{
	struct address_space *mapping = tree->inode->i_mapping;
	struct bio *bio = NULL;
	struct page *page;
	pgoff_t index, next = start;
	int nr = 0;

	for (index = start; index <= end; index++) {
		page = find_lock_page(mapping, index);
		if (!page)
			continue;
		wait_on_page_writeback(page);
		if (!clear_page_dirty_for_io(page)) {
			unlock_page(page);
			put_page(page);
			continue;
		}
		if (bio && index != next) {
			submit_bio(bio);
			bio = NULL;
			nr = 0;
		}
		if (!bio)
			bio = hfs_bnode_alloc_bio(tree, index);
		set_page_writeback(page);
		__bio_add_page(bio, page, PAGE_SIZE, 0);
		unlock_page(page);
		put_page(page);
		next = index + 1;
		if (++nr == HFS_WB_BATCH) {
			submit_bio(bio);
			bio = NULL;
			nr = 0;
		}
	}
	if (bio)
		submit_bio(bio);
	return 0;
}
