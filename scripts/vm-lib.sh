# shellcheck shell=bash disable=SC2154 # $top and die() come from the caller
# Shared helpers for scripts that boot a test VM (sourced, not run).
# Needs $top (the repository root).  Used by scripts/boot.sh,
# scripts/repro.sh.

# make_initramfs <out.cpio.gz> [<file>:<path in the initramfs>]...
# busybox-static as /bin/busybox, vm/init as /init, plus the files given
# (each keeps its mode).
make_initramfs() {
	local out=$1 spec src dst root
	shift
	root=${out%.cpio.gz}.d
	rm -rf "$root" && mkdir -p "$root"/{bin,proc,sys,dev,tmp,tests,mnt}
	cp /bin/busybox "$root/bin/busybox"
	install -m 755 "$top/vm/init" "$root/init"
	for spec in "$@"; do
		src=${spec%%:*}
		dst=$root/${spec#*:}
		[ -f "$src" ] || die "initramfs: no file $src"
		mkdir -p "$(dirname "$dst")"
		cp -p "$src" "$dst"
	done
	(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$out" ||
		die "initramfs: cpio failed for $out"
}

# mkfs_cmd <fs>: sets the caller's array mkfs to the command that makes
# <fs> (ext4, xfs, btrfs, ext2 or vfat) on a disk image; false for any other.
mkfs_cmd() {
	case $1 in
	ext4) mkfs=(mkfs.ext4 -q -F) ;;
	ext2) mkfs=(mkfs.ext2 -q -F) ;;
	vfat) mkfs=(mkfs.vfat) ;;
	xfs) mkfs=(mkfs.xfs -q -f) ;;
	btrfs) mkfs=(mkfs.btrfs -q -f) ;;
	*) return 1 ;;
	esac
}

# The host's TSC rate: under TCG the guest's TSC runs at it.  Without an
# ACPI table the guest has no HPET or PM timer to calibrate the TSC against,
# falls back to refined-jiffies and then times everything in 4 ms steps;
# tsc_early_khz= on its command line avoids that.
host_tsc_khz() {
	local mhz
	if [ -n "${VM_TSC_KHZ:-}" ]; then
		echo "$VM_TSC_KHZ"
		return
	fi
	mhz=$(dmesg 2>/dev/null | sed -n -e 's/.*tsc: Refined TSC clocksource calibration: \([0-9.]*\) MHz.*/\1/p' \
		-e 's/.*tsc: Detected \([0-9.]*\) MHz processor.*/\1/p' | tail -n1 || true)
	if [ -z "$mhz" ] && grep -qw constant_tsc /proc/cpuinfo; then
		mhz=$(awk -F': *' '/^cpu MHz/ { print $2; exit }' /proc/cpuinfo)
	fi
	if [ -n "$mhz" ]; then
		awk -v m="$mhz" 'BEGIN { printf "%d\n", m * 1000 }'
	fi
}

# run_qemu <bzImage> <initramfs> <log> <timeout s> <append> [qemu args]...
# TCG (-cpu max), -no-reboot: the guest ends with reboot -f.  An empty
# <initramfs>: none (the root is in <append>).  Returns QEMU's
# exit status (124 or 137: timed out); the console goes to <log>.
# VM_NICE (default 10) is the niceness QEMU runs at, VM_MEM (default 1G)
# the guest's memory.  The guest has
# VM_CPUS (default 2) CPUs as sockets of one core each: with one socket of
# several cores, SeaBIOS lists only the package's first CPU in the MP table
# and the kernel (no ACPI here) brings up one.  A guest that reached init
# with fewer CPUs than that is an error.
run_qemu() {
	local kernel=$1 initrd=$2 log=$3 secs=$4 append=$5 rc khz cpus=${VM_CPUS:-2} seen
	shift 5
	[ -z "$initrd" ] || set -- -initrd "$initrd" "$@"
	khz=$(host_tsc_khz)
	if [ -n "$khz" ]; then
		append+=" tsc_early_khz=$khz"
	else
		echo "vm: host TSC rate unknown (set VM_TSC_KHZ): guest times may be in 4 ms steps" >&2
	fi
	set +e
	nice -n "${VM_NICE:-10}" timeout --foreground -k 5 "$secs" qemu-system-x86_64 \
		-machine pc -cpu max -smp "$cpus,sockets=$cpus,cores=1,threads=1" -m "${VM_MEM:-1G}" -no-reboot \
		-display none -monitor none -serial stdio \
		-kernel "$kernel" \
		-append "console=ttyS0 panic=-1 tsc=reliable $append" \
		"$@" </dev/null >"$log" 2>&1
	rc=$?
	set -e
	seen=$(sed -n 's/.*plugcb: init reached, .*, \([0-9]*\) CPUs online.*/\1/p' "$log" | head -n1)
	if [ -n "$seen" ] && [ "$seen" != "$cpus" ]; then
		die "vm: the guest brought up $seen of $cpus CPUs (console: ${log#"$top"/})"
	fi
	return $rc
}

