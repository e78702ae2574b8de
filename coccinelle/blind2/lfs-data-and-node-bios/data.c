// SPDX-License-Identifier: GPL-2.0
// Two pending bios: the node bio is sent before locking a node folio but the data bio still holds earlier data folios: REPORT filemap_lock_folio and folio_wait_stable.
/*
 * Loosely modeled on the separate DATA and NODE logs of f2fs
 * (fs/f2fs/data.c, fs/f2fs/node.c): each data folio written needs its
 * block address recorded in a node folio.  The folios arrive locked from
 * the caller, which gathered them in index order.
 */
#include <linux/bio.h>
#include <linux/pagemap.h>
#include <linux/writeback.h>
#include "lfs.h"

struct lfs_wctx {
	struct lfs_sb_info *sbi;
	struct bio *data_bio;
	struct bio *node_bio;
	block_t next_blk;
};

static void lfs_submit(struct bio **biop)
{
	struct bio *bio = *biop;

	if (bio) {
		*biop = NULL;
		submit_bio(bio);
	}
}

static void lfs_add_folio(struct lfs_wctx *ctx, struct bio **biop,
			  struct folio *folio, block_t blk)
{
	if (*biop && !bio_add_folio(*biop, folio, folio_size(folio), 0))
		lfs_submit(biop);
	if (!*biop) {
		*biop = lfs_alloc_write_bio(ctx->sbi, blk);
		bio_add_folio_nofail(*biop, folio, folio_size(folio), 0);
	}
}

int lfs_write_data_folios(struct lfs_wctx *ctx, struct folio **folios, int nr)
{
	struct address_space *node_mapping = ctx->sbi->node_inode->i_mapping;
	struct folio *nfolio;
	int i, err = 0;

	for (i = 0; i < nr; i++) {
		struct folio *folio = folios[i];

		/* the node folio may be under writeback in our own node bio */
		lfs_submit(&ctx->node_bio);
		nfolio = filemap_lock_folio(node_mapping,
					    lfs_nid_of(folio->mapping->host));
		if (IS_ERR(nfolio)) {
			err = PTR_ERR(nfolio);
			for (; i < nr; i++)
				folio_unlock(folios[i]);
			break;
		}
		folio_wait_stable(nfolio);
		lfs_set_data_blkaddr(nfolio, folio->index, ctx->next_blk);
		folio_mark_dirty(nfolio);
		folio_unlock(nfolio);
		folio_put(nfolio);

		folio_start_writeback(folio);
		lfs_add_folio(ctx, &ctx->data_bio, folio, ctx->next_blk);
		folio_unlock(folio);
		ctx->next_blk += folio_nr_pages(folio);
	}
	lfs_submit(&ctx->data_bio);
	return err;
}
