// SPDX-License-Identifier: GPL-2.0
// The other lookups that return the folio locked, find_lock_page() and
// grab_cache_page_write_begin(): reported.  __filemap_get_folio() without
// FGP_LOCK returns it unlocked, and folio_trylock() does not sleep: not
// reported.
#include <linux/bio.h>
#include <linux/pagemap.h>
#include <linux/writeback.h>

struct t_ctx {
	struct bio *bio;
};

static void t_add_page(struct t_ctx *ctx, struct page *page)
{
	set_page_writeback(page);
	bio_add_page(ctx->bio, page, PAGE_SIZE, 0);
	unlock_page(page);
}

int t_write_pages(struct t_ctx *ctx, struct address_space *mapping,
		  pgoff_t start, pgoff_t end)
{
	struct page *page;
	pgoff_t index;

	for (index = start; index < end; index++) {
		page = find_lock_page(mapping, index);
		if (!page)
			continue;
		t_add_page(ctx, page);
	}
	submit_bio(ctx->bio);
	return 0;
}

int t_write_begin_pages(struct t_ctx *ctx, struct address_space *mapping,
			pgoff_t start, pgoff_t end)
{
	struct page *page;
	pgoff_t index;

	for (index = start; index < end; index++) {
		page = grab_cache_page_write_begin(mapping, index);
		if (!page)
			continue;
		t_add_page(ctx, page);
	}
	submit_bio(ctx->bio);
	return 0;
}

int t_write_pages_trylock(struct t_ctx *ctx, struct address_space *mapping,
			  pgoff_t start, pgoff_t end)
{
	struct folio *folio;
	pgoff_t index;

	for (index = start; index < end; index++) {
		folio = __filemap_get_folio(mapping, index, FGP_ACCESSED, 0);
		if (IS_ERR(folio))
			continue;
		if (!folio_trylock(folio)) {
			folio_put(folio);
			continue;
		}
		t_add_page(ctx, &folio->page);
	}
	submit_bio(ctx->bio);
	return 0;
}
