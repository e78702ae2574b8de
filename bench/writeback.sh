#!/bin/bash
# Writeback cost, pristine vs patched kernel: a buffered write of BENCH_MB
# MiB and fsync (dd conv=fsync), in QEMU (TCG), on one filesystem.
#
#   usage: bench/writeback.sh [ext4|xfs|btrfs]      (default ext4)
#
# Boots alternate pristine, patched, pristine, patched, ...  (BENCH_BOOTS
# each); every boot runs the workload BENCH_REPS times on a fresh disk and
# the first run of a boot is dropped (it is far slower).  Between runs the
# file is removed and the caches dropped.  Per run: elapsed time (ms: GNU
# dd's own timing, write through fsync; busybox's date has no %N) and the
# deltas of /sys/block/vda/stat (write requests, sectors, merges, flushes).  Raw numbers: build/<base>/bench/<fs>/runs.tsv;
# the summary table is printed and written to build/<base>/bench/<fs>/summary.txt.
#
# Environment:
#   BENCH_BOOTS    boots per kernel (default 3)
#   BENCH_REPS     runs per boot, the first one dropped (default 7)
#   BENCH_MB       MiB written per run (default 256)
#   BENCH_CACHE    QEMU cache mode of the disk (default unsafe: the guest's
#                  flushes do not reach the host's disk, whose latency is not
#                  what is measured)
#   BENCH_TIMEOUT  seconds one VM may run (default 900)
#   VM_NICE        niceness of QEMU (default 10; 0 for a quiet machine)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"
. "$top/scripts/vm-lib.sh"
. "$top/scripts/vm-dyn.sh"

usage="usage: bench/writeback.sh [ext4|xfs|btrfs]  (env BENCH_BOOTS, BENCH_REPS, BENCH_MB, BENCH_CACHE, BENCH_TIMEOUT)"
fs=${1:-ext4}
mkfs_cmd "$fs" || die "$usage"
boots=${BENCH_BOOTS:-3} reps=${BENCH_REPS:-7} mb=${BENCH_MB:-256}
for n in "$boots" "$reps" "$mb"; do [[ $n =~ ^[1-9][0-9]*$ ]] || die "$usage"; done
[ "$reps" -ge 2 ] || die "BENCH_REPS must be at least 2 (the first run is dropped)"
need_pkgs qemu-system-x86_64:qemu-system-x86 mkfs.ext4:e2fsprogs mkfs.xfs:xfsprogs \
	mkfs.btrfs:btrfs-progs cpio:cpio /bin/busybox:busybox-static
for which in pristine patched; do
	[ -f "$B/x86-$which/arch/x86/boot/bzImage" ] ||
		die "no kernel in build/$BASE/x86-$which; run 'scripts/kernel.sh $which'"
done
out=$B/bench/$fs
rm -rf "$out" && mkdir -p "$out"
files=("$top/bench/writeback-vm.sh:tests/bench")
add_dynamic /bin/dd usr/bin/dd-gnu	# GNU dd times itself; busybox's date has no %N
make_initramfs "$out/initramfs.cpio.gz" "${files[@]}"
printf 'fs\tkernel\tboot\trun\tkept\tms\tupms\tMiB\twreq\twsect\twmerge\tflush\thostload\n' >"$out/runs.tsv"

for boot in $(seq 1 "$boots"); do
	for which in pristine patched; do
		log=$out/$which-$boot.log rc=0 load=$(cut -d' ' -f1 /proc/loadavg)
		rm -f "$out/disk.img"
		truncate -s $((mb * 2 + 512))M "$out/disk.img"
		"${mkfs[@]}" "$out/disk.img" >/dev/null || die "${mkfs[0]} failed"
		echo "bench: boot $boot/$boots $which ($fs, $reps x $mb MiB, host load $load), log ${log#"$top"/}"
		run_qemu "$B/x86-$which/arch/x86/boot/bzImage" "$out/initramfs.cpio.gz" "$log" \
			"${BENCH_TIMEOUT:-900}" "plugcb.run=bench bench.fs=$fs bench.reps=$reps bench.mb=$mb" \
			-drive "file=$out/disk.img,format=raw,if=virtio,cache=${BENCH_CACHE:-unsafe}" || rc=$?
		if ! tr -d '\r' <"$log" | grep -q '^bench: end'; then
			tr -d '\r' <"$log" | grep '^bench: ' | tail -n 5 >&2 || true
			tail -n 10 "$log" | sed 's/^/  | /' >&2
			die "boot $boot $which did not finish (qemu exit $rc); log ${log#"$top"/}"
		fi
		tr -d '\r' <"$log" | grep '^bench: clock' | sed 's/^/  /'
		tr -d '\r' <"$log" | awk -v fs="$fs" -v k="$which" -v b="$boot" -v mb="$mb" -v load="$load" '
			$1 == "bench:" && $2 == "run" {
				printf "%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
					fs, k, b, $3, ($3 > 1), $5, $7, mb, $9, $11, $13, $15, load
			}' >>"$out/runs.tsv"
	done
done
rm -f "$out/disk.img"

python3 - "$out/runs.tsv" <<'PY' | tee "$out/summary.txt"
import csv, statistics as st, sys
rows = [r for r in csv.DictReader(open(sys.argv[1]), delimiter="\t") if r["kept"] == "1"]
fs = rows[0]["fs"] if rows else "?"
med = {}
loads = sorted(float(r["hostload"]) for r in rows)
print(f"{fs}: {len(rows)} kept runs (first run of each boot dropped); host load at boot {loads[0]:.2f}-{loads[-1]:.2f}" if rows else f"{fs}: no runs")
print(f"{'kernel':9} {'boots':>5} {'runs':>4} | {'ms median':>9} {'min':>8} {'max':>8} {'(max-min)/med':>13} | "
      f"{'req/MiB med':>11} {'min-max':>13} | {'sect/MiB':>8} {'merges/MiB':>10} {'flushes':>7}")
for k in ("pristine", "patched"):
    rs = [r for r in rows if r["kernel"] == k]
    if not rs:
        continue
    ms = [float(r["ms"]) for r in rs]
    rq = [int(r["wreq"]) / int(r["MiB"]) for r in rs]
    se = [int(r["wsect"]) / int(r["MiB"]) for r in rs]
    mg = [int(r["wmerge"]) / int(r["MiB"]) for r in rs]
    fl = [int(r["flush"]) for r in rs]
    med[k] = (st.median(ms), st.median(rq))
    print(f"{k:9} {len({r['boot'] for r in rs}):5} {len(rs):4} | {st.median(ms):9.1f} {min(ms):8.1f} {max(ms):8.1f} "
          f"{(max(ms) - min(ms)) / st.median(ms):12.1%} | {st.median(rq):11.3f} {min(rq):6.3f}-{max(rq):6.3f} | "
          f"{st.median(se):8.1f} {st.median(mg):10.1f} {st.median(fl):7g}")
if len(med) == 2:
    print(f"patched/pristine: elapsed median {med['patched'][0] / med['pristine'][0]:.3f}, "
          f"requests/MiB median {med['patched'][1] / med['pristine'][1]:.3f}")
PY
