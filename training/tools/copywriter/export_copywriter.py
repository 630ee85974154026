#!/usr/bin/python3
"""Exports the copywriter model (trained by CopywriterTrainer with DJL) into the static-kv contract.

Reads the dump CopywriterTrainer wrote (manifest.json, one little-endian float32 file per tensor, DJL's
logits for one example, training.json) and writes into <models>/copywriter/1/: model.pt (TorchScript)
and config.json; the ONNX export (opset 17) stays in the dump (not shipped: ~6 MB). tokenizer.json and heldout-briefs.ndjson are already there
(the trainer writes them).

The network is copy-gpt's static-cache rebuild (export_lm.GptKvBlock: pre-LayerNorm, learned absolute
positions, exact GELU, tied head) over the copywriter's byte-level BPE vocabulary. Checks before saving:
the full pass equals DJL's logits, cached decoding equals a full pass, the reloaded TorchScript equals
eager PyTorch.

Usage (Debian's python3-torch; train.sh runs it):
  /usr/bin/python3 training/tools/copywriter/export_copywriter.py --dump training/target/copywriter-dump --models models
"""

import argparse
import json
import os
import sys
from typing import List, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "torchscript"))
import export as ts_export  # noqa: E402
import export_lm  # noqa: E402

MAX_DJL_LOGIT_DIFF = 1e-4


class CopywriterKv(nn.Module):
    """TinyGpt (DJL) with a static key/value cache: token + learned position embeddings, pre-LN blocks,
    final LayerNorm, output head tied to the token embedding."""

    def __init__(self, vocab: int, d_model: int, heads: int, layers: int, context: int, mlp_hidden: int):
        super().__init__()
        self.context = context
        self.tok_emb = nn.Parameter(torch.zeros(vocab, d_model))
        self.pos_emb = nn.Parameter(torch.zeros(context, d_model))
        self.layers = nn.ModuleList([export_lm.GptKvBlock(d_model, heads, mlp_hidden) for _ in range(layers)])
        self.ln_f = nn.LayerNorm(d_model, eps=export_lm.EPS)

    def forward(self, input_ids: torch.Tensor, position_ids: torch.Tensor, attention_mask: torch.Tensor,
                cache: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        x = F.embedding(input_ids, self.tok_emb) + F.embedding(position_ids.clamp(min=0), self.pos_emb)
        write, written = export_lm.write_matrix(position_ids, self.context)
        bias = export_lm.attention_bias(position_ids, attention_mask, self.context)
        caches: List[torch.Tensor] = []
        i = 0
        for layer in self.layers:
            x, c = layer(x, cache[:, i], write, written, bias)
            caches.append(c)
            i += 1
        return F.linear(self.ln_f(x), self.tok_emb), torch.stack(caches, dim=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dump", required=True, help="directory written by CopywriterTrainer")
    parser.add_argument("--models", required=True, help="models directory (writes copywriter/1/)")
    args = parser.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(0)
    with open(os.path.join(args.dump, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    with open(os.path.join(args.dump, "training.json"), encoding="utf-8") as f:
        training = json.load(f)
    a = manifest["architecture"]
    model = CopywriterKv(a["vocab_size"], a["d_model"], a["heads"], a["layers"], a["context"], a["mlp_hidden"])
    ts_export.load_weights(model, args.dump, manifest["tensors"], [])
    model.eval()
    cfg = {"vocab_size": a["vocab_size"], "layers": a["layers"], "heads": a["heads"], "kv_heads": a["heads"],
           "head_size": a["d_model"] // a["heads"], "context": a["context"]}

    out = os.path.join(args.models, "copywriter", "1")
    with open(os.path.join(out, "tokenizer.json"), encoding="utf-8") as f:
        tokenizer = json.load(f)
    ids = {t["content"]: t["id"] for t in tokenizer["added_tokens"]}
    print("copywriter -> %s" % out)
    with torch.no_grad():
        ref = manifest["reference"]
        tokens = [int(t) for t in ref["tokens"]]
        djl = ts_export.read_tensor(args.dump, ref["logits"])[0]
        d_djl = ts_export.max_diff(export_lm.full_logits(model, cfg, tokens), djl)
        ts_export.check("full pass vs DJL's TinyGpt", d_djl, MAX_DJL_LOGIT_DIFF)
        d_cache = export_lm.check_cache("copywriter", model, cfg, tokens)
        diffs = export_lm.save_both(model, cfg, out)
    config = dict(
        {"family": "static-kv", "modality": "TEXT", "id": "copywriter", "version": "1",
         "format": "torchscript", "torchscript": "model.pt", "tokenizer": "tokenizer.json",
         "bos_token": "<|end|>", "eos_token": "<|end|>", "prompt_format": "brief-v1"},
        **export_lm.contract_config(cfg))
    config["parameters"] = sum(p.numel() for p in model.parameters())
    config["special_tokens"] = {"brief": "<|brief|>", "copy": "<|copy|>", "end": "<|end|>"}
    config["merge_fields"] = ["{{name}}", "{{product}}", "{{audience}}", "{{benefit}}", "{{offer}}"]
    config["token_ids"] = {k: ids[k] for k in sorted(ids, key=ids.get)}
    config["architecture"] = dict(a, tokenizer="byte-level BPE learned here (ByteLevelBpe), %d merges, %d added tokens"
                                  % (len(tokenizer["model"]["merges"]), len(ids)))
    config["source"] = {"trainer": training["trainer"], "corpus": training["corpus"],
                        "held_out": "heldout-briefs.ndjson (%d briefs, seed %d)"
                                    % (training["held_out_briefs"], training["held_out_seed"])}
    config["training"] = {k: training[k] for k in (
        "corpus_tokens", "copy_tokens", "longest_example_tokens", "loss", "steps", "steps_planned", "batch",
        "batching", "tokens_seen", "optimizer", "learning_rate", "schedule", "init", "seed", "torch_threads",
        "bpe_seconds", "train_seconds", "wall_seconds", "first_train_loss", "final_train_loss", "loss_curve_every",
        "loss_curve")}
    config["export"] = {"tool": "training/tools/copywriter/export_copywriter.py", "torch": torch.__version__,
                        "opset": export_lm.OPSET, "max_abs_logit_diff_vs_djl": d_djl,
                        "max_abs_logit_diff_cached_vs_full": d_cache,
                        "max_abs_logit_diff_torchscript_vs_eager": diffs["torchscript_vs_eager"]}
    ts_export.write_json(os.path.join(out, "config.json"), config)
    # the ONNX copy (tied embedding stored twice, ~6 MB) stays in the dump, out of the repository
    os.replace(os.path.join(out, "model.onnx"), os.path.join(args.dump, "model.onnx"))
    print("  model.pt %.2f MB; model.onnx (not shipped) in %s" % (os.path.getsize(os.path.join(out, "model.pt")) / 1e6,
                                                               args.dump))
    print("done (torch %s)" % torch.__version__)


if __name__ == "__main__":
    sys.exit(main())
