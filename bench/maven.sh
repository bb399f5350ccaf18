#!/usr/bin/env bash
# Times what `mvn package` adds when it also builds an image: with this project's `build` goal
# (umoci-maven-plugin) against Jib's `jib:buildTar` (jib-maven-plugin 3.5.2) and against no image
# at all, on two applications:
#   hello-app  examples/hello-app (one class, one dependency jar; the plugin bound as in its POM)
#   deps-app   bench/maven-app (one class, 30 dependency jars from Maven Central)
# in two states:
#   cold  target/ removed and both base-image caches emptied (ours: $XDG_CACHE_HOME/umoci-java/
#         bases; Jib's: -Djib.baseImageCache), so the base is pulled
#   warm  the second build after one class changed (target/ and the caches kept)
# Both plugins take the same base image (a Debian 11 root filesystem with Java 17, made once by
# scripts/bullseye-root.sh) from a loopback docker-registry (plain HTTP) that this script starts
# and stops. Variants alternate within each run; medians of RUNS runs are printed side by side,
# with the added time (variant minus no image), ours/Jib, and the size of what each writes.
#
#   bench/maven.sh [RUNS]          (default 3)
#
# Needs root (for the base's root filesystem), docker-registry, skopeo, Debian's umoci, Maven and
# Maven Central (for Jib and the application's dependencies, on the first run). The plugin is
# built from this tree and installed into a repository of the benchmark's own (bench/work/m2,
# which reads ~/.m2/repository first), never into ~/.m2.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/registry-lib.sh
runs=${1:-3}
top=$PWD
work=$top/bench/work/maven
mkdir -p "$work"
for tool in docker-registry skopeo umoci mvn curl python3; do
  command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install docker-registry skopeo umoci maven)" >&2; exit 1; }
done
plugin_version=$(sed -n '0,/<version>/s:.*<version>\(.*\)</version>.*:\1:p' pom.xml)
jib=com.google.cloud.tools:jib-maven-plugin:3.5.2

# Maven for the applications: a local repository of our own whose first remote is ~/.m2.
repo=$work/m2
cat >"$work/settings.xml" <<XML
<settings>
  <profiles>
    <profile>
      <id>user-repo</id>
      <activation><activeByDefault>true</activeByDefault></activation>
      <repositories>
        <repository><id>user-m2</id><url>file://$HOME/.m2/repository</url>
          <releases><checksumPolicy>ignore</checksumPolicy></releases>
          <snapshots><enabled>false</enabled></snapshots></repository>
      </repositories>
      <pluginRepositories>
        <pluginRepository><id>user-m2</id><url>file://$HOME/.m2/repository</url>
          <releases><checksumPolicy>ignore</checksumPolicy></releases>
          <snapshots><enabled>false</enabled></snapshots></pluginRepository>
      </pluginRepositories>
    </profile>
  </profiles>
</settings>
XML
mvn_app() { mvn -B -q -nsu -s "$work/settings.xml" -Dmaven.repo.local="$repo" "$@"; }

echo "installing umoci-maven-plugin $plugin_version into $repo ..." >&2
# The install packages umoci-engine/target/umoci.jar again without the class-data archive
# (-Dumoci.cds.skip): bin/umoci ignores an archive older than the jar, so the jar that was there
# is put back afterwards, and bench/run.sh keeps measuring the jar with its archive.
jar=umoci-engine/target/umoci.jar
rm -f "$work/umoci.jar.kept"
[ ! -f "$jar" ] || cp -p "$jar" "$work/umoci.jar.kept"
mvn -B -q -s "$work/settings.xml" -Dmaven.repo.local="$repo" -pl umoci-engine,umoci-maven-plugin -am \
  install -DskipTests -Dinvoker.skip=true -Dumoci.cds.skip=true -Dspotless.check.skip=true >"$work/install.log" 2>&1 || {
  tail -40 "$work/install.log" >&2; [ ! -f "$work/umoci.jar.kept" ] || mv "$work/umoci.jar.kept" "$jar"; exit 1; }
[ ! -f "$work/umoci.jar.kept" ] || mv "$work/umoci.jar.kept" "$jar"

