#!/usr/bin/env python3
"""Independent PyTorch reference of DaAIR, written from docs/architecture.md alone.

The module tree gives exactly the spec's state_dict keys ("Weight names"), so a state_dict of
DaairRef is the safetensors file the Java side exports and imports.

Commands:
  counts                      parameter counts and GMACs at 224x224 for the six preset/E pairs,
                              checked against the spec's table (exit 1 on any mismatch)
  ablations                   the same counts for the Table 4 ablations (no controller, no experts)
  fixtures [--out DIR]        writes the small fixtures for the Java faithfulness test
  run WEIGHTS INPUT [--out F] loads a safetensors weights file (config from its metadata) and an
                              input file (key "input", NCHW), writes output + router probabilities
  intermediates WEIGHTS INPUT --out F
                              like run, plus every block's output (key "act.<module path>"), to
                              find the block where two implementations part ways
"""

import argparse
import json
import math
import os
import struct
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

# --------------------------------------------------------------------------------------------
# Configuration: the JSON of the Java NetConfig record (io.daair.nn.io.NetConfigJson), whose
# decBlocks list is in the spec table's order, nearest the latent first (decBlocks[0] is dec.2).
# --------------------------------------------------------------------------------------------

PRESETS = {
    "paper": dict(dim=32, encBlocks=[2, 3, 3, 2], decBlocks=[3, 3, 2], refineBlocks=2, kernel=11),
    "small": dict(dim=16, encBlocks=[1, 2, 2, 2], decBlocks=[2, 2, 1], refineBlocks=1, kernel=11),
    "tiny": dict(dim=8, encBlocks=[1, 1, 1, 1], decBlocks=[1, 1, 1], refineBlocks=1, kernel=7),
}
COMMON = dict(
    heads=[1, 2, 4, 8], ffnFactor=2.66, rankRatio=4, useExperts=True, useController=True, auxLossWeight=0.1, emaSigma=0.999
)

# Spec table: (trainable, with controllers, GMACs at 224x224)
SPEC_TABLE = {
    ("paper", 3): (5_639_892, 5_687_028, 20.53),
    ("paper", 5): (5_977_720, 6_024_856, 20.53),
    ("small", 3): (1_306_563, 1_317_447, 3.99),
    ("small", 5): (1_395_627, 1_406_511, 3.99),
    ("tiny", 3): (224_058, 225_332, 0.80),
    ("tiny", 5): (234_672, 235_946, 0.80),
}


def preset(name, degradations):
    cfg = dict(COMMON)
    cfg.update(PRESETS[name])
    cfg["degradations"] = degradations
    return cfg


# --------------------------------------------------------------------------------------------
# Blocks
# --------------------------------------------------------------------------------------------


def conv1x1(cin, cout):
    return nn.Conv2d(cin, cout, 1, bias=False)


def dwconv(c, k):
    return nn.Conv2d(c, c, k, padding=k // 2, groups=c, bias=False)


def gelu(x):
    return 0.5 * x * (1.0 + torch.erf(x / math.sqrt(2.0)))


class LayerNorm(nn.Module):
    """Per-pixel LayerNorm over channels, biased variance, eps 1e-5."""

    def __init__(self, c):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(c))
        self.bias = nn.Parameter(torch.zeros(c))

    def forward(self, x):
        mu = x.mean(1, keepdim=True)
        var = ((x - mu) ** 2).mean(1, keepdim=True)
        return (x - mu) / torch.sqrt(var + 1e-5) * self.weight[None, :, None, None] + self.bias[None, :, None, None]


