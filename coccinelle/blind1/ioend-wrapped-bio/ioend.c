// SPDX-License-Identifier: GPL-2.0
// ioend with an embedded bio, built across writeback_iter() iterations and sent only at the end: REPORT writeback_iter() in iwb_writepages().
// Modeled on fs/iomap/buffered-io.c iomap_writepages()/iomap_writeback_folio() + fs/iomap/ioend.c iomap_add_to_ioend(), without the plug callback.
#include <linux/bio.h>
#include <linux/pagemap.h>
#include <linux/writeback.h>

struct iwb_ioend {
	struct inode *inode;
	loff_t offset;
	size_t size;
	struct bio io_bio;	/* must be last */
};

struct iwb_wpc {
	struct inode *inode;
	struct writeback_control *wbc;
	struct iwb_ioend *ioend;
};

struct iwb_ioend *iwb_alloc_ioend(struct iwb_wpc *wpc, loff_t pos);

static void iwb_submit_ioend(struct iwb_wpc *wpc)
{
	submit_bio(&wpc->ioend->io_bio);
	wpc->ioend = NULL;
}

static void iwb_add_to_ioend(struct iwb_wpc *wpc, struct folio *folio,
			     loff_t pos, size_t len)
{
	size_t poff = offset_in_folio(folio, pos);

	if (wpc->ioend && pos != wpc->ioend->offset + wpc->ioend->size)
		iwb_submit_ioend(wpc);
	if (!wpc->ioend)
		wpc->ioend = iwb_alloc_ioend(wpc, pos);
	if (!bio_add_folio(&wpc->ioend->io_bio, folio, len, poff)) {
		iwb_submit_ioend(wpc);
		wpc->ioend = iwb_alloc_ioend(wpc, pos);
		bio_add_folio_nofail(&wpc->ioend->io_bio, folio, len, poff);
	}
	wpc->ioend->size += len;
}

static int iwb_writeback_folio(struct iwb_wpc *wpc, struct folio *folio)
{
	loff_t isize = i_size_read(wpc->inode);
	loff_t pos = folio_pos(folio);
	size_t len = folio_size(folio);

	if (pos >= isize)
		return 0;
	if (pos + len > isize)
		len = isize - pos;
	folio_start_writeback(folio);
	iwb_add_to_ioend(wpc, folio, pos, len);
	return 0;
}

int iwb_writepages(struct iwb_wpc *wpc)
{
	struct address_space *mapping = wpc->inode->i_mapping;
	struct folio *folio = NULL;
	int error;

	while ((folio = writeback_iter(mapping, wpc->wbc, folio, &error))) {
		error = iwb_writeback_folio(wpc, folio);
		folio_unlock(folio);
	}
	if (wpc->ioend)
		iwb_submit_ioend(wpc);
	return error;
}