# The base image: an OCI layout made once with Debian's umoci from the root filesystem tarball.
base_layout=$work/base
if ! { [ -f "$base_layout/index.json" ] && umoci ls --layout "$base_layout" | grep -qx jre17; }; then
  echo "making the base image (once) ..." >&2
  tarball=$(scripts/bullseye-root.sh)
  rm -rf "$base_layout.tmp"
  umoci init --layout "$base_layout.tmp"
  umoci new --image "$base_layout.tmp:jre17"
  umoci raw add-layer --image "$base_layout.tmp:jre17" "$tarball"
  umoci config --image "$base_layout.tmp:jre17" \
    --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
  rm -rf "$base_layout" && mv "$base_layout.tmp" "$base_layout"
fi

scratch=$(mktemp -d "$work/run.XXXXXX")
trap 'kill ${registry_pid:-} 2>/dev/null; wait ${registry_pid:-} 2>/dev/null || true; rm -rf "$scratch"' EXIT
start_registry_in "$scratch/registry"
skopeo --insecure-policy copy -q --dest-tls-verify=false "oci:$base_layout:jre17" "docker://$host/bench/base:jre17"
base=$host/bench/base:jre17

# The applications, copied; hello-app also without its umoci <plugin> for the other variants.
apps=$scratch/apps
mkdir -p "$apps"
cp -r examples/hello-app "$apps/hello-app"
cp -r bench/maven-app "$apps/deps-app"
python3 - "$apps/hello-app/pom.xml" "$apps/hello-app/pom-noimage.xml" <<'PY'
import re, sys
s = open(sys.argv[1]).read()
t = re.sub(r"\s*<plugin>\s*<groupId>dev\.umoci</groupId>\s*<artifactId>umoci-maven-plugin</artifactId>.*?</plugin>", "", s, flags=re.S)
assert t != s, "no umoci-maven-plugin block in hello-app's POM"
open(sys.argv[2], "w").write(t)
PY
declare -A main_source=(
  [hello-app]=src/main/java/dev/umoci/examples/hello/Hello.java
  [deps-app]=src/main/java/dev/umoci/bench/app/Main.java)

caches=$scratch/caches
umoci_opts=(-Dumoci.baseImage="docker://$base" -Dumoci.allowInsecureRegistries=true)
jib_opts=(-Djib.from.image="$base" -Djib.allowInsecureRegistries=true -Djib.baseImageCache="$caches/jib"
  -Djib.to.image=bench/app:1.0 -Djib.console=plain -Djib.disableUpdateChecks=true)

# One `mvn package` of app $1 with variant $2 (none|ours|jib) in its directory.
build() {
  local app=$1 variant=$2 dir=$apps/$1
  case $app/$variant in
    hello-app/ours) (cd "$dir" && XDG_CACHE_HOME=$caches/xdg mvn_app package "${umoci_opts[@]}") ;;
    hello-app/none) (cd "$dir" && mvn_app -f pom-noimage.xml package) ;;
    hello-app/jib) (cd "$dir" && mvn_app -f pom-noimage.xml package "$jib:buildTar" "${jib_opts[@]}") ;;
    deps-app/ours) (cd "$dir" && XDG_CACHE_HOME=$caches/xdg mvn_app package \
      "dev.umoci:umoci-maven-plugin:$plugin_version:build" "${umoci_opts[@]}" \
      -Dumoci.mainClass=dev.umoci.bench.app.Main) ;;
    deps-app/none) (cd "$dir" && mvn_app package) ;;
    deps-app/jib) (cd "$dir" && mvn_app package "$jib:buildTar" "${jib_opts[@]}") ;;
  esac >"$scratch/build.log" 2>&1 || { echo "FAILED: $app $variant" >&2; tail -40 "$scratch/build.log" >&2; exit 1; }
}

# Changes one class of app $1 (a new string constant each time).
touch_class() {
  local file=$apps/$1/${main_source[$1]}
  python3 - "$file" <<'PY'
import re, sys, time
p = sys.argv[1]
s = open(p).read()
s = re.sub(r"\n  static final String BENCH_EDIT = \"[^\"]*\";\n", "\n", s)
s = s.replace("{\n", "{\n  static final String BENCH_EDIT = \"%d\";\n" % time.time_ns(), 1)
open(p, "w").write(s)
PY
}

# What variant $2 of app $1 wrote: the image output (bytes), the caches (bytes), and the image
# output's bytes that are not hard links to the cache's files (one du over the cache, then the
# output, counts each shared file once, under the cache).
written() {
  local dir=$apps/$1 outputs cache
  case $2 in
    ours) outputs=("$dir/target/oci" "$dir/target/umoci-build") cache=$caches/xdg ;;
    jib) outputs=("$dir/target/jib-image.tar" "$dir/target/jib-cache") cache=$caches/jib ;;
    none) echo "0 0 0"; return ;;
  esac
  echo "$(du -sb "${outputs[@]}" 2>/dev/null | awk '{s += $1} END {print s}') $(du -sb "$cache" | cut -f1)" \
    "$(du -sb "$cache" "${outputs[@]}" 2>/dev/null | tail -n +2 | awk '{s += $1} END {print s}')"
}

