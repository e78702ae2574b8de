#!/bin/bash
# fstests on the pristine and the patched kernel, in QEMU (TCG).
#
#   scripts/fstests.sh [<section>...]        (default: ext4)
#
# <section>: a section of fstests/local.config (ext4, ext4-1k, ext4-journal,
# ext4-dioread_nolock, xfs, btrfs, btrfs-compress).  For each section and
# kernel one VM boots the fstests kernel (scripts/kernel.sh
# fstests-<which>: config/fstests.config) with the host's root filesystem
# as its root over virtio-9p, read-only (vm/fstests-init), two virtio disks
# as TEST_DEV and SCRATCH_DEV, and runs fstests' ./check on the tests of
# fstests/tests.list that apply to the section.
#
# fstests is not in this repository: FSTESTS names a git repository of it
# (a clone, bare or not, or a fetch of kdave/xfstests).  It is cloned and
# built in build/fstests/.
# When FSTESTS is not set or not there, the run reports skipped with that
# reason.
#
# The rule: the series adds no failure.  A test that fails on patched and
# passed on pristine fails the run, so does one that fails on patched with
# no pristine result, and one that fails on both unless fstests/known-failures
# lists it with the reason (it then counts as skipped).  A VM that does not
# finish fails, naming the test it was in.  Prints the table test x section x
# kernel and ends with
#   fstests-<list>: N passed, N failed, N skipped
# (also in build/<base>/results/).  Table: build/<base>/fstests/<list>.md;
# with FSTESTS_LIST=full it is also written to fstests/results/ (with the
# kernel and fstests versions and the date) to be committed.
#
# Environment:
#   FSTESTS          the fstests source (see above)
#   FSTESTS_LIST     smoke (default) or full: which tests of tests.list
#   FSTESTS_TESTS    run these tests instead (space-separated, e.g. generic/075)
#   FSTESTS_KERNELS  default "pristine patched"
#   FSTESTS_TIMEOUT  seconds one VM may run (default: 300 + 240 per test)
#   VM_NICE, VM_MEM (default here 2G), VM_CPUS: see scripts/vm-lib.sh
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"
. "$top/scripts/vm-lib.sh"
. "$top/vm/lib.sh"	# kernel_log_splats

list=${FSTESTS_LIST:-smoke}
case $list in smoke|full) ;; *) die "FSTESTS_LIST: smoke or full, not '$list'" ;; esac
name=fstests-$list
[ -n "${FSTESTS_TESTS:-}" ] && name=fstests-some
cfg=$top/fstests/local.config
sections=("$@")
[ ${#sections[@]} -gt 0 ] || sections=(ext4)
known_sections=$(sed -n 's/^\[\([A-Za-z0-9_-]*\)\]$/\1/p' "$cfg" | grep -vx default)
for s in "${sections[@]}"; do
	grep -qx -- "$s" <<<"$known_sections" ||
		die "no section '$s' in fstests/local.config (there: $(tr "\n" " " <<<"$known_sections"))"
done
kernels=${FSTESTS_KERNELS:-pristine patched}
for k in $kernels; do
	case $k in pristine|patched) ;; *) die "FSTESTS_KERNELS: pristine and/or patched, not '$k'" ;; esac
done
mkdir -p "$B/results"
rm -f "$B/results/$name.txt"

skip() {
	echo "fstests: skipped: $*"
	echo "$name: 0 passed, 0 failed, 1 skipped ($*)" | tee "$B/results/$name.txt"
	exit 0
}
[ -n "${FSTESTS:-}" ] || skip "FSTESTS is not set: fstests is not in Debian; point FSTESTS at a copy of its git repository (kdave/xfstests)"
[ -e "$FSTESTS" ] || skip "FSTESTS=$FSTESTS does not exist"

# section_fstyp <section>: its FSTYP= line.
section_fstyp() {
	awk -v s="[$1]" '/^\[/ { in_s = ($0 == s) } in_s && /^FSTYP=/ { sub(/^FSTYP=/, ""); print; exit }' "$cfg"
}
# tests_for <fstyp>: the tests of the list that apply to <fstyp>.
tests_for() {
	if [ -n "${FSTESTS_TESTS:-}" ]; then
		tr ' ' '\n' <<<"$FSTESTS_TESTS" | grep -E "^(generic|$1)/[0-9]+$" || true
		return
	fi
	awk -v l="$list" -v f="$1" '/^#/ || NF < 2 { next }
		($2 == "smoke" || l == "full") && ($1 ~ "^generic/" || $1 ~ "^" f "/") { print $1 }' \
		"$top/fstests/tests.list"
}
[ -z "${FSTESTS_TESTS:-}" ] || [[ $FSTESTS_TESTS =~ ^[a-z0-9]+/[0-9]+(\ [a-z0-9]+/[0-9]+)*$ ]] ||
	die "FSTESTS_TESTS: tests like 'generic/075 xfs/166', not '$FSTESTS_TESTS'"

