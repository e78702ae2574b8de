// SPDX-License-Identifier: GPL-2.0
// The pending bio is sent before each folio_lock(): not reported.
#include <linux/bio.h>
#include <linux/pagemap.h>
#include <linux/writeback.h>

struct t_ctx {
	struct bio *bio;
};

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
		submit_bio(ctx->bio);
		ctx->bio = NULL;
		folio_lock(folios[i]);
		t_add_folio(ctx, folios[i]);
	}
	submit_bio(ctx->bio);
	return 0;
}
