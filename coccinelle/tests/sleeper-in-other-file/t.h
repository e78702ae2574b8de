/* SPDX-License-Identifier: GPL-2.0 */
struct t_ctx {
	struct bio *bio;
};

void t_lock_next(struct folio *folio);
