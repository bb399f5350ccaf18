#!/usr/bin/env bash
# Times whole umoci commands side by side: this project's jar (bin/umoci) against Debian's umoci
# (Go), on real Debian root filesystem images, alternating the two, RUNS times each.
# Prints median wall time, median CPU time (user+sys) and peak RSS per command, the ratio
# ours/umoci of the median wall times, and the floor of plain tools on the same data.
#
#   bench/run.sh [RUNS]            (default 3; needs root, debootstrap, umoci, pigz, GNU time)

#
# Work files go to bench/work (git-ignored). Build the jar first: mvn -B -q package -DskipTests
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
top=$PWD
work=$top/bench/work
ours="$top/bin/umoci"
theirs=/usr/bin/umoci
mkdir -p "$work"
[ -f umoci-engine/target/umoci.jar ] || { echo "build the jar first: mvn -B -q package -DskipTests" >&2; exit 1; }
command -v pigz >/dev/null && [ -x /usr/bin/time ] || { echo "needs pigz and GNU time (apt-get install pigz time)" >&2; exit 1; }

echo "building fixture images (cached after the first run)..." >&2
scripts/debian-image.sh small "$work/images"
scripts/debian-image.sh large "$work/images"

results=$work/results.tsv
: >"$results"

# Bundles and layout copies live on a tmpfs by default: on a disk the kernel's background work
# after deleting a 20k-file tree (inode scans, writeback) swings each run by several seconds for
# both tools alike, which hides the tools' own cost. BENCH_TMPFS=0 measures on the disk instead.
scratch=$work/scratch
mkdir -p "$scratch"
if [ "${BENCH_TMPFS:-1}" = 1 ] && ! mountpoint -q "$scratch"; then
  mount -t tmpfs -o size=8g tmpfs "$scratch"
  trap 'umount "$scratch" 2>/dev/null || true' EXIT
fi

# measure LABEL IMPL CMD...: runs CMD once under GNU time, appends "label impl wall cpu rss_kb".
# Wall time comes from bash's microsecond clock; CPU time and peak RSS from GNU time.
measure() {
  local label=$1 impl=$2; shift 2
  local t start end
  t=$(mktemp)
  sync
  start=$EPOCHREALTIME
  /usr/bin/time -f '%U %S %M' -o "$t" "$@" >/dev/null 2>"$work/last.err" || {
    echo "FAILED: $label ($impl): $*" >&2; cat "$work/last.err" >&2; rm -f "$t"; return 1; }
  end=$EPOCHREALTIME
  awk -v l="$label" -v i="$impl" -v s="$start" -v e="$end" \
    '{printf "%s\t%s\t%.3f\t%.3f\t%d\n", l, i, e - s, $1+$2, $3}' "$t" >>"$results"
  rm -f "$t"
}

fresh_layout() { rm -rf "$scratch/l"; cp -a "$work/images" "$scratch/l"; }
fresh_bundle() { rm -rf "$scratch/b"; }

# scenario NAME: one timed run per implementation, setup untimed, alternating the order.
run_scenario() {
  local name=$1 i impl bin
  for ((i = 0; i < runs; i++)); do
    for impl in $( ((i % 2)) && echo "umoci ours" || echo "ours umoci"); do
      [ "$impl" = ours ] && bin=$ours || bin=$theirs
      "scenario_$name" "$impl" "$bin"
    done
  done
}

