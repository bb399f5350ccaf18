#!/usr/bin/env bash
# Builds a two-platform base for the registry invoker tests, as an OCI layout whose tag is an image index:
#
#   linux/amd64  the Java base of scripts/java-base.sh (Debian bookworm minbase + a jlink Java 17 runtime);
#                runs here.
#   linux/arm64  Debian bookworm's arm64 minbase as the first stage of `debootstrap --foreign --arch=arm64`
#                leaves it: every package of the minbase unpacked (real aarch64 binaries from the Debian
#                mirror), none configured (the second stage needs an arm64 CPU or an emulator, and this
#                machine has neither), and no Java. It is an honest arm64 image to build on and to push,
#                not one that runs: nothing here can execute it.
#
#   scripts/java-base-multiarch.sh LAYOUT_DIR
#
# Result: LAYOUT_DIR tagged "17-jre-multiarch", an OCI image index with the two manifests and their platforms
# (LAYOUT_DIR is created when missing; an existing layout gains the tag). The arm64 root tarball is made once,
# in ${UMOCI_FIXTURE_CACHE:-$HOME/.cache/umoci-java}/minbase-arm64-foreign.tar, and the layout once per amd64
# base (the cache name carries its manifest digest); later calls copy it. Two callers at once are safe: each
# builds in a temporary directory of its own and publishes with a rename, the first rename wins.
# Needs: what scripts/java-base.sh needs, debootstrap and root (only while the arm64 tarball is not cached),
# skopeo, sha256sum.
set -euo pipefail
layout=${1:?usage: java-base-multiarch.sh LAYOUT_DIR}
cache=${UMOCI_FIXTURE_CACHE:-$HOME/.cache/umoci-java}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
suite=bookworm
tag=17-jre-multiarch
here=$(cd "$(dirname "$0")" && pwd)

die() { echo "java-base-multiarch.sh: $*" >&2; exit 1; }
for tool in umoci skopeo sha256sum; do command -v "$tool" >/dev/null || die "$tool is not installed"; done
mkdir -p "$cache"
work=$(mktemp -d "$cache/.java-base-multiarch.XXXXXX")
trap 'rm -rf "$work"' EXIT

# The arm64 minbase, first stage only.
arm64_tar="$cache/minbase-arm64-foreign.tar"
if [ ! -s "$arm64_tar" ]; then
  command -v debootstrap >/dev/null || die "debootstrap is not installed (needed once, to make $arm64_tar)"
  debootstrap --foreign --arch=arm64 --variant=minbase "$suite" "$work/rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 \
    || { tail -20 "$work/debootstrap.log" >&2; die "debootstrap --foreign --arch=arm64 failed"; }
  rm -rf "$work/rootfs/var/cache/apt/archives/"*.deb "$work/rootfs/var/lib/apt/lists/"*
  tar --numeric-owner --sort=name -C "$work/rootfs" -cf "$work/arm64.tar" .
  rm -rf "$work/rootfs"
  mv -f "$work/arm64.tar" "$arm64_tar"
fi

# The amd64 Java base, copied into a layout of its own (java-base.sh links into a new directory; this one is
# changed below); its manifest digest names the cached layout.
umoci init --layout "$work/layout"
"$here/java-base.sh" "$work/layout" >/dev/null
# Manifests and the index are handled as files: their digests are of their exact bytes (a shell variable
# would drop a trailing newline).
skopeo inspect --raw "oci:$work/layout:17-jre" >"$work/amd64.json"
amd64_hex=$(sha256sum <"$work/amd64.json" | cut -d' ' -f1)
cached="$cache/java-base-multiarch-${amd64_hex:0:16}"

if [ ! -f "$cached/index.json" ]; then
  umoci new --image "$work/layout:arm64"
  umoci config --image "$work/layout:arm64" --os linux --architecture arm64 \
    --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --config.label org.opencontainers.image.description="Debian bookworm arm64 minbase, debootstrap first stage only (unconfigured, no Java; tests only)" \
    --author umoci-java-tests --no-history
  umoci raw add-layer --image "$work/layout:arm64" \
    --history.created_by "debootstrap --foreign --arch=arm64 --variant=minbase $suite (first stage)" "$arm64_tar"
  umoci gc --layout "$work/layout"

  # The index over the two manifests (umoci 0.4.7 has no command for one): its blob, then index.json naming it.
  entry() { # manifest-file architecture
    local hex
    hex=$(sha256sum <"$1" | cut -d' ' -f1)
    [ -f "$work/layout/blobs/sha256/$hex" ] || die "the $2 manifest is not blob sha256:$hex of the layout"
    printf '{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%d,"platform":{"architecture":"%s","os":"linux"}}' \
      "$hex" "$(wc -c <"$1")" "$2"
  }
  skopeo inspect --raw "oci:$work/layout:arm64" >"$work/arm64.json"
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[%s,%s]}' \
    "$(entry "$work/amd64.json" amd64)" "$(entry "$work/arm64.json" arm64)" >"$work/index-blob.json"
  index_hex=$(sha256sum <"$work/index-blob.json" | cut -d' ' -f1)
  cp "$work/index-blob.json" "$work/layout/blobs/sha256/$index_hex"
  printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.index.v1+json","digest":"sha256:%s","size":%d,"annotations":{"org.opencontainers.image.ref.name":"%s"}}]}' \
    "$index_hex" "$(wc -c <"$work/index-blob.json")" "$tag" >"$work/index.json"
  mv -f "$work/index.json" "$work/layout/index.json"
  # Every platform's image must be readable through the index before it is published.
  for arch in amd64 arm64; do
    skopeo inspect --override-arch "$arch" "oci:$work/layout:$tag" >/dev/null || die "skopeo cannot read the $arch image through the index"
  done
  # Publish: the first caller's rename wins; a later one finds the directory there and drops its own.
  mv -T "$work/layout" "$cached" 2>/dev/null || [ -f "$cached/index.json" ] || die "cannot publish $cached"
fi

if [ -f "$layout/index.json" ] && grep -q "\"org.opencontainers.image.ref.name\":\"$tag\"" "$layout/index.json"; then
  exit 0
fi
if [ ! -e "$layout" ]; then
  mkdir -p "$(dirname "$layout")"
  tmp=$(mktemp -d "$(dirname "$layout")/.java-base-multiarch.XXXXXX")
  cp -al "$cached/." "$tmp/" 2>/dev/null || { rm -rf "$tmp"; tmp=$(mktemp -d "$(dirname "$layout")/.java-base-multiarch.XXXXXX"); cp -a "$cached/." "$tmp/"; }
  mv -T "$tmp" "$layout"
else
  skopeo copy --quiet --all --preserve-digests "oci:$cached:$tag" "oci:$layout:$tag"
fi
