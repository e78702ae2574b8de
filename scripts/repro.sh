#!/bin/bash
# Reproduces the writeback deadlock of the 2018 thread, bounded, in QEMU:
# the out-of-tree KUnit module kunit/writeback_deadlock/ runs on ext4 (4 KiB
# and 1 KiB blocks), XFS and btrfs, plus a second ext4 (4 KiB), XFS and
# btrfs disk for the two-disk cases, and each case's outcome is compared
# with repro/expected-<base>.
#
#   scripts/repro.sh [pristine] [patched]     (default: both, in that order)
#
# Per kernel (build/<base>/x86-<which>, built by scripts/kernel.sh <which>):
#   - make modules_prepare in the build dir, build the module against it
#     in build/<base>/repro/<which>/module;
#   - fresh disk images (build/<base>/repro/disks), an initramfs with the module
#     and vm/repro.sh as /tests/repro;
#   - QEMU (TCG) under a wall-clock timeout; console log in
#     build/<base>/repro/<which>/console.log, the module's KTAP parsed with kunit.py;
#   - prints each case's outcome and times, and
#     "repro-<which>: N passed, N failed" ("passed": matched repro/expected-<base>),
#     also written to build/<base>/results/repro-<which>.txt.
# Exits non-zero if any case did not match, or a VM did not finish.
#
# Environment:
#   REPRO_TIMEOUT  seconds QEMU may run (default 900)
#   REPRO_FILTER   kunit.filter_glob (default writeback_deadlock; e.g.
#                  'writeback_deadlock.xfs_*'; cases filtered out are not
#                  compared, a selected case that did not report fails)
#   REPRO_ARGS     module parameters, comma separated (e.g. bound_ms=5000)
#   REPRO_NICE     niceness of the builds and of QEMU (default 10)
#   REPRO_WAIT     seconds to wait for another make in the build dir (1800)
#   VM_TSC_KHZ     the guest's TSC rate (default: the host's, which TCG uses)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"
. "$top/scripts/vm-lib.sh"

timeout_s=${REPRO_TIMEOUT:-900}
filter=${REPRO_FILTER:-writeback_deadlock}
args=${REPRO_ARGS:-}
nice_n=${REPRO_NICE:-10}
expected=$top/repro/expected-$BASE
out=$B/repro
kunitpy=$B/linux/tools/testing/kunit/kunit.py

kernels=("$@")
[ ${#kernels[@]} -gt 0 ] || kernels=(pristine patched)
for which in "${kernels[@]}"; do
	case "$which" in pristine|patched) ;; *) die "usage: repro.sh [pristine] [patched]" ;; esac
done
case "$args" in *' '*) die "REPRO_ARGS: separate module parameters with commas, not spaces" ;; esac

need_pkgs qemu-system-x86_64:qemu-system-x86 mkfs.ext4:e2fsprogs mkfs.xfs:xfsprogs \
	mkfs.btrfs:btrfs-progs mkfs.vfat:dosfstools mkfs.f2fs:f2fs-tools cpio:cpio /bin/busybox:busybox-static
[ -f "$expected" ] || die "no $expected"
[ -f "$kunitpy" ] || die "no $kunitpy; run 'make tree'"
mkdir -p "$out" "$B/results"

build_module() {	# which
	build_test_module "$B/x86-$1" "$out/$1/module" "$out/$1"
}

