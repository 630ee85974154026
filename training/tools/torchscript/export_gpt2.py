#!/usr/bin/python3
"""Exports a Hugging Face GPT-2 checkpoint into genfleet's static key/value-cache contract (static-kv).

Input: a Hugging Face model folder as ``save_pretrained`` writes it (``config.json``,
``pytorch_model.bin`` (or ``model.safetensors`` when the ``safetensors`` package is importable) and
``tokenizer.json``). Hugging Face ``transformers`` is NOT needed: the GPT-2 network is rebuilt here from
its state dict (GPT-2 is copy-gpt's shape: learned positions, pre-LN blocks with one fused q|k|v
projection, tanh-approximated GELU, head tied to the token embedding), so Debian's python3-torch suffices.

Output: ``<out>/model.pt``, ``model.onnx``, ``tokenizer.json`` (copied), ``config.json`` (family
static-kv). The cache is [slots, layers, 2, heads, context, head_size] float32: GPT-2 small at context
1024 and 8 slots would be 600 MB per group of rows, so choose ``--context`` and ``--slots``.

Tested here only on a random GPT-2-shaped state dict (no pretrained weights are reachable from this
machine); see worker/README.md for the untested steps with real weights.

  /usr/bin/python3 training/tools/torchscript/export_gpt2.py --hf-dir gpt2/ --out models/gpt2-kv/1 \
      --context 256 --slots 4
"""

import argparse
import json
import os
import shutil
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import export as ts_export  # noqa: E402
import export_lm  # noqa: E402


class Gpt2Kv(export_lm.CopyGptKv):
    """GPT-2 as CopyGptKv without the byte-fallback extension (GPT-2's byte-level BPE covers every byte)."""

    def forward(self, input_ids: torch.Tensor, position_ids: torch.Tensor, attention_mask: torch.Tensor,
                cache: torch.Tensor):
        x = F.embedding(input_ids, self.tok_emb) + F.embedding(position_ids.clamp(min=0), self.pos_emb)
        write, written = export_lm.write_matrix(position_ids, self.context)
        bias = export_lm.attention_bias(position_ids, attention_mask, self.context)
        caches = []
        i = 0
        for layer in self.layers:
            x, c = layer(x, cache[:, i], write, written, bias)
            caches.append(c)
            i += 1
        return F.linear(self.ln_f(x), self.tok_emb), torch.stack(caches, dim=1)


def load_state(hf_dir: str) -> dict:
    bin_path = os.path.join(hf_dir, "pytorch_model.bin")
    if os.path.isfile(bin_path):
        return torch.load(bin_path, map_location="cpu")
    st = os.path.join(hf_dir, "model.safetensors")
    if os.path.isfile(st):
        from safetensors.torch import load_file  # not packaged in Debian 12: convert to .bin elsewhere
        return load_file(st)
    raise SystemExit("no pytorch_model.bin or model.safetensors in %s" % hf_dir)


def convert(state: dict, layers: int, context: int) -> dict:
    """GPT-2 names (Conv1D weights are [in, out]) -> CopyGptKv names (Linear weights are [out, in])."""
    s = {k[len("transformer."):] if k.startswith("transformer.") else k: v for k, v in state.items()}
    out = {"tok_emb": s["wte.weight"], "pos_emb": s["wpe.weight"][:context],
           "ln_f.weight": s["ln_f.weight"], "ln_f.bias": s["ln_f.bias"]}
    for i in range(layers):
        p = "h.%d." % i
        q = "layers.%d." % i
        out[q + "ln1.weight"], out[q + "ln1.bias"] = s[p + "ln_1.weight"], s[p + "ln_1.bias"]
        out[q + "ln2.weight"], out[q + "ln2.bias"] = s[p + "ln_2.weight"], s[p + "ln_2.bias"]
        for ours, theirs in (("qkv", "attn.c_attn"), ("proj", "attn.c_proj"), ("fc1", "mlp.c_fc"),
                             ("fc2", "mlp.c_proj")):
            out[q + ours + ".weight"] = s[p + theirs + ".weight"].t().contiguous()
            out[q + ours + ".bias"] = s[p + theirs + ".bias"]
    return out


