#!/bin/bash
# Builds an x86_64 bzImage from tinyconfig + config/*.config fragments.
#   scripts/kernel.sh patched    build/<base>/linux at HEAD     -> build/<base>/x86-patched
#   scripts/kernel.sh pristine   build/<base>/linux at tag base -> build/<base>/x86-pristine
#   scripts/kernel.sh patched-memcheck   HEAD with KASAN, kmemleak and the
#                                filesystems as modules (bzImage and modules)
#                                -> build/<base>/x86-patched-memcheck
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
pristine) src=$B/linux-pristine
	  if [ ! -d "$src" ]; then
		  git -C "$tree" worktree prune
		  git -C "$tree" worktree add -q --detach "$src" base
	  fi ;;
*) die "usage: kernel.sh patched|pristine|patched-memcheck" ;;
esac
[ -f "$src/Makefile" ] || die "no kernel tree at $src; run 'make tree'"

cc=gcc
command -v ccache >/dev/null && cc="ccache gcc"
mkdir -p "$out"
# Rebuild the config only when a fragment changed.
stamp=$(cat "${frags[@]}" | sha1sum | cut -c1-12)
if [ "$(cat "$out/.frag-stamp" 2>/dev/null)" != "$stamp" ]; then
	make -s -C "$src" O="$out" CC="$cc" tinyconfig >/dev/null
	"$src/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" "${frags[@]}" >"$out/merge.log"
	make -s -C "$src" O="$out" CC="$cc" olddefconfig >/dev/null
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
if ! make -C "$src" O="$out" CC="$cc" -j"$(nproc)" "${targets[@]}" >"$out/build.log" 2>&1; then
	grep -E 'error|Error' "$out/build.log" | head -20 >&2
	die "kernel build failed ($which); log: ${out#"$top"/}/build.log"
fi
echo "kernel: $which built in $(( $(date +%s) - start )) s: ${out#"$top"/}/arch/x86/boot/bzImage"
