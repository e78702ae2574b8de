#!/bin/busybox sh
# Runs in the test VM as /tests/repro (kernel command line plugcb.run=repro;
# vm/init calls it and then ends the VM with reboot -f).
#
# Mounts the thirteen disks scripts/repro.sh made and loads the writeback_deadlock
# KUnit module; its suite runs inside insmod and prints KTAP on the console.
# The host reads the KTAP after the "repro: insmod" line.  A disk that does
# not mount is reported here, and its cases skip (the module checks the
# filesystem type and block size of each directory itself).
#
# Disks, in QEMU's order: vda ext4 (4 KiB blocks), vdb ext4 (1 KiB blocks),
# vdc XFS, vdd btrfs, then the second disk of each type for the two-disk
# cases: vde ext4 (4 KiB blocks), vdf XFS, vdg btrfs; then the filesystems
# of mpage_writepages(): vdh ext2 (4 KiB blocks), vdi ext2 (1 KiB), vdj vfat
# (4 KiB sectors), vdk vfat (1 KiB); then f2fs: vdl with in-place updates
# disabled, vdm with them forced (ipu_policy).  Module parameters for
# insmod may be given on the kernel command line as repro.args=<a>,<b>
# (commas become spaces).
set -u

mount_one() {	# device fstype dir
	mkdir -p "$3"
	if [ ! -b "$1" ]; then
		echo "repro: no disk $1 for $3"
		return 0
	fi
	if mount -t "$2" "$1" "$3"; then
		echo "repro: mounted $1 ($2) on $3"
	else
		echo "repro: mount -t $2 $1 $3 failed"
	fi
}

mount_one /dev/vda ext4  /mnt/ext4
mount_one /dev/vdb ext4  /mnt/ext4-1k
mount_one /dev/vdc xfs   /mnt/xfs
mount_one /dev/vdd btrfs /mnt/btrfs
mount_one /dev/vde ext4  /mnt/ext4-b
mount_one /dev/vdf xfs   /mnt/xfs-b
mount_one /dev/vdg btrfs /mnt/btrfs-b
mount_one /dev/vdh ext2  /mnt/ext2
mount_one /dev/vdi ext2  /mnt/ext2-1k
mount_one /dev/vdj vfat  /mnt/vfat
mount_one /dev/vdk vfat  /mnt/vfat-1k
mount_one /dev/vdl f2fs  /mnt/f2fs
mount_one /dev/vdm f2fs  /mnt/f2fs-ipu
# The f2fs cases choose how f2fs writes the file back: ipu_policy 0
# (F2FS_IPU_DISABLE) on /mnt/f2fs, every overwrite out of place, into the
# merged bios; 1 (F2FS_IPU_FORCE) on /mnt/f2fs-ipu, every overwrite of an
# allocated block in place.  A disk whose policy cannot be set is unmounted:
# its cases must not run as the other kind.
f2fs_policy() {	# device dir policy
	grep -q " $2 " /proc/mounts || return 0
	if echo "$3" >"/sys/fs/f2fs/$1/ipu_policy"; then
		echo "repro: $2: ipu_policy $(cat "/sys/fs/f2fs/$1/ipu_policy")"
	else
		echo "repro: $2: cannot set ipu_policy $3; unmounted"
		umount "$2"
	fi
}
f2fs_policy vdl /mnt/f2fs 0
f2fs_policy vdm /mnt/f2fs-ipu 1

# Periodic writeback must not write the test files behind the cases' backs.
echo 0 > /proc/sys/vm/dirty_writeback_centisecs 2>/dev/null || true

args=$(sed -n 's/.*repro\.args=\([^ ]*\).*/\1/p' /proc/cmdline | tr ',' ' ')

# The *_write_error_* cases fail writes on demand: every request to a disk
# whose make-it-fail flag the module sets fails (CONFIG_FAIL_MAKE_REQUEST),
# with one console line each.  Without it those cases skip.
f=/sys/kernel/debug/fail_make_request
if [ -d $f ] && echo 100 >$f/probability && echo -1 >$f/times && echo 1 >$f/verbose; then
	echo "repro: fail_make_request armed (probability 100, times -1)"
	args="$args write_errors=1"
else
	echo "repro: fail_make_request not armed (no $f: CONFIG_FAIL_MAKE_REQUEST, debugfs)"
fi
mod=/lib/modules/writeback_deadlock_kunit.ko
if [ ! -f "$mod" ]; then
	echo "repro: $mod missing from the initramfs"
	exit 1
fi
echo "repro: insmod $mod $args"
# shellcheck disable=SC2086 # args are separate module parameters
insmod "$mod" $args
rc=$?
echo "repro: insmod exited $rc"
exit $rc
