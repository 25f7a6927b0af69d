#!/usr/bin/env bash
# Rebuilds daair-data/src/main/resources/samples/ from Debian's python3-skimage package (no installation:
# apt-get download + dpkg-deb -x). Needs apt-get (Debian/Ubuntu) and a JDK 17+.
# Which photos and their licences: daair-data/src/main/resources/samples/LICENSES.md.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$here/../../daair-data/src/main/resources/samples
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download python3-skimage >/dev/null && dpkg-deb -x python3-skimage_*.deb x)
data=$work/x/usr/lib/python3/dist-packages/skimage/data
java "$here/ShrinkSamples.java" 256 "$out/train" \
  "$data/astronaut.png" "$data/coffee.png" "$data/rocket.jpg" "$data/hubble_deep_field.jpg" "$data/ihc.png"
java "$here/ShrinkSamples.java" 256 "$out/heldout" "$data/chelsea.png" "$data/retina.jpg"
