#!/usr/bin/env bash
# Builds a real Debian root filesystem image as an OCI layout, with Debian's own tools, for the
# interop tests and the benchmark. Results are cached; a second call returns at once.
#
#   scripts/debian-image.sh small|large LAYOUT_DIR
#
# small: debootstrap --variant=minbase bookworm, one gzip layer (tag "small").
# large: minbase plus a few hundred MB of packages, split into several layers (tag "large").
# Needs root, debootstrap, umoci (Debian's), tar. The rootfs tarballs are cached under
# ${UMOCI_FIXTURE_CACHE:-$HOME/.cache/umoci-java}.
set -euo pipefail
kind=${1:?usage: debian-image.sh small|large LAYOUT_DIR}
layout=${2:?usage: debian-image.sh small|large LAYOUT_DIR}
cache=${UMOCI_FIXTURE_CACHE:-$HOME/.cache/umoci-java}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
suite=bookworm
mkdir -p "$cache"

# One rootfs tarball per kind, made once.
rootfs_tar() {
  local name=$1 include=$2 tarball="$cache/$1.tar"
  if [ ! -s "$tarball" ]; then
    local dir
    dir=$(mktemp -d "$cache/.debootstrap.XXXXXX")
    debootstrap --variant=minbase ${include:+--include="$include"} "$suite" "$dir/rootfs" "$mirror" \
      >"$dir/debootstrap.log" 2>&1 || { tail -20 "$dir/debootstrap.log" >&2; rm -rf "$dir"; exit 1; }
    rm -rf "$dir/rootfs/var/cache/apt/archives/"*.deb "$dir/rootfs/var/lib/apt/lists/"*
    tar --numeric-owner --xattrs --xattrs-include='*' -C "$dir/rootfs" -cf "$tarball.tmp" .
    mv "$tarball.tmp" "$tarball"
    rm -rf "$dir"
  fi
  echo "$tarball"
}

if [ -f "$layout/index.json" ] && umoci ls --layout "$layout" | grep -qx "$kind"; then
  exit 0
fi
[ -e "$layout" ] || umoci init --layout "$layout"
case $kind in
  small)
    tarball=$(rootfs_tar minbase "")
    umoci new --image "$layout:$kind"
    umoci raw add-layer --image "$layout:$kind" "$tarball"
    ;;
  large)
    base=$(rootfs_tar minbase "")
    full=$(rootfs_tar large "perl,python3,python3-pip,git,gcc,make,libc6-dev,vim-tiny,curl,openssl,xz-utils,file,less,tzdata,iso-codes,locales,manpages,manpages-dev")
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    umoci new --image "$layout:$kind"
    umoci raw add-layer --image "$layout:$kind" "$base"
    # Split what the packages added into layers by top-level area, so the image has several
    # layers of different sizes, as real images do.
    mkdir "$work/full" && tar -C "$work/full" --numeric-owner --xattrs --xattrs-include='*' -xf "$full"
    (cd "$work/full" && tar --numeric-owner --xattrs --xattrs-include='*' -cf "$work/usr-lib.tar" ./usr/lib)
    (cd "$work/full" && tar --numeric-owner --xattrs --xattrs-include='*' -cf "$work/usr-share.tar" ./usr/share)
    (cd "$work/full" && tar --numeric-owner --xattrs --xattrs-include='*' --exclude=./usr/lib --exclude=./usr/share -cf "$work/rest.tar" .)
    for layer in usr-lib usr-share rest; do
      umoci raw add-layer --image "$layout:$kind" "$work/$layer.tar"
    done
    ;;
  *) echo "unknown image kind: $kind" >&2; exit 2 ;;
esac
