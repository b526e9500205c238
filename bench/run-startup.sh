#!/usr/bin/env bash
# Start-up benchmark (not part of the test suite): ./bench/run-startup.sh [starts=5]
# Cold (fresh state, no class-data archive) and warm (same state, the archive the first run wrote, as ./claw does)
# starts of the packaged gateway to /healthz and /readyz, the first handshake after /readyz and warm handshakes,
# each beside a bare Helidon SE 4 server (BareServer) measured in the same run, interleaved. About a minute.
# beforeJar=PATH also starts another build of the gateway in the same rounds (before/after on one machine).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
. "$here/.mvn/find-jdk.sh"
claw_find_jdk
(cd "$here" && ./mvnw -q -B -Dmaven.test.skip=true package -pl bench -am)
exec "$JAVA_HOME/bin/java" -cp "$here/bench/target/bench.jar:$here/bench/target/lib/*" \
  ai.clawbot.bench.StartupBench hostJar="$here/host/target/claw-host.jar" "$@"
