#!/usr/bin/env bash
# Times pull and push of a real Debian image to and from a loopback registry (Debian's
# docker-registry, plain HTTP, started here with its own storage and stopped at the end), side by
# side with `skopeo copy` on the same data, alternating the two, RUNS times each. Prints median
# wall time, CPU time and peak RSS per direction and the ratio ours/skopeo.
#
#   bench/registry.sh [RUNS] [KIND]     (defaults: 3 large; KIND small|large as scripts/debian-image.sh)
#
# Pulls come from a "source" registry that holds the image, each into a new layout. Each push goes
# to a "push" registry started afresh with empty storage for that push (outside the timed part):
# skopeo remembers where it has seen blobs (its blob-info cache) and mounts them from another
# repository of the same registry instead of sending them, so a registry that already stored the
# blobs would time mounts, not uploads. Both tools send every byte.
#
# "mount" copies the image from one repository of the source registry to a new one in the same
# registry (a new repository per run): both tools mount the blobs instead of sending them (ours
# pulls only the manifests; skopeo knows the blobs' location from its blob-info cache).
#
# Then a rebuild: the image plus an application layer (a 4 MiB "jar" of random bytes) is pushed,
# the application is changed (new random bytes) and the image built again from the same base and
# pushed to the same repository; the blobs and bytes our client sends on that second push are
# printed from its --log info summary.
# Needs root (for the image build), docker-registry, skopeo, GNU time. Build the jar first:
# mvn -B -q package -DskipTests
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/registry-lib.sh
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
declare -A pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  rm -rf "$scratch"
}
trap cleanup EXIT

# start_registry NAME: starts a registry with empty storage in $scratch/NAME; sets $host.
start_registry() {
  local name=$1 dir=$scratch/$1
  if [ -n "${pids[$name]:-}" ]; then
    kill "${pids[$name]}" 2>/dev/null || true
    wait "${pids[$name]}" 2>/dev/null || true
  fi
  start_registry_in "$dir"
  pids[$name]=$registry_pid
}

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
start_registry source
source_host=$host
# The image both tools pull from.
skopeo --insecure-policy copy --dest-tls-verify=false "$src" "docker://$source_host/bench/source:$kind" >/dev/null

# Extra rows of ours, timed in the same rounds: "pull-1get" with one GET per blob (no parallel
# Range requests, -Dumoci.registry.rangePart=0), and push/pull on Java 25 (the launcher then uses
# the AOT cache the build makes) when that JDK is installed ($JAVA25, default Temurin 25's path).
java25=${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64}
impls="ours skopeo ours-1get"
[ -x "$java25/bin/java" ] && impls="$impls ours-j25"
for ((i = 0; i < runs; i++)); do
  order=$impls
  ((i % 2)) && order=$(echo "$impls" | awk '{ for (k = NF; k > 0; k--) printf "%s ", $k }')
  for impl in $order; do
    rm -rf "$scratch/pull"
    start_registry push
    sync
    case $impl in
      ours)
        measure push ours "$ours" copy --dest-tls-verify=false "$src" "docker://$host/bench/push:$kind"
        measure pull ours "$ours" copy --src-tls-verify=false "docker://$source_host/bench/source:$kind" "oci:$scratch/pull:$kind"
        measure mount ours "$ours" copy --src-tls-verify=false --dest-tls-verify=false \
          "docker://$source_host/bench/source:$kind" "docker://$source_host/bench/mount-ours-$i:$kind"
        ;;
      ours-1get)
        # Untimed, so that this pull too follows a push of the same image, as the timed pulls do.
        "$ours" copy --dest-tls-verify=false "$src" "docker://$host/bench/push:$kind" >/dev/null
        measure pull-1get ours env UMOCI_JAVA_OPTS=-Dumoci.registry.rangePart=0 "$ours" copy --src-tls-verify=false \
          "docker://$source_host/bench/source:$kind" "oci:$scratch/pull:$kind"
        ;;
      ours-j25)
        measure push-j25 ours env JAVA_HOME="$java25" "$ours" copy --dest-tls-verify=false "$src" "docker://$host/bench/push:$kind"
        rm -rf "$scratch/pull"
        measure pull-j25 ours env JAVA_HOME="$java25" "$ours" copy --src-tls-verify=false \
          "docker://$source_host/bench/source:$kind" "oci:$scratch/pull:$kind"
        ;;
      skopeo)
        measure push skopeo skopeo --insecure-policy copy --dest-tls-verify=false "$src" "docker://$host/bench/push:$kind"
        measure pull skopeo skopeo --insecure-policy copy --src-tls-verify=false "docker://$source_host/bench/source:$kind" "oci:$scratch/pull:$kind"
        measure mount skopeo skopeo --insecure-policy copy --src-tls-verify=false --dest-tls-verify=false \
          "docker://$source_host/bench/source:$kind" "docker://$source_host/bench/mount-skopeo-$i:$kind"
        ;;
    esac
  done
