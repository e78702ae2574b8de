#!/bin/bash
# Compares two exports of the series by what a maintainer reads, not by the
# bytes a base version leaves in them:
#
#   scripts/series-diff.sh OLD NEW     (two patches/ directories)
#
# Same series: the same patches in patches/series, each with the same
# message (subject, body, tags, diffstat) and the same change
# (git patch-id --stable, which ignores index lines, hunk positions and
# context line numbers), and the same cover letter.  Exits 0 then, and
# names the patches whose hunks only moved (a new base version): NEW still
# applies, "make export" refreshes the offsets.
# Exits 1 when the series itself changed, saying which patch and how.
set -euo pipefail
old=${1:?usage: series-diff.sh OLD NEW}
new=${2:?usage: series-diff.sh OLD NEW}
for d in "$old" "$new"; do
	[ -f "$d/series" ] || { echo "series-diff: $d/series: no such file" >&2; exit 2; }
done

names() { grep -v -e '^#' -e '^[[:space:]]*$' "$1/series"; }
message() { sed '/^diff --git /,$d' "$1"; }
change() { git patch-id --stable <"$1" | cut -d' ' -f1; }
base() { sed -n 's/^# base: //p' "$1/series" | grep . || echo "an unpinned base"; }

changed=0 moved=()
if [ "$(names "$old")" != "$(names "$new")" ]; then
	echo "series-diff: the list of patches changed:"
	diff <(names "$old") <(names "$new") | sed -n 's/^[<>] /  &/p'
	exit 1
fi
while read -r p; do
	if [ "$(message "$old/$p")" != "$(message "$new/$p")" ]; then
		echo "series-diff: $p: the message changed:"
		diff <(message "$old/$p") <(message "$new/$p") | head -n 20 | sed 's/^/  /'
		changed=1
	elif [ "$(change "$old/$p")" != "$(change "$new/$p")" ]; then
		echo "series-diff: $p: the change itself differs (git patch-id):"
		diff <(sed -n '/^diff --git /,$p' "$old/$p" | grep -v -e '^index ' -e '^@@ ') \
		     <(sed -n '/^diff --git /,$p' "$new/$p" | grep -v -e '^index ' -e '^@@ ') |
			head -n 20 | sed 's/^/  /'
		changed=1
	elif ! cmp -s "$old/$p" "$new/$p"; then
		moved+=("$p")
	fi
done < <(names "$old")
[ $changed = 0 ] || exit 1

if [ ${#moved[@]} -gt 0 ]; then
	echo "series-diff: same series; only index lines and hunk positions moved in ${#moved[@]} patch(es)" \
		"(OLD pinned to $(base "$old"), NEW to $(base "$new")):"
	printf '  %s\n' "${moved[@]}"
	echo "  patches/ still applies; to record the new base: make tree && make export, and commit patches/"
fi
exit 0
