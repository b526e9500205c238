#!/usr/bin/env bash
# Builds the sandbox images locally from Debian packages (no image registry is reachable).
# Idempotent: an image whose recipe hash label matches this script is kept.
#
#   clawbot/skill-jre:17   Debian bookworm minbase + headless JRE 17: runs a skill's tool server
#                          from its (read-only mounted) plugin jar.
set -euo pipefail

IMAGE="${CLAW_SKILL_IMAGE:-clawbot/skill-jre:17}"
SUITE=bookworm
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
PACKAGES=openjdk-17-jre-headless,ca-certificates-java
here="$(cd "$(dirname "$0")" && pwd)"
recipe_hash="$(cat "$0" | sha256sum | cut -c1-16)"

log() { printf '[images] %s\n' "$*" >&2; }

if ! docker info >/dev/null 2>&1; then
  log "no Docker engine answers; start one first (see .ci/run)"; exit 1
fi

current="$(docker image inspect -f '{{ index .Config.Labels "ai.clawbot.recipe" }}' "$IMAGE" 2>/dev/null || true)"
if [ "$current" = "$recipe_hash" ]; then
  log "$IMAGE is up to date (recipe $recipe_hash)"; exit 0
fi

if ! command -v debootstrap >/dev/null 2>&1; then
  log "installing debootstrap"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
fi

work="$(mktemp -d /tmp/claw-rootfs.XXXXXX)"
trap 'rm -rf "$work"' EXIT
log "debootstrap $SUITE minbase + $PACKAGES into $work (about 2 minutes)"
debootstrap --variant=minbase --include="$PACKAGES" "$SUITE" "$work/rootfs" "$MIRROR" >"$work/debootstrap.log" 2>&1 || {
  tail -30 "$work/debootstrap.log" >&2; log "debootstrap failed"; exit 1; }

# Trim what a skill never needs: package caches, docs, locales.
rm -rf "$work/rootfs/var/cache/apt/archives/"*.deb "$work/rootfs/var/lib/apt/lists/"* \
       "$work/rootfs/usr/share/doc" "$work/rootfs/usr/share/man" "$work/rootfs/usr/share/locale"
# Mount points the host binds into (read-only) and the vault/workspace mount point.
mkdir -p "$work/rootfs/opt/claw/lib" "$work/rootfs/opt/claw/plugin" "$work/rootfs/workspace"

log "importing as $IMAGE"
tar -C "$work/rootfs" -c . | docker import \
  -c 'ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64' \
  -c 'ENV PATH=/usr/lib/jvm/java-17-openjdk-amd64/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  -c 'USER 65534:65534' \
  -c 'WORKDIR /workspace' \
  -c "LABEL ai.clawbot.recipe=$recipe_hash" \
  -c 'LABEL ai.clawbot.image=skill-jre' \
  - "$IMAGE" >/dev/null
log "built $IMAGE ($(docker image inspect -f '{{.Size}}' "$IMAGE" | awk '{printf "%.0f MB", $1/1e6}'))"
