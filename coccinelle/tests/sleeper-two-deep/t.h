/* SPDX-License-Identifier: GPL-2.0 */
struct t_ctx {
	struct bio *bio;
};

void t_prepare_next(struct t_ctx *ctx, struct folio *folio);
void t_lock_next(struct folio *folio);
