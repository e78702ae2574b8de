#!/bin/bash
# Installs what the harness needs, each package named once.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
need_pkgs gcc:build-essential make:make flex:flex bison:bison bc:bc \
	cpio:cpio git:git python3:python3 xz:xz-utils rsync:rsync \
	ccache:ccache perl:perl pahole:dwarves \
	qemu-system-x86_64:qemu-system-x86 /usr/share/doc/busybox-static:busybox-static \
	spatch:coccinelle sparse:sparse \
	/usr/include/libelf.h:libelf-dev /usr/include/openssl/ssl.h:libssl-dev \
	/usr/lib/python3/dist-packages/ply:python3-ply \
	/usr/lib/python3/dist-packages/git:python3-git
