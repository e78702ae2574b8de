#!/bin/bash
# The rule of make fstests ("the series adds no failure") on made-up runs:
# scripts/fstests-table.py must pass and fail what it should, so that a
# regression fstests finds cannot come out green.  Needs no fstests, no VM.
# Ends with "fstests-table: N passed, N failed".
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0

# run <kernel> <section> <check.out text> [stuck text]: a made-up run dir;
# its tests are the ones named at the start of check.out's lines.
run() {
	local d=$tmp/runs/mainline-$1-$2
	mkdir -p "$d"
	printf '%s\n' "$3" >"$d/check.out"
	grep -oE '^[a-z0-9]+/[0-9]+' "$d/check.out" >"$d/tests"
	[ -z "${4:-}" ] || echo "$4" >"$d/stuck"
}
# expect <case> <exit status> <summary line> [a line the output must have]
expect() {
	local out rc=0
	out=$(python3 "$top/scripts/fstests-table.py" --name t --runs "$tmp/runs" --base mainline \
		--kernels "pristine patched" --sections "ext4" --known "$tmp/known" --header h \
		--table "$tmp/t.md" --result "$tmp/r.txt" 2>&1) || rc=$?
	if [ "$rc" = "$2" ] && grep -qxF "$3" <<<"$out" && { [ -z "${4:-}" ] || grep -qF -- "$4" <<<"$out"; }; then
		echo "PASS $1"
		passed=$((passed + 1))
	else
		echo "FAIL $1 (exit $rc, want $2 and '$3'${4:+ and '$4'}); output:"
		sed 's/^/  | /' <<<"$out"
		failed=$((failed + 1))
	fi
	rm -rf "$tmp/runs"
}
: >"$tmp/known"
mkdir -p "$B/results"

run pristine ext4 $'generic/001 3s ...  3s\ngeneric/002       [not run] this test requires a valid $SCRATCH_DEV'
run patched ext4 $'generic/001 3s ...  4s\ngeneric/002       [not run] this test requires a valid $SCRATCH_DEV'
expect pass-and-notrun 0 "t: 1 passed, 0 failed, 1 skipped"

run pristine ext4 $'generic/001 3s ...  3s'
run patched ext4 $'generic/001 3s ... - output mismatch (see /x/generic/001.out.bad)\nFailures: generic/001'
expect added-failure 1 "t: 0 passed, 1 failed, 0 skipped" "the series adds this failure"

run pristine ext4 $'generic/001 3s ...  3s'
run patched ext4 $'generic/001 3s ...  3s _check_dmesg: something found (see /x/generic/001.dmesg)'
expect dmesg-splat 1 "t: 0 passed, 1 failed, 0 skipped" "_check_dmesg"

run pristine ext4 $'generic/001 3s ... - output mismatch\nFailures: generic/001'
run patched ext4 $'generic/001 3s ... - output mismatch\nFailures: generic/001'
expect failing-on-both-unlisted 1 "t: 0 passed, 1 failed, 0 skipped" "not in fstests/known-failures"

echo "generic/001 ext4 fails on pristine: a made-up reason" >"$tmp/known"
run pristine ext4 $'generic/001 3s ... - output mismatch\nFailures: generic/001'
run patched ext4 $'generic/001 3s ... - output mismatch\nFailures: generic/001'
expect failing-on-both-listed 0 "t: 0 passed, 0 failed, 1 skipped" "known pristine failure: fails on pristine"
: >"$tmp/known"

run pristine ext4 $'generic/001 3s ...  3s\ngeneric/002 3s ...  3s'
run patched ext4 $'generic/001 3s ...  3s\ngeneric/002' "VM did not finish (qemu exit 124), stuck in generic/002"
expect stuck-vm 1 "t: 1 passed, 1 failed, 0 skipped" "stuck in generic/002"

run pristine ext4 $'generic/001 3s ...  3s'
run patched ext4 $'generic/001 3s ...  3s'
: >"$tmp/runs/mainline-pristine-ext4/splats"
echo "WARNING: possible circular locking dependency detected" >"$tmp/runs/mainline-patched-ext4/splats"
expect console-splat 1 "t: 1 passed, 1 failed, 0 skipped" "kernel-log"

run pristine ext4 $'generic/001 3s ... [failed, exit status 1]- output mismatch'
run patched ext4 $'generic/001 3s ...  3s'
expect fixed-by-series 0 "t: 1 passed, 0 failed, 0 skipped"

echo "fstests-table: $passed passed, $failed failed" | tee "$B/results/fstests-table.txt"
[ "$failed" = 0 ]