def channel_attention(q, k, v, heads, temperature):
    b, c, h, w = q.shape
    q = q.reshape(b, heads, c // heads, h * w)  # [B, heads, C/heads, H*W]
    k = k.reshape(b, heads, c // heads, h * w)
    v = v.reshape(b, heads, c // heads, h * w)
    q = F.normalize(q, dim=-1, eps=1e-12)
    k = F.normalize(k, dim=-1, eps=1e-12)
    attn = torch.softmax((q @ k.transpose(-2, -1)) * temperature, dim=-1)  # [B, heads, C/h, C/h]
    return (attn @ v).reshape(b, c, h, w)


class Mdta(nn.Module):
    def __init__(self, c, heads):
        super().__init__()
        self.heads = heads
        self.temperature = nn.Parameter(torch.ones(heads, 1, 1))
        self.qkv = conv1x1(c, 3 * c)
        self.qkv_dw = dwconv(3 * c, 3)
        self.proj = conv1x1(c, c)

    def forward(self, x):
        q, k, v = self.qkv_dw(self.qkv(x)).chunk(3, dim=1)
        return self.proj(channel_attention(q, k, v, self.heads, self.temperature))


class CrossMdta(nn.Module):
    def __init__(self, c, r, heads):
        super().__init__()
        self.heads = heads
        self.temperature = nn.Parameter(torch.ones(heads, 1, 1))
        self.qv = conv1x1(c, 2 * c)
        self.qv_dw = dwconv(2 * c, 3)
        self.k = conv1x1(r, c)
        self.k_dw = dwconv(c, 3)
        self.proj = conv1x1(c, c)

    def forward(self, f, ctrl):
        q, v = self.qv_dw(self.qv(f)).chunk(2, dim=1)
        k = self.k_dw(self.k(ctrl))
        return self.proj(channel_attention(q, k, v, self.heads, self.temperature))


class Gdfn(nn.Module):
    def __init__(self, c, expansion):
        super().__init__()
        hidden = int(math.floor(c * expansion))
        self.project_in = conv1x1(c, 2 * hidden)
        self.dw = dwconv(2 * hidden, 3)
        self.project_out = conv1x1(hidden, c)

    def forward(self, x):
        x1, x2 = self.dw(self.project_in(x)).chunk(2, dim=1)
        return self.project_out(gelu(x1) * x2)


class Expert(nn.Module):
    """Convolutional modulation in rank space (agnostic, specialists, controller)."""

    def __init__(self, c, r, kernel):
        super().__init__()
        self.down = conv1x1(c, r)
        self.a = conv1x1(r, r)
        self.a_dw = dwconv(r, kernel)
        self.v = conv1x1(r, r)
        self.out = conv1x1(r, r)

    def forward(self, x):
        u = self.down(x)
        return self.out(self.a_dw(gelu(self.a(u))) * self.v(u))


class DaLe(nn.Module):
    """Degradation-aware Learner: router, agnostic expert, top-1 specialist per sample, up."""

    def __init__(self, c, r, kernel, degradations):
        super().__init__()
        self.router = nn.Linear(c, degradations)
        self.agnostic = Expert(c, r, kernel)
        self.specialists = nn.ModuleList([Expert(c, r, kernel) for _ in range(degradations)])
        self.up = conv1x1(r, c)
        self.last_logits = None

    def forward(self, a):
        logits = self.router(a.mean(dim=(2, 3)))  # [B, E]
        self.last_logits = logits
        p = torch.softmax(logits, dim=1)
        gate, idx = p.max(dim=1)  # ties: first index
        fa = self.agnostic(a)
        fs = torch.zeros_like(fa)
        for e, specialist in enumerate(self.specialists):
            rows = (idx == e).nonzero(as_tuple=True)[0]
            if rows.numel() == 0:
                continue
            fs[rows] = gate[rows, None, None, None] * specialist(a[rows])  # only its sub-batch
        return self.up(fs * fa)


class EncoderBlock(nn.Module):
    """a = LN1(x); x = x + MDTA(a + DaLe(a)); x = x + GDFN(LN2(x)). Without experts: MDTA(a)."""

    def __init__(self, c, cfg):
        super().__init__()
        r = c // cfg["rankRatio"]
        self.norm1 = LayerNorm(c)
        if cfg["useExperts"]:
            self.dale = DaLe(c, r, cfg["kernel"], cfg["degradations"])
        self.attn = Mdta(c, cfg["heads_c"][c])
        self.norm2 = LayerNorm(c)
        self.ffn = Gdfn(c, cfg["ffnFactor"])

    def forward(self, x):
        a = self.norm1(x)
        f = a + self.dale(a) if hasattr(self, "dale") else a
        x = x + self.attn(f)
        return x + self.ffn(self.norm2(x))


class DecoderBlock(nn.Module):
    """a = LN1(x); x = x + CrossMDTA(a + DaLe(a), Controller(a)); x = x + GDFN(LN2(x)).

    Ablations: without a controller the attention is MDTA(a + DaLe(a)); without experts MDTA(a).
    """

    def __init__(self, c, cfg):
        super().__init__()
        r = c // cfg["rankRatio"]
        self.norm1 = LayerNorm(c)
        if cfg["useExperts"]:
            self.dale = DaLe(c, r, cfg["kernel"], cfg["degradations"])
        if cfg["useController"]:
            self.controller = Expert(c, r, cfg["kernel"])
            for p in self.controller.parameters():
                p.requires_grad_(False)
            self.attn = CrossMdta(c, r, cfg["heads_c"][c])
        else:
            self.attn = Mdta(c, cfg["heads_c"][c])
        self.norm2 = LayerNorm(c)
        self.ffn = Gdfn(c, cfg["ffnFactor"])

    def forward(self, x):
        a = self.norm1(x)
        f = a + self.dale(a) if hasattr(self, "dale") else a
        x = x + (self.attn(f, self.controller(a)) if hasattr(self, "controller") else self.attn(f))
        return x + self.ffn(self.norm2(x))


class PlainBlock(nn.Module):
    def __init__(self, c, cfg):
        super().__init__()
        self.norm1 = LayerNorm(c)
        self.attn = Mdta(c, cfg["heads_c"][c])
        self.norm2 = LayerNorm(c)
        self.ffn = Gdfn(c, cfg["ffnFactor"])

    def forward(self, x):
        x = x + self.attn(self.norm1(x))
        return x + self.ffn(self.norm2(x))


def conv3x3(cin, cout):
    return nn.Conv2d(cin, cout, 3, padding=1, bias=False)


class DaairRef(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        cfg = dict(cfg)
        self.cfg = cfg
        dim = cfg["dim"]
        chans = [dim * 2**l for l in range(4)]
        cfg["heads_c"] = dict(zip(chans, cfg["heads"]))
        self.embed = conv3x3(3, dim)
        self.enc = nn.ModuleList(
            [nn.ModuleList([EncoderBlock(chans[l], cfg) for _ in range(cfg["encBlocks"][l])]) for l in range(4)]
        )
        self.down = nn.ModuleList(
            [nn.Sequential(conv3x3(chans[l], chans[l] // 2), nn.PixelUnshuffle(2)) for l in range(3)]
        )
        self.up = nn.ModuleList(
            [nn.Sequential(conv3x3(chans[l + 1], 2 * chans[l + 1]), nn.PixelShuffle(2)) for l in range(3)]
        )
        self.fuse = nn.ModuleList([conv1x1(2 * chans[l], chans[l]) for l in range(3)])
        self.dec = nn.ModuleList(
            [nn.ModuleList([DecoderBlock(chans[l], cfg) for _ in range(cfg["decBlocks"][2 - l])]) for l in range(3)]
        )
        self.refine = nn.ModuleList([PlainBlock(dim, cfg) for _ in range(cfg["refineBlocks"])])
        self.output = conv3x3(dim, 3)
        self.acts = None  # when a dict, forward records every block's output under its module path

    def _record(self, name, x):
        if self.acts is not None:
            self.acts["act." + name] = x.detach().clone()
        return x

    def forward(self, img):
        x = self._record("embed", self.embed(img))
        skips = []
        for l in range(4):
            for i, block in enumerate(self.enc[l]):
                x = self._record(f"enc.{l}.{i}", block(x))
            if l < 3:
                skips.append(x)
                x = self._record(f"down.{l}", self.down[l](x))
        for l in (2, 1, 0):
            x = self._record(f"up.{l}", self.up[l](x))
            x = self._record(f"fuse.{l}", self.fuse[l](torch.cat([x, skips[l]], dim=1)))
            for i, block in enumerate(self.dec[l]):
                x = self._record(f"dec.{l}.{i}", block(x))
        for i, block in enumerate(self.refine):
            x = self._record(f"refine.{i}", block(x))
        return self.output(x) + img

    def routers(self):
        """(path, DaLe) for every DaLe, encoder blocks first, then decoder blocks, by index."""
        return [(n[: -len(".dale")], m) for n, m in self.named_modules() if isinstance(m, DaLe)]

    def router_probs(self):
        """Per-router softmax probabilities of the last forward, and their mean over routers [B, E]."""
        per = {path: torch.softmax(d.last_logits, dim=1) for path, d in self.routers()}
        return per, torch.stack(list(per.values())).mean(0) if per else None


# --------------------------------------------------------------------------------------------
# Counting: parameters and MACs (convolutions, linears, the two attention matmuls, B = 1)
# --------------------------------------------------------------------------------------------


def count_params(model):
    ctrl = sum(p.numel() for n, p in model.named_parameters() if ".controller." in n)
    total = sum(p.numel() for p in model.parameters())
    return total - ctrl, total


def count_gmacs(model, size=224):
    macs = [0]
    hooks = []

    def conv_hook(m, inp, out):
        macs[0] += out.numel() * (m.in_channels // m.groups) * m.kernel_size[0] * m.kernel_size[1]

    def linear_hook(m, inp, out):
        macs[0] += m.in_features * m.out_features * out.shape[0]

    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            hooks.append(m.register_forward_hook(conv_hook))
        elif isinstance(m, nn.Linear):
            hooks.append(m.register_forward_hook(linear_hook))

    def attn_hook(m, inp, out):
        # q k^T and attn v: each heads * (C/h)^2 * HW = C^2/h * HW
        c, hw = out.shape[1], out.shape[2] * out.shape[3]
        macs[0] += 2 * c * c // m.heads * hw

    for m in model.modules():
        if isinstance(m, (Mdta, CrossMdta)):
            hooks.append(m.register_forward_hook(attn_hook))
    with torch.no_grad():
        model(torch.rand(1, 3, size, size))
    for h in hooks:
        h.remove()
    return macs[0] / 1e9


# --------------------------------------------------------------------------------------------
# safetensors (no dependency: 8-byte LE header length, JSON header, raw little-endian data)
# --------------------------------------------------------------------------------------------

DTYPES = {"F32": np.float32, "F64": np.float64, "I64": np.int64, "I32": np.int32}


def save_safetensors(path, tensors, metadata=None):
    header, blobs, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = {k: str(v) for k, v in metadata.items()}
    for name in sorted(tensors):
        arr = np.ascontiguousarray(tensors[name].detach().cpu().numpy() if torch.is_tensor(tensors[name]) else tensors[name])
        dtype = next(k for k, v in DTYPES.items() if arr.dtype == v)
        data = arr.astype(arr.dtype.newbyteorder("<"), copy=False).tobytes()
        header[name] = {"dtype": dtype, "shape": list(arr.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    raw = json.dumps(header, separators=(",", ":")).encode("utf-8")
    raw += b" " * (-len(raw) % 8)  # pad so that the data starts 8-byte aligned
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for b in blobs:
            f.write(b)
    os.replace(tmp, path)


def load_safetensors(path):
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n).decode("utf-8"))
        data = f.read()
    meta = header.pop("__metadata__", {})
    out = {}
    for name, info in header.items():
        b, e = info["data_offsets"]
        arr = np.frombuffer(data[b:e], dtype=np.dtype(DTYPES[info["dtype"]]).newbyteorder("<"))
        out[name] = torch.from_numpy(arr.astype(DTYPES[info["dtype"]]).reshape(info["shape"]).copy())
    return out, meta


# --------------------------------------------------------------------------------------------
# Commands
# --------------------------------------------------------------------------------------------


def cmd_counts(_args):
    ok = True
    print(f"{'preset':6} {'E':>2} {'trainable':>10} {'spec':>10} {'w/ ctrl':>10} {'spec':>10} {'GMACs':>7} {'spec':>6}")
    for (name, e), (tr, wc, gm) in SPEC_TABLE.items():
        torch.manual_seed(0)
        model = DaairRef(preset(name, e)).eval()
        trainable, total = count_params(model)
        gmacs = count_gmacs(model)
        good = trainable == tr and total == wc and abs(gmacs - gm) < 0.005
        ok &= good
        print(f"{name:6} {e:>2} {trainable:>10,} {tr:>10,} {total:>10,} {wc:>10,} {gmacs:>7.2f} {gm:>6.2f} {'ok' if good else 'MISMATCH'}")
    print("all counts match the spec table" if ok else "COUNTS DIFFER FROM THE SPEC TABLE")
    return 0 if ok else 1


def cmd_ablations(_args):
    """Counts of the paper's Table 4 ablations (no spec table: printed for cross-checking `info`)."""
    print(f"{'preset':6} {'E':>2} {'ablation':14} {'trainable':>10} {'w/ ctrl':>10} {'GMACs':>7}")
    for name in ("tiny", "small", "paper"):
        for e in (3, 5):
            for label, switches in (
                ("full", {}),
                ("no-controller", dict(useController=False)),
                ("no-experts", dict(useExperts=False, useController=False)),
            ):
                cfg = dict(preset(name, e), **switches)
                model = DaairRef(cfg).eval()
                trainable, total = count_params(model)
                print(f"{name:6} {e:>2} {label:14} {trainable:>10,} {total:>10,} {count_gmacs(model):>7.3f}")
    return 0


def fixture_input():
    """Two 32x32 RGB images in [0, 1]: a smooth colour ramp with noise, and stripes with a dark corner."""
    g = torch.Generator().manual_seed(1234)
    yy, xx = torch.meshgrid(torch.linspace(0, 1, 32), torch.linspace(0, 1, 32), indexing="ij")
    ramp = torch.stack([xx, yy, 0.5 * (xx + yy)])
    a = (ramp + 0.15 * torch.randn(3, 32, 32, generator=g)).clamp(0, 1)
    stripes = 0.5 + 0.4 * torch.sin(xx * 25.0)[None].repeat(3, 1, 1) * torch.tensor([1.0, 0.6, 0.3])[:, None, None]
    b = (stripes * (0.3 + 0.7 * (xx + yy).clamp(0, 1))).clamp(0, 1)
    return torch.stack([a, b]).float()


def randomise(model, seed):
    """Seeded weights: PyTorch default inits, norms and temperatures moved off 1/0, routers sharpened."""
    torch.manual_seed(seed)
    for m in model.modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            m.reset_parameters()
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("norm1.weight") or name.endswith("norm2.weight"):
                p.copy_(1.0 + 0.3 * torch.randn_like(p))
            elif name.endswith("norm1.bias") or name.endswith("norm2.bias"):
                p.copy_(0.3 * torch.randn_like(p))
            elif name.endswith("temperature"):
                p.copy_(0.5 + 2.0 * torch.rand_like(p))
            elif ".router." in name:
                p.mul_(8.0)


def router_margin(model):
    """Smallest gap between the top-1 and top-2 router probability, over routers and images."""
    per, _ = model.router_probs()
    gaps = [(p.topk(2, dim=1).values[:, 0] - p.topk(2, dim=1).values[:, 1]).min().item() for p in per.values()]
    return min(gaps)


def split_routes(model):
    """Number of routers that send the two images to different specialists."""
    per, _ = model.router_probs()
    return sum(int(p.argmax(1)[0] != p.argmax(1)[1]) for p in per.values())


def make_fixture(out_dir, stem, cfg, x):
    """Searches seeds for well-separated routing decisions (no near ties) that differ between images."""
    for seed in range(100):
        model = DaairRef(cfg).eval()
        randomise(model, seed)
        with torch.no_grad():
            y = model(x)
        if router_margin(model) > 0.02 and split_routes(model) >= 2:
            break
    else:
        raise SystemExit("no seed gave well-separated routing")
    per, mean = model.router_probs()
    meta = {"daair.config": json.dumps(cfg, separators=(",", ":")), "daair.seed": str(seed)}
    save_safetensors(os.path.join(out_dir, f"{stem}.safetensors"), model.state_dict(), meta)
    expected = {"output": y, "probabilities": mean}
    expected.update({f"router.{path}": p for path, p in per.items()})
    save_safetensors(os.path.join(out_dir, f"{stem}-expected.safetensors"), expected, {"daair.seed": str(seed)})
    residual = (y - x).abs()
    print(
        f"{stem}: seed {seed}, {sum(p.numel() for p in model.parameters()):,} params, "
        f"router margin {router_margin(model):.3f}, routers splitting the batch {split_routes(model)}/"
        f"{len(per)}, |out - in| mean {residual.mean():.3f} max {residual.max():.3f}"
    )
    print(f"  routes image0 {[int(p.argmax(1)[0]) for p in per.values()]} image1 {[int(p.argmax(1)[1]) for p in per.values()]}")


def cmd_fixtures(args):
    os.makedirs(args.out, exist_ok=True)
    x = fixture_input()
    save_safetensors(os.path.join(args.out, "input-2x3x32x32.safetensors"), {"input": x})
    make_fixture(args.out, "tiny-e5", preset("tiny", 5), x)
    custom = dict(preset("tiny", 3), dim=4, kernel=3)  # a small custom configuration, E = 3
    make_fixture(args.out, "custom-dim4-e3", custom, x)
    return 0


def training_loss(model, x, clean, labels):
    """The spec's loss: mean |out - clean| + lambda * mean over routers of CrossEntropy(logits, label)."""
    l1 = (model(x) - clean).abs().mean()
    ce = [F.cross_entropy(d.last_logits, labels) for _, d in model.routers()]
    aux = torch.stack(ce).mean() if ce else torch.zeros(())
    return l1 + model.cfg["auxLossWeight"] * aux, l1, aux


def cmd_gradients(args):
    """For each fixture network: the training loss on the fixture input and d loss / d every parameter."""
    x = load_safetensors(os.path.join(args.out, "input-2x3x32x32.safetensors"))[0]["input"].float()
    clean = x.flip(3)  # a target the network is far from: the mirrored images
    for stem in ("tiny-e5", "custom-dim4-e3"):
        state, meta = load_safetensors(os.path.join(args.out, f"{stem}.safetensors"))
        model = load_model(os.path.join(args.out, f"{stem}.safetensors")).train()
        e = model.cfg["degradations"]
        labels = torch.tensor([2, e - 1])  # haze/lowlight (E = 5), rain/haze (E = 3)
        loss, l1, aux = training_loss(model, x, clean, labels)
        loss.backward()
        grads = {n: (p.grad if p.grad is not None else torch.zeros_like(p)) for n, p in model.named_parameters()}
        grads.update({n: torch.zeros_like(v) for n, v in state.items() if n not in grads})  # controllers: none
        save_safetensors(os.path.join(args.out, f"{stem}-gradients.safetensors"), grads, {"daair.config": meta["daair.config"]})
        values = {"clean": clean, "labels": F.one_hot(labels, e).float(), "loss": loss.detach().reshape(1),
                  "l1_loss": l1.detach().reshape(1), "aux_loss": aux.detach().reshape(1)}
        save_safetensors(os.path.join(args.out, f"{stem}-loss.safetensors"), values)
        print(f"{stem}: loss {loss.item():.6f} (L1 {l1.item():.6f}, aux {aux.item():.6f}), {len(grads)} gradients")
    return 0


def load_model(weights):
    state, meta = load_safetensors(weights)
    if "daair.config" not in meta:
        raise SystemExit(f"{weights}: no daair.config in __metadata__")
    model = DaairRef(json.loads(meta["daair.config"])).eval()
    model.load_state_dict(state, strict=True)
    return model


def cmd_run(args, intermediates=False):
    model = load_model(args.weights)
    x = load_safetensors(args.input)[0]["input"].float()
    if intermediates:
        model.acts = {}
    with torch.no_grad():
        y = model(x)
    per, mean = model.router_probs()
    out = {"output": y, "probabilities": mean}
    out.update({f"router.{path}": p for path, p in per.items()})
    if intermediates:
        out.update(model.acts)
    save_safetensors(args.out, out)
    print(f"wrote {args.out}: output {tuple(y.shape)}, probabilities {mean.tolist()}")
    return 0


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="cmd", required=True)
    sub.add_parser("counts")
    sub.add_parser("ablations")
    here = os.path.dirname(os.path.abspath(__file__))
    default_out = os.path.join(here, "..", "..", "daair-nn", "src", "main", "resources", "io", "daair", "nn", "reference")
    for name in ("fixtures", "gradients"):
        p = sub.add_parser(name)
        p.add_argument("--out", default=os.path.normpath(default_out))
    for name in ("run", "intermediates"):
        p = sub.add_parser(name)
        p.add_argument("weights")
        p.add_argument("input")
        p.add_argument("--out", default="reference-output.safetensors")
    args = parser.parse_args(argv)
    torch.set_num_threads(2)
    if args.cmd == "counts":
        return cmd_counts(args)
    if args.cmd == "ablations":
        return cmd_ablations(args)
    if args.cmd == "fixtures":
        return cmd_fixtures(args)
    if args.cmd == "gradients":
        return cmd_gradients(args)
    return cmd_run(args, intermediates=args.cmd == "intermediates")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
