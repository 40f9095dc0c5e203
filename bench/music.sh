#!/usr/bin/env bash
# The music benchmark (issue 4): step time beside the PyTorch reference, likelihood of unseen chorales,
# composing speed and musical statistics, on the JSB chorales. Writes its section of docs/benchmarks.md and
# a few pieces (MIDI, WAV) in docs/benchmarks/. Options: --data DIR --preset baby --minutes 20
# --step-iters 60 --rounds 2 --pieces 8 --seconds 30 --skip-reference
set -euo pipefail
cd "$(dirname "$0")/.."
if ! /usr/bin/python3 -c 'import torch, numpy' 2>/dev/null; then
  echo "the reference needs Debian's PyTorch: apt-get install -y python3-torch libopenblas0-openmp" >&2
  exit 1
fi
rm -f bench/target/lib/atelier-core-*.jar  # a stale copy would shadow this tree's (see image.sh)
mvn -B -q -DskipTests -pl bench -am package
# as the launcher does (see ./atelier); the audio renderer needs the JDK's synthesizer exported
export OPT_OUT_TRACKING=true MALLOC_MMAP_THRESHOLD_=1073741824 MALLOC_TRIM_THRESHOLD_=4294967296 MALLOC_TOP_PAD_=67108864
exec java --add-exports java.desktop/com.sun.media.sound=ALL-UNNAMED -cp "bench/target/atelier-bench.jar:bench/target/lib/*" \
  art.atelier.bench.MusicBenchmark "$@"
