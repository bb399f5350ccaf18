# Sourced by the benchmark scripts: one way to start a throw-away registry.
#
# start_registry_in DIR: starts Debian's docker-registry with a new config and empty storage
# below DIR, on a free loopback port, and waits until it answers. Sets $host (127.0.0.1:PORT)
# and $registry_pid; the caller stops it. Exits with the registry's log when it does not start.
start_registry_in() {
  local dir=$1 port
  rm -rf "$dir" && mkdir -p "$dir"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  host=127.0.0.1:$port
  cat >"$dir/config.yml" <<YAML
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $dir/storage
http:
  addr: $host
YAML
  /usr/bin/docker-registry serve "$dir/config.yml" >"$dir/registry.log" 2>&1 &
  registry_pid=$!
  for _ in $(seq 1 100); do curl -sf "http://$host/v2/" >/dev/null && return 0; sleep 0.1; done
  echo "registry did not start:" >&2
  cat "$dir/registry.log" >&2
  exit 1
}
