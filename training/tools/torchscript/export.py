#!/usr/bin/python3
"""Rebuilds genfleet's DJL models in PyTorch and saves them as TorchScript.

Input: the dump written by ``dev.genfleet.training.export.ExportWeights`` (raw little-endian
float32 tensors named like the PyTorch ``state_dict`` keys below, plus ``manifest.json`` with the
architecture and reference inputs/outputs of the DJL networks).

Output:
  <models>/copy-gpt-torchscript/1/   model.pt, vocab.json (copy of copy-gpt's), config.json
  <models>/banner-gan-torchscript/1/ generator.pt, discriminator.pt, config.json

Each network is checked three times against the DJL reference outputs: the eager PyTorch module, the
scripted module, and the scripted module reloaded from the saved file. The script fails when any
difference is above the bounds below. MODEL_CARD.md files are not touched (hand-written).

Usage (Debian's python3-torch; the pyenv python on PATH has no torch):
  /usr/bin/python3 training/tools/torchscript/export.py --dump training/target/torchscript-dump --models models

The architectures follow the DJL blocks exactly:
  * TinyGpt/GptBlock: token + learned position embeddings; per layer x + proj(attn(ln1(x))) with one
    qkv Linear (3d, split q|k|v), heads (B,H,T,dh), scores q.k^T * (1/sqrt(dh)) + additive causal mask
    (-1e9 above the diagonal), softmax, then x + fc2(gelu(fc1(ln2(x)))) with exact (erf) GELU; final
    LayerNorm; output head tied to the token embedding (no bias). LayerNorm eps 1e-5 over the last
    axis (DJL's LayerNorm.Builder default, axis(2)); Linear weights are (out, in) in both frameworks.
  * GanNetworks: generator Linear(z|onehot) -> (gBase,4,4) -> BN -> ReLU -> [nearest x2, conv3x3 (no
    bias), BN, ReLU]* -> nearest x2 -> conv3x3 to RGB, plus a bias-free Linear(onehot) template image,
    summed, tanh. BatchNorm eps 1e-5 (DJL default) in eval mode with the dumped running statistics.
    Discriminator: image | one-hot style planes -> [conv4x4 stride 2 pad 1, LeakyReLU]* -> flatten ->
    Linear -> logit.
"""

import argparse
import json
import math
import os
import shutil
import sys
from typing import List

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

NEG = -1e9  # TinyGpt.NEG (written as a literal in forward: TorchScript cannot close over globals)
EPS = 1e-5  # DJL LayerNorm and BatchNorm default epsilon

# bounds of the export check (torch 1.13 here vs the DJL/libtorch 2.7.1 reference)
MAX_LOGIT_DIFF = 1e-4
MAX_IMAGE_DIFF = 1e-5


# ---------------------------------------------------------------- copy-gpt


class GptBlock(nn.Module):
    def __init__(self, d_model: int, heads: int, mlp_hidden: int):
        super().__init__()
        self.d_model = d_model
        self.heads = heads
        self.head_dim = d_model // heads
        self.scale = 1.0 / math.sqrt(float(d_model) / heads)
        self.ln1 = nn.LayerNorm(d_model, eps=EPS)
        self.qkv = nn.Linear(d_model, 3 * d_model)
        self.proj = nn.Linear(d_model, d_model)
        self.ln2 = nn.LayerNorm(d_model, eps=EPS)
        self.fc1 = nn.Linear(d_model, mlp_hidden)
        self.fc2 = nn.Linear(mlp_hidden, d_model)

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        b = x.size(0)
        t = x.size(1)
        parts = self.qkv(self.ln1(x)).split(self.d_model, dim=2)
        q = parts[0].reshape(b, t, self.heads, self.head_dim).transpose(1, 2)
        k = parts[1].reshape(b, t, self.heads, self.head_dim).transpose(1, 2)
        v = parts[2].reshape(b, t, self.heads, self.head_dim).transpose(1, 2)
        scores = torch.matmul(q, k.transpose(2, 3)) * self.scale + mask
        o = torch.matmul(torch.softmax(scores, dim=-1), v).transpose(1, 2).reshape(b, t, self.d_model)
        h = x + self.proj(o)
        return h + self.fc2(F.gelu(self.fc1(self.ln2(h))))


