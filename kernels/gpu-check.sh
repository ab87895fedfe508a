#!/usr/bin/env bash
# The GPU check for LaDeDa's ILGPU kernels, in one command, on a machine with an NVIDIA GPU and
# the .NET SDK: build Release, run the kernels' tests with the CUDA tests required (parity with
# the float64 reference at 256x256 and 224x224, per-kernel checks, batch = single runs), compare
# `detect --model ladeda --device gpu` with `--device cpu` on the shipped weights, then print the
# timing table (ms/image at batch 1, images/s at batch 32, device time per launch).
# Without an SDK it runs the self-contained package of kernels/gpu-pack.sh (all but the xunit tests).
# Fails clearly, before building anything, when there is no GPU.
#   kernels/gpu-check.sh [--batch 32] [--size 256] [--weights FILE]
set -euo pipefail
cd "$(dirname "$0")/.."
bench_args=("$@")
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

if ! command -v nvidia-smi >/dev/null 2>&1 || ! nvidia-smi -L 2>/dev/null | grep -q '^GPU'; then
  echo "gpu-check: FAILED: no NVIDIA GPU on this machine (nvidia-smi is missing or lists no device)" >&2
  exit 2
fi
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | sed 's/^/gpu-check: GPU /'
# With the .NET SDK: build, then run the CUDA tests. Without one (a bare GPU host with no network):
# use the self-contained package made by kernels/gpu-pack.sh (CLI + timing tool, runtime inside).
if command -v dotnet >/dev/null 2>&1 && [ -n "$(dotnet --list-sdks 2>/dev/null)" ]; then
  echo "gpu-check: building (Release)"
  dotnet build kernels/FastLaDeDa.Gpu.Bench/FastLaDeDa.Gpu.Bench.csproj -c Release -v q -nologo
  dotnet build tests/FastLaDeDa.Gpu.Tests/FastLaDeDa.Gpu.Tests.csproj -c Release -v q -nologo
  dotnet build src/FastLaDeDa.Cli/FastLaDeDa.Cli.csproj -c Release -v q -nologo

  echo "gpu-check: tests (CUDA required: a CUDA test that cannot open the device fails instead of skipping)"
  FASTLADEDA_REQUIRE_CUDA=1 dotnet test tests/FastLaDeDa.Gpu.Tests/FastLaDeDa.Gpu.Tests.csproj -c Release --no-build \
    --logger "console;verbosity=detailed" --filter "FullyQualifiedName!~Asking_for_a_gpu_without_one"
  cli=src/FastLaDeDa.Cli/bin/Release/net10.0/fastladeda
  timing=(dotnet kernels/FastLaDeDa.Gpu.Bench/bin/Release/net10.0/FastLaDeDa.Gpu.Bench.dll)
elif [ -f artifacts/gpu/app.tar.xz ]; then
  echo "gpu-check: no .NET SDK here: using artifacts/gpu/app.tar.xz (kernels/gpu-pack.sh); the xunit CUDA tests need the SDK and are not run"
  app=$(mktemp -d)
  tar -C "$app" -xJf artifacts/gpu/app.tar.xz
  cli=$app/app/FastLaDeDa.Cli
  timing=("$app/app/FastLaDeDa.Gpu.Bench")
else
  echo "gpu-check: FAILED: no .NET SDK (dotnet) and no artifacts/gpu/app.tar.xz (make it with kernels/gpu-pack.sh)" >&2
  exit 2
fi

echo "gpu-check: CLI (detect --model ladeda --device gpu vs --device cpu on the shipped LaDeDa weights)"
weights=weights/ladeda.safetensors
if [ -f "$weights" ]; then
  tmp=$(mktemp -d)
  # Two random 256x256 and 300x200 images as uncompressed TGA (18-byte header, BGR, top-left origin): no files needed.
  for wh in "256 256" "300 200"; do
    set -- $wh
    { printf '\0\0\2\0\0\0\0\0\0\0\0\0'; printf "\\$(printf %o $(($1 % 256)))\\$(printf %o $(($1 / 256)))\\$(printf %o $(($2 % 256)))\\$(printf %o $(($2 / 256)))"; printf '\30\40'; head -c $(($1 * $2 * 3)) /dev/urandom; } > "$tmp/img$1x$2.tga"
  done
  [ -d artifacts/gpu/images ] && cp artifacts/gpu/images/* "$tmp/"
  logits() { "$cli" detect --json --model ladeda --device "$1" --weights "$weights" "$tmp"/* | grep -o '"logit": *[-0-9.eE+]*' | sed 's/.*: *//'; }
  paste <(logits gpu) <(logits cpu) | awk '{d = $1 - $2; if (d < 0) d = -d; printf "gpu-check: logit gpu %s cpu %s |diff| %.2e\n", $1, $2, d; if (d > 1e-3) bad = 1} END {exit bad}' \
    || { echo "gpu-check: FAILED: --device gpu and --device cpu disagree by more than 1e-3" >&2; exit 1; }
  rm -rf "$tmp"
else
  echo "gpu-check: (no $weights in this checkout: CLI step skipped)"
fi

echo "gpu-check: timing"
"${timing[@]}" --device gpu "${bench_args[@]}"
if [ -f "$weights" ]; then
  echo "gpu-check: timing with the shipped LaDeDa weights"
  "${timing[@]}" --device gpu --weights "$weights" --batch 32
fi
if python3 -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null; then
  echo "gpu-check: PyTorch on the same GPU, same network (for comparison)"
  python3 kernels/pytorch_timing.py 256 32 || echo "gpu-check: (PyTorch timing failed; not part of the check)"
fi
echo "gpu-check: OK"
