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
# kunit.py's arch_uml.config turns on PCI for other suites (KUNIT_UML_PCI
# on 7.x, virtio PCI on 6.12); ours need none of it: 42 of 706 objects.
off=()
for sym in $(sed -n 's/^\(CONFIG_[A-Z0-9_]*\(PCI\|VIRTIO\)[A-Z0-9_]*\)=y$/\1/p' \
		"$tree/tools/testing/kunit/configs/arch_uml.config" 2>/dev/null); do
	off+=(--kconfig_add "$sym=n")
done
(cd "$tree" && timeout 1500 python3 tools/testing/kunit/kunit.py run \
	--kunitconfig=block --build_dir="$B/kunit-um" "${off[@]}" \
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
