#!/usr/bin/env bash
# Agent-turn overhead benchmark (not part of the test suite): ./bench/run-agent.sh [turns=50] [warmup=10] [modelMs=0]
# A gateway in this JVM, a local OpenAI-compatible model server that answers at once, Docker and the sandbox image.
# Prints turn time minus model time (plain client, and a client that acks every frame at once) beside the same
# model calls made directly with langchain4j plus a direct tools.invoke.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
. "$here/.mvn/find-jdk.sh"
claw_find_jdk
(cd "$here" && ./mvnw -q -B -Dmaven.test.skip=true package -pl bench -am)
CLAW_SANDBOX_LIB="$here/host/target/sandbox-lib" exec "$JAVA_HOME/bin/java" \
  -cp "$here/bench/target/bench.jar:$here/bench/target/lib/*" ai.clawbot.bench.AgentTurnBench "$@"
