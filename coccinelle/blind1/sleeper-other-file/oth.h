// SPDX-License-Identifier: GPL-2.0
// Shared declarations of the sleeper-other-file case (nothing to report here).
#include <linux/bio.h>
#include <linux/pagemap.h>
#include <linux/writeback.h>

struct oth_ctx {
	struct address_space *mapping;
	struct writeback_control *wbc;
	struct block_device *bdev;
	struct bio *bio;
	sector_t sector;
};

bool oth_lock_for_write(struct oth_ctx *ctx, struct folio *folio);
void oth_end_io(struct bio *bio);
