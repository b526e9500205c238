#!/usr/bin/env bash
# Multi-host benchmark (run on demand, not in the suite): event fan-out latency A→B (p50/p99) and chat.send
# throughput with one and with two gateways on one PostgreSQL, against the file store on one gateway, same run.
# Needs Debian's postgresql (server binaries under /usr/lib/postgresql) and a built host (./mvnw -pl host -am package).
set -euo pipefail
cd "$(dirname "$0")/.."
exec ./mvnw -q -o -pl host -am verify -DskipITs -Dsurefire.failIfNoSpecifiedTests=false \
  -Dtest='MultiHostBench' -Dclaw.bench=1 -Dclaw.pg.fsync=on -DtrimStackTrace=false "$@"
