// SPDX-License-Identifier: GPL-2.0
// The queueing helper arms the plug callback itself (ax_io_submit_add_folio -> blk_plug_cb_arm) after every bio_add_folio(): clean, writeback_iter() sleeps with the callback armed.
// Modeled on fs/ext4/page-io.c io_submit_add_bh()/ext4_bio_write_folio()/ext4_io_submit() and ext4_do_writepages().
#include <linux/bio.h>
#include <linux/blk_plug.h>
#include <linux/pagemap.h>
#include <linux/writeback.h>

struct ax_io_submit {
	struct writeback_control *io_wbc;
	struct block_device *io_bdev;
	struct bio *io_bio;
	sector_t io_next_sector;
	struct blk_plug_cb io_plug_cb;
};

void ax_end_bio(struct bio *bio);

static void ax_io_submit(struct ax_io_submit *io)
{
	struct bio *bio = io->io_bio;

	blk_plug_cb_disarm(&io->io_plug_cb);
	io->io_bio = NULL;
	if (bio)
		submit_bio(bio);
}

static void ax_io_unplug(struct blk_plug_cb *cb, bool from_schedule)
{
	ax_io_submit(container_of(cb, struct ax_io_submit, io_plug_cb));
}

static void ax_io_submit_add_folio(struct ax_io_submit *io, struct folio *folio)
{
	if (io->io_bio == NULL) {
submit_and_retry:
		io->io_bio = bio_alloc(io->io_bdev, BIO_MAX_VECS, REQ_OP_WRITE,
				       GFP_NOIO);
		io->io_bio->bi_iter.bi_sector = io->io_next_sector;
		io->io_bio->bi_end_io = ax_end_bio;
	}
	if (!bio_add_folio(io->io_bio, folio, folio_size(folio), 0)) {
		ax_io_submit(io);
		goto submit_and_retry;
	}
	io->io_next_sector += folio_size(folio) >> SECTOR_SHIFT;
	/* ax_writepages() holds a plug, so this always arms. */
	blk_plug_cb_arm(&io->io_plug_cb);
}

static void ax_bio_write_folio(struct ax_io_submit *io, struct folio *folio)
{
	__folio_start_writeback(folio, false);
	ax_io_submit_add_folio(io, folio);
}

int ax_writepages(struct address_space *mapping, struct writeback_control *wbc,
		  struct block_device *bdev)
{
	struct ax_io_submit io = { .io_wbc = wbc, .io_bdev = bdev };
	struct folio *folio = NULL;
	struct blk_plug plug;
	int error;

	blk_plug_cb_init(&io.io_plug_cb, ax_io_unplug, NULL);
	blk_start_plug(&plug);
	while ((folio = writeback_iter(mapping, wbc, folio, &error))) {
		ax_bio_write_folio(&io, folio);
		folio_unlock(folio);
	}
	ax_io_submit(&io);
	blk_finish_plug(&plug);
	return error;
}
