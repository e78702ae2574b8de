#!/bin/bash
# Boots a kernel built by kernel.sh in QEMU (TCG) with a busybox initramfs,
# under a wall-clock timeout, and parses the KTAP its built-in KUnit suites
# print with the kernel's own kunit.py.
#   scripts/boot.sh patched|pristine
# Log: build/<base>/vm/<which>.log.  Prints "<suite>: N passed, N failed, N skipped"
# into build/<base>/results/boot-<which>.txt.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"
. "$top/scripts/vm-lib.sh"

which=${1:-patched}
timeout_s=${BOOT_TIMEOUT:-300}
kernel=$B/x86-$which/arch/x86/boot/bzImage
[ -f "$kernel" ] || die "no kernel at $kernel; run 'make kernel'"
vm=$B/vm
mkdir -p "$vm" "$B/results"

make_initramfs "$vm/initramfs.cpio.gz"
log=$vm/$which.log
echo "boot: $which kernel in QEMU (TCG, timeout ${timeout_s}s), log ${log#$top/}"
start=$(date +%s)
rc=0
VM_NICE=0 run_qemu "$kernel" "$vm/initramfs.cpio.gz" "$log" "$timeout_s" "${BOOT_APPEND:-}" || rc=$?
secs=$(( $(date +%s) - start ))
if [ $rc = 124 ] || [ $rc = 137 ]; then
	echo "boot: TIMEOUT after ${secs}s; last lines of the console:" >&2
	tail -n 20 "$log" | sed 's/^/  | /' >&2
fi
grep -q '^plugcb: done' "$log" || echo "boot: the VM did not reach the end of init (qemu exit $rc)" >&2
echo "boot: $which VM ran ${secs}s"

# kunit.py parse: the kernel's KTAP reader
python3 "$B/linux/tools/testing/kunit/kunit.py" parse "$log" >"$vm/$which.kunit.txt" 2>&1 || true
sed -n '/=====/,$p' "$vm/$which.kunit.txt" | grep -E '^\[|=====' | sed 's/^\[[^]]*\] //' | tail -n 40
summary=$(grep -E 'Ran [0-9]+ tests?' "$vm/$which.kunit.txt" | tail -n1 || true)
passed=$(sed -n 's/.*passed: \([0-9]*\).*/\1/p' <<<"$summary"); passed=${passed:-0}
failed=$(sed -n 's/.*failed: \([0-9]*\).*/\1/p' <<<"$summary"); failed=${failed:-0}
skipped=$(sed -n 's/.*skipped: \([0-9]*\).*/\1/p' <<<"$summary"); skipped=${skipped:-0}
crashed=$(sed -n 's/.*crashed: \([0-9]*\).*/\1/p' <<<"$summary"); failed=$((failed + ${crashed:-0}))
if [ -z "$summary" ] || ! grep -q '^plugcb: done' "$log"; then
	failed=$((failed + 1))	# the boot itself counts as a failed test
fi
echo "boot-$which: $passed passed, $failed failed, $skipped skipped" | tee "$B/results/boot-$which.txt"
[ "$failed" = 0 ]
