#!/bin/busybox sh
# shellcheck disable=SC2046 # set -- $(...) splits a line of numbers on purpose
# Runs in the test VM as /tests/bench (plugcb.run=bench; bench/writeback.sh
# builds the initramfs, with one fio job file per workload in /etc/fio, and
# the disk).  Kernel command line:
#   bench.fs=ext4|xfs|btrfs  filesystem on /dev/vda (made on the host)
#   bench.reps=<n>           timed runs of each workload (the host drops the first)
#   bench.jobs=<w>,<w>...    the workloads, in this order
#   bench.count=0|1          after a workload's timed runs, one more run with
#                            the series' trace events on (vm/lib.sh)
# One run: remove the files, sync, drop caches, read /sys/block/vda/stat,
# run fio on /etc/fio/<w>.fio, read the stat again.
#   bench: run <w> <i> upms <n> wreq <n> wsect <n> wmerge <n> flush <n>
#   bench: json <w> <i> {...fio's JSON on one line...}
#   bench: count <w> plug callbacks: ...   (the counted run)
# upms: /proc/uptime's delta around fio (10 ms steps; runs take seconds).
# The rest: deltas of /sys/block/vda/stat (write I/Os, write sectors,
# write merges, flushes).  "bench: end" after the last run.
set -u
arg() { sed -n "s/.*bench\.$1=\([^ ]*\).*/\1/p" /proc/cmdline; }
fs=$(arg fs); fs=${fs:-ext4}
reps=$(arg reps); reps=${reps:-7}
jobs=$(arg jobs | tr ',' ' ')
count=$(arg count)
dev=vda mnt=/mnt/bench
export LD_LIBRARY_PATH=/usr/lib/dyn LC_ALL=C BENCH_DIR=$mnt
. /lib/plugcb.sh
mkdir -p "$mnt"
mount -t "$fs" "/dev/$dev" "$mnt" || { echo "bench: error: mount -t $fs /dev/$dev failed"; exit 1; }
echo "bench: $fs, $(grep -c ^processor /proc/cpuinfo) CPUs, $(awk '/^MemTotal/ { print int($2 / 1024) }' /proc/meminfo) MiB, clock $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"
# fields 5, 7, 6 and 16 of the block layer's stat: write I/Os, write
# sectors, write merges, flush I/Os
stat() { awk '{ print $5, $7, $6, $16 }' "/sys/block/$dev/stat"; }
up() { awk '{ printf "%d", $1 * 1000 }' /proc/uptime; }

run() {	# <workload> <run>
	rm -f "$mnt"/*
	sync
	echo 3 >/proc/sys/vm/drop_caches
	set -- "$1" "$2" $(stat)
	u0=$(up)
	if ! fio --output-format=json --output=/tmp/fio.json "/etc/fio/$1.fio" >/tmp/fio.err 2>&1; then
		echo "bench: error: fio $1 failed in run $2: $(head -c 400 /tmp/fio.err)"
		exit 1
	fi
	u1=$(up)
	set -- "$@" $(stat)
	echo "bench: run $1 $2 upms $((u1 - u0)) wreq $(($7 - $3)) wsect $(($8 - $4)) wmerge $(($9 - $5)) flush $((${10} - $6))"
	echo "bench: json $1 $2 $(sed -n '/^{/,$p' /tmp/fio.json | tr -d '\n')"
}

for w in $jobs; do
	i=1
	while [ $i -le "$reps" ]; do
		run "$w" $i
		i=$((i + 1))
	done
	if [ "$count" = 1 ]; then
		plugtrace_start >/dev/null
		run "$w" count >/dev/null
		plugtrace_report "bench: count $w"
	fi
done
rm -f "$mnt"/*
umount "$mnt"
echo "bench: end"
