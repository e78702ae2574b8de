// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit reproducer of the writeback deadlock from the 2018 thread "[RFC]
 * ext4: fix deadlock in writeback" (Liu Bo, Jan Kara's reply).
 *
 * A writepages task B prepares folio Y (index 0) for a bio it has not sent
 * yet: Y is under writeback and unlocked.  B then sleeps on the next folio
 * X, whose lock (or writeback) is held by task A, while A waits for Y's
 * writeback to end.  Nothing ever sends B's bio, so neither task moves.
 * In the report, A is memcg v1 reclaim in a page fault; here A is a kthread
 * that gives up after a bound, so every case ends.
 *
 * Each case writes a 64 KiB file, fsyncs it (blocks mapped), overwrites it
 * (every page, or some, dirty again), lets A take X, and runs B as
 * filemap_fdatawrite_range() (WB_SYNC_ALL) in another kthread.  A polls Y
 * and records whether Y's writeback ended while A still held X (the case
 * passes: B's sleep sent the pending bio) or not within bound_ms (the case
 * fails: "stalled").  Either way A then lets X go, and the case checks that
 * B finishes.
 *
 * The two-disk cases run that chain on two disks at once, disk 1's request
 * queue frozen while its B sleeps with a pending bio (or not, as a control),
 * and judge disk 2: its writeback must not wait for disk 1 (see
 * wbdl_run_two_disks()).
 *
 * The unmount cases make the writeback task umount(8) itself: its
 * sync_filesystem() has the flusher write the file while A holds X and the
 * disk's queue is frozen, so that the flusher's pending bio is punted and
 * stays in flight; umount must wait for it, end once the queue thaws, and
 * the data must be on the disk when it is mounted again (see
 * wbdl_run_unmount()).
 *
 * The module is built out of tree against pristine and patched 6.12 alike:
 * it uses no new API.  Each filesystem is found at a directory given as a
 * module parameter (mounted by the caller); a case whose directory is
 * missing, or holds another filesystem, is skipped.
 */

#include <kunit/test.h>
#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/fs_struct.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/magic.h>
#include <linux/module.h>
#include <linux/namei.h>
#include <linux/pagemap.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/stacktrace.h>
#include <linux/string.h>
#include <linux/umh.h>
#include <linux/version.h>

static char *ext4_4k_dir = "/mnt/ext4";
module_param(ext4_4k_dir, charp, 0444);
MODULE_PARM_DESC(ext4_4k_dir, "Directory on ext4 with 4 KiB blocks");

static char *ext4_1k_dir = "/mnt/ext4-1k";
module_param(ext4_1k_dir, charp, 0444);
MODULE_PARM_DESC(ext4_1k_dir, "Directory on ext4 with 1 KiB blocks");

static char *xfs_dir = "/mnt/xfs";
module_param(xfs_dir, charp, 0444);
MODULE_PARM_DESC(xfs_dir, "Directory on XFS");

static char *btrfs_dir = "/mnt/btrfs";
module_param(btrfs_dir, charp, 0444);
MODULE_PARM_DESC(btrfs_dir, "Directory on btrfs");

static char *ext4_b_dir = "/mnt/ext4-b";
module_param(ext4_b_dir, charp, 0444);
MODULE_PARM_DESC(ext4_b_dir, "Directory on a second ext4 disk, 4 KiB blocks");

static char *xfs_b_dir = "/mnt/xfs-b";
module_param(xfs_b_dir, charp, 0444);
MODULE_PARM_DESC(xfs_b_dir, "Directory on a second XFS disk");

static char *btrfs_b_dir = "/mnt/btrfs-b";
module_param(btrfs_b_dir, charp, 0444);
MODULE_PARM_DESC(btrfs_b_dir, "Directory on a second btrfs disk");

static char *ext2_4k_dir = "/mnt/ext2";
module_param(ext2_4k_dir, charp, 0444);
MODULE_PARM_DESC(ext2_4k_dir, "Directory on ext2 (the ext2 driver) with 4 KiB blocks");

static char *ext2_1k_dir = "/mnt/ext2-1k";
module_param(ext2_1k_dir, charp, 0444);
MODULE_PARM_DESC(ext2_1k_dir, "Directory on ext2 (the ext2 driver) with 1 KiB blocks");

static char *vfat_4k_dir = "/mnt/vfat";
module_param(vfat_4k_dir, charp, 0444);
MODULE_PARM_DESC(vfat_4k_dir, "Directory on vfat with 4 KiB logical sectors");

static char *vfat_1k_dir = "/mnt/vfat-1k";
module_param(vfat_1k_dir, charp, 0444);
MODULE_PARM_DESC(vfat_1k_dir, "Directory on vfat with 1 KiB logical sectors");

static char *f2fs_dir = "/mnt/f2fs";
module_param(f2fs_dir, charp, 0444);
MODULE_PARM_DESC(f2fs_dir, "Directory on f2fs (out-of-place updates, the default)");

static char *f2fs_ipu_dir = "/mnt/f2fs-ipu";
module_param(f2fs_ipu_dir, charp, 0444);
MODULE_PARM_DESC(f2fs_ipu_dir, "Directory on f2fs with ipu_policy forcing in-place updates");

static char *first_data;
module_param(first_data, charp, 0444);
MODULE_PARM_DESC(first_data, "File whose first 64 KiB each case writes and fsyncs (default: bytes 0x5a)");

static char *last_data;
module_param(last_data, charp, 0444);
MODULE_PARM_DESC(last_data, "File whose first 64 KiB each case writes over that, for B to write back (default: bytes 0xa5)");

static bool write_errors;
module_param(write_errors, bool, 0444);
MODULE_PARM_DESC(write_errors, "fail_make_request is armed (probability 100, times -1): run the write-error cases");

static unsigned int bound_ms = 10000;
module_param(bound_ms, uint, 0444);
MODULE_PARM_DESC(bound_ms, "How long A waits for folio 0's writeback to end (ms)");

#define WBDL_FILE_SIZE		SZ_64K
#define WBDL_FIRST_BYTE		0x5a	/* the file as written and fsynced ... */
#define WBDL_LAST_BYTE		0xa5	/* ... and the overwrite that B writes back */
#define WBDL_START_MS		5000	/* for A to take X */
#define WBDL_STACK_DEPTH	24
#define WBDL_STACK_SHOWN	6
#define WBDL_SETTLE_MS		100	/* for a punt worker to reach the frozen queue */
#define WBDL_FAIL_MS		1000	/* the longest a disk fails writes in a case */

/* What A saw of Y while it held X. */
enum wbdl_outcome {
	WBDL_PROGRESS,	/* Y's writeback ended while A held X */
	WBDL_STALLED,	/* Y stayed under writeback for the whole bound */
	WBDL_Y_LOCKED,	/* Y never went under writeback; someone held it locked */
	WBDL_Y_IDLE,	/* Y never went under writeback and was not locked */
};

static const char * const wbdl_outcome_name[] = {
	[WBDL_PROGRESS] = "progress",
	[WBDL_STALLED] = "stalled",
	[WBDL_Y_LOCKED] = "y-locked",
	[WBDL_Y_IDLE] = "y-idle",
};

/* One filesystem the cases run on. */
struct wbdl_fs {
	const char *name;
	char **dir;
	unsigned long magic;
	unsigned long blocksize;	/* 0: any */
	const char *type;		/* NULL: any driver with @magic */
};

static const struct wbdl_fs wbdl_ext4_4k = {
	.name = "ext4 (4 KiB blocks)",
	.dir = &ext4_4k_dir,
	.magic = EXT4_SUPER_MAGIC,
	.blocksize = SZ_4K,
};

static const struct wbdl_fs wbdl_ext4_1k = {
	.name = "ext4 (1 KiB blocks)",
	.dir = &ext4_1k_dir,
	.magic = EXT4_SUPER_MAGIC,
	.blocksize = SZ_1K,
};

static const struct wbdl_fs wbdl_xfs = {
	.name = "XFS",
	.dir = &xfs_dir,
	.magic = XFS_SUPER_MAGIC,
};

static const struct wbdl_fs wbdl_btrfs = {
	.name = "btrfs",
	.dir = &btrfs_dir,
	.magic = BTRFS_SUPER_MAGIC,
};

static const struct wbdl_fs wbdl_ext4_b = {
	.name = "ext4 (4 KiB blocks, second disk)",
	.dir = &ext4_b_dir,
	.magic = EXT4_SUPER_MAGIC,
	.blocksize = SZ_4K,
};

static const struct wbdl_fs wbdl_xfs_b = {
	.name = "XFS (second disk)",
	.dir = &xfs_b_dir,
	.magic = XFS_SUPER_MAGIC,
};

static const struct wbdl_fs wbdl_btrfs_b = {
	.name = "btrfs (second disk)",
	.dir = &btrfs_b_dir,
	.magic = BTRFS_SUPER_MAGIC,
};

/* ext2 and vfat write back through mpage_writepages(). */
static const struct wbdl_fs wbdl_ext2_4k = {
	.name = "ext2 (4 KiB blocks)",
	.dir = &ext2_4k_dir,
	.magic = EXT2_SUPER_MAGIC,
	.blocksize = SZ_4K,
	.type = "ext2",		/* not ext4's driver, which mpage does not serve */
};

static const struct wbdl_fs wbdl_ext2_1k = {
	.name = "ext2 (1 KiB blocks)",
	.dir = &ext2_1k_dir,
	.magic = EXT2_SUPER_MAGIC,
	.blocksize = SZ_1K,
	.type = "ext2",
};

static const struct wbdl_fs wbdl_vfat_4k = {
	.name = "vfat (4 KiB sectors)",
	.dir = &vfat_4k_dir,
	.magic = MSDOS_SUPER_MAGIC,
	.blocksize = SZ_4K,
	.type = "vfat",
};

static const struct wbdl_fs wbdl_vfat_1k = {
	.name = "vfat (1 KiB sectors)",
	.dir = &vfat_1k_dir,
	.magic = MSDOS_SUPER_MAGIC,
	.blocksize = SZ_1K,
	.type = "vfat",
};

/*
 * f2fs writes back into the superblock's merged bios (out-of-place updates)
 * or, with the in-place-update policy forced (the caller sets ipu_policy in
 * sysfs), into a bio of the writeback task on the superblock's bio list.
 */
static const struct wbdl_fs wbdl_f2fs = {
	.name = "f2fs",
	.dir = &f2fs_dir,
	.magic = F2FS_SUPER_MAGIC,
	.type = "f2fs",
};