scenario_unpack_small() { fresh_bundle; measure "unpack (small)" "$1" "$2" unpack --image "$work/images:small" "$scratch/b"; }
scenario_unpack_large() { fresh_bundle; measure "unpack (large)" "$1" "$2" unpack --image "$work/images:large" "$scratch/b"; }
repack_setup() { fresh_layout; fresh_bundle; "$2" unpack --image "$scratch/l:large" "$scratch/b" >/dev/null; }
scenario_repack_nochange() { repack_setup "$@"; measure "repack, no change" "$1" "$2" repack --image "$scratch/l:new" "$scratch/b"; }
scenario_repack_onefile() {
  repack_setup "$@"; echo "changed $RANDOM" >>"$scratch/b/rootfs/etc/hostname"
  measure "repack, one small file changed" "$1" "$2" repack --image "$scratch/l:new" "$scratch/b"
}
scenario_repack_100mb() {
  repack_setup "$@"; mkdir -p "$scratch/b/rootfs/opt/data"
  for n in $(seq 1 100); do head -c 1048576 /dev/urandom >"$scratch/b/rootfs/opt/data/f$n"; done
  measure "repack, 100 MB added" "$1" "$2" repack --image "$scratch/l:new" "$scratch/b"
}
# Repack without a trusted digest cache: the bundle copied with cp -a (new inodes and ctimes), and a
# bundle unpacked by Debian's umoci (no cache at all); setup untimed.
copied_setup() {
  repack_setup "$@"; rm -rf "$scratch/c"; cp -a "$scratch/b" "$scratch/c"; rm -rf "$scratch/b"; mv "$scratch/c" "$scratch/b"
}
scenario_repack_copied_onefile() {
  copied_setup "$@"; echo "changed $RANDOM" >>"$scratch/b/rootfs/etc/hostname"
  measure "repack cp -a bundle, one file changed" "$1" "$2" repack --image "$scratch/l:new" "$scratch/b"
}
scenario_repack_copied_100mb() {
  copied_setup "$@"; mkdir -p "$scratch/b/rootfs/opt/data"
  for n in $(seq 1 100); do head -c 1048576 /dev/urandom >"$scratch/b/rootfs/opt/data/f$n"; done
  measure "repack cp -a bundle, 100 MB added" "$1" "$2" repack --image "$scratch/l:new" "$scratch/b"
}
scenario_repack_gounpacked_onefile() {
  fresh_layout; fresh_bundle; "$theirs" unpack --image "$scratch/l:large" "$scratch/b" >/dev/null
  echo "changed $RANDOM" >>"$scratch/b/rootfs/etc/hostname"
  measure "repack umoci-unpacked, one file changed" "$1" "$2" repack --image "$scratch/l:new" "$scratch/b"
}
scenario_repack_gounpacked_100mb() {
  fresh_layout; fresh_bundle; "$theirs" unpack --image "$scratch/l:large" "$scratch/b" >/dev/null
  mkdir -p "$scratch/b/rootfs/opt/data"
  for n in $(seq 1 100); do head -c 1048576 /dev/urandom >"$scratch/b/rootfs/opt/data/f$n"; done
  measure "repack umoci-unpacked, 100 MB added" "$1" "$2" repack --image "$scratch/l:new" "$scratch/b"
}
scenario_config() { fresh_layout; measure "config" "$1" "$2" config --image "$scratch/l:large" --config.env FOO=bar --author bench; }
scenario_insert() {
  fresh_layout
  if [ ! -d "$work/insert50" ]; then
    mkdir -p "$work/insert50"; for n in $(seq 1 50); do head -c 1048576 /dev/urandom >"$work/insert50/f$n"; done
  fi
  measure "insert 50 MB directory" "$1" "$2" insert --image "$scratch/l:large" "$work/insert50" /opt/insert50
}
# The random bytes above are the best case for umoci's pgzip (it skips incompressible input); this
# row inserts ~49 MB of real files (1,671 entries: Python's library, source and text, and git's
# binaries) copied out of the large image's debootstrapped rootfs.
insert_real_dir() {
  if [ ! -d "$work/insertreal" ]; then
    local cache=${UMOCI_FIXTURE_CACHE:-$HOME/.cache/umoci-java}
    rm -rf "$work/insertreal.tmp"; mkdir -p "$work/insertreal.tmp"
    tar -C "$work/insertreal.tmp" --numeric-owner -xf "$cache/large.tar" ./usr/lib/python3.11 ./usr/lib/git-core
    mv "$work/insertreal.tmp/usr/lib" "$work/insertreal"; rm -rf "$work/insertreal.tmp"
  fi
}
scenario_insert_real() {
  fresh_layout; insert_real_dir
  measure "insert 49 MB of real files" "$1" "$2" insert --image "$scratch/l:large" "$work/insertreal" /opt/insertreal
}
scenario_gc() { fresh_layout; "$2" rm --image "$scratch/l:small"; measure "gc" "$1" "$2" gc --layout "$scratch/l"; }
scenario_tag() {
  [ -d "$scratch/l" ] || fresh_layout
  measure "tag" "$1" "$2" tag --image "$scratch/l:large" "bench-$1-$RANDOM"
}
scenario_stat() { measure "stat" "$1" "$2" stat --image "$work/images:large"; }
scenario_ls() { measure "ls" "$1" "$2" ls --layout "$work/images"; }