need_pkgs qemu-system-x86_64:qemu-system-x86 autoconf:autoconf automake:automake libtoolize:libtool \
	/usr/bin/libtool:libtool-bin make:make gcc:gcc /usr/include/xfs/xfs.h:xfslibs-dev \
	/usr/include/uuid/uuid.h:uuid-dev /usr/include/attr/libattr.h:libattr1-dev \
	/usr/include/sys/acl.h:libacl1-dev /usr/include/libaio.h:libaio-dev \
	/usr/include/liburing.h:liburing-dev /usr/include/gdbm.h:libgdbm-dev \
	/usr/include/gdbm-ndbm.h:libgdbm-compat-dev /usr/include/sys/capability.h:libcap-dev \
	xfs_io:xfsprogs mkfs.ext4:e2fsprogs mkfs.btrfs:btrfs-progs setfacl:acl attr:attr bc:bc \
	dbench:dbench dump:dump fio:fio gawk:gawk indent:indent dmsetup:dmsetup lvm:lvm2 \
	killall:psmisc python3:python3 udevadm:udev quota:quota sqlite3:sqlite3 uuidgen:uuid-runtime \
	xfsdump:xfsdump /bin/busybox:busybox-static

# The fstests build: a clone of FSTESTS at its HEAD, built in place,
# built again when that HEAD changes.
fst=$top/build/fstests
src=$fst/xfstests
mkdir -p "$fst"
want=$(git -C "$FSTESTS" rev-parse --verify -q HEAD 2>/dev/null) ||
	die "FSTESTS=$FSTESTS is not a git repository of fstests (a clone, or a fetch of kdave/xfstests)"
if [ "$(git -C "$src" rev-parse HEAD 2>/dev/null)" != "$want" ]; then
	rm -rf "$src"
	git clone -q "$FSTESTS" "$src" || die "cannot clone fstests from $FSTESTS"
	git -C "$src" checkout -q "$want" || die "cannot check out $want in ${src#"$top"/}"
fi
version="$(git -C "$src" describe --tags --always 2>/dev/null) ($want)"
if [ ! -f "$src/.plugcb-built" ]; then
	echo "fstests: building $version in ${src#"$top"/}"
	if ! nice -n 10 make -C "$src" -j"$(nproc)" >"$fst/build.log" 2>&1; then
		tail -n 20 "$fst/build.log" >&2
		rm -f "$src/.plugcb-built"
		die "fstests build failed; log: ${fst#"$top"/}/build.log"
	fi
	touch "$src/.plugcb-built"
fi
[ -x "$src/check" ] && [ -x "$src/ltp/fsx" ] || die "no fstests build in ${src#"$top"/}"

for k in $kernels; do
	"$top/scripts/kernel.sh" "fstests-$k" || die "the fstests-$k kernel did not build"
done