static const struct wbdl_fs wbdl_f2fs_ipu = {
	.name = "f2fs (in-place updates)",
	.dir = &f2fs_ipu_dir,
	.magic = F2FS_SUPER_MAGIC,
	.type = "f2fs",
};

/* How A holds X. */
enum wbdl_hold {
	WBDL_HOLD_LOCK,		/* A holds X locked: B sleeps in folio_lock() */
	WBDL_HOLD_WRITEBACK,	/* X dirty, under A's writeback: B in folio_wait_writeback() */
};

struct wbdl_ctx {
	refcount_t ref;
	char path[256];
	struct file *file;
	struct address_space *mapping;
	struct folio *y;
	struct folio *x;
	enum wbdl_hold hold;
	unsigned int bound_ms;
	const char *tag;	/* appended to the threads' names */
	/*
	 * Instead of polling Y for bound_ms, A holds X until the test
	 * completes @release (or, should the test be gone, much later).
	 */
	bool hold_until_release;
	struct completion release;
	struct task_struct *a_task;
	struct task_struct *b_task;
	struct completion x_held;
	struct completion a_done;
	struct completion b_done;

	/* Written by A before a_done. */
	enum wbdl_outcome outcome;
	ktime_t watch_start;	/* A started to poll Y */
	ktime_t wb_set;		/* first poll that saw Y under writeback */
	ktime_t wb_end;		/* first poll that saw it ended; 0: not seen */
	bool between_polls;	/* set and ended between two polls: wb_set is the earlier poll */
	ktime_t released;	/* A let X go */
	unsigned long b_stack[WBDL_STACK_DEPTH];
	unsigned int b_stack_len;

	/* B unmounts this directory instead of writing the file back. */
	const char *umount_dir;

	/*
	 * While @failing, @fail_bdev fails every write (make-it-fail): A
	 * clears it once Y's writeback has ended, or WBDL_FAIL_MS after it
	 * took X, and in any case before it lets X go.
	 */
	struct block_device *fail_bdev;
	atomic_t failing;

	/* Written by B before b_done. */
	int b_ret;
};

static void wbdl_put(struct wbdl_ctx *ctx)
{
	if (!refcount_dec_and_test(&ctx->ref))
		return;
	if (!IS_ERR_OR_NULL(ctx->a_task))
		put_task_struct(ctx->a_task);
	if (!IS_ERR_OR_NULL(ctx->b_task))
		put_task_struct(ctx->b_task);
	if (!IS_ERR_OR_NULL(ctx->x))
		folio_put(ctx->x);
	if (!IS_ERR_OR_NULL(ctx->y))
		folio_put(ctx->y);
	if (!IS_ERR_OR_NULL(ctx->file))
		fput(ctx->file);
	kfree(ctx);
}

static void wbdl_put_action(void *data)
{
	wbdl_put(data);
}

static s64 wbdl_us(ktime_t from, ktime_t to)
{
	return ktime_us_delta(to, from);
}

/* Records where B sleeps, for the report.  Only called by A. */
static void wbdl_snapshot_b(struct wbdl_ctx *ctx)
{
#ifdef CONFIG_STACKTRACE
	ctx->b_stack_len = stack_trace_save_tsk(ctx->b_task, ctx->b_stack,
						ARRAY_SIZE(ctx->b_stack), 0);
#endif
}

static bool wbdl_sched_frame(const char *name)
{
	static const char * const sched[] = {
		"__switch_to", "__switch_to_asm", "__schedule", "schedule",
		"io_schedule", "schedule_timeout", "io_schedule_timeout",
		"schedule_preempt_disabled",
	};
	int i;

	for (i = 0; i < ARRAY_SIZE(sched); i++)
		if (!strcmp(name, sched[i]))
			return true;
	return false;
}

/* Where a kernel thread's own code ends: worker and kthread plumbing. */
static bool wbdl_base_frame(const char *name)
{
	static const char * const base[] = {
		"process_one_work", "worker_thread", "rescuer_thread", "kthread",
		"ret_from_fork", "ret_from_fork_asm",
	};
	int i;

	for (i = 0; i < ARRAY_SIZE(base); i++)
		if (!strcmp(name, base[i]))
			return true;
	return false;
}

/*
 * "folio_wait_bit_common < mpage_prepare_extent_to_map < ...": at most
 * @max frames, without the scheduler's; with @to_base, up to the first
 * workqueue or kthread frame instead of stopping at @max (but never more
 * than 16).
 */
static void wbdl_format_frames(const unsigned long *entries, unsigned int len,
			       unsigned int max, bool to_base, char *buf, size_t size)
{
	char sym[64], last[64] = "";
	unsigned int i, shown = 0;
	size_t n = 0;

	if (to_base)
		max = 16;
	buf[0] = '\0';
	for (i = 0; i < len && shown < max; i++) {
		snprintf(sym, sizeof(sym), "%ps", (void *)entries[i]);
		/* The guess unwinder repeats frames. */
		if (wbdl_sched_frame(sym) || !strcmp(sym, last))
			continue;
		if (to_base && wbdl_base_frame(sym))
			break;
		n += scnprintf(buf + n, size - n, "%s%s", shown ? " < " : "", sym);
		strscpy(last, sym, sizeof(last));
		shown++;
	}
	if (!shown)
		strscpy(buf, "(no stack trace: CONFIG_STACKTRACE off, or B not asleep)", size);
}

static void wbdl_format_stack(const unsigned long *entries, unsigned int len,
			      char *buf, size_t size)
{
	wbdl_format_frames(entries, len, WBDL_STACK_SHOWN, false, buf, size);
}

/* Whether @name is among the first @within frames below the scheduler's. */
static bool wbdl_stack_has(const unsigned long *entries, unsigned int len,
			   const char *name, unsigned int within)
{
	char sym[64];
	unsigned int i, seen = 0;

	for (i = 0; i < len && seen < within; i++) {
		snprintf(sym, sizeof(sym), "%ps", (void *)entries[i]);
		if (wbdl_sched_frame(sym))
			continue;
		if (!strcmp(sym, name))
			return true;
		seen++;
	}
	return false;
}

/*
 * The root the test paths (the mount points, btrfs' /dev node) are resolved
 * in: the root of the task that loads the module.  KUnit runs each case in
 * a kthread, and on 7.3 kthreads start in an empty root (nullfs),
 * where kern_path("/mnt/...") finds nothing.
 */
static struct path wbdl_root;

static int wbdl_suite_init(struct kunit_suite *suite)
{
	get_fs_root(current->fs, &wbdl_root);
	return 0;
}

static void wbdl_suite_exit(struct kunit_suite *suite)
{
	path_put(&wbdl_root);
}

/* lookup_bdev() in wbdl_root. */
static int wbdl_lookup_bdev(const char *name, dev_t *dev)
{
	struct inode *inode;
	struct path p;
	int ret;

	ret = vfs_path_lookup(wbdl_root.dentry, wbdl_root.mnt, name, LOOKUP_FOLLOW, &p);
	if (ret)
		return ret;
	inode = d_backing_inode(p.dentry);
	ret = S_ISBLK(inode->i_mode) ? 0 : -ENOTBLK;
	*dev = inode->i_rdev;
	path_put(&p);
	return ret;
}

static unsigned long wbdl_flags(struct folio *folio)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 18, 0)
	return READ_ONCE(folio->flags.f);
#else
	return READ_ONCE(folio->flags);
#endif
}

static bool wbdl_timed_out(ktime_t deadline)
{
	return ktime_after(ktime_get(), deadline);
}

static void wbdl_poll_sleep(void)
{
	usleep_range(500, 1000);
}

/* /sys/block/<disk>/make-it-fail, as the kernel has it. */
static void wbdl_make_it_fail(struct block_device *bdev, bool on)
{
#ifdef CONFIG_FAIL_MAKE_REQUEST
	if (on)
		bdev_set_flag(bdev, BD_MAKE_IT_FAIL);
	else
		bdev_clear_flag(bdev, BD_MAKE_IT_FAIL);
#endif
}

/* Ends the disk's write errors, once; any task may call it. */
static void wbdl_fail_off(struct wbdl_ctx *ctx)
{
	if (atomic_xchg(&ctx->failing, 0))
		wbdl_make_it_fail(ctx->fail_bdev, false);
}

/* A, polling: the disk's write errors end WBDL_FAIL_MS after it took X. */
static void wbdl_fail_expire(struct wbdl_ctx *ctx)
{
	if (atomic_read(&ctx->failing) &&
	    wbdl_timed_out(ktime_add_ms(ctx->watch_start, WBDL_FAIL_MS)))
		wbdl_fail_off(ctx);
}

/*
 * A, while it holds X: polls Y until B puts it under writeback, then until
 * that writeback ends, both within one deadline.  The three flags are read
 * in one word: a folio that is neither dirty, locked nor under writeback
 * was written between two polls.
 */
static void wbdl_watch_y(struct wbdl_ctx *ctx)
{
	ktime_t deadline = ktime_add_ms(ktime_get(), ctx->bound_ms);
	ktime_t prev = ktime_get();
	unsigned long flags;

	for (;;) {
		flags = wbdl_flags(ctx->y);
		if (flags & BIT(PG_writeback)) {
			ctx->wb_set = ktime_get();
			break;
		}
		if (!(flags & (BIT(PG_dirty) | BIT(PG_locked)))) {
			ctx->wb_set = prev;
			ctx->wb_end = ktime_get();
			ctx->between_polls = true;
			ctx->outcome = WBDL_PROGRESS;
			return;
		}
		prev = ktime_get();
		wbdl_fail_expire(ctx);
		if (wbdl_timed_out(deadline) || completion_done(&ctx->b_done)) {
			ctx->outcome = flags & BIT(PG_locked) ? WBDL_Y_LOCKED : WBDL_Y_IDLE;
			wbdl_snapshot_b(ctx);
			return;
		}
		wbdl_poll_sleep();
	}

	for (;;) {
		if (!folio_test_writeback(ctx->y)) {
			ctx->wb_end = ktime_get();
			ctx->outcome = WBDL_PROGRESS;
			return;
		}
		wbdl_fail_expire(ctx);
		if (wbdl_timed_out(deadline)) {
			ctx->outcome = WBDL_STALLED;
			wbdl_snapshot_b(ctx);
			return;
		}
		wbdl_poll_sleep();
	}
}

