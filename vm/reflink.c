// SPDX-License-Identifier: GPL-2.0
/*
 * reflink SRC DST: make DST share all of SRC's extents (ioctl FICLONE), as
 * "cp --reflink=always" does; busybox's cp cannot.  vm/fio.sh uses it to
 * make writeback copy on write (XFS: ioends with IOMAP_F_SHARED, whose
 * ->prepare_ioend converts the COW fork; btrfs: COW anyway).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int src, dst;

	if (argc != 3) {
		fprintf(stderr, "usage: reflink SRC DST\n");
		return 2;
	}
	src = open(argv[1], O_RDONLY);
	if (src < 0) {
		fprintf(stderr, "reflink: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	dst = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (dst < 0) {
		fprintf(stderr, "reflink: %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	if (ioctl(dst, FICLONE, src) < 0) {
		fprintf(stderr, "reflink: FICLONE %s -> %s: %s\n", argv[1], argv[2],
			strerror(errno));
		return 1;
	}
	return close(dst) || close(src);
}
