#!/bin/bash
# Runs the reproducer many times in a row on one kernel and sums it up: how
# often each case matched repro/expected-<base>, its outcomes, and the time folio 0
# spent under writeback (median and max of the polled upper bounds).
#
#   scripts/repro-loop.sh [pristine|patched]      (default patched)
#
# Environment: REPRO_RUNS (default 100), and REPRO_FILTER, REPRO_ARGS,
# REPRO_TIMEOUT, REPRO_NICE as for scripts/repro.sh (each run is one VM boot
# of scripts/repro.sh).  Raw results: build/<base>/repro-loop/<which>/results-<i>.tsv
# and run-<i>.out; summary: build/<base>/repro-loop/<which>/summary.txt.  Ends with
#   repro-loop-<which>: N passed, N failed
# (per run: passed when every selected case matched) and exits non-zero if
# any run failed.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"

which=${1:-patched}
case $which in pristine | patched) ;; *) die "usage: scripts/repro-loop.sh [pristine|patched]" ;; esac
runs=${REPRO_RUNS:-100}
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "REPRO_RUNS must be a positive number, not '$runs'"
out=$B/repro-loop/$which
rm -rf "$out"
mkdir -p "$out"

passed=0 failed=0
t0=$(date +%s)
for i in $(seq 1 "$runs"); do
	rc=0
	"$top/scripts/repro.sh" "$which" >"$out/run-$i.out" 2>&1 || rc=$?
	if [ -f "$B/repro/$which/results.tsv" ]; then
		cp "$B/repro/$which/results.tsv" "$out/results-$i.tsv"
	fi
	if [ $rc = 0 ]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "repro-loop: run $i/$runs FAILED (exit $rc), see ${out#"$top"/}/run-$i.out" >&2
	fi
	if [ $((i % 10)) = 0 ] || [ "$i" = "$runs" ]; then
		echo "repro-loop: $i/$runs runs, $failed failed, $(($(date +%s) - t0)) s" >&2
	fi
done

# results.tsv: case, outcome, "<N ms" or "N ms" or "-", expected, ok|MISMATCH
cat "$out"/results-*.tsv 2>/dev/null | awk -F'\t' '
	{
		c = $1; n[c]++; if ($5 == "ok") ok[c]++
		o[c, $2]++; outs[c] = outs[c] (index(outs[c], $2 "") ? "" : " " $2)
		t = $3; gsub(/[<> ms]/, "", t)
		if (t != "" && t != "-") { k[c]++; v[c, k[c]] = t + 0 }
		if (!(c in seen)) { seen[c] = 1; order[++m] = c }
	}
	END {
		printf "%-52s %5s %7s  %-28s %9s %9s\n", "case", "runs", "matched", "outcomes", "median_ms", "max_ms"
		for (j = 1; j <= m; j++) {
			c = order[j]; s = ""
			split(substr(outs[c], 2), os, " ")
			for (x in os) s = s os[x] "=" o[c, os[x]] " "
			med = "-"; mx = "-"
			if (k[c]) {
				for (a = 1; a <= k[c]; a++) w[a] = v[c, a]
				for (a = 2; a <= k[c]; a++) { x2 = w[a]; b = a - 1
					while (b > 0 && w[b] > x2) { w[b + 1] = w[b]; b-- } w[b + 1] = x2 }
				med = (k[c] % 2) ? w[(k[c] + 1) / 2] : (w[k[c] / 2] + w[k[c] / 2 + 1]) / 2
				mx = w[k[c]]
			}
			printf "%-52s %5d %7d  %-28s %9s %9s\n", c, n[c], ok[c], s, med, mx
		}
	}' | tee "$out/summary.txt"
echo "repro-loop-$which: $passed passed, $failed failed" | tee -a "$out/summary.txt"
[ "$failed" = 0 ]
