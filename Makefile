# Embedded block-plug callbacks: harness around patches/<base>/.
#
#   make            build the patched kernel, boot it in QEMU, show the result
#   make check      every suite on BASE, the static ones on the other base;
#                   ends with "N passed, N failed[, N skipped]"
#   make check-all  every suite on both bases
#
# BASE=mainline (the series for the newest mainline Debian offers; the
# default) or BASE=6.12 (its backport to Linux 6.12 LTS) selects the base
# for every target.  See README.md for the other targets.  KERNEL_SRC=/path/to/linux
# uses your own git tree of that version instead of Debian's source package.

SHELL := /bin/bash
BASE ?= mainline
export BASE KERNEL_SRC SPARSE_SRC FSTESTS FSTESTS_LIST FSTESTS_TESTS

.PHONY: all demo tree export kernel boot repro natural repro-loop fio unload stress bench fstests kunit checkpatch \
	kerneldoc sparse roundtrip cocci cocci-tests series-build check check-all deps clean distclean

all: demo

deps:
	@scripts/deps.sh

tree: deps
	@scripts/tree.sh

export:
	@scripts/export.sh

kernel: tree
	@scripts/kernel.sh patched

# Boots the patched kernel; its built-in KUnit suites print KTAP on the console.
boot: kernel
	@scripts/boot.sh patched

# The writeback deadlock in QEMU on ext4, XFS and btrfs, pristine and
# patched; a case passes when it matches repro/expected.
repro: tree
	@scripts/kernel.sh pristine && scripts/kernel.sh patched && scripts/repro.sh

# The same deadlock without a test module: ext4 data=journal with pages
# dirtied while pinned, pristine (must deadlock) and patched (must not).
natural: tree
	@scripts/kernel.sh pristine && scripts/kernel.sh patched && scripts/natural.sh

demo: boot repro natural

# The reproducer RUNS times in a row on the patched kernel (FILTER: a
# kunit.filter_glob such as writeback_deadlock.xfs_*).
RUNS ?= 100
FILTER ?= writeback_deadlock
repro-loop: tree
	@scripts/kernel.sh patched && REPRO_RUNS=$(RUNS) REPRO_FILTER='$(FILTER)' scripts/repro-loop.sh patched

# fio with verification, before and after a remount, on FS (default ext4).
FS ?= ext4
fio: tree
	@scripts/kernel.sh patched && scripts/fio.sh patched $(FS)

# Unmount and module unload with a punted bio in flight, on the patched
# kernel with KASAN and kmemleak (fio verify after the remount).
unload: tree
	@scripts/kernel.sh patched-memcheck && scripts/unload.sh

# Writeback under memory-cgroup pressure, MINUTES (default 5) per run, for
# each of WHICH (kernels, default "pristine patched"), FS (filesystems,
# default ext4) and MEMCG (default "v1 v2"), then a table of the runs; see
# scripts/stress.sh and scripts/stress-matrix.sh.
# Issue 17's runs: make stress FS="ext4 xfs btrfs" MINUTES=30
WHICH ?= pristine patched
MEMCG ?= v1 v2
MINUTES ?= 5
stress: tree
	@case '$(MINUTES)' in *[!0-9]*|'') echo "error: MINUTES: whole minutes, not '$(MINUTES)'" >&2; exit 1 ;; esac; \
	STRESS_KERNELS='$(WHICH)' STRESS_FSES='$(FS)' STRESS_MEMCGS='$(MEMCG)' STRESS_SECS=$$(( $(MINUTES) * 60 )) \
		scripts/stress-matrix.sh

# Requests per MiB and elapsed time of a 256 MiB write + fsync on FS,
# pristine vs patched, interleaved boots.
bench: tree
	@scripts/kernel.sh bench-pristine && scripts/kernel.sh bench-patched && bench/writeback.sh $(FS)

# fstests, pristine vs patched: FSTESTS=<a copy of its git repository>
# (not in this repository; make check reports it skipped without it),
# FS=<sections of fstests/local.config> (default ext4), FSTESTS_LIST=smoke
# (default) or full (the table then goes to fstests/results/), or
# FSTESTS_TESTS="generic/075 ..." for chosen tests.  See scripts/fstests.sh.
fstests: tree
	@scripts/fstests.sh $(FS)

# KUnit on UML, the way kernel developers run it.
kunit: tree
	@scripts/kunit.sh

checkpatch: tree
	@scripts/lint.sh checkpatch

kerneldoc: tree
	@scripts/lint.sh kerneldoc

sparse: tree
	@scripts/lint.sh sparse

roundtrip: tree
	@scripts/lint.sh roundtrip

# writeback_pending_sleep.cocci on fs/, mm/ and block/ of the patched tree:
# fails on any report that coccinelle/$(BASE)/triage-patched.txt does not list.
cocci: tree
	@scripts/cocci.sh

# The audit on its corpus of cases with known answers (coccinelle/tests/);
# CORPUS=blind1 or blind2: on a corpus written blind to the script, where
# precision and recall must each reach 90 %.
cocci-tests: tree
	@scripts/cocci-tests.sh

# Builds every commit of the series on its own (x86_64 fragment and UML KUnit).
series-build: tree
	@scripts/series-build.sh

# Each base's tree is made inside (a base Debian no longer offers is skipped).
check: deps
	@scripts/check.sh

check-all: deps
	@CHECK_ALL=1 scripts/check.sh

clean:
	for b in build/*/; do rm -rf $$b/x86-* $$b/pristine/x86 $$b/pristine/x86-bench $$b/pristine/x86-fstests $$b/bisect/x86_64 $$b/bisect/um $$b/kunit-* $$b/vm $$b/repro $$b/natural $$b/bench \
		$$b/fio $$b/fstests $$b/results; done; rm -rf build/fstests/run; rm -f build/check-summary.txt

distclean:
	rm -rf build
