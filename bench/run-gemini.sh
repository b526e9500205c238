#!/usr/bin/env bash
# Gemini adapter benchmark (not part of the test suite): ./bench/run-gemini.sh [turns=200] [warmup=50]
# A gateway in this JVM and a local server speaking Gemini's SSE wire format; an agent text turn on the
# Gemini adapter beside the same call made directly with langchain4j (model server time taken off both).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
. "$here/.mvn/find-jdk.sh"
claw_find_jdk
(cd "$here" && ./mvnw -q -B -Dmaven.test.skip=true package -pl bench -am)
CLAW_SANDBOX_LIB="$here/host/target/sandbox-lib" exec "$JAVA_HOME/bin/java" \
  -cp "$here/bench/target/bench.jar:$here/bench/target/lib/*" ai.clawbot.bench.GeminiTurnBench "$@"
