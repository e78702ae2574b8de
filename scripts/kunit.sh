#!/bin/bash
# Runs the series' KUnit suites on UML with the kernel's kunit.py and
# block/.kunitconfig.  Result: build/<base>/results/kunit-um.txt.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"
tree=$B/linux
[ -f "$tree/block/.kunitconfig" ] || die "build/$BASE/linux has no block/.kunitconfig (is the series applied?)"
mkdir -p "$B/results"
out=$B/kunit-um.log
start=$(date +%s)
set +e
# The suites need none of what UML builds by default beyond
# block/.kunitconfig: io_uring, input, and the PCI that kunit.py's
# arch_uml.config adds for other suites (KUNIT_UML_PCI on 7.x, virtio PCI on
# 6.12) are ~90 of ~700 objects, 12 % of the build.
(cd "$tree" && timeout 1500 python3 tools/testing/kunit/kunit.py run \
	--kunitconfig=block --build_dir="$B/kunit-um" \
	--kconfig_add CONFIG_IO_URING=n --kconfig_add CONFIG_INPUT=n \
	--kconfig_add CONFIG_KUNIT_UML_PCI=n \
	--kconfig_add CONFIG_UML_PCI_OVER_VIRTIO=n --kconfig_add CONFIG_VIRTIO_UML=n \
	--jobs="$(nproc)" --timeout=300) >"$out" 2>&1
rc=$?
set -e
grep -E '^\[[0-9:]+\] (=+|\[|Testing|Elapsed)' "$out" | sed 's/^\[[^]]*\] //' | tail -n 40
summary=$(grep -E 'Ran [0-9]+ tests?' "$out" | tail -n1 || true)
passed=$(sed -n 's/.*passed: \([0-9]*\).*/\1/p' <<<"$summary"); passed=${passed:-0}
failed=$(sed -n 's/.*failed: \([0-9]*\).*/\1/p' <<<"$summary"); failed=${failed:-0}
skipped=$(sed -n 's/.*skipped: \([0-9]*\).*/\1/p' <<<"$summary"); skipped=${skipped:-0}
crashed=$(sed -n 's/.*crashed: \([0-9]*\).*/\1/p' <<<"$summary"); failed=$((failed + ${crashed:-0}))
if [ $rc != 0 ] && [ "$failed" = 0 ]; then
	tail -n 20 "$out" >&2
	failed=1	# kunit.py itself failed (config, build or timeout)
fi
echo "kunit-um: $passed passed, $failed failed, $skipped skipped ($(( $(date +%s) - start )) s, log build/kunit-um.log)"
echo "kunit-um: $passed passed, $failed failed, $skipped skipped" >"$B/results/kunit-um.txt"
[ "$failed" = 0 ]
