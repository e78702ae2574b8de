// SPDX-License-Identifier: GPL-2.0
// Shared declarations of the submit-before-lock case (nothing to report here).
#include <linux/bio.h>
#include <linux/pagemap.h>

struct sb_ctx {
	struct address_space *mapping;
	struct block_device *bdev;
	struct bio *bio;
	sector_t sector;
};

bool sb_lock_folio(struct sb_ctx *ctx, struct folio *folio);
void sb_end_io(struct bio *bio);
