// SPDX-License-Identifier: GPL-2.0
#include <linux/pagemap.h>
#include "t.h"

void t_prepare_next(struct t_ctx *ctx, struct folio *folio)
{
	t_lock_next(folio);
	folio_wait_stable(folio);
}
