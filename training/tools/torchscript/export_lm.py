#!/usr/bin/python3
"""Exports language models into genfleet's static key/value-cache contract (family ``static-kv``).

Two models, written as TorchScript (``model.pt``) and ONNX (``model.onnx``) from one PyTorch module:

  <models>/copy-gpt-kv/1/     copy-gpt's own weights (from the ExportWeights dump) re-expressed with a
                              static cache; a character tokenizer.json (BPE without merges) whose
                              vocabulary adds 256 byte-fallback tokens, so any string round-trips;
                              the network reads such a byte as a space and never predicts one.
  <models>/tiny-llama-kv/1/   a small Llama-shaped model trained here (RMSNorm, rotary positions,
                              SwiGLU, grouped-query attention) on copy-gpt's corpus with a byte-level
                              BPE tokenizer.json learned here.

The network contract (config.json states the numbers):

  forward(input_ids: int64 [S, T], position_ids: int64 [S, T], attention_mask: int64 [S, C],
          cache: float32 [S, L, 2, KVH, C, D]) -> (logits: float32 [S, T, V], cache: float32 [S, L, 2, KVH, C, D])

S = slots (fixed), C = context, L = layers, KVH = key/value heads, D = head size. Token t of slot s is
written to cache position position_ids[s, t] of every layer (-1: padding, written nowhere) and attends
to cache positions c <= position_ids[s, t] with attention_mask[s, c] = 1. Every op works per slot and
the shapes depend only on (S, T), so a slot's bits do not depend on what the other slots hold.

Usage (Debian's python3-torch; ExportWeights writes the dump: see export.sh):
  /usr/bin/python3 training/tools/torchscript/export_lm.py --dump training/target/torchscript-dump --models models
"""

import argparse
import json
import math
import os
import re
import sys
import time
from collections import Counter
from typing import Dict, List, Tuple

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import export as ts_export  # noqa: E402  (copy-gpt's PyTorch rebuild and the dump reader)

EPS = 1e-5
SLOTS = 8
OPSET = 17
BYTE_TOKENS = ["<0x%02X>" % b for b in range(256)]
MAX_CACHE_LOGIT_DIFF = 1e-4  # cached decode vs full recompute, same weights, eager PyTorch


# ---------------------------------------------------------------- the shared static-cache attention


def attention_bias(position_ids: torch.Tensor, attention_mask: torch.Tensor, context: int) -> torch.Tensor:
    """Additive [S, 1, T, C]: 0 where token t may see cache position c, -1e9 elsewhere."""
    c = torch.arange(context, dtype=torch.long, device=position_ids.device)
    allowed = (c.view(1, 1, context) <= position_ids.unsqueeze(2)) & (attention_mask.unsqueeze(1) != 0)
    return ((~allowed).to(torch.float32) * -1e9).unsqueeze(1)


def write_matrix(position_ids: torch.Tensor, context: int) -> Tuple[torch.Tensor, torch.Tensor]:
    """One-hot [S, 1, C, T] (cache position c takes token t) and [S, 1, C, 1] (c is written)."""
    c = torch.arange(context, dtype=torch.long, device=position_ids.device)
    hit = position_ids.unsqueeze(1) == c.view(1, context, 1)  # [S, C, T]
    return hit.to(torch.float32).unsqueeze(1), hit.any(dim=2).view(hit.size(0), 1, context, 1)


def cached_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, layer_cache: torch.Tensor,
                     write: torch.Tensor, written: torch.Tensor, bias: torch.Tensor,
                     scale: float) -> Tuple[torch.Tensor, torch.Tensor]:
    """q [S,H,T,D], k/v [S,KVH,T,D], layer_cache [S,2,KVH,C,D] -> (out [S,H,T,D], new layer cache).

    The write is a one-hot matmul then a where: each written entry is 1*k plus exact zeros, so the cache
    holds the same bits an index_put would, with ops every exporter and runtime knows.
    """
    s = q.size(0)
    h = q.size(1)
    t = q.size(2)
    d = q.size(3)
    kvh = k.size(1)
    groups = h // kvh
    k_all = torch.where(written, torch.matmul(write, k), layer_cache[:, 0])
    v_all = torch.where(written, torch.matmul(write, v), layer_cache[:, 1])
    # grouped-query attention without copying keys: query heads h = kv * groups + g share kv head kv
    qg = q.reshape(s, kvh, groups * t, d)
    scores = torch.matmul(qg, k_all.transpose(2, 3)).reshape(s, h, t, -1) * scale + bias
    probs = torch.softmax(scores, dim=-1).reshape(s, kvh, groups * t, -1)
    out = torch.matmul(probs, v_all).reshape(s, h, t, d)
    return out, torch.stack([k_all, v_all], dim=1)


