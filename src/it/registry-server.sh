#!/usr/bin/env bash
# The loopback registries of the invoker tests (not a test project itself). The plugin module's build
# runs them around the invoker (umoci-maven-plugin/pom.xml):
#
#   registry-server.sh start DIR PORT       pre-integration-test
#   registry-server.sh start-tls DIR PORT   pre-integration-test
#   registry-server.sh stop DIR             post-integration-test (either kind)
#
# start: Debian's docker-registry (the CNCF distribution registry) on 127.0.0.1:PORT, plain HTTP,
# with its configuration, storage and log in DIR; then the Java base of scripts/java-base.sh
# pushed by skopeo as localhost:PORT/java-base:17-jre and, in the style of Docker Hub's images, as
# localhost:PORT/eclipse-temurin:17-jre (the same image; it is not Temurin) and, as a mirror keeps it,
# localhost:PORT/docker-remote/library/eclipse-temurin:17-jre, and the two-platform base of
# scripts/java-base-multiarch.sh (an index: that image for linux/amd64, an arm64 minbase without Java for
# linux/arm64) as localhost:PORT/java-base:17-jre-multiarch.
#
# start-tls: the same registry on https://127.0.0.1:PORT with a self-signed certificate made here
# (DIR/certs/ca.crt, for 127.0.0.1 and localhost) and htpasswd Basic auth of one user, TLS_USER with
# TLS_PASSWORD (below; src/it/registry-tls-credentials has them, encrypted, in its settings.xml); then a
# small image (one layer with /etc/it-base) pushed with those credentials as localhost:PORT/private/base:1.
# DIR/truststore.p12 (password "changeit") is the JDK's trust store plus that certificate, for a JVM that
# must trust the registry (-Djavax.net.ssl.trustStore).
#
# On any failure the registry is stopped again and the script exits non-zero with one line saying what
# failed. The registry always stops: `stop` kills it, and a watchdog started with it kills it as soon as
# the Maven process that started it is gone (a failed or interrupted build never runs `stop`).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
registry=/usr/bin/docker-registry
skopeo=/usr/bin/skopeo
TLS_USER=builder
TLS_PASSWORD=tls-builder-pw

die() { echo "registry-server.sh: $*" >&2; exit 1; }

stop() {
  local dir=$1 pid
  [ -f "$dir/registry.pid" ] || return 0
  pid=$(cat "$dir/registry.pid")
  rm -f "$dir/registry.pid"
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}

# The nearest Java process above this script: the Maven JVM whose life bounds the registry's.
maven_pid() {
  local pid=$PPID comm
  while [ "$pid" -gt 1 ]; do
    comm=$(cat "/proc/$pid/comm" 2>/dev/null) || break
    [ "$comm" = java ] && { echo "$pid"; return; }
    pid=$(awk '{print $4}' "/proc/$pid/stat")
  done
  echo "$PPID"
}

# serve DIR PORT EXTRA: docker-registry on 127.0.0.1:PORT, configured by DIR/config.yml (the common part,
# then EXTRA: a tls block, which belongs under http:, then top-level keys), once it listens. Sets
# served_pid; the registry is stopped again if this script exits before `trap - EXIT`.
serve() {
  local dir=$1 port=$2 extra=$3
  [ -x "$registry" ] || die "$registry is missing: install Debian's docker-registry (.ci/run does)"
  [ -x "$skopeo" ] || die "$skopeo is missing: install Debian's skopeo (.ci/run does)"
  stop "$dir"
  rm -rf "$dir/storage"
  mkdir -p "$dir/storage"
  {
    printf 'version: 0.1\nlog:\n  level: warn\n  accesslog:\n    disabled: true\n'
    printf 'storage:\n  filesystem:\n    rootdirectory: %s\n  delete:\n    enabled: true\n' "$dir/storage"
    printf 'http:\n  addr: 127.0.0.1:%s\n  secret: invoker-tests\n' "$port"
    printf '%s' "$extra"
  } >"$dir/config.yml"
  setsid "$registry" serve "$dir/config.yml" </dev/null >"$dir/registry.log" 2>&1 &
  served_pid=$!
  echo "$served_pid" >"$dir/registry.pid"
  local maven
  maven=$(maven_pid)
  # Watchdog: detached from Maven's pipes so that the exec step returns at once.
  setsid bash -c 'while kill -0 "$1" 2>/dev/null && kill -0 "$2" 2>/dev/null; do sleep 2; done; kill -0 "$1" 2>/dev/null || kill "$2" 2>/dev/null' \
    watchdog "$maven" "$served_pid" </dev/null >/dev/null 2>&1 &
  trap 'stop "$dir"' EXIT

  local ready=
  for _ in $(seq 300); do
    kill -0 "$served_pid" 2>/dev/null || die "docker-registry exited: $(tail -3 "$dir/registry.log" | tr '\n' ' ')"
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then ready=1; break; fi
    sleep 0.1
  done
  [ -n "$ready" ] || die "docker-registry did not listen on 127.0.0.1:$port within 30 s (log: $dir/registry.log)"
}