class TinyGpt(nn.Module):
    """forward(tokens int64 [B,T], 1 <= T <= context) -> logits float32 [B,T,vocab]."""

    def __init__(self, vocab_size: int, d_model: int, heads: int, layers: int, context: int, mlp_hidden: int):
        super().__init__()
        self.context = context
        self.tok_emb = nn.Parameter(torch.zeros(vocab_size, d_model))
        self.pos_emb = nn.Parameter(torch.zeros(context, d_model))
        self.layers = nn.ModuleList([GptBlock(d_model, heads, mlp_hidden) for _ in range(layers)])
        self.ln_f = nn.LayerNorm(d_model, eps=EPS)

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        if tokens.dim() != 2:
            raise ValueError("tokens must be int64 [batch, time]")
        t = tokens.size(1)
        if t < 1 or t > self.context:
            raise ValueError("sequence length must be between 1 and the context length")
        pos = torch.arange(t, dtype=torch.long, device=tokens.device)
        x = F.embedding(tokens, self.tok_emb) + F.embedding(pos, self.pos_emb).unsqueeze(0)
        mask = torch.triu(torch.full((t, t), -1e9, dtype=x.dtype, device=x.device), diagonal=1)
        for layer in self.layers:
            x = layer(x, mask)
        return F.linear(self.ln_f(x), self.tok_emb)


# ---------------------------------------------------------------- banner-gan


def upsample2(x: torch.Tensor) -> torch.Tensor:
    """Nearest-neighbour x2, as GanNetworks.upsample2 (DJL repeat on axes 2 and 3)."""
    return x.repeat_interleave(2, dim=2).repeat_interleave(2, dim=3)


class Stage(nn.Module):
    def __init__(self, cin: int, cout: int):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, 3, stride=1, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(cout, eps=EPS)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.relu(self.bn(self.conv(upsample2(x))))


class Generator(nn.Module):
    """forward(z float32 [B,latent], style int64 [B] label index) -> images float32 [B,3,S,S] in [-1,1]."""

    def __init__(self, latent: int, styles: int, size: int, g_base: int, g_channels: List[int]):
        super().__init__()
        self.latent = latent
        self.styles = styles
        self.size = size
        self.g_base = g_base
        self.fc = nn.Linear(latent + styles, g_base * 16)
        self.bn0 = nn.BatchNorm2d(g_base, eps=EPS)
        chans = [g_base] + list(g_channels)
        self.stages = nn.ModuleList([Stage(chans[i], chans[i + 1]) for i in range(len(g_channels))])
        self.to_rgb = nn.Conv2d(chans[-1], 3, 3, stride=1, padding=1, bias=True)
        self.template = nn.Linear(styles, 3 * size * size, bias=False)

    def forward(self, z: torch.Tensor, style: torch.Tensor) -> torch.Tensor:
        if z.dim() != 2 or z.size(1) != self.latent:
            raise ValueError("z must be float32 [batch, latent]")
        onehot = F.one_hot(style, self.styles).to(z.dtype)
        h = self.fc(torch.cat([z, onehot], dim=1)).reshape(-1, self.g_base, 4, 4)
        h = F.relu(self.bn0(h))
        for stage in self.stages:
            h = stage(h)
        h = self.to_rgb(upsample2(h))
        template = self.template(onehot).reshape(-1, 3, self.size, self.size)
        return torch.tanh(h + template)


class Discriminator(nn.Module):
    """forward(images float32 [B,3,S,S] in [-1,1], style int64 [B]) -> realism logits float32 [B,1]."""

    def __init__(self, styles: int, size: int, d_channels: List[int], slope: float):
        super().__init__()
        self.styles = styles
        self.size = size
        self.slope = slope
        chans = [3 + styles] + list(d_channels)
        self.convs = nn.ModuleList(
            [nn.Conv2d(chans[i], chans[i + 1], 4, stride=2, padding=1, bias=True) for i in range(len(d_channels))])
        side = size >> len(d_channels)
        self.fc = nn.Linear(chans[-1] * side * side, 1)

    def forward(self, images: torch.Tensor, style: torch.Tensor) -> torch.Tensor:
        b = images.size(0)
        planes = F.one_hot(style, self.styles).to(images.dtype).reshape(b, self.styles, 1, 1)
        x = torch.cat([images, planes.expand(b, self.styles, self.size, self.size)], dim=1)
        for conv in self.convs:
            x = F.leaky_relu(conv(x), self.slope)
        return self.fc(x.flatten(1))


