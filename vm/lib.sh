# shellcheck shell=dash # busybox ash: local is there
# Sourced by the guest scripts (installed as /lib/plugcb.sh).
#
# kernel_log_splats <tag> [<file>]
#   true when the kernel log (dmesg, or <file>: a saved console, as
#   scripts/fstests.sh reads on the host) has a KASAN report, WARNING, BUG,
#   lockdep splat or hung task; prints the first ones, lines prefixed
#   "<tag>: dmesg | ".  The caller prints its own PASS/FAIL line.
#
# The series' trace events, block:block_plug_cb (a plug calls a callback,
# from schedule() or from a flush) and block:block_bio_punt (a callback
# hands a bio to its punt), counted; on a kernel without them (pristine)
# plugtrace_start says so and nothing is recorded:
#   plugtrace_start            before the load, outside its memory cgroup
#   plugtrace_report <prefix>  after it: one line
#     <prefix>: plug callbacks: N from schedule, N from flush[ (per
#     callback)]; bios punted: N, N KiB[, largest N KiB]

kernel_log_splats() {
	local splat='KASAN|WARNING:|BUG:|possible circular|inconsistent lock|blocked for more than|Call Trace'
	if [ -n "${2:-}" ]; then
		grep -qE "$splat" "$2" || return 1
		grep -E -A 8 "$splat" "$2" | head -n 60 | sed "s/^/$1: dmesg | /"
		return 0
	fi
	dmesg | grep -qE "$splat" || return 1
	dmesg | grep -E -A 8 "$splat" | head -n 60 | sed "s/^/$1: dmesg | /"
	return 0
}

plugtrace_dir=/sys/kernel/tracing
plugtrace_out=/tmp/plugtrace.txt
plugtrace_pid=

plugtrace_start() {
	local t=$plugtrace_dir e
	[ -d $t/events ] || mount -t tracefs nodev $t 2>/dev/null
	if [ ! -d $t/events/block/block_plug_cb ]; then
		echo "plugtrace: this kernel has no block:block_plug_cb event (pristine): nothing recorded"
		return 0
	fi
	for e in block_plug_cb block_bio_punt; do
		echo 1 >$t/events/block/$e/enable
	done
	# Read as it comes: a ring buffer that wraps would lose counts.  The
	# reader is not a job of the caller's shell, whose plain "wait" for
	# its load would otherwise wait for it too, forever.
	( cat $t/trace_pipe >$plugtrace_out & echo $! >/tmp/plugtrace.pid )
	plugtrace_pid=$(cat /tmp/plugtrace.pid)
}

plugtrace_report() {
	local t=$plugtrace_dir e
	[ -n "$plugtrace_pid" ] || return 0
	for e in block_plug_cb block_bio_punt; do
		echo 0 >$t/events/block/$e/enable
	done
	sleep 1	# let the reader drain what is left
	kill $plugtrace_pid 2>/dev/null
	plugtrace_pid=
	awk -v p="$1" '
	/ block_plug_cb: / {
		how = $NF; fn = $(NF - 1); n[how]++; per[fn " " how]++
	}
	/ block_bio_punt: / {
		for (i = 1; i < NF; i++) if ($i == "+") { s = $(i + 1); break }
		bios++; kib += s / 2; if (s / 2 > max) max = s / 2
	}
	END {
		line = sprintf("%s: plug callbacks: %d from schedule, %d from flush",
			       p, n["schedule"], n["flush"])
		sep = " ("
		for (k in per) { line = line sep k " " per[k]; sep = ", " }
		if (sep == ", ") line = line ")"
		line = line sprintf("; bios punted: %d, %d KiB", bios, kib)
		if (bios) line = line sprintf(", largest %d KiB", max)
		print line
	}' $plugtrace_out
}