/* A, after it let X go: how long until Y's writeback ends. */
static void wbdl_watch_tail(struct wbdl_ctx *ctx)
{
	ktime_t deadline = ktime_add_ms(ctx->released, ctx->bound_ms);

	while (!wbdl_timed_out(deadline)) {
		if (!folio_test_writeback(ctx->y)) {
			ctx->wb_end = ktime_get();
			return;
		}
		wbdl_poll_sleep();
	}
}

/*
 * The longest A holds X with hold_until_release: well past the end of any
 * case, only for when the test is gone without releasing it.
 */
static unsigned int wbdl_hold_max_ms(const struct wbdl_ctx *ctx)
{
	return 8 * ctx->bound_ms + 60 * MSEC_PER_SEC;
}

/* Task A: holds X and waits, bounded, for Y (or for the test). */
static int wbdl_holder_fn(void *data)
{
	struct wbdl_ctx *ctx = data;

	folio_lock(ctx->x);
	if (ctx->hold == WBDL_HOLD_WRITEBACK) {
		/* X stays dirty: B must wait for this writeback, then write it. */
		folio_start_writeback(ctx->x);
		folio_unlock(ctx->x);
	}
	/* The test wakes B once X is held. */
	complete(&ctx->x_held);
	ctx->watch_start = ktime_get();
	if (ctx->hold_until_release)
		wait_for_completion_timeout(&ctx->release,
					    msecs_to_jiffies(wbdl_hold_max_ms(ctx)));
	else
		wbdl_watch_y(ctx);

	/* Only Y's bio may fail: the disk takes X's writes again. */
	wbdl_fail_off(ctx);
	ctx->released = ktime_get();
	if (ctx->hold == WBDL_HOLD_WRITEBACK)
		folio_end_writeback(ctx->x);
	else
		folio_unlock(ctx->x);
	if (ctx->outcome == WBDL_STALLED)
		wbdl_watch_tail(ctx);

	complete(&ctx->a_done);
	wbdl_put(ctx);
	module_put_and_kthread_exit(0);
}

/*
 * Runs busybox with @args (an applet and its arguments, NULL-terminated) as
 * a usermode helper, in init's root and mount namespace, where
 * scripts/repro.sh mounted the disks, and waits for it.  Returns its wait
 * status (0: exit 0) or a negative errno.
 */
static int wbdl_busybox(const char *const *args)
{
	static char *envp[] = { "HOME=/", "PATH=/sbin:/bin:/usr/sbin:/usr/bin", NULL };
	char *argv[8] = { "busybox" };
	int i;

	for (i = 0; args[i] && i + 2 < ARRAY_SIZE(argv); i++)
		argv[i + 1] = (char *)args[i];
	return call_usermodehelper("/bin/busybox", argv, envp, UMH_WAIT_PROC);
}

/* Task B: the writeback. */
static int wbdl_writer_fn(void *data)
{
	struct wbdl_ctx *ctx = data;

	if (ctx->umount_dir)
		ctx->b_ret = wbdl_busybox((const char *[]){ "umount", ctx->umount_dir, NULL });
	else
		ctx->b_ret = filemap_fdatawrite_range(ctx->mapping, 0, LLONG_MAX);
	complete(&ctx->b_done);
	wbdl_put(ctx);
	module_put_and_kthread_exit(0);
}

static void wbdl_write(struct kunit *test, struct file *file, const void *buf,
		       loff_t pos, size_t len)
{
	ssize_t ret = kernel_write(file, buf, len, &pos);

	KUNIT_ASSERT_EQ_MSG(test, ret, (ssize_t)len, "write of %zu bytes at %lld", len, pos);
}

/*
 * Fills @buf with the data a case writes: the first 64 KiB of the file at
 * @path (first_data, last_data: scripts/unload.sh has fio write them, so
 * that fio can verify the file after a remount), or @byte throughout.
 */
static void wbdl_fill(struct kunit *test, char *buf, const char *path, u8 byte)
{
	struct file *file;
	loff_t pos = 0;
	ssize_t ret;

	if (!path || !*path) {
		memset(buf, byte, WBDL_FILE_SIZE);
		return;
	}
	file = file_open_root(&wbdl_root, path, O_RDONLY | O_LARGEFILE, 0);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(file), "cannot open %s: %pe", path, file);
	ret = kernel_read(file, buf, WBDL_FILE_SIZE, &pos);
	fput(file);
	KUNIT_ASSERT_EQ_MSG(test, ret, (ssize_t)WBDL_FILE_SIZE,
			    "%s: the first %d KiB of it", path, WBDL_FILE_SIZE / SZ_1K);
}

static struct folio *wbdl_get_folio(struct kunit *test, struct wbdl_ctx *ctx,
				    pgoff_t index)
{
	struct folio *folio = filemap_get_folio(ctx->mapping, index);

	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(folio), "folio %lu not in the page cache", index);
	return folio;
}

/* Which pages are dirty again when B starts. */
enum wbdl_layout {
	WBDL_ALL,	/* every page; X is page 1 */
	WBDL_SPARSE,	/* pages 0 and 2; X is page 2 */
	WBDL_RANGE,	/* pages 0, 2 and 3; X is page 3, B takes page 2 itself */
};

/*
 * The file: 64 KiB written and fsynced (blocks mapped), then overwritten as
 * @layout says.  Y is the folio at index 0, X the one A takes.
 */
static struct wbdl_ctx *wbdl_prepare(struct kunit *test, const struct wbdl_fs *fs,
				     enum wbdl_hold hold, enum wbdl_layout layout)
{
	const bool sparse = layout != WBDL_ALL;
	const pgoff_t x_index = layout == WBDL_ALL ? 1 : layout == WBDL_SPARSE ? 2 : 3;
	struct wbdl_ctx *ctx;
	unsigned long magic, blocksize;
	struct super_block *sb;
	const char *type;
	struct path dir;
	struct folio *gap;
	char *path, *buf;
	int ret;

	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx);
	refcount_set(&ctx->ref, 1);
	init_completion(&ctx->x_held);
	init_completion(&ctx->a_done);
	init_completion(&ctx->b_done);
	init_completion(&ctx->release);
	ctx->tag = "";
	ctx->hold = hold;
	ctx->bound_ms = bound_ms;
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, wbdl_put_action, ctx), 0);

	ret = vfs_path_lookup(wbdl_root.dentry, wbdl_root.mnt, *fs->dir,
			      LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &dir);
	if (ret)
		kunit_skip(test, "%s: no directory %s: %pe (mount %s there)",
			   fs->name, *fs->dir, ERR_PTR(ret), fs->name);
	sb = dir.dentry->d_sb;
	type = sb->s_type->name;
	magic = sb->s_magic;
	blocksize = sb->s_blocksize;
	path_put(&dir);
	if (magic != fs->magic || (fs->blocksize && blocksize != fs->blocksize) ||
	    (fs->type && strcmp(type, fs->type)))
		kunit_skip(test, "%s is not %s (%s, magic %#lx, %lu-byte blocks)",
			   *fs->dir, fs->name, type, magic, blocksize);

	path = ctx->path;
	if (snprintf(path, sizeof(ctx->path), "%s/%s", *fs->dir, test->name) >= sizeof(ctx->path))
		kunit_skip(test, "%s: directory name too long", fs->name);
	ctx->file = file_open_root(&wbdl_root, path,
				   O_RDWR | O_CREAT | O_TRUNC | O_LARGEFILE, 0600);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(ctx->file), "cannot create %s: %pe", path, ctx->file);
	ctx->mapping = ctx->file->f_mapping;

	buf = kunit_kzalloc(test, WBDL_FILE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	wbdl_fill(test, buf, first_data, WBDL_FIRST_BYTE);
	wbdl_write(test, ctx->file, buf, 0, WBDL_FILE_SIZE);
	ret = vfs_fsync(ctx->file, 0);
	KUNIT_ASSERT_EQ_MSG(test, ret, 0, "fsync of %s", path);

	wbdl_fill(test, buf, last_data, WBDL_LAST_BYTE);
	if (sparse) {
		wbdl_write(test, ctx->file, buf, 0, PAGE_SIZE);
		wbdl_write(test, ctx->file, buf + 2 * PAGE_SIZE, 2 * PAGE_SIZE,
			   (x_index - 1) * PAGE_SIZE);
	} else {
		wbdl_write(test, ctx->file, buf, 0, WBDL_FILE_SIZE);
	}

	ctx->y = wbdl_get_folio(test, ctx, 0);
	ctx->x = wbdl_get_folio(test, ctx, x_index);
	if (ctx->x == ctx->y)
		kunit_skip(test, "folio 0 spans page %lu (large folios): X and Y must differ",
			   x_index);
	KUNIT_ASSERT_TRUE_MSG(test, folio_test_dirty(ctx->y), "folio 0 is not dirty");
	KUNIT_ASSERT_TRUE_MSG(test, folio_test_dirty(ctx->x), "folio %lu is not dirty", x_index);
	KUNIT_ASSERT_FALSE_MSG(test, folio_test_writeback(ctx->y), "folio 0 is under writeback");
	KUNIT_ASSERT_FALSE_MSG(test, folio_test_writeback(ctx->x),
			       "folio %lu is under writeback", x_index);
	if (sparse) {
		gap = filemap_get_folio(ctx->mapping, 1);
		if (!IS_ERR(gap)) {
			bool dirty = folio_test_dirty(gap);

			folio_put(gap);
			KUNIT_ASSERT_FALSE_MSG(test, dirty, "folio 1 is dirty");
		}
	}
	return ctx;
}

/* Takes a reference on ctx and the module for the thread, then starts it. */
static void wbdl_wake(struct wbdl_ctx *ctx, struct task_struct *task)
{
	refcount_inc(&ctx->ref);
	__module_get(THIS_MODULE);
	wake_up_process(task);
}

static const char *wbdl_hold_desc(const struct wbdl_ctx *ctx)
{
	return ctx->hold == WBDL_HOLD_LOCK ? "locked" : "under writeback";
}

/* B's stack as A last saw it (or the test, once A is done). */
static const char *wbdl_b_stack(struct kunit *test, const struct wbdl_ctx *ctx)
{
	const size_t size = 512;
	char *buf = kunit_kzalloc(test, size, GFP_KERNEL);

	if (!buf)
		return "(no memory)";
	wbdl_format_stack(ctx->b_stack, ctx->b_stack_len, buf, size);
	return buf;
}

