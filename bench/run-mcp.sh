#!/usr/bin/env bash
# MCP benchmark (not part of the test suite): ./bench/run-mcp.sh [calls=200]
# A gateway in this JVM: a warm mcporter.call echo (server-everything over stdio in the mcporter sandbox) against the
# MCP Java SDK calling server-everything directly; /mcp tools/call against tools.invoke for the same tool.
# Needs Docker with the skill-jre and skill-node images, npm and node.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
. "$here/.mvn/find-jdk.sh"
claw_find_jdk
(cd "$here" && ./mvnw -q -B -Dmaven.test.skip=true package -pl bench,plugins/mcporter -am)
jar="$(ls "$here"/plugins/mcporter/target/mcporter-*.jar | head -1)"
CLAW_SANDBOX_LIB="$here/host/target/sandbox-lib" exec "$JAVA_HOME/bin/java" -Dmcporter.jar="$jar" \
  -cp "$here/bench/target/bench.jar:$here/bench/target/lib/*" ai.clawbot.bench.McpBench "$@"