make_disks() {
	local d=$out/disks
	mkdir -p "$d"
	rm -f "$d"/*.img
	# Sparse files (on the host xfs takes about 65M, the others 5M).  The -b
	# images are the second disk of their type (the two-disk cases).
	truncate -s 32M "$d/ext4.img" "$d/ext4-1k.img" "$d/ext4-b.img"
	truncate -s 300M "$d/xfs.img" "$d/xfs-b.img"	# mkfs.xfs 6.1 refuses less
	truncate -s 128M "$d/btrfs.img" "$d/btrfs-b.img"	# mkfs.btrfs 6.2 refuses less than 114 MiB
	mkfs.ext4 -q -F -b 4096 "$d/ext4.img" || die "mkfs.ext4 -b 4096 failed"
	mkfs.ext4 -q -F -b 1024 "$d/ext4-1k.img" || die "mkfs.ext4 -b 1024 failed"
	mkfs.xfs -q -f "$d/xfs.img" || die "mkfs.xfs failed"
	mkfs.btrfs -q -f "$d/btrfs.img" >/dev/null || die "mkfs.btrfs failed"
	mkfs.ext4 -q -F -b 4096 "$d/ext4-b.img" || die "mkfs.ext4 -b 4096 (second disk) failed"
	mkfs.xfs -q -f "$d/xfs-b.img" || die "mkfs.xfs (second disk) failed"
	mkfs.btrfs -q -f "$d/btrfs-b.img" >/dev/null || die "mkfs.btrfs (second disk) failed"
	# mpage_writepages(): ext2 and vfat, with 4 KiB and 1 KiB blocks (vfat's
	# block is its logical sector)
	truncate -s 32M "$d/ext2.img" "$d/ext2-1k.img" "$d/vfat.img" "$d/vfat-1k.img"
	mkfs.ext2 -q -F -b 4096 "$d/ext2.img" || die "mkfs.ext2 -b 4096 failed"
	mkfs.ext2 -q -F -b 1024 "$d/ext2-1k.img" || die "mkfs.ext2 -b 1024 failed"
	mkfs.vfat -S 4096 "$d/vfat.img" >/dev/null || die "mkfs.vfat -S 4096 failed"
	mkfs.vfat -S 1024 "$d/vfat-1k.img" >/dev/null || die "mkfs.vfat -S 1024 failed"
	# f2fs: out-of-place updates (merged bios) and, with the guest forcing
	# ipu_policy, in-place updates
	truncate -s 64M "$d/f2fs.img" "$d/f2fs-ipu.img"
	mkfs.f2fs -q -f "$d/f2fs.img" || die "mkfs.f2fs failed"
	mkfs.f2fs -q -f "$d/f2fs-ipu.img" || die "mkfs.f2fs (in-place updates) failed"
}

# One row per case that ran: case, outcome, detail, expected, ok|MISMATCH.
# The status comes from kunit.py parse; the outcome and times from the
# "result:" line each case prints.  A case whose status disagrees with its
# outcome (progress must pass; stalled, y-locked, y-idle must fail) is
# "inconsistent".
# Whether REPRO_FILTER ("suite_glob[.case_glob]", as kunit.filter_glob)
# selects a case.
selected() {	# case
	local suite_glob=${filter%%.*} case_glob='*'
	[[ $filter == *.* ]] && case_glob=${filter#*.}
	# shellcheck disable=SC2053 # the globs are patterns on purpose
	[[ writeback_deadlock == $suite_glob && $1 == $case_glob ]]
}

results() {	# which
	local which=$1 dir=$out/$1 col c sel=""
	col=$([ "$which" = pristine ] && echo 2 || echo 3)
	while read -r c; do
		if selected "$c"; then sel+=" $c"; fi
	done < <(awk '!/^#/ && NF >= 3 { print $1 }' "$expected")
	awk -v col="$col" -v kunit="$dir/kunit.txt" -v ktap="$dir/ktap.log" -v sel="$sel " '
	BEGIN {
		while ((getline l < kunit) > 0) {
			if (match(l, /\[(PASSED|FAILED|SKIPPED|CRASHED)\] [a-z0-9_]+/)) {
				split(substr(l, RSTART, RLENGTH), f, " ")
				gsub(/\[|\]/, "", f[1])
				status[f[2]] = f[1]
			}
		}
		while ((getline l < ktap) > 0) {
			if (match(l, /# [a-z0-9_]+: result: outcome=/)) {
				n = split(substr(l, RSTART + 2), f, " ")
				c = f[1]; sub(/:$/, "", c)
				for (i = 2; i <= n; i++) {
					split(f[i], kv, "=")
					if (kv[1] == "outcome") outcome[c] = kv[2]
					if (kv[1] == "wb_us") wb[c] = kv[2]
					if (kv[1] == "tail_us") tail[c] = kv[2]
				}
			}
		}
	}
	function ms(us) {
		if (us ~ /^</) return "<" sprintf("%.1f ms", substr(us, 2) / 1000)
		return sprintf("%.1f ms", us / 1000)
	}
	/^#/ || NF < 3 { next }
	{
		c = $1; want = $col
		if (index(sel, " " c " ") == 0) { next }	# filtered out
		got = outcome[c]; detail = "-"
		if (status[c] == "SKIPPED") got = "skipped"
		else if (got == "") got = status[c] == "" ? "missing" : "no-result(" status[c] ")"
		else if ((got == "progress") != (status[c] == "PASSED")) got = "inconsistent(" got "," status[c] ")"
		if (outcome[c] == "progress") detail = ms(wb[c])
		if (outcome[c] == "stalled") {
			detail = ms(wb[c])
			detail = detail (tail[c] >= 0 ? ", ends " ms(tail[c]) " after release" : ", still under writeback after release")
		}
		printf "%s\t%s\t%s\t%s\t%s\n", c, got, detail, want, got == want ? "ok" : "MISMATCH"
	}' "$expected"
}

run_kernel() {	# which
	local which=$1 dir=$out/$1 rc=0 start secs passed failed ran
	mkdir -p "$dir"
	echo "repro: $which ($(cat "$B/linux/.git/plugcb-base" 2>/dev/null || echo 'base unknown'))"
	build_module "$which"
	echo "repro: module built against build/$BASE/x86-$which"
	make_disks
	make_initramfs "$dir/initramfs.cpio.gz" \
		"$top/vm/repro.sh:tests/repro" \
		"$dir/module/writeback_deadlock_kunit.ko:lib/modules/writeback_deadlock_kunit.ko"

	local d=$out/disks log=$dir/console.log append
	append="plugcb.run=repro kunit.filter_glob=$filter${args:+ repro.args=$args}"
	echo "repro: booting $which (TCG, timeout ${timeout_s}s), log ${log#"$top"/}"
	start=$(date +%s)
	VM_NICE=$nice_n run_qemu "$B/x86-$which/arch/x86/boot/bzImage" "$dir/initramfs.cpio.gz" \
		"$log" "$timeout_s" "$append" \
		-drive "file=$d/ext4.img,format=raw,if=virtio" \
		-drive "file=$d/ext4-1k.img,format=raw,if=virtio" \
		-drive "file=$d/xfs.img,format=raw,if=virtio" \
		-drive "file=$d/btrfs.img,format=raw,if=virtio" \
		-drive "file=$d/ext4-b.img,format=raw,if=virtio" \
		-drive "file=$d/xfs-b.img,format=raw,if=virtio" \
		-drive "file=$d/btrfs-b.img,format=raw,if=virtio" \
		-drive "file=$d/ext2.img,format=raw,if=virtio" \
		-drive "file=$d/ext2-1k.img,format=raw,if=virtio" \
		-drive "file=$d/vfat.img,format=raw,if=virtio" \
		-drive "file=$d/vfat-1k.img,format=raw,if=virtio" \
		-drive "file=$d/f2fs.img,format=raw,if=virtio" \
		-drive "file=$d/f2fs-ipu.img,format=raw,if=virtio" || rc=$?
	secs=$(( $(date +%s) - start ))
	local finished=1
	if [ $rc = 124 ] || [ $rc = 137 ]; then
		echo "repro: $which TIMEOUT after ${secs}s; last lines of the console:" >&2
		tail -n 20 "$log" | sed 's/^/  | /' >&2
		finished=0
	elif ! grep -q '^plugcb: done' "$log"; then
		echo "repro: $which VM did not reach the end of init (qemu exit $rc)" >&2
		tail -n 20 "$log" | sed 's/^/  | /' >&2
		finished=0
	fi
	grep -E '^repro: (mount|no disk)' "$log" | grep -v mounted | sed 's/^/  /' >&2 || true
	echo "repro: $which VM ran ${secs}s, clocksource $(sed -n 's/.*clocksource: Switched to clocksource \([^ ]*\).*/\1/p' "$log" | tail -n1)"

	# The module's KTAP: everything after the marker (the kernel's own
	# boot-time KTAP comes before it).
	sed -n '/^repro: insmod /,$p' "$log" >"$dir/ktap.log"
	python3 "$kunitpy" parse "$dir/ktap.log" >"$dir/kunit.txt" 2>&1 || true
	results "$which" >"$dir/results.tsv"

	ran=$(wc -l <"$dir/results.tsv")
	passed=$(awk -F'\t' '$5 == "ok"' "$dir/results.tsv" | wc -l)
	failed=$((ran - passed))
	if [ "$ran" = 0 ] || [ $finished = 0 ]; then
		failed=$((failed + 1))	# the run itself counts as a failed test
	fi
	echo "repro-$which: $passed passed, $failed failed" >"$dir/summary.txt"
	cp "$dir/summary.txt" "$B/results/repro-$which.txt"
}

for which in "${kernels[@]}"; do
	run_kernel "$which"
done

# Table: one row per case, one column per kernel run now.
echo
{
	printf 'case'
	for which in "${kernels[@]}"; do printf '\t%s' "$which"; done
	printf '\n'
	awk '!/^#/ && NF >= 3 { print $1 }' "$expected" | while read -r c; do
		line=$c any=0
		for which in "${kernels[@]}"; do
			row=$(awk -F'\t' -v c="$c" '$1 == c' "$out/$which/results.tsv")
			if [ -z "$row" ]; then
				line+=$'\tnot run'
				continue
			fi
			any=1
			IFS=$'\t' read -r _ got detail want ok <<<"$row"
			cell=$got
			[ "$detail" != - ] && cell+=" ($detail)"
			[ "$ok" = ok ] || cell+=" MISMATCH, expected $want"
			line+=$'\t'$cell
		done
		if [ $any = 1 ]; then printf '%s\n' "$line"; fi
	done
} | column -t -s $'\t'
echo

rc=0
for which in "${kernels[@]}"; do
	cat "$out/$which/summary.txt"
	grep -q ' 0 failed$' "$out/$which/summary.txt" || rc=1
done
exit $rc
