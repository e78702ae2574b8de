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
# Also prints precision and recall over all the cases run, a report
# counting as right when its file, function and sleeper are an expected
# line's (the queuer is not scored).
#
# Environment: COCCI the script (default: build/<base>/linux's
# scripts/coccinelle/locks/writeback_pending_sleep.cocci); CORPUS the
# directory under coccinelle/ (default tests; blind1 and blind2 are corpora
# written by someone who saw neither the script nor these tests, see
# coccinelle/blind*/README; make check runs blind1 as suite cocci-blind1).
# GOAL the percentage precision and recall must each reach on a corpus
# other than tests (default 90).  Ends with "cocci-<corpus>: N passed,
# N failed" (tests: one test per case, which must give exactly the expected
# reports; another corpus: one test, the goal); exits non-zero on a
# failure.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"
cocci=${COCCI:-$B/linux/scripts/coccinelle/locks/writeback_pending_sleep.cocci}
[ -f "$cocci" ] || die "no $cocci (run make tree)"
need_pkgs spatch:coccinelle
corpus_name=${CORPUS:-tests}
case "$corpus_name" in */*|.*|'') die "CORPUS: a directory name under coccinelle/, not '$corpus_name'" ;; esac
corpus=$top/coccinelle/$corpus_name
[ -d "$corpus" ] || die "no corpus coccinelle/$corpus_name"
suite=cocci-$corpus_name
case "${GOAL:-90}" in *[!0-9]*|'') die "GOAL: a whole percentage, not '${GOAL:-}'" ;; esac
cases=("$@")
if [ ${#cases[@]} = 0 ]; then
	for d in "$corpus"/*/; do cases+=("$(basename "$d")"); done
fi
for c in "${cases[@]}"; do
	[ -f "$corpus/$c/expected" ] || die "no case $c (coccinelle/$corpus_name/$c/expected)"
done

# A report's file, function and sleeper.
key() { sed -E 's/^([^:]+: [^:]+: [^ ]+\(\)).*/\1/' "$1" | sort -u; }

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
pass=0 fail=0
for c in "${cases[@]}"; do
	mkdir "$scratch/$c"
	cp "$corpus/$c"/*.[ch] "$scratch/$c/"
	if ! (cd "$scratch/$c" && timeout 300 spatch -D report --no-show-diff --very-quiet \
		--cocci-file "$cocci" --no-includes --include-headers --use-gitgrep --timeout 200 \
		--jobs 2 --chunksize 1 --dir .) >"$scratch/$c.out" 2>"$scratch/$c.err"; then
		echo "$suite: $c: FAIL (spatch failed)"
		sed 's/^/  | /' "$scratch/$c.err" | tail -n 10
		fail=$((fail + 1))
		continue
	fi
	grep -E '^[^: ]+:[0-9]+:[0-9]+-[0-9]+: ' "$scratch/$c.out" |
		sed -E 's|^(\./)?([^: ]+):[0-9]+:[0-9]+-[0-9]+: |\2: |' | sort >"$scratch/$c.got" || true
	sort "$corpus/$c/expected" | grep -v '^$' >"$scratch/$c.want" || true
	if [ "$corpus_name" != tests ]; then
		# Another writer's corpus: the queuer it names is not scored.
		key "$scratch/$c.got" >"$scratch/$c.got.k" && mv "$scratch/$c.got.k" "$scratch/$c.got"
		key "$scratch/$c.want" >"$scratch/$c.want.k" && mv "$scratch/$c.want.k" "$scratch/$c.want"
	fi
	if cmp -s "$scratch/$c.got" "$scratch/$c.want"; then
		echo "$suite: $c: PASS ($(wc -l <"$scratch/$c.want") reports)"
		pass=$((pass + 1))
	else
		echo "$suite: $c: FAIL"
		diff "$scratch/$c.want" "$scratch/$c.got" | grep '^[<>]' |
			sed 's/^</  missed:/; s/^>/  wrongly reported:/' || true
		fail=$((fail + 1))
	fi
done
# Precision and recall on file, function and sleeper.
tp=0 nwant=0 ngot=0
for c in "${cases[@]}"; do
	grep -v '^$' "$corpus/$c/expected" | key /dev/stdin >"$scratch/$c.wk" || true
	touch "$scratch/$c.got"	# spatch failed: nothing found
	key "$scratch/$c.got" >"$scratch/$c.gk"
	tp=$((tp + $(comm -12 "$scratch/$c.wk" "$scratch/$c.gk" | wc -l)))
	nwant=$((nwant + $(wc -l <"$scratch/$c.wk")))
	ngot=$((ngot + $(wc -l <"$scratch/$c.gk")))
done
pct() { if [ "$2" = 0 ]; then echo "-"; else echo "$(( (100 * $1 + $2 / 2) / $2 ))%"; fi; }
echo "$suite: precision $(pct $tp $ngot) ($tp of $ngot reports right), recall $(pct $tp $nwant) ($tp of $nwant expected reports found)"
mkdir -p "$B/results"
if [ "$corpus_name" = tests ]; then
	echo "$suite: $pass passed, $fail failed" | tee "$B/results/$suite.txt"
	[ "$fail" = 0 ]
else
	# Another writer's corpus is one test: the goal of issue 15, precision
	# and recall of at least GOAL percent (default 90) each.
	goal=${GOAL:-90}
	if [ $((100 * tp)) -ge $((goal * ngot)) ] && [ $((100 * tp)) -ge $((goal * nwant)) ] &&
		[ "$nwant" -gt 0 ]; then
		verdict="1 passed, 0 failed"
	else
		verdict="0 passed, 1 failed"
	fi
	echo "$suite: $verdict (precision $(pct $tp $ngot), recall $(pct $tp $nwant), goal $goal%; $pass of $((pass + fail)) cases exact)" |
		tee "$B/results/$suite.txt"
	[[ $verdict == 1* ]]
fi
