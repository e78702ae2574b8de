#!/bin/bash
# Unmount and module unload with a punted bio in flight, on the patched
# kernel built with KASAN and kmemleak, ext4 and XFS as modules
# (scripts/kernel.sh patched-memcheck, config/memcheck.config):
#
#   scripts/unload.sh
#
# In QEMU (TCG), vm/unload.sh runs the reproducer's two unmount cases
# (ext4, XFS: umount while the flusher's bio is punted and waits on a frozen
# queue) with data fio wrote (verify=pattern, each block's offset in it);
# after their remount, fio verifies each file; then both filesystems are
# unmounted and their modules unloaded, kmemleak scans and the kernel log
# is checked; last, a planted leak and a planted write after free must be
# reported (the checks can fail).  Checks, one line each:
#   ext4_unmount_waits_for_punted_bio, xfs_unmount_waits_for_punted_bio
#                        the case's KUnit verdict (progress, PASSED)
#   fio-verify-ext4-b, fio-verify-xfs-b
#                        the last write verifies after the remount, the first does not
#   rmmod-ext4, rmmod-xfs, kmemleak, kernel-log (the guest's dmesg from the
#                        first mount on), console-kasan (no KASAN report on the
#                        whole console before the planted bugs, boot-time KUnit included)
#   kmemleak-selftest, kasan-selftest
# Ends with "unload-patched: N passed, N failed" (also in
# build/<base>/results/unload-patched.txt); exits non-zero on a failure.
# Console log: build/<base>/unload/console.log.
#
# Environment: UNLOAD_TIMEOUT (seconds QEMU may run, default 1200),
# REPRO_NICE (builds and QEMU, default 10), VM_TSC_KHZ (see vm-lib.sh).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"
. "$top/scripts/vm-lib.sh"
. "$top/scripts/vm-dyn.sh"