static void wbdl_report(struct kunit *test, struct wbdl_ctx *ctx)
{
	const char *stack = wbdl_b_stack(test, ctx);
	pgoff_t x = ctx->x->index;

	switch (ctx->outcome) {
	case WBDL_PROGRESS:
		if (ctx->between_polls)
			kunit_info(test, "folio 0 went under writeback and out of it between two polls, %lld us apart; folio %lu %s by A throughout\n",
				   wbdl_us(ctx->wb_set, ctx->wb_end), x, wbdl_hold_desc(ctx));
		else
			kunit_info(test, "folio 0 under writeback %lld us (first poll that saw it set to first that saw it end); folio %lu %s by A throughout\n",
				   wbdl_us(ctx->wb_set, ctx->wb_end), x, wbdl_hold_desc(ctx));
		kunit_info(test, "result: outcome=progress wb_us=%s%lld tail_us=-\n",
			   ctx->between_polls ? "<" : "", wbdl_us(ctx->wb_set, ctx->wb_end));
		break;
	case WBDL_STALLED:
		KUNIT_FAIL(test,
			   "stalled: folio 0 under writeback, unsent, for %lld ms while A held folio %lu %s; B asleep in %s",
			   wbdl_us(ctx->wb_set, ctx->released) / USEC_PER_MSEC, x,
			   wbdl_hold_desc(ctx), stack);
		if (ctx->wb_end)
			kunit_info(test, "folio 0's writeback ended %lld us after A let folio %lu go\n",
				   wbdl_us(ctx->released, ctx->wb_end), x);
		else
			kunit_info(test, "folio 0 still under writeback %u ms after A let folio %lu go\n",
				   ctx->bound_ms, x);
		kunit_info(test, "result: outcome=stalled wb_us=%lld tail_us=%lld\n",
			   wbdl_us(ctx->wb_set, ctx->released),
			   ctx->wb_end ? wbdl_us(ctx->released, ctx->wb_end) : -1);
		break;
	case WBDL_Y_LOCKED:
	case WBDL_Y_IDLE:
		KUNIT_FAIL(test,
			   "folio 0 never went under writeback in %lld ms (%s) while A held folio %lu %s; B asleep in %s",
			   wbdl_us(ctx->watch_start, ctx->released) / USEC_PER_MSEC,
			   ctx->outcome == WBDL_Y_LOCKED ? "it stayed locked, by B" :
			   "not locked either", x, wbdl_hold_desc(ctx), stack);
		kunit_info(test, "result: outcome=%s wb_us=- tail_us=-\n",
			   wbdl_outcome_name[ctx->outcome]);
		break;
	}
}

/* Creates A and B, lets A take X, then starts B. */
static void wbdl_start(struct kunit *test, struct wbdl_ctx *ctx)
{
	const unsigned long start = msecs_to_jiffies(WBDL_START_MS);

	ctx->a_task = kthread_create(wbdl_holder_fn, ctx, "wbdl-a%s", ctx->tag);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(ctx->a_task), "kthread_create: %pe", ctx->a_task);
	get_task_struct(ctx->a_task);
	ctx->b_task = kthread_create(wbdl_writer_fn, ctx, "wbdl-b%s", ctx->tag);
	if (IS_ERR(ctx->b_task)) {
		kthread_stop(ctx->a_task);
		KUNIT_FAIL_AND_ABORT(test, "kthread_create: %pe", ctx->b_task);
	}
	get_task_struct(ctx->b_task);

	wbdl_wake(ctx, ctx->a_task);
	if (!wait_for_completion_timeout(&ctx->x_held, start)) {
		/* B never ran: it holds no reference yet. */
		kthread_stop(ctx->b_task);
		KUNIT_FAIL_AND_ABORT(test, "A could not take folio %lu within %d ms",
				     ctx->x->index, WBDL_START_MS);
	}
	wbdl_wake(ctx, ctx->b_task);
}

/* The chain on a prepared @ctx: A and B, the verdict, and B's end. */
static void wbdl_run_ctx(struct kunit *test, struct wbdl_ctx *ctx)
{
	const unsigned long start = msecs_to_jiffies(WBDL_START_MS);
	const unsigned long bound = msecs_to_jiffies(ctx->bound_ms);

	wbdl_start(test, ctx);

	/* A polls for bound_ms, then for at most bound_ms after letting X go. */
	if (!wait_for_completion_timeout(&ctx->a_done, 2 * bound + start))
		KUNIT_FAIL_AND_ABORT(test, "A (holding folio %lu) did not finish within %u ms",
				     ctx->x->index, 2 * ctx->bound_ms + WBDL_START_MS);

	wbdl_report(test, ctx);

	if (!wait_for_completion_timeout(&ctx->b_done, bound)) {
		/* A has exited: its stack buffer is free for B's stack now. */
		wbdl_snapshot_b(ctx);
		KUNIT_FAIL_AND_ABORT(test,
				     "B (filemap_fdatawrite_range) still stuck %u ms after A let folio %lu go, in %s",
				     ctx->bound_ms, ctx->x->index, wbdl_b_stack(test, ctx));
	}
	KUNIT_EXPECT_EQ_MSG(test, ctx->b_ret, 0, "filemap_fdatawrite_range()");
}

static void wbdl_run(struct kunit *test, const struct wbdl_fs *fs,
		     enum wbdl_hold hold, enum wbdl_layout layout)
{
	wbdl_run_ctx(test, wbdl_prepare(test, fs, hold, layout));
}

/*
 * Two disks at once.  With the series, a writeback task that sleeps with a
 * pending bio hands it to a "punt": a work item that submits it from a
 * workqueue.  If that work item is shared by every filesystem of a type,
 * one disk whose queue does not take the bio (frozen here) holds back the
 * punted bios of every other disk of that type behind it.
 *
 * Disk 1: A holds X until the test lets it go, B sleeps on it (with the
 * series: having punted Y's bio); its queue is frozen, or not in the
 * controls.  Disk 2: the usual case, whose outcome is the verdict.  Then
 * disk 1's A lets X go, its queue is thawed, and both disks' writeback and
 * both B tasks must end, bounded.
 */

/* Freezes a request queue, and thaws it when told (or after a safety bound). */
struct wbdl_freezer {
	refcount_t ref;
	struct request_queue *q;
	unsigned int max_ms;
	bool started;
	struct completion frozen;
	struct completion thaw;
	struct completion thawed;
};

static void wbdl_freezer_put(struct wbdl_freezer *fr)
{
	if (refcount_dec_and_test(&fr->ref))
		kfree(fr);
}

/*
 * Freeze and thaw happen in this thread, which does nothing in between:
 * lockdep takes a frozen queue for a lock held by the task that froze it,
 * to be released by that same task.
 */
static int wbdl_freezer_fn(void *data)
{
	struct wbdl_freezer *fr = data;

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 14, 0)
	unsigned int memflags = blk_mq_freeze_queue(fr->q);
#else
	blk_mq_freeze_queue(fr->q);
#endif
	complete_all(&fr->frozen);
	wait_for_completion_timeout(&fr->thaw, msecs_to_jiffies(fr->max_ms));
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 14, 0)
	blk_mq_unfreeze_queue(fr->q, memflags);
#else
	blk_mq_unfreeze_queue(fr->q);
#endif
	complete_all(&fr->thawed);
	wbdl_freezer_put(fr);
	module_put_and_kthread_exit(0);
}

/* Tells the freezer to thaw and waits, bounded, until it has. */
static bool wbdl_thaw(struct wbdl_freezer *fr, unsigned int ms)
{
	if (!fr->started)
		return true;
	complete_all(&fr->thaw);
	return wait_for_completion_timeout(&fr->thawed, msecs_to_jiffies(ms));
}

/* However the case ends, the queue is thawed. */
static void wbdl_thaw_action(void *data)
{
	struct wbdl_freezer *fr = data;

	if (!wbdl_thaw(fr, bound_ms))
		pr_warn("writeback_deadlock: a frozen queue is still frozen %u ms after the case asked for a thaw\n",
			bound_ms);
	wbdl_freezer_put(fr);
}

/* Freezes @q (the disk @disk) from a thread of its own; returns once frozen. */
static struct wbdl_freezer *wbdl_freeze(struct kunit *test, struct request_queue *q,
					const char *disk)
{
	struct wbdl_freezer *fr = kzalloc(sizeof(*fr), GFP_KERNEL);
	struct task_struct *task;

	KUNIT_ASSERT_NOT_NULL(test, fr);
	refcount_set(&fr->ref, 1);
	init_completion(&fr->frozen);
	init_completion(&fr->thaw);
	init_completion(&fr->thawed);
	fr->q = q;
	fr->max_ms = 8 * bound_ms + 60 * MSEC_PER_SEC;
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, wbdl_thaw_action, fr), 0);

	task = kthread_create(wbdl_freezer_fn, fr, "wbdl-freeze");
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(task), "kthread_create: %pe", task);
	refcount_inc(&fr->ref);
	__module_get(THIS_MODULE);
	fr->started = true;
	wake_up_process(task);
	if (!wait_for_completion_timeout(&fr->frozen, msecs_to_jiffies(bound_ms)))
		KUNIT_FAIL_AND_ABORT(test, "%s: queue not frozen within %u ms", disk, bound_ms);
	return fr;
}

static void wbdl_fput_action(void *data)
{
	fput(data);
}

/* The block device under @ctx's file; its disk's name in @disk. */
static struct block_device *wbdl_bdev(struct kunit *test, struct wbdl_ctx *ctx,
				      const char **disk)
{
	struct super_block *sb = file_inode(ctx->file)->i_sb;
	struct file *bdev_file;
	char path[48];
	dev_t dev;
	int ret;

	*disk = sb->s_id;
	if (sb->s_bdev)
		return sb->s_bdev;

	/* btrfs: s_dev is anonymous, s_id names its (latest) device. */
	snprintf(path, sizeof(path), "/dev/%s", sb->s_id);
	ret = wbdl_lookup_bdev(path, &dev);
	KUNIT_ASSERT_EQ_MSG(test, ret, 0, "%s: no block device %s", ctx->path, path);
	bdev_file = bdev_file_open_by_dev(dev, BLK_OPEN_READ, NULL, NULL);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(bdev_file), "cannot open %s: %pe", path, bdev_file);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, wbdl_fput_action, bdev_file), 0);
	return file_bdev(bdev_file);
}

/* The request queue under @ctx's file; its disk's name in @disk. */
static struct request_queue *wbdl_queue(struct kunit *test, struct wbdl_ctx *ctx,
					const char **disk)
{
	return bdev_get_queue(wbdl_bdev(test, ctx, disk));
}

static void wbdl_release_action(void *data)
{
	struct wbdl_ctx *ctx = data;

	complete_all(&ctx->release);
}

