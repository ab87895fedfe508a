#!/usr/bin/env bash
# The CLI's cold start: `fastladeda detect` as a user runs it, process start to exit, under runtime
# settings that need no code change (environment variables) and as a ReadyToRun publish.
#   bench/coldstart.sh [--runs N] [--out FILE]      (default 20 runs after 3 warm-ups; bench/results/coldstart.md)
# Needs hyperfine (apt-get install hyperfine) and taskset. Inputs: the 2 MP JPEG of bench/files.sh
# (generated here with --inputs-only), once and as 20 copies under different names.
# Scenarios: one image; 20 images pinned to one core (taskset -c 0: .NET then sees one processor, so
# detect scores them one after another); 20 images on two cores (detect scores files in parallel).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=20 out=bench/results/coldstart.md
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "usage: bench/coldstart.sh [--runs N] [--out FILE]" >&2; exit 2 ;;
  esac
done
command -v hyperfine >/dev/null || { echo "coldstart: hyperfine is missing (apt-get install -y hyperfine)" >&2; exit 2; }

work=artifacts/coldstart
rm -rf "$work/json"  # a previous run may have had more settings
mkdir -p "$work/images" "$work/json"
bench/files.sh --only 2mp.jpg --inputs-only
one=artifacts/bench-files/2mp.jpg
for i in $(seq -w 1 20); do cp "$one" "$work/images/img$i.jpg"; done

dotnet build src/FastLaDeDa.Cli -c Release -v quiet -nologo >/dev/null
# ReadyToRun: the csproj sets it for every publish with a runtime identifier.
dotnet publish src/FastLaDeDa.Cli -c Release -r linux-x64 --self-contained false -o "$work/r2r" -v quiet -nologo >/dev/null
images=$(ls "$work"/images/*.jpg | tr '\n' ' ')
jit=src/FastLaDeDa.Cli/bin/Release/net10.0/fastladeda
r2r=$work/r2r/FastLaDeDa.Cli

# label | environment (env(1) assignments, or none) | binary. The CLI's csproj turns QuickJitForLoops
# off (in its runtimeconfig.json); an environment variable overrides that, so the runtime-default rows
# set DOTNET_TC_QuickJitForLoops=1 (the runtime's default) and the "as built" rows set nothing.
q=DOTNET_TC_QuickJitForLoops
settings=(
  "runtime defaults|$q=1|$jit"
  "DOTNET_TieredPGO=0|$q=1 DOTNET_TieredPGO=0|$jit"
  "DOTNET_TC_QuickJitForLoops=0|$q=0|$jit"
  "DOTNET_TieredPGO=0 + DOTNET_TC_QuickJitForLoops=0|$q=0 DOTNET_TieredPGO=0|$jit"
  "DOTNET_TieredCompilation=0|$q=1 DOTNET_TieredCompilation=0|$jit"
  "DOTNET_ReadyToRun=0 (the framework JIT-compiled too)|$q=1 DOTNET_ReadyToRun=0|$jit"
  "ReadyToRun publish|$q=1|$r2r"
  "ReadyToRun publish + DOTNET_TieredPGO=0|$q=1 DOTNET_TieredPGO=0|$r2r"
  "ReadyToRun publish + DOTNET_TC_QuickJitForLoops=0|$q=0|$r2r"
  "**as built** (dotnet build / run: csproj QuickJitForLoops off)|none|$jit"
  "**as published** (dotnet publish -r linux-x64: ReadyToRun, QuickJitForLoops off)|none|$r2r"
)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
i=0
for s in "${settings[@]}"; do
  IFS='|' read -r label envs bin <<<"$s"
  prefix=""; [ "$envs" != none ] && prefix="env $envs "  # env(1) takes several assignments
  i=$((i + 1))
  echo "[$i/${#settings[@]}] $label" >&2
  hyperfine -N --style basic --warmup 3 --runs "$runs" --export-json "$work/json/$i.json" \
    -n "first" "${prefix}$bin detect $one" \
    -n "20 files, 1 core" "${prefix}taskset -c 0 $bin detect $images" \
    -n "20 files, 2 cores" "${prefix}taskset -c 0,1 $bin detect $images" >&2
  echo "$label" > "$work/json/$i.label"
done
/usr/bin/python3 bench/python/coldstart_table.py "$work/json" "$load_before" "$(cut -d' ' -f1-3 /proc/loadavg)" "$runs" > "$out"
cat "$out"
echo "wrote $out" >&2
