#!/bin/bash
# Build (or refresh) the kernel tree under build/linux: a git repo with tag
# `base` on the pristine source and patches/series applied on top.
#
#   scripts/tree.sh                 Debian's linux-source-6.12
#   KERNEL_SRC=/path scripts/tree.sh   a user's own 6.12-based git tree
#
# Safe to run again: when HEAD already carries the series it does nothing.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"

tree=$top/build/linux
dl=$top/build/dl
pkg=linux-source-6.12
# "# base: linux-source-6.12 <version>", written by scripts/export.sh
pin=$(sed -n "s/^# base: $pkg //p" "$top/patches/series" 2>/dev/null | head -n1)
# Says that the tree is not on the pinned base; scripts/check.sh repeats it.
note=$top/build/base-note.txt

# fetch_deb <version>: the package's .deb in build/dl, downloaded if needed.
fetch_deb() {
	local f=$dl/${pkg}_$1_all.deb
	if [ ! -f "$f" ]; then
		apt_update_once >&2
		(cd "$dl" && apt-get download -q "$pkg=$1") >/dev/null 2>"$dl/apt.err" || return 1
	fi
	echo "$f"
}

series_files() {
	grep -v -e '^#' -e '^[[:space:]]*$' "$top/patches/series" 2>/dev/null || true
}

# The cover letter's text travels as the branch description, so that
# `make export` writes the same 0000 patch again.
set_description() {
	local cover=$top/patches/0000-cover-letter.patch
	[ -f "$cover" ] || return 0
	git -C "$tree" config branch.blk-plug-cb.description \
		"$(python3 "$top/scripts/cover.py" extract "$cover")"
}

# Applies the series on a scratch branch and moves blk-plug-cb there only
# when every patch applied: a failure leaves the tree as it was.
apply_series() {
	local applied=() p orig
	orig=$(git -C "$tree" symbolic-ref -q --short HEAD || git -C "$tree" rev-parse HEAD)
	git -C "$tree" checkout -q -B blk-plug-cb.new base
	while read -r p; do
		[ "$p" = 0000-cover-letter.patch ] && continue
		if [ ! -f "$top/patches/$p" ] || ! git -C "$tree" am -q --committer-date-is-author-date \
		     "$top/patches/$p" >"$top/build/am.err" 2>&1; then
			git -C "$tree" am --abort >/dev/null 2>&1 || true
			git -C "$tree" checkout -q "$orig"
			git -C "$tree" branch -q -D blk-plug-cb.new
			echo "error: patch $p does not apply to $(cat "$(git -C "$tree" rev-parse --absolute-git-dir)/plugcb-base")" >&2
			[ -f "$top/patches/$p" ] || echo "  patches/series names it, but there is no such file in patches/" >&2
			grep -E '^(error|fatal)' "$top/build/am.err" 2>/dev/null | sed 's/^/  git: /' >&2 || true
			if [ ${#applied[@]} -gt 0 ]; then
				echo "  the patches before it apply: ${applied[*]}" >&2
			else
				echo "  it is the first patch" >&2
			fi
			echo "  build/linux is left as it was" >&2
			echo "  to rebase the series onto this base: in build/linux, git checkout -B blk-plug-cb base;" >&2
			echo "  git am --3way each patch of patches/series, resolving conflicts (git am --continue);" >&2
			echo "  then make export and commit patches/ (see README, Base version)" >&2
			exit 1
		fi
		applied+=("$p")
	done < <(series_files)
	git -C "$tree" branch -q -M blk-plug-cb.new blk-plug-cb
	set_description
	echo "tree: $(cat "$(git -C "$tree" rev-parse --absolute-git-dir)/plugcb-base"), ${#applied[@]} patches applied on base"
}

series_matches() {
	# HEAD carries exactly the patches named in patches/series (by subject).
	local want have
	want=$(series_files | grep -v '^0000' | while read -r p; do
		git mailinfo /dev/null /dev/null <"$top/patches/$p" | sed -n 's/^Subject: //p'; done)
	have=$(git -C "$tree" log --reverse --format=%s base..HEAD 2>/dev/null)
	[ "$want" = "$have" ]
}

new_repo_from_dir() {
	# $1: directory holding a pristine source tree, $2: version string
	git -C "$1" init -q -b blk-plug-cb
	git_identity "$1"
	# -f: Debian appends "/*" to .gitignore for its packaging repo
	git -C "$1" add -A -f
	GIT_AUTHOR_DATE="2000-01-01T00:00:00Z" GIT_COMMITTER_DATE="2000-01-01T00:00:00Z" \
		git -C "$1" commit -q -m "Linux $2 (base)"
	git -C "$1" tag base
	echo "$2" >"$1/.git/plugcb-base"
}

if [ -n "${KERNEL_SRC:-}" ]; then
	src=$(cd "$KERNEL_SRC" 2>/dev/null && pwd) || die "KERNEL_SRC=$KERNEL_SRC: no such directory"
	git -C "$src" rev-parse --git-dir >/dev/null 2>&1 || die "KERNEL_SRC=$src is not a git tree"
	[ -f "$src/block/blk-core.c" ] && [ -f "$src/Makefile" ] || die "KERNEL_SRC=$src is not a Linux source tree"
	ver=$(make -s -C "$src" kernelversion 2>/dev/null || true)
	case "$ver" in 6.12*) ;; *) die "KERNEL_SRC=$src is Linux '$ver', not 6.12";; esac
	[ -z "$(git -C "$src" status --porcelain)" ] || die "KERNEL_SRC=$src has uncommitted changes; commit or stash them first (nothing was touched)"
	if [ -e "$tree" ] && [ "$(readlink -f "$tree")" != "$src" ]; then
		die "build/linux already exists and is not $src; remove it first (rm -rf build/linux)"
	fi
	git -C "$src" rev-parse -q --verify base >/dev/null || git -C "$src" tag base HEAD
	echo "$ver (KERNEL_SRC $(git -C "$src" rev-parse --short base))" >"$(git -C "$src" rev-parse --absolute-git-dir)/plugcb-base"
	mkdir -p "$top/build"
	ln -sfn "$src" "$tree"
	git_identity "$tree"
	if series_matches; then echo "tree: up to date ($tree -> $src)"; exit 0; fi
	apply_series
	exit 0
