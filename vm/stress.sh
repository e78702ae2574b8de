#!/bin/busybox sh
# Runs in the test VM as /tests/stress (plugcb.run=stress; scripts/stress.sh
# builds the initramfs and the disk).  Kernel command line:
#   stress.fs=ext4|xfs|btrfs   filesystem on /dev/vda (made on the host)
#   stress.secs=<n>            how long the load runs
#   stress.memcg=v1|v2         the cgroup hierarchy the load runs in
#   stress.mem=<n>M            its memory limit (far below the files' size)
#   stress.size=<n>m           size of each fio file
# The load, all of it inside the memory cgroup, each part in a loop until
# the time is up: the fio jobs of /etc/fio/stress.fio (mmap writes, buffered
# random writes with fsync, sequential writes; each round writes, reads back
# and checks crc32c), sync(2) every second, a reader of every file, a file
# written and then truncated, and on XFS and btrfs reflink copies (FICLONE)
# of the fio files, stress-ng's hdd (verified), mmap (file-backed, msync),
# fallocate (punched holes among its modes) and sync-file (sync_file_range)
# stressors, and on the second disk (/dev/vdb, a small filesystem of the
# same type) two writers that fill it until ENOSPC, then delete and write
# again: writeback at ENOSPC (ext4 leaves delalloc and forces commits, XFS
# and btrfs flush their inodes from the writer).  The hung-task detector
# panics after 10 s, so a deadlock ends the VM with the blocked tasks'
# stacks on the console.
# A patched kernel also reports how often the plug callbacks fired and what
# they punted (vm/lib.sh).
# One line per check:
#   stress-check: <name> PASS|FAIL (...)
set -u
arg() { sed -n "s/.*stress\.$1=\([^ ]*\).*/\1/p" /proc/cmdline; }
fs=$(arg fs) secs=$(arg secs) memcg=$(arg memcg) mem=$(arg mem) size=$(arg size)
dev=/dev/vda mnt=/mnt/test jobs=/etc/fio/stress.fio full=/mnt/full
export LD_LIBRARY_PATH=/usr/lib/dyn FIO_DIR=$mnt FIO_SIZE="$size"
check() { echo "stress-check: $1 $2 ($3)"; }
cd /tmp || exit 1
dmesg -c >/dev/null	# the boot's KUnit suites WARN on purpose: judge only what follows
echo 10 >/proc/sys/kernel/hung_task_timeout_secs
echo 1 >/proc/sys/kernel/hung_task_panic

# The series' trace events, counted from here on (the reader stays out of
# the memory cgroup).
. /lib/plugcb.sh
plugtrace_start

mkdir -p "$mnt"
if ! mount -t "$fs" "$dev" "$mnt"; then
	check mount FAIL "mount -t $fs $dev failed"
	exit 1
fi
mkdir -p "$full"
if ! mount -t "$fs" /dev/vdb "$full"; then
	check mount FAIL "mount -t $fs /dev/vdb failed"
	exit 1
fi

# The shell joins the cgroup, so that every part of the load starts in it.
join_memcg() {
case $memcg in
v1)
	mkdir -p /sys/fs/cgroup && mount -t cgroup -o memory memory /sys/fs/cgroup &&
		mkdir /sys/fs/cgroup/stress &&
		echo "$mem" >/sys/fs/cgroup/stress/memory.limit_in_bytes &&
		echo $$ >/sys/fs/cgroup/stress/cgroup.procs ;;
v2)
	mkdir -p /sys/fs/cgroup && mount -t cgroup2 cgroup2 /sys/fs/cgroup &&
		echo +memory >/sys/fs/cgroup/cgroup.subtree_control &&
		mkdir /sys/fs/cgroup/stress &&
		echo "$mem" >/sys/fs/cgroup/stress/memory.max &&
		echo $$ >/sys/fs/cgroup/stress/cgroup.procs ;;
*)	false ;;
esac
}
if ! join_memcg; then
	check memcg FAIL "could not make a $memcg memory cgroup limited to $mem"
	exit 1
fi
echo "stress: $fs on $dev, memcg $memcg limited to $mem, fio files of $size, ${secs}s, $(nproc) CPUs"

