#!/usr/bin/env bash
# Runs the benchmarks (not part of the test suite): ./bench/run.sh [JMH options, e.g. PluginLoad -wi 3 -i 5]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
. "$here/.mvn/find-jdk.sh"
claw_find_jdk
(cd "$here" && ./mvnw -q -B -Dmaven.test.skip=true package -pl bench -am)
exec "$JAVA_HOME/bin/java" -cp "$here/bench/target/bench.jar:$here/bench/target/lib/*" org.openjdk.jmh.Main "$@"
