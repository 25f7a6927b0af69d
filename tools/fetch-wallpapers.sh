#!/usr/bin/env bash
# Fetches a larger set of natural photos (desktop wallpapers) from Debian packages for a bigger local run,
# without installing anything: apt-get download + dpkg-deb -x into a scratch folder, then the photos (JPEG/PNG,
# at least MIN_SIDE px on the short side, vector and tiny files skipped) are copied to OUT/<package>/ together
# with the package's copyright file (OUT/<package>/COPYRIGHT). Licences differ per package (CC-BY-SA, GPL,
# LGPL, ...): read each COPYRIGHT before you publish anything trained or derived from them.
#
# usage: tools/fetch-wallpapers.sh OUT_DIR [package ...]
#   default packages: lomiri-wallpapers-16.04 lomiri-wallpapers-20.04 mate-backgrounds lxqt-themes
#                     plasma-workspace-wallpapers
#   env MIN_SIDE (default 512): skip images whose short side is smaller (needs `file` to read sizes)
# The folder OUT_DIR/<package> is then a "clean-folder" dataset for `daair prepare`.
set -euo pipefail
if [ $# -lt 1 ]; then
  sed -n '2,13p' "$0"
  exit 2
fi
out=$1
shift
packages=("$@")
if [ ${#packages[@]} -eq 0 ]; then
  packages=(lomiri-wallpapers-16.04 lomiri-wallpapers-20.04 mate-backgrounds lxqt-themes plasma-workspace-wallpapers)
fi
min_side=${MIN_SIDE:-512}
command -v apt-get >/dev/null || { echo "apt-get not found: this script needs a Debian or Ubuntu machine" >&2; exit 3; }
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# short side of an image from `file`'s "W x H" (JPEG: "WxH"), or 0 if unknown
short_side() {
  file -b "$1" | grep -oE '[0-9]+ ?x ?[0-9]+' | tail -1 | tr -d ' ' | awk -Fx '{ print ($1 < $2 ? $1 : $2) }'
}

for pkg in "${packages[@]}"; do
  echo "== $pkg"
  dir=$work/$pkg
  mkdir -p "$dir"
  if ! (cd "$dir" && apt-get download "$pkg" >/dev/null 2>"$dir/apt.log"); then
    echo "   cannot download $pkg (apt-get update first? see below); skipped" >&2
    cat "$dir/apt.log" >&2
    continue
  fi
  dpkg-deb -x "$dir"/*.deb "$dir/x"
  target=$out/$pkg
  mkdir -p "$target"
  copyright=$(find "$dir/x/usr/share/doc" -name copyright 2>/dev/null | head -1 || true)
  if [ -n "$copyright" ]; then cp "$copyright" "$target/COPYRIGHT"; else echo "   warning: $pkg has no copyright file" >&2; fi
  n=0
  while IFS= read -r -d '' img; do
    side=$(short_side "$img")
    if [ "${side:-0}" -ge "$min_side" ]; then
      # flatten the path into a unique name: usr/share/wallpapers/Foo/contents/images/1920x1080.jpg -> Foo_1920x1080.jpg
      rel=${img#"$dir/x/"}
      name=$(echo "$rel" | sed -E 's#^usr/share/(backgrounds|wallpapers|lxqt/wallpapers)/##; s#/contents/images/#_#; s#/#_#g')
      cp "$img" "$target/$name"
      n=$((n + 1))
    fi
  done < <(find "$dir/x" -type f \( -iname '*.jpg' -o -iname '*.jpeg' -o -iname '*.png' \) -print0)
  echo "   $n photos -> $target"
done
