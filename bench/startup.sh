#!/usr/bin/env bash
# Start-up of the small commands (stat, ls, tag, config, and insert of a 3-byte file, whose cost
# is all fixed cost) through bin/umoci on Java 17 (with the
# build's archives: umoci-small.jsa for the small commands, umoci.jsa for insert)
# and on Java 25 (with umoci-small.aot, or umoci.aot for insert), and on Java 25 without a cache, on a
# one-image layout. Alternates the JVMs run by run, RUNS runs each after 2 warm-ups, and prints the
# mean and median wall time and the mean CPU time (user + sys) of each, with the load average
# before and after.
#
#   bench/startup.sh [RUNS]        (default 10; needs the jar built: mvn -B -q package -DskipTests)
#
# LAUNCHER=path/to/umoci measures another launcher (a copy of an older build, say) the same way;
# UMOCI_JAVA_OPTS, when set, is passed to every run (to try a JVM flag, say).
# JAVA17 and JAVA25 name the JDK homes (default: Debian's 17 and Temurin 25 in /usr/lib/jvm).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}
launcher=${LAUNCHER:-$PWD/bin/umoci}
java17=${JAVA17:-/usr/lib/jvm/java-17-openjdk-amd64}
java25=${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64}
for jdk in "$java17" "$java25"; do
  [ -x "$jdk/bin/java" ] || { echo "bench/startup.sh: no $jdk/bin/java (set JAVA17/JAVA25)" >&2; exit 1; }
done
command -v python3 >/dev/null || { echo "bench/startup.sh: needs python3" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
layout=$work/layout
"$launcher" init --layout "$layout"
"$launcher" new --image "$layout:base"
"$launcher" config --image "$layout:base" --config.env A=b --config.cmd sh
"$launcher" tag --image "$layout:base" ins
printf 'ab\n' >"$work/three-bytes"

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
python3 - "$runs" "$launcher" "$layout" "$java17" "$java25" "$work/three-bytes" <<'EOF'
import os, resource, statistics, subprocess, sys, time

runs, launcher, layout, java17, java25, three = int(sys.argv[1]), *sys.argv[2:]
commands = {
    "stat": ["stat", "--image", layout + ":base"],
    "ls": ["ls", "--layout", layout],
    "tag": ["tag", "--image", layout + ":base", "bench"],
    "config": ["config", "--image", layout + ":base", "--tag", "bench-config", "--config.env", "B=c"],
    # each run adds one 3-byte layer to the tag "ins" (a copy of "base")
    "insert": ["insert", "--image", layout + ":ins", three, "/three-bytes"],
}
# label -> environment for the launcher
opts = os.environ.get("UMOCI_JAVA_OPTS", "")
jvms = {
    "Java 17 + CDS archive": {"JAVA_HOME": java17, "UMOCI_JAVA_OPTS": opts},
    "Java 25 + AOT cache": {"JAVA_HOME": java25, "UMOCI_JAVA_OPTS": opts},
    # -XX:AOTMode=off makes the JVM ignore the -XX:AOTCache the launcher passes
    "Java 25 without a cache": {"JAVA_HOME": java25, "UMOCI_JAVA_OPTS": (opts + " -XX:AOTMode=off").strip()},
}


def once(env, argv):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([launcher] + argv, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


base = {k: v for k, v in os.environ.items() if k not in ("JAVA_HOME", "UMOCI_JAVA_OPTS")}
print("| command | JVM | mean wall s | median wall s | mean CPU s |")
print("| --- | --- | ---: | ---: | ---: |")
for name, argv in commands.items():
    samples = {label: [] for label in jvms}
    for label, extra in jvms.items():
        for _ in range(2):
            once({**base, **extra}, argv)
    for _ in range(runs):
        for label, extra in jvms.items():
            samples[label].append(once({**base, **extra}, argv))
    for label, values in samples.items():
        walls = [w for w, _ in values]
        cpus = [c for _, c in values]
        print(f"| {name} | {label} | {statistics.mean(walls):.3f} | "
              f"{statistics.median(walls):.3f} | {statistics.mean(cpus):.3f} |")
EOF
[ -z "${UMOCI_JAVA_OPTS:-}" ] || echo "UMOCI_JAVA_OPTS: $UMOCI_JAVA_OPTS"
echo "load average: $load_before before, $(cut -d' ' -f1-3 /proc/loadavg) after; $(date -u '+%Y-%m-%d %H:%M UTC')"
