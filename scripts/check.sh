#!/bin/bash
# make check: every suite, then one line summing them all.  A suite that
# dies without writing its result counts as one failed test.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
res=$top/build/results
rm -rf "$res" && mkdir -p "$res"
start=$(date +%s)

suite() {	# name command...
	local name=$1; shift
	echo "=== $name"
	local t0=$(date +%s)
	"$@"
	local rc=$?
	if [ ! -s "$res/$name.txt" ]; then
		echo "$name: 0 passed, 1 failed (exit $rc, no result)" >"$res/$name.txt"
	fi
	echo "--- $name done in $(( $(date +%s) - t0 )) s"
}

suite checkpatch "$top/scripts/lint.sh" checkpatch
suite kerneldoc  "$top/scripts/lint.sh" kerneldoc
suite roundtrip  "$top/scripts/lint.sh" roundtrip
suite sparse     "$top/scripts/lint.sh" sparse
suite cocci      "$top/scripts/cocci.sh"
suite kunit-um   "$top/scripts/kunit.sh"
suite boot-patched bash -c "'$top/scripts/kernel.sh' patched && '$top/scripts/boot.sh' patched"
suite repro-pristine bash -c "'$top/scripts/kernel.sh' pristine && '$top/scripts/repro.sh' pristine"
suite repro-patched  bash -c "'$top/scripts/kernel.sh' patched && '$top/scripts/repro.sh' patched"
# The deadlock from an ordinary workload (ext4 data=journal, pinned pages).
suite natural-pristine bash -c "'$top/scripts/kernel.sh' pristine && '$top/scripts/natural.sh' pristine"
suite natural-patched  bash -c "'$top/scripts/kernel.sh' patched && '$top/scripts/natural.sh' patched"
# Data checks of the converted writeback paths (the kernel is built above).
suite fio-patched-ext4  "$top/scripts/fio.sh" patched ext4
suite fio-patched-xfs   "$top/scripts/fio.sh" patched xfs
suite fio-patched-btrfs "$top/scripts/fio.sh" patched btrfs
suite fio-patched-btrfs-compress_zstd-data60 \
	env FIO_OPTS=compress=zstd FIO_COMPRESS=60 "$top/scripts/fio.sh" patched btrfs

echo "=== summary ($(( $(date +%s) - start )) s)"
echo "base: $(cat "$top/build/linux/.git/plugcb-base" 2>/dev/null)"
[ ! -s "$top/build/base-note.txt" ] || cat "$top/build/base-note.txt"
cat "$res"/*.txt
awk '{
	for (i = 1; i < NF; i++) {
		if ($(i+1) ~ /^passed/)  p += $i
		if ($(i+1) ~ /^failed/)  f += $i
		if ($(i+1) ~ /^skipped/) s += $i
	}
} END {
	line = p " passed, " f " failed"
	if (s) line = line ", " s " skipped"
	print line
	exit (f > 0)
}' "$res"/*.txt