/*
 * Whether a stack submits writeback: a punt's work item
 * (blk_plug_punt_workfn) or a writepages call that submits by hand; jbd2
 * or the XFS log do not.
 */
static bool wbdl_writeback_submitter(const unsigned long *entries, unsigned int len)
{
	unsigned int i;
	char sym[64];

	for (i = 0; i < len; i++) {
		snprintf(sym, sizeof(sym), "%ps", (void *)entries[i]);
		if (!strcmp(sym, "blk_plug_punt_workfn") || strstr(sym, "writepages"))
			return true;
	}
	return false;
}

/*
 * Kernel threads asleep in __bio_queue_enter(), that is, waiting for a
 * frozen queue (with the series: the punt worker that took a bio for it),
 * as "comm[pid]: frames; ..." in @buf; with @writeback_only, only those
 * that submit writeback.  Returns how many.
 */
static unsigned int wbdl_queue_waiters(char *buf, size_t size, bool writeback_only)
{
#ifdef CONFIG_STACKTRACE
	const size_t fsize = 512;
	unsigned long *entries;
	struct task_struct *g, *t;
	unsigned int len, found = 0;
	size_t n = 0;
	char *frames;

	buf[0] = '\0';
	entries = kmalloc_array(2 * WBDL_STACK_DEPTH, sizeof(*entries), GFP_KERNEL);
	frames = kmalloc(fsize, GFP_KERNEL);
	if (!entries || !frames) {
		strscpy(buf, "(no memory)", size);
		goto out;
	}
	/* Nothing in the loop sleeps: a buffer, not the KUnit log. */
	rcu_read_lock();
	for_each_process_thread(g, t) {
		if (!(t->flags & PF_KTHREAD) ||
		    !(READ_ONCE(t->__state) & TASK_UNINTERRUPTIBLE))
			continue;
		len = stack_trace_save_tsk(t, entries, 2 * WBDL_STACK_DEPTH, 0);
		/* The guess unwinder may find stale frames further down. */
		if (!wbdl_stack_has(entries, len, "__bio_queue_enter", 8))
			continue;
		if (writeback_only && !wbdl_writeback_submitter(entries, len))
			continue;
		wbdl_format_frames(entries, len, 0, true, frames, fsize);
		n += scnprintf(buf + n, size - n, "%s%s[%d]: %s", found ? "; " : "",
			       t->comm, task_pid_nr(t), frames);
		found++;
	}
	rcu_read_unlock();
out:
	kfree(frames);
	kfree(entries);
	return found;
#else
	strscpy(buf, "(unknown: CONFIG_STACKTRACE off)", size);
	return 1;
#endif
}

/*
 * Disk 1, A holding X: waits until B has put Y under writeback (or already
 * written it) and sleeps.
 */
static bool wbdl_wait_b_asleep(struct wbdl_ctx *ctx)
{
	ktime_t deadline = ktime_add_ms(ktime_get(), ctx->bound_ms);
	unsigned long flags;

	for (;;) {
		flags = wbdl_flags(ctx->y);
		if ((flags & BIT(PG_writeback) ||
		     !(flags & (BIT(PG_dirty) | BIT(PG_locked)))) &&
		    !task_is_running(ctx->b_task))
			return true;
		if (wbdl_timed_out(deadline) || completion_done(&ctx->b_done))
			return false;
		wbdl_poll_sleep();
	}
}

static bool wbdl_wait_writeback_end(struct folio *folio, unsigned int ms)
{
	ktime_t deadline = ktime_add_ms(ktime_get(), ms);

	while (folio_test_writeback(folio)) {
		if (wbdl_timed_out(deadline))
			return false;
		wbdl_poll_sleep();
	}
	return true;
}

/* After the release (and thaw): Y's writeback and B end, both bounded. */
static void wbdl_finish(struct kunit *test, struct wbdl_ctx *ctx, const char *which,
			char *waiters, size_t size)
{
	const unsigned long bound = msecs_to_jiffies(ctx->bound_ms);

	if (!wbdl_wait_writeback_end(ctx->y, ctx->bound_ms)) {
		unsigned int n = wbdl_queue_waiters(waiters, size, false);

		wbdl_snapshot_b(ctx);
		KUNIT_FAIL(test,
			   "%s: folio 0 still under writeback %u ms after the release%s; B in %s; asleep entering a frozen queue: %s",
			   which, ctx->bound_ms, ctx->hold_until_release ? " and thaw" : "",
			   wbdl_b_stack(test, ctx), n ? waiters : "none");
	}
	if (!wait_for_completion_timeout(&ctx->b_done, bound)) {
		wbdl_snapshot_b(ctx);
		KUNIT_FAIL_AND_ABORT(test,
				     "%s: B (filemap_fdatawrite_range) still stuck %u ms later, in %s",
				     which, ctx->bound_ms, wbdl_b_stack(test, ctx));
	}
	KUNIT_EXPECT_EQ_MSG(test, ctx->b_ret, 0, "%s: filemap_fdatawrite_range()", which);
}

/* The same chain (@hold, @layout) on disk 1 (@fs1) and disk 2 (@fs2). */
static void wbdl_run_two_disks(struct kunit *test, const struct wbdl_fs *fs1,
			       const struct wbdl_fs *fs2, enum wbdl_hold hold,
			       enum wbdl_layout layout, bool freeze)
{
	struct wbdl_ctx *d1 = wbdl_prepare(test, fs1, hold, layout);
	struct wbdl_ctx *d2 = wbdl_prepare(test, fs2, hold, layout);
	const unsigned long start = msecs_to_jiffies(WBDL_START_MS);
	const unsigned long bound = msecs_to_jiffies(bound_ms);
	const size_t size = 900;	/* a printk line */
	struct wbdl_freezer *fr = NULL;
	struct request_queue *q1, *q2;
	const char *disk1, *disk2;
	char *waiters;
	unsigned int n;

	waiters = kunit_kzalloc(test, size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, waiters);
	q1 = wbdl_queue(test, d1, &disk1);
	q2 = wbdl_queue(test, d2, &disk2);
	if (q1 == q2)
		kunit_skip(test, "%s and %s are on the same disk, %s: give each its own",
			   *fs1->dir, *fs2->dir, disk1);

	d1->tag = "1";
	d2->tag = "2";
	d1->hold_until_release = true;
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, wbdl_release_action, d1), 0);

	/* 1. Disk 1's file is ready; freezing drains the I/O in flight. */
	if (freeze)
		fr = wbdl_freeze(test, q1, disk1);

	/* 2. Disk 1's chain: B sleeps on X with Y in its bio (or punted). */
	wbdl_start(test, d1);
	if (!wbdl_wait_b_asleep(d1)) {
		wbdl_snapshot_b(d1);
		KUNIT_FAIL_AND_ABORT(test,
				     "disk 1 (%s): B did not put folio 0 under writeback and sleep within %u ms (folio 0 flags %#lx); B in %s",
				     disk1, bound_ms, wbdl_flags(d1->y), wbdl_b_stack(test, d1));
	}
	msleep(WBDL_SETTLE_MS);
	wbdl_snapshot_b(d1);	/* A holds X without polling: B's stack is ours */
	n = wbdl_queue_waiters(waiters, size, false);
	kunit_info(test, "disk 1 (%s, %s%s): folio 0 %s, folio %lu %s by A, B asleep in %s\n",
		   disk1, fs1->name, freeze ? ", frozen" : "",
		   folio_test_writeback(d1->y) ? "under writeback" : "written",
		   d1->x->index, wbdl_hold_desc(d1), wbdl_b_stack(test, d1));
	kunit_info(test, "asleep entering a frozen queue: %s\n", n ? waiters : "none");

	/* 3. Disk 2's chain, disk 1 still frozen: the verdict. */
	kunit_info(test, "disk 2 (%s, %s): the same chain\n", disk2, fs2->name);
	wbdl_start(test, d2);
	if (!wait_for_completion_timeout(&d2->a_done, 2 * bound + start))
		KUNIT_FAIL_AND_ABORT(test,
				     "disk 2: A (holding folio %lu) did not finish within %u ms",
				     d2->x->index, 2 * bound_ms + WBDL_START_MS);
	if (fr && completion_done(&fr->thawed))
		KUNIT_FAIL_AND_ABORT(test, "disk 1 (%s) was thawed before disk 2's chain ended",
				     disk1);
	if (fr && d2->outcome != WBDL_PROGRESS) {
		n = wbdl_queue_waiters(waiters, size, false);
		kunit_info(test, "disk 2 done; still asleep entering a frozen queue: %s\n",
			   n ? waiters : "none");
	}
	wbdl_report(test, d2);

	/* 4. Disk 1: A lets X go, the queue thaws; everything must end. */
	complete_all(&d1->release);
	if (!wait_for_completion_timeout(&d1->a_done, bound))
		KUNIT_FAIL_AND_ABORT(test, "disk 1: A did not let folio %lu go within %u ms",
				     d1->x->index, bound_ms);
	if (fr && !wbdl_thaw(fr, bound_ms))
		KUNIT_FAIL_AND_ABORT(test, "disk 1 (%s): queue not thawed within %u ms",
				     disk1, bound_ms);
	wbdl_finish(test, d1, "disk 1", waiters, size);
	wbdl_finish(test, d2, "disk 2", waiters, size);
}

/*
 * Unmount with a punted bio in flight.  The writeback task is umount(8) of
 * the second disk of a type (the test's file closed, so that the mount is
 * not busy): its sync_filesystem() has the flusher write the file back,
 * under the flusher's plug, while A holds X and the disk's queue is frozen.
 * The flusher puts Y in a bio and sleeps on X.  With the series, that
 * sleep punts the bio, whose submission then waits for the frozen queue;
 * without it, the bio stays in the flusher until A lets X go (the case
 * stalls, as the others do).  Either way:
 *  - umount must not return while the queue is frozen, even after A let X
 *    go (the data cannot be on the disk yet);
 *  - once the queue thaws, umount must return 0 within the bound, and Y's
 *    writeback must have ended;
 *  - mounted again, the file must hold what was written last.
 * The first is the verdict as in the other cases ("progress": Y's bio
 * reached the block layer while A held X); a failure of the others is
 * reported as its own outcome (unmount-failed, still-mounted, remount-failed,
 * data-lost), so that it shows on either kernel.
 *
 * btrfs has no such case: umount's first pass is WB_SYNC_NONE, in which
 * extent_write_cache_pages() skips X while it is under writeback and sends
 * Y's bio, and its WB_SYNC_ALL pass then finds Y clean.  Nothing is pending
 * across a sleep, so nothing would be punted.
 */

