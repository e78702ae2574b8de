#!/bin/bash
# Static checks of the series, each one a test suite with a result line in
# build/results/<name>.txt:
#   checkpatch  scripts/checkpatch.pl --strict on every patch (no signoff:
#               that is left to whoever submits upstream)
#   kerneldoc   scripts/kernel-doc -none -Wall on every changed .c/.h file
#   sparse      make C=2 block/: no sparse warning that pristine 6.12 lacks
#   roundtrip   a fresh tree from patches/ exports to the same patches/
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"
tree=$top/build/linux
mkdir -p "$top/build/results"
pass=0 fail=0
ok()  { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
result() {
	echo "$1: $pass passed, $fail failed" | tee "$top/build/results/$1.txt"
	[ $fail = 0 ]
}

case "${1:-}" in
checkpatch)
	# FILE_PATH_CHANGES is ignored: the files the series adds are under
	# block/ and scripts/coccinelle/, which MAINTAINERS already covers.
	# CHECKs are shown; ERRORs and WARNINGs fail the patch.
	for p in $(grep -v '^0000' "$top/patches/series"); do
		# PATH: spdxcheck.py wants Debian's python3 (with ply and git).
		out=$(cd "$tree" && PATH=/usr/bin:$PATH ./scripts/checkpatch.pl --strict --no-signoff \
			--ignore FILE_PATH_CHANGES --quiet --show-types \
			"$top/patches/$p" || true)
		if grep -qE '^(ERROR|WARNING)' <<<"$out"; then
			bad "checkpatch $p"; sed 's/^/  /' <<<"$out"
		else
			ok
			grep -E '^CHECK' <<<"$out" | sed "s|^|  $p: |" || true
		fi
	done
	result checkpatch ;;
kerneldoc)
	# Only warnings that pristine 6.12 does not give count (compared
	# without line numbers).
	kd() { ./scripts/kernel-doc -none -Wall "$1" 2>&1 | sed -E 's/:[0-9]+:/:/' | sort -u; }
	for f in $(git -C "$tree" diff --name-only --diff-filter=AM base..HEAD -- '*.c' '*.h'); do
		now=$(cd "$tree" && kd "$f")
		was=$(cd "$tree" && git show "base:$f" >/dev/null 2>&1 &&
			git show "base:$f" >"$top/build/kd-base.tmp" &&
			kd "$top/build/kd-base.tmp" | sed "s|$top/build/kd-base.tmp|$f|" || true)
		new=$(comm -23 <(echo "$now") <(echo "$was") | sed '/^$/d')
		if [ -n "$new" ]; then bad "kernel-doc $f"; sed 's/^/  /' <<<"$new"; else ok; fi
	done
	rm -f "$top/build/kd-base.tmp"
	result kerneldoc ;;
sparse)
	# Warnings are compared without line numbers: the series moves lines.
	# block/ whole, and every other C file the series changes.
	targets="block/ $(git -C "$tree" diff --name-only base HEAD -- '*.c' |
		grep -v '^block/' | sed 's/\.c$/.o/' | tr '\n' ' ')"
	for which in pristine patched; do
		KERNEL_TARGET=prepare "$top/scripts/kernel.sh" "$which" >/dev/null
		src=$tree; [ $which = pristine ] && src=$top/build/linux-pristine
		# shellcheck disable=SC2086 # one target per word
		make -s -C "$src" O="$top/build/x86-$which" C=2 $targets 2>&1 |
			grep -E '^[a-z]+/[^:]+:[0-9]+:[0-9]+: (warning|error):' |
			sed -E 's/:[0-9]+:[0-9]+:/:/' | sort -u >"$top/build/sparse-$which.txt" || true
	done
	new=$(comm -13 "$top/build/sparse-pristine.txt" "$top/build/sparse-patched.txt")
	echo "sparse: $targets: pristine $(wc -l <"$top/build/sparse-pristine.txt") warnings, patched $(wc -l <"$top/build/sparse-patched.txt")"
	if [ -n "$new" ]; then bad "sparse warnings the series adds:"; sed 's/^/  /' <<<"$new"; else ok; fi
	result sparse ;;
roundtrip)
	# Re-create the tree from the package and patches/ in a scratch
	# directory, export it there, and compare with patches/.
	scratch=$top/build/roundtrip
	rm -rf "$scratch" && mkdir -p "$scratch/build"
	cp -a "$top/scripts" "$top/patches" "$scratch/"
	cp -al "$top/build/dl" "$scratch/build/dl" 2>/dev/null || true
	if (cd "$scratch" && scripts/tree.sh && scripts/export.sh) >"$top/build/roundtrip.log" 2>&1 &&
	   diff -r "$top/patches" "$scratch/patches" >"$top/build/roundtrip.diff"; then
		ok
	else
		bad "round trip changes patches/ (build/roundtrip.log, build/roundtrip.diff)"
		head -n 30 "$top/build/roundtrip.diff" 2>/dev/null
	fi
	rm -rf "$scratch"
	result roundtrip ;;
*) die "usage: lint.sh checkpatch|kerneldoc|sparse|roundtrip" ;;
esac