floors() {
  local layer blobs=$work/images/blobs/sha256 i
  # Unpack floor: decompress and extract every layer of the large image with pigz and GNU tar.
  for ((i = 0; i < runs; i++)); do
    rm -rf "$scratch/floor"; mkdir "$scratch/floor"
    measure "unpack (large)" "floor: pigz -dc | tar -x" bash -c '
      m=$(jq -r ".manifests[] | select(.annotations[\"org.opencontainers.image.ref.name\"]==\"large\") | .digest" "$1/index.json" | cut -d: -f2)
      for l in $(jq -r ".layers[].digest" "$1/blobs/sha256/$m" | cut -d: -f2); do
        pigz -dc "$1/blobs/sha256/$l" | tar --numeric-owner -C "$2" -xf -
      done' _ "$work/images" "$scratch/floor"
  done
  # Uncached repack floor: an lstat walk of the large rootfs and SHA-256 of every file, on two cores.
  rm -rf "$scratch/b"; "$ours" unpack --image "$work/images:large" "$scratch/b" >/dev/null
  for ((i = 0; i < runs; i++)); do
    for l in "repack cp -a bundle, one file changed" "repack umoci-unpacked, one file changed"; do
      measure "$l" "floor: find | xargs -P2 sha256sum" bash -c \
        'find "$1" -type f -print0 | xargs -0 -P2 -n 500 sha256sum >/dev/null' _ "$scratch/b/rootfs"
    done
  done
  # Insert floors: tar the inserted directories and compress them with pigz.
  insert_real_dir
  for ((i = 0; i < runs; i++)); do
    measure "insert 50 MB directory" "floor: tar -c | pigz" bash -c 'tar -C "$1" -cf - . | pigz -c >/dev/null' _ "$work/insert50"
    measure "insert 49 MB of real files" "floor: tar -c | pigz" bash -c 'tar -C "$1" -cf - . | pigz -c >/dev/null' _ "$work/insertreal"
  done
  # Repack floor: tar the 100 MB of new files and compress them with pigz.
  mkdir -p "$work/floor100"; [ -f "$work/floor100/f100" ] || for n in $(seq 1 100); do head -c 1048576 /dev/urandom >"$work/floor100/f$n"; done
  for ((i = 0; i < runs; i++)); do
    measure "repack, 100 MB added" "floor: tar -c | pigz" bash -c 'tar -C "$1" -cf - . | pigz -c >/dev/null' _ "$work/floor100"
  done
}

command -v jq >/dev/null || { echo "needs jq (apt-get install jq)" >&2; exit 1; }
for s in unpack_small unpack_large repack_nochange repack_onefile repack_100mb repack_copied_onefile \
  repack_copied_100mb repack_gounpacked_onefile repack_gounpacked_100mb config insert insert_real gc tag stat ls; do
  echo "timing $s..." >&2
  run_scenario "$s"
done
floors

# Report: medians per (label, impl) and the ratio ours/umoci.
echo
echo "# umoci benchmark, $(date -u +%Y-%m-%d), $(nproc) cores, runs=$runs"
echo "# ours: $(java -version 2>&1 | head -1); umoci: $($theirs --version 2>&1 | head -1)"
awk -F'\t' '
  function median(list,   n, a, i, j, t) {
    n = split(list, a, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  { key = $1 SUBSEP $2; wall[key] = wall[key] " " $3; cpu[key] = cpu[key] " " $4; rss[key] = (rss[key] > $5 ? rss[key] : $5)
    if (!(($1) in seen)) { seen[$1] = 1; order[++n] = $1 }
    if (!(($1 SUBSEP $2) in seenimpl)) { seenimpl[$1 SUBSEP $2] = 1; impls[$1] = impls[$1] "\t" $2 } }
  END {
    printf "%-34s %-26s %9s %9s %9s %12s\n", "command", "implementation", "wall s", "cpu s", "peak MB", "ours/umoci"
    for (k = 1; k <= n; k++) {
      l = order[k]; m = split(substr(impls[l], 2), im, "\t")
      for (x = 1; x <= m; x++) {
        key = l SUBSEP im[x]; w = median(wall[key]); ratio = ""
        if (im[x] == "ours" && ((l SUBSEP "umoci") in wall)) ratio = sprintf("%.2f", w / median(wall[l SUBSEP "umoci"]))
        printf "%-34s %-26s %9.2f %9.2f %9.0f %12s\n", l, im[x], w, median(cpu[key]), rss[key] / 1024, ratio
      }
    }
  }' "$results"