# ---------------------------------------------------------------- plumbing


def read_tensor(folder: str, entry: dict) -> torch.Tensor:
    dtype = {"float32": "<f4", "int64": "<i8"}[entry["dtype"]]
    data = np.fromfile(os.path.join(folder, entry["file"]), dtype=dtype)
    return torch.from_numpy(data.reshape(entry["shape"]).copy())


def load_weights(module: nn.Module, folder: str, entries: list, allowed_missing: List[str]) -> None:
    """Copies every dumped tensor into the module; fails on a missing, unexpected or misshapen one."""
    state = {e["name"]: read_tensor(folder, e) for e in entries}
    result = module.load_state_dict(state, strict=False)
    missing = [k for k in result.missing_keys if not any(k.endswith(a) for a in allowed_missing)]
    if missing or result.unexpected_keys:
        raise SystemExit("weights do not fit the architecture: missing %s, unexpected %s"
                         % (missing, result.unexpected_keys))


def max_diff(a: torch.Tensor, b: torch.Tensor) -> float:
    if tuple(a.shape) != tuple(b.shape):
        raise SystemExit("shape %s != reference %s" % (tuple(a.shape), tuple(b.shape)))
    return float((a.double() - b.double()).abs().max())


def check(label: str, diff: float, bound: float) -> None:
    print("  %-44s max |diff| %.3e (bound %.0e)" % (label, diff, bound))
    if not diff <= bound:
        raise SystemExit("%s differs from the DJL reference by %g > %g" % (label, diff, bound))


def script_save_reload(module: nn.Module, path: str) -> torch.jit.ScriptModule:
    scripted = torch.jit.script(module)
    torch.jit.save(scripted, path)
    return torch.jit.load(path)


def write_json(path: str, obj: dict) -> None:
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=2, ensure_ascii=False)
        f.write("\n")


