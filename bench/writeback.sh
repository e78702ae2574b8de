#!/bin/bash
# Writeback cost and benefit, pristine vs patched kernel, in QEMU (TCG), on
# one filesystem: the fio workloads of bench/jobs/ (sequential, random with
# fsync, four writers contending for one file, a file larger than the
# guest's memory, writes through a shared mapping with msync).
#
#   usage: bench/writeback.sh [ext4|xfs|btrfs]      (default ext4)
#
# Boots alternate pristine, patched, pristine, patched, ...  (BENCH_BOOTS
# each); every boot runs each workload BENCH_REPS times on the same disk,
# and the first run of each workload in a boot is dropped.  Before each run
# the files are removed and the caches dropped.  The kernels are the bench
# builds (scripts/kernel.sh bench-pristine, bench-patched: the test
# configuration without lockdep, KUnit and the debug option, which distort
# time).  After a workload's timed runs, one more run counts the plug
# callbacks and punted bios with the series' trace events (patched only;
# not timed).
#
# Per run: elapsed time (/proc/uptime around fio, 10 ms steps), the deltas
# of /sys/block/vda/stat (write requests, sectors, merges, flushes) and
# fio's latencies (fsync/msync p50, p99, max; write p99).  Written under
# build/<base>/bench/<fs>/: runs.tsv (every run), counts.txt, summary.txt
# (the table, patched/pristine ratios, Mann-Whitney U on elapsed time, the
# verdict per workload) and <fs>.png.  The summary is also printed.
#
# Environment:
#   BENCH_JOBS     workloads, comma-separated (default seq,rand,contended,bigfile,mmap)
#   BENCH_BOOTS    boots per kernel (default 3)
#   BENCH_REPS     runs per workload per boot, the first one dropped
#                  (default 7: 3 x 6 = 18 kept runs per kernel)
#   BENCH_MEM      guest memory (default 512M; bigfile writes 768 MiB)
#   BENCH_KERNELS  bench (default) or test: the debug test kernels
#                  (x86-pristine, x86-patched), for a quick look
#   BENCH_COUNT    1 (default) or 0: the counted run after each workload
#   BENCH_CACHE    QEMU cache mode of the disk (default unsafe: the guest's
#                  flushes do not reach the host's disk, whose latency is not
#                  what is measured)
#   BENCH_TIMEOUT  seconds one VM may run (default 3600)
#   VM_NICE        niceness of QEMU (default 10; 0 for a quiet machine)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"
. "$top/scripts/vm-lib.sh"
. "$top/scripts/vm-dyn.sh"

usage="usage: bench/writeback.sh [ext4|xfs|btrfs]  (env BENCH_JOBS, BENCH_BOOTS, BENCH_REPS, BENCH_MEM, BENCH_KERNELS, BENCH_COUNT, BENCH_CACHE, BENCH_TIMEOUT)"
fs=${1:-ext4}
mkfs_cmd "$fs" || die "$usage"
jobs=${BENCH_JOBS:-seq,rand,contended,bigfile,mmap}
boots=${BENCH_BOOTS:-3} reps=${BENCH_REPS:-7} mem=${BENCH_MEM:-512M} count=${BENCH_COUNT:-1}
for n in "$boots" "$reps"; do [[ $n =~ ^[1-9][0-9]*$ ]] || die "$usage"; done
[ "$reps" -ge 2 ] || die "BENCH_REPS must be at least 2 (the first run is dropped)"
[[ $mem =~ ^[1-9][0-9]*[MG]$ ]] || die "BENCH_MEM: a size like 512M, not '$mem'"
case $count in 0|1) ;; *) die "BENCH_COUNT: 0 or 1, not '$count'" ;; esac
[[ $jobs =~ ^[a-z0-9]+(,[a-z0-9]+)*$ ]] || die "BENCH_JOBS: workload names separated by commas, not '$jobs'"
for w in ${jobs//,/ }; do
	[ -f "$top/bench/jobs/$w.fio" ] && [ "$w" != global ] ||
		die "BENCH_JOBS: no workload '$w' (there are: $(cd "$top/bench/jobs" && ls ./*.fio | sed 's|^\./||; s|\.fio$||' | grep -v '^global$' | tr '\n' ' '))"
done
# shellcheck disable=SC2034 # read through ${!k}
case ${BENCH_KERNELS:-bench} in
bench) kpristine=$B/x86-bench-pristine kpatched=$B/x86-bench-patched build=bench- ;;
test)  kpristine=$B/x86-pristine kpatched=$B/x86-patched build= ;;
*) die "BENCH_KERNELS: bench or test, not '$BENCH_KERNELS'" ;;
esac
need_pkgs qemu-system-x86_64:qemu-system-x86 fio:fio mkfs.ext4:e2fsprogs mkfs.xfs:xfsprogs \
	mkfs.btrfs:btrfs-progs cpio:cpio /bin/busybox:busybox-static \
	/usr/lib/python3/dist-packages/matplotlib:python3-matplotlib