fi

if [ -d "$tree/.git" ]; then
	[ -z "$(git -C "$tree" status --porcelain)" ] || die "build/linux has uncommitted changes; commit them or run 'make export' first"
	have=$(cat "$tree/.git/plugcb-base")
	if [ -n "$pin" ] && [ "$have" != "$pkg $pin" ]; then
		echo "tree: note: build/linux is on $have, patches/ is pinned to $pin" \
			"(rm -rf build/linux && make tree rebuilds it on the pin)" | tee "$note"
	else
		rm -f "$note"
	fi
	if series_matches; then echo "tree: up to date ($(cat "$tree/.git/plugcb-base"))"; exit 0; fi
	apply_series
	exit 0
fi

need_pkgs dpkg-deb:dpkg xz:xz-utils git:git python3:python3 apt-cache:apt
mkdir -p "$dl"
rm -f "$note"
# The pinned version while apt offers it (CI builds what was tested), else
# the candidate, loudly (CI is not turned red only because Debian moved).
if [ -n "$pin" ] && deb=$(fetch_deb "$pin"); then
	:
else
	apt_update_once
	cand=$(apt-cache policy "$pkg" | sed -n 's/^ *Candidate: //p')
	[ -n "$cand" ] && [ "$cand" != "(none)" ] || die "apt offers no $pkg (is bookworm-security in the apt sources?)"
	if [ -n "$pin" ]; then
		{
			echo "WARNING: patches/ was exported and tested on $pkg $pin, which apt no longer offers"
			echo "WARNING: (apt-cache madison $pkg); building on $cand instead.  When make check"
			echo "WARNING: passes there, record it: make export, and commit patches/."
		} | tee "$note" >&2
	else
		echo "tree: patches/series pins no base; using $pkg $cand"
	fi
	deb=$(fetch_deb "$cand") || die "apt-get download $pkg=$cand failed: $(cat "$dl/apt.err")"
fi
ver=$(dpkg-deb -f "$deb" Version)
rm -rf "$tree.tmp" && mkdir -p "$tree.tmp"
dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/src/$pkg.tar.xz |
	tar -xJ -C "$tree.tmp" --strip-components=1
new_repo_from_dir "$tree.tmp" "$pkg $ver"
mv "$tree.tmp" "$tree"
apply_series
