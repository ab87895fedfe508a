#!/usr/bin/env bash
# The side-by-side report (the paper's Table 6): ours vs ONNX Runtime vs TorchSharp on the same
# weights and input, parity checked first. Writes bench/results/latest.md and latest-*.png.
#   bench/report.sh [--short]
# glibc returns large blocks to the OS after every call unless these are raised, which makes
# TorchSharp 2-3x slower; they must be set before the process starts, hence this script.
set -euo pipefail
cd "$(dirname "$0")/.."
export MALLOC_MMAP_THRESHOLD_=2000000000 MALLOC_TRIM_THRESHOLD_=2000000000
exec dotnet run -c Release --project bench/FastLaDeDa.Bench -- report "$@"
