#!/usr/bin/env bash
# Whisper benchmark (not part of the test suite): ./bench/run-whisper.sh [rounds=3]
# Real-time factor of the local whisper skill through the gateway (tools.invoke, skill-stt sandbox, sox, PocketSphinx)
# against pocketsphinx_continuous run directly on the same pocketsphinx-testdata recordings, in the same run.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
. "$here/.mvn/find-jdk.sh"
claw_find_jdk
(cd "$here" && ./mvnw -q -B -Dmaven.test.skip=true package -pl bench,plugins/whisper -am)
cd "$here"
CLAW_SANDBOX_LIB="$here/host/target/sandbox-lib" exec "$JAVA_HOME/bin/java" \
  -cp "$here/bench/target/bench.jar:$here/bench/target/lib/*" ai.clawbot.bench.WhisperBench "$@"
