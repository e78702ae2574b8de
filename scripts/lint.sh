#!/bin/bash
# Static checks of the series, each one a test suite with a result line in
# build/<base>/results/<name>.txt:
#   checkpatch  scripts/checkpatch.pl --strict on every patch (no signoff:
#               that is left to whoever submits upstream)
#   kerneldoc   scripts/kernel-doc -none -Wall on every changed .c/.h file
#   sparse      make C=2 block/: no sparse warning that the pristine base lacks
#   roundtrip   the tree (made from the package and patches/ on a fresh
#               clone) exports to the same series; so does a base where
#               every hunk moved; a conflicting base fails
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"
tree=$B/linux
mkdir -p "$B/results"
pass=0 fail=0
ok()  { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
result() {
	echo "$1: $pass passed, $fail failed" | tee "$B/results/$1.txt"
	[ $fail = 0 ]
}

case "${1:-}" in
checkpatch)
	# FILE_PATH_CHANGES is ignored: the files the series adds are under
	# block/ and scripts/coccinelle/, which MAINTAINERS already covers.
	# CHECKs are shown; ERRORs and WARNINGs fail the patch.
	for p in $(grep '^[0-9]' "$P/series" | grep -v '^0000'); do
		# PATH: spdxcheck.py wants Debian's python3 (with ply and git).
		out=$(cd "$tree" && PATH=/usr/bin:$PATH ./scripts/checkpatch.pl --strict --no-signoff \
			--ignore FILE_PATH_CHANGES --quiet --show-types \
			"$P/$p" || true)
		if grep -qE '^(ERROR|WARNING)' <<<"$out"; then
			bad "checkpatch $p"; sed 's/^/  /' <<<"$out"
		else
			ok
			grep -E '^CHECK' <<<"$out" | sed "s|^|  $p: |" || true
		fi
	done
	result checkpatch ;;
kerneldoc)
	# Only warnings that the pristine base does not give count (compared
	# without line numbers: "file:12:" from the perl kernel-doc of 6.12,
	# "file:12 " from the python one of 7.x).
	kd() { ./scripts/kernel-doc -none -Wall "$1" 2>&1 | sed -E 's/:[0-9]+:/:/; s/:[0-9]+ /: /' | sort -u; }
	for f in $(git -C "$tree" diff --name-only --diff-filter=AM base..HEAD -- '*.c' '*.h'); do
		now=$(cd "$tree" && kd "$f")
		was=$(cd "$tree" && git show "base:$f" >/dev/null 2>&1 &&
			git show "base:$f" >"$B/kd-base.tmp" &&
			kd "$B/kd-base.tmp" | sed "s|$B/kd-base.tmp|$f|" || true)
		new=$(comm -23 <(echo "$now") <(echo "$was") | sed '/^$/d')
		if [ -n "$new" ]; then bad "kernel-doc $f"; sed 's/^/  /' <<<"$new"; else ok; fi
	done
	rm -f "$B/kd-base.tmp"
	result kerneldoc ;;
