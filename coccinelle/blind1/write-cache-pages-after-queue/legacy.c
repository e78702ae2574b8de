// SPDX-License-Identifier: GPL-2.0
// Header page queued first, then write_cache_pages() walks (locks) the rest with the same bio pending: REPORT write_cache_pages(); find_lock_page() comes before any queueing: not reported.
// Modeled on the pre-folio ->writepages users of write_cache_pages() with a bio in the callback data.
#include <linux/bio.h>
#include <linux/pagemap.h>
#include <linux/writeback.h>

struct wc_data {
	struct block_device *bdev;
	struct bio *bio;
	sector_t sector;
};

void wc_end_io(struct bio *bio);

static void wc_queue_page(struct wc_data *data, struct page *page)
{
	set_page_writeback(page);
	if (!data->bio) {
		data->bio = bio_alloc(data->bdev, BIO_MAX_VECS, REQ_OP_WRITE,
				      GFP_NOFS);
		data->bio->bi_iter.bi_sector = data->sector;
		data->bio->bi_end_io = wc_end_io;
	}
	if (bio_add_page(data->bio, page, PAGE_SIZE, 0) != PAGE_SIZE) {
		submit_bio(data->bio);
		data->bio = bio_alloc(data->bdev, BIO_MAX_VECS, REQ_OP_WRITE,
				      GFP_NOFS);
		data->bio->bi_iter.bi_sector = data->sector;
		data->bio->bi_end_io = wc_end_io;
		__bio_add_page(data->bio, page, PAGE_SIZE, 0);
	}
	data->sector += PAGE_SIZE >> SECTOR_SHIFT;
	unlock_page(page);
}

static int wc_writepage_cb(struct folio *folio, struct writeback_control *wbc,
			   void *arg)
{
	wc_queue_page(arg, &folio->page);
	return 0;
}

int wc_writepages(struct address_space *mapping, struct writeback_control *wbc,
		  struct block_device *bdev)
{
	struct wc_data data = { .bdev = bdev, .bio = NULL, .sector = 0 };
	struct page *page;
	int ret;

	/* the header page goes first, ahead of the tagged walk */
	page = find_lock_page(mapping, 0);
	if (page) {
		if (clear_page_dirty_for_io(page))
			wc_queue_page(&data, page);
		else
			unlock_page(page);
		put_page(page);
	}
	ret = write_cache_pages(mapping, wbc, wc_writepage_cb, &data);
	if (data.bio)
		submit_bio(data.bio);
	return ret;
}
