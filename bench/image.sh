#!/usr/bin/env bash
# The picture benchmark (issue 3): a GAN training step by Atelier and by the PyTorch reference of the same
# models (bench/reference/gan_reference.py), taking turns, on twemoji-72 at 64x64. Writes its section of
# docs/benchmarks.md. Options: --data DIR --models dcgan,atelier --rounds R --steps K --warmup W
# --skip-reference --out FILE
set -euo pipefail
cd "$(dirname "$0")/.."
if ! /usr/bin/python3 -c 'import torch, numpy' 2>/dev/null; then
  echo "the reference needs Debian's PyTorch and NumPy: apt-get install -y python3-torch python3-numpy libopenblas0-openmp" >&2
  exit 1
fi
# a core jar copied from the local repository (by a build of bench without -am) would shadow this tree's
rm -f bench/target/lib/atelier-core-*.jar
mvn -B -q -o -DskipTests -pl bench -am package
# as the launcher does (see ./atelier)
export OPT_OUT_TRACKING=true MALLOC_MMAP_THRESHOLD_=1073741824 MALLOC_TRIM_THRESHOLD_=4294967296 MALLOC_TOP_PAD_=67108864
exec java -cp "bench/target/atelier-bench.jar:bench/target/lib/*" art.atelier.bench.ImageBenchmark "$@"
