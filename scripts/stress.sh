#!/bin/bash
# Writeback under memory-cgroup pressure in QEMU (vm/stress.sh): fio writers
# (mmap, buffered + fsync, sequential; verify=crc32c each round), sync,
# readers, truncation, (XFS, btrfs) reflink copies, stress-ng (hdd verified,
# mmap, fallocate with punched holes, sync_file_range) and writers that fill
# a second, small disk to ENOSPC, all in a memory cgroup far smaller than
# the files, for STRESS_SECS seconds; a hung task panics the guest after
# 10 s.
#
#   scripts/stress.sh [pristine|patched] [ext4|xfs|btrfs]   (default: patched ext4)
#
# Prints each check's PASS/FAIL line and ends with
#   stress-<which>-<fs>-<memcg>: N passed, N failed
# (also in build/<base>/results/); exits non-zero on a failure.  A guest that
# panicked or did not finish fails, with the hung tasks' stacks shown.
# Console log: build/<base>/stress/<which>-<fs>-<memcg>/console.log.
#
# Environment:
#   STRESS_SECS    seconds of load (default 300; issue 17 asks 1800)
#   STRESS_MEMCG   v1 or v2 (default v2)
#   STRESS_MEM     the cgroup's memory limit (default 48M)
#   STRESS_SIZE    size of each fio file (default 32m: three of them)
#   VM_NICE        niceness of QEMU (default 10)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"
. "$top/scripts/vm-lib.sh"
. "$top/scripts/vm-dyn.sh"

usage="usage: stress.sh [pristine|patched] [ext4|xfs|btrfs]"
which=${1:-patched} fs=${2:-ext4}
case "$which" in pristine|patched) ;; *) die "$usage" ;; esac
case "$fs" in ext4|xfs|btrfs) ;; *) die "$usage" ;; esac
mkfs_cmd "$fs" || die "$usage"
secs=${STRESS_SECS:-300} memcg=${STRESS_MEMCG:-v2} mem=${STRESS_MEM:-48M} size=${STRESS_SIZE:-32m}
[[ $secs =~ ^[1-9][0-9]*$ ]] || die "STRESS_SECS: seconds, not '$secs'"
case $memcg in v1|v2) ;; *) die "STRESS_MEMCG: v1 or v2, not '$memcg'" ;; esac
[[ $mem =~ ^[1-9][0-9]*M$ ]] || die "STRESS_MEM: a size like 48M, not '$mem'"
[[ $size =~ ^[1-9][0-9]*m$ ]] || die "STRESS_SIZE: a size like 32m, not '$size'"
need_pkgs qemu-system-x86_64:qemu-system-x86 gcc:gcc fio:fio mkfs.ext4:e2fsprogs mkfs.xfs:xfsprogs \
	mkfs.btrfs:btrfs-progs cpio:cpio /bin/busybox:busybox-static stress-ng:stress-ng
kernel=$B/x86-$which/arch/x86/boot/bzImage
[ -f "$kernel" ] || die "no kernel at ${kernel#"$top"/}; run 'scripts/kernel.sh $which'"
for opt in CONFIG_SYSVIPC=y CONFIG_TIMERFD=y CONFIG_POSIX_TIMERS=y CONFIG_MEMCG=y CONFIG_MEMCG_V1=y; do
	grep -qx "$opt" "$B/x86-$which/.config" ||
		die "${B#"$top"/}/x86-$which lacks $opt: rebuild it with 'scripts/kernel.sh $which'"
done
name=stress-$which-$fs-$memcg
out=$B/stress/${name#stress-}
mkdir -p "$out" "$B/results"
rm -f "$B/results/$name.txt"

files=("$top/vm/stress.sh:tests/stress" "$top/vm/stress.fio:etc/fio/stress.fio"
       "$top/vm/lib.sh:lib/plugcb.sh")
add_dynamic "$(command -v fio)" bin/fio
add_dynamic "$(command -v stress-ng)" bin/stress-ng
gcc -O2 -Wall -Werror -o "$out/reflink" "$top/vm/reflink.c" || die "building vm/reflink.c failed"
add_dynamic "$out/reflink" bin/reflink
make_initramfs "$out/initramfs.cpio.gz" "${files[@]}"
rm -f "$out/disk.img" "$out/full.img"
truncate -s 1G "$out/disk.img"
truncate -s 320M "$out/full.img"	# filled to ENOSPC again and again (mkfs.xfs: 300 MiB at least)
for img in disk full; do
	"${mkfs[@]}" "$out/$img.img" >/dev/null || die "${mkfs[0]} failed"
done

log=$out/console.log rc=0
echo "stress: $which kernel, $fs, memcg $memcg limited to $mem, fio files of $size, ${secs}s of load, log ${log#"$top"/}"
start=$(date +%s)
run_qemu "$kernel" "$out/initramfs.cpio.gz" "$log" $((secs + 600)) \
	"plugcb.run=stress stress.fs=$fs stress.secs=$secs stress.memcg=$memcg stress.mem=$mem stress.size=$size" \
	-drive "file=$out/disk.img,format=raw,if=virtio" -drive "file=$out/full.img,format=raw,if=virtio" || rc=$?
echo "stress: VM ran $(( $(date +%s) - start ))s (qemu exit $rc)"
tr -d '\r' <"$log" | grep -E '^stress(-check)?: ' | sed 's/^/  /' || true

# three fio loops, sync, read, truncate, stress-ng, enospc, umount, writeback,
# kernel log; reflink
want=11; [ "$fs" = ext4 ] || want=12
passed=$(tr -d '\r' <"$log" | grep -cE '^stress-check: [^ ]+ PASS' || true)
failed=$(tr -d '\r' <"$log" | grep -cE '^stress-check: [^ ]+ FAIL' || true)
if [ $rc = 124 ] || [ $rc = 137 ] || ! tr -d '\r' <"$log" | grep -q '^plugcb: done'; then
	echo "stress: the VM did not finish (qemu exit $rc); hung tasks and the last lines of the console:" >&2
	tr -d '\r' <"$log" | grep -E -A 25 'blocked for more than|Kernel panic' | head -n 120 | sed 's/^/  | /' >&2 || true
	tail -n 10 "$log" | sed 's/^/  | /' >&2
	failed=$((failed + 1))
elif [ $((passed + failed)) != "$want" ]; then
	echo "stress: $((passed + failed)) checks reported, expected $want" >&2
	failed=$((failed + 1))
fi
echo "$name: $passed passed, $failed failed" | tee "$B/results/$name.txt"
[ "$failed" = 0 ]
