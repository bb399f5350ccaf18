#!/usr/bin/env bash
# Makes (once) a Debian 11 "bullseye" root filesystem with that release's Java 17, as a tarball,
# for the test that runs the jar on glibc 2.31 (older than 2.33, so without a mknod symbol).
#
#   scripts/bullseye-root.sh        prints the tarball's path, building it first if needed
#
# Needs root and debootstrap; the tarball is cached under ${UMOCI_FIXTURE_CACHE:-$HOME/.cache/umoci-java}.
set -euo pipefail
cache=${UMOCI_FIXTURE_CACHE:-$HOME/.cache/umoci-java}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
tarball="$cache/bullseye-jre17.tar"
mkdir -p "$cache"
if [ ! -s "$tarball" ]; then
  dir=$(mktemp -d "$cache/.bullseye.XXXXXX")
  trap 'rm -rf "$dir"' EXIT
  debootstrap --variant=minbase --include=openjdk-17-jre-headless bullseye "$dir/rootfs" "$mirror" \
    >"$dir/debootstrap.log" 2>&1 || { tail -20 "$dir/debootstrap.log" >&2; exit 1; }
  rm -rf "$dir/rootfs/var/cache/apt/archives/"*.deb "$dir/rootfs/var/lib/apt/lists/"*
  tar --numeric-owner -C "$dir/rootfs" -cf "$tarball.tmp" .
  mv "$tarball.tmp" "$tarball"
fi
echo "$tarball"
