#!/usr/bin/env bash
# Checks that hostile layer shapes unpack in time proportional to their size (issue 12 §4): for
# each shape, a layer of N entries and one of 4N entries are generated, added to a layout with
# `raw add-layer`, and unpacked with `raw unpack` by this project's jar; the script prints both
# wall times and their ratio. Linear work gives a ratio near 4; quadratic work near 16.
#
#   bench/hostile-layers.sh [N] [RUNS]     (default N=25000, so 4N = 100,000; RUNS=3, median)
#
# Shapes:
#   wide       N directories d<i>/, each with one file
#   deep       chains of 1,000 nested directories (names stay under the 4096-byte name limit)
#   deletions  a lower layer of N directories with a file each; an upper layer that first adds
#              N/2 directories, then whites out all N lower ones
#   replace    a lower layer with one directory holding N subdirectories; an upper layer that
#              first adds N/2 directories, then replaces the big directory by a file
#
# Work files go to bench/work/hostile (git-ignored). Build the jar first:
#   mvn -B -q -pl umoci-engine package -DskipTests
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-25000}
runs=${2:-3}
top=$PWD
work=$top/bench/work/hostile
ours="$top/bin/umoci"
[ -f umoci-engine/target/umoci.jar ] || { echo "build the jar first" >&2; exit 1; }
rm -rf "$work"
mkdir -p "$work"

# gen SHAPE COUNT DIR: writes DIR/lower.tar (maybe empty of entries) and DIR/upper.tar.
gen() {
  python3 - "$1" "$2" "$3" <<'PY'
import io, sys, tarfile
shape, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]

def writer(path):
    return tarfile.open(path, "w", format=tarfile.PAX_FORMAT)

def d(t, name):
    i = tarfile.TarInfo(name); i.type = tarfile.DIRTYPE; i.mode = 0o755; t.addfile(i)

def f(t, name, data=b"x"):
    i = tarfile.TarInfo(name); i.size = len(data); i.mode = 0o644; t.addfile(i, io.BytesIO(data))

lower = writer(out + "/lower.tar"); upper = writer(out + "/upper.tar")
if shape == "wide":
    for k in range(n // 2):
        d(upper, "d%d" % k); f(upper, "d%d/f" % k)
elif shape == "deep":
    for c in range(max(1, n // 1000)):
        path = "c%d" % c
        d(upper, path)
        for k in range(999):
            path += "/x"; d(upper, path)
elif shape == "deletions":
    for k in range(n // 2):
        d(lower, "d%d" % k); f(lower, "d%d/f" % k)
    for k in range(n // 2):
        d(upper, "n%d" % k)
    for k in range(n // 2):
        f(upper, ".wh.d%d" % k, b"")
elif shape == "replace":
    d(lower, "big")
    for k in range(n):
        d(lower, "big/s%d" % k)
    for k in range(n // 2):
        d(upper, "n%d" % k)
    f(upper, "big", b"now a file")
lower.close(); upper.close()
PY
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# time_unpack IMAGE DEST: wall seconds of one `raw unpack` (the rootfs is removed afterwards).
time_unpack() {
  local start end
  start=$(date +%s.%N)
  "$ours" raw unpack --image "$1" "$2" >/dev/null 2>&1
  end=$(date +%s.%N)
  rm -rf "$2"
  echo "$end - $start" | bc
}

printf '%-10s %10s %10s %10s %10s %7s\n' shape N "t(N) s" 4N "t(4N) s" ratio
for shape in wide deep deletions replace; do
  times=()
  for count in "$n" $((4 * n)); do
    dir=$work/$shape-$count
    mkdir -p "$dir"
    gen "$shape" "$count" "$dir"
    "$ours" init --layout "$dir/img" >/dev/null
    "$ours" new --image "$dir/img:e" >/dev/null
    "$ours" raw add-layer --no-history --compress none --image "$dir/img:e" --tag l "$dir/lower.tar" >/dev/null 2>&1
    "$ours" raw add-layer --no-history --compress none --image "$dir/img:l" --tag u "$dir/upper.tar" >/dev/null 2>&1
    samples=()
    for ((r = 0; r < runs; r++)); do
      samples+=("$(time_unpack "$dir/img:u" "$dir/rootfs")")
    done
    times+=("$(printf '%s\n' "${samples[@]}" | median)")
    rm -rf "$dir"
  done
  ratio=$(echo "scale=2; ${times[1]} / ${times[0]}" | bc)
  printf '%-10s %10d %10.2f %10d %10.2f %7s\n' "$shape" "$n" "${times[0]}" $((4 * n)) "${times[1]}" "$ratio"
done
