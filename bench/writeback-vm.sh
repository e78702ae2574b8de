#!/bin/busybox sh
# shellcheck disable=SC2046 # set -- $(...) splits a line of numbers on purpose
# Runs in the test VM as /tests/bench (plugcb.run=bench; bench/writeback.sh
# builds the initramfs and the disk).  Kernel command line:
#   bench.fs=ext4|xfs|btrfs  filesystem on /dev/vda (made on the host)
#   bench.reps=<n>           runs of the workload (the host drops the first)
#   bench.mb=<n>             MiB per run (default 256)
# One run: remove the file, sync, drop caches, read /sys/block/vda/stat,
# write <mb> MiB of zeros with GNU dd conv=fsync, read the stat again.
#   bench: run <i> ms <dd's time> upms <uptime delta> wreq <n> wsect <n> wmerge <n> flush <n>
# ms: GNU dd's own "copied, <s> s" (CLOCK_MONOTONIC, write through fsync);
# busybox date has no %N and /proc/uptime steps by 10 ms (upms, a cross-check).
# The rest: deltas of /sys/block/vda/stat (write I/Os, write sectors, write
# merges, flushes).  "bench: end" after the last run.
set -u
arg() { sed -n "s/.*bench\.$1=\([^ ]*\).*/\1/p" /proc/cmdline; }
fs=$(arg fs); fs=${fs:-ext4}
reps=$(arg reps); reps=${reps:-7}
mb=$(arg mb); mb=${mb:-256}
dev=vda mnt=/mnt/bench
export LD_LIBRARY_PATH=/usr/lib/dyn LC_ALL=C
mkdir -p "$mnt"
mount -t "$fs" "/dev/$dev" "$mnt" || { echo "bench: error: mount -t $fs /dev/$dev failed"; exit 1; }
echo "bench: clock $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource); busybox date +%N gives '$(date +%N)'"
# fields 5, 7, 6 and 16 of the block layer's stat: write I/Os, write
# sectors, write merges, flush I/Os
stat() { awk '{ print $5, $7, $6, $16 }' "/sys/block/$dev/stat"; }
up() { awk '{ printf "%d", $1 * 1000 }' /proc/uptime; }

i=1
while [ $i -le "$reps" ]; do
	rm -f "$mnt/f"
	sync
	echo 3 >/proc/sys/vm/drop_caches
	set -- $(stat)
	u0=$(up)
	if ! /usr/bin/dd-gnu if=/dev/zero of="$mnt/f" bs=1M count="$mb" conv=fsync 2>/tmp/dd.err; then
		echo "bench: error: dd failed in run $i: $(cat /tmp/dd.err)"
		exit 1
	fi
	u1=$(up)
	set -- "$@" $(stat)
	secs=$(sed -n 's/.* copied, \([0-9.e+-]*\) s,.*/\1/p' /tmp/dd.err)
	[ -n "$secs" ] || { echo "bench: error: no time in dd's output: $(cat /tmp/dd.err)"; exit 1; }
	echo "bench: run $i ms $(awk -v s="$secs" 'BEGIN { printf "%.3f", s * 1000 }') upms $((u1 - u0))" \
		"wreq $(($5 - $1)) wsect $(($6 - $2)) wmerge $(($7 - $3)) flush $(($8 - $4))"
	i=$((i + 1))
done
rm -f "$mnt/f"
umount "$mnt"
echo "bench: end"
