#!/usr/bin/python3
"""Reference PSNR/SSIM values from scikit-image for io.daair.data.metrics (PsnrTest, SsimTest).

Writes small image pairs as raw little-endian float32 in CHW order (<name>.clean.f32, <name>.test.f32)
and their scikit-image metrics to cases.tsv in daair-data/src/test/resources/metrics/.
The metrics are computed in float64 on exactly the float32 values written, with the evaluation
protocol's calls (full RGB images in [0, 1], no border crop):
  peak_signal_noise_ratio(clean, test, data_range=1)
  structural_similarity(clean, test, gaussian_weights=True, sigma=1.5, use_sample_covariance=False,
                        data_range=1, channel_axis=-1)

Rerun (Debian: apt-get install -y python3-skimage; Debian's own interpreter):
  /usr/bin/python3 tools/metrics/make_fixtures.py
"""
import os

import numpy as np
import skimage
from skimage import data, filters
from skimage.metrics import peak_signal_noise_ratio, structural_similarity

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                   "..", "..", "daair-data", "src", "test", "resources", "metrics")
rng = np.random.default_rng(20261126)


def crop(img, top, left, h, w):
    """A crop of a uint8 RGB sample photo, as float in [0, 1], HWC."""
    return img[top:top + h, left:left + w, :3].astype(np.float64) / 255.0


def protocol_noise(clean, sigma):
    """The benchmark noise protocol: clip(clean_uint8 + N(0, sigma^2), 0, 255) truncated to uint8."""
    u8 = np.round(clean * 255.0)
    noisy = np.clip(u8 + rng.normal(0.0, sigma, clean.shape), 0, 255).astype(np.uint8)
    return noisy.astype(np.float64) / 255.0


def blur(img, sigma):
    return filters.gaussian(img, sigma=sigma, channel_axis=-1, preserve_range=True)


astronaut = data.astronaut()
chelsea = data.chelsea()
coffee = data.coffee()

cases = {}
a = crop(astronaut, 30, 160, 48, 64)                      # 64 wide, 48 high
cases["astronaut_noise25_64x48"] = (a, protocol_noise(a, 25))
c = crop(chelsea, 60, 120, 23, 37)                        # 37 wide, 23 high, odd sizes
cases["chelsea_blur_37x23"] = (c, blur(c, 1.2))
m = crop(coffee, 100, 200, 11, 11)                        # the smallest size SSIM accepts
cases["coffee_noise50_11x11"] = (m, protocol_noise(m, 50))
s = crop(astronaut, 200, 200, 32, 32)
cases["astronaut_identical_32x32"] = (s, s.copy())
d = crop(coffee, 10, 10, 17, 50)                          # 50 wide, 17 high: dim and gamma (low light)
cases["coffee_dark_50x17"] = (d, np.clip(0.35 * d ** 1.6 + rng.normal(0, 0.01, d.shape), 0, 1))
u = rng.random((29, 40, 3))
cases["uniform_random_40x29"] = (u, rng.random((29, 40, 3)))

os.makedirs(OUT, exist_ok=True)
with open(os.path.join(OUT, "cases.tsv"), "w") as tsv:
    tsv.write(f"# scikit-image {skimage.__version__}, numpy {np.__version__}; written by tools/metrics/make_fixtures.py\n")
    tsv.write("name\twidth\theight\tpsnr\tssim\n")
    for name, (clean, test) in cases.items():
        # the values the Java side reads: float32, then metrics in float64 on exactly those values
        clean32 = clean.astype(np.float32)
        test32 = test.astype(np.float32)
        for suffix, img in (("clean", clean32), ("test", test32)):
            img.transpose(2, 0, 1).astype("<f4").tofile(os.path.join(OUT, f"{name}.{suffix}.f32"))
        c64, t64 = clean32.astype(np.float64), test32.astype(np.float64)
        with np.errstate(divide="ignore"):
            psnr = peak_signal_noise_ratio(c64, t64, data_range=1)
        ssim = structural_similarity(c64, t64, gaussian_weights=True, sigma=1.5, use_sample_covariance=False,
                                     data_range=1, channel_axis=-1)
        h, w = clean.shape[:2]
        tsv.write(f"{name}\t{w}\t{h}\t{psnr!r}\t{ssim!r}\n")
        print(f"{name:28s} {w}x{h}  psnr {psnr:.6f}  ssim {ssim:.6f}")
