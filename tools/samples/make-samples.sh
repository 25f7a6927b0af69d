#!/usr/bin/env bash
# Rebuilds daair-data/src/main/resources/samples/{train,heldout}/ from Debian packages (no installation:
# apt-get download + dpkg-deb -x of the exact versions below; run `apt-get update` first). Needs apt-get
# (Debian 12 "bookworm" or a mirror that still has these versions) and a JDK 17+ for ShrinkSamples.java.
# Training photos are shrunk to at most 256 px on the long side; held-out photos are centre-cropped square
# and shrunk to 256x256. Which photos, their authors and licences: daair-data/src/main/resources/samples/LICENSES.md.
# Do not add photos from the opencv, palapeli, libjxl, matplotlib or cimg packages: they are kept for
# independent checks of the demo's model.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$here/../../daair-data/src/main/resources/samples
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# package=version, extracted to $work/<package>/
packages=(
  python3-skimage=0.19.3-8
  lomiri-wallpapers-16.04=20.04.0-2
  lomiri-wallpapers-20.04=20.04.0-2
  mate-backgrounds=1.26.0-1
  lxqt-themes=1.2.0-1
  plasma-workspace-wallpapers=4:5.27.5-2
)
for spec in "${packages[@]}"; do
  pkg=${spec%%=*}
  mkdir -p "$work/$pkg"
  if ! (cd "$work/$pkg" && apt-get download "$spec" >/dev/null); then
    echo "cannot download $spec: run apt-get update, or use a Debian 12 mirror that has this version" >&2
    exit 3
  fi
  dpkg-deb -x "$work/$pkg"/*.deb "$work/$pkg/x"
done

skimage=$work/python3-skimage/x/usr/lib/python3/dist-packages/skimage/data
lomiri16=$work/lomiri-wallpapers-16.04/x/usr/share/backgrounds
lomiri20=$work/lomiri-wallpapers-20.04/x/usr/share/backgrounds
mate=$work/mate-backgrounds/x/usr/share/backgrounds/mate
lxqt=$work/lxqt-themes/x/usr/share/lxqt/wallpapers
plasma=$work/plasma-workspace-wallpapers/x/usr/share/wallpapers

java "$here/ShrinkSamples.java" 256 "$work/samples/train" \
  "$skimage/astronaut.png" \
  "$skimage/coffee.png" \
  "$lomiri16/Bridge_by_Sander_Klootwijk.jpg=bridge" \
  "$lomiri16/Dragonfly_by_Bolly.jpg=dragonfly" \
  "$lomiri16/Picture_1A_by_freespace.jpg=brushes" \
  "$lomiri16/free_by_Peter_Nerlich.jpg=lamps" \
  "$lomiri16/picosdeeuropa_by_Aitzol_Berasategi.jpg=mountain_path" \
  "$lomiri16/seeding_by_Clements_Engelhardt.jpg=dandelions" \
  "$lomiri16/sunset_by_Aitzol_Berasategi.jpg=sunset" \
  "$lomiri20/Kleiber_by_Lukas_Baubkus.jpg=nuthatch" \
  "$mate/nature/Blinds.jpg=leaf" \
  "$mate/nature/Aqua.jpg=water_drop" \
  "$mate/nature/Dune.jpg=dune" \
  "$mate/nature/FreshFlower.jpg=orange_flower" \
  "$mate/nature/GreenMeadow.jpg=grass" \
  "$mate/nature/RainDrops.jpg=raindrops" \
  "$mate/nature/TwoWings.jpg=seed_head" \
  "$mate/nature/YellowFlower.jpg=yellow_flower" \
  "$lxqt/Butterfly-Kenneth-Wimer.jpg=small_butterfly" \
  "$lxqt/after-the-rain.jpg=clouds_at_dusk" \
  "$lxqt/fog.jpg=fog" \
  "$lxqt/appleflower.png=apple_blossom" \
  "$lxqt/flowers.png=meadow_flowers" \
  "$plasma/BytheWater/contents/images/2560x1600.jpg=jetty" \
  "$plasma/FallenLeaf/contents/images/2560x1600.jpg=fallen_leaf" \
  "$plasma/OneStandsOut/contents/images/2560x1600.jpg=moss" \
  "$plasma/summer_1am/contents/images/2560x1600.jpg=lake_at_night"

java "$here/ShrinkSamples.java" --square 256 "$work/samples/heldout" \
  "$skimage/chelsea.png" \
  "$lomiri16/friends_by_Aitzol_Berasategi.jpg=dogs" \
  "$lomiri16/Picture_0B_by_freespace.jpg=fig" \
  "$lomiri16/aitzgorri_by_Aitzol_Berasategi.jpg=autumn_mountains" \
  "$lomiri16/greentock_by_Peter_Nerlich.jpg=clock" \
  "$lomiri16/Wine_by_Jakkub_Mede.jpg=living_room" \
  "$mate/nature/Garden.jpg=marigold" \
  "$mate/nature/LadyBird.jpg=ladybird" \
  "$lomiri16/life_by_Aitzol_Berasategi.jpg=stream" \
  "$lxqt/butterfly.png=swallowtail" \
  "$lxqt/this-is-not-windows.jpg=hills" \
  "$plasma/EveningGlow/contents/images/2560x1600.jpg=boats" \
  "$plasma/Path/contents/images/2560x1600.jpg=forest_path" \
  "$plasma/ColorfulCups/contents/images/2560x1600.jpg=cups"

# replace only the two folders this script owns
for split in train heldout; do
  rm -f "$out/$split"/*.png
  mkdir -p "$out/$split"
  cp "$work/samples/$split"/*.png "$out/$split/"
done
