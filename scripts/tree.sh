#!/bin/bash
# Build (or refresh) the kernel tree under build/<base>/linux: a git repo
# with tag `base` on the pristine source and patches/<base>/series applied
# on top.
#
#   scripts/tree.sh                    Debian's package for BASE (lib.sh):
#                                      mainline: the linux-source-<x.y> that
#                                      patches/mainline/series pins, from
#                                      Debian experimental or unstable;
#                                      6.12: linux-source-6.12
#   KERNEL_SRC=/path scripts/tree.sh   a user's own git tree of that version
#
# Safe to run again: when HEAD already carries the series it does nothing.
# Exit 3 (mainline only): Debian no longer offers the pinned source; the
# reason is in build/mainline/skip.txt and the mainline suites are skipped.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"

tree=$B/linux
dl=$B/dl
# "# base: <package> <version>", written by scripts/export.sh
pkg=$PKG
pin=$PIN
[ -n "$pkg" ] || die "patches/$BASE/series names no base package (# base: linux-source-x.y <version>)"
# Says that the tree is not on the pinned base; scripts/check.sh repeats it.
note=$B/base-note.txt

# Mainline sources come from Debian's experimental and unstable suites,
# through an apt configuration of our own under build/mainline/apt: the
# machine's apt sources and installed packages are not touched.  The mirror
# is the one the machine's own apt sources name.
aptdir=$B/apt
apt_opts=()
if [ "$BASE" = mainline ]; then
	apt_opts=(-o "Dir::Etc::SourceList=$aptdir/sources.list" -o Dir::Etc::SourceParts=/dev/null
		  -o "Dir::State::Lists=$aptdir/lists" -o "Dir::Cache=$aptdir/cache"
		  -o Dir::State::status=/dev/null)
fi
base_apt_update() {
	if [ "$BASE" != mainline ]; then apt_update_once; return; fi
	[ -z "${aptdir_updated:-}" ] || return 0
	local uri
	uri=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/*.sources 2>/dev/null | grep -v security | head -n1)
	[ -n "$uri" ] || uri=$(sed -n 's/^deb \(\[[^]]*\] \)\?\([^ ]*\) .*/\2/p' /etc/apt/sources.list 2>/dev/null | grep -v security | head -n1)
	[ -n "$uri" ] || die "no Debian mirror in the apt sources of this machine"
	mkdir -p "$aptdir/lists/partial" "$aptdir/cache/archives/partial"
	printf 'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s %s main\n' \
		"$uri" experimental "$uri" unstable >"$aptdir/sources.list"
	apt-get "${apt_opts[@]}" update -qq >"$aptdir/update.log" 2>&1 ||
		die "apt-get update (experimental, unstable) failed: $(tail -n3 "$aptdir/update.log")"
	aptdir_updated=1
}

# fetch_deb <version>: the package's .deb in build/<base>/dl, downloaded if needed.
fetch_deb() {
	local f=$dl/${pkg}_$1_all.deb
	if [ ! -f "$f" ]; then
		base_apt_update >&2
		(cd "$dl" && apt-get "${apt_opts[@]}" download -q "$pkg=$1") >/dev/null 2>"$dl/apt.err" || return 1
	fi
	[ -f "$f" ] && echo "$f"
}

series_files() {
	grep -v -e '^#' -e '^[[:space:]]*$' "$P/series" 2>/dev/null || true
}

