#!/bin/bash
# make stress: scripts/stress.sh for each kernel x filesystem x memory-cgroup
# version asked, one run after the other (each VM uses both CPUs), then a
# table of them.
#
#   scripts/stress-matrix.sh
#
# Environment (the Makefile passes WHICH, FS, MEMCG and MINUTES as these):
#   STRESS_KERNELS  kernels, of pristine and patched (default: both)
#   STRESS_FSES     filesystems, of ext4, xfs and btrfs (default: ext4)
#   STRESS_MEMCGS   cgroup versions, of v1 and v2 (default: both)
#   STRESS_SECS     seconds of load per run (default 300), as for stress.sh
# The table (also build/<base>/results/stress-table.txt) has a row per run:
# its checks, how often the plug callbacks fired from schedule() and what
# they punted (patched only), the rounds of the three fio jobs and of the
# ENOSPC writers, and whether a task hung.  Exits non-zero if any run
# failed; a pristine run that hangs is a failed run, and its row says so.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"

kernels=${STRESS_KERNELS:-pristine patched} fses=${STRESS_FSES:-ext4} memcgs=${STRESS_MEMCGS:-v1 v2}
for k in $kernels; do case $k in pristine|patched) ;; *) die "STRESS_KERNELS: pristine or patched, not '$k'" ;; esac; done
for f in $fses; do case $f in ext4|xfs|btrfs) ;; *) die "STRESS_FSES: ext4, xfs or btrfs, not '$f'" ;; esac; done
for m in $memcgs; do case $m in v1|v2) ;; *) die "STRESS_MEMCGS: v1 or v2, not '$m'" ;; esac; done
secs=${STRESS_SECS:-300}
[[ $secs =~ ^[1-9][0-9]*$ ]] || die "STRESS_SECS: seconds, not '$secs'"
for k in $kernels; do "$top/scripts/kernel.sh" "$k" || die "building the $k kernel failed"; done

# A line of the table: kernel fs memcg checks callbacks punted fio enospc
# stress-ng hung
fmt='%-8s %-5s %-5s %-26s %9s %17s %-11s %6s %-9s %s\n'
# row <kernel> <fs> <memcg>: one line of the table, from the run's console
row() {
	local log=$B/stress/$1-$2-$3/console.log res=$B/results/stress-$1-$2-$3.txt
	tr -d '\r' 2>/dev/null <"$log" | awk -v fmt="$fmt" -v k="$1" -v f="$2" -v m="$3" -v res="$(cut -d: -f2- "$res" 2>/dev/null)" '
	/^stress: plug callbacks:/ {
		cb = $4
		if (match($0, /bios punted: [0-9]+, [0-9]+ KiB/)) {
			split(substr($0, RSTART + 13, RLENGTH - 17), p, ", ")
			punted = p[1] " (" p[2] " KiB)"
		}
	}
	/^stress-check: fio-/ { n = $4; sub(/^\(/, "", n); fio = fio (fio == "" ? "" : "/") ($3 == "PASS" ? n : "FAIL") }
	/^stress-check: enospc / { n = $4; sub(/^\(/, "", n); enospc = ($3 == "PASS" ? n : "FAIL") }
	/^stress-check: stress-ng / { sng = $3 }
	/blocked for more than/ { hung++ }
	END {
		if (res == "") res = " no result"
		printf fmt, k, f, m, substr(res, 2),
			cb == "" ? "-" : cb, punted == "" ? "-" : punted,
			fio == "" ? "-" : fio, enospc == "" ? "-" : enospc, sng == "" ? "-" : sng, hung ? "yes (" hung ")" : "no"
	}'
}

table=$B/results/stress-table.txt
mkdir -p "$B/results"
failed=0
for f in $fses; do
	for m in $memcgs; do
		for k in $kernels; do
			echo "=== stress: $k $f memcg $m, ${secs}s"
			STRESS_SECS=$secs STRESS_MEMCG=$m "$top/scripts/stress.sh" "$k" "$f" || failed=$((failed + 1))
		done
	done
done
{
	echo "stress: ${secs}s of load per run, base $(cat "$B/linux/.git/plugcb-base" 2>/dev/null), series $(git -C "$B/linux" rev-parse --short HEAD), $(date -u +%Y-%m-%d)"
	# shellcheck disable=SC2059 # one format for the header and the rows
	printf "$fmt" kernel fs memcg checks callbacks \
		"bios punted" "fio rounds" enospc stress-ng hung
	for f in $fses; do for m in $memcgs; do for k in $kernels; do row "$k" "$f" "$m"; done; done; done
} | tee "$table"
echo "stress: $failed of the runs failed (table: ${table#"$top"/})"
[ "$failed" = 0 ]
