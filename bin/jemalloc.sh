# Sourced by bin/daair and by the images' entry point (docker/entrypoint.sh): preloads jemalloc for ND4J.
# ND4J's arrays come from malloc. glibc gives large blocks back to the kernel when they are freed, and
# every training step then pays first-touch page faults again (~2.7 s per GiB on VMs like ours);
# jemalloc with decay off keeps freed memory for the next step (tiny training step, batch 8, 128x128:
# 3.45 -> 2.21 s, peak RSS 5.1 -> 2.1 GB; docs/performance.md). Its free extents fragmented when every
# step allocated afresh (the 600-step demo sat at 8.5 GB, javacpp's cap then); since steps reuse their
# arrays' memory (exec.ArrayPool) and the heap is touched up front (bin/daair), 300 tiny steps stay
# within 4% (they grew 195%).
# DAAIR_MALLOC_DECAY=10s gives back pages unused for 10 s: less memory (the demo 8.5 -> 3.2 GB), but a
# tiny step at batch 8, 128x128, two threads took 7.45 s against 2.49 s, faulting its pages in again.
# Used when libjemalloc2 is installed;
# DAAIR_MALLOC=system keeps glibc's malloc; a MALLOC_CONF you set is kept.
if [[ "${DAAIR_MALLOC:-jemalloc}" == jemalloc ]]; then
  for lib in /usr/lib/x86_64-linux-gnu/libjemalloc.so.2 /usr/lib/aarch64-linux-gnu/libjemalloc.so.2 \
    /usr/lib64/libjemalloc.so.2 /usr/lib/libjemalloc.so.2; do
    if [[ -f "$lib" ]]; then
      export LD_PRELOAD="$lib${LD_PRELOAD:+:$LD_PRELOAD}"
      if [[ "${DAAIR_MALLOC_DECAY:-off}" == 10s ]]; then
        export MALLOC_CONF="${MALLOC_CONF:-dirty_decay_ms:10000,muzzy_decay_ms:0,background_thread:true}"
      else
        export MALLOC_CONF="${MALLOC_CONF:-dirty_decay_ms:-1,muzzy_decay_ms:-1}"
      fi
      break
    fi
  done
fi
