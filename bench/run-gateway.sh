#!/usr/bin/env bash
# Gateway benchmark (not part of the test suite): ./bench/run-gateway.sh [name=value ...]
#   e.g. clients=1000 window=8 warmup=3 seconds=10 starts=5 idle=5 handshakes=500 pings=20000 childJvm="-Xmx256m"
# Starts the packaged gateway (host/target/claw-host.jar) and a bare Helidon baseline as child JVMs; prints each
# figure beside its baseline, the ratio, the issue's target and PASS/MISS. About 1.5 minutes with the defaults.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
. "$here/.mvn/find-jdk.sh"
claw_find_jdk
# 1,000 clients plus the server's side of them: raise the open-files limit as far as allowed (children inherit it).
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
(cd "$here" && ./mvnw -q -B -Dmaven.test.skip=true package -pl bench -am)
exec "$JAVA_HOME/bin/java" -cp "$here/bench/target/bench.jar:$here/bench/target/lib/*" \
  ai.clawbot.bench.GatewayBench hostJar="$here/host/target/claw-host.jar" "$@"
