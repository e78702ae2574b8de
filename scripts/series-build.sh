#!/bin/bash
# Builds every commit of the series on its own, so that the series bisects.
# Two configs: the x86_64 fragment kernel and the UML KUnit kernel from
# block/.kunitconfig, configured the way kunit.py does it (options a commit
# does not have yet are dropped by olddefconfig).  The target is every
# directory the commit touches that holds C code (block/ for the API
# patches, fs/ext4/ for the ext4 one, ...) plus vmlinux for the last
# commit, so that a header change that breaks a user shows up without
# relinking the kernel at every commit.  Uses a git worktree at
# build/<base>/bisect/linux, outputs beside it (bisect/x86_64, bisect/um),
# laid out like the patched kernel's and built with the same flags, so that
# ccache serves every object the commit has in common with a kernel.sh
# build.  Results in build/<base>/results/series-build.txt.
# SERIES_TIP=<rev> builds base..<rev> of build/<base>/linux instead of
# base..HEAD (another version of the series; its result file is not written).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"
tree=$B/linux
wt=$B/bisect/linux
kunitconfig=$tree/block/.kunitconfig
[ -f "$kunitconfig" ] || die "build/$BASE/linux has no block/.kunitconfig"
cc=gcc; command -v ccache >/dev/null && cc="ccache gcc"
# As scripts/kernel.sh: paths relative to build/<base>, __FILE__ without ../linux/.
export CCACHE_BASEDIR=$B
kcflags="${KCFLAGS:+$KCFLAGS }-fmacro-prefix-map=../linux/="
[ -d "$wt" ] || { git -C "$tree" worktree prune; mkdir -p "$B/bisect"; git -C "$tree" worktree add -q --detach "$wt" base; }
mkdir -p "$B/results"
tip=$(git -C "$tree" rev-parse --verify -q "${SERIES_TIP:-HEAD}^{commit}") ||
	die "SERIES_TIP=${SERIES_TIP:-HEAD} is not a commit of build/$BASE/linux"
pass=0 fail=0
for c in $(git -C "$tree" rev-list --reverse "base..$tip"); do
	subj=$(git -C "$tree" log -1 --format=%s "$c")
	git -C "$wt" checkout -q --detach "$c"
	for arch in x86_64 um; do
		out=$B/bisect/$arch
		mkdir -p "$out"
		t0=$(date +%s)
		if [ $arch = x86_64 ]; then
			make -s -C "$wt" O="$out" tinyconfig >/dev/null
			# The test kernels' fragments (kernel.sh patched), not
			# memcheck's KASAN or bench's tracing.
			"$wt/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" \
				"$top"/config/{x86_64,debug,kunit}.config >/dev/null
			make -s -C "$wt" O="$out" olddefconfig >/dev/null
		else
			cat "$kunitconfig" "$tree/tools/testing/kunit/configs/arch_uml.config" \
				>"$out/.config" 2>/dev/null || cp "$kunitconfig" "$out/.config"
			make -s -C "$wt" ARCH=um O="$out" olddefconfig >/dev/null
		fi
		targets=$(git -C "$tree" diff-tree --no-commit-id --name-only -r "$c" -- '*.c' '*.h' |
			{ grep -v '^include/' || true; } | while read -r f; do
				d=$(dirname "$f")	# the nearest directory kbuild descends into
				while [ ! -e "$wt/$d/Makefile" ] && [ ! -e "$wt/$d/Kbuild" ]; do d=$(dirname "$d"); done
				echo "$d/"
			done | sort -u)
		[ -n "$targets" ] || targets=block/	# headers only: their first user
		[ "$c" = "$tip" ] && targets="$targets vmlinux"

		if make -C "$wt" ARCH=$arch O="$out" CC="$cc" KCFLAGS="$kcflags" -j"$(nproc)" $targets \
			>"$out/build.log" 2>&1; then
			pass=$((pass + 1)); st=ok
		else
			fail=$((fail + 1)); st=FAILED
			# The first errors; a link error names no "error", only what is missing.
			grep -E -i 'error|undefined reference|multiple definition' "$out/build.log" | head -n 10 || true
		fi
		printf '%-7s %-6s %4ss  %s\n' "$st" "$arch" $(( $(date +%s) - t0 )) "$subj"
	done
done
if [ -z "${SERIES_TIP:-}" ]; then
	echo "series-build: $pass passed, $fail failed" | tee "$B/results/series-build.txt"
else
	echo "series-build ($SERIES_TIP): $pass passed, $fail failed"
fi
[ $fail = 0 ]
