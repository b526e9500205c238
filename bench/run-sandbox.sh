#!/usr/bin/env bash
# Sandbox call benchmark (not part of the test suite): ./bench/run-sandbox.sh [warmCalls] [coldCalls]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
. "$here/.mvn/find-jdk.sh"
claw_find_jdk
(cd "$here" && ./mvnw -q -B -Dmaven.test.skip=true package -pl bench -am)
CLAW_SANDBOX_LIB="$here/host/target/sandbox-lib" exec "$JAVA_HOME/bin/java" \
  -cp "$here/bench/target/bench.jar:$here/bench/target/lib/*" ai.clawbot.bench.SandboxCallBench "$@"