done
rm -rf "$scratch/pull"

# Rebuild: the base plus an application layer, pushed; then the application changed, built again
# on the same base and pushed to the same repository.
cp -a "$work/images" "$scratch/rebuild"
mkdir -p "$scratch/app"
head -c 4194304 /dev/urandom >"$scratch/app/app.jar"
"$ours" tag --image "$scratch/rebuild:$kind" app-v1 >/dev/null
"$ours" insert --image "$scratch/rebuild:app-v1" "$scratch/app" /app >/dev/null
"$ours" copy --dest-tls-verify=false "oci:$scratch/rebuild:app-v1" "docker://$source_host/bench/app:latest" >/dev/null
head -c 4194304 /dev/urandom >"$scratch/app/app.jar"
"$ours" tag --image "$scratch/rebuild:$kind" app-v2 >/dev/null
"$ours" insert --image "$scratch/rebuild:app-v2" "$scratch/app" /app >/dev/null
rebuild=$("$ours" --log info copy --dest-tls-verify=false "oci:$scratch/rebuild:app-v2" "docker://$source_host/bench/app:latest" 2>&1 >/dev/null | grep -o "[0-9]* blobs ([0-9]* bytes) transferred, [0-9]* already there or mounted" || true)

echo
echo "# registry pull/push benchmark ($kind image), $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), runs=$runs"
echo "# ours: $(java -version 2>&1 | head -1)$([ -x "$java25/bin/java" ] && echo "; -j25 rows: $("$java25/bin/java" -version 2>&1 | head -1)"); skopeo: $(skopeo --version)"
awk -F'\t' '
  function median(list,   n, a, i, j, t) {
    n = split(list, a, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  { key = $1 SUBSEP $2; wall[key] = wall[key] " " $3; cpu[key] = cpu[key] " " $4; rss[key] = (rss[key] > $5 ? rss[key] : $5) }
  END {
    printf "%-10s %-8s %9s %9s %9s %12s  %s\n", "what", "tool", "wall s", "cpu s", "peak MB", "ours/skopeo", "all wall s"
    n = split("push push-j25 pull pull-1get pull-j25 mount", what, " ")
    for (w = 1; w <= n; w++) for (t = 1; t <= 2; t++) {
      tool = (t == 1 ? "ours" : "skopeo"); key = what[w] SUBSEP tool
      if (!(key in wall)) continue
      base = what[w]; sub(/-.*/, "", base)
      ratio = (tool == "ours") ? sprintf("%.2f", median(wall[key]) / median(wall[base SUBSEP "skopeo"])) : ""
      printf "%-10s %-8s %9.2f %9.2f %9.0f %12s %s\n", what[w], tool, median(wall[key]), median(cpu[key]), rss[key] / 1024, ratio, wall[key]
    }
  }' "$results"
echo "# rebuild (application layer of 4 MiB changed), second push sent: $rebuild"
