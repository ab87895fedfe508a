#!/usr/bin/env bash
# File -> score end to end: ours (one core, fast decode, all cores), Pillow's decode + resize, and our
# decode with ONNX Runtime as the model, on JPEG/PNG/WebP crops of one photo. Writes bench/results/files.md.
#   bench/files.sh [--shared DIR] [--out FILE] [--short] [--without-pillow] [--only NAME,...] [--inputs-only]
# As bench/report.sh: glibc hands every large freed block back to the OS unless these are raised, so each
# call pays fresh page faults. The .NET heap does not use malloc, but ONNX Runtime and Pillow do (and
# StbImageSharp, before FastLaDeDa decoded PNG itself: 1.6x the CPU time on a 2 MP PNG without them); the report passes the same
# values to its python3 (Pillow's best case). glibc reads them only at process start, hence this script.
set -euo pipefail
cd "$(dirname "$0")/.."
export MALLOC_MMAP_THRESHOLD_=2000000000 MALLOC_TRIM_THRESHOLD_=2000000000
exec dotnet run -c Release --project bench/FastLaDeDa.Bench -- files "$@"
