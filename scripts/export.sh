#!/bin/bash
# Writes the series in build/linux (base..HEAD) to patches/: git format-patch
# with a 0000 cover letter taken from the branch description, and
# patches/series.  Exporting the same commits twice writes the same bytes.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"
tree=$top/build/linux
[ -d "$tree/.git" ] || [ -L "$tree" ] || die "no kernel tree; run 'make tree'"
git -C "$tree" rev-parse -q --verify base >/dev/null || die "build/linux has no tag 'base'"
[ -z "$(git -C "$tree" status --porcelain --untracked-files=no)" ] ||
	die "build/linux has uncommitted changes; commit them first"
# Debian's .gitignore hides new files at every level: name them.
left=$(git -C "$tree" ls-files --others --ignored --exclude-standard -- \
	block fs include mm lib kernel Documentation scripts/coccinelle | grep -v __pycache__ || true)
[ -z "$left" ] || die "files not committed in build/linux (git add -f them): $left"
branch=$(git -C "$tree" symbolic-ref --short HEAD)
git -C "$tree" config "branch.$branch.description" >/dev/null ||
	die "branch $branch has no description: the cover letter's text is missing"

rm -f "$top"/patches/*.patch
# The cover letter's date is the tip's author date, so it too is stable.
GIT_COMMITTER_DATE=$(git -C "$tree" log -1 --format=%ad --date=raw) \
git -C "$tree" -c core.abbrev=12 format-patch -q --zero-commit --no-signature \
	--cover-letter --cover-from-description=subject \
	-o "$top/patches" base..HEAD
(cd "$top/patches" && ls -1 [0-9][0-9][0-9][0-9]-*.patch) >"$top/patches/series"
echo "export: $(($(wc -l <"$top/patches/series") - 1)) patches and a cover letter in patches/"
