# Sourced by ./mvnw and ./claw: makes JAVA_HOME point at a JDK 21 or newer.
# Order: JAVA_HOME if it is 21+, then known install folders, then `java` on PATH.
# Prints a clear message and fails when none is found.

claw_java_major() { # $1 = a java executable; prints its major version or nothing
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -1
}

claw_find_jdk() {
  local candidate major jvms
  # mvnw runs with `set -f`; expand the install folders explicitly.
  jvms="$(ls -d /usr/lib/jvm/*/ 2>/dev/null | sed 's#/$##' | tr '\n' ' ')"
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64 \
                   /usr/lib/jvm/java-25-openjdk-amd64 /usr/lib/jvm/java-21-openjdk-amd64 $jvms; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major="$(claw_java_major "$candidate/bin/java")"
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      export JAVA_HOME="$candidate"; return 0
    fi
  done
  if command -v javac >/dev/null 2>&1; then
    candidate="$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")"
    major="$(claw_java_major "$candidate/bin/java")"
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      export JAVA_HOME="$candidate"; return 0
    fi
  fi
  echo "Clawbot needs a JDK 21 or newer, and none was found (JAVA_HOME=${JAVA_HOME:-unset}; looked in /usr/lib/jvm and on PATH)." >&2
  echo "Install one (e.g. 'apt-get install openjdk-21-jdk' or Temurin 21+) or set JAVA_HOME to it." >&2
  return 1
}
