# shellcheck shell=bash disable=SC2154 # $top and die() come from the caller
# Shared helpers for scripts that boot a test VM (sourced, not run).
# Needs $top (the repository root).  Used by scripts/boot.sh and
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
# TCG (-cpu max), -no-reboot: the guest ends with reboot -f.  Returns QEMU's
# exit status (124 or 137: timed out); the console goes to <log>.
# VM_NICE (default 10) is the niceness QEMU runs at.
run_qemu() {
	local kernel=$1 initrd=$2 log=$3 secs=$4 append=$5 rc khz
	shift 5
	khz=$(host_tsc_khz)
	if [ -n "$khz" ]; then
		append+=" tsc_early_khz=$khz"
	else
		echo "vm: host TSC rate unknown (set VM_TSC_KHZ): guest times may be in 4 ms steps" >&2
	fi
	set +e
	nice -n "${VM_NICE:-10}" timeout --foreground -k 5 "$secs" qemu-system-x86_64 \
		-machine pc -cpu max -smp 2 -m 1G -no-reboot \
		-display none -monitor none -serial stdio \
		-kernel "$kernel" -initrd "$initrd" \
		-append "console=ttyS0 panic=-1 tsc=reliable $append" \
		"$@" </dev/null >"$log" 2>&1
	rc=$?
	set -e
	return $rc
}
