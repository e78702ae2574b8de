// SPDX-License-Identifier: GPL-2.0
/*
 * The pieces of the workload that deadlocks pristine 6.12 writeback without a
 * test module (vm/natural.sh, repro/natural-triggers.md section 1): ext4
 * data=journal, pages dirtied while pinned by O_DIRECT reads into a shared
 * mapping of the file, plus buffered, mmap and sync traffic on the same file.
 * Built static by scripts/natural.sh; runs in the test VM.  Modes:
 *   fill    <file> <mb>                write <mb> MiB, fsync
 *   mmapw   <file> <mb> <secs> <seq|rev|rand>  MAP_SHARED page-touch writer
 *   pwrite  <file> <mb> <secs>         random 4 KiB pwrite()s
 *   sfr     <file> <secs> <ms>         sync_file_range(WRITE) every <ms>
 *   fsync   <file> <secs> <ms>         fsync() every <ms>
 *   dioread <file> <mb> <src> <secs> <kb>  O_DIRECT reads of <src> into a
 *                                      MAP_SHARED mapping of <file>
 *   sample  <secs> <stackfile>         classify /proc/<pid>/stack twice a second
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static unsigned long rnd(void)
{
	static unsigned long x = 88172645463325252UL;
	x ^= x << 13; x ^= x >> 7; x ^= x << 17;
	return x;
}

static int do_fill(const char *f, long mb)
{
	static char buf[1 << 20];
	int fd = open(f, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) { perror(f); return 1; }
	memset(buf, 0x5a, sizeof(buf));
	for (long i = 0; i < mb; i++)
		if (write(fd, buf, sizeof(buf)) != sizeof(buf)) { perror("write"); return 1; }
	fsync(fd);
	close(fd);
	return 0;
}

static int do_mmapw(const char *f, long mb, double secs, const char *order)
{
	long pages = mb * 256, n = 0, pass = 0;
	int fd = open(f, O_RDWR);
	if (fd < 0) { perror(f); return 1; }
	volatile char *p = mmap(NULL, mb << 20, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) { perror("mmap"); return 1; }
	double end = now() + secs;
	while (now() < end) {
		for (long i = 0; i < pages; i++) {
			long pg = order[0] == 's' ? i : order[1] == 'e' ? pages - 1 - i : (long)(rnd() % pages);
			p[pg * 4096 + (pass & 4095)] = (char)pass;
			n++;
			if ((n & 1023) == 0 && now() >= end)
				break;
		}
		pass++;
	}
	printf("mmapw %s %s: %ld page writes, %ld passes\n", f, order, n, pass);
	return 0;
}

static int do_pwrite(const char *f, long mb, double secs)
{
	char buf[4096];
	long n = 0;
	int fd = open(f, O_RDWR);
	if (fd < 0) { perror(f); return 1; }
	memset(buf, 0x33, sizeof(buf));
	double end = now() + secs;
	while (now() < end) {
		for (int k = 0; k < 256; k++) {
			off_t off = (off_t)(rnd() % (mb * 256)) * 4096;
			if (pwrite(fd, buf, sizeof(buf), off) != sizeof(buf)) { perror("pwrite"); return 1; }
			n++;
		}
	}
	printf("pwrite %s: %ld writes\n", f, n);
	return 0;
}

static int do_sync(const char *f, double secs, long ms, int fs)
{
	long n = 0;
	int fd = open(f, O_RDWR);
	if (fd < 0) { perror(f); return 1; }
	double end = now() + secs;
	while (now() < end) {
		if (fs)
			fsync(fd);
		else
			sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
		n++;
		usleep(ms * 1000);
	}
	printf("%s %s: %ld calls\n", fs ? "fsync" : "sfr", f, n);
	return 0;
}


/* O_DIRECT reads from <src> into a MAP_SHARED mapping of <file>: the
 * destination folios are pinned while the read runs and are dirtied while
 * still pinned (bio_release_pages), which is what makes
 * ext4_journalled_dirty_folio() set PG_checked in data=journal mode. */
static int do_dioread(const char *f, long mb, const char *src, double secs, long chunk_kb)
{
	long n = 0, chunks = (mb << 10) / chunk_kb;
	int fd = open(f, O_RDWR);
	int sfd = open(src, O_RDONLY | O_DIRECT);
	if (fd < 0 || sfd < 0) { perror("open"); return 1; }
	char *p = mmap(NULL, mb << 20, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) { perror("mmap"); return 1; }
	double end = now() + secs;
	while (now() < end) {
		long c = rnd() % chunks;
		ssize_t r = pread(sfd, p + c * chunk_kb * 1024, chunk_kb * 1024, (off_t)c * chunk_kb * 1024);
		if (r < 0) { perror("pread O_DIRECT"); return 1; }
		n++;
	}
	printf("dioread %s <- %s: %ld reads of %ld KiB\n", f, src, n, chunk_kb);
	return 0;
}

