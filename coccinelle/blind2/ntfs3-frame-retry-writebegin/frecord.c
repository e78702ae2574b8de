// SPDX-License-Identifier: GPL-2.0
// Frame writer takes folios with trylock, but after repeated contention falls back to __filemap_get_folio(FGP_WRITEBEGIN) while earlier frame folios sit in ctx->bio: REPORT __filemap_get_folio.
/*
 * Loosely modeled on the compressed-frame handling of fs/ntfs3/frecord.c
 * (ni_write_frame / ntfs_get_frame_pages), which needs every folio of a
 * frame: here the frame folios are written as they are found.  The sleep
 * is only on the retry path; the fast path never blocks.
 */
#include <linux/bio.h>
#include <linux/pagemap.h>
#include <linux/writeback.h>
#include "ntfs_fs.h"

static void ntfs_wctx_submit(struct ntfs_wctx *ctx)
{
	struct bio *bio = ctx->bio;

	if (!bio)
		return;
	ctx->bio = NULL;
	submit_bio(bio);
}

static void ntfs_wctx_add(struct ntfs_wctx *ctx, struct folio *folio)
{
	if (ctx->bio && !bio_add_folio(ctx->bio, folio, folio_size(folio), 0))
		ntfs_wctx_submit(ctx);
	if (!ctx->bio) {
		ctx->bio = ntfs_wctx_alloc_bio(ctx, folio);
		bio_add_folio_nofail(ctx->bio, folio, folio_size(folio), 0);
	}
}

int ntfs_write_frame(struct ntfs_wctx *ctx, struct address_space *mapping,
		     pgoff_t first, unsigned int nr)
{
	gfp_t gfp = mapping_gfp_mask(mapping);
	struct folio *folio;
	unsigned int i, tries;

	for (i = 0; i < nr; i++) {
		pgoff_t index = first + i;

		tries = 0;
retry:
		folio = filemap_get_folio(mapping, index);
		if (IS_ERR(folio))
			continue;
		if (!folio_trylock(folio)) {
			folio_put(folio);
			if (++tries < 3) {
				cond_resched();
				goto retry;
			}
			/* contended: wait for it, the frame must be complete */
			folio = __filemap_get_folio(mapping, index,
						    FGP_WRITEBEGIN, gfp);
			if (IS_ERR(folio)) {
				ntfs_wctx_submit(ctx);
				return PTR_ERR(folio);
			}
		}
		if (!folio_clear_dirty_for_io(folio)) {
			folio_unlock(folio);
			folio_put(folio);
			continue;
		}
		folio_start_writeback(folio);
		ntfs_wctx_add(ctx, folio);
		folio_unlock(folio);
		folio_put(folio);
	}
	ntfs_wctx_submit(ctx);
	return 0;
}
