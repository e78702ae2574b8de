# shellcheck shell=bash disable=SC2154 # die() comes from scripts/lib.sh
# Dynamically linked host programs in a test VM (sourced, not run).
# add_dynamic <program> <path in the initramfs>: appends to the caller's
# array "files" (make_initramfs's <file>:<path> arguments) the program, every
# library ldd names (flat in /usr/lib/dyn: the VM script sets
# LD_LIBRARY_PATH=/usr/lib/dyn) and the dynamic loader at its own path.
add_dynamic() {
	local prog=$1 dst=$2 lib loader
	[ -x "$prog" ] || die "no program $prog"
	files+=("$prog:$dst")
	while read -r lib; do
		files+=("$(readlink -f "$lib"):usr/lib/dyn/${lib##*/}")
	done < <(ldd "$prog" | awk '$2 == "=>" && $3 ~ /^\// { print $3 }')
	loader=$(ldd "$prog" | awk '$1 ~ /^\/.*ld-linux/ { print $1 }')
	[ -n "$loader" ] || die "ldd names no dynamic loader for $prog"
	files+=("$(readlink -f "$loader"):${loader#/}")
}