sparse)
	# SPARSE_SRC=<git tree or mirror of sparse, or of smatch, which carries
	# sparse>: sparse is built from its HEAD in build/tools/sparse and used
	# instead of Debian's.
	sparse=sparse
	if [ -n "${SPARSE_SRC:-}" ]; then
		rev=$(git -C "$SPARSE_SRC" rev-parse --verify -q HEAD) ||
			die "SPARSE_SRC=$SPARSE_SRC is not a git tree"
		sdir=$top/build/tools/sparse
		if [ "$(cat "$sdir/.plugcb-rev" 2>/dev/null)" != "$rev" ]; then
			rm -rf "$sdir" && mkdir -p "$top/build/tools"
			git clone -q "$SPARSE_SRC" "$sdir" && git -C "$sdir" checkout -q "$rev" ||
				{ rm -rf "$sdir"; die "SPARSE_SRC=$SPARSE_SRC: git clone failed"; }
			if ! make -C "$sdir" -j"$(nproc)" sparse >"$top/build/tools/sparse.log" 2>&1; then
				rm -rf "$sdir"
				die "SPARSE_SRC=$SPARSE_SRC: sparse does not build; log: build/tools/sparse.log"
			fi
			echo "$rev" >"$sdir/.plugcb-rev"
		fi
		sparse=$sdir/sparse
		echo "sparse: $("$sparse" --version 2>&1 | head -n1), built from $SPARSE_SRC at ${rev:0:12}"
	fi
	# Newer kernels refuse a sparse that does not know their C
	# (scripts/checker-valid.sh; 7.x needs __typeof_unqual__): then make
	# C=2 checks nothing, and the suite says so instead of passing.
	if [ -f "$tree/scripts/checker-valid.sh" ] &&
	   [ "$(sh "$tree/scripts/checker-valid.sh" "$sparse" 2>/dev/null)" != 1 ]; then
		echo "sparse: 0 passed, 0 failed, 1 skipped (sparse $("$sparse" --version 2>&1 | head -n1) fails $BASE's scripts/checker-valid.sh: too old for this kernel; SPARSE_SRC=<a sparse or smatch git tree> builds a newer one)" |
			tee "$B/results/sparse.txt"
		exit 0
	fi
	# Warnings are compared without line numbers: the series moves lines.
	# block/ whole, and every other C file the series changes.
	targets="block/ $(git -C "$tree" diff --name-only base HEAD -- '*.c' |
		grep -v '^block/' | sed 's/\.c$/.o/' | tr '\n' ' ')"
	for which in pristine patched; do
		KERNEL_TARGET=prepare "$top/scripts/kernel.sh" "$which" >/dev/null
		src=$tree; [ $which = pristine ] && src=$B/linux-pristine
		# shellcheck disable=SC2086 # one target per word
		# Out of tree, the tools name files by absolute path: made
		# relative here, or no warning would ever match.
		make -s -C "$src" O="$B/x86-$which" C=2 CHECK="$sparse" $targets 2>&1 |
			sed "s|^$(cd "$src" && pwd -P)/||" |
			grep -E '^[a-z]+/[^:]+:[0-9]+:[0-9]+: (warning|error):' |
			sed -E 's/:[0-9]+:[0-9]+:/:/' | sort -u >"$B/sparse-$which.txt" || true
	done
	new=$(comm -13 "$B/sparse-pristine.txt" "$B/sparse-patched.txt")
	echo "sparse: $targets: pristine $(wc -l <"$B/sparse-pristine.txt") warnings, patched $(wc -l <"$B/sparse-patched.txt")"
	if [ -n "$new" ]; then bad "sparse warnings the series adds:"; sed 's/^/  /' <<<"$new"; else ok; fi
	result sparse ;;
