# Shared shell helpers for the harness scripts (sourced, not run).

die() { echo "error: $*" >&2; exit 1; }

# Which series the harness works on: BASE=mainline (the series against the
# newest mainline source Debian offers; the default) or BASE=6.12 (its
# backport to Linux 6.12 LTS).
# Each base has its own patches/<base>/ and build/<base>/; PKG is its Debian source package, PIN the version its
# series was exported and tested on ("# base: <PKG> <PIN>" in the series).
BASE=${BASE:-mainline}
case "$BASE" in
mainline|6.12) ;;
*) die "BASE=$BASE: the bases are mainline (default) and 6.12" ;;
esac
export BASE
# base_vars <base>: sets P, B, PKG and PIN for <base> (needs $top).
base_vars() {
	P=$top/patches/$1
	B=$top/build/$1
	PKG=$(sed -n 's/^# base: \([^ ]*\) .*/\1/p' "$P/series" 2>/dev/null | head -n1)
	PIN=$(sed -n 's/^# base: [^ ]* //p' "$P/series" 2>/dev/null | head -n1)
	if [ -z "$PKG" ]; then
		case "$1" in 6.12) PKG=linux-source-6.12 ;; *) PKG= ;; esac
	fi
}
[ -z "${top:-}" ] || base_vars "$BASE"

# The one identity every kernel commit of the series carries.
PLUGCB_NAME="blk-plug-cb project"
PLUGCB_EMAIL="blk-plug-cb@invalid"
git_identity() {
	git -C "$1" config user.name "$PLUGCB_NAME"
	git -C "$1" config user.email "$PLUGCB_EMAIL"
}

apt_update_once() {
	[ -n "${PLUGCB_APT_UPDATED:-}" ] && return 0
	as_root apt-get update -qq || die "apt-get update failed"
	export PLUGCB_APT_UPDATED=1
}

as_root() {
	if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# need_pkgs what:package ... -- installs the packages whose command (or,
# for an absolute path, file) is missing.
need_pkgs() {
	local missing=() spec what
	for spec in "$@"; do
		what=${spec%%:*}
		if [[ $what == /* ]]; then
			[ -e "$what" ] || missing+=("${spec#*:}")
		else
			command -v "$what" >/dev/null 2>&1 || missing+=("${spec#*:}")
		fi
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	echo "installing: ${missing[*]}"
	apt_update_once
	DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null ||
		die "apt-get install ${missing[*]} failed"
}
