#!/usr/bin/env bash
# Checks that hostile layer shapes unpack in time proportional to their size (issue 12 §4): for
# each shape, a layer of N entries and one of 4N entries are generated, added to a layout with
# `raw add-layer`, and unpacked with `raw unpack` by this project's jar; the script prints the
# median wall and CPU times and their ratios 4N/N. Linear work gives ratios near 4; quadratic
# work near 16. Needs python3, bc and GNU time.
#
#   bench/hostile-layers.sh [N] [RUNS]     (default N=25000, so 4N = 100,000; RUNS=3, median)
#   SHAPES="wide deep" bench/hostile-layers.sh ...   (a subset of the shapes)
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

# time_unpack IMAGE DEST: "wall cpu" seconds of one `raw unpack` (the rootfs is removed after).
# CPU time (user + sys, from GNU time) moves far less than wall time when other work shares the
# machine; both are printed.
time_unpack() {
  local out
  out=$(/usr/bin/time -f "%e %U %S" "$ours" raw unpack --image "$1" "$2" 2>&1 >/dev/null | tail -1)
  rm -rf "$2"
  echo "$out" | awk '{printf "%s %.2f\n", $1, $2 + $3}'
}

printf '%-10s %7s %8s %8s %7s %8s %8s %6s %6s\n' \
  shape N "wall s" "cpu s" 4N "wall s" "cpu s" "wall x" "cpu x"
for shape in ${SHAPES:-wide deep deletions replace}; do
  walls=() cpus=()
  for count in "$n" $((4 * n)); do
    dir=$work/$shape-$count
    mkdir -p "$dir"
    gen "$shape" "$count" "$dir"
    "$ours" init --layout "$dir/img" >/dev/null
    "$ours" new --image "$dir/img:e" >/dev/null
    "$ours" raw add-layer --no-history --compress none --image "$dir/img:e" --tag l "$dir/lower.tar" >/dev/null 2>&1
    "$ours" raw add-layer --no-history --compress none --image "$dir/img:l" --tag u "$dir/upper.tar" >/dev/null 2>&1
    w=() c=()
    for ((r = 0; r < runs; r++)); do
      read -r wall cpu < <(time_unpack "$dir/img:u" "$dir/rootfs")
      w+=("$wall") c+=("$cpu")
    done
    walls+=("$(printf '%s\n' "${w[@]}" | median)")
    cpus+=("$(printf '%s\n' "${c[@]}" | median)")
    rm -rf "$dir"
  done
  printf '%-10s %7d %8.2f %8.2f %7d %8.2f %8.2f %6.2f %6.2f\n' "$shape" "$n" "${walls[0]}" "${cpus[0]}" \
    $((4 * n)) "${walls[1]}" "${cpus[1]}" \
    "$(echo "scale=2; ${walls[1]} / ${walls[0]}" | bc)" "$(echo "scale=2; ${cpus[1]} / ${cpus[0]}" | bc)"
done