# ---------------------------------------------------------------- copy-gpt with a cache


class GptKvBlock(nn.Module):
    """copy-gpt's GptBlock (same parameter names) with the static cache."""

    def __init__(self, d_model: int, heads: int, mlp_hidden: int):
        super().__init__()
        self.d_model = d_model
        self.heads = heads
        self.head_dim = d_model // heads
        self.scale = 1.0 / math.sqrt(float(d_model) / heads)
        self.gelu_approximate = "none"  # copy-gpt: exact erf GELU; GPT-2 (export_gpt2.py): "tanh"
        self.ln1 = nn.LayerNorm(d_model, eps=EPS)
        self.qkv = nn.Linear(d_model, 3 * d_model)
        self.proj = nn.Linear(d_model, d_model)
        self.ln2 = nn.LayerNorm(d_model, eps=EPS)
        self.fc1 = nn.Linear(d_model, mlp_hidden)
        self.fc2 = nn.Linear(mlp_hidden, d_model)

    def forward(self, x: torch.Tensor, layer_cache: torch.Tensor, write: torch.Tensor, written: torch.Tensor,
                bias: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        s = x.size(0)
        t = x.size(1)
        parts = self.qkv(self.ln1(x)).split(self.d_model, dim=2)
        q = parts[0].reshape(s, t, self.heads, self.head_dim).transpose(1, 2)
        k = parts[1].reshape(s, t, self.heads, self.head_dim).transpose(1, 2)
        v = parts[2].reshape(s, t, self.heads, self.head_dim).transpose(1, 2)
        o, new_cache = cached_attention(q, k, v, layer_cache, write, written, bias, self.scale)
        h = x + self.proj(o.transpose(1, 2).reshape(s, t, self.d_model))
        return h + self.fc2(F.gelu(self.fc1(self.ln2(h)), approximate=self.gelu_approximate)), new_cache


class CopyGptKv(nn.Module):
    """copy-gpt (learned positions, pre-LN, tied head) over a vocabulary of its characters + 256 bytes."""

    def __init__(self, chars: int, space_id: int, d_model: int, heads: int, layers: int, context: int,
                 mlp_hidden: int):
        super().__init__()
        self.chars = chars
        self.space_id = space_id
        self.context = context
        self.tok_emb = nn.Parameter(torch.zeros(chars, d_model))
        self.pos_emb = nn.Parameter(torch.zeros(context, d_model))
        self.layers = nn.ModuleList([GptKvBlock(d_model, heads, mlp_hidden) for _ in range(layers)])
        self.ln_f = nn.LayerNorm(d_model, eps=EPS)

    def forward(self, input_ids: torch.Tensor, position_ids: torch.Tensor, attention_mask: torch.Tensor,
                cache: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        # a byte-fallback token (id >= chars) reads as a space, like CharTokenizer's fallback
        ids = torch.where(input_ids < self.chars, input_ids, torch.full_like(input_ids, self.space_id))
        x = F.embedding(ids, self.tok_emb) + F.embedding(position_ids.clamp(min=0), self.pos_emb)
        write, written = write_matrix(position_ids, self.context)
        bias = attention_bias(position_ids, attention_mask, self.context)
        caches: List[torch.Tensor] = []
        i = 0
        for layer in self.layers:
            x, c = layer(x, cache[:, i], write, written, bias)
            caches.append(c)
            i += 1
        logits = F.linear(self.ln_f(x), self.tok_emb)
        # the 256 byte tokens are never predicted
        return F.pad(logits, (0, 256), value=-1e9), torch.stack(caches, dim=1)


# ---------------------------------------------------------------- a small Llama-class model


class RmsNorm(nn.Module):
    def __init__(self, d: int):
        super().__init__()
        self.eps = EPS
        self.weight = nn.Parameter(torch.ones(d))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


def rotate(x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
    """Rotary embedding, rotate-half form (as Llama's Hugging Face port): x [S,H,T,D], cos/sin [S,1,T,D]."""
    half = x.size(-1) // 2
    rotated = torch.cat([-x[..., half:], x[..., :half]], dim=-1)
    return x * cos + rotated * sin


class LlamaBlock(nn.Module):
    def __init__(self, d_model: int, heads: int, kv_heads: int, mlp_hidden: int):
        super().__init__()
        self.heads = heads
        self.kv_heads = kv_heads
        self.head_dim = d_model // heads
        self.scale = 1.0 / math.sqrt(float(self.head_dim))
        self.attn_norm = RmsNorm(d_model)
        self.q = nn.Linear(d_model, heads * self.head_dim, bias=False)
        self.k = nn.Linear(d_model, kv_heads * self.head_dim, bias=False)
        self.v = nn.Linear(d_model, kv_heads * self.head_dim, bias=False)
        self.o = nn.Linear(heads * self.head_dim, d_model, bias=False)
        self.mlp_norm = RmsNorm(d_model)
        self.gate = nn.Linear(d_model, mlp_hidden, bias=False)
        self.up = nn.Linear(d_model, mlp_hidden, bias=False)
        self.down = nn.Linear(mlp_hidden, d_model, bias=False)

    def forward(self, x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor, layer_cache: torch.Tensor,
                write: torch.Tensor, written: torch.Tensor, bias: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        s = x.size(0)
        t = x.size(1)
        h = self.attn_norm(x)
        q = self.q(h).reshape(s, t, self.heads, self.head_dim).transpose(1, 2)
        k = self.k(h).reshape(s, t, self.kv_heads, self.head_dim).transpose(1, 2)
        v = self.v(h).reshape(s, t, self.kv_heads, self.head_dim).transpose(1, 2)
        q = rotate(q, cos, sin)
        k = rotate(k, cos, sin)
        o, new_cache = cached_attention(q, k, v, layer_cache, write, written, bias, self.scale)
        x = x + self.o(o.transpose(1, 2).reshape(s, t, self.heads * self.head_dim))
        m = self.mlp_norm(x)
        return x + self.down(F.silu(self.gate(m)) * self.up(m)), new_cache


class TinyLlamaKv(nn.Module):
    def __init__(self, vocab: int, d_model: int, heads: int, kv_heads: int, layers: int, context: int,
                 mlp_hidden: int, rope_theta: float):
        super().__init__()
        self.context = context
        self.head_dim = d_model // heads
        self.embed = nn.Embedding(vocab, d_model)
        self.layers = nn.ModuleList([LlamaBlock(d_model, heads, kv_heads, mlp_hidden) for _ in range(layers)])
        self.norm = RmsNorm(d_model)
        self.head = nn.Linear(d_model, vocab, bias=False)
        inv = 1.0 / (rope_theta ** (torch.arange(0, self.head_dim, 2, dtype=torch.float32) / self.head_dim))
        self.register_buffer("inv_freq", inv, persistent=True)

    def forward(self, input_ids: torch.Tensor, position_ids: torch.Tensor, attention_mask: torch.Tensor,
                cache: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        pos = position_ids.clamp(min=0).to(torch.float32)
        angles = pos.unsqueeze(2) * self.inv_freq.view(1, 1, -1)  # [S, T, D/2]
        angles = torch.cat([angles, angles], dim=-1).unsqueeze(1)  # [S, 1, T, D]
        cos = torch.cos(angles)
        sin = torch.sin(angles)
        x = self.embed(input_ids)
        write, written = write_matrix(position_ids, self.context)
        bias = attention_bias(position_ids, attention_mask, self.context)
        caches: List[torch.Tensor] = []
        i = 0
        for layer in self.layers:
            x, c = layer(x, cos, sin, cache[:, i], write, written, bias)
            caches.append(c)
            i += 1
        return self.head(self.norm(x)), torch.stack(caches, dim=1)


# ---------------------------------------------------------------- running the contract in PyTorch


def empty_cache(cfg: dict, slots: int) -> torch.Tensor:
    return torch.zeros(slots, cfg["layers"], 2, cfg["kv_heads"], cfg["context"], cfg["head_size"])


def full_logits(model: nn.Module, cfg: dict, tokens: List[int]) -> torch.Tensor:
    """Logits [T, V] of one window through a single prefill in slot 0 (the others padding)."""
    t = len(tokens)
    ids = torch.zeros(SLOTS, t, dtype=torch.long)
    pos = torch.full((SLOTS, t), -1, dtype=torch.long)
    mask = torch.zeros(SLOTS, cfg["context"], dtype=torch.long)
    ids[0] = torch.tensor(tokens)
    pos[0] = torch.arange(t)
    mask[0, :t] = 1
    logits, _ = model(ids, pos, mask, empty_cache(cfg, SLOTS))
    return logits[0]


def cached_logits(model: nn.Module, cfg: dict, tokens: List[int], prefill: int) -> torch.Tensor:
    """Logits [T - prefill + 1, V]: prefill the first tokens in slot 3, then one token per step."""
    slot = 3
    cache = empty_cache(cfg, SLOTS)
    mask = torch.zeros(SLOTS, cfg["context"], dtype=torch.long)
    ids = torch.zeros(SLOTS, prefill, dtype=torch.long)
    pos = torch.full((SLOTS, prefill), -1, dtype=torch.long)
    ids[slot] = torch.tensor(tokens[:prefill])
    pos[slot] = torch.arange(prefill)
    mask[slot, :prefill] = 1
    logits, cache = model(ids, pos, mask, cache)
    out = [logits[slot, prefill - 1]]
    for i in range(prefill, len(tokens)):
        ids = torch.zeros(SLOTS, 1, dtype=torch.long)
        pos = torch.full((SLOTS, 1), -1, dtype=torch.long)
        ids[slot, 0] = tokens[i]
        pos[slot, 0] = i
        mask[slot, i] = 1
        logits, cache = model(ids, pos, mask, cache)
        out.append(logits[slot, 0])
    return torch.stack(out)


def check_cache(label: str, model: nn.Module, cfg: dict, tokens: List[int]) -> float:
    prefill = len(tokens) // 2
    full = full_logits(model, cfg, tokens)[prefill - 1:]
    cached = cached_logits(model, cfg, tokens, prefill)
    diff = ts_export.max_diff(cached, full)
    ts_export.check("%s cached decode vs full pass" % label, diff, MAX_CACHE_LOGIT_DIFF)
    return diff


def greedy(model: nn.Module, cfg: dict, tokens: List[int], count: int) -> List[int]:
    """Full-recompute greedy decoding (no cache reuse), the reference the Java tests replay."""
    seq = list(tokens)
    out = []
    for _ in range(count):
        logits = full_logits(model, cfg, seq[-cfg["context"]:])[-1]
        nxt = int(torch.argmax(logits).item())  # lowest id on ties, as genfleet's Sampler
        out.append(nxt)
        seq.append(nxt)
    return out


def save_both(model: nn.Module, cfg: dict, out: str) -> Dict[str, float]:
    """Scripts + saves model.pt, exports model.onnx (S fixed, T dynamic), checks the reloaded script."""
    example = (torch.zeros(SLOTS, 3, dtype=torch.long), torch.tensor([[0, 1, 2]] + [[-1, -1, -1]] * (SLOTS - 1)),
               torch.zeros(SLOTS, cfg["context"], dtype=torch.long), empty_cache(cfg, SLOTS))
    pt = os.path.join(out, "model.pt")
    reloaded = ts_export.script_save_reload(model, pt)
    tokens = list(range(1, 40))
    diffs = {"torchscript_vs_eager": ts_export.max_diff(full_logits(reloaded, cfg, tokens),
                                                        full_logits(model, cfg, tokens))}
    ts_export.check("reloaded TorchScript vs eager", diffs["torchscript_vs_eager"], 1e-5)
    torch.onnx.export(
        model, example, os.path.join(out, "model.onnx"), opset_version=OPSET, do_constant_folding=True,
        input_names=["input_ids", "position_ids", "attention_mask", "cache"],
        output_names=["logits", "new_cache"],
        dynamic_axes={"input_ids": {1: "tokens"}, "position_ids": {1: "tokens"}, "logits": {1: "tokens"}})
    return diffs


def write_reference(out: str, prompts: List[Tuple[str, List[int]]], eos_id: int, count: int) -> None:
    """reference.json: greedy continuations by full recompute (the saved model.pt, no cache reuse), which
    the Java tests replay through both engines; prompt ids are this script's own tokenization."""
    with open(os.path.join(out, "config.json"), encoding="utf-8") as f:
        cfg = json.load(f)
    cfg["kv_heads"] = cfg.get("kv_heads", cfg["heads"])
    module = torch.jit.load(os.path.join(out, "model.pt"))
    rows = []
    with torch.no_grad():
        for text, ids in prompts:
            seq = list(ids)
            completion = []
            for _ in range(count):
                logits = full_logits(module, cfg, seq[-cfg["context"]:])[-1]
                nxt = int(torch.argmax(logits).item())
                completion.append(nxt)
                seq.append(nxt)
                if nxt == eos_id:
                    break
            rows.append({"prompt": text, "prompt_ids": ids, "greedy_ids": completion})
    write_json(os.path.join(out, "reference.json"), {
        "what": "greedy decoding by full recompute of model.pt in PyTorch %s, %d tokens at most, stopping at"
                " eos; prompt_ids start with bos_token" % (torch.__version__, count),
        "rows": rows})


def write_json(path: str, obj) -> None:
    ts_export.write_json(path, obj)


def contract_config(cfg: dict) -> dict:
    return {
        "slots": SLOTS,
        "context": cfg["context"],
        "vocab_size": cfg["vocab_size"],
        "layers": cfg["layers"],
        "heads": cfg["heads"],
        "kv_heads": cfg["kv_heads"],
        "head_size": cfg["head_size"],
        "cache": {"layout": "slots,layers,kv,kv_heads,context,head_size", "dtype": "float32"},
        "inputs": ["input_ids", "position_ids", "attention_mask", "cache"],
        "outputs": ["logits", "new_cache"],
    }


# ---------------------------------------------------------------- copy-gpt-kv


def char_tokenizer_json(chars: List[str]) -> dict:
    vocab = {c: i for i, c in enumerate(chars)}
    for i, b in enumerate(BYTE_TOKENS):
        vocab[b] = len(chars) + i
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [],
        "normalizer": None,
        "pre_tokenizer": None,
        "post_processor": None,
        "decoder": {"type": "Sequence", "decoders": [{"type": "ByteFallback"}, {"type": "Fuse"}]},
        "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": None,
                  "end_of_word_suffix": None, "fuse_unk": False, "byte_fallback": True, "vocab": vocab,
                  "merges": []},
    }


def export_copy_gpt(dump: str, models: str) -> None:
    folder = os.path.join(dump, "copy-gpt")
    with open(os.path.join(folder, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    with open(os.path.join(folder, "vocab.json"), encoding="utf-8") as f:
        chars = json.load(f)["tokens"]
    a = manifest["architecture"]
    model = CopyGptKv(len(chars), chars.index(" "), a["d_model"], a["heads"], a["layers"], a["context"],
                      a["mlp_hidden"])
    ts_export.load_weights(model, folder, manifest["tensors"], [])
    model.eval()
    reference = ts_export.TinyGpt(a["vocab_size"], a["d_model"], a["heads"], a["layers"], a["context"],
                                  a["mlp_hidden"])
    ts_export.load_weights(reference, folder, manifest["tensors"], [])
    reference.eval()
    cfg = {"vocab_size": len(chars) + 256, "layers": a["layers"], "heads": a["heads"], "kv_heads": a["heads"],
           "head_size": a["d_model"] // a["heads"], "context": a["context"]}

    out = os.path.join(models, "copy-gpt-kv", "1")
    os.makedirs(out, exist_ok=True)
    print("copy-gpt (static cache) -> %s" % out)
    with torch.no_grad():
        ids = [chars.index(c) for c in "\nHi Maria, our new espresso grinder is here."]
        d_ref = ts_export.max_diff(full_logits(model, cfg, ids)[:, :len(chars)],
                                   reference(torch.tensor([ids]))[0])
        ts_export.check("full pass vs copy-gpt's TorchScript rebuild", d_ref, 1e-5)
        d_cache = check_cache("copy-gpt-kv", model, cfg, ids)
        diffs = save_both(model, cfg, out)
    write_json(os.path.join(out, "tokenizer.json"), char_tokenizer_json(chars))
    write_json(os.path.join(out, "config.json"), dict(
        {"family": "static-kv", "modality": "TEXT", "id": "copy-gpt-kv", "version": "1",
         "format": "torchscript", "torchscript": "model.pt", "onnx": "model.onnx", "tokenizer": "tokenizer.json",
         "bos_token": "\n"},
        **contract_config(cfg),
        parameters=sum(p.numel() for p in model.parameters()),
        architecture=dict(a, position="learned absolute", norm="pre-layernorm", activation="gelu",
                          byte_fallback_tokens=256),
        source=manifest["source"],
        export={"tool": "training/tools/torchscript/export_lm.py", "torch": torch.__version__, "opset": OPSET,
                "max_abs_logit_diff_vs_copy_gpt_rebuild": d_ref, "max_abs_logit_diff_cached_vs_full": d_cache,
                "max_abs_logit_diff_torchscript_vs_eager": diffs["torchscript_vs_eager"]}))
    write_reference(out, copy_gpt_prompts(chars), -1, 40)


def copy_gpt_prompts(chars: List[str]) -> List[Tuple[str, List[int]]]:
    return [(p, [chars.index(c) for c in "\n" + p]) for p in REFERENCE_PROMPTS]


REFERENCE_PROMPTS = ["Hi Maria, ", "Our new espresso grinder", "Hello Sam! Spring is here", ""]


# ---------------------------------------------------------------- tiny-llama-kv: byte-level BPE + training


def bytes_to_unicode() -> Dict[int, str]:
    """GPT-2's printable stand-ins for the 256 bytes (the ByteLevel pre-tokenizer's alphabet)."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("\u00a1"), ord("\u00ac") + 1)) \
        + list(range(ord("\u00ae"), ord("\u00ff") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return {b: chr(c) for b, c in zip(bs, cs)}


# the ByteLevel pre-tokenizer's split (GPT-2's pattern; \p{L}/\p{N} approximated with Python's classes)
PRE_TOKEN = re.compile(r"""'s|'t|'re|'ve|'m|'ll|'d| ?[^\W\d_]+| ?\d+| ?[^\s\w]+|\s+(?!\S)|\s+""")


def learn_bpe(text: str, merges_wanted: int) -> List[Tuple[str, str]]:
    b2u = bytes_to_unicode()
    words = Counter(PRE_TOKEN.findall(text))
    splits = {w: [b2u[b] for b in w.encode("utf-8")] for w in words}
    merges = []
    for _ in range(merges_wanted):
        pairs = Counter()
        for w, n in words.items():
            s = splits[w]
            for i in range(len(s) - 1):
                pairs[(s[i], s[i + 1])] += n
        if not pairs:
            break
        best = max(pairs.items(), key=lambda kv: (kv[1], kv[0]))[0]
        merges.append(best)
        for w in words:
            s = splits[w]
            i = 0
            merged = []
            while i < len(s):
                if i + 1 < len(s) and s[i] == best[0] and s[i + 1] == best[1]:
                    merged.append(s[i] + s[i + 1])
                    i += 2
                else:
                    merged.append(s[i])
                    i += 1
            splits[w] = merged
    return merges


def bpe_encode(text: str, vocab: Dict[str, int], merges: List[Tuple[str, str]]) -> List[int]:
    b2u = bytes_to_unicode()
    rank = {m: i for i, m in enumerate(merges)}
    cache: Dict[str, List[int]] = {}
    out = []
    for w in PRE_TOKEN.findall(text):
        if w not in cache:
            s = [b2u[b] for b in w.encode("utf-8")]
            while len(s) > 1:
                best = min(((rank.get((s[i], s[i + 1]), 1 << 30), i) for i in range(len(s) - 1)))
                if best[0] == 1 << 30:
                    break
                i = best[1]
                s = s[:i] + [s[i] + s[i + 1]] + s[i + 2:]
            cache[w] = [vocab[p] for p in s]
        out.extend(cache[w])
    return out


def byte_level_tokenizer_json(vocab: Dict[str, int], merges: List[Tuple[str, str]], eos: str) -> dict:
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [{"id": vocab[eos], "content": eos, "single_word": False, "lstrip": False,
                          "rstrip": False, "normalized": False, "special": True}],
        "normalizer": None,
        "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True},
        "post_processor": None,
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
        "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": "",
                  "end_of_word_suffix": "", "fuse_unk": False, "byte_fallback": False, "vocab": vocab,
                  "merges": ["%s %s" % m for m in merges]},
    }


LLAMA = {"d_model": 64, "heads": 8, "kv_heads": 2, "layers": 4, "context": 128, "mlp_hidden": 192,
         "rope_theta": 10000.0, "merges": 127, "steps": 250, "batch": 16, "lr": 3e-3, "seed": 20261129}


def export_tiny_llama(dump: str, models: str) -> None:
    with open(os.path.join(dump, "corpus", "train.txt"), encoding="utf-8") as f:
        train_text = f.read()
    with open(os.path.join(dump, "corpus", "held-out.txt"), encoding="utf-8") as f:
        held_text = f.read()
    h = LLAMA
    t0 = time.time()
    merges = learn_bpe(train_text[:1_000_000], h["merges"])
    b2u = bytes_to_unicode()
    vocab = {b2u[b]: i for i, b in enumerate(range(256))}
    for a, b in merges:
        vocab[a + b] = len(vocab)
    eos = "<|endoftext|>"
    vocab[eos] = len(vocab)
    eos_id = vocab[eos]
    docs = [d for d in train_text.split("\n") if d]
    ids: List[int] = []
    for d in docs:
        ids.append(eos_id)
        ids.extend(bpe_encode(d, vocab, merges))
    held: List[int] = []
    for d in held_text.split("\n"):
        if d:
            held.append(eos_id)
            held.extend(bpe_encode(d, vocab, merges))
    bpe_seconds = time.time() - t0
    print("tiny-llama: vocabulary %d (%d merges), %d training tokens (%.2f bytes/token), BPE %.1f s"
          % (len(vocab), len(merges), len(ids), len(train_text.encode("utf-8")) / len(ids), bpe_seconds))

    torch.manual_seed(h["seed"])
    model = TinyLlamaKv(len(vocab), h["d_model"], h["heads"], h["kv_heads"], h["layers"], h["context"],
                        h["mlp_hidden"], h["rope_theta"])
    for name, p in model.named_parameters():
        if p.dim() == 2:
            nn.init.normal_(p, std=0.02)
    cfg = {"vocab_size": len(vocab), "layers": h["layers"], "heads": h["heads"], "kv_heads": h["kv_heads"],
           "head_size": h["d_model"] // h["heads"], "context": h["context"]}
    checkpoint = os.path.join(dump, "tiny-llama-checkpoint.pt")
    if os.path.isfile(checkpoint) and torch.load(checkpoint)["hyper"] == h:
        # the dump keeps the trained weights, so a failed export need not train again
        saved = torch.load(checkpoint)
        model.load_state_dict(saved["state"])
        losses, train_seconds = saved["losses"], saved["train_seconds"]
        print("tiny-llama: trained weights from %s" % checkpoint)
    else:
        losses, train_seconds = train(model, cfg, ids, h)
        torch.save({"hyper": h, "state": model.state_dict(), "losses": losses, "train_seconds": train_seconds},
                   checkpoint)
    model.eval()

    out = os.path.join(models, "tiny-llama-kv", "1")
    os.makedirs(out, exist_ok=True)
    print("tiny-llama -> %s" % out)
    with torch.no_grad():
        held_ppl = perplexity(model, cfg, held)
        prompt = [eos_id] + bpe_encode("Hi Maria, our new espresso grinder", vocab, merges)
        d_cache = check_cache("tiny-llama-kv", model, cfg, prompt + greedy(model, cfg, prompt, 20))
        diffs = save_both(model, cfg, out)
    write_json(os.path.join(out, "tokenizer.json"), byte_level_tokenizer_json(vocab, merges, eos))
    write_json(os.path.join(out, "config.json"), dict(
        {"family": "static-kv", "modality": "TEXT", "id": "tiny-llama-kv", "version": "1",
         "format": "torchscript", "torchscript": "model.pt", "onnx": "model.onnx", "tokenizer": "tokenizer.json",
         "bos_token": eos, "eos_token": eos},
        **contract_config(cfg),
        parameters=sum(p.numel() for p in model.parameters()),
        architecture={"d_model": h["d_model"], "mlp_hidden": h["mlp_hidden"], "norm": "rmsnorm",
                      "position": "rotary (rotate-half), theta %g" % h["rope_theta"], "activation": "swiglu",
                      "attention": "grouped-query, %d query heads over %d key/value heads" % (h["heads"], h["kv_heads"]),
                      "tied_embeddings": False, "tokenizer": "byte-level BPE, %d merges" % len(merges)},
        training={"corpus": "copy-gpt's CopyGrammar training corpus (20,000 ads, seed 20261128)",
                  "tokens": len(ids), "steps": h["steps"], "batch": h["batch"], "sequence_length": h["context"],
                  "optimizer": "adamw (weight decay 0.01), grad clip 1.0", "learning_rate": h["lr"],
                  "schedule": "linear warm-up 50 steps then cosine to lr/20", "seed": h["seed"],
                  "torch_threads": torch.get_num_threads(), "bpe_seconds": round(bpe_seconds, 1),
                  "train_seconds": round(train_seconds, 1)},
        metrics={"first_loss": round(losses[0], 3), "final_train_loss": round(sum(losses[-20:]) / 20, 3),
                 "held_out_perplexity_per_token": round(held_ppl, 3), "held_out_tokens": len(held),
                 "held_out_bytes_per_token": round(len(held_text.encode("utf-8")) / len(held), 3),
                 "loss_curve_every": 50, "loss_curve": [round(x, 3) for x in losses[::50]]},
        export={"tool": "training/tools/torchscript/export_lm.py", "torch": torch.__version__, "opset": OPSET,
                "max_abs_logit_diff_cached_vs_full": d_cache,
                "max_abs_logit_diff_torchscript_vs_eager": diffs["torchscript_vs_eager"]}))
    write_reference(out, llama_prompts(vocab, merges, eos), eos_id, 40)


def llama_prompts(vocab: Dict[str, int], merges: List[Tuple[str, str]], eos: str) -> List[Tuple[str, List[int]]]:
    return [(p, [vocab[eos]] + bpe_encode(p, vocab, merges)) for p in REFERENCE_PROMPTS]


def train(model: TinyLlamaKv, cfg: dict, ids: List[int], h: dict) -> Tuple[List[float], float]:
    data = torch.tensor(ids, dtype=torch.long)
    ctx = h["context"]
    gen = torch.Generator().manual_seed(h["seed"])
    opt = torch.optim.AdamW(model.parameters(), lr=h["lr"], weight_decay=0.01)
    steps = h["steps"]
    losses = []
    t1 = time.time()
    model.train()
    for step in range(steps):
        lr = h["lr"] * min(1.0, (step + 1) / 50) * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * step / steps)))
        for g in opt.param_groups:
            g["lr"] = lr
        starts = torch.randint(0, len(ids) - ctx - 1, (h["batch"],), generator=gen)
        x = torch.stack([data[s:s + ctx] for s in starts])
        y = torch.stack([data[s + 1:s + ctx + 1] for s in starts])
        logits = training_forward(model, cfg, x)
        loss = F.cross_entropy(logits.reshape(-1, logits.size(-1)), y.reshape(-1))
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        losses.append(float(loss))
        if step % 25 == 0 or step == steps - 1:
            print("  step %4d loss %.3f (%.0f s)" % (step, float(loss), time.time() - t1))
    train_seconds = time.time() - t1
    return losses, train_seconds


def training_forward(model: TinyLlamaKv, cfg: dict, x: torch.Tensor) -> torch.Tensor:
    """A full causal pass of every row at positions 0..T-1 (each row in its own slot)."""
    b, t = x.shape
    pos = torch.arange(t).unsqueeze(0).expand(b, t).contiguous()
    mask = torch.ones(b, cfg["context"], dtype=torch.long)
    logits, _ = model(x, pos, mask, empty_cache(cfg, b))
    return logits


def perplexity(model: TinyLlamaKv, cfg: dict, ids: List[int]) -> float:
    ctx = cfg["context"]
    nll = 0.0
    count = 0
    for s in range(0, len(ids) - 1, ctx):
        chunk = ids[s:s + ctx + 1]
        if len(chunk) < 2:
            break
        x = torch.tensor([chunk[:-1]])
        y = torch.tensor(chunk[1:])
        logits = training_forward(model, cfg, x)[0]
        nll += float(F.cross_entropy(logits, y, reduction="sum"))
        count += len(chunk) - 1
    return math.exp(nll / count)


def write_reference_only(models: str, only) -> None:
    if only in (None, "copy-gpt-kv"):
        out = os.path.join(models, "copy-gpt-kv", "1")
        with open(os.path.join(out, "tokenizer.json"), encoding="utf-8") as f:
            vocab = json.load(f)["model"]["vocab"]
        chars = [c for c, i in sorted(vocab.items(), key=lambda kv: kv[1]) if c not in BYTE_TOKENS]
        write_reference(out, copy_gpt_prompts(chars), -1, 40)
    if only in (None, "tiny-llama-kv"):
        out = os.path.join(models, "tiny-llama-kv", "1")
        with open(os.path.join(out, "tokenizer.json"), encoding="utf-8") as f:
            tok = json.load(f)
        merges = [tuple(m.split(" ")) for m in tok["model"]["merges"]]
        eos = tok["added_tokens"][0]["content"]
        vocab = dict(tok["model"]["vocab"])
        write_reference(out, llama_prompts(vocab, merges, eos), vocab[eos], 40)


def main() -> None:
    if os.environ.get("PYTHONHASHSEED") != "0":
        os.execve(sys.executable, [sys.executable] + sys.argv, dict(os.environ, PYTHONHASHSEED="0"))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dump", required=True, help="directory written by ExportWeights")
    parser.add_argument("--models", required=True, help="model directory to write <id>/1/ into")
    parser.add_argument("--only", choices=["copy-gpt-kv", "tiny-llama-kv"], help="export one model only")
    parser.add_argument("--reference-only", action="store_true",
                        help="only write reference.json beside the models already exported")
    args = parser.parse_args()
    if args.reference_only:
        torch.set_num_threads(1)
        write_reference_only(args.models, args.only)
        return
    torch.set_num_threads(1)
    torch.manual_seed(0)
    if args.only in (None, "copy-gpt-kv"):
        export_copy_gpt(args.dump, args.models)
    if args.only in (None, "tiny-llama-kv"):
        export_tiny_llama(args.dump, args.models)
    print("done (torch %s)" % torch.__version__)


if __name__ == "__main__":
    sys.exit(main())
