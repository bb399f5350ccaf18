#!/usr/bin/env bash
# Builds a Java base image as an OCI layout, from Debian packages only, for the registry invoker
# tests: the Debian minbase root of scripts/debian-image.sh plus a Java 17 runtime made by jlink
# from the host's Debian JDK (openjdk-17-jdk-headless ships the jmods), in /opt/java/openjdk as the
# eclipse-temurin images have it. Two layers (minbase, runtime); config Env PATH with the
# runtime's bin first and JAVA_HOME.
#
#   scripts/java-base.sh LAYOUT_DIR
#
# Result: LAYOUT_DIR tagged "17-jre" (LAYOUT_DIR is created when missing; an existing layout
# gains the tag). The image is built once per JDK version and kept in
# ${UMOCI_FIXTURE_CACHE:-$HOME/.cache/umoci-java}/java-base-<version>; later calls copy it (hard
# links where the file system allows), so they take a second. Two callers at once are safe: each
# builds in its own temporary directory and the first rename into the cache wins.
#
# Why jlink rather than debootstrap --include=openjdk-17-jre-headless: the minbase tarball is
# already cached (debian-image.sh), jlink takes seconds where a second debootstrap downloads and
# configures ~60 packages (ca-certificates-java runs java in the chroot), and the runtime is about
# a third of the size (no desktop modules, no X or sound libraries), which every push and pull of
# the tests carries. Needs: a JDK 17 with jmods (JAVA_HOME, else the one `javac` belongs to),
# Debian's umoci, tar; root only when the minbase tarball is not cached yet (debootstrap).
set -euo pipefail
layout=${1:?usage: java-base.sh LAYOUT_DIR}
cache=${UMOCI_FIXTURE_CACHE:-$HOME/.cache/umoci-java}
tag=17-jre
here=$(cd "$(dirname "$0")" && pwd)

die() { echo "java-base.sh: $*" >&2; exit 1; }

jdk=${JAVA_HOME:-}
if [ -z "$jdk" ] || [ ! -d "$jdk/jmods" ]; then
  javac=$(command -v javac) || die "no JDK found: set JAVA_HOME to a JDK 17 with jmods (Debian: openjdk-17-jdk-headless)"
  jdk=$(dirname "$(dirname "$(readlink -f "$javac")")")
fi
[ -f "$jdk/jmods/java.base.jmod" ] || die "$jdk has no jmods/java.base.jmod: jlink needs a JDK with jmods (Debian: openjdk-17-jdk-headless)"
version=$(sed -n 's/^JAVA_VERSION="\(.*\)"$/\1/p' "$jdk/release")
case $version in 17|17.*) ;; *) die "$jdk is Java ${version:-?}; the base is a Java 17 runtime: set JAVA_HOME to a JDK 17" ;; esac
command -v umoci >/dev/null || die "Debian's umoci is not installed"

# A headless server runtime: java.se without java.desktop (which needs X and sound libraries).
modules=java.base,java.compiler,java.datatransfer,java.instrument,java.logging,java.management
modules+=,java.management.rmi,java.naming,java.net.http,java.prefs,java.rmi,java.scripting
modules+=,java.security.jgss,java.security.sasl,java.sql,java.sql.rowset,java.transaction.xa
modules+=,java.xml,java.xml.crypto,jdk.charsets,jdk.crypto.cryptoki,jdk.crypto.ec,jdk.unsupported
modules+=,jdk.zipfs,jdk.jfr

cached="$cache/java-base-$version"
if [ ! -f "$cached/index.json" ]; then
  mkdir -p "$cache"
  work=$(mktemp -d "$cache/.java-base.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  # The minbase layer, from debian-image.sh's cached rootfs tarball.
  "$here/debian-image.sh" small "$work/layout"
  mkdir -p "$work/root/opt/java"
  "$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
    --compress=2 --output "$work/root/opt/java/openjdk" >"$work/jlink.log" 2>&1 \
    || { cat "$work/jlink.log" >&2; die "jlink failed"; }
  chmod -R u=rwX,go=rX "$work/root"
  tar --numeric-owner --owner=0 --group=0 --sort=name -C "$work/root" -cf "$work/jre.tar" ./opt
  umoci raw add-layer --image "$work/layout:small" --tag "$tag" \
    --history.created_by "jlink --add-modules $modules (Java $version from Debian)" "$work/jre.tar"
  umoci config --image "$work/layout:$tag" \
    --config.env PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --config.env JAVA_HOME=/opt/java/openjdk --config.env JAVA_VERSION="$version" \
    --config.cmd java --config.cmd -version \
    --config.label org.opencontainers.image.description="Debian bookworm minbase with a jlink Java $version runtime (tests only)" \
    --author umoci-java-tests --no-history
  umoci rm --image "$work/layout:small"
  umoci gc --layout "$work/layout"
  # Publish: the first caller's rename wins; a later one finds the directory there and drops its own.
  mv -T "$work/layout" "$cached" 2>/dev/null || [ -f "$cached/index.json" ] || die "cannot publish $cached"
fi

if [ -f "$layout/index.json" ] && umoci ls --layout "$layout" | grep -qx "$tag"; then
  exit 0
fi
if [ ! -e "$layout" ]; then
  mkdir -p "$(dirname "$layout")"
  tmp=$(mktemp -d "$(dirname "$layout")/.java-base.XXXXXX")
  cp -al "$cached/." "$tmp/" 2>/dev/null || { rm -rf "$tmp"; tmp=$(mktemp -d "$(dirname "$layout")/.java-base.XXXXXX"); cp -a "$cached/." "$tmp/"; }
  mv -T "$tmp" "$layout"
else
  skopeo copy --quiet --preserve-digests "oci:$cached:$tag" "oci:$layout:$tag"
fi
