#!/bin/bash
# The coccinelle audit of writeback code that sleeps on a folio while it
# holds unsubmitted I/O: "make coccicheck MODE=report M=<dir>" with
# writeback_pending_sleep.cocci on fs/, mm/ and block/ of a kernel tree, and
# every report checked against a triage list.
#
#   scripts/cocci.sh [TREE]        TREE defaults to build/<base>/linux
#
# make coccicheck writes nothing into TREE.  A report matches a triage line
# when both agree once the ":line:col-col" after the file name is dropped,
# that is on file, function, sleeping call and queuing calls, so unrelated
# changes above a site do not break the audit.  Triaged reports that are no
# longer found (a site a conversion made quiet) are listed and do not fail:
# drop them from the list.  Ends with
#   cocci: N passed, N failed
# (passed: reports in the triage list; failed: reports not in it) and exits
# non-zero if any failed.
#
# Environment: COCCI the script (default: the tree's
# scripts/coccinelle/locks/writeback_pending_sleep.cocci, else build/<base>/linux's,
# which has the series: so a pristine tree is audited with the same script),
# TRIAGE the triage list (default
# coccinelle/<base>/triage-patched.txt; triage-pristine.txt goes with
# build/<base>/linux-pristine), DIRS ("fs mm block"), J spatch jobs (2).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"
tree=$(cd "${1:-$B/linux}" && pwd) || die "no tree ${1:-}"
name=writeback_pending_sleep.cocci
cocci=${COCCI:-$tree/scripts/coccinelle/locks/$name}
[ -f "$cocci" ] || cocci=$B/linux/scripts/coccinelle/locks/$name
[ -f "$cocci" ] || die "no $name in $tree or build/$BASE/linux (run make tree)"
cocci=$(cd "$(dirname "$cocci")" && pwd)/$(basename "$cocci")
triage=${TRIAGE:-$top/coccinelle/$BASE/triage-patched.txt}
[ -f "$triage" ] || die "no triage list $triage"
need_pkgs spatch:coccinelle
dirs=${DIRS:-fs mm block}
echo "cocci: $cocci on $tree, triage $triage"

# file:line:col-col: message  ->  file: message
key() { sed -E 's/^([^: ]+):[0-9]+:[0-9]+-[0-9]+: /\1: /'; }

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
: >"$scratch/reports"
for d in $dirs; do
	t0=$(date +%s)
	if ! nice -n 10 make -s -C "$tree" coccicheck COCCI="$cocci" \
		MODE=report M="$d" J="${J:-2}" >"$scratch/$d.out" 2>&1; then
		echo "cocci: make coccicheck M=$d failed:"
		sed 's/^/  /' "$scratch/$d.out"
		echo "cocci: 0 passed, 1 failed"
		exit 1
	fi
	# 6.12's coccicheck names files from the tree's top, 7.x's from M=.
	grep -E '^[^: ]+:[0-9]+:[0-9]+-[0-9]+: ' "$scratch/$d.out" |
		awk -v d="$d/" 'index($0, d) == 1 { print; next } { print d $0 }' \
		>>"$scratch/reports" || true
	echo "cocci: $d/: $(grep -c "^$d/" "$scratch/reports" || true)" \
		"reports in $(( $(date +%s) - t0 )) s"
done

# Triage lines: "<report> | <verdict> | <why>"; '#' starts a comment.
dirs_re=${dirs// /|}
grep -v '^#' "$triage" | grep -F ' | ' | sed 's/ | .*//' | key |
	grep -E "^($dirs_re)/" | sort -u >"$scratch/known" || true
key <"$scratch/reports" | sort -u >"$scratch/found"
pass=0 fail=0
while IFS= read -r line; do
	if grep -qxF -- "$(key <<<"$line")" "$scratch/known"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "untriaged: $line"
	fi
done <"$scratch/reports"
comm -23 "$scratch/known" "$scratch/found" | sed 's/^/no longer reported: /'

mkdir -p "$B/results"
echo "cocci: $pass passed, $fail failed" | tee "$B/results/cocci.txt"
[ $fail = 0 ]
