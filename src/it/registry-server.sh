#!/usr/bin/env bash
# The loopback registry of the invoker tests (not a test project itself). The plugin module's build
# runs it around the invoker (umoci-maven-plugin/pom.xml):
#
#   registry-server.sh start DIR PORT   pre-integration-test
#   registry-server.sh stop DIR         post-integration-test
#
# start: Debian's docker-registry (the CNCF distribution registry) on 127.0.0.1:PORT, plain HTTP,
# with its configuration, storage and log in DIR; then the Java base of scripts/java-base.sh
# pushed by skopeo as localhost:PORT/java-base:17-jre and, in the style of Docker Hub's images, as
# localhost:PORT/eclipse-temurin:17-jre (the same image; it is not Temurin). On any failure the
# registry is stopped again and the script exits non-zero with one line saying what failed.
#
# The registry always stops: `stop` kills it, and a watchdog started with it kills it as soon as
# the Maven process that started it is gone (a failed or interrupted build never runs `stop`).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
registry=/usr/bin/docker-registry
skopeo=/usr/bin/skopeo

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

start() {
  local dir=$1 port=$2
  [ -x "$registry" ] || die "$registry is missing: install Debian's docker-registry (.ci/run does)"
  [ -x "$skopeo" ] || die "$skopeo is missing: install Debian's skopeo (.ci/run does)"
  stop "$dir"
  rm -rf "$dir/storage"
  mkdir -p "$dir/storage"
  cat >"$dir/config.yml" <<EOF
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $dir/storage
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
  secret: invoker-tests
EOF
  setsid "$registry" serve "$dir/config.yml" </dev/null >"$dir/registry.log" 2>&1 &
  local pid=$!
  echo "$pid" >"$dir/registry.pid"
  local maven
  maven=$(maven_pid)
  # Watchdog: detached from Maven's pipes so that the exec step returns at once.
  setsid bash -c 'while kill -0 "$1" 2>/dev/null && kill -0 "$2" 2>/dev/null; do sleep 2; done; kill -0 "$1" 2>/dev/null || kill "$2" 2>/dev/null' \
    watchdog "$maven" "$pid" </dev/null >/dev/null 2>&1 &
  trap 'stop "$dir"' EXIT

  local ready=
  for _ in $(seq 300); do
    kill -0 "$pid" 2>/dev/null || die "docker-registry exited: $(tail -3 "$dir/registry.log" | tr '\n' ' ')"
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then ready=1; break; fi
    sleep 0.1
  done
  [ -n "$ready" ] || die "docker-registry did not listen on 127.0.0.1:$port within 30 s (log: $dir/registry.log)"

  "$repo/scripts/java-base.sh" "$dir/java-base" || die "could not build the Java base image (scripts/java-base.sh)"
  "$skopeo" copy --quiet --dest-tls-verify=false "oci:$dir/java-base:17-jre" \
    "docker://localhost:$port/java-base:17-jre" || die "skopeo could not push the Java base to localhost:$port"
  "$skopeo" copy --quiet --src-tls-verify=false --dest-tls-verify=false \
    "docker://localhost:$port/java-base:17-jre" "docker://localhost:$port/eclipse-temurin:17-jre" \
    || die "skopeo could not copy the Java base to localhost:$port/eclipse-temurin:17-jre"
  trap - EXIT
  echo "registry-server.sh: docker-registry on localhost:$port (pid $pid), java-base:17-jre and eclipse-temurin:17-jre pushed"
}

case ${1:-} in
  start) start "${2:?usage: registry-server.sh start DIR PORT}" "${3:?usage: registry-server.sh start DIR PORT}" ;;
  stop) stop "${2:?usage: registry-server.sh stop DIR}" ;;
  *) die "usage: registry-server.sh start DIR PORT | stop DIR" ;;
esac
