#!/bin/bash
# Writes the series in build/<base>/linux (base..HEAD) to patches/<base>/:
# git format-patch with a 0000 cover letter taken from the branch
# description, patches/<base>/series, and get_maintainer.txt: whom
# scripts/get_maintainer.pl names for each patch (the Cc list).  Exporting the same commits twice writes the same bytes.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"
tree=$B/linux
[ -d "$tree/.git" ] || [ -L "$tree" ] || die "no kernel tree; run 'make tree'"
git -C "$tree" rev-parse -q --verify base >/dev/null || die "build/$BASE/linux has no tag 'base'"
[ -z "$(git -C "$tree" status --porcelain --untracked-files=no)" ] ||
	die "build/$BASE/linux has uncommitted changes; commit them first"
# Debian's .gitignore hides new files at every level: name them.
left=$(git -C "$tree" ls-files --others --ignored --exclude-standard -- \
	block fs include mm lib kernel Documentation scripts/coccinelle | grep -v __pycache__ || true)
[ -z "$left" ] || die "files not committed in build/$BASE/linux (git add -f them): $left"
branch=$(git -C "$tree" symbolic-ref --short HEAD)
git -C "$tree" config "branch.$branch.description" >/dev/null ||
	die "branch $branch has no description: the cover letter's text is missing"

oldpin=$(grep -m1 '^# base: ' "$P/series" 2>/dev/null || true)
mkdir -p "$P"
rm -f "$P"/*.patch
# The cover letter's date is the tip's author date, so it too is stable.
GIT_COMMITTER_DATE=$(git -C "$tree" log -1 --format=%ad --date=raw) \
git -C "$tree" -c core.abbrev=12 format-patch -q --zero-commit --no-signature \
	--cover-letter --cover-from-description=subject \
	-o "$P" base..HEAD
# The first line pins the base the series was exported (and tested) on:
# scripts/tree.sh fetches that version while Debian still offers it.  A
# user's own tree (KERNEL_SRC) keeps the pin that was there.
base=$(cat "$(git -C "$tree" rev-parse --absolute-git-dir)/plugcb-base")
case "$base" in
linux-source-*) pin="# base: $base" ;;
*) pin=$oldpin
   echo "export: $base is not a Debian package; patches/$BASE/series keeps its pin${pin:+ (${pin#\# base: })}" ;;
esac
{
	[ -z "$pin" ] || echo "$pin"
	cd "$P" && ls -1 [0-9][0-9][0-9][0-9]-*.patch
} >"$P/series"
# Who receives each patch: the tree has no history, so only MAINTAINERS
# (and the files' own "F:"/"K:" matches) decide; no git fallback.
for p in $(grep '^[0-9]' "$P/series" | grep -v '^0000'); do
	echo "== $p"
	(cd "$tree" && ./scripts/get_maintainer.pl --no-git --no-git-fallback \
		"$P/$p" 2>/dev/null) || echo "(get_maintainer.pl failed)"
done >"$P/get_maintainer.txt"
echo "export: $(grep '^[0-9]' "$P/series" | grep -vc '^0000') patches and a cover letter in patches/$BASE/${pin:+, ${pin#\# }}"
