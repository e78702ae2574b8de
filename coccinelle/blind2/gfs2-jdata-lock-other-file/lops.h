// SPDX-License-Identifier: GPL-2.0
// Declarations shared by log.c and lops.c of case gfs2-jdata-lock-other-file.
#ifndef __LOPS_DOT_H__
#define __LOPS_DOT_H__

void gfs2_log_submit_write(struct bio **biop);
struct folio *gfs2_jdata_lock_folio(struct gfs2_bufdata *bd);
void gfs2_jdata_write_folio(struct gfs2_sbd *sdp, struct gfs2_jdesc *jd,
			    struct folio *folio, u64 blkno);

#endif /* __LOPS_DOT_H__ */
