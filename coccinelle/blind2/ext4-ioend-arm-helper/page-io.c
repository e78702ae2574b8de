// SPDX-License-Identifier: GPL-2.0
// writeback_iter() loop; after queueing into io->io_bio the writer calls ext4_io_arm() (blk_plug_cb_arm) before the next sleep: CLEAN.
/*
 * Modeled on fs/ext4/page-io.c in this tree (struct ext4_io_submit with
 * io_plug_cb, io_submit_add_bh(), ext4_io_submit()), but with the arming
 * moved into its own helper called by the per-folio writer.
 */
#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/pagemap.h>
#include <linux/writeback.h>
#include "ext4.h"

static struct bio *ext4_io_take_bio(struct ext4_io_submit *io)
{
	struct bio *bio = io->io_bio;

	blk_plug_cb_disarm(&io->io_plug_cb);
	io->io_bio = NULL;
	return bio;
}

static void ext4_io_send(struct ext4_io_submit *io)
{
	struct bio *bio = ext4_io_take_bio(io);

	if (bio)
		submit_bio(bio);
}

static void ext4_io_arm(struct ext4_io_submit *io)
{
	/* the folios in io_bio are unlocked and under writeback now */
	blk_plug_cb_arm(&io->io_plug_cb);
}

static void ext4_io_add_folio(struct ext4_io_submit *io, struct folio *folio,
			      sector_t pblk, size_t len)
{
	if (io->io_bio && pblk != io->io_next_block)
		ext4_io_send(io);
retry:
	if (!io->io_bio) {
		io->io_bio = bio_alloc(io->io_bdev, BIO_MAX_VECS,
				       REQ_OP_WRITE, GFP_NOIO);
		io->io_bio->bi_iter.bi_sector = pblk << (io->io_blkbits - 9);
		io->io_bio->bi_end_io = ext4_end_bio;
		io->io_next_block = pblk;
	}
	if (!bio_add_folio(io->io_bio, folio, len, 0)) {
		ext4_io_send(io);
		goto retry;
	}
	io->io_next_block += len >> io->io_blkbits;
}

static int ext4_wb_write_folio(struct ext4_io_submit *io, struct folio *folio)
{
	sector_t pblk;
	int err;

	err = ext4_wb_map_folio(folio, &pblk);
	if (err) {
		folio_redirty_for_writepage(io->io_wbc, folio);
		folio_unlock(folio);
		return err;
	}
	folio_start_writeback(folio);
	ext4_io_add_folio(io, folio, pblk, folio_size(folio));
	ext4_io_arm(io);
	folio_unlock(folio);
	return 0;
}

int ext4_wb_writepages(struct address_space *mapping,
		       struct writeback_control *wbc)
{
	struct ext4_io_submit io;
	struct folio *folio = NULL;
	struct blk_plug plug;
	int error = 0;

	ext4_io_init(&io, mapping->host, wbc);
	blk_plug_cb_init(&io.io_plug_cb, ext4_io_unplug, NULL);
	blk_start_plug(&plug);
	while ((folio = writeback_iter(mapping, wbc, folio, &error)))
		error = ext4_wb_write_folio(&io, folio);
	ext4_io_send(&io);
	blk_finish_plug(&plug);
	return error;
}
