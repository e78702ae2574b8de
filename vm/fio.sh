#!/bin/busybox sh
# shellcheck disable=SC2046 # set -- $(...) splits a line of numbers on purpose
# Runs in the test VM as /tests/fio (plugcb.run=fio; scripts/fio.sh builds
# the initramfs and the disk).  Kernel command line:
#   fio.fs=ext4|xfs|btrfs   filesystem on /dev/vda (made on the host)
#   fio.size=<n>m           file size of each job (default 16m)
#   fio.corrupt=1           overwrite 64 KiB of each file after the remount,
#                           so the verify-only pass must FAIL (a self-check)
#   fio.opts=<o,o>          mount options (e.g. compress=zstd)
#   fio.compress=<pct>      data that compresses by <pct> percent
#   fio.reflink=1           then the copy-on-write pass below
# Each job of /etc/fio/verify.fio runs with verify=crc32c and do_verify
# (written, then read back and checked); then the filesystem is unmounted
# and mounted again and every job runs with --verify_only, which reads the
# files back from disk and checks them.  One line per job:
#   fio-job: <name> PASS|FAIL (...)
# and one for the kernel log (WARNING, BUG, hung tasks, lockdep splats).
#
# Copy-on-write pass (fio.reflink=1, XFS and btrfs): each job's file is
# reflinked to <name>.keep (ioctl FICLONE, /bin/reflink), then written again
# by the same job with other data (FIO_SEED=2), so that every block written
# back is shared and copied on write.  After a remount both files must
# verify (fio checks each block's own checksum, whichever seed wrote it), the
# file's md5 must differ from what both had before (the overwrite reached the
# disk) and <name>.keep's must not (copy on write left the shared blocks
# alone).  One line per job:
#   fio-job: reflink-<name> PASS|FAIL (...)
set -u
arg() { sed -n "s/.*fio\.$1=\([^ ]*\).*/\1/p" /proc/cmdline; }
fs=$(arg fs); fs=${fs:-ext4}
size=$(arg size); size=${size:-16m}
corrupt=$(arg corrupt)
opts=$(arg opts)
compress=$(arg compress)
# fio preallocates its files, and btrfs writes into preallocated extents in
# place, uncompressed: compressible data comes without preallocation.
fioargs=${compress:+--buffer_compress_percentage=$compress --fallocate=none}
reflink=$(arg reflink)
dev=/dev/vda mnt=/mnt/test jobs=/etc/fio/verify.fio
export LD_LIBRARY_PATH=/usr/lib/dyn FIO_DIR=$mnt FIO_SIZE="$size" FIO_SEED=1
cd /tmp || exit 1
dmesg -c >/dev/null	# the boot's KUnit suites WARN on purpose: judge only what follows

mkdir -p "$mnt"
do_mount() { mount -t "$fs" ${opts:+-o "$opts"} "$dev" "$mnt"; }
if ! do_mount; then
	echo "fio-job: mount FAIL (mount -t $fs ${opts:+-o $opts }$dev failed)"
	exit 1
fi
echo "fio: mounted $fs${opts:+ with $opts}: $(grep " $mnt " /proc/mounts)"
names=$(sed -n 's/^\[\(.*\)\]$/\1/p' "$jobs" | grep -v '^global$')
ms() { awk '{ printf "%d", $1 * 1000 }' /proc/uptime; }
# "<KiB read> <KiB written> <error>" from fio's terse line (format 3)
moved() { awk -F';' '/^3;fio-/ { print $6, $47, $5 }' "$1"; }
case $size in *m) size_kb=$(( ${size%m} * 1024 )) ;; *k) size_kb=${size%k} ;; esac

for j in $names; do
	t0=$(ms)
	fio $fioargs --output-format=normal,terse --section="$j" "$jobs" >"/tmp/$j.write.out" 2>&1
	echo "$?" >"/tmp/$j.write.rc"
	set -- $(moved "/tmp/$j.write.out")
	echo "fio: $j write+verify exit $(cat "/tmp/$j.write.rc") in $(( $(ms) - t0 )) ms: wrote ${2:-?} KiB, read back ${1:-?} KiB, error ${3:-?}"
done