for which in pristine patched; do
	k=kpristine; [ $which = patched ] && k=kpatched
	[ -f "${!k}/arch/x86/boot/bzImage" ] ||
		die "no kernel in ${!k#"$top"/}; run 'scripts/kernel.sh $build$which'"
done
out=$B/bench/$fs
rm -rf "$out" && mkdir -p "$out/jobs"
files=("$top/bench/writeback-vm.sh:tests/bench" "$top/vm/lib.sh:lib/plugcb.sh")
for w in ${jobs//,/ }; do
	cat "$top/bench/jobs/global.fio" "$top/bench/jobs/$w.fio" >"$out/jobs/$w.fio"
	files+=("$out/jobs/$w.fio:etc/fio/$w.fio")
done
add_dynamic "$(command -v fio)" bin/fio
make_initramfs "$out/initramfs.cpio.gz" "${files[@]}"
: >"$out/console.txt"

for boot in $(seq 1 "$boots"); do
	for which in pristine patched; do
		k=kpristine; [ $which = patched ] && k=kpatched
		log=$out/$which-$boot.log rc=0 load=$(cut -d' ' -f1 /proc/loadavg)
		rm -f "$out/disk.img"
		truncate -s 3G "$out/disk.img"
		"${mkfs[@]}" "$out/disk.img" >/dev/null || die "${mkfs[0]} failed"
		echo "bench: boot $boot/$boots $which ($fs; $jobs; $reps runs each; host load $load), log ${log#"$top"/}"
		VM_MEM=$mem run_qemu "${!k}/arch/x86/boot/bzImage" "$out/initramfs.cpio.gz" "$log" \
			"${BENCH_TIMEOUT:-3600}" \
			"plugcb.run=bench bench.fs=$fs bench.reps=$reps bench.jobs=$jobs bench.count=$count" \
			-drive "file=$out/disk.img,format=raw,if=virtio,cache=${BENCH_CACHE:-unsafe}" || rc=$?
		if ! tr -d '\r' <"$log" | grep -q '^bench: end'; then
			tr -d '\r' <"$log" | grep '^bench: ' | grep -v '^bench: json' | tail -n 5 >&2 || true
			tail -n 10 "$log" | sed 's/^/  | /' >&2
			die "boot $boot $which did not finish (qemu exit $rc); log ${log#"$top"/}"
		fi
		tr -d '\r' <"$log" | grep -E '^bench: (count|[a-z0-9]+, )' | sed 's/^/  /'
		tr -d '\r' <"$log" | grep '^bench: ' | sed "s/^/$which $boot $load /" >>"$out/console.txt"
	done
done
rm -f "$out/disk.img"

# What was measured, at the top of summary.txt (bench/results/ keeps copies).
{
	echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); base: $(cat "$B/linux/.git/plugcb-base"); series: $(git -C "$B/linux" rev-parse --short HEAD) ($(git -C "$B/linux" rev-list --count base..HEAD) patches)"
	echo "kernels: ${kpristine#"$top"/}, ${kpatched#"$top"/}; $(fio --version); guest: $mem, $(tr -d '\r' <"$out/patched-1.log" | sed -n 's/^bench: [a-z0-9]*, \([0-9]* CPUs\).*/\1/p' | head -n1); disk cache=${BENCH_CACHE:-unsafe}"
	echo "boots: $boots per kernel, interleaved; $reps runs per workload per boot, the first dropped; workloads: $jobs"
	echo "host: $(nproc) CPUs, $(uname -r)"
} >"$out/about.txt"

/usr/bin/python3 "$top/bench/summary.py" "$fs" "$out" "$kpatched/System.map"
