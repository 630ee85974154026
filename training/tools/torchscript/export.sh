#!/usr/bin/env bash
# Exports the shipped DJL models as TorchScript: models/copy-gpt/1 -> models/copy-gpt-torchscript/1,
# models/banner-gan/1 -> models/banner-gan-torchscript/1 (the .pt files, config.json, vocab.json), then
# the static-kv models models/copy-gpt-kv/1 and models/tiny-llama-kv/1 (TorchScript and ONNX).
#
#   ./mvnw -q -pl training -am compile exec:exec@export-torchscript      (runs this script)
#   training/tools/torchscript/export.sh <java classpath> <models dir> <dump dir>
#
# Step 1, Java (DJL): ExportWeights dumps every parameter and reference outputs to <dump dir>.
# Step 2, Python: export.py rebuilds the networks in PyTorch, checks them against the references and
# saves them with torch.jit.script. Needs PyTorch for /usr/bin/python3 (or $GENFLEET_TORCH_PYTHON):
#   apt-get install -y --no-install-recommends python3-torch python3-numpy
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
  echo "export-torchscript: $python cannot import torch and numpy." >&2
  echo "Install them: apt-get install -y --no-install-recommends python3-torch python3-numpy" >&2
  echo "(or point GENFLEET_TORCH_PYTHON at a python with torch >= 1.13)" >&2
  exit 1
fi

# keep a trained tiny-llama checkpoint across runs
if [ -f "$dump/tiny-llama-checkpoint.pt" ]; then
  mv "$dump/tiny-llama-checkpoint.pt" "$dump.tiny-llama-checkpoint.pt"
fi
rm -rf "$dump"
java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 \
  -cp "$classpath" dev.genfleet.training.export.ExportWeights "$models" "$dump"
if [ -f "$dump.tiny-llama-checkpoint.pt" ]; then
  mv "$dump.tiny-llama-checkpoint.pt" "$dump/tiny-llama-checkpoint.pt"
fi
"$python" "$here/export.py" --dump "$dump" --models "$models"
# static key/value-cache exports (copy-gpt-kv, tiny-llama-kv: trains it, ~10 min on 2 busy cores; the
# trained weights stay in the dump as tiny-llama-checkpoint.pt, so a second run only exports)
"$python" "$here/export_lm.py" --dump "$dump" --models "$models"