/* Compares the file at @ctx->path with the last write; -1: all equal. */
static loff_t wbdl_check_file(struct kunit *test, struct wbdl_ctx *ctx)
{
	char *buf, *want;
	loff_t i;

	buf = kunit_kzalloc(test, WBDL_FILE_SIZE, GFP_KERNEL);
	want = kunit_kzalloc(test, WBDL_FILE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_NOT_NULL(test, want);
	wbdl_fill(test, buf, ctx->path, 0);
	wbdl_fill(test, want, last_data, WBDL_LAST_BYTE);
	for (i = 0; i < WBDL_FILE_SIZE; i++)
		if (buf[i] != want[i])
			return i;
	return -1;
}

static void wbdl_run_unmount(struct kunit *test, const struct wbdl_fs *fs)
{
	struct wbdl_ctx *ctx = wbdl_prepare(test, fs, WBDL_HOLD_LOCK, WBDL_ALL);
	const unsigned long bound = msecs_to_jiffies(bound_ms);
	const size_t size = 900;	/* a printk line */
	const char *outcome = NULL, *disk;
	ktime_t deadline, queued = 0;
	enum wbdl_outcome verdict;
	struct wbdl_freezer *fr;
	struct request_queue *q;
	char dev[48], type[32];
	struct path dir;
	char *waiters;
	loff_t bad;
	int ret;

	if (!IS_ENABLED(CONFIG_STACKTRACE))
		kunit_skip(test, "without CONFIG_STACKTRACE the case cannot see where the bio is");
	waiters = kunit_kzalloc(test, size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, waiters);
	q = wbdl_queue(test, ctx, &disk);
	snprintf(dev, sizeof(dev), "/dev/%s", disk);
	strscpy(type, file_inode(ctx->file)->i_sb->s_type->name, sizeof(type));

	/* The mount must not be busy: no file of ours stays open on it. */
	fput(ctx->file);
	ctx->file = NULL;
	ctx->mapping = NULL;
	flush_delayed_fput();
	/* A new file: closing it does not write it back (ext4 auto_da_alloc). */
	KUNIT_ASSERT_TRUE_MSG(test, folio_test_dirty(ctx->y) && folio_test_dirty(ctx->x),
			      "closing %s wrote it back", ctx->path);
	KUNIT_ASSERT_FALSE_MSG(test, folio_test_writeback(ctx->y) || folio_test_writeback(ctx->x),
			       "closing %s started its writeback", ctx->path);

	ctx->tag = "-umount";
	ctx->umount_dir = *fs->dir;
	ctx->hold_until_release = true;
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, wbdl_release_action, ctx), 0);
	fr = wbdl_freeze(test, q, disk);

	/* 1. B is umount; the flusher puts Y under writeback, then sleeps on X. */
	wbdl_start(test, ctx);
	deadline = ktime_add_ms(ktime_get(), bound_ms);
	while (!folio_test_writeback(ctx->y)) {
		if (completion_done(&ctx->b_done))
			KUNIT_FAIL_AND_ABORT(test, "umount %s returned %d before folio 0 went under writeback",
					     ctx->umount_dir, ctx->b_ret);
		if (wbdl_timed_out(deadline))
			KUNIT_FAIL_AND_ABORT(test, "folio 0 not under writeback %u ms after umount %s started (flags %#lx)",
					     bound_ms, ctx->umount_dir, wbdl_flags(ctx->y));
		wbdl_poll_sleep();
	}
	ctx->wb_set = ktime_get();

	/* The verdict: Y's bio reaches the frozen queue while A holds X. */
	deadline = ktime_add_ms(ctx->wb_set, bound_ms);
	while (!queued && !wbdl_timed_out(deadline)) {
		if (wbdl_queue_waiters(waiters, size, true))
			queued = ktime_get();
		else
			wbdl_poll_sleep();
	}
	/*
	 * Not in ctx->outcome yet: A would then watch the tail of a stalled
	 * Y, which cannot end before the thaw of step 3, and finish only
	 * bound_ms after letting X go, racing the wait for it below.
	 */
	verdict = queued ? WBDL_PROGRESS : WBDL_STALLED;
	if (queued) {
		kunit_info(test, "folio 0's bio reached the frozen queue of %s %lld us after folio 0 went under writeback; folio %lu locked by A throughout\n",
			   disk, wbdl_us(ctx->wb_set, queued), ctx->x->index);
		kunit_info(test, "asleep entering the frozen queue: %s\n", waiters);
	} else {
		KUNIT_FAIL(test, "stalled: folio 0 under writeback, its bio not sent, for %u ms while A held folio %lu; umount %s waiting",
			   bound_ms, ctx->x->index, ctx->umount_dir);
	}

	/* 2. A lets X go; the queue is still frozen, so umount must still wait. */
	complete_all(&ctx->release);
	if (!wait_for_completion_timeout(&ctx->a_done, bound))
		KUNIT_FAIL_AND_ABORT(test, "A did not let folio %lu go within %u ms",
				     ctx->x->index, bound_ms);
	ctx->outcome = verdict;
	msleep(WBDL_SETTLE_MS);
	if (completion_done(&ctx->b_done)) {
		KUNIT_FAIL(test, "umount %s returned %d while %s was frozen, folio 0 %s",
			   ctx->umount_dir, ctx->b_ret, disk,
			   folio_test_writeback(ctx->y) ? "still under writeback" : "written");
		outcome = "unmount-early";
	}

	/* 3. Thawed, umount ends and the mount is gone. */
	if (!wbdl_thaw(fr, bound_ms))
		KUNIT_FAIL_AND_ABORT(test, "%s: queue not thawed within %u ms", disk, bound_ms);
	if (!wait_for_completion_timeout(&ctx->b_done, bound))
		KUNIT_FAIL_AND_ABORT(test, "umount %s still running %u ms after %s thawed",
				     ctx->umount_dir, bound_ms, disk);
	if (folio_test_writeback(ctx->y)) {
		KUNIT_FAIL(test, "umount %s returned, folio 0 still under writeback",
			   ctx->umount_dir);
		outcome = outcome ?: "unmount-failed";
	}
	if (ctx->b_ret) {
		KUNIT_FAIL(test, "umount %s: wait status %d", ctx->umount_dir, ctx->b_ret);
		outcome = outcome ?: "unmount-failed";
	}
	ret = vfs_path_lookup(wbdl_root.dentry, wbdl_root.mnt, ctx->umount_dir,
			      LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &dir);
	KUNIT_ASSERT_EQ_MSG(test, ret, 0, "%s after umount", ctx->umount_dir);
	if (dir.dentry->d_sb->s_magic == fs->magic) {
		KUNIT_FAIL(test, "%s is still %s after umount", ctx->umount_dir, type);
		outcome = outcome ?: "still-mounted";
	}
	path_put(&dir);

	/* 4. Mounted again: the file holds the last write. */
	ret = wbdl_busybox((const char *[]){ "mount", "-t", type, dev, ctx->umount_dir, NULL });
	if (ret) {
		KUNIT_FAIL(test, "mount -t %s %s %s: wait status %d", type, dev,
			   ctx->umount_dir, ret);
		outcome = outcome ?: "remount-failed";
	} else {
		bad = wbdl_check_file(test, ctx);
		if (bad >= 0) {
			KUNIT_FAIL(test, "%s after remount: byte %lld is not the last write",
				   ctx->path, bad);
			outcome = outcome ?: "data-lost";
		} else {
			kunit_info(test, "%s: umount waited for the thaw; mounted again, %d KiB as written last\n",
				   ctx->umount_dir, WBDL_FILE_SIZE / SZ_1K);
		}
	}
	kunit_info(test, "result: outcome=%s wb_us=%lld tail_us=-\n",
		   outcome ?: wbdl_outcome_name[ctx->outcome],
		   queued ? wbdl_us(ctx->wb_set, queued) : (s64)bound_ms * USEC_PER_MSEC);
}

/*
 * A write error on the bio B's sleep sent.  The disk fails every write
 * while make-it-fail is set on it (CONFIG_FAIL_MAKE_REQUEST, armed by
 * vm/repro.sh through debugfs: probability 100, times -1; it then loads
 * the module with write_errors=1).  The case sets it just before B
 * starts; A clears it once Y's writeback has ended (or
 * WBDL_FAIL_MS after it took X, so that a stalled kernel does not fail the
 * journal or log writes that come later), and always before it lets X go:
 * the one write that fails is Y's bio, and with the series that bio was
 * punted.  Then:
 *   - fsync() returns -EIO: the error reached the file (outcome error-lost
 *     if not), and (@one_folio) a second fsync() returns 0 (reported
 *     once);
 *   - no folio of the file is left under writeback (outcome fs-broken),
 *     and (@one_folio) the filesystem still takes a write and an fsync()
 *     (it did not shut down or go read-only: fs-broken);
 *   - read with O_DIRECT, folio 0's blocks do not hold the failed write,
 *     and (@one_folio) the other pages hold the last write (outcome
 *     data-wrong).
 * btrfs (!@one_folio) fails the whole ordered extent, which holds pages
 * 1-15 too, and can report the error again at a later fsync() (the second,
 * or the one after a new write; seen on pristine and patched kernels
 * alike, cause not established): it is asked only for the first -EIO, no
 * folio under writeback, and folio 0, read after a second fsync() whose
 * result is only logged.
 */
static void wbdl_fail_off_action(void *data)
{
	wbdl_fail_off(data);
}

/* The first 64 KiB of @ctx's file as on the disk (O_DIRECT), into @buf. */
static ssize_t wbdl_read_direct(struct wbdl_ctx *ctx, char *buf)
{
	struct file *file;
	loff_t pos = 0;
	ssize_t ret;

	file = file_open_root(&wbdl_root, ctx->path, O_RDONLY | O_DIRECT | O_LARGEFILE, 0);
	if (IS_ERR(file))
		return PTR_ERR(file);
	ret = kernel_read(file, buf, WBDL_FILE_SIZE, &pos);
	fput(file);
	return ret;
}

static void wbdl_run_write_error(struct kunit *test, const struct wbdl_fs *fs,
				 enum wbdl_hold hold, bool one_folio)
{
	struct wbdl_ctx *ctx = wbdl_prepare(test, fs, hold, WBDL_ALL);
	const char *outcome = NULL, *disk;
	char *first, *last, *disk_data;
	pgoff_t index;
	loff_t pos;
	ssize_t n;
	int ret;

