#!/bin/bash
# The writeback deadlock without a test module: an ordinary workload on ext4
# data=journal (repro/natural-triggers.md, section 1; vm/natural.sh) in QEMU.
#
#   scripts/natural.sh [pristine] [patched]     (default: both, in that order)
#
# Per kernel (build/<base>/x86-<which>, built by scripts/kernel.sh <which>), each of
# NATURAL_RUNS runs boots a fresh ext4 disk and a disk of random data, runs
# the load for NATURAL_SECS seconds and judges the run:
#   deadlock   the workers are still stuck 30 s after their end, with hung
#              task reports (the writeback task's io_bio never sent)
#   completed  every worker finished, no hung task, no WARNING/BUG/lockdep
#   error(..)  anything else (the VM did not finish, a splat, ...)
# Expected: pristine deadlocks in at least one run (the test can fail),
# patched completes in every run.  Result lines go to
# build/<base>/results/natural-<which>.txt; logs to build/<base>/natural/<which>/.
#
# Environment: NATURAL_SECS (60), NATURAL_RUNS (pristine 2, patched 2; a
# pristine run after the first deadlock is skipped), NATURAL_MB (32),
# NATURAL_DIO (1; 0 is the control without pinned dirtying), NATURAL_TIMEOUT
# (seconds one VM may run, default NATURAL_SECS + 300).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"
. "$top/scripts/vm-lib.sh"

secs=${NATURAL_SECS:-60} mb=${NATURAL_MB:-32} dio=${NATURAL_DIO:-1}
timeout_s=${NATURAL_TIMEOUT:-$((secs + 300))}
for n in "$secs" "$mb" "$timeout_s"; do [[ $n =~ ^[1-9][0-9]*$ ]] || die "NATURAL_SECS, NATURAL_MB and NATURAL_TIMEOUT are numbers"; done
kernels=("$@")
[ ${#kernels[@]} -gt 0 ] || kernels=(pristine patched)
for which in "${kernels[@]}"; do
	case $which in pristine | patched) ;; *) die "usage: scripts/natural.sh [pristine] [patched]" ;; esac
done
need_pkgs gcc:build-essential mkfs.ext4:e2fsprogs qemu-system-x86_64:qemu-system-x86 \
	/bin/busybox:busybox-static /usr/lib/x86_64-linux-gnu/libc.a:libc6-dev
out=$B/natural
mkdir -p "$out" "$B/results"

gcc -static -O2 -Wall -Werror -o "$out/natural-load" "$top/vm/natural-load.c" ||
	die "cannot build vm/natural-load.c"
make_initramfs "$out/initramfs.cpio.gz" "$out/natural-load:bin/natural-load" \
	"$top/vm/natural.sh:tests/natural"

# run_one <which> <i> -> prints the verdict
run_one() {
	local which=$1 i=$2 dir=$out/$1 rc=0 log workers hung splats qpid
	log=$dir/run-$i.log
	rm -f "$dir/disk.img" "$dir/src.img"
	truncate -s 512M "$dir/disk.img"
	mkfs.ext4 -q -F -J size=4 "$dir/disk.img" || die "mkfs.ext4 failed"
	head -c 64M /dev/urandom >"$dir/src.img"
	run_qemu "$B/x86-$which/arch/x86/boot/bzImage" "$out/initramfs.cpio.gz" "$log" \
		"$timeout_s" "plugcb.run=natural natural.secs=$secs natural.mb=$mb natural.dio=$dio" \
		-drive "file=$dir/disk.img,format=raw,if=virtio" \
		-drive "file=$dir/src.img,format=raw,if=virtio" &
	qpid=$!
	# A deadlocked guest cannot always reboot (its devices do not shut
	# down): once it has printed its verdict, give it 5 s, then stop QEMU.
	while kill -0 $qpid 2>/dev/null; do
		if grep -aq '^natural: splats:' "$log" 2>/dev/null; then
			for _ in $(seq 5); do kill -0 $qpid 2>/dev/null || break; sleep 1; done
			pkill -f -- "file=$dir/disk.img" 2>/dev/null || true
			break
		fi
		sleep 2
	done
	wait $qpid || rc=$?
	rm -f "$dir/disk.img" "$dir/src.img"
	workers=$(sed -n 's/^natural: workers: //p' "$log" | tr -d '\r')
	hung=$(sed -n 's/^natural: hung-task reports: //p' "$log" | tr -d '\r')
	splats=$(sed -n 's/^natural: splats: //p' "$log" | tr -d '\r')
	if [ -z "$workers" ] && { [ $rc = 124 ] || [ $rc = 137 ]; }; then
		echo "error(VM timed out after ${timeout_s}s)"
	elif [ -z "$workers" ]; then
		echo "error(no verdict line; qemu exit $rc)"
	elif [ "$workers" = stuck ] && [ "${hung:-0}" -gt 0 ]; then
		echo "deadlock"
	elif [ "$workers" = done ] && [ "${hung:-1}" = 0 ] && [ "${splats:-1}" = 0 ]; then
		echo "completed"
	else
		echo "error(workers $workers, $hung hung-task reports, $splats splats)"
	fi
}

for which in "${kernels[@]}"; do
	dir=$out/$which
	kernel=$B/x86-$which/arch/x86/boot/bzImage
	[ -f "$kernel" ] || die "no kernel at ${kernel#"$top"/}; run 'scripts/kernel.sh $which'"
	mkdir -p "$dir"
	rm -f "$dir"/run-*.log
	runs=${NATURAL_RUNS:-2}
	[[ $runs =~ ^[1-9][0-9]*$ ]] || die "NATURAL_RUNS must be a positive number"
	echo "natural: $which ($(cat "$B/linux/.git/plugcb-base" 2>/dev/null)), ext4 data=journal," \
		"$runs run(s) of ${secs} s, dio=$dio, logs in ${dir#"$top"/}"
	deadlocks=0 completed=0 errors=0
	for i in $(seq 1 "$runs"); do
		t0=$(date +%s)
		v=$(run_one "$which" "$i")
		echo "natural: $which run $i: $v ($(( $(date +%s) - t0 )) s)"
		case $v in
		deadlock) deadlocks=$((deadlocks + 1))
			  { grep -a -E '^natural: (vda inflight|meminfo)|^== ' "$dir/run-$i.log" || true; } |
				  head -n 8 | sed 's/^/  /' ;;
		completed) completed=$((completed + 1)) ;;
		*) errors=$((errors + 1))
		   { grep -a -E '^natural:' "$dir/run-$i.log" || true; } | tail -n 12 | sed 's/^/  /' ;;
		esac
		# One deadlock is the proof on pristine; more runs would only cost time.
		[ "$which" = pristine ] && [ $deadlocks -gt 0 ] && break
	done
	if [ "$which" = pristine ]; then
		ok=$([ $deadlocks -gt 0 ] && [ $errors = 0 ] && echo 1 || echo 0)
		why="must deadlock in one run: $deadlocks deadlock(s), $completed completed, $errors error(s)"
	else
		ok=$([ $completed = "$runs" ] && echo 1 || echo 0)
		why="must complete every run: $completed of $runs completed, $deadlocks deadlock(s), $errors error(s)"
	fi
	echo "natural-$which: $why"
	echo "natural-$which: $ok passed, $((1 - ok)) failed" | tee "$B/results/natural-$which.txt"
done
for which in "${kernels[@]}"; do
	grep -q ' 0 failed$' "$B/results/natural-$which.txt" || exit 1
done
