# How an image family is made from its recipe (sourced by build-images.sh). The image tag is the first
# 16 hex digits of sha256(this file + the family's recipe): change either and the family gets a new tag.
# Needs: $SUITE, $MIRROR, the recipe's PACKAGES and TRIM_PACKAGES, and log().

SUITE=bookworm

# debootstrap minbase + the recipe's packages into $1; extra debootstrap arguments after it.
make_rootfs() {
  local root="$1"; shift
  debootstrap --variant=minbase "$@" --include="${PACKAGES// /,}" "$SUITE" "$root" "$MIRROR"
}

# Removes the executables (not the libraries) of the recipe's TRIM_PACKAGES, every setuid/setgid bit
# (unless the recipe sets KEEP_SETUID=1), and what no sandbox reads (docs, man pages, locales, apt lists
# and caches, logs).
trim_rootfs() {
  local root="$1" pkg path list removed=()
  for pkg in $TRIM_PACKAGES; do
    list="$root/var/lib/dpkg/info/$pkg.list"
    [ -f "$list" ] || list="$root/var/lib/dpkg/info/$pkg:amd64.list"
    [ -f "$list" ] || continue
    while IFS= read -r path; do
      case "$path" in
        /bin/*|/sbin/*|/usr/bin/*|/usr/sbin/*|/usr/libexec/*)
          if [ -f "$root$path" ] || [ -L "$root$path" ]; then rm -f "$root$path"; fi ;;
      esac
    done <"$list"
    removed+=("$pkg")
  done
  if [ "${KEEP_SETUID:-0}" != 1 ]; then
    find "$root" -xdev -type f -perm /6000 -exec chmod ug-s {} +
  fi
  rm -rf "$root/var/cache/apt" "$root/var/lib/apt/lists" "$root/var/cache/debconf" "$root/var/log/"* \
         "$root/usr/share/doc" "$root/usr/share/man" "$root/usr/share/info" "$root/usr/share/locale" \
         "$root/usr/share/lintian"
  case " $TRIM_PACKAGES " in
    *" perl-base "*) rm -rf "$root/usr/share/perl5" "$root/usr/lib/x86_64-linux-gnu/perl-base" ;;
  esac
  # Mount points the host binds into (read-only) and the workspace mount point.
  mkdir -p "$root/opt/claw/lib" "$root/opt/claw/plugin" "$root/workspace"
  log "trimmed the executables of: ${removed[*]:-nothing}; setuid/setgid bits $([ "${KEEP_SETUID:-0}" = 1 ] && echo kept || echo cleared); removed docs, man pages, locales, apt lists"
}

# docker import of $1 as family $2 with recipe hash $3, tagged $4.
import_rootfs() {
  tar -C "$1" -c . | docker import \
    -c 'ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64' \
    -c 'ENV PATH=/usr/lib/jvm/java-17-openjdk-amd64/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    -c 'USER 65534:65534' \
    -c 'WORKDIR /workspace' \
    -c "LABEL ai.clawbot.recipe=$3" \
    -c "LABEL ai.clawbot.image=$2" \
    - "$4" >/dev/null
}