results=$scratch/results.tsv
: >"$results"
# CPU seconds (user + system) of this shell's finished children so far, into the variable $1
# (`times` must run in this shell: a subshell or pipeline would report its own, empty, children).
children_cpu() {
  times >"$scratch/times"
  printf -v "$1" '%s' "$(tail -1 "$scratch/times" | awk '{n = 0; for (i = 1; i <= 2; i++) {split($i, t, /[ms]/); n += t[1] * 60 + t[2]} printf "%.3f", n}')"
}
timed() { # app variant state
  local start end cpu0 cpu1
  children_cpu cpu0
  start=$EPOCHREALTIME
  build "$1" "$2"
  end=$EPOCHREALTIME
  children_cpu cpu1
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$(awk -v s="$start" -v e="$end" 'BEGIN {printf "%.3f", e - s}')" \
    "$(written "$1" "$2" | tr ' ' '\t')" "$(awk -v a="$cpu0" -v b="$cpu1" 'BEGIN {printf "%.3f", b - a}')" >>"$results"
}

echo "first builds (resolve Jib and the dependencies; untimed) ..." >&2
for app in hello-app deps-app; do
  for variant in none ours jib; do build "$app" "$variant"; done
done

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
variants=(none ours jib)
for ((i = 0; i < runs; i++)); do
  for app in hello-app deps-app; do
    for ((k = 0; k < 3; k++)); do
      variant=${variants[(i + k) % 3]}
      rm -rf "$apps/$app/target" "$caches"
      timed "$app" "$variant" cold
      touch_class "$app"
      timed "$app" "$variant" warm
      echo "run $((i + 1))/$runs $app $variant: $(tail -2 "$results" | cut -f4 | tr '\n' ' ')" >&2
    done
  done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

echo
echo "# mvn package with an image: ours (umoci-maven-plugin $plugin_version build) vs Jib ($jib:buildTar)"
echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average before $load_before, after $load_after, runs=$runs"
echo "# $(mvn -v 2>/dev/null | head -1 | sed 's/\x1b\[[0-9;]*m//g'); $(java -version 2>&1 | head -1)"
echo "# base: $base ($(du -sb "$base_layout/blobs" | cut -f1) bytes of blobs); medians; added = variant - no image"
python3 - "$results" <<'PY'
import sys, statistics
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
med = lambda app, var, state, col: statistics.median(float(r[col]) for r in rows if r[:3] == [app, var, state])
print("| app | state | no image s | ours s | Jib s | ours added s | Jib added s | ours/Jib added | ours writes MB (image + cache) | Jib writes MB (tar + cache) | ours image MB not linked to the cache | Jib tar MB not linked to its cache |")
print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
cpu_rows = []
for app in ("hello-app", "deps-app"):
    for state in ("cold", "warm"):
        none, ours, jib = (med(app, v, state, 3) for v in ("none", "ours", "jib"))
        oa, ja = ours - none, jib - none
        mb = lambda v: "%.1f + %.1f" % (med(app, v, state, 4) / 1e6, med(app, v, state, 5) / 1e6)
        own = lambda v: "%.1f" % (med(app, v, state, 6) / 1e6)
        cn, co, cj = (med(app, v, state, 7) for v in ("none", "ours", "jib"))
        cpu_rows.append("| %s | %s | %.2f | %.2f | %.2f | %.2f | %.2f | **%.2f** |" % (
            app, state, cn, co, cj, co - cn, cj - cn, (co - cn) / (cj - cn) if cj > cn else float("nan")))
        print("| %s | %s | %.2f | %.2f | %.2f | %.2f | %.2f | **%.2f** | %s | %s | %s | %s |" % (
            app, state, none, ours, jib, oa, ja, oa / ja if ja > 0 else float("nan"), mb("ours"), mb("jib"),
            own("ours"), own("jib")))
print()
print("CPU seconds (user + system of the mvn process), medians; added = variant - no image")
print()
print("| app | state | no image CPU s | ours CPU s | Jib CPU s | ours added CPU s | Jib added CPU s | ours/Jib added CPU |")
print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
print("\n".join(cpu_rows))
PY
