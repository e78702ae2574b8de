// SPDX-License-Identifier: GPL-2.0
// Journaled-data flush: gfs2_jdata_lock_folio() (lops.c, filemap_lock_folio) runs while jd_log_bio holds earlier folios: REPORT gfs2_jdata_lock_folio.
/*
 * Loosely modeled on fs/gfs2/log.c (gfs2_ordered_write / log flush) and the
 * pending log bio of fs/gfs2/lops.c (gfs2_log_write, gfs2_log_submit_write,
 * jd->jd_log_bio).  Here the journaled data folios themselves go into the
 * log bio; the folio lock for the next buffer is taken in lops.c.
 */
#include <linux/bio.h>
#include <linux/pagemap.h>
#include <linux/writeback.h>
#include "gfs2.h"
#include "incore.h"
#include "lops.h"

void gfs2_write_jdata_buffers(struct gfs2_sbd *sdp, struct list_head *list)
{
	struct gfs2_jdesc *jd = sdp->sd_jdesc;
	struct gfs2_bufdata *bd;
	struct folio *folio;
	u64 blkno = sdp->sd_log_flush_head;

	list_for_each_entry(bd, list, bd_list) {
		folio = gfs2_jdata_lock_folio(bd);
		if (!folio)
			continue;
		if (!folio_clear_dirty_for_io(folio)) {
			folio_unlock(folio);
			folio_put(folio);
			continue;
		}
		gfs2_jdata_write_folio(sdp, jd, folio, blkno);
		blkno += folio_size(folio) >> sdp->sd_sb.sb_bsize_shift;
	}
	gfs2_log_submit_write(&jd->jd_log_bio);
	sdp->sd_log_flush_head = blkno;
}
