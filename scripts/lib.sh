# Shared shell helpers for the harness scripts (sourced, not run).

die() { echo "error: $*" >&2; exit 1; }

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
