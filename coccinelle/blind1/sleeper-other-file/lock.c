// SPDX-License-Identifier: GPL-2.0
// Helper that locks and waits on a folio; it queues nothing itself, so nothing is reported in this file (the report is in main.c).
#include <linux/pagemap.h>
#include <linux/writeback.h>
#include "oth.h"

bool oth_lock_for_write(struct oth_ctx *ctx, struct folio *folio)
{
	folio_lock(folio);
	if (folio->mapping != ctx->mapping || !folio_test_dirty(folio)) {
		folio_unlock(folio);
		return false;
	}
	if (folio_test_writeback(folio)) {
		if (ctx->wbc->sync_mode == WB_SYNC_NONE) {
			folio_unlock(folio);
			return false;
		}
		folio_wait_writeback(folio);
	}
	if (!folio_clear_dirty_for_io(folio)) {
		folio_unlock(folio);
		return false;
	}
	return true;
}
