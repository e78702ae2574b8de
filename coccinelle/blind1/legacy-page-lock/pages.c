// SPDX-License-Identifier: GPL-2.0
// Legacy page-based writer (lock_page/set_page_writeback/bio_add_page) with one bio for the whole array: REPORT lock_page() and wait_on_page_writeback() from the second page on.
// Modeled on the old page-array writers (fs/mpage.c before folios, nilfs2 segment buffers).
#include <linux/bio.h>
#include <linux/pagemap.h>

void lp_end_io(struct bio *bio);

static struct bio *lp_alloc_bio(struct block_device *bdev, sector_t sector)
{
	struct bio *bio;

	bio = bio_alloc(bdev, BIO_MAX_VECS, REQ_OP_WRITE, GFP_NOFS);
	bio->bi_iter.bi_sector = sector;
	bio->bi_end_io = lp_end_io;
	return bio;
}

int lp_write_pages(struct address_space *mapping, struct block_device *bdev,
		   struct page **pages, int nr, sector_t sector)
{
	struct bio *bio = NULL;
	struct page *page;
	int i;

	for (i = 0; i < nr; i++) {
		page = pages[i];
		lock_page(page);
		if (page->mapping != mapping) {
			unlock_page(page);
			continue;
		}
		wait_on_page_writeback(page);
		if (!clear_page_dirty_for_io(page)) {
			unlock_page(page);
			continue;
		}
		set_page_writeback(page);
		if (!bio)
			bio = lp_alloc_bio(bdev, sector + i * (PAGE_SIZE >> 9));
		if (bio_add_page(bio, page, PAGE_SIZE, 0) != PAGE_SIZE) {
			submit_bio(bio);
			bio = lp_alloc_bio(bdev, sector + i * (PAGE_SIZE >> 9));
			__bio_add_page(bio, page, PAGE_SIZE, 0);
		}
		unlock_page(page);
	}
	if (bio)
		submit_bio(bio);
	return 0;
}
