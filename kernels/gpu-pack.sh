#!/usr/bin/env bash
# Packs what kernels/gpu-check.sh needs on a GPU machine that has no .NET SDK (and no network):
# the CLI and the kernels' timing tool, published self-contained for linux-x64 (the .NET runtime
# inside), as artifacts/gpu/app.tar.xz (~32 MB). Carry that file to the GPU machine with the
# checkout (and artifacts/gpu/images: three golden images) and run kernels/gpu-check.sh there:
# without an SDK it uses the package.
set -euo pipefail
cd "$(dirname "$0")/.."
out=artifacts/gpu
rm -rf "$out/app" "$out/app.tar.xz"
dotnet publish src/FastLaDeDa.Cli -c Release -r linux-x64 --self-contained -o "$out/app" -v q -nologo
dotnet publish kernels/FastLaDeDa.Gpu.Bench -c Release -r linux-x64 --self-contained -o "$out/app" -v q -nologo
tar -C "$out" -cJf "$out/app.tar.xz" app
rm -rf "$out/app"
# A few real images for the CLI comparison (reference material: never committed, only carried).
shared=${FASTLADEDA_SHARED:-../shared}
if [ -d "$shared/golden/images" ]; then
  rm -rf "$out/images" && mkdir -p "$out/images"
  cp "$shared"/golden/images/fake_progan_png256.png "$shared"/golden/images/real_food_jpg800.jpg "$shared"/golden/images/fake_people_jpg1120.jpg "$out/images/"
fi
ls -la "$out/app.tar.xz" "$out/images" 2>/dev/null
