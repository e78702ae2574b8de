// SPDX-License-Identifier: GPL-2.0
// ioend-wrapped bio; plug callback armed once before the walk, not after each folio is queued, so writeback_iter() sleeps unprotected: REPORT writeback_iter.
/*
 * Modeled on fs/iomap/ioend.c in this tree (ioend embedding io_bio,
 * iomap_add_to_ioend(), iomap_take_ioend(), iomap_writeback_unplug()).
 * Unlike iomap, the callback is armed only once, before any folio is
 * queued: it is unarmed again as soon as it runs (its first sleep) or the
 * ioend is taken, and nothing re-arms it for the folios queued afterwards.
 */
#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/pagemap.h>
#include <linux/writeback.h>
#include "zonefs.h"

struct zonefs_wpc {
	struct zonefs_ioend *ioend;	/* ioend->io_bio is the pending bio */
	struct blk_plug_cb plug_cb;
	struct writeback_control *wbc;
};

static struct zonefs_ioend *zonefs_take_ioend(struct zonefs_wpc *wpc)
{
	struct zonefs_ioend *ioend = wpc->ioend;

	blk_plug_cb_disarm(&wpc->plug_cb);
	wpc->ioend = NULL;
	return ioend;
}

static void zonefs_submit_ioend(struct zonefs_wpc *wpc)
{
	struct zonefs_ioend *ioend = zonefs_take_ioend(wpc);

	if (ioend)
		submit_bio(&ioend->io_bio);
}

static int zonefs_add_to_ioend(struct zonefs_wpc *wpc, struct folio *folio,
			       loff_t pos, size_t len)
{
	if (wpc->ioend && pos != wpc->ioend->io_offset + wpc->ioend->io_size)
		zonefs_submit_ioend(wpc);
	if (!wpc->ioend) {
		wpc->ioend = zonefs_alloc_ioend(wpc, folio->mapping->host, pos);
		if (!wpc->ioend)
			return -ENOMEM;
	}
	if (!bio_add_folio(&wpc->ioend->io_bio, folio, len, 0)) {
		zonefs_submit_ioend(wpc);
		return zonefs_add_to_ioend(wpc, folio, pos, len);
	}
	wpc->ioend->io_size += len;
	return 0;
}

int zonefs_writepages(struct address_space *mapping,
		      struct writeback_control *wbc)
{
	struct zonefs_wpc wpc = { .wbc = wbc };
	struct folio *folio = NULL;
	struct blk_plug plug;
	int error = 0;

	blk_plug_cb_init(&wpc.plug_cb, zonefs_writeback_unplug, NULL);
	blk_start_plug(&plug);
	/* arm once for the whole walk */
	blk_plug_cb_arm(&wpc.plug_cb);
	while ((folio = writeback_iter(mapping, wbc, folio, &error))) {
		folio_start_writeback(folio);
		error = zonefs_add_to_ioend(&wpc, folio, folio_pos(folio),
					    folio_size(folio));
		if (error)
			folio_end_writeback(folio);
		folio_unlock(folio);
	}
	zonefs_submit_ioend(&wpc);
	blk_finish_plug(&plug);
	return error;
}
