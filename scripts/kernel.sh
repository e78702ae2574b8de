#!/bin/bash
# Builds an x86_64 bzImage from tinyconfig + config/*.config fragments.
#   scripts/kernel.sh patched    build/<base>/linux at HEAD     -> build/<base>/x86-patched
#   scripts/kernel.sh pristine   build/<base>/linux at tag base -> build/<base>/x86-pristine
#   scripts/kernel.sh patched-memcheck   HEAD with KASAN, kmemleak and the
#                                filesystems as modules (bzImage and modules)
#                                -> build/<base>/x86-patched-memcheck
#   scripts/kernel.sh bench-patched      HEAD, and tag base, with
#   scripts/kernel.sh bench-pristine     config/bench.config instead of the
#                                debug options and KUnit (make bench)
#                                -> build/<base>/x86-bench-{patched,pristine}
#   scripts/kernel.sh fstests-patched    HEAD, and tag base, with
#   scripts/kernel.sh fstests-pristine   config/fstests.config (a 9p root,
#                                loop, dm, quota; no KUnit; make fstests)
#                                -> build/<base>/x86-fstests-{patched,pristine}
# KERNEL_TARGET=prepare (say) builds that target instead of bzImage.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"

which=${1:-patched}
targets=("${KERNEL_TARGET:-bzImage}")
tree=$B/linux
out=$B/x86-$which
frags=("$top/config/x86_64.config" "$top/config/debug.config")
case "$which" in
patched)  src=$tree; frags+=("$top/config/kunit.config") ;;
patched-memcheck)
	src=$tree; frags+=("$top/config/kunit.config" "$top/config/memcheck.config")
	targets=(bzImage modules) ;;
pristine|bench-pristine|fstests-pristine)
	# The pristine worktree and its outputs sit side by side as the patched
	# ones do (build/<base>/pristine/{linux,x86,x86-bench}: the source is
	# ../linux from any output), so that ccache, with CCACHE_BASEDIR below,
	# serves every object the series does not change from the patched
	# build.  build/<base>/{linux,x86,x86-bench}-pristine name them for
	# the others.
	src=$B/pristine/linux
	if [ ! -d "$src" ]; then
		git -C "$tree" worktree prune
		mkdir -p "$B/pristine"
		if [ -d "$B/linux-pristine" ] && [ ! -L "$B/linux-pristine" ]; then
			git -C "$tree" worktree move "$B/linux-pristine" "$src"
		else
			git -C "$tree" worktree add -q --detach "$src" base
		fi
	fi
	ln -sfn pristine/linux "$B/linux-pristine"
	if [ "$which" = pristine ]; then
		out=$B/pristine/x86
		[ -L "$B/x86-pristine" ] || rm -rf "$B/x86-pristine"
		ln -sfn pristine/x86 "$B/x86-pristine"
	elif [ "$which" = bench-pristine ]; then
		out=$B/pristine/x86-bench
		frags=("$top/config/x86_64.config" "$top/config/bench.config")
		ln -sfn pristine/x86-bench "$B/x86-bench-pristine"
	else
		out=$B/pristine/x86-fstests
		frags+=("$top/config/fstests.config")
		ln -sfn pristine/x86-fstests "$B/x86-fstests-pristine"
	fi ;;
fstests-patched)
	src=$tree; frags+=("$top/config/fstests.config") ;;
bench-patched)
	src=$tree; frags=("$top/config/x86_64.config" "$top/config/bench.config") ;;
*) die "usage: kernel.sh patched|pristine|patched-memcheck|bench-patched|bench-pristine|fstests-patched|fstests-pristine" ;;
esac
[ -f "$src/Makefile" ] || die "no kernel tree at $src; run 'make tree'"

cc=gcc
command -v ccache >/dev/null && cc="ccache gcc"
# ccache hashes paths under build/<base> relative to the output directory,
# and __FILE__ loses the same ../linux/ prefix kbuild's own
# -fmacro-prefix-map takes off an absolute path.
export CCACHE_BASEDIR=$B
kcflags="${KCFLAGS:+$KCFLAGS }-fmacro-prefix-map=../linux/="
mkdir -p "$out"
# Rebuild the config only when a fragment changed.
stamp=$(cat "${frags[@]}" | sha1sum | cut -c1-12)
if [ "$(cat "$out/.frag-stamp" 2>/dev/null)" != "$stamp" ]; then
	make -s -C "$src" O="$out" CC="$cc" KCFLAGS="$kcflags" tinyconfig >/dev/null
	"$src/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" "${frags[@]}" >"$out/merge.log"
	make -s -C "$src" O="$out" CC="$cc" KCFLAGS="$kcflags" olddefconfig >/dev/null
	# Every option a fragment asks for must survive olddefconfig (a
	# later fragment overrides an earlier one).
	bad=0
	while read -r line; do
		grep -qxF "$line" "$out/.config" || { echo "config: $line did not take" >&2; bad=1; }
	done < <(cat "${frags[@]}" | awk '/^CONFIG_[A-Za-z0-9_]+=/ { split($0, a, "="); v[a[1]] = $0 }
		/^# CONFIG_[A-Za-z0-9_]+ is not set/ { delete v[$2] }
		END { for (k in v) print v[k] }' | sort)
	[ $bad = 0 ] || die "config fragments do not apply to $which"
	echo "$stamp" >"$out/.frag-stamp"
fi
echo "kernel: building $which ($(cat "$tree/.git/plugcb-base")) in ${out#"$top"/}"
start=$(date +%s)
make -C "$src" O="$out" CC="$cc" KCFLAGS="$kcflags" -j"$(nproc)" "${targets[@]}" >"$out/build.log" 2>&1 &
pid=$!
# (|| true: a failed kill in an EXIT trap would become the exit status.)
trap 'kill "$pid" 2>/dev/null || true' EXIT
# Waits up to $2 seconds for process $1 to end; false if it still runs.
wait_timeout() {
	local i
	for ((i = 0; i < $2; i++)); do
		kill -0 "$1" 2>/dev/null || return 0
		sleep 1
	done
	! kill -0 "$1" 2>/dev/null
}
# A cold build takes minutes: a line every KERNEL_PROGRESS seconds (default 60).
while ! wait_timeout "$pid" "${KERNEL_PROGRESS:-60}"; do
	echo "kernel: building $which: $(grep -c '^  [A-Z]' "$out/build.log") steps in $(( $(date +%s) - start )) s, now: $(tail -n1 "$out/build.log" | sed 's/^ *//' | cut -c1-60)"
done
if ! wait "$pid"; then
	grep -E 'error|Error' "$out/build.log" | head -20 >&2
	die "kernel build failed ($which); log: ${out#"$top"/}/build.log"
fi
echo "kernel: $which built in $(( $(date +%s) - start )) s: ${out#"$top"/}/arch/x86/boot/bzImage"
