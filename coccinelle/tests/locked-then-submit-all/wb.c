// SPDX-License-Identifier: GPL-2.0
// Folios are gathered locked, and go under writeback, into a bio and out
// only in t_send(), which submits what it built (ceph and orangefs work
// this way): nothing is pending while the next folio_lock() sleeps.  Not
// reported.
#include <linux/bio.h>
#include <linux/pagemap.h>
#include <linux/writeback.h>

static void t_send(struct bio *bio, struct folio **folios, int nr)
{
	int i;

	for (i = 0; i < nr; i++) {
		folio_start_writeback(folios[i]);
		bio_add_folio(bio, folios[i], folio_size(folios[i]), 0);
		folio_unlock(folios[i]);
	}
	submit_bio(bio);
}

int t_write_folios(struct bio *bio, struct folio **folios, int nr)
{
	int i;

	for (i = 0; i < nr; i++)
		folio_lock(folios[i]);
	t_send(bio, folios, nr);
	return 0;
}
