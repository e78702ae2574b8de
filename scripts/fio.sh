#!/bin/bash
# Data check with fio in QEMU: buffered (psync) and mmap writes, random and
# sequential, 4-64 KiB blocks, fsync, verify=crc32c; then unmount, mount
# again and verify once more from disk (vm/fio.sh, jobs in vm/fio-verify.fio).
#
#   scripts/fio.sh [pristine|patched] [ext4|xfs|btrfs|ext2|vfat]   (default: patched ext4)
#
# On XFS and btrfs a copy-on-write pass follows: each file is reflinked
# (FICLONE), written again with other data, and both must verify after a
# remount (see vm/fio.sh).
#
# Prints each job's PASS/FAIL line and ends with
#   fio-<which>-<fs>[-<opts>]: N passed, N failed
# (also in build/<base>/results/); exits non-zero on a failure.
# Console log: build/<base>/fio/<which>-<fs>[-<opts>]/console.log.
#
# Environment:
#   FIO_SIZE     file size of each job (default 16m)
#   FIO_CORRUPT  1: overwrite 64 KiB of each file before the verify-only
#                pass, which must then FAIL (shows the check can fail)
#   FIO_OPTS     mount options, e.g. compress=zstd (btrfs)
#   FIO_COMPRESS percent by which the data compresses (fio's
#                buffer_compress_percentage; default: random data)
#   FIO_REFLINK  1/0: the copy-on-write pass (default 1 on XFS and btrfs)
#   FIO_TIMEOUT  seconds QEMU may run (default 600)
#   VM_NICE      niceness of QEMU (default 10)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"
. "$top/scripts/vm-lib.sh"
. "$top/scripts/vm-dyn.sh"

which=${1:-patched} fs=${2:-ext4}
case "$which" in pristine|patched) ;; *) die "usage: fio.sh [pristine|patched] [ext4|xfs|btrfs|ext2|vfat]" ;; esac
mkfs_cmd "$fs" || die "usage: fio.sh [pristine|patched] [ext4|xfs|btrfs|ext2|vfat]"
size=${FIO_SIZE:-16m}
opts=${FIO_OPTS:-}
[[ $opts =~ ^[A-Za-z0-9_=:,.-]*$ ]] || die "FIO_OPTS: mount options like compress=zstd, not '$opts'"
compress=${FIO_COMPRESS:-}
[[ $compress =~ ^([0-9]|[1-9][0-9]|100)?$ ]] || die "FIO_COMPRESS: a percentage, not '$compress'"
case $fs in xfs | btrfs) reflink=${FIO_REFLINK:-1} ;; *) reflink=${FIO_REFLINK:-0} ;; esac
case $reflink in 0 | 1) ;; *) die "FIO_REFLINK: 0 or 1, not '$reflink'" ;; esac
[[ $size =~ ^[0-9]+[km]$ ]] || die "FIO_SIZE: a size like 16m, not '$size'"
need_pkgs qemu-system-x86_64:qemu-system-x86 gcc:gcc fio:fio mkfs.ext4:e2fsprogs mkfs.xfs:xfsprogs \
	mkfs.btrfs:btrfs-progs mkfs.vfat:dosfstools cpio:cpio /bin/busybox:busybox-static
kernel=$B/x86-$which/arch/x86/boot/bzImage
[ -f "$kernel" ] || die "no kernel at ${kernel#"$top"/}; run 'scripts/kernel.sh $which'"
name=fio-$which-$fs${opts:+-${opts//[,=:]/_}}${compress:+-data$compress}
out=$B/fio/${name#fio-}
mkdir -p "$out" "$B/results"
rm -f "$B/results/$name.txt"

files=("$top/vm/fio.sh:tests/fio" "$top/vm/fio-verify.fio:etc/fio/verify.fio" "$top/vm/lib.sh:lib/plugcb.sh")
add_dynamic "$(command -v fio)" bin/fio
gcc -O2 -Wall -Werror -o "$out/reflink" "$top/vm/reflink.c" || die "building vm/reflink.c failed"
add_dynamic "$out/reflink" bin/reflink
# fio needs SysV shm and timerfd to start (config/x86_64.config).
for opt in CONFIG_SYSVIPC=y CONFIG_TIMERFD=y; do
	grep -qx "$opt" "$B/x86-$which/.config" ||
		die "${B#"$top"/}/x86-$which lacks $opt, which fio needs: rebuild it with 'scripts/kernel.sh $which'"
done
make_initramfs "$out/initramfs.cpio.gz" "${files[@]}"

rm -f "$out/disk.img"
truncate -s 512M "$out/disk.img"
"${mkfs[@]}" "$out/disk.img" >/dev/null || die "${mkfs[0]} failed"

log=$out/console.log secs=${FIO_TIMEOUT:-600} rc=0
echo "fio: $which kernel, $fs${opts:+ -o $opts}, jobs of $size${compress:+ (data compresses by $compress%)}, reflink pass $reflink (TCG, timeout ${secs}s), log ${log#"$top"/}"
start=$(date +%s)
run_qemu "$kernel" "$out/initramfs.cpio.gz" "$log" "$secs" \
	"plugcb.run=fio fio.fs=$fs fio.size=$size fio.corrupt=${FIO_CORRUPT:-0} fio.reflink=$reflink${opts:+ fio.opts=$opts}${compress:+ fio.compress=$compress}" \
	-drive "file=$out/disk.img,format=raw,if=virtio" || rc=$?
echo "fio: VM ran $(( $(date +%s) - start ))s (qemu exit $rc)"
tr -d '\r' <"$log" | grep -E '^fio(-job)?: ' | sed 's/^/  /' || true

passed=$(tr -d '\r' <"$log" | grep -cE '^fio-job: [^ ]+ PASS' || true)
failed=$(tr -d '\r' <"$log" | grep -cE '^fio-job: [^ ]+ FAIL' || true)
jobs=$(grep -c "^\[" "$top/vm/fio-verify.fio")
jobs=$((jobs - 1))	# not [global]
want=$((jobs + 1 + reflink * jobs))	# jobs, kernel log, reflink pass
if [ $rc = 124 ] || [ $rc = 137 ] || ! tr -d '\r' <"$log" | grep -q '^plugcb: done'; then
	echo "fio: the VM did not finish (qemu exit $rc); last lines of the console:" >&2
	tail -n 20 "$log" | sed 's/^/  | /' >&2
	failed=$((failed + 1))
elif [ $((passed + failed)) != "$want" ]; then
	echo "fio: $((passed + failed)) results, expected $want" >&2
	failed=$((failed + 1))
fi
echo "$name: $passed passed, $failed failed" | tee "$B/results/$name.txt"
[ "$failed" = 0 ]
