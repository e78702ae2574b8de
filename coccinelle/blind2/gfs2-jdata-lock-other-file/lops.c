// SPDX-License-Identifier: GPL-2.0
// Helpers for gfs2-jdata-lock-other-file: lock a jdata folio, queue a folio into jd_log_bio, submit jd_log_bio (bug is reported in log.c).
/*
 * gfs2_log_submit_write() and gfs2_log_get_bio() follow fs/gfs2/lops.c.
 */
#include <linux/bio.h>
#include <linux/pagemap.h>
#include "gfs2.h"
#include "incore.h"
#include "lops.h"

void gfs2_log_submit_write(struct bio **biop)
{
	struct bio *bio = *biop;

	if (bio) {
		struct gfs2_sbd *sdp = bio->bi_private;

		atomic_inc(&sdp->sd_log_in_flight);
		submit_bio(bio);
		*biop = NULL;
	}
}

static struct bio *gfs2_log_get_bio(struct gfs2_sbd *sdp, u64 blkno,
				    struct bio **biop, bool flush)
{
	struct bio *bio = *biop;

	if (bio) {
		u64 nblk = bio_end_sector(bio) >> sdp->sd_fsb2bb_shift;

		if (blkno == nblk && !flush)
			return bio;
		gfs2_log_submit_write(biop);
	}
	bio = bio_alloc(sdp->sd_vfs->s_bdev, BIO_MAX_VECS,
			REQ_OP_WRITE | REQ_META, GFP_NOIO);
	bio->bi_iter.bi_sector = blkno << sdp->sd_fsb2bb_shift;
	bio->bi_end_io = gfs2_end_log_write;
	bio->bi_private = sdp;
	*biop = bio;
	return bio;
}

struct folio *gfs2_jdata_lock_folio(struct gfs2_bufdata *bd)
{
	struct buffer_head *bh = bd->bd_bh;
	struct address_space *mapping = bh->b_folio->mapping;
	struct folio *folio;

	if (!mapping)
		return NULL;
	folio = filemap_lock_folio(mapping, bh->b_folio->index);
	if (IS_ERR(folio))
		return NULL;
	return folio;
}

void gfs2_jdata_write_folio(struct gfs2_sbd *sdp, struct gfs2_jdesc *jd,
			    struct folio *folio, u64 blkno)
{
	struct bio *bio;

	folio_start_writeback(folio);
	folio_unlock(folio);
	bio = gfs2_log_get_bio(sdp, blkno, &jd->jd_log_bio, false);
	if (!bio_add_folio(bio, folio, folio_size(folio), 0)) {
		bio = gfs2_log_get_bio(sdp, blkno, &jd->jd_log_bio, true);
		bio_add_folio_nofail(bio, folio, folio_size(folio), 0);
	}
	folio_put(folio);
}