# run_one <kernel> <section>: one VM; its run directory keeps run.sh,
# check.out, console.log and fstests' results.
run_one() {
	local which=$1 section=$2 fstyp tests rel dir log rc=0 secs start last
	fstyp=$(section_fstyp "$section")
	mapfile -t tests < <(tests_for "$fstyp")
	rel=run/$BASE-$which-$section
	dir=$fst/$rel
	rm -rf "$dir" && mkdir -p "$dir"
	if [ ${#tests[@]} = 0 ]; then
		echo "fstests: $which $section: no test applies"
		return 0
	fi
	printf '%s\n' "${tests[@]}" >"$dir/tests"
	truncate -s 4G "$dir/test.img" "$dir/scratch.img"
	# ./check mounts TEST_DEV before it reads the section (and then makes
	# it anew, RECREATE_TEST_DEV): it must already hold a filesystem.
	mkfs_cmd "$fstyp" || die "section $section: FSTYP=$fstyp is not one this harness makes"
	"${mkfs[@]}" "$dir/test.img" >/dev/null || die "${mkfs[0]} failed on the test disk"
	cat >"$dir/run.sh" <<-EOF
	#!/bin/bash
	# Written by scripts/fstests.sh; run by vm/fstests-init in the guest.
	# Never on the host: TEST_DEV and SCRATCH_DEV are made anew, and the
	# host's own disk may be /dev/vda too.
	grep -q "plugcb.run=$rel" /proc/cmdline || { echo "not in the fstests VM" >&2; exit 1; }
	cd "$src" || exit 1
	export HOST_OPTIONS="$cfg" RESULT_BASE="$dir/results"
	./check -s "$section" -R xunit ${tests[*]} 2>&1 | tee "$dir/check.out"
	EOF
	chmod +x "$dir/run.sh"
	secs=${FSTESTS_TIMEOUT:-$((300 + 240 * ${#tests[@]}))}
	log=$dir/console.log
	echo "fstests: $which kernel, section $section, ${#tests[@]} tests (timeout ${secs}s), log ${log#"$top"/}"
	start=$(date +%s)
	VM_MEM=${VM_MEM:-2G} run_qemu "$B/x86-fstests-$which/arch/x86/boot/bzImage" "" "$log" "$secs" \
		"root=fsroot rootfstype=9p rootflags=trans=virtio,version=9p2000.L,msize=262144,cache=loose ro init=$top/vm/fstests-init plugcb.fstests=$fst plugcb.run=$rel" \
		-fsdev "local,id=root,path=/,security_model=none,readonly=on,multidevs=remap" \
		-device virtio-9p-pci,fsdev=root,mount_tag=fsroot \
		-fsdev "local,id=fst,path=$fst,security_model=none,multidevs=remap" \
		-device virtio-9p-pci,fsdev=fst,mount_tag=fstests \
		-drive "file=$dir/test.img,format=raw,if=virtio" \
		-drive "file=$dir/scratch.img,format=raw,if=virtio" || rc=$?
	echo "fstests: VM ran $(( $(date +%s) - start ))s (qemu exit $rc)"
	rm -f "$dir/test.img" "$dir/scratch.img"
	# fstests checks the kernel log of each test; this is the whole boot's,
	# from the console (the guest's ring buffer may have wrapped), with the
	# check the other VM scripts run in their guests.
	tr -d '\r' <"$log" >"$dir/console.txt"
	kernel_log_splats kernel-log "$dir/console.txt" >"$dir/splats" || true
	rm -f "$dir/console.txt"
	if [ $rc = 124 ] || [ $rc = 137 ] || ! tr -d '\r' <"$log" | grep -q '^plugcb: done'; then
		last=$(tr -d '\r' <"$log" | sed -n 's/.*run fstests \([a-z0-9]*\/[0-9]*\) at .*/\1/p' | tail -n1)
		echo "VM did not finish (qemu exit $rc)${last:+, stuck in $last}" >"$dir/stuck"
		echo "fstests: $which $section: the VM did not finish (qemu exit $rc)${last:+; the last test started was $last}; console:" >&2
		tail -n 25 "$log" | sed 's/^/  | /' >&2
	fi
}

for s in "${sections[@]}"; do
	for k in $kernels; do
		run_one "$k" "$s"
	done
done

kver() { sed -n 's/.*UTS_RELEASE "\(.*\)"/\1/p' "$B/x86-fstests-$1/include/generated/utsrelease.h" 2>/dev/null ||
	true; }
table=$B/fstests/$list.md
mkdir -p "$B/fstests"
save=
if [ "$list" = full ] && [ -z "${FSTESTS_TESTS:-}" ]; then
	save=$top/fstests/results/$(date -u +%Y-%m-%d)-$BASE-$(IFS=+; echo "${sections[*]}").md
	mkdir -p "$top/fstests/results"
fi
python3 "$top/scripts/fstests-table.py" --name "$name" --runs "$fst/run" --base "$BASE" \
	--kernels "$kernels" --sections "${sections[*]}" --known "$top/fstests/known-failures" \
	--header "base: $(cat "$B/linux/.git/plugcb-base"); fstests: $version; date: $(date -u +%Y-%m-%d); kernels: fstests-pristine $(kver pristine), fstests-patched $(kver patched)" \
	--table "$table" ${save:+--save "$save"} --result "$B/results/$name.txt"
