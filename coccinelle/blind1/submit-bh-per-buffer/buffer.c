// SPDX-License-Identifier: GPL-2.0
// Buffer-head writer: each buffer goes out with submit_bh() before the next folio is locked: clean, no bio is kept pending.
// Modeled on fs/buffer.c __block_write_full_folio() (mark_buffer_async_write + submit_bh per buffer).
#include <linux/buffer_head.h>
#include <linux/pagemap.h>
#include <linux/pagevec.h>

static int bh_write_folio(struct folio *folio)
{
	struct buffer_head *bh, *head;
	int nr = 0;

	head = folio_buffers(folio);
	bh = head;
	do {
		if (buffer_mapped(bh) && test_clear_buffer_dirty(bh)) {
			lock_buffer(bh);
			mark_buffer_async_write(bh);
			nr++;
		}
		bh = bh->b_this_page;
	} while (bh != head);

	folio_start_writeback(folio);
	do {
		struct buffer_head *next = bh->b_this_page;

		if (buffer_async_write(bh))
			submit_bh(REQ_OP_WRITE, bh);
		bh = next;
	} while (bh != head);
	folio_unlock(folio);
	if (!nr)
		folio_end_writeback(folio);
	return 0;
}

int bh_write_batch(struct address_space *mapping, struct folio_batch *fbatch)
{
	unsigned int i;

	for (i = 0; i < folio_batch_count(fbatch); i++) {
		struct folio *folio = fbatch->folios[i];

		folio_lock(folio);
		if (folio->mapping != mapping || !folio_buffers(folio)) {
			folio_unlock(folio);
			continue;
		}
		folio_wait_writeback(folio);
		if (!folio_clear_dirty_for_io(folio)) {
			folio_unlock(folio);
			continue;
		}
		bh_write_folio(folio);
	}
	return 0;
}