def reference_logits(state: dict, hf: dict, tokens: list) -> torch.Tensor:
    """GPT-2's forward written straight from its state dict and Hugging Face's definition (Conv1D is
    x @ W + b, gelu_new is the tanh GELU), an independent check of the name and layout mapping."""
    s = {k[len("transformer."):] if k.startswith("transformer.") else k: v for k, v in state.items()}
    d, heads, eps = hf["n_embd"], hf["n_head"], hf.get("layer_norm_epsilon", 1e-5)
    t = len(tokens)
    x = s["wte.weight"][torch.tensor(tokens)] + s["wpe.weight"][:t]
    causal = torch.tril(torch.ones(t, t, dtype=torch.bool))
    for i in range(hf["n_layer"]):
        p = "h.%d." % i
        h = F.layer_norm(x, (d,), s[p + "ln_1.weight"], s[p + "ln_1.bias"], eps)
        q, k, v = (h @ s[p + "attn.c_attn.weight"] + s[p + "attn.c_attn.bias"]).split(d, dim=-1)
        q, k, v = (z.view(t, heads, d // heads).transpose(0, 1) for z in (q, k, v))
        a = (q @ k.transpose(1, 2)) / (d // heads) ** 0.5
        a = torch.softmax(a.masked_fill(~causal, float("-inf")), dim=-1) @ v
        x = x + a.transpose(0, 1).reshape(t, d) @ s[p + "attn.c_proj.weight"] + s[p + "attn.c_proj.bias"]
        h = F.layer_norm(x, (d,), s[p + "ln_2.weight"], s[p + "ln_2.bias"], eps)
        h = F.gelu(h @ s[p + "mlp.c_fc.weight"] + s[p + "mlp.c_fc.bias"], approximate="tanh")
        x = x + h @ s[p + "mlp.c_proj.weight"] + s[p + "mlp.c_proj.bias"]
    x = F.layer_norm(x, (d,), s["ln_f.weight"], s["ln_f.bias"], eps)
    return x @ s["wte.weight"].t()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--hf-dir", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--context", type=int, default=256, help="cache length (<= n_positions)")
    parser.add_argument("--slots", type=int, default=8, help="rows per forward pass")
    parser.add_argument("--id", default="gpt2-kv")
    args = parser.parse_args()
    torch.set_num_threads(1)
    with open(os.path.join(args.hf_dir, "config.json"), encoding="utf-8") as f:
        hf = json.load(f)
    d, heads, layers = hf["n_embd"], hf["n_head"], hf["n_layer"]
    if args.context > hf["n_positions"]:
        raise SystemExit("--context %d > n_positions %d" % (args.context, hf["n_positions"]))
    if hf.get("activation_function", "gelu_new") not in ("gelu_new", "gelu_pytorch_tanh"):
        raise SystemExit("activation %s: only GPT-2's tanh GELU is mapped" % hf.get("activation_function"))
    export_lm.SLOTS = args.slots
    model = Gpt2Kv(hf["vocab_size"], 0, d, heads, layers, args.context, hf.get("n_inner") or 4 * d)
    for block in model.layers:
        block.ln1.eps = block.ln2.eps = hf.get("layer_norm_epsilon", 1e-5)
        block.gelu_approximate = "tanh"
    model.ln_f.eps = hf.get("layer_norm_epsilon", 1e-5)
    state = load_state(args.hf_dir)
    missing, unexpected = model.load_state_dict(convert(state, layers, args.context), strict=False)
    if missing or unexpected:
        raise SystemExit("weights do not fit: missing %s, unexpected %s" % (missing, unexpected))
    model.eval()
    cfg = {"vocab_size": hf["vocab_size"], "layers": layers, "heads": heads, "kv_heads": heads,
           "head_size": d // heads, "context": args.context}
    os.makedirs(args.out, exist_ok=True)
    with torch.no_grad():
        probe = [(i * 7919) % hf["vocab_size"] for i in range(1, 33)]
        d_ref = ts_export.max_diff(export_lm.full_logits(model, cfg, probe), reference_logits(state, hf, probe))
        ts_export.check("%s vs GPT-2 from its state dict" % args.id, d_ref, 1e-4)
        d_cache = export_lm.check_cache(args.id, model, cfg, probe)
        diffs = export_lm.save_both(model, cfg, args.out)
    shutil.copyfile(os.path.join(args.hf_dir, "tokenizer.json"), os.path.join(args.out, "tokenizer.json"))
    eos = "<|endoftext|>"
    export_lm.write_json(os.path.join(args.out, "config.json"), dict(
        {"family": "static-kv", "modality": "TEXT", "id": args.id, "version": os.path.basename(args.out.rstrip("/")),
         "format": "torchscript", "torchscript": "model.pt", "onnx": "model.onnx", "tokenizer": "tokenizer.json",
         "bos_token": eos, "eos_token": eos},
        **export_lm.contract_config(cfg),
        parameters=sum(p.numel() for p in model.parameters()),
        source={"hf_config": hf},
        export={"tool": "training/tools/torchscript/export_gpt2.py", "torch": torch.__version__,
                "max_abs_logit_diff_vs_state_dict_gpt2": d_ref,
                "max_abs_logit_diff_cached_vs_full": d_cache,
                "max_abs_logit_diff_torchscript_vs_eager": diffs["torchscript_vs_eager"]}))
    print("done: %s" % args.out)


if __name__ == "__main__":
    sys.exit(main())
