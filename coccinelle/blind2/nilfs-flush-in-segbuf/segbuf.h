// SPDX-License-Identifier: GPL-2.0
// Declarations shared by segment.c and segbuf.c of case nilfs-flush-in-segbuf.
#ifndef _NILFS_SEGBUF_H
#define _NILFS_SEGBUF_H

void nilfs_segbuf_flush(struct nilfs_segment_buffer *segbuf,
			struct nilfs_write_info *wi);
void nilfs_segbuf_queue_folio(struct nilfs_segment_buffer *segbuf,
			      struct nilfs_write_info *wi,
			      struct folio *folio);

#endif /* _NILFS_SEGBUF_H */