# Another make in the same build dir (kernel.sh) would race with ours.
wait_build_idle() {	# kdir
	local waited=0
	while pgrep -f -- "make .*$1( |/|$)" >/dev/null; do
		[ $waited = 0 ] && echo "vm: waiting for the make running in ${1#"$top"/}"
		[ $waited -lt "${REPRO_WAIT:-1800}" ] ||
			die "a make is still running in ${1#"$top"/} after ${waited}s"
		sleep 10
		waited=$((waited + 10))
	done
}

# build_test_module <kernel build dir> <module dir> <log dir>
# Builds kunit/writeback_deadlock/ (writeback_deadlock_kunit.ko) out of tree
# against a kernel built by kernel.sh, in a copy of its sources at <module
# dir>: pristine and patched must not share objects.  Logs in <log dir>;
# REPRO_NICE (default 10) is the niceness of the builds.
build_test_module() {
	local kdir=$1 dst=$2 logs=$3 cc=gcc nice_n=${REPRO_NICE:-10}
	command -v ccache >/dev/null && cc="ccache gcc"
	[ -f "$kdir/arch/x86/boot/bzImage" ] ||
		die "no kernel in ${kdir#"$top"/}; run 'scripts/kernel.sh ${kdir##*/x86-}'"
	wait_build_idle "$kdir"
	mkdir -p "$dst" "$logs"
	if ! nice -n "$nice_n" make -C "$kdir" CC="$cc" -j"$(nproc)" modules_prepare \
		>"$logs/modules_prepare.log" 2>&1; then
		tail -n 20 "$logs/modules_prepare.log" >&2
		die "make modules_prepare failed in ${kdir#"$top"/}"
	fi
	# A bzImage build leaves vmlinux's exports in vmlinux.symvers, not
	# Module.symvers (that needs "make modules"), which is where modpost
	# looks for an external module: copy it (the 7.3 module build here
	# did not use vmlinux.symvers as KBUILD_EXTRA_SYMBOLS), so an
	# unexported symbol still fails the build.  "make bzImage modules"
	# (the memcheck kernel) writes Module.symvers itself.
	if [ -f "$kdir/vmlinux.symvers" ]; then
		cp "$kdir/vmlinux.symvers" "$kdir/Module.symvers"
	elif [ ! -f "$kdir/Module.symvers" ]; then
		die "no ${kdir#"$top"/}/vmlinux.symvers or Module.symvers; rebuild the kernel"
	fi
	rm -f "$dst"/*.c "$dst"/Kbuild "$dst"/Makefile
	cp "$top"/kunit/writeback_deadlock/{Kbuild,Makefile,*.c} "$dst/"
	if ! nice -n "$nice_n" make -C "$kdir" CC="$cc" M="$dst" modules \
		>"$logs/module.log" 2>&1; then
		grep -E 'error|warning' "$logs/module.log" | head -20 >&2
		die "module build against ${kdir#"$top"/} failed; log: ${logs#"$top"/}/module.log"
	fi
	if grep -E 'warning:|WARNING: modpost' "$logs/module.log" >&2; then
		die "module build against ${kdir#"$top"/} warns; log: ${logs#"$top"/}/module.log"
	fi
	[ -f "$dst/writeback_deadlock_kunit.ko" ] || die "no module in $dst"
}
