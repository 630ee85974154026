#!/usr/bin/env bash
# Trains the copywriter model and writes models/copywriter/1 (tokenizer.json, heldout-briefs.ndjson,
# model.pt, model.onnx, config.json). MODEL_CARD.md is written by hand from the figures.
#
#   ./mvnw -q -o install -DskipTests && ./mvnw -q -o -pl training exec:exec@train-copywriter
#   training/tools/copywriter/train.sh <java classpath> <models dir> <dump dir>
#
# Step 1, Java (DJL): CopywriterTrainer generates the corpus, learns the byte-level BPE, trains the
# network (17 minutes measured on 2 shared cores; a cap stops it near 30) and dumps its weights to <dump dir>.
# Step 2, Python: export_copywriter.py rebuilds the network with a static cache in PyTorch, checks it
# against DJL's logits and saves TorchScript and ONNX. Needs PyTorch for /usr/bin/python3 (or
# $GENFLEET_TORCH_PYTHON): apt-get install -y --no-install-recommends python3-torch python3-numpy
set -euo pipefail
if [ $# -ne 3 ]; then
  echo "usage: $0 <java classpath> <models dir> <dump dir>" >&2
  exit 2
fi
classpath="$1"
models="$2"
dump="$3"
python="${GENFLEET_TORCH_PYTHON:-/usr/bin/python3}"
here="$(cd "$(dirname "$0")" && pwd)"

if ! "$python" -c 'import torch, numpy' 2>/dev/null; then
  echo "train-copywriter: $python cannot import torch and numpy." >&2
  echo "Install them: apt-get install -y --no-install-recommends python3-torch python3-numpy" >&2
  exit 1
fi
rm -rf "$dump"
mkdir -p "$dump"
java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 \
  -cp "$classpath" dev.genfleet.training.copywriter.CopywriterTrainer "$models" "$dump"
"$python" "$here/export_copywriter.py" --dump "$dump" --models "$models"
