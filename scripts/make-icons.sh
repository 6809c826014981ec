#!/usr/bin/env bash
# Draws CallDeck's icon (a deck of waveform bars on a rounded tile) and writes the sizes the
# Tauri bundler and the window use. Run by hand when the icon changes; the PNGs are committed.
set -euo pipefail
cd "$(dirname "$0")/../icons"
CONVERT=/usr/bin/convert
$CONVERT -size 1024x1024 xc:none \
  -fill '#1f6feb' -draw 'roundrectangle 64,64 960,960 180,180' \
  -fill '#ffffff' \
  -draw 'roundrectangle 232,452 292,572 30,30' \
  -draw 'roundrectangle 342,352 402,672 30,30' \
  -draw 'roundrectangle 452,252 512,772 30,30' \
  -draw 'roundrectangle 562,322 622,702 30,30' \
  -draw 'roundrectangle 672,412 732,612 30,30' \
  -draw 'roundrectangle 782,472 842,552 30,30' \
  icon-1024.png
for spec in 32x32:32x32.png 128x128:128x128.png 256x256:128x128@2x.png 512x512:icon.png; do
  $CONVERT icon-1024.png -resize "${spec%%:*}" "PNG32:${spec#*:}"
done
rm icon-1024.png