ms() { awk '{ printf "%d", $1 * 1000 }' /proc/uptime; }
end=$(( $(ms) + secs * 1000 ))
running() { [ "$(ms)" -lt "$end" ]; }

for j in $(sed -n 's/^\[\(.*\)\]$/\1/p' "$jobs" | grep -v '^global$'); do
	(
		n=0 bad=0
		while running; do
			n=$((n + 1))
			FIO_SEED=$n fio --output-format=terse --section="$j" "$jobs" >"/tmp/$j.out" 2>&1
			rc=$?
			if [ $rc != 0 ] || grep -qiE 'verify.*(bad|fail)|bad magic|err=' "/tmp/$j.out"; then
				bad=$((bad + 1))
				grep -iE 'verify|err|bad|fail' "/tmp/$j.out" | head -n 3 | sed "s/^/stress: $j round $n | /"
			fi
		done
		echo "$n $bad" >"/tmp/$j.result"
	) &
done
( while running; do sync; sleep 1; done; echo done >/tmp/sync.result ) &
( while running; do cat "$mnt"/* >/dev/null 2>&1; sleep 1; done; echo done >/tmp/read.result ) &
(
	n=0
	while running; do
		dd if=/dev/zero of="$mnt/trunc" bs=64k count=128 2>/dev/null
		truncate -s 1M "$mnt/trunc" && truncate -s 0 "$mnt/trunc" && n=$((n + 1))
	done
	rm -f "$mnt/trunc"
	echo "$n" >/tmp/trunc.result
) &
if [ "$fs" != ext4 ] && [ -x /bin/reflink ]; then
	(
		n=0 bad=0
		while running; do
			for f in psync-write psync-randwrite; do
				[ -f "$mnt/$f" ] || continue
				if reflink "$mnt/$f" "$mnt/$f.clone" 2>/dev/null; then n=$((n + 1)); else bad=$((bad + 1)); fi
				rm -f "$mnt/$f.clone"
			done
			sleep 1
		done
		echo "$n $bad" >/tmp/reflink.result
	) &
fi
# stress-ng, in processes of its own (no fd shared between workers: its
# iomix stressor queues a dozen of them on one f_pos_lock, which under TCG
# outlasts the 10 s hung-task limit).  Its workers stop on SIGALRM from
# alarm(), which needs CONFIG_POSIX_TIMERS (without it alarm() fails with
# ENOSYS, unchecked, and stress-ng runs until killed).  A stress-ng still
# running 120 s past the load is shown (state, wait channel, CPU time and
# context switches, kernel stack of each process) and killed, and fails.
sng_show() {
	local c p
	for c in /proc/[0-9]*/comm; do
		grep -q '^stress-ng' "$c" 2>/dev/null || continue
		p=${c%/comm}
		echo "stress: stress-ng: $(cat "$c") ${p#/proc/} $(sed -n 's/^State:[[:space:]]*//p' "$p/status") in $(cat "$p/wchan")"
		echo "stress: stress-ng:   $(awk '{ print "CPU ticks", $14 + $15 }' "$p/stat"), $(sed -n 's/^voluntary_ctxt_switches:[[:space:]]*//p' "$p/status") voluntary context switches"
		sed 's/^/stress: stress-ng:   /' "$p/stack" 2>/dev/null | head -n 12
	done
}
if [ -x /bin/stress-ng ]; then
	(
		mkdir -p "$mnt/stress-ng"
		stress-ng --temp-path "$mnt/stress-ng" --timeout "${secs}s" --verify --metrics-brief --oomable \
			--hdd 1 --hdd-bytes 4m --hdd-opts wr-rnd,rd-rnd \
			--mmap 1 --mmap-file --mmap-bytes 1m \
			--fallocate 1 --fallocate-bytes 4m \
			--sync-file 1 --sync-file-bytes 4m >/tmp/stress-ng.out 2>&1 &
		pid=$! deadline=$(( end + 120000 ))
		while kill -0 $pid 2>/dev/null && [ "$(ms)" -lt "$deadline" ]; do sleep 1; done
		if kill -0 $pid 2>/dev/null; then
			sng_show
			kill -9 $pid $(grep -l '^stress-ng' /proc/[0-9]*/comm 2>/dev/null | sed 's|/proc/\([0-9]*\)/comm|\1|')
			rc=timeout
		else
			wait $pid
			rc=$?
			echo "stress: stress-ng returned $(( ($(ms) - end) / 1000 )) s after the end of the load"
		fi
		echo $rc >/tmp/stress-ng.result
	) &