	if (!IS_ENABLED(CONFIG_FAIL_MAKE_REQUEST))
		kunit_skip(test, "the kernel has no CONFIG_FAIL_MAKE_REQUEST");
	if (!write_errors)
		kunit_skip(test, "write_errors=0: fail_make_request not armed");
	first = kunit_kzalloc(test, WBDL_FILE_SIZE, GFP_KERNEL);
	last = kunit_kzalloc(test, WBDL_FILE_SIZE, GFP_KERNEL);
	disk_data = kunit_kzalloc(test, WBDL_FILE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, first);
	KUNIT_ASSERT_NOT_NULL(test, last);
	KUNIT_ASSERT_NOT_NULL(test, disk_data);
	wbdl_fill(test, first, first_data, WBDL_FIRST_BYTE);
	wbdl_fill(test, last, last_data, WBDL_LAST_BYTE);

	ctx->fail_bdev = wbdl_bdev(test, ctx, &disk);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, wbdl_fail_off_action, ctx), 0);
	atomic_set(&ctx->failing, 1);
	wbdl_make_it_fail(ctx->fail_bdev, true);

	/* A clears the flag before it lets X go. */
	wbdl_run_ctx(test, ctx);
	if (ctx->outcome != WBDL_PROGRESS)
		return;		/* reported; the write that failed, if any, was not Y's */

	ret = vfs_fsync(ctx->file, 0);
	if (ret != -EIO) {
		KUNIT_FAIL(test, "%s: fsync() after folio 0's write failed: %d, not -EIO",
			   disk, ret);
		outcome = "error-lost";
	} else {
		kunit_info(test, "%s: folio 0's write failed on %s; fsync() returned -EIO\n",
			   ctx->path, disk);
	}
	ret = vfs_fsync(ctx->file, 0);
	if (!one_folio && ret) {
		kunit_info(test, "second fsync(): %d (not checked on %s)\n", ret, fs->name);
	} else if (ret) {
		KUNIT_FAIL(test, "second fsync(): %d, not 0 (the error is reported once)", ret);
		outcome = outcome ?: "error-lost";
	}
	for (index = 0; index < WBDL_FILE_SIZE / PAGE_SIZE; index++) {
		struct folio *folio = filemap_get_folio(ctx->mapping, index);
		bool wb;

		if (IS_ERR(folio))
			continue;
		wb = folio_test_writeback(folio);
		folio_put(folio);
		if (wb) {
			KUNIT_FAIL(test, "folio %lu still under writeback after fsync()", index);
			outcome = outcome ?: "fs-broken";
		}
	}
	pos = WBDL_FILE_SIZE;
	n = one_folio ? kernel_write(ctx->file, last, PAGE_SIZE, &pos) : PAGE_SIZE;
	ret = n != PAGE_SIZE ? (int)n : one_folio ? vfs_fsync(ctx->file, 0) : 0;
	if (ret) {
		KUNIT_FAIL(test, "%s: a new write and fsync() after the error: %d", ctx->path, ret);
		outcome = outcome ?: "fs-broken";
	}

	n = wbdl_read_direct(ctx, disk_data);
	if (n != WBDL_FILE_SIZE) {
		KUNIT_FAIL(test, "%s: O_DIRECT read of %d KiB: %zd", ctx->path,
			   WBDL_FILE_SIZE / SZ_1K, n);
		outcome = outcome ?: "data-wrong";
	} else if (!memcmp(disk_data, last, PAGE_SIZE)) {
		KUNIT_FAIL(test, "%s: folio 0 holds the write that failed", ctx->path);
		outcome = outcome ?: "data-wrong";
	} else if (one_folio && memcmp(disk_data + PAGE_SIZE, last + PAGE_SIZE,
					  WBDL_FILE_SIZE - PAGE_SIZE)) {
		KUNIT_FAIL(test, "%s: pages 1-%lu do not hold the last write", ctx->path,
			   WBDL_FILE_SIZE / PAGE_SIZE - 1);
		outcome = outcome ?: "data-wrong";
	} else {
		kunit_info(test, "%s on disk: folio 0 as first written%s\n", ctx->path,
			   one_folio ? ", the rest as last written" : "");
	}
	if (outcome)
		kunit_info(test, "result: outcome=%s wb_us=- tail_us=-\n", outcome);
}

/*
 * A case: a function @name that runs @run (wbdl_run(), wbdl_run_two_disks(),
 * ...) with the arguments after it.
 */
#define WBDL_CASE(name, run, ...)				\
	static void name(struct kunit *test)			\
	{							\
		run(test, __VA_ARGS__);				\
	}

/* ext4, 4 KiB blocks: mpage_prepare_extent_to_map() */

WBDL_CASE(ext4_4k_folio_lock_wait_submits_pending_bio,
	  wbdl_run, &wbdl_ext4_4k, WBDL_HOLD_LOCK, WBDL_ALL)
WBDL_CASE(ext4_4k_sparse_folio_lock_wait_submits_pending_bio,
	  wbdl_run, &wbdl_ext4_4k, WBDL_HOLD_LOCK, WBDL_SPARSE)
WBDL_CASE(ext4_4k_writeback_wait_submits_pending_bio,
	  wbdl_run, &wbdl_ext4_4k, WBDL_HOLD_WRITEBACK, WBDL_ALL)

/* ext4, 1 KiB blocks: four buffer heads per folio */

WBDL_CASE(ext4_1k_folio_lock_wait_submits_pending_bio,
	  wbdl_run, &wbdl_ext4_1k, WBDL_HOLD_LOCK, WBDL_ALL)
WBDL_CASE(ext4_1k_sparse_folio_lock_wait_submits_pending_bio,
	  wbdl_run, &wbdl_ext4_1k, WBDL_HOLD_LOCK, WBDL_SPARSE)
WBDL_CASE(ext4_1k_writeback_wait_submits_pending_bio,
	  wbdl_run, &wbdl_ext4_1k, WBDL_HOLD_WRITEBACK, WBDL_ALL)

/* XFS: iomap_writepages() and writeback_iter() */

WBDL_CASE(xfs_folio_lock_wait_submits_pending_bio, wbdl_run, &wbdl_xfs, WBDL_HOLD_LOCK, WBDL_ALL)
WBDL_CASE(xfs_sparse_folio_lock_wait_submits_pending_bio,
	  wbdl_run, &wbdl_xfs, WBDL_HOLD_LOCK, WBDL_SPARSE)
WBDL_CASE(xfs_writeback_wait_submits_pending_bio,
	  wbdl_run, &wbdl_xfs, WBDL_HOLD_WRITEBACK, WBDL_ALL)

/*
 * btrfs: extent_write_cache_pages() submits by hand before folio_lock() and
 * folio_wait_writeback().  With every page dirty, the file is one delalloc
 * range, and lock_delalloc_folios() sleeps on X with Y locked: Y never goes
 * under writeback, a lock-order wait the plug cannot help.  With pages 0, 2
 * and 3 dirty, Y is a delalloc range of its own and goes into a bio; B then
 * locks page 2 itself and lock_delalloc_folios() sleeps on X, the rest of
 * page 2's range.  Y's bio is sent by then on both kernels: a write bio ends
 * at its ordered extent, and each delalloc range starts a new one.  The case
 * keeps that so: it stalls if a bio ever stays pending across that sleep.
 */

WBDL_CASE(btrfs_folio_lock_wait_submits_pending_bio,
	  wbdl_run, &wbdl_btrfs, WBDL_HOLD_LOCK, WBDL_ALL)
WBDL_CASE(btrfs_sparse_folio_lock_wait_submits_pending_bio,
	  wbdl_run, &wbdl_btrfs, WBDL_HOLD_LOCK, WBDL_SPARSE)
WBDL_CASE(btrfs_writeback_wait_submits_pending_bio,
	  wbdl_run, &wbdl_btrfs, WBDL_HOLD_WRITEBACK, WBDL_ALL)
WBDL_CASE(btrfs_delalloc_folio_lock_wait_submits_pending_bio,
	  wbdl_run, &wbdl_btrfs, WBDL_HOLD_LOCK, WBDL_RANGE)

/*
 * ext2 and vfat: mpage_writepages(), whose writeback_iter() sleeps on the
 * next folio with the folios before it in mpd->bio.
 */

WBDL_CASE(ext2_4k_folio_lock_wait_submits_pending_bio,
	  wbdl_run, &wbdl_ext2_4k, WBDL_HOLD_LOCK, WBDL_ALL)
WBDL_CASE(ext2_4k_sparse_folio_lock_wait_submits_pending_bio,
	  wbdl_run, &wbdl_ext2_4k, WBDL_HOLD_LOCK, WBDL_SPARSE)
WBDL_CASE(ext2_4k_writeback_wait_submits_pending_bio,
	  wbdl_run, &wbdl_ext2_4k, WBDL_HOLD_WRITEBACK, WBDL_ALL)
WBDL_CASE(ext2_1k_folio_lock_wait_submits_pending_bio,
	  wbdl_run, &wbdl_ext2_1k, WBDL_HOLD_LOCK, WBDL_ALL)
WBDL_CASE(ext2_1k_sparse_folio_lock_wait_submits_pending_bio,
	  wbdl_run, &wbdl_ext2_1k, WBDL_HOLD_LOCK, WBDL_SPARSE)
WBDL_CASE(ext2_1k_writeback_wait_submits_pending_bio,
	  wbdl_run, &wbdl_ext2_1k, WBDL_HOLD_WRITEBACK, WBDL_ALL)
WBDL_CASE(vfat_4k_folio_lock_wait_submits_pending_bio,
	  wbdl_run, &wbdl_vfat_4k, WBDL_HOLD_LOCK, WBDL_ALL)
WBDL_CASE(vfat_4k_sparse_folio_lock_wait_submits_pending_bio,
	  wbdl_run, &wbdl_vfat_4k, WBDL_HOLD_LOCK, WBDL_SPARSE)
WBDL_CASE(vfat_4k_writeback_wait_submits_pending_bio,
	  wbdl_run, &wbdl_vfat_4k, WBDL_HOLD_WRITEBACK, WBDL_ALL)
WBDL_CASE(vfat_1k_folio_lock_wait_submits_pending_bio,
	  wbdl_run, &wbdl_vfat_1k, WBDL_HOLD_LOCK, WBDL_ALL)
WBDL_CASE(vfat_1k_sparse_folio_lock_wait_submits_pending_bio,
	  wbdl_run, &wbdl_vfat_1k, WBDL_HOLD_LOCK, WBDL_SPARSE)
WBDL_CASE(vfat_1k_writeback_wait_submits_pending_bio,
	  wbdl_run, &wbdl_vfat_1k, WBDL_HOLD_WRITEBACK, WBDL_ALL)