roundtrip)
	# 1. Export build/<base>/linux into a scratch patches/ and compare it
	#    with patches/ the way a reviewer would (scripts/series-diff.sh:
	#    messages and git patch-ids; hunks that only moved are a note, not
	#    a failure).  On a fresh clone, tree.sh has just made that tree
	#    from the package and patches/ (the start of make check), so this
	#    is the whole round trip; in a working tree it also says whether
	#    the tree carries something patches/ lacks.  (Re-creating the tree
	#    from the package here again proved no more, for 45 s to 2 min of
	#    extracting and hashing 90k files per base.)
	# ROUNDTRIP_DRIFT=0 leaves out 2. and 3. (make check does so on the
	# second base: they test tree.sh and series-diff.sh, which do not
	# depend on the base).
	t0=$(date +%s)
	scratch=$B/roundtrip
	rm -rf "$scratch" && mkdir -p "$scratch/patches" "$scratch/build/$BASE"
	cp -a "$top/scripts" "$scratch/" && cp -a "$P" "$scratch/patches/"
	ln -s "$(cd "$tree" && pwd -P)" "$scratch/build/$BASE/linux"
	if ! (cd "$scratch" && scripts/export.sh) >"$B/roundtrip.log" 2>&1; then
		bad "round trip: export failed (build/$BASE/roundtrip.log):"
		sed 's/^/  /' "$B/roundtrip.log"
	elif "$top/scripts/series-diff.sh" "$P" "$scratch/patches/$BASE"; then
		ok
	else
		bad "round trip: build/$BASE/linux exports to a series other than patches/$BASE (not only its hunk positions)"
	fi
	rm -rf "$scratch"
	echo "round trip: $(( $(date +%s) - t0 )) s"
	if [ "${ROUNDTRIP_DRIFT:-1}" = 0 ]; then result roundtrip; exit; fi

	# 2. and 3. The same on two made-up bases, clones of build/<base>/linux's
	#    tag base with one commit on top (KERNEL_SRC): a line added at the
	#    top of every file the series changes, which moves every hunk
	#    (must pass, with the note), and a line that the last patch
	#    removes changed (must fail, naming that patch).  The edits are
	#    derived from patches/, not from line numbers of the base.
	clone=$B/drift-linux
	rm -rf "$clone" "$scratch" && mkdir -p "$scratch/patches"
	cp -a "$top/scripts" "$scratch/" && cp -a "$P" "$scratch/patches/"
	git clone -q --shared --no-checkout "$tree" "$clone"
	git -C "$clone" checkout -q --detach base
	git_identity "$clone"
	drift_base() {	# $1: message; the edits are made by the caller
		git -C "$clone" commit -q -a -m "$1"
		git -C "$clone" tag -d base >/dev/null
	}
	files=$(grep -h '^--- a/' "$P"/0*.patch | sed 's|^--- a/||' | sort -u)
	for f in $files; do sed -i '1i /* a line added upstream */' "$clone/$f"; done
	drift_base "drift: a line above every hunk"
	if ! (cd "$scratch" && KERNEL_SRC=$clone scripts/tree.sh && scripts/export.sh) \
		>"$B/drift.log" 2>&1; then
		bad "drift: the series does not apply to a base with a line added above its hunks:"
		sed 's/^/  /' "$B/drift.log"
	elif out=$("$top/scripts/series-diff.sh" "$P" "$scratch/patches/$BASE") &&
	     grep -q 'only index lines and hunk positions moved' <<<"$out"; then
		ok; echo "drift (a line above every hunk): passes; series-diff says:"; sed 's/^/  /' <<<"$out"
	else
		bad "drift: series-diff did not see the same series with moved hunks:"; sed 's/^/  /' <<<"$out"
	fi

	# The first line that the last patch touching an existing file removes.
	last="" f="" n=""
	for p in $(grep '^[0-9]' "$P/series" | grep -v '^0000' | tac); do
		read -r f n < <(awk '/^--- / { f = ($2 ~ /^a\//) ? substr($2, 3) : ""; h = 0; next }
			/^@@ / { split($2, a, ","); n = -a[1]; h = 1; next }
			/^diff --git / { h = 0 }
			f && h && /^[ -]/ { if (/^-/) { print f, n; exit } n++ }' "$P/$p") || true
		if [ -n "$f" ]; then last=$P/$p; break; fi
	done
	[ -n "$last" ] || die "roundtrip: no patch of the series removes a line"
	git -C "$clone" checkout -q -f --detach "$(git -C "$tree" rev-parse base)"
	sed -i "${n}s|\$| /* changed upstream */|" "$clone/$f"
	drift_base "drift: a line the series removes changed"
	rm -rf "$scratch/patches/$BASE" && cp -a "$P" "$scratch/patches/"
	if (cd "$scratch" && KERNEL_SRC=$clone scripts/tree.sh) >"$B/drift.log" 2>&1; then
		bad "conflict: the series applied although $f:$n, which $(basename "$last") removes, changed"
	elif grep -q "^error: patch $(basename "$last") does not apply" "$B/drift.log"; then
		ok; echo "conflict ($f:$n changed): fails as it must:"; sed 's/^/  /' "$B/drift.log"
	else
		bad "conflict: tree.sh failed without naming $(basename "$last"):"; sed 's/^/  /' "$B/drift.log"
	fi
	rm -rf "$clone" "$scratch"
	result roundtrip ;;
*) die "usage: lint.sh checkpatch|kerneldoc|sparse|roundtrip" ;;
esac
