// SPDX-License-Identifier: GPL-2.0
// Page-based loop writes each page's buffers with submit_bh() right away; nothing stays pending in a bio when the next page is locked: CLEAN.
/*
 * Modeled on the old __block_write_full_page() of fs/buffer.c (mark the
 * buffers async_write, set_page_writeback(), submit_bh() each one, then
 * unlock_page()), run over a range of directory pages as older fs/ufs and
 * fs/sysv code did with write_one_page().
 */
#include <linux/buffer_head.h>
#include <linux/pagemap.h>
#include <linux/writeback.h>
#include "ufs_fs.h"

static int ufs_write_dir_page(struct page *page)
{
	struct buffer_head *bh, *head;
	int nr_underway = 0;

	head = page_buffers(page);
	bh = head;
	do {
		lock_buffer(bh);
		if (buffer_mapped(bh) && test_clear_buffer_dirty(bh))
			mark_buffer_async_write(bh);
		else
			unlock_buffer(bh);
		bh = bh->b_this_page;
	} while (bh != head);

	set_page_writeback(page);
	do {
		struct buffer_head *next = bh->b_this_page;

		if (buffer_async_write(bh)) {
			submit_bh(REQ_OP_WRITE, bh);
			nr_underway++;
		}
		bh = next;
	} while (bh != head);
	unlock_page(page);

	if (nr_underway == 0)
		end_page_writeback(page);
	return 0;
}

int ufs_sync_dir_pages(struct inode *dir, pgoff_t start, pgoff_t end)
{
	struct address_space *mapping = dir->i_mapping;
	struct page *page;
	pgoff_t index;
	int err = 0;

	for (index = start; index <= end; index++) {
		page = find_lock_page(mapping, index);
		if (!page)
			continue;
		wait_on_page_writeback(page);
		if (!clear_page_dirty_for_io(page) || !page_has_buffers(page)) {
			unlock_page(page);
			put_page(page);
			continue;
		}
		err = ufs_write_dir_page(page);
		put_page(page);
		if (err)
			break;
	}
	return err;
}
