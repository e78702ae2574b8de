#!/bin/busybox sh
# Runs in the test VM as /tests/natural (kernel command line
# plugcb.run=natural): the workload of repro/natural-triggers.md section 1,
# which deadlocks pristine 6.12 writeback with no test module.
#
# ext4 on /dev/vda, mounted data=journal; /dev/vdb is random data.  Two
# processes O_DIRECT-read /dev/vdb into a MAP_SHARED mapping of the file, so
# its folios are dirtied while pinned (PG_checked: writepages journals them
# and must restart its handle with a folio in its unsent io_bio, while the
# commit waits for that folio's writeback).  Buffered writes, mmap writes,
# fsync and sync_file_range run on the same file.  Kernel command line:
# natural.secs=N (load time), natural.mb=M (file size), natural.dio=0 (the
# control: no pinned dirtying).
#
# Last lines, for scripts/natural.sh:
#   natural: workers: done | stuck
#   natural: hung-task reports: N
#   natural: splats: N
set -u
arg() { sed -n "s/.*natural\.$1=\([^ ]*\).*/\1/p" /proc/cmdline; }
secs=$(arg secs); mb=$(arg mb); dio=$(arg dio)
secs=${secs:-60}; mb=${mb:-32}; dio=${dio:-1}
mnt=/mnt/t
load=/bin/natural-load

dmesg -c >/dev/null
echo 20 >/proc/sys/kernel/hung_task_timeout_secs
echo 1048576 >/proc/sys/vm/dirty_background_bytes
echo 4194304 >/proc/sys/vm/dirty_bytes
echo 20 >/proc/sys/vm/dirty_writeback_centisecs
echo 50 >/proc/sys/vm/dirty_expire_centisecs
mkdir -p $mnt
mount -t ext4 -o data=journal /dev/vda $mnt || { echo "natural: mount failed"; exit 1; }
echo "natural: kernel $(uname -r), cpus $(grep -c ^processor /proc/cpuinfo), file ${mb} MiB, load ${secs} s, dio=$dio"
echo "natural: mount: $(grep " $mnt " /proc/mounts)"
$load fill $mnt/f1 "$mb" || exit 1
sync
if [ "$dio" = 1 ]; then
	$load dioread $mnt/f1 "$mb" /dev/vdb "$secs" 64 >/tmp/p1.out 2>&1 &
	$load dioread $mnt/f1 "$mb" /dev/vdb "$secs" 4 >/tmp/p2.out 2>&1 &
else
	echo "natural: control run: no O_DIRECT reads into the mapping"
fi
$load pwrite $mnt/f1 "$mb" "$secs" >/tmp/p3.out 2>&1 &
$load fsync $mnt/f1 "$secs" 200 >/tmp/p4.out 2>&1 &
$load sfr $mnt/f1 "$secs" 20 >/tmp/p5.out 2>&1 &
$load mmapw $mnt/f1 "$mb" "$secs" rand >/tmp/p6.out 2>&1 &
$load sample $((secs + 5)) /tmp/stacks.txt | awk 'NR % 10 == 1 || /summary/'

# Each worker prints one line when its time is up; give them 30 s more.
left=30 busy=1
while [ $left -gt 0 ]; do
	busy=0
	for f in /tmp/p?.out; do [ -s "$f" ] || busy=1; done
	[ $busy = 0 ] && break
	sleep 2
	left=$((left - 2))
done
for f in /tmp/p?.out; do echo "natural: ${f#/tmp/}: $(cat "$f")"; done
if [ $busy = 1 ]; then
	echo "natural: workers still running 30 s after their end"
	# The hung-task detector reports a task 20-40 s after it blocked.
	left=45
	while [ $left -gt 0 ] && ! dmesg | grep -q 'blocked for more than'; do
		sleep 3
		left=$((left - 3))
	done
	echo "natural: vda inflight (reads writes): $(cat /sys/block/vda/inflight)"
	echo "natural: vda stat: $(cat /sys/block/vda/stat)"
	sleep 5
	echo "natural: vda stat 5 s later: $(cat /sys/block/vda/stat)"
	echo "natural: meminfo: $(grep -E '^(Dirty|Writeback):' /proc/meminfo | tr -s ' ' | tr '\n' ' ')"
	echo "natural: tasks in D state:"
	for p in /proc/[0-9]*; do
		s=$(awk '{print $3}' "$p/stat" 2>/dev/null)
		[ "$s" = D ] && { echo "== $(cat "$p/comm") pid ${p#/proc/}"; cat "$p/stack"; }
	done
fi
dmesg | grep -A30 'blocked for more than' | head -120
dmesg | grep -E 'WARNING|BUG|lockdep|circular' | head -20
echo "natural: workers: $([ $busy = 1 ] && echo stuck || echo done)"
echo "natural: hung-task reports: $(dmesg | grep -c 'blocked for more than')"
echo "natural: splats: $(dmesg | grep -cE 'WARNING|BUG:|possible circular|lockdep')"
[ $busy = 1 ] || umount $mnt || echo "natural: umount failed"
