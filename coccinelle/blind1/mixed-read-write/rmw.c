// SPDX-License-Identifier: GPL-2.0
// Mixed read/write builder: rw_write_block() queues a write, then locks and reads a neighbour (submit_bio() of the read bio does not send ctx->wbio): REPORT __filemap_get_folio() and folio_wait_locked(); rw_read_range() only reads (no writeback): clean.
#include <linux/bio.h>
#include <linux/pagemap.h>

struct rw_ctx {
	struct address_space *mapping;
	struct block_device *bdev;
	struct bio *wbio;	/* pending writeback */
};

struct bio *rw_alloc_bio(struct rw_ctx *ctx, struct folio *folio, blk_opf_t opf);

/* @folio is locked and cleaned by the caller, which sends ctx->wbio later. */
int rw_write_block(struct rw_ctx *ctx, struct folio *folio)
{
	struct folio *nf;
	struct bio *rbio;

	folio_start_writeback(folio);
	if (!ctx->wbio)
		ctx->wbio = rw_alloc_bio(ctx, folio, REQ_OP_WRITE);
	if (!bio_add_folio(ctx->wbio, folio, folio_size(folio), 0)) {
		submit_bio(ctx->wbio);
		ctx->wbio = rw_alloc_bio(ctx, folio, REQ_OP_WRITE);
		bio_add_folio_nofail(ctx->wbio, folio, folio_size(folio), 0);
	}
	folio_unlock(folio);

	/* the next block shares the parity stripe: have it cached */
	nf = __filemap_get_folio(ctx->mapping, folio_next_index(folio),
				 FGP_LOCK | FGP_CREAT, GFP_NOFS);
	if (IS_ERR(nf))
		return PTR_ERR(nf);
	if (folio_test_uptodate(nf)) {
		folio_unlock(nf);
		folio_put(nf);
		return 0;
	}
	rbio = rw_alloc_bio(ctx, nf, REQ_OP_READ);
	bio_add_folio_nofail(rbio, nf, folio_size(nf), 0);
	submit_bio(rbio);
	folio_wait_locked(nf);	/* read completion unlocks it */
	folio_put(nf);
	return 0;
}

/* Read in a range; folios stay locked in rbio until the read completes. */
int rw_read_range(struct rw_ctx *ctx, pgoff_t index, pgoff_t end)
{
	struct bio *rbio = NULL;
	struct folio *folio;

	while (index <= end) {
		folio = __filemap_get_folio(ctx->mapping, index,
					    FGP_LOCK | FGP_CREAT, GFP_NOFS);
		if (IS_ERR(folio))
			break;
		index = folio_next_index(folio);
		if (folio_test_uptodate(folio)) {
			folio_unlock(folio);
			folio_put(folio);
			continue;
		}
		if (!rbio)
			rbio = rw_alloc_bio(ctx, folio, REQ_OP_READ);
		if (!bio_add_folio(rbio, folio, folio_size(folio), 0)) {
			submit_bio(rbio);
			rbio = rw_alloc_bio(ctx, folio, REQ_OP_READ);
			bio_add_folio_nofail(rbio, folio, folio_size(folio), 0);
		}
		folio_put(folio);
	}
	if (rbio)
		submit_bio(rbio);
	return 0;
}
