#!/usr/bin/env bash
# Builds (Release) and runs the training console with the environment TorchSharp work needs:
#   training/run.sh native-check
#   training/run.sh summary --model ladeda --rf 9
#   training/run.sh convert ../shared/weights/official/WildRF_Tiny_LaDeDa.pth --model tiny -o wildrf.safetensors
# glibc otherwise hands large blocks back to the OS after every tensor operation (mmap/munmap and
# trimming), which makes TorchSharp 2-3x slower; these thresholds must be set before the process
# starts, so they are set here and not in code.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
export MALLOC_MMAP_THRESHOLD_=2000000000
export MALLOC_TRIM_THRESHOLD_=2000000000
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
log=$(dotnet build "$here/FastLaDeDa.Training" -c Release -nologo -v quiet 2>&1) || { echo "$log" >&2; exit 1; }
exec dotnet "$here/FastLaDeDa.Training/bin/Release/net10.0/FastLaDeDa.Training.dll" "$@"
