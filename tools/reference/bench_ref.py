#!/usr/bin/env python3
"""The PyTorch reference's side of `daair bench nn --vs-pytorch`: NnBench's measurement on DaairRef.

The same definitions as io.daair.nn.bench.NnBench: seeded random images and labels (speed does not
depend on content), one warm-up, then the medians of STEPS timed Adam training steps (the spec's loss
L1 + 0.1 * mean router CE, then the controller EMA) and of STEPS forward passes of one image under
torch.no_grad; wall and process CPU seconds (all threads); peak RSS = VmHWM of /proc/self/status
(-1 where that file does not exist). Prints one JSON line with the field names of NnBench.Result.

Usage: /usr/bin/python3 bench_ref.py PRESET [--degradations 5] [--batch 8] [--crop 128]
                                      [--inference-size 256] [--steps 5] [--threads 2]
"""

import argparse
import json
import statistics
import sys
import time

import torch

import daair_ref as R

ADAM = dict(lr=2e-4, betas=(0.9, 0.999), eps=1e-8)  # OptimConfig.defaults: the cosine over 10^6 steps is flat here
EMA_SIGMA = 0.999


def controller_ema(model):
    """Every decoder block's controller <- sigma * controller + (1 - sigma) * mean of its level's agnostic experts."""
    with torch.no_grad():
        for level, blocks in enumerate(model.dec):
            agnostic = [dict(b.dale.agnostic.named_parameters()) for b in model.enc[level]]
            for block in blocks:
                for name, p in block.controller.named_parameters():
                    mean = torch.stack([a[name] for a in agnostic]).mean(0)
                    p.mul_(EMA_SIGMA).add_((1 - EMA_SIGMA) * mean)


def timed(steps, run):
    """Median wall and process CPU seconds of `steps` runs after one warm-up run."""
    run()
    wall, cpu = [], []
    for _ in range(steps):
        w, c = time.perf_counter(), time.process_time()
        run()
        wall.append(time.perf_counter() - w)
        cpu.append(time.process_time() - c)
    return statistics.median(wall), statistics.median(cpu)


def peak_rss():
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return -1


def bench(name, degradations, batch, crop, inference_size, steps):
    torch.manual_seed(1)
    cfg = R.preset(name, degradations)
    model = R.DaairRef(cfg).train()
    degraded, clean = torch.rand(batch, 3, crop, crop), torch.rand(batch, 3, crop, crop)
    labels = torch.randint(0, degradations, (batch,))
    image = torch.rand(1, 3, inference_size, inference_size)
    opt = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], **ADAM)

    def step():
        loss, _, _ = R.training_loss(model, degraded, clean, labels)
        opt.zero_grad()
        loss.backward()
        opt.step()
        controller_ema(model)

    def infer():
        with torch.no_grad():
            model(image).numpy()

    train_wall, train_cpu = timed(steps, step)
    infer_wall, infer_cpu = timed(steps, infer)
    return {
        "preset": name,
        "batch": batch,
        "crop": crop,
        "trainStepSeconds": train_wall,
        "trainStepCpuSeconds": train_cpu,
        "inferenceSize": inference_size,
        "inferenceSeconds": infer_wall,
        "inferenceCpuSeconds": infer_cpu,
        "peakRssBytes": peak_rss(),
    }


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("preset", choices=sorted(R.PRESETS))
    parser.add_argument("--degradations", type=int, default=5)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--crop", type=int, default=128)
    parser.add_argument("--inference-size", type=int, default=256)
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    a = parser.parse_args(argv)
    if a.steps < 1 or a.crop % 8 or a.inference_size % 8:
        parser.error(f"need steps >= 1 and crop, inference size multiples of 8, got steps={a.steps} "
                     f"crop={a.crop} inference={a.inference_size}")
    torch.set_num_threads(a.threads)
    print(json.dumps(bench(a.preset, a.degradations, a.batch, a.crop, a.inference_size, a.steps)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
