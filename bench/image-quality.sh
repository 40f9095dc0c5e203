#!/usr/bin/env bash
# The picture-quality benchmark (issue 3): atelier and dcgan at equal training time on Twemoji 72,
# measured with `atelier score`. Writes its section of docs/benchmarks.md and the sample grids and
# animations in docs/benchmarks/. Options: --budgets 15,30,60 --models atelier,dcgan --count N --data DIR
set -euo pipefail
cd "$(dirname "$0")/.."
rm -f bench/target/lib/atelier-core-*.jar  # a stale copy would shadow this tree's (see image.sh)
mvn -B -q -DskipTests -pl bench -am package
# as the launcher does (see ./atelier)
export OPT_OUT_TRACKING=true MALLOC_MMAP_THRESHOLD_=1073741824 MALLOC_TRIM_THRESHOLD_=4294967296 MALLOC_TOP_PAD_=67108864
exec java -cp "bench/target/atelier-bench.jar:bench/target/lib/*" art.atelier.bench.ImageQualityBenchmark "$@"
