// SPDX-License-Identifier: GPL-2.0
// The loop's sleep is two calls down, in helpers of two other files of the
// same filesystem (t_prepare_next() in prepare.c calls t_lock_next() in
// lock.c, which locks the folio; prepare.c also waits for stable pages
// itself, after): reported once, on t_prepare_next().
#include <linux/bio.h>
#include <linux/pagemap.h>
#include <linux/writeback.h>
#include "t.h"

static void t_add_folio(struct t_ctx *ctx, struct folio *folio)
{
	folio_start_writeback(folio);
	bio_add_folio(ctx->bio, folio, folio_size(folio), 0);
	folio_unlock(folio);
}

int t_write_folios(struct t_ctx *ctx, struct folio **folios, int nr)
{
	int i;

	for (i = 0; i < nr; i++) {
		t_prepare_next(ctx, folios[i]);
		t_add_folio(ctx, folios[i]);
	}
	submit_bio(ctx->bio);
	return 0;
}