def export_gpt(dump: str, models: str) -> None:
    folder = os.path.join(dump, "copy-gpt")
    with open(os.path.join(folder, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    a = manifest["architecture"]
    model = TinyGpt(a["vocab_size"], a["d_model"], a["heads"], a["layers"], a["context"], a["mlp_hidden"])
    load_weights(model, folder, manifest["tensors"], [])
    model.eval()

    out = os.path.join(models, "copy-gpt-torchscript", "1")
    os.makedirs(out, exist_ok=True)
    print("copy-gpt -> %s" % out)
    diffs = {}
    with torch.no_grad():
        reloaded = script_save_reload(model, os.path.join(out, "model.pt"))
        for ref in manifest["reference"]:
            tokens = read_tensor(folder, ref["tokens"])
            expected = read_tensor(folder, ref["logits"])
            shape = "x".join(str(s) for s in tokens.shape)
            for label, m in (("eager", model), ("reloaded TorchScript", reloaded)):
                d = max_diff(m(tokens), expected)
                check("logits %s, tokens %s" % (label, shape), d, MAX_LOGIT_DIFF)
                diffs[label] = max(diffs.get(label, 0.0), d)

    shutil.copyfile(os.path.join(folder, "vocab.json"), os.path.join(out, "vocab.json"))
    write_json(os.path.join(out, "config.json"), {
        "family": "torchscript",
        "modality": "TEXT",
        "id": "copy-gpt-torchscript",
        "version": "1",
        "model": "model.pt",
        "tokenizer": "vocab.json",
        "context": a["context"],
        "vocab_size": a["vocab_size"],
        "contract": {
            "forward": "forward(tokens) -> logits",
            "input": "tokens: int64 [batch, time], 1 <= time <= context, ids of vocab.json",
            "output": "logits: float32 [batch, time, vocab_size], causal (position t sees tokens 0..t)",
        },
        "parameters": sum(p.numel() for p in model.parameters()),
        "source": dict(manifest["source"], architecture=a),
        "export": {
            "tool": "training/tools/torchscript/export.py",
            "torch": torch.__version__,
            "max_abs_logit_diff_vs_djl": diffs["reloaded TorchScript"],
        },
    })


def export_gan(dump: str, models: str) -> None:
    folder = os.path.join(dump, "banner-gan")
    with open(os.path.join(folder, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    a = manifest["architecture"]
    styles = len(a["styles"])
    g = Generator(a["latentDim"], styles, a["imageSize"], a["gBase"], a["gChannels"])
    d = Discriminator(styles, a["imageSize"], a["dChannels"], a["leakySlope"])
    load_weights(g, os.path.join(folder, "generator"), manifest["generator"], ["num_batches_tracked"])
    load_weights(d, os.path.join(folder, "discriminator"), manifest["discriminator"], [])
    g.eval()
    d.eval()

    out = os.path.join(models, "banner-gan-torchscript", "1")
    os.makedirs(out, exist_ok=True)
    print("banner-gan -> %s" % out)
    ref = manifest["reference"]
    z = read_tensor(folder, ref["z"])
    style = read_tensor(folder, ref["style"])
    images = read_tensor(folder, ref["images"])
    logits = read_tensor(folder, ref["logits"])
    with torch.no_grad():
        g_ts = script_save_reload(g, os.path.join(out, "generator.pt"))
        d_ts = script_save_reload(d, os.path.join(out, "discriminator.pt"))
        for label, gm, dm in (("eager", g, d), ("reloaded TorchScript", g_ts, d_ts)):
            check("generator images %s" % label, max_diff(gm(z, style), images), MAX_IMAGE_DIFF)
            check("discriminator logits %s" % label, max_diff(dm(images, style), logits), MAX_LOGIT_DIFF)
        image_diff = max_diff(g_ts(z, style), images)
        logit_diff = max_diff(d_ts(images, style), logits)

    write_json(os.path.join(out, "config.json"), {
        "family": "torchscript",
        "modality": "IMAGE",
        "id": "banner-gan-torchscript",
        "version": "1",
        "generator": "generator.pt",
        "discriminator": "discriminator.pt",
        "latent_size": a["latentDim"],
        "image_size": a["imageSize"],
        "styles": a["styles"],
        "default_style": a["defaultStyle"],
        "contract": {
            "generator": "forward(z: float32 [batch, latent_size], style: int64 [batch] index into styles)"
                         " -> images: float32 [batch, 3, image_size, image_size] in [-1, 1] (RGB planes)",
            "discriminator": "forward(images: float32 [batch, 3, image_size, image_size] in [-1, 1],"
                             " style: int64 [batch]) -> logits: float32 [batch, 1]; realism = sigmoid(logit)",
            "latent": "z ~ N(0, 1) from the image seed (GanNetworks.latent)",
        },
        "parameters": sum(p.numel() for p in g.parameters()) + sum(p.numel() for p in d.parameters()),
        "source": dict(manifest["source"], architecture=a),
        "export": {
            "tool": "training/tools/torchscript/export.py",
            "torch": torch.__version__,
            "max_abs_image_diff_vs_djl": image_diff,
            "max_abs_logit_diff_vs_djl": logit_diff,
        },
    })


def main() -> None:
    if os.environ.get("PYTHONHASHSEED") != "0":
        # TorchScript writes some constants in set order: a fixed hash seed makes the .pt bytes reproducible
        os.execve(sys.executable, [sys.executable] + sys.argv, dict(os.environ, PYTHONHASHSEED="0"))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dump", required=True, help="directory written by ExportWeights")
    parser.add_argument("--models", required=True, help="model directory to write <id>/1/ into")
    args = parser.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(0)
    export_gpt(args.dump, args.models)
    export_gan(args.dump, args.models)
    print("done (torch %s)" % torch.__version__)


if __name__ == "__main__":
    sys.exit(main())