# Data read back after a remount comes from the disk, not the page cache.
remount=ok
umount "$mnt" && do_mount || remount=failed
echo "fio: unmount and mount of $dev: $remount"
# compressed data takes less room than the files' size (btrfs: data extents
# on disk; elsewhere: df, metadata included)
files_kb=$(( $(echo $names | wc -w) * size_kb ))
for f in /sys/fs/btrfs/*/allocation/data/bytes_used; do
	[ -f "$f" ] && echo "fio: btrfs data extents take $(( $(cat "$f") / 1024 )) KiB on disk for $files_kb KiB of files"
done
[ "$fs" = btrfs ] || echo "fio: $(df -k "$mnt" | awk 'NR == 2 { print $3 }') KiB used on $dev for $files_kb KiB of files"
if [ "$corrupt" = 1 ]; then
	for j in $names; do
		dd if=/dev/urandom of="$mnt/$j" bs=64k seek=1 count=1 conv=notrunc 2>/dev/null &&
			echo "fio: corrupted 64 KiB of $mnt/$j (fio.corrupt=1)"
	done
	sync
fi

for j in $names; do
	t0=$(ms)
	fio $fioargs --output-format=normal,terse --verify_only --section="$j" "$jobs" >"/tmp/$j.verify.out" 2>&1
	vrc=$?
	wrc=$(cat "/tmp/$j.write.rc")
	set -- $(moved "/tmp/$j.verify.out")
	echo "fio: $j verify-only after remount exit $vrc in $(( $(ms) - t0 )) ms: read ${1:-?} KiB, error ${3:-?}"
	res=PASS
	[ "$wrc" = 0 ] && [ "$vrc" = 0 ] && [ $remount = ok ] || res=FAIL
	# all of the file written and read back, then all of it read after the remount
	set -- $(moved "/tmp/$j.write.out") $(moved "/tmp/$j.verify.out")
	[ "${1:-}" = "$size_kb" ] && [ "${2:-}" = "$size_kb" ] && [ "${4:-}" = "$size_kb" ] || res=FAIL
	# fio says "verify: bad magic header", "crc32c: verify failed", ...
	if grep -qiE 'verify.*(bad|fail)|bad magic|fio: pid=.*err=' "/tmp/$j.write.out" "/tmp/$j.verify.out"; then
		res=FAIL
	fi
	echo "fio-job: $j $res ($size: write+verify exit $wrc, verify after remount exit $vrc)"
	if [ $res = FAIL ]; then
		for p in write verify; do
			grep -iE 'verify|err|bad|fail' "/tmp/$j.$p.out" | head -n 5 | sed "s/^/fio: $j $p | /"
		done
	fi
done

# "<exit code> <KiB read>" of a --verify_only run of job $1 on file $2: fio
# reads the job's own file name, so $2 takes its place for the run.
verify_file() {
	if [ "$2" != "$1" ]; then
		mv "$mnt/$1" "$mnt/$1.cow" && mv "$mnt/$2" "$mnt/$1" || { echo "mv ?"; return; }
	fi
	fio $fioargs --output-format=normal,terse --verify_only --section="$1" "$jobs" >"/tmp/$2.cow.verify" 2>&1
	vrc=$?
	got=$(moved "/tmp/$2.cow.verify" | cut -d' ' -f1)
	if [ "$2" != "$1" ]; then
		mv "$mnt/$1" "$mnt/$2" && mv "$mnt/$1.cow" "$mnt/$1"
	fi
	echo "$vrc ${got:-?}"
}
md5() { md5sum <"$1" | cut -d' ' -f1; }
if [ "$reflink" = 1 ]; then
	for j in $names; do
		rm -f "/tmp/$j.cow.fail"
		if ! reflink "$mnt/$j" "$mnt/$j.keep" 2>"/tmp/$j.cow.err"; then
			echo "FICLONE: $(cat "/tmp/$j.cow.err")" >"/tmp/$j.cow.fail"
			continue
		fi
		md5 "$mnt/$j" >"/tmp/$j.md5"
		t0=$(ms)
		FIO_SEED=2 fio $fioargs --output-format=normal,terse --section="$j" "$jobs" >"/tmp/$j.cow.out" 2>&1 ||
			echo "overwrite of the reflinked file: fio exit $?" >"/tmp/$j.cow.fail"
		set -- $(moved "/tmp/$j.cow.out")
		echo "fio: $j overwritten with seed 2 over its reflink in $(( $(ms) - t0 )) ms: wrote ${2:-?} KiB, read back ${1:-?} KiB"
	done
	remount=ok
	umount "$mnt" && do_mount || remount=failed
	echo "fio: unmount and mount of $dev: $remount"
	for j in $names; do
		res=PASS
		if [ -f "/tmp/$j.cow.fail" ]; then
			res=FAIL why=$(cat "/tmp/$j.cow.fail")
		else
			before=$(cat "/tmp/$j.md5")
			set -- $(verify_file "$j" "$j"); new="file: verify exit $1, read $2 KiB"
			[ "$1" = 0 ] && [ "$2" = "$size_kb" ] && [ $remount = ok ] || res=FAIL
			if [ "$(md5 "$mnt/$j")" = "$before" ]; then
				res=FAIL new="$new, md5 unchanged"
			else
				new="$new, md5 changed"
			fi
			set -- $(verify_file "$j" "$j.keep"); keep="reflink: verify exit $1, read $2 KiB"
			[ "$1" = 0 ] && [ "$2" = "$size_kb" ] || res=FAIL
			if [ "$(md5 "$mnt/$j.keep")" = "$before" ]; then
				keep="$keep, md5 kept"
			else
				res=FAIL keep="$keep, md5 CHANGED"
			fi
			why="$new; $keep"
		fi
		echo "fio-job: reflink-$j $res ($why)"
	done
fi
umount "$mnt" || echo "fio-job: umount FAIL (umount $mnt failed)"

. /lib/plugcb.sh
if kernel_log_splats fio; then
	echo "fio-job: kernel-log FAIL (dmesg has a warning or a splat)"
else
	echo "fio-job: kernel-log PASS (no WARNING, BUG, hung task or lockdep splat in dmesg)"
fi
