#!/bin/busybox sh
# Runs in the test VM as /tests/unload (plugcb.run=unload; scripts/unload.sh
# builds the kernel with KASAN and kmemleak, the initramfs and the disks).
# Unmount and module unload with a punted bio in flight:
#  1. modprobe ext4 and xfs (modules in this kernel); mount /dev/vda (ext4)
#     on /mnt/ext4-b and /dev/vdb (XFS) on /mnt/xfs-b;
#  2. insmod the writeback_deadlock module with first_data and last_data,
#     two 64 KiB data sets fio wrote on the host with verify=pattern, the
#     block's offset in each pattern (0x5a5a5a5a%o, then 0xa5a5a5a5%o): its
#     unmount cases (kunit.filter_glob) write set 1 and fsync it, write set
#     2, and umount while the flusher's bio of set 2 is punted and waits in
#     flight on the frozen queue; thawed, umount returns and they mount the
#     disk again (KTAP on the console, judged by the host);
#  3. fio --verify_only reads each case's file back: set 2 must verify
#     (every block the last write, at its own offset) and set 1 must not
#     (so the check sees which write reached the disk);
#  4. umount both, rmmod the test module, xfs, ext4, jbd2 and mbcache;
#  5. kmemleak scans twice; the kernel log must have no KASAN report, BUG,
#     WARNING, lockdep splat or hung task from step 1 on;
#  6. then the detectors themselves: a planted leak (samples/kmemleak) and a
#     planted write after free (lkdtm) must be reported.
# One line per check:  unload-check: <name> PASS|FAIL (...)
set -u
export LD_LIBRARY_PATH=/usr/lib/dyn
kml=/sys/kernel/debug/kmemleak
result() { echo "unload-check: $1 $2 ($3)"; }

# KASAN reports from the boot's KUnit suites would be in the kernel log
# already: the host looks at the whole console.  From here on, dmesg.
dmesg -c >/dev/null
[ -w $kml ] && echo clear >$kml
echo "unload: CPUs $(grep -c ^processor /proc/cpuinfo), kernel $(uname -r)"

# The kernel loads what it asks for by name (6.12's crc32c comes from the
# crypto API: crypto-crc32c) through busybox's modprobe.
echo /bin/modprobe >/proc/sys/kernel/modprobe
for m in ext4 xfs; do
	modprobe "$m" || echo "unload: modprobe $m failed"
done
mount_one() {	# device fstype dir
	mkdir -p "$3"
	if mount -t "$2" "$1" "$3"; then
		echo "unload: mounted $1 ($2) on $3"
	else
		echo "unload: mount -t $2 $1 $3 failed"
	fi
}
mount_one /dev/vda ext4 /mnt/ext4-b
mount_one /dev/vdb xfs /mnt/xfs-b
echo 0 >/proc/sys/vm/dirty_writeback_centisecs

mod=/lib/modules/writeback_deadlock_kunit.ko
echo "repro: insmod $mod first_data=/data/set1 last_data=/data/set2"
insmod $mod first_data=/data/set1 last_data=/data/set2
echo "repro: insmod exited $?"

verify() {	# file pattern -> fio's exit status; its output in /tmp/verify.out
	fio --name=wbdl --filename="$1" --rw=write --bs=4k --size=64k --ioengine=psync \
		--verify=pattern --verify_pattern="$2" --verify_only >/tmp/verify.out 2>&1
}
for c in ext4-b:ext4_unmount_waits_for_punted_bio xfs-b:xfs_unmount_waits_for_punted_bio; do
	f=/mnt/${c%%:*}/${c#*:}
	if [ ! -f "$f" ]; then
		result "fio-verify-${c%%:*}" FAIL "no $f"
		continue
	fi
	verify "$f" '0xa5a5a5a5%o'; last=$?
	bad=$(grep -m1 -E 'bad pattern|got pattern' /tmp/verify.out)
	verify "$f" '0x5a5a5a5a%o'; first=$?
	if [ $last = 0 ] && [ $first != 0 ]; then
		result "fio-verify-${c%%:*}" PASS "$f after remount: the last write verifies, fio exit 0; the first does not, exit $first"
	else
		result "fio-verify-${c%%:*}" FAIL "$f after remount: last write exit $last${bad:+ ($bad)}, first write exit $first"
	fi
done

for d in /mnt/ext4-b /mnt/xfs-b; do
	umount "$d" || echo "unload: umount $d failed"
done
for m in writeback_deadlock_kunit xfs ext4 jbd2 mbcache; do
	[ -d "/sys/module/$m" ] || continue
	if rmmod "$m"; then
		echo "unload: rmmod $m"
	else
		echo "unload: rmmod $m failed"
	fi
done
for m in ext4 xfs; do
	if [ -d "/sys/module/$m" ]; then
		result "rmmod-$m" FAIL "/sys/module/$m still there: $(cat /sys/module/$m/refcnt 2>/dev/null) references"
	else
		result "rmmod-$m" PASS "unloaded after its filesystem was unmounted with a punted bio in flight"
	fi
done

if [ -w $kml ]; then
	# An object is reported once it has been unreferenced for 5 s and two scans.
	echo scan >$kml; sleep 6; echo scan >$kml
	n=$(grep -c '^unreferenced object' $kml)
	if [ "$n" = 0 ]; then
		result kmemleak PASS "no unreferenced object after two scans"
	else
		result kmemleak FAIL "$n unreferenced objects"
		head -n 60 $kml | sed 's/^/unload: kmemleak | /'
	fi
else
	result kmemleak FAIL "no $kml (CONFIG_DEBUG_KMEMLEAK, debugfs)"
fi

. /lib/plugcb.sh
if kernel_log_splats unload; then
	result kernel-log FAIL "dmesg has a KASAN report, warning or splat"
else
	result kernel-log PASS "no KASAN report, WARNING, BUG, hung task or lockdep splat in dmesg"
fi

# The detectors can fail: what they must find, planted after the checks.
if modprobe kmemleak-test && rmmod kmemleak_test && [ -w $kml ]; then
	echo scan >$kml; sleep 6; echo scan >$kml
	n=$(grep -c '^unreferenced object' $kml)
	if [ "$n" -gt 0 ]; then
		result kmemleak-selftest PASS "after samples/kmemleak leaked on purpose, kmemleak reports $n unreferenced object(s)"
	else
		result kmemleak-selftest FAIL "kmemleak missed the leaks of samples/kmemleak"
	fi
else
	result kmemleak-selftest FAIL "cannot load samples/kmemleak (kmemleak-test)"
fi
dmesg -c >/dev/null
if modprobe lkdtm && echo WRITE_AFTER_FREE >/sys/kernel/debug/provoke-crash/DIRECT; then
	if dmesg | grep -qE 'BUG: KASAN: [a-z-]*use-after-free'; then
		result kasan-selftest PASS "KASAN reports lkdtm's WRITE_AFTER_FREE: $(dmesg | grep -m1 -oE 'BUG: KASAN: .*')"
	else
		result kasan-selftest FAIL "no KASAN report for lkdtm's WRITE_AFTER_FREE"
	fi
else
	result kasan-selftest FAIL "cannot load lkdtm or provoke WRITE_AFTER_FREE"
fi
