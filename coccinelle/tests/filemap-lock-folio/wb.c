// SPDX-License-Identifier: GPL-2.0
// The sleep is in a lookup helper that locks the folio it returns
// (filemap_lock_folio(), __filemap_get_folio() with FGP_LOCK): reported.
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

int t_write_range(struct t_ctx *ctx, struct address_space *mapping,
		  pgoff_t start, pgoff_t end)
{
	struct folio *folio;
	pgoff_t index;

	for (index = start; index < end; index++) {
		folio = filemap_lock_folio(mapping, index);
		if (IS_ERR(folio))
			continue;
		t_add_folio(ctx, folio);
	}
	submit_bio(ctx->bio);
	return 0;
}

int t_write_range_fgp(struct t_ctx *ctx, struct address_space *mapping,
		      pgoff_t start, pgoff_t end)
{
	struct folio *folio;
	pgoff_t index;

	for (index = start; index < end; index++) {
		folio = __filemap_get_folio(mapping, index, FGP_LOCK | FGP_CREAT,
					    GFP_NOFS);
		if (IS_ERR(folio))
			continue;
		t_add_folio(ctx, folio);
	}
	submit_bio(ctx->bio);
	return 0;
}

int t_write_range_nolock(struct t_ctx *ctx, struct address_space *mapping,
			 pgoff_t start, pgoff_t end)
{
	struct folio *folio;
	pgoff_t index;

	for (index = start; index < end; index++) {
		folio = __filemap_get_folio(mapping, index, FGP_NOWAIT, 0);
		if (IS_ERR(folio))
			continue;
		if (!folio_trylock(folio)) {
			folio_put(folio);
			continue;
		}
		t_add_folio(ctx, folio);
	}
	submit_bio(ctx->bio);
	return 0;
}
