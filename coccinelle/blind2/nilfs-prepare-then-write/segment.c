// SPDX-License-Identifier: GPL-2.0
// Two passes: all folios locked/put under writeback first, bio built afterwards without sleeping: CLEAN (no sleep while a bio is pending).
/*
 * Modeled on fs/nilfs2/segment.c: nilfs_prepare_write_logs() /
 * nilfs_begin_folio_io() run over every buffer of the log before
 * nilfs_write_logs() -> nilfs_segbuf_write() builds and sends the bios.
 * The folio locks and writeback waits all happen before anything is added
 * to a bio; the bio-building pass never sleeps on a folio.
 */
#include <linux/bio.h>
#include <linux/buffer_head.h>
#include <linux/pagemap.h>
#include "nilfs.h"
#include "segbuf.h"

static void nilfs_begin_folio_io(struct folio *folio)
{
	if (!folio || folio_test_writeback(folio))
		return;
	folio_lock(folio);
	folio_clear_dirty_for_io(folio);
	folio_start_writeback(folio);
	folio_unlock(folio);
}

static void nilfs_prepare_log_folios(struct nilfs_segment_buffer *segbuf)
{
	struct buffer_head *bh;
	struct folio *last = NULL;

	list_for_each_entry(bh, &segbuf->sb_payload_buffers, b_assoc_buffers) {
		if (bh->b_folio != last) {
			nilfs_begin_folio_io(last);
			last = bh->b_folio;
		}
	}
	nilfs_begin_folio_io(last);
}

static void nilfs_send_log_bio(struct nilfs_segment_buffer *segbuf,
			       struct bio *bio)
{
	bio->bi_end_io = nilfs_end_bio_write;
	bio->bi_private = segbuf;
	submit_bio(bio);
	segbuf->sb_nbio++;
}

static int nilfs_write_log_payload(struct nilfs_segment_buffer *segbuf,
				   struct the_nilfs *nilfs)
{
	struct buffer_head *bh;
	struct bio *bio = NULL;
	sector_t blocknr = segbuf->sb_pseg_start;

	list_for_each_entry(bh, &segbuf->sb_payload_buffers, b_assoc_buffers) {
		size_t off = offset_in_folio(bh->b_folio, bh->b_data);

		if (bio && !bio_add_folio(bio, bh->b_folio, bh->b_size, off)) {
			nilfs_send_log_bio(segbuf, bio);
			bio = NULL;
		} else if (bio) {
			blocknr++;
			continue;
		}
		bio = bio_alloc(nilfs->ns_bdev, BIO_MAX_VECS, REQ_OP_WRITE,
				GFP_NOIO);
		bio->bi_iter.bi_sector =
			blocknr << (nilfs->ns_blocksize_bits - 9);
		bio_add_folio_nofail(bio, bh->b_folio, bh->b_size, off);
		blocknr++;
	}
	if (bio)
		nilfs_send_log_bio(segbuf, bio);
	return 0;
}

int nilfs_segctor_write_log(struct nilfs_segment_buffer *segbuf,
			    struct the_nilfs *nilfs)
{
	nilfs_prepare_log_folios(segbuf);
	return nilfs_write_log_payload(segbuf, nilfs);
}
