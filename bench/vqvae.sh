#!/usr/bin/env bash
# The VQ-VAE benchmark (issue 5), on twemoji-72 at 64x64: the autoencoder and prior training steps by Atelier
# and by the PyTorch reference of the same model (bench/reference/vqvae_reference.py), taking turns; then the
# standard VQ-VAE trained for a time budget (autoencoder half, prior half) and measured (held-out
# reconstruction, codebook use, the prior's bits/dim, KID / precision / recall / nearest of its samples against
# the held-out pictures) beside the atelier GAN trained as long. Writes its section of docs/benchmarks.md and
# sample and reconstruction grids in docs/benchmarks/.
# Options: --data DIR --rounds R --steps K --warmup W --minutes M --count N --prior-steps P --feature-steps S
# --skip-reference --skip-gan --skip-speed --skip-quality --seed N --workspace DIR --out FILE
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ " $* " != *" --skip-reference "* && " $* " != *" --skip-speed "* ]] \
    && ! /usr/bin/python3 -c 'import torch, numpy' 2>/dev/null; then
  echo "the reference needs Debian's PyTorch and NumPy: apt-get install -y python3-torch python3-numpy libopenblas0-openmp" >&2
  exit 1
fi
rm -f bench/target/lib/atelier-core-*.jar  # a stale copy would shadow this tree's (see image.sh)
mvn -B -q -o -DskipTests -pl bench -am package
# as the launcher does (see ./atelier)
export OPT_OUT_TRACKING=true MALLOC_MMAP_THRESHOLD_=1073741824 MALLOC_TRIM_THRESHOLD_=4294967296 MALLOC_TOP_PAD_=67108864
exec java -cp "bench/target/atelier-bench.jar:bench/target/lib/*" art.atelier.bench.VqVaeBenchmark "$@"
