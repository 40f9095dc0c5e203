#!/usr/bin/env bash
# The text benchmark (issue 2): Atelier and the PyTorch reference, one after the other, on Tiny Shakespeare.
# Writes its section of docs/benchmarks.md. Options: --data FILE --iters N --skip-reference --sample-tokens N
set -euo pipefail
cd "$(dirname "$0")/.."
if ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  echo "the reference needs Debian's PyTorch: apt-get install -y python3-torch libopenblas0-openmp" >&2
  exit 1
fi
rm -f bench/target/lib/atelier-core-*.jar  # a stale copy would shadow this tree's (see image.sh)
mvn -B -q -DskipTests -pl bench -am package
# as the launcher does (see ./atelier)
export OPT_OUT_TRACKING=true MALLOC_MMAP_THRESHOLD_=1073741824 MALLOC_TRIM_THRESHOLD_=4294967296 MALLOC_TOP_PAD_=67108864
exec java -cp "bench/target/atelier-bench.jar:bench/target/lib/*" art.atelier.bench.TextBenchmark "$@"
