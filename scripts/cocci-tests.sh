#!/bin/bash
# The coccinelle audit on a corpus of small cases with known answers:
# coccinelle/tests/<case>/ holds C files and "expected", the reports the
# case must give (one per line, as in the triage lists: the file name
# without ":line:col-col", then the message; empty when nothing must be
# reported).  Each case is copied to a directory that git does not track
# and run with the options "make coccicheck MODE=report" gives spatch in a
# kernel tree (the tree's .cocciconfig: --use-gitgrep, --timeout 200; two
# jobs); a case passes when its reports are exactly the expected ones.
#
#   scripts/cocci-tests.sh [CASE...]      (default: every case)
#
# Environment: COCCI the script (default: build/<base>/linux's
# scripts/coccinelle/locks/writeback_pending_sleep.cocci).
# Ends with "cocci-tests: N passed, N failed"; exits non-zero on a failure.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"
cocci=${COCCI:-$B/linux/scripts/coccinelle/locks/writeback_pending_sleep.cocci}
[ -f "$cocci" ] || die "no $cocci (run make tree)"
need_pkgs spatch:coccinelle
corpus=$top/coccinelle/tests
cases=("$@")
if [ ${#cases[@]} = 0 ]; then
	for d in "$corpus"/*/; do cases+=("$(basename "$d")"); done
fi
for c in "${cases[@]}"; do
	[ -f "$corpus/$c/expected" ] || die "no case $c (coccinelle/tests/$c/expected)"
done

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
pass=0 fail=0
for c in "${cases[@]}"; do
	mkdir "$scratch/$c"
	cp "$corpus/$c"/*.[ch] "$scratch/$c/"
	if ! (cd "$scratch/$c" && timeout 300 spatch -D report --no-show-diff --very-quiet \
		--cocci-file "$cocci" --no-includes --include-headers --use-gitgrep --timeout 200 \
		--jobs 2 --chunksize 1 --dir .) >"$scratch/$c.out" 2>"$scratch/$c.err"; then
		echo "cocci-tests: $c: FAIL (spatch failed)"
		sed 's/^/  | /' "$scratch/$c.err" | tail -n 10
		fail=$((fail + 1))
		continue
	fi
	grep -E '^[^: ]+:[0-9]+:[0-9]+-[0-9]+: ' "$scratch/$c.out" |
		sed -E 's|^(\./)?([^: ]+):[0-9]+:[0-9]+-[0-9]+: |\2: |' | sort >"$scratch/$c.got" || true
	sort "$corpus/$c/expected" | grep -v '^$' >"$scratch/$c.want" || true
	if cmp -s "$scratch/$c.got" "$scratch/$c.want"; then
		echo "cocci-tests: $c: PASS ($(wc -l <"$scratch/$c.want") reports)"
		pass=$((pass + 1))
	else
		echo "cocci-tests: $c: FAIL"
		diff "$scratch/$c.want" "$scratch/$c.got" | grep '^[<>]' |
			sed 's/^</  missed:/; s/^>/  wrongly reported:/' || true
		fail=$((fail + 1))
	fi
done
mkdir -p "$B/results"
echo "cocci-tests: $pass passed, $fail failed" | tee "$B/results/cocci-tests.txt"
[ "$fail" = 0 ]