/*
 * f2fs: f2fs_write_cache_pages() sleeps on the next folio with folio 0 in a
 * merged bio of the superblock, or in its in-place-update bio.  Before its
 * own writeback wait (f2fs_folio_wait_writeback()) it sends only the bios
 * that hold the folio it waits for, which folio 0's does not.
 */

WBDL_CASE(f2fs_folio_lock_wait_submits_pending_bio,
	  wbdl_run, &wbdl_f2fs, WBDL_HOLD_LOCK, WBDL_ALL)
WBDL_CASE(f2fs_sparse_folio_lock_wait_submits_pending_bio,
	  wbdl_run, &wbdl_f2fs, WBDL_HOLD_LOCK, WBDL_SPARSE)
WBDL_CASE(f2fs_writeback_wait_submits_pending_bio,
	  wbdl_run, &wbdl_f2fs, WBDL_HOLD_WRITEBACK, WBDL_ALL)
WBDL_CASE(f2fs_ipu_folio_lock_wait_submits_pending_bio,
	  wbdl_run, &wbdl_f2fs_ipu, WBDL_HOLD_LOCK, WBDL_ALL)
WBDL_CASE(f2fs_ipu_sparse_folio_lock_wait_submits_pending_bio,
	  wbdl_run, &wbdl_f2fs_ipu, WBDL_HOLD_LOCK, WBDL_SPARSE)
WBDL_CASE(f2fs_ipu_writeback_wait_submits_pending_bio,
	  wbdl_run, &wbdl_f2fs_ipu, WBDL_HOLD_WRITEBACK, WBDL_ALL)

/*
 * Two disks of a type, disk 1 frozen with B asleep on it: disk 2's writeback
 * must not wait for disk 1.  With a punt shared by every filesystem of the
 * type, disk 1's punt worker sleeps in __bio_queue_enter() and disk 2's
 * punted bio waits behind it.
 *
 * btrfs ends a write bio at its ordered extent.  In the sparse layout Y is
 * an ordered extent of its own, so Y's bio is sent before B ever sleeps:
 * nothing would be punted.  With every page dirty and X under A's
 * writeback, Y and X share one ordered extent: Y's bio is pending when B
 * waits for X's writeback in extent_write_cache_pages(), where pristine
 * 6.12 submits it by hand and the series punts it.
 */

WBDL_CASE(ext4_frozen_disk_does_not_hold_back_other_disk,
	  wbdl_run_two_disks, &wbdl_ext4_4k, &wbdl_ext4_b, WBDL_HOLD_LOCK, WBDL_ALL, true)
WBDL_CASE(xfs_frozen_disk_does_not_hold_back_other_disk,
	  wbdl_run_two_disks, &wbdl_xfs, &wbdl_xfs_b, WBDL_HOLD_LOCK, WBDL_ALL, true)
WBDL_CASE(btrfs_frozen_disk_does_not_hold_back_other_disk,
	  wbdl_run_two_disks, &wbdl_btrfs, &wbdl_btrfs_b, WBDL_HOLD_WRITEBACK, WBDL_ALL, true)

/* Controls: disk 2 of another type (another punt), or disk 1 not frozen. */

WBDL_CASE(ext4_frozen_disk_does_not_hold_back_xfs_disk,
	  wbdl_run_two_disks, &wbdl_ext4_4k, &wbdl_xfs, WBDL_HOLD_LOCK, WBDL_ALL, true)
WBDL_CASE(xfs_frozen_disk_does_not_hold_back_ext4_disk,
	  wbdl_run_two_disks, &wbdl_xfs, &wbdl_ext4_4k, WBDL_HOLD_LOCK, WBDL_ALL, true)
WBDL_CASE(ext4_unfrozen_disk_does_not_hold_back_other_disk,
	  wbdl_run_two_disks, &wbdl_ext4_4k, &wbdl_ext4_b, WBDL_HOLD_LOCK, WBDL_ALL, false)
WBDL_CASE(xfs_unfrozen_disk_does_not_hold_back_other_disk,
	  wbdl_run_two_disks, &wbdl_xfs, &wbdl_xfs_b, WBDL_HOLD_LOCK, WBDL_ALL, false)
WBDL_CASE(btrfs_unfrozen_disk_does_not_hold_back_other_disk,
	  wbdl_run_two_disks, &wbdl_btrfs, &wbdl_btrfs_b, WBDL_HOLD_WRITEBACK, WBDL_ALL, false)

/*
 * Write errors on folio 0's bio.  btrfs: X under A's writeback (with X
 * locked, Y never goes under writeback, see above).
 */

WBDL_CASE(ext4_punted_bio_write_error_reaches_fsync,
	  wbdl_run_write_error, &wbdl_ext4_4k, WBDL_HOLD_LOCK, true)
WBDL_CASE(xfs_punted_bio_write_error_reaches_fsync,
	  wbdl_run_write_error, &wbdl_xfs, WBDL_HOLD_LOCK, true)
WBDL_CASE(btrfs_punted_bio_write_error_reaches_fsync,
	  wbdl_run_write_error, &wbdl_btrfs, WBDL_HOLD_WRITEBACK, false)

/* Last: they unmount and mount again the second ext4 and XFS disks. */

WBDL_CASE(ext4_unmount_waits_for_punted_bio, wbdl_run_unmount, &wbdl_ext4_b)
WBDL_CASE(xfs_unmount_waits_for_punted_bio, wbdl_run_unmount, &wbdl_xfs_b)

static struct kunit_case writeback_deadlock_cases[] = {
	KUNIT_CASE_SLOW(ext4_4k_folio_lock_wait_submits_pending_bio),
	KUNIT_CASE_SLOW(ext4_4k_sparse_folio_lock_wait_submits_pending_bio),
	KUNIT_CASE_SLOW(ext4_4k_writeback_wait_submits_pending_bio),
	KUNIT_CASE_SLOW(ext4_1k_folio_lock_wait_submits_pending_bio),
	KUNIT_CASE_SLOW(ext4_1k_sparse_folio_lock_wait_submits_pending_bio),
	KUNIT_CASE_SLOW(ext4_1k_writeback_wait_submits_pending_bio),
	KUNIT_CASE_SLOW(xfs_folio_lock_wait_submits_pending_bio),
	KUNIT_CASE_SLOW(xfs_sparse_folio_lock_wait_submits_pending_bio),
	KUNIT_CASE_SLOW(xfs_writeback_wait_submits_pending_bio),
	KUNIT_CASE_SLOW(btrfs_folio_lock_wait_submits_pending_bio),
	KUNIT_CASE_SLOW(btrfs_sparse_folio_lock_wait_submits_pending_bio),
	KUNIT_CASE_SLOW(btrfs_writeback_wait_submits_pending_bio),
	KUNIT_CASE_SLOW(btrfs_delalloc_folio_lock_wait_submits_pending_bio),
	KUNIT_CASE_SLOW(ext2_4k_folio_lock_wait_submits_pending_bio),
	KUNIT_CASE_SLOW(ext2_4k_sparse_folio_lock_wait_submits_pending_bio),
	KUNIT_CASE_SLOW(ext2_4k_writeback_wait_submits_pending_bio),
	KUNIT_CASE_SLOW(ext2_1k_folio_lock_wait_submits_pending_bio),
	KUNIT_CASE_SLOW(ext2_1k_sparse_folio_lock_wait_submits_pending_bio),
	KUNIT_CASE_SLOW(ext2_1k_writeback_wait_submits_pending_bio),
	KUNIT_CASE_SLOW(vfat_4k_folio_lock_wait_submits_pending_bio),
	KUNIT_CASE_SLOW(vfat_4k_sparse_folio_lock_wait_submits_pending_bio),
	KUNIT_CASE_SLOW(vfat_4k_writeback_wait_submits_pending_bio),
	KUNIT_CASE_SLOW(vfat_1k_folio_lock_wait_submits_pending_bio),
	KUNIT_CASE_SLOW(vfat_1k_sparse_folio_lock_wait_submits_pending_bio),
	KUNIT_CASE_SLOW(vfat_1k_writeback_wait_submits_pending_bio),
	KUNIT_CASE_SLOW(f2fs_folio_lock_wait_submits_pending_bio),
	KUNIT_CASE_SLOW(f2fs_sparse_folio_lock_wait_submits_pending_bio),
	KUNIT_CASE_SLOW(f2fs_writeback_wait_submits_pending_bio),
	KUNIT_CASE_SLOW(f2fs_ipu_folio_lock_wait_submits_pending_bio),
	KUNIT_CASE_SLOW(f2fs_ipu_sparse_folio_lock_wait_submits_pending_bio),
	KUNIT_CASE_SLOW(f2fs_ipu_writeback_wait_submits_pending_bio),
	KUNIT_CASE_SLOW(ext4_frozen_disk_does_not_hold_back_other_disk),
	KUNIT_CASE_SLOW(xfs_frozen_disk_does_not_hold_back_other_disk),
	KUNIT_CASE_SLOW(btrfs_frozen_disk_does_not_hold_back_other_disk),
	KUNIT_CASE_SLOW(ext4_frozen_disk_does_not_hold_back_xfs_disk),
	KUNIT_CASE_SLOW(xfs_frozen_disk_does_not_hold_back_ext4_disk),
	KUNIT_CASE_SLOW(ext4_unfrozen_disk_does_not_hold_back_other_disk),
	KUNIT_CASE_SLOW(xfs_unfrozen_disk_does_not_hold_back_other_disk),
	KUNIT_CASE_SLOW(btrfs_unfrozen_disk_does_not_hold_back_other_disk),
	KUNIT_CASE_SLOW(ext4_punted_bio_write_error_reaches_fsync),
	KUNIT_CASE_SLOW(xfs_punted_bio_write_error_reaches_fsync),
	KUNIT_CASE_SLOW(btrfs_punted_bio_write_error_reaches_fsync),
	KUNIT_CASE_SLOW(ext4_unmount_waits_for_punted_bio),
	KUNIT_CASE_SLOW(xfs_unmount_waits_for_punted_bio),
	{}
};

static struct kunit_suite writeback_deadlock_suite = {
	.name = "writeback_deadlock",
	.suite_init = wbdl_suite_init,
	.suite_exit = wbdl_suite_exit,
	.test_cases = writeback_deadlock_cases,
};

kunit_test_suite(writeback_deadlock_suite);

MODULE_DESCRIPTION("KUnit reproducer of the writeback deadlock on pending bios");
MODULE_LICENSE("GPL");
