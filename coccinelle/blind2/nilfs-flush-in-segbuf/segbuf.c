// SPDX-License-Identifier: GPL-2.0
// Helpers for nilfs-flush-in-segbuf: queue a folio into wi->bio, and flush it (early return when nothing is pending): CLEAN.
/*
 * Modeled on nilfs_segbuf_submit_bio() and nilfs_segbuf_submit_bh() in
 * fs/nilfs2/segbuf.c.
 */
#include <linux/bio.h>
#include <linux/pagemap.h>
#include "nilfs.h"
#include "segbuf.h"

static void nilfs_segbuf_submit_bio(struct nilfs_segment_buffer *segbuf,
				    struct nilfs_write_info *wi)
{
	struct bio *bio = wi->bio;

	bio->bi_end_io = nilfs_end_bio_write;
	bio->bi_private = segbuf;
	submit_bio(bio);
	segbuf->sb_nbio++;
	wi->bio = NULL;
	wi->start = wi->end;
}

void nilfs_segbuf_flush(struct nilfs_segment_buffer *segbuf,
			struct nilfs_write_info *wi)
{
	if (!wi->bio)
		return;
	nilfs_segbuf_submit_bio(segbuf, wi);
}

void nilfs_segbuf_queue_folio(struct nilfs_segment_buffer *segbuf,
			      struct nilfs_write_info *wi,
			      struct folio *folio)
{
	if (wi->bio && bio_add_folio(wi->bio, folio, folio_size(folio), 0)) {
		wi->end += folio_nr_pages(folio);
		return;
	}
	if (wi->bio)
		nilfs_segbuf_submit_bio(segbuf, wi);	/* full */

	wi->bio = bio_alloc(wi->nilfs->ns_bdev, wi->nr_vecs, REQ_OP_WRITE,
			    GFP_NOIO);
	wi->bio->bi_iter.bi_sector = (wi->blocknr + wi->end) <<
		(wi->nilfs->ns_blocksize_bits - 9);
	bio_add_folio_nofail(wi->bio, folio, folio_size(folio), 0);
	wi->end += folio_nr_pages(folio);
}