[ $# = 0 ] || die "usage: scripts/unload.sh (no arguments; BASE selects the series)"
need_pkgs qemu-system-x86_64:qemu-system-x86 mkfs.ext4:e2fsprogs mkfs.xfs:xfsprogs fio:fio \
	depmod:kmod cpio:cpio /bin/busybox:busybox-static
kdir=$B/x86-patched-memcheck
out=$B/unload
name=unload-patched
kunitpy=$B/linux/tools/testing/kunit/kunit.py
cases=(ext4_unmount_waits_for_punted_bio xfs_unmount_waits_for_punted_bio)
[ -f "$kdir/arch/x86/boot/bzImage" ] ||
	die "no kernel in ${kdir#"$top"/}; run 'scripts/kernel.sh patched-memcheck'"
for opt in CONFIG_KASAN=y CONFIG_DEBUG_KMEMLEAK=y CONFIG_EXT4_FS=m CONFIG_XFS_FS=m \
	CONFIG_SYSVIPC=y CONFIG_TIMERFD=y CONFIG_LKDTM=m CONFIG_SAMPLE_KMEMLEAK=m; do
	grep -qx "$opt" "$kdir/.config" || die "${kdir#"$top"/} lacks $opt: rebuild it with 'scripts/kernel.sh patched-memcheck'"
done
rm -rf "$out" && mkdir -p "$out" "$B/results"
rm -f "$B/results/$name.txt"

build_test_module "$kdir" "$out/module" "$out"
echo "unload: module built against ${kdir#"$top"/}"
# The kernel's modules, as modprobe finds them (depmod runs here).
make -s -C "$B/linux" O="$kdir" INSTALL_MOD_PATH="$out/modroot" INSTALL_MOD_STRIP=1 \
	modules_install >"$out/modules_install.log" 2>&1 ||
	die "make modules_install failed; log: ${out#"$top"/}/modules_install.log"
files=("$top/vm/unload.sh:tests/unload" "$top/vm/lib.sh:lib/plugcb.sh"
	"$out/module/writeback_deadlock_kunit.ko:lib/modules/writeback_deadlock_kunit.ko")
while read -r f; do
	files+=("$f:${f#"$out/modroot/"}")
done < <(find "$out/modroot/lib/modules" -type f)
add_dynamic "$(command -v fio)" bin/fio
# The two data sets: 64 KiB each, every 4 KiB block its pattern and offset.
for set in 1:0x5a5a5a5a 2:0xa5a5a5a5; do
	fio --name=set --filename="$out/set${set%%:*}" --rw=write --bs=4k --size=64k \
		--ioengine=psync --verify=pattern --verify_pattern="${set#*:}%o" --do_verify=0 --verify_state_save=0 \
		>"$out/set${set%%:*}.log" 2>&1 || die "fio could not write data set ${set%%:*}"
	files+=("$out/set${set%%:*}:data/set${set%%:*}")
done
make_initramfs "$out/initramfs.cpio.gz" "${files[@]}"

truncate -s 32M "$out/ext4.img"
truncate -s 300M "$out/xfs.img"	# mkfs.xfs 6.1 refuses less
mkfs.ext4 -q -F -b 4096 "$out/ext4.img" || die "mkfs.ext4 failed"
mkfs.xfs -q -f "$out/xfs.img" || die "mkfs.xfs failed"

log=$out/console.log secs=${UNLOAD_TIMEOUT:-1200} rc=0
echo "unload: booting ${kdir#"$top"/} (KASAN, kmemleak; TCG, timeout ${secs}s), log ${log#"$top"/}"
start=$(date +%s)
VM_NICE=${REPRO_NICE:-10} run_qemu "$kdir/arch/x86/boot/bzImage" "$out/initramfs.cpio.gz" "$log" "$secs" \
	"plugcb.run=unload kunit.filter_glob=writeback_deadlock.*unmount*" \
	-drive "file=$out/ext4.img,format=raw,if=virtio" \
	-drive "file=$out/xfs.img,format=raw,if=virtio" || rc=$?
echo "unload: VM ran $(( $(date +%s) - start ))s (qemu exit $rc)"
tr -d '\r' <"$log" >"$out/console.txt"
grep -E '^unload: ' "$out/console.txt" | sed 's/^/  /' || true

# The cases' verdicts, from their KTAP (after the insmod line).
sed -n '/^repro: insmod /,$p' "$out/console.txt" >"$out/ktap.log"
python3 "$kunitpy" parse "$out/ktap.log" >"$out/kunit.txt" 2>&1 || true
checks=()
for c in "${cases[@]}"; do
	outcome=$(sed -n "s/.*# $c: result: outcome=\([^ ]*\).*/\1/p" "$out/ktap.log" | tail -n1)
	if grep -q "\[PASSED\] $c\$" "$out/kunit.txt" && [ "$outcome" = progress ]; then
		checks+=("$c PASS (outcome=progress)")
	else
		checks+=("$c FAIL (outcome=${outcome:-none}, $(grep -oE "\[[A-Z]+\] $c\$" "$out/kunit.txt" || echo 'no KUnit status'))")
	fi
done
while read -r line; do
	checks+=("$line")
done < <(sed -n 's/^unload-check: //p' "$out/console.txt")
# KASAN on the whole console up to the planted bugs (the boot's KUnit suites included).
if sed '/^unload-check: kernel-log /q' "$out/console.txt" | grep -q 'BUG: KASAN'; then
	checks+=("console-kasan FAIL ($(grep -m1 'BUG: KASAN' "$out/console.txt"))")
else
	checks+=("console-kasan PASS (no KASAN report on the console before the planted bugs)")
fi

want=(ext4_unmount_waits_for_punted_bio xfs_unmount_waits_for_punted_bio fio-verify-ext4-b
	fio-verify-xfs-b rmmod-ext4 rmmod-xfs kmemleak kernel-log console-kasan
	kmemleak-selftest kasan-selftest)
passed=0 failed=0
for w in "${want[@]}"; do
	line=$(printf '%s\n' "${checks[@]}" | grep -m1 "^$w " || true)
	[ -n "$line" ] || line="$w FAIL (no result)"
	echo "  $line"
	case $line in "$w PASS"*) passed=$((passed + 1)) ;; *) failed=$((failed + 1)) ;; esac
done
if [ $rc = 124 ] || [ $rc = 137 ] || ! grep -q '^plugcb: done' "$out/console.txt"; then
	echo "unload: the VM did not finish (qemu exit $rc); last lines of the console:" >&2
	tail -n 20 "$out/console.txt" | sed 's/^/  | /' >&2
	failed=$((failed + 1))
fi
if [ $failed != 0 ]; then
	grep -E '^unload: (kmemleak|dmesg) \|' "$out/console.txt" | head -n 40 | sed 's/^/  /' >&2 || true
fi
echo "$name: $passed passed, $failed failed" | tee "$B/results/$name.txt"
[ "$failed" = 0 ]
