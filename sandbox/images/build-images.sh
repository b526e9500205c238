#!/usr/bin/env bash
# Builds the sandbox image families locally from Debian packages (no image registry is reachable).
#
#   build-images.sh [FAMILY...|--all]      (no argument: --all)
#
# One recipe per family (recipes/FAMILY.recipe: its Debian packages, and the packages whose executables
# are trimmed), made into an image by rootfs.sh. The tag is the first 16 hex digits of
# sha256(rootfs.sh + recipe), e.g. clawbot/skill-node:0123456789abcdef (also label ai.clawbot.recipe):
# a family whose tag exists is up to date and kept; a changed recipe means a new tag, and the gateway
# refuses to run the stale image. `claw sandbox build` runs this same script from the gateway's jar.
# Prints each resulting tag on stdout; progress goes to stderr.
set -euo pipefail

MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
here="$(cd "$(dirname "$0")" && pwd)"
recipes="$here/recipes"

log() { printf '[images] %s\n' "$*" >&2; }
# shellcheck source=rootfs.sh
. "$here/rootfs.sh"

known() { (cd "$recipes" && ls -- *.recipe | sed 's/\.recipe$//' | paste -sd, - | sed 's/,/, /g'); }
families=()
if [ $# -eq 0 ] || [ "$1" = "--all" ]; then
  for r in "$recipes"/*.recipe; do families+=("$(basename "$r" .recipe)"); done
else
  families=("$@")
fi
for f in "${families[@]}"; do
  [ -f "$recipes/$f.recipe" ] || { log "unknown image family '$f' (known: $(known))"; exit 2; }
done

if ! docker info >/dev/null 2>&1; then
  log "no Docker engine answers; start one first (see .ci/run)"; exit 1
fi

recipe_hash() { cat "$here/rootfs.sh" "$recipes/$1.recipe" | sha256sum | cut -c1-16; }

# debootstrap prints a line per package; show one line per stage, and a heartbeat every 15 s.
progress() {
  local family="$1" start="$2" last="" beat=0 line stage now n=0
  while IFS= read -r line; do
    printf '%s\n' "$line" >>"$work/debootstrap.log"
    case "$line" in
      "I: Retrieving "*|"I: Validating "*) stage="downloading packages" ;;
      "I: Extracting "*) stage="extracting packages" ;;
      "I: Unpacking "*) stage="unpacking packages" ;;
      "I: Configuring "*) stage="configuring packages" ;;
      I:*) stage="${line#I: }" ;;
      *) continue ;;
    esac
    n=$((n + 1)); now="$(date +%s)"
    if [ "$stage" != "$last" ]; then
      log "$family $((now - start))s: $stage"; last="$stage"; beat="$now"
    elif [ $((now - beat)) -ge 15 ]; then
      log "$family $((now - start))s: still $stage (${line#I: })"; beat="$now"
    fi
  done
}

build() {
  local family="$1" hash image start cache=()
  hash="$(recipe_hash "$family")"
  image="clawbot/$family:$hash"
  if docker image inspect "$image" >/dev/null 2>&1; then
    log "$image is up to date"; printf '%s\n' "$image"; return 0
  fi
  PACKAGES="" TRIM_PACKAGES="" KEEP_SETUID=0
  # shellcheck disable=SC1090
  . "$recipes/$family.recipe"
  if ! command -v debootstrap >/dev/null 2>&1; then
    log "installing debootstrap"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
  fi
  work="$(mktemp -d /tmp/claw-rootfs.XXXXXX)"
  trap 'rm -rf "$work"' EXIT
  if [ -n "${CLAW_DEBOOTSTRAP_CACHE:-}" ]; then mkdir -p "$CLAW_DEBOOTSTRAP_CACHE"; cache=(--cache-dir="$CLAW_DEBOOTSTRAP_CACHE"); fi
  start="$(date +%s)"
  log "building $image: debootstrap $SUITE minbase + $PACKAGES (about 2 minutes)"
  if ! make_rootfs "$work/rootfs" "${cache[@]}" 2>&1 | progress "$family" "$start"; then
    tail -30 "$work/debootstrap.log" >&2; log "debootstrap failed"; exit 1
  fi
  trim_rootfs "$work/rootfs"
  log "$family $(( $(date +%s) - start ))s: importing as $image"
  import_rootfs "$work/rootfs" "$family" "$hash" "$image"
  rm -rf "$work"; trap - EXIT
  log "built $image in $(( $(date +%s) - start ))s ($(docker image inspect -f '{{.Size}}' "$image" | awk '{printf "%.0f MB", $1/1e6}'))"
  printf '%s\n' "$image"
}

for f in "${families[@]}"; do
  build "$f"
done