# The cover letter's text travels as the branch description, so that
# `make export` writes the same 0000 patch again.
set_description() {
	local cover=$P/0000-cover-letter.patch
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
		if [ ! -f "$P/$p" ] || ! git -C "$tree" am -q --committer-date-is-author-date \
		     "$P/$p" >"$B/am.err" 2>&1; then
			git -C "$tree" am --abort >/dev/null 2>&1 || true
			git -C "$tree" checkout -q "$orig"
			git -C "$tree" branch -q -D blk-plug-cb.new
			echo "error: patch $p does not apply to $(cat "$(git -C "$tree" rev-parse --absolute-git-dir)/plugcb-base")" >&2
			[ -f "$P/$p" ] || echo "  patches/$BASE/series names it, but there is no such file in patches/$BASE/" >&2
			grep -E '^(error|fatal)' "$B/am.err" 2>/dev/null | sed 's/^/  git: /' >&2 || true
			if [ ${#applied[@]} -gt 0 ]; then
				echo "  the patches before it apply: ${applied[*]}" >&2
			else
				echo "  it is the first patch" >&2
			fi
			echo "  build/$BASE/linux is left as it was" >&2
			echo "  to rebase the series onto this base: in build/$BASE/linux, git checkout -B blk-plug-cb base;" >&2
			echo "  git am --3way each patch of patches/$BASE/series, resolving conflicts (git am --continue);" >&2
			echo "  then make export and commit patches/$BASE (see README, Base version)" >&2
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
		git mailinfo /dev/null /dev/null <"$P/$p" | sed -n 's/^Subject: //p'; done)
	have=$(git -C "$tree" log --reverse --format=%s base..HEAD 2>/dev/null)
	[ "$want" = "$have" ]
}

new_repo_from_dir() {
	# $1: directory holding a pristine source tree, $2: version string
	git -C "$1" init -q -b blk-plug-cb
	git_identity "$1"
	# ~90k loose objects: without this, the git am of the series starts a
	# background gc that repacks the whole tree (a core busy for minutes
	# while the suites run), in every tree.sh (three per round trip).
	git -C "$1" config gc.auto 0
	git -C "$1" config maintenance.auto false
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
	want=${pkg#linux-source-}
	case "$ver" in "$want"|"$want".*|"$want"-*) ;; *) die "KERNEL_SRC=$src is Linux '$ver', not $want (BASE=$BASE)";; esac
	[ -z "$(git -C "$src" status --porcelain)" ] || die "KERNEL_SRC=$src has uncommitted changes; commit or stash them first (nothing was touched)"
	if [ -e "$tree" ] && [ "$(readlink -f "$tree")" != "$src" ]; then
		die "build/$BASE/linux already exists and is not $src; remove it first (rm -rf build/$BASE/linux)"
	fi
	git -C "$src" rev-parse -q --verify base >/dev/null || git -C "$src" tag base HEAD
	echo "$ver (KERNEL_SRC $(git -C "$src" rev-parse --short base))" >"$(git -C "$src" rev-parse --absolute-git-dir)/plugcb-base"
	mkdir -p "$B"
	ln -sfn "$src" "$tree"
	git_identity "$tree"
	if series_matches; then echo "tree: up to date ($tree -> $src)"; exit 0; fi
	apply_series
	exit 0
fi

if [ -d "$tree/.git" ]; then
	[ -z "$(git -C "$tree" status --porcelain)" ] || die "build/$BASE/linux has uncommitted changes; commit them or run 'make export' first"
	have=$(cat "$tree/.git/plugcb-base")
	if [ -n "$pin" ] && [ "$have" != "$pkg $pin" ]; then
		echo "tree: note: build/$BASE/linux is on $have, patches/$BASE is pinned to $pin" \
			"(rm -rf build/$BASE/linux && make tree rebuilds it on the pin)" | tee "$note"
	else
		rm -f "$note"
	fi
	if series_matches; then echo "tree: up to date ($(cat "$tree/.git/plugcb-base"))"; exit 0; fi
	apply_series
	exit 0
fi

need_pkgs dpkg-deb:dpkg xz:xz-utils git:git python3:python3 apt-cache:apt
mkdir -p "$dl"
rm -f "$note" "$B/skip.txt"
# The pinned version while apt offers it (CI builds what was tested), else:
# 6.12 falls back to the candidate, loudly (CI is not turned red only because
# Debian moved a stable update); mainline does not (a new rc is a rebase, and
# testing another one would claim what nobody tested): its suites are skipped
# with the reason, and the versions Debian does offer are named.
if [ -n "$pin" ] && deb=$(fetch_deb "$pin"); then
	:
elif [ "$BASE" = mainline ]; then
	base_apt_update
	offered=$(apt-cache "${apt_opts[@]}" search --names-only '^linux-source-[0-9.]+$' 2>/dev/null |
		cut -d' ' -f1 | sort -V | while read -r p; do
			apt-cache "${apt_opts[@]}" madison "$p" | awk -v p="$p" '{print p, $3}'; done)
	{
		echo "SKIP: patches/mainline is pinned to $pkg ${pin:-(none)}, which Debian no longer offers."
		echo "SKIP: Debian experimental/unstable offer: $(echo "$offered" | paste -sd, - | sed 's/,/, /g')"
		echo "SKIP: moving to one of them is a rebase: git am --3way patches/mainline onto it in"
		echo "SKIP: build/mainline/linux, make export, commit (see README, Base version)."
	} | tee "$B/skip.txt" >&2
	exit 3
else
	apt_update_once
	cand=$(apt-cache policy "$pkg" | sed -n 's/^ *Candidate: //p')
	[ -n "$cand" ] && [ "$cand" != "(none)" ] || die "apt offers no $pkg (is bookworm-security in the apt sources?)"
	if [ -n "$pin" ]; then
		{
			echo "WARNING: patches/$BASE was exported and tested on $pkg $pin, which apt no longer offers"
			echo "WARNING: (apt-cache madison $pkg); building on $cand instead.  When make check"
			echo "WARNING: passes there, record it: make export, and commit patches/$BASE."
		} | tee "$note" >&2
	else
		echo "tree: patches/$BASE/series pins no base; using $pkg $cand"
	fi
	deb=$(fetch_deb "$cand") || die "apt-get download $pkg=$cand failed: $(cat "$dl/apt.err")"
fi
ver=$(dpkg-deb -f "$deb" Version)
rm -rf "$tree.tmp" && mkdir -p "$tree.tmp"
dpkg-deb --fsys-tarfile "$deb" | tar -xO "./usr/src/$pkg.tar.xz" |
	tar -xJ -C "$tree.tmp" --strip-components=1
new_repo_from_dir "$tree.tmp" "$pkg $ver"
mv "$tree.tmp" "$tree"
apply_series
