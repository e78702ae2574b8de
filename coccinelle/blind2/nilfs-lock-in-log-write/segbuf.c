// SPDX-License-Identifier: GPL-2.0
// Log writer locks/waits on each payload folio while earlier ones sit in wi->bio: REPORT folio_lock and folio_wait_writeback.
/*
 * Modeled on fs/nilfs2/segbuf.c (nilfs_segbuf_write, nilfs_segbuf_submit_bh)
 * and nilfs_prepare_write_logs() in fs/nilfs2/segment.c, with the two passes
 * merged into one: each folio is locked and put under writeback just before
 * its buffer goes into the bio, so the lock of the next folio is taken while
 * the previous folios are under writeback in an unsubmitted bio.
 */
#include <linux/bio.h>
#include <linux/buffer_head.h>
#include <linux/pagemap.h>
#include "nilfs.h"
#include "segbuf.h"

static void nilfs_lseg_submit_bio(struct nilfs_segment_buffer *segbuf,
				  struct nilfs_write_info *wi)
{
	struct bio *bio = wi->bio;

	bio->bi_end_io = nilfs_end_bio_write;
	bio->bi_private = segbuf;
	submit_bio(bio);
	segbuf->sb_nbio++;

	wi->bio = NULL;
	wi->rest_blocks -= wi->end - wi->start;
	wi->nr_vecs = min(wi->max_pages, wi->rest_blocks);
	wi->start = wi->end;
}

static void nilfs_lseg_add_bh(struct nilfs_segment_buffer *segbuf,
			      struct nilfs_write_info *wi,
			      struct buffer_head *bh)
{
repeat:
	if (!wi->bio) {
		wi->bio = bio_alloc(wi->nilfs->ns_bdev, wi->nr_vecs,
				    REQ_OP_WRITE, GFP_NOIO);
		wi->bio->bi_iter.bi_sector = (wi->blocknr + wi->end) <<
			(wi->nilfs->ns_blocksize_bits - 9);
	}
	if (bio_add_folio(wi->bio, bh->b_folio, bh->b_size,
			  offset_in_folio(bh->b_folio, bh->b_data))) {
		wi->end++;
		return;
	}
	/* bio is full: send it and retry with a fresh one */
	nilfs_lseg_submit_bio(segbuf, wi);
	goto repeat;
}

int nilfs_lseg_write_payload(struct nilfs_segment_buffer *segbuf,
			     struct nilfs_write_info *wi)
{
	struct buffer_head *bh;
	struct folio *folio, *last = NULL;

	list_for_each_entry(bh, &segbuf->sb_payload_buffers, b_assoc_buffers) {
		folio = bh->b_folio;
		if (folio != last) {
			folio_lock(folio);
			folio_wait_writeback(folio);
			folio_clear_dirty_for_io(folio);
			folio_start_writeback(folio);
			folio_unlock(folio);
			last = folio;
		}
		nilfs_lseg_add_bh(segbuf, wi, bh);
	}

	if (wi->bio) {
		/* the last bio of the log is always sent here */
		wi->bio->bi_opf |= REQ_SYNC;
		nilfs_lseg_submit_bio(segbuf, wi);
	}
	return 0;
}