fi
# ENOSPC: two buffered writers fill the second disk, each must stop on
# ENOSPC (any other error, EIO above all, fails the round); the files go and
# a write with fsync must then succeed (space came back).
(
	n=0 bad=0
	while running; do
		n=$((n + 1))
		for w in 1 2; do
			dd if=/dev/zero of="$full/fill$w" bs=64k conv=fsync 2>"/tmp/enospc.$w" &
		done
		wait
		for w in 1 2; do
			if ! grep -q 'No space left on device' "/tmp/enospc.$w"; then
				bad=$((bad + 1))
				sed "s/^/stress: enospc round $n writer $w | /" "/tmp/enospc.$w" | head -n 3
			fi
		done
		rm -f "$full"/fill*
		sync
		if ! dd if=/dev/zero of="$full/after" bs=64k count=16 conv=fsync 2>/tmp/enospc.after; then
			bad=$((bad + 1))
			sed "s/^/stress: enospc round $n after delete | /" /tmp/enospc.after | head -n 3
		fi
		rm -f "$full/after"
	done
	echo "$n $bad" >/tmp/enospc.result
) &
wait
plugtrace_report stress

for r in /tmp/*.result; do
	name=${r#/tmp/}; name=${name%.result}
	set -- $(cat "$r")
	case $name in
	sync|read) check "$name" PASS "looped until the end" ;;
	trunc) check truncate PASS "$1 write-and-truncate rounds" ;;
	enospc)
		if [ "$1" -gt 0 ] && [ "$2" = 0 ]; then
			check enospc PASS "$1 rounds filled to ENOSPC, freed and written again"
		else
			check enospc FAIL "$2 failures in $1 rounds"
		fi ;;
	stress-ng)
		grep -E '^stress-ng: (metrc|fail|error|warn)' /tmp/stress-ng.out | grep -vE 'miscellaneous|geometic' |
			head -n 20 | sed 's/^/stress: /'
		if [ "$1" = 0 ]; then
			check stress-ng PASS "hdd, mmap, fallocate, sync-file: exit 0"
		else
			tail -n 5 /tmp/stress-ng.out | sed 's/^/stress: stress-ng | /'
			check stress-ng FAIL "exit $1"
		fi ;;
	reflink)
		if [ "$2" = 0 ]; then check reflink PASS "$1 clones"; else check reflink FAIL "$2 of $(($1 + $2)) clones failed"; fi ;;
	*)
		if [ "$1" -gt 0 ] && [ "$2" = 0 ]; then
			check "fio-$name" PASS "$1 rounds written and verified"
		else
			check "fio-$name" FAIL "$2 of $1 rounds failed"
		fi ;;
	esac
done

echo $$ >/sys/fs/cgroup/cgroup.procs 2>/dev/null
if umount "$mnt" && umount "$full"; then
	check umount PASS "umount $mnt $full"
else
	check umount FAIL "umount $mnt or $full failed"
fi
# /proc/meminfo leaves out what each CPU has not yet folded into the global
# counters (up to its vmstat threshold: 68 kB was seen after a clean
# umount); vm.stat_refresh folds them first, so the count is exact.
echo 1 >/proc/sys/vm/stat_refresh ||
	echo "stress: vm.stat_refresh failed: Writeback may be off by the per-CPU deltas"
wb=$(awk '/^Writeback:/ { print $2 }' /proc/meminfo)
if [ "$wb" = 0 ]; then check writeback PASS "Writeback: 0 kB after umount"; else check writeback FAIL "Writeback: $wb kB after umount"; fi
if kernel_log_splats stress; then
	check kernel-log FAIL "dmesg has a warning or a splat"
else
	check kernel-log PASS "no WARNING, BUG, hung task or lockdep splat in dmesg"
fi
echo "stress: memcg events: $(cat /sys/fs/cgroup/stress/memory.events 2>/dev/null | tr '\n' ' ')$(cat /sys/fs/cgroup/stress/memory.failcnt 2>/dev/null)"
