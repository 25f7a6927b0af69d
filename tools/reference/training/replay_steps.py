"""Replays JavaSteps' run in the PyTorch reference: same initial weights, same batches, Adam with the
same warm-up + cosine schedule, controller EMA after every step; prints both losses per step.
Usage: /usr/bin/python3 replay_steps.py N LR   (in the folder where JavaSteps wrote its files)"""
import os
import math
import sys

import torch
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
import daair_ref as R
torch.set_num_threads(2)
steps, lr0, warm = int(sys.argv[1]), float(sys.argv[2]), 5
model = R.load_model('init.safetensors').train()
bt, _ = R.load_safetensors('batches.safetensors')
params = [p for p in model.parameters() if p.requires_grad]
opt = torch.optim.Adam(params, lr=lr0, betas=(0.9, 0.999), eps=1e-8)
def lr_at(it):
    if it < warm: return lr0 * (it + 1) / warm
    return lr0 * 0.5 * (1 + math.cos(math.pi * (it - warm) / (steps - warm)))
sigma = 0.999
java = [list(map(float, l.split()[1:])) for l in open('java-losses.txt')]
for s in range(steps):
    for g in opt.param_groups: g['lr'] = lr_at(s)
    x, y, lab = bt['deg.%03d' % s], bt['clean.%03d' % s], bt['labels.%03d' % s].long()
    loss, _, aux = R.training_loss(model, x, y, lab)
    opt.zero_grad(); loss.backward(); opt.step()
    with torch.no_grad():
        for l, blocks in enumerate(model.dec):
            for blk in blocks:
                for name, pc in blk.controller.named_parameters():
                    mean = torch.stack([dict(eb.dale.agnostic.named_parameters())[name] for eb in model.enc[l]]).mean(0)
                    pc.mul_(sigma).add_((1 - sigma) * mean)
    print('step %d torch %.5f aux %.4f | java %.5f aux %.4f' % (s, loss.item(), aux.item(), java[s][0], java[s][1]))
