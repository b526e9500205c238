#!/usr/bin/env bash
# Himalaya skill benchmark (not part of the test suite): ./bench/run-himalaya.sh [iterations=20] [warmup=5]
# GreenMail in this JVM holding 1,000 messages; `list` of 1,000 envelopes and `read` of one message through the
# gateway (tools.invoke, sandbox, egress proxy) beside the same operations with Angus Mail called directly.
# Needs Docker and the skill-jre image family.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
. "$here/.mvn/find-jdk.sh"
claw_find_jdk
(cd "$here" && ./mvnw -q -B -Dmaven.test.skip=true package -pl bench,plugins/himalaya -am)
CLAW_SANDBOX_LIB="$here/host/target/sandbox-lib" exec "$JAVA_HOME/bin/java" \
  -cp "$here/bench/target/bench.jar:$here/bench/target/lib/*" ai.clawbot.bench.HimalayaBench \
  "$here/plugins/himalaya/target" "$@"
