// SPDX-License-Identifier: GPL-2.0
// "if (ctx->bio) t_submit(ctx);" right before folio_wait_writeback(): the
// context's own submit helper sends what is pending.  Not reported.  The
// same wait without the submission is.
#include <linux/bio.h>
#include <linux/pagemap.h>
#include <linux/writeback.h>

struct t_ctx {
	struct bio *bio;
};

static void t_submit(struct t_ctx *ctx)
{
	submit_bio(ctx->bio);
	ctx->bio = NULL;
}

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
		if (!folio_trylock(folios[i]))
			continue;
		if (folio_test_writeback(folios[i])) {
			if (ctx->bio)
				t_submit(ctx);
			folio_wait_writeback(folios[i]);
		}
		t_add_folio(ctx, folios[i]);
	}
	if (ctx->bio)
		t_submit(ctx);
	return 0;
}

int t_write_folios_nosubmit(struct t_ctx *ctx, struct folio **folios, int nr)
{
	int i;

	for (i = 0; i < nr; i++) {
		if (!folio_trylock(folios[i]))
			continue;
		folio_wait_writeback(folios[i]);
		t_add_folio(ctx, folios[i]);
	}
	if (ctx->bio)
		t_submit(ctx);
	return 0;
}
