// SPDX-License-Identifier: GPL-2.0
// A helper puts each folio under writeback into ctx->bio and unlocks it;
// the bio goes down after the loop.  writeback_iter() locks (and may wait
// for) the next folio meanwhile: reported.
#include <linux/bio.h>
#include <linux/pagemap.h>
#include <linux/writeback.h>

struct t_ctx {
	struct bio *bio;
};

static void t_submit(struct t_ctx *ctx)
{
	if (ctx->bio)
		submit_bio(ctx->bio);
	ctx->bio = NULL;
}

static void t_add_folio(struct t_ctx *ctx, struct folio *folio)
{
	folio_start_writeback(folio);
	bio_add_folio(ctx->bio, folio, folio_size(folio), 0);
	folio_unlock(folio);
}

int t_writepages(struct address_space *mapping, struct writeback_control *wbc)
{
	struct t_ctx ctx = {};
	struct folio *folio = NULL;
	int error = 0;

	while ((folio = writeback_iter(mapping, wbc, folio, &error)))
		t_add_folio(&ctx, folio);
	t_submit(&ctx);
	return error;
}
