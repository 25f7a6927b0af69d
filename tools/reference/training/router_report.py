"""Which expert each DaLe router of a model picks for hazy or blurred photos, router by router, and the PSNR of
input and output: where `bin/daair evaluate` reports one routing decision per image (the routers' mean
probabilities), this shows which routers decide it.
Haze and blur are drawn as the Java degraders draw them (HazeDegrader: scattering model with the vertical depth
proxy; BlurDegrader: 64-step camera-shake trajectories of 5-17 px), with this script's own random draws, so the
inputs are not the evaluate job's.
Needs Debian's python3-torch and python3-pil. Usage:
  /usr/bin/python3 router_report.py MODEL.safetensors haze|blur FOLDER_OF_PNG [DRAWS_PER_PHOTO]
One line per draw (the photo, each router's pick by its first letter in `routers()` order, the mean's pick and
its probability), then each router's share of right picks, the mean's, and the mean input and output PSNR."""
import glob
import math
import os
import random
import sys

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
import daair_ref as R

NAMES = ['noise', 'rain', 'haze', 'blur', 'lowlight']


def quantise(img):
    return np.round(np.clip(img, 0, 1) * 255) / 255


def haze(img, rng):
    beta, airlight, far = rng.uniform(0.04, 0.2), rng.uniform(0.8, 1.0), rng.uniform(8, 16)
    h = img.shape[1]
    up = 1 - np.arange(h) / (h - 1)
    t = np.exp(-beta * (1 + (far - 1) * up ** 0.7))[None, :, None]
    return quantise(img * t + airlight * (1 - t))


def blur(img, rng):
    length, angle = rng.uniform(5, 17), rng.uniform(0, 2 * math.pi)
    xs, ys = [0.0], [0.0]
    for _ in range(64):
        angle += 0.15 * rng.gauss(0, 1)
        xs.append(xs[-1] + length / 64 * math.cos(angle))
        ys.append(ys[-1] + length / 64 * math.sin(angle))
    half = int(math.ceil(length / 2)) + 1
    k = np.zeros((2 * half + 1, 2 * half + 1))
    for x, y in zip(np.array(xs) - np.mean(xs) + half, np.array(ys) - np.mean(ys) + half):
        x0, y0, fx, fy = int(x), int(y), x - int(x), y - int(y)
        k[y0, x0] += (1 - fx) * (1 - fy)
        k[y0, x0 + 1] += fx * (1 - fy)
        k[y0 + 1, x0] += (1 - fx) * fy
        k[y0 + 1, x0 + 1] += fx * fy
    kernel = torch.tensor(k / k.sum(), dtype=torch.float32)[None, None].repeat(3, 1, 1, 1)
    padded = F.pad(torch.tensor(img, dtype=torch.float32)[None], (half,) * 4, mode='reflect')
    return quantise(F.conv2d(padded, kernel, groups=3)[0].numpy())


def psnr(a, b):
    return -10 * math.log10(float(((a - b) ** 2).mean()))


def main():
    model = R.load_model(sys.argv[1]).eval()
    kind = sys.argv[2]
    degrade = {'haze': haze, 'blur': blur}[kind]
    draws = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    rng = random.Random(1)
    right, pin, pout = {}, [], []
    for path in sorted(glob.glob(os.path.join(sys.argv[3], '*.png'))):
        clean = np.asarray(Image.open(path).convert('RGB'), dtype=np.float32).transpose(2, 0, 1) / 255
        for _ in range(draws):
            x = torch.tensor(degrade(clean, rng), dtype=torch.float32)[None]
            with torch.no_grad():
                y = model(x).clamp(0, 1)
            per, mean = model.router_probs()
            c = torch.tensor(clean)[None]
            pin.append(psnr(x, c))
            pout.append(psnr(y, c))
            picks = ''
            for name, p in per.items():
                pick = NAMES[int(p[0].argmax())]
                picks += pick[0]
                right.setdefault(name, []).append(pick == kind)
            decided = NAMES[int(mean[0].argmax())]
            right.setdefault('mean', []).append(decided == kind)
            print('%-20s %s  %s %.2f' % (os.path.basename(path), picks, decided, float(mean[0].max())))
    print('routed right: ' + ' '.join('%s %.0f%%' % (k, 100 * np.mean(v)) for k, v in right.items()))
    print('PSNR %s input %.2f -> output %.2f dB' % (kind, np.mean(pin), np.mean(pout)))


if __name__ == '__main__':
    main()
