#!/usr/bin/env bash
# Times pull and push of a real Debian image to and from a loopback registry (Debian's
# docker-registry, plain HTTP, started here with its own storage and stopped at the end), side by
# side with `skopeo copy` on the same data, alternating the two, RUNS times each. Prints median
# wall time, CPU time and peak RSS per direction and the ratio ours/skopeo.
#
#   bench/registry.sh [RUNS] [KIND]     (defaults: 3 large; KIND small|large as scripts/debian-image.sh)
#
# Each push goes to a repository of its own (the registry has the blobs stored but not linked to
# that repository, so both tools send every byte); each pull goes into a new layout. Then a
# "rebuild" is pushed: the image plus one small new layer, to a repository that has the image,
# and the blob bytes our client sends are counted (from its --log info summary).
# Needs root (for the image build), docker-registry, skopeo, GNU time. Build the jar first:
# mvn -B -q package -DskipTests
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
kind=${2:-large}
top=$PWD
work=$top/bench/work
ours="$top/bin/umoci"
mkdir -p "$work"
[ -f umoci-engine/target/umoci.jar ] || { echo "build the jar first: mvn -B -q package -DskipTests" >&2; exit 1; }
[ -x /usr/bin/docker-registry ] && [ -x /usr/bin/skopeo ] && [ -x /usr/bin/time ] || {
  echo "needs docker-registry, skopeo and GNU time (apt-get install docker-registry skopeo time)" >&2; exit 1; }

echo "building the $kind fixture image (cached after the first run)..." >&2
scripts/debian-image.sh "$kind" "$work/images"

scratch=$(mktemp -d "$work/registry-bench.XXXXXX")
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
host=127.0.0.1:$port
cat >"$scratch/config.yml" <<YAML
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $scratch/storage
http:
  addr: $host
YAML
/usr/bin/docker-registry serve "$scratch/config.yml" >"$scratch/registry.log" 2>&1 &
registry_pid=$!
trap 'kill $registry_pid 2>/dev/null; wait $registry_pid 2>/dev/null || true; rm -rf "$scratch"' EXIT
for _ in $(seq 1 100); do curl -sf "http://$host/v2/" >/dev/null && break; sleep 0.1; done
curl -sf "http://$host/v2/" >/dev/null || { echo "registry did not start:" >&2; cat "$scratch/registry.log" >&2; exit 1; }

results=$scratch/results.tsv
: >"$results"
measure() {
  local label=$1 impl=$2; shift 2
  local t start end
  t=$(mktemp)
  start=$EPOCHREALTIME
  /usr/bin/time -f '%U %S %M' -o "$t" "$@" >/dev/null 2>"$scratch/last.err" || {
    echo "FAILED: $label ($impl): $*" >&2; cat "$scratch/last.err" >&2; rm -f "$t"; return 1; }
  end=$EPOCHREALTIME
  awk -v l="$label" -v i="$impl" -v s="$start" -v e="$end" \
    '{printf "%s\t%s\t%.3f\t%.3f\t%d\n", l, i, e - s, $1+$2, $3}' "$t" >>"$results"
  rm -f "$t"
}

src="oci:$work/images:$kind"
# The image both tools pull from.
skopeo --insecure-policy copy --dest-tls-verify=false "$src" "docker://$host/bench/source:$kind" >/dev/null

for ((i = 0; i < runs; i++)); do
  for impl in $( ((i % 2)) && echo "skopeo ours" || echo "ours skopeo"); do
    rm -rf "$scratch/pull"
    if [ "$impl" = ours ]; then
      measure push ours "$ours" copy --dest-tls-verify=false "$src" "docker://$host/bench/push-$impl-$i:$kind"
      measure pull ours "$ours" copy --src-tls-verify=false "docker://$host/bench/source:$kind" "oci:$scratch/pull:$kind"
    else
      measure push skopeo skopeo --insecure-policy copy --dest-tls-verify=false "$src" "docker://$host/bench/push-$impl-$i:$kind"
      measure pull skopeo skopeo --insecure-policy copy --src-tls-verify=false "docker://$host/bench/source:$kind" "oci:$scratch/pull:$kind"
    fi
  done
done

# Rebuild: one new small layer on top; push to the repository that has the image.
cp -a "$work/images" "$scratch/rebuild"
mkdir -p "$scratch/app" && head -c 65536 /dev/urandom >"$scratch/app/app.jar"
"$ours" insert --image "$scratch/rebuild:$kind" "$scratch/app" /app >/dev/null
rebuild=$("$ours" --log info copy --dest-tls-verify=false "oci:$scratch/rebuild:$kind" "docker://$host/bench/source:$kind" 2>&1 >/dev/null | grep "transferred" || true)

echo
echo "# registry pull/push benchmark ($kind image), $(date -u +%Y-%m-%d), $(nproc) cores, runs=$runs"
echo "# ours: $(java -version 2>&1 | head -1); skopeo: $(skopeo --version)"
awk -F'\t' '
  function median(list,   n, a, i, j, t) {
    n = split(list, a, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  { key = $1 SUBSEP $2; wall[key] = wall[key] " " $3; cpu[key] = cpu[key] " " $4; rss[key] = (rss[key] > $5 ? rss[key] : $5) }
  END {
    printf "%-8s %-8s %9s %9s %9s %12s\n", "what", "tool", "wall s", "cpu s", "peak MB", "ours/skopeo"
    split("push pull", what, " ")
    for (w = 1; w <= 2; w++) for (t = 1; t <= 2; t++) {
      tool = (t == 1 ? "ours" : "skopeo"); key = what[w] SUBSEP tool
      ratio = (tool == "ours") ? sprintf("%.2f", median(wall[key]) / median(wall[what[w] SUBSEP "skopeo"])) : ""
      printf "%-8s %-8s %9.2f %9.2f %9.0f %12s\n", what[w], tool, median(wall[key]), median(cpu[key]), rss[key] / 1024, ratio
    }
  }' "$results"
echo "# rebuild with one new 64 KiB layer: $rebuild"
