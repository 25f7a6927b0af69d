#!/usr/bin/env bash
# Entry point of the daair images. Makes sure ND4J's native library cache is writable, then hands
# over to Spark's own entry point, so the image serves as Spark-on-Kubernetes driver and executor
# ("driver ..." / "executor" arguments) and runs any other command as given.
set -euo pipefail

cache="${DAAIR_JAVACPP_CACHE:-/opt/daair/javacpp-cache}"
if ! mkdir -p "$cache" 2>/dev/null || [[ ! -w "$cache" ]]; then
  fallback="${TMPDIR:-/tmp}/daair-javacpp-cache"
  echo "daair: $cache is not writable by uid $(id -u); ND4J's native libraries unpack to $fallback" \
    "instead (mount an emptyDir at $cache, see k8s/README.md)" >&2
  cache="$fallback"
  mkdir -p "$cache"
fi
# Every JVM of this container (spark-submit's driver, the executor) unpacks its natives there; an
# explicit -Dorg.bytedeco.javacpp.cachedir in spark.*.extraJavaOptions still wins.
export JAVA_TOOL_OPTIONS="-Dorg.bytedeco.javacpp.cachedir=$cache${JAVA_TOOL_OPTIONS:+ $JAVA_TOOL_OPTIONS}"

# jemalloc as bin/daair preloads it, for every JVM of this container (DAAIR_MALLOC=system opts out)
if [[ -f "${DAAIR_HOME:-/opt/daair}/jemalloc.sh" ]]; then
  # shellcheck source=bin/jemalloc.sh
  source "${DAAIR_HOME:-/opt/daair}/jemalloc.sh"
fi

# Spark's entry point (SPARK_ENTRYPOINT only for tests of this script)
exec "${SPARK_ENTRYPOINT:-/opt/entrypoint.sh}" "$@"
