// SPDX-License-Identifier: GPL-2.0
// Lock-and-wait helper used by main.c; it queues nothing, so nothing to report in this file.
#include <linux/pagemap.h>
#include "sb.h"

bool sb_lock_folio(struct sb_ctx *ctx, struct folio *folio)
{
	folio_lock(folio);
	if (folio->mapping != ctx->mapping) {
		folio_unlock(folio);
		return false;
	}
	folio_wait_writeback(folio);
	if (!folio_clear_dirty_for_io(folio)) {
		folio_unlock(folio);
		return false;
	}
	return true;
}
