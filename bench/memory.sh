#!/usr/bin/env bash
# Memory over a long training run (issue 2): resident memory, direct buffers and the Java heap every 250
# steps of a 3000-step baby run. Writes its section of docs/benchmarks.md. Options: --data FILE --steps N
set -euo pipefail
cd "$(dirname "$0")/.."
rm -f bench/target/lib/atelier-core-*.jar  # a stale copy would shadow this tree's (see image.sh)
mvn -B -q -DskipTests -pl bench -am package
# as the launcher does (see ./atelier), plus a pre-touched heap so that resident memory is meaningful
export OPT_OUT_TRACKING=true MALLOC_MMAP_THRESHOLD_=1073741824 MALLOC_TRIM_THRESHOLD_=4294967296 MALLOC_TOP_PAD_=67108864
exec java -XX:+AlwaysPreTouch -cp "bench/target/atelier-bench.jar:bench/target/lib/*" art.atelier.bench.MemoryBenchmark "$@"
