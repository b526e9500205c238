# Sourced by ./mvnw and ./claw: makes JAVA_HOME point at a JDK 21 or newer.
# Order: JAVA_HOME if it is 21+, then known install folders, then `java` on PATH.
# Prints a clear message and fails when none is found.

claw_java_major() { # $1 = a java executable; prints its major version or nothing
  # The JDK's `release` file says it without starting a JVM (that cost ~0.1-0.2 s of every ./claw start); read
  # with the shell alone, as every program started costs a ./claw start a few ms.
  local release line major
  release="${1%/bin/java}/release"
  if [ -f "$release" ]; then
    while IFS= read -r line || [ -n "$line" ]; do
      case "$line" in
        JAVA_VERSION=\"[0-9]*)
          major="${line#JAVA_VERSION=\"}"
          echo "${major%%[!0-9]*}"
          return ;;
      esac
    done < "$release"
  fi
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -1
}

claw_jdk_21() { # $1 = a JDK folder; true if it has java and javac and is 21 or newer
  local major
  [ -n "$1" ] && [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
  major="$(claw_java_major "$1/bin/java")"
  [ -n "$major" ] && [ "$major" -ge 21 ]
}

claw_find_jdk() {
  local candidate jvms
  if claw_jdk_21 "${JAVA_HOME:-}"; then
    export JAVA_HOME; return 0
  fi
  # mvnw runs with `set -f` (no globbing), so list the install folders with find.
  # CLAW_JDK_SEARCH: where JDKs are installed (default /usr/lib/jvm); tests point it elsewhere.
  local root="${CLAW_JDK_SEARCH:-/usr/lib/jvm}"
  jvms="$(find "$root" -mindepth 1 -maxdepth 1 \( -type d -o -type l \) 2>/dev/null | sort -rV | tr '\n' ' ')"
  for candidate in $jvms; do
    if claw_jdk_21 "$candidate"; then
      export JAVA_HOME="$candidate"; return 0
    fi
  done
  if command -v javac >/dev/null 2>&1; then
    candidate="$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")"
    if claw_jdk_21 "$candidate"; then
      export JAVA_HOME="$candidate"; return 0
    fi
  fi
  echo "Clawbot needs a JDK 21 or newer, and none was found (JAVA_HOME=${JAVA_HOME:-unset}; looked in ${CLAW_JDK_SEARCH:-/usr/lib/jvm} and on PATH)." >&2
  echo "Install one (e.g. 'apt-get install openjdk-21-jdk' or Temurin 21+) or set JAVA_HOME to it." >&2
  return 1
}
