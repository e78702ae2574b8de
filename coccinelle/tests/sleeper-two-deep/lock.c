// SPDX-License-Identifier: GPL-2.0
#include <linux/pagemap.h>
#include "t.h"

void t_lock_next(struct folio *folio)
{
	folio_lock(folio);
}