start() {
  local dir=$1 port=$2
  mkdir -p "$dir"
  serve "$dir" "$port" ""
  "$repo/scripts/java-base.sh" "$dir/java-base" || die "could not build the Java base image (scripts/java-base.sh)"
  "$skopeo" copy --quiet --dest-tls-verify=false "oci:$dir/java-base:17-jre" \
    "docker://localhost:$port/java-base:17-jre" || die "skopeo could not push the Java base to localhost:$port"
  "$skopeo" copy --quiet --src-tls-verify=false --dest-tls-verify=false \
    "docker://localhost:$port/java-base:17-jre" "docker://localhost:$port/eclipse-temurin:17-jre" \
    || die "skopeo could not copy the Java base to localhost:$port/eclipse-temurin:17-jre"
  # As a pull-through mirror (an Artifactory remote repository, say) keeps Docker Hub's images (registry-mirror).
  "$skopeo" copy --quiet --src-tls-verify=false --dest-tls-verify=false \
    "docker://localhost:$port/java-base:17-jre" "docker://localhost:$port/docker-remote/library/eclipse-temurin:17-jre" \
    || die "skopeo could not copy the Java base to localhost:$port/docker-remote/library/eclipse-temurin:17-jre"
  # A layout of its own (java-base.sh's layout shares files, hard links, with its cache), copied afresh from
  # the cache each time (a cheap copy of links), so a layout left by an interrupted run is never pushed.
  rm -rf "$dir/java-base-multiarch"
  "$repo/scripts/java-base-multiarch.sh" "$dir/java-base-multiarch" \
    || die "could not build the two-platform base image (scripts/java-base-multiarch.sh)"
  "$skopeo" copy --quiet --all --preserve-digests --dest-tls-verify=false \
    "oci:$dir/java-base-multiarch:17-jre-multiarch" "docker://localhost:$port/java-base:17-jre-multiarch" \
    || die "skopeo could not push the two-platform base to localhost:$port/java-base:17-jre-multiarch"
  trap - EXIT
  echo "registry-server.sh: docker-registry on localhost:$port (pid $served_pid), java-base:17-jre, eclipse-temurin:17-jre (also below docker-remote/library/) and java-base:17-jre-multiarch pushed"
}

start_tls() {
  local dir=$1 port=$2 tool
  for tool in openssl htpasswd keytool umoci; do
    command -v "$tool" >/dev/null || die "$tool is missing (Debian: openssl, apache2-utils, a JDK, umoci)"
  done
  rm -rf "$dir/certs" "$dir/base"
  mkdir -p "$dir/certs"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$dir/key.pem" -out "$dir/certs/ca.crt" -days 2 \
    -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1,DNS:localhost >"$dir/openssl.log" 2>&1 \
    || die "openssl could not make the certificate: $(tail -1 "$dir/openssl.log")"
  htpasswd -Bbn "$TLS_USER" "$TLS_PASSWORD" >"$dir/htpasswd" || die "htpasswd failed"
  # The JDK's own trust store (so Maven Central stays trusted) plus the registry's certificate.
  local cacerts
  cacerts=$(dirname "$(dirname "$(readlink -f "$(command -v keytool)")")")/lib/security/cacerts
  rm -f "$dir/truststore.p12"
  keytool -importkeystore -noprompt -srckeystore "$cacerts" -srcstorepass changeit \
    -destkeystore "$dir/truststore.p12" -deststoretype PKCS12 -deststorepass changeit >/dev/null 2>&1 \
    || die "keytool could not copy $cacerts"
  keytool -importcert -noprompt -alias it-tls-registry -file "$dir/certs/ca.crt" \
    -keystore "$dir/truststore.p12" -storepass changeit >/dev/null 2>&1 || die "keytool could not import the certificate"

  serve "$dir" "$port" "  tls:
    certificate: $dir/certs/ca.crt
    key: $dir/key.pem
auth:
  htpasswd:
    realm: invoker-tests
    path: $dir/htpasswd
"
  echo "it-base" >"$dir/it-base"
  umoci init --layout "$dir/base" && umoci new --image "$dir/base:1" \
    && umoci insert --image "$dir/base:1" "$dir/it-base" /etc/it-base >/dev/null \
    || die "umoci could not make the small base image"
  "$skopeo" copy --quiet --dest-cert-dir "$dir/certs" --dest-creds "$TLS_USER:$TLS_PASSWORD" \
    "oci:$dir/base:1" "docker://localhost:$port/private/base:1" \
    || die "skopeo could not push the small base to https://localhost:$port"
  trap - EXIT
  echo "registry-server.sh: docker-registry on https://localhost:$port (pid $served_pid, htpasswd user $TLS_USER), private/base:1 pushed"
}

case ${1:-} in
  start) start "${2:?usage: registry-server.sh start DIR PORT}" "${3:?usage: registry-server.sh start DIR PORT}" ;;
  start-tls) start_tls "${2:?usage: registry-server.sh start-tls DIR PORT}" "${3:?usage: registry-server.sh start-tls DIR PORT}" ;;
  stop) stop "${2:?usage: registry-server.sh stop DIR}" ;;
  *) die "usage: registry-server.sh start DIR PORT | start-tls DIR PORT | stop DIR" ;;
esac
