# Sourced by bin/daair and by the images' entry point (docker/entrypoint.sh): preloads jemalloc for ND4J.
# ND4J's arrays come from malloc. glibc gives large blocks back to the kernel when they are freed, and
# every training step then pays first-touch page faults again (~2.7 s per GiB on VMs like ours);
# jemalloc keeps freed memory for the next step (tiny training step, batch 8, 128x128: 3.45 -> 2.21 s,
# peak RSS 5.1 -> 2.1 GB; docs/performance.md) and gives back pages unused for 10 s: with decay off its
# free extents fragmented without bound (two workers, 100 steps: 2.7 GB and growing, 1.8 GB with the
# decay). Used when libjemalloc2 is installed; DAAIR_MALLOC=system keeps glibc's malloc.
if [[ "${DAAIR_MALLOC:-jemalloc}" == jemalloc ]]; then
  for lib in /usr/lib/x86_64-linux-gnu/libjemalloc.so.2 /usr/lib/aarch64-linux-gnu/libjemalloc.so.2 \
    /usr/lib64/libjemalloc.so.2 /usr/lib/libjemalloc.so.2; do
    if [[ -f "$lib" ]]; then
      export LD_PRELOAD="$lib${LD_PRELOAD:+:$LD_PRELOAD}"
      export MALLOC_CONF="${MALLOC_CONF:-dirty_decay_ms:10000,muzzy_decay_ms:0,background_thread:true}"
      break
    fi
  done
fi
