"""Trains the PyTorch reference on the patches of a `daair prepare` run (dumped by DumpPatches), from the Java
trainer's initial weights: Adam, warm-up 20 steps then cosine, controller EMA after every step, uniform random
minibatches. Writes a safetensors model that `bin/daair evaluate --model` reads. It separates what the network
and the data can give in a few minutes from what the Java trainer gives.
Usage (in the folder where DumpPatches wrote init.safetensors and patches.safetensors):
  /usr/bin/python3 train_patches.py STEPS LR OUT.safetensors [BATCH]
  ONLY=0 ...      train on one degradation only (label: noise 0, rain 1, haze 2, blur 3, low light 4)
  MIX=a,b,c,d,e   draw degradations with these shares instead of as prepared
  ZERO_OUT=1      start from the identity: the output convolution's weight zeroed
  BALANCE=1       each sample's L1 divided by its input's L1 (times the mean input L1): tasks weigh alike
  LOG_L1=1        0.1 x the mean of log10(each sample's L1): every sample's relative error weighs alike
  AUX=w           the routing loss's weight (default: the model's auxLossWeight, 0.1)
  BALANCED_AUX=1  the routing loss class-balanced: each sample's cross-entropy weighted by 1 / (E x its degradation's
                  share of the draws), so the routers learn as if the five were equally common"""
import math
import os
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
import daair_ref as R

torch.set_num_threads(2)
torch.manual_seed(0)
steps, lr0, out = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
batch = int(sys.argv[4]) if len(sys.argv) > 4 else 8
warm, sigma = 20, 0.999
model = R.load_model('init.safetensors').train()
if os.environ.get('AUX'):
    model.cfg["auxLossWeight"] = float(os.environ['AUX'])
if os.environ.get('ZERO_OUT'):
    torch.nn.init.zeros_(model.output.weight)
meta = R.load_safetensors('init.safetensors')[1]
pt, _ = R.load_safetensors('patches.safetensors')
X, Y, L = pt['deg'], pt['clean'], pt['labels'].long()
if os.environ.get('ONLY'):
    keep = L == int(os.environ['ONLY'])
    X, Y, L = X[keep], Y[keep], L[keep]
weights = None
if os.environ.get('MIX'):
    share = torch.tensor([float(v) for v in os.environ['MIX'].split(',')])
    weights = (share / torch.bincount(L, minlength=len(share)).float())[L]
E0 = (X - Y).abs().mean((1, 2, 3))
class_weight = None
if os.environ.get('BALANCED_AUX'):  # 1 / (E x each degradation's share of the draws)
    degradations = model.cfg["degradations"]
    drawn = share / share.sum() if weights is not None else torch.bincount(L, minlength=degradations).float() / L.numel()
    class_weight = 1.0 / (degradations * drawn)
print('patches', X.shape[0])
opt = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=lr0, betas=(0.9, 0.999), eps=1e-8)


def lr_at(it):
    if it < warm:
        return lr0 * (it + 1) / warm
    return lr0 * 0.5 * (1 + math.cos(math.pi * (it - warm) / (steps - warm)))


start, l1s = time.time(), []
for s in range(steps):
    for g in opt.param_groups:
        g['lr'] = lr_at(s)
    idx = torch.multinomial(weights, batch, replacement=True) if weights is not None else torch.randint(0, X.shape[0], (batch,))
    if class_weight is not None:
        l1 = (model(X[idx]) - Y[idx]).abs().mean()
        w = class_weight[L[idx]]
        aux = torch.stack([(F.cross_entropy(d.last_logits, L[idx], reduction='none') * w).mean()
                           for _, d in model.routers()]).mean()
        loss = l1 + model.cfg["auxLossWeight"] * aux
    elif os.environ.get('BALANCE') or os.environ.get('LOG_L1'):  # per-sample weighting of the L1 term
        err = (model(X[idx]) - Y[idx]).abs().mean((1, 2, 3))
        aux = torch.stack([F.cross_entropy(d.last_logits, L[idx]) for _, d in model.routers()]).mean()
        l1 = err.mean()
        if os.environ.get('BALANCE'):  # relative to the input's error, scaled by the mean input error
            task = (err / E0[idx]).mean() * E0.mean()
        else:
            task = 0.1 * torch.log10(err + 1e-8).mean()
        loss = task + model.cfg["auxLossWeight"] * aux
    else:
        loss, l1, aux = R.training_loss(model, X[idx], Y[idx], L[idx])
    opt.zero_grad()
    loss.backward()
    opt.step()
    with torch.no_grad():  # controller EMA towards the mean of the level's agnostic experts
        for level, blocks in enumerate(model.dec):
            for blk in blocks:
                for name, pc in blk.controller.named_parameters():
                    mean = torch.stack([dict(eb.dale.agnostic.named_parameters())[name] for eb in model.enc[level]]).mean(0)
                    pc.mul_(sigma).add_((1 - sigma) * mean)
    l1s.append(l1.item())
    if s % 50 == 49:
        print('step %d  l1 %.4f (mean of 50)  aux %.3f  %.0f s' % (s + 1, sum(l1s[-50:]) / 50, aux.item(), time.time() - start), flush=True)
R.save_safetensors(out, {k: v.detach().contiguous() for k, v in model.state_dict().items()}, meta)
print('done in %.0f s: %s' % (time.time() - start, out))
