// SPDX-License-Identifier: GPL-2.0
// The helper arms a plug callback once the folio is in the bio, so a sleep
// sends it: not reported.
#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/pagemap.h>
#include <linux/writeback.h>

struct t_ctx {
	struct bio *bio;
	struct blk_plug_cb cb;
};

static void t_add_folio(struct t_ctx *ctx, struct folio *folio)
{
	folio_start_writeback(folio);
	bio_add_folio(ctx->bio, folio, folio_size(folio), 0);
	blk_plug_cb_arm(&ctx->cb);
	folio_unlock(folio);
}

int t_writepages(struct address_space *mapping, struct writeback_control *wbc)
{
	struct t_ctx ctx = {};
	struct folio *folio = NULL;
	int error = 0;

	while ((folio = writeback_iter(mapping, wbc, folio, &error)))
		t_add_folio(&ctx, folio);
	submit_bio(ctx.bio);
	return error;
}