/* One line per second: how many tasks sleep where.  Stacks of reclaim
 * writeback waits are appended to <stackfile> (first 40). */
static int do_sample(double secs, const char *out)
{
	FILE *so = fopen(out, "w");
	long tot_jw = 0, tot_bj = 0;
	long saved = 0, tot_a = 0, tot_afault = 0, tot_b = 0, tot_bwb = 0, samples = 0;
	double end = now() + secs;
	while (now() < end) {
		long a = 0, afault = 0, b = 0, bwb = 0, jw = 0, bj = 0;
		DIR *d = opendir("/proc");
		struct dirent *e;
		while ((e = readdir(d))) {
			char path[300], st[8192];
			if (e->d_name[0] < '0' || e->d_name[0] > '9')
				continue;
			snprintf(path, sizeof(path), "/proc/%s/stack", e->d_name);
			int fd = open(path, O_RDONLY);
			if (fd < 0)
				continue;
			ssize_t len = read(fd, st, sizeof(st) - 1);
			close(fd);
			if (len <= 0)
				continue;
			st[len] = 0;
			int reclaim_wb = strstr(st, "shrink_folio_list") && strstr(st, "folio_wait_writeback");
			if (reclaim_wb) {
				a++;
				if (strstr(st, "__do_fault") || strstr(st, "finish_fault") ||
				    strstr(st, "page_mkwrite") || strstr(st, "write_begin") ||
				    strstr(st, "filemap_fault") || strstr(st, "do_set_pmd"))
					afault++;
				if (saved < 40 && so) {
					fprintf(so, "--- pid %s t=%.1f\n%s", e->d_name, now(), st);
					saved++;
				}
			}
			/* jbd2 commit waiting for a data folio's writeback */
			if (strstr(st, "jbd2_journal_commit_transaction") &&
			    (strstr(st, "folio_wait_writeback") || strstr(st, "filemap_fdatawait") || strstr(st, "__filemap_fdatawait_range")))
				jw++;
			/* ext4 writepages waiting for the journal */
			if ((strstr(st, "ext4_do_writepages") || strstr(st, "ext4_writepages")) &&
			    (strstr(st, "start_this_handle") || strstr(st, "jbd2_log_wait_commit") ||
			     strstr(st, "wait_transaction_locked") || strstr(st, "jbd2__journal_restart") ||
			     strstr(st, "jbd2_log_do_checkpoint")))
				bj++;
			if ((strstr(st, "mpage_prepare_extent_to_map") || strstr(st, "writeback_iter") ||
			     strstr(st, "extent_write_cache_pages")) &&
			    (strstr(st, "folio_wait_bit") || strstr(st, "__folio_lock"))) {
				if (strstr(st, "folio_wait_writeback"))
					bwb++;
				else
					b++;
			}
		}
		closedir(d);
		tot_a += a; tot_afault += afault; tot_b += b; tot_bwb += bwb; samples++;
		tot_jw += jw; tot_bj += bj;
		if (a || b || bwb || jw || bj)
			printf("sample t=%.0f reclaim_wb_waiters=%ld (in_fault_or_write_begin=%ld) wb_task_lock_waits=%ld wb_task_wb_waits=%ld commit_data_waits=%ld writepages_journal_waits=%ld\n",
			       now(), a, afault, b, bwb, jw, bj);
		fflush(stdout);
		if (so) fflush(so);
		usleep(500000);
	}
	printf("sample summary: %ld samples, reclaim_wb_waiter-samples=%ld (in fault/write_begin %ld), wb-task folio-lock waits=%ld, wb-task writeback waits=%ld, commit data waits=%ld, writepages journal waits=%ld\n",
	       samples, tot_a, tot_afault, tot_b, tot_bwb, tot_jw, tot_bj);
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2) return 2;
	if (!strcmp(argv[1], "fill") && argc == 4) return do_fill(argv[2], atol(argv[3]));
	if (!strcmp(argv[1], "mmapw") && argc == 6) return do_mmapw(argv[2], atol(argv[3]), atof(argv[4]), argv[5]);
	if (!strcmp(argv[1], "pwrite") && argc == 5) return do_pwrite(argv[2], atol(argv[3]), atof(argv[4]));
	if (!strcmp(argv[1], "sfr") && argc == 5) return do_sync(argv[2], atof(argv[3]), atol(argv[4]), 0);
	if (!strcmp(argv[1], "fsync") && argc == 5) return do_sync(argv[2], atof(argv[3]), atol(argv[4]), 1);
	if (!strcmp(argv[1], "dioread") && argc == 7) return do_dioread(argv[2], atol(argv[3]), argv[4], atof(argv[5]), atol(argv[6]));
	if (!strcmp(argv[1], "sample") && argc == 4) return do_sample(atof(argv[2]), argv[3]);
	fprintf(stderr, "bad args\n");
	return 2;
}
