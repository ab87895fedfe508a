#!/usr/bin/env bash
# The tables of weights/MODEL_CARD.md, produced by the inference engine (`fastladeda eval`, the same
# code path as a user's run), not by the trainer:
#   training/model-card-tables.sh [RUNS] [OUT]     (RUNS: the folder of `all`, default runs/all)
# Writes one Markdown table per model into OUT (default artifacts/model-card/). ModelCardTests checks
# that the shipped weights' tables in MODEL_CARD.md equal a fresh `eval` character for character.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-runs/all}
out=${2:-artifacts/model-card}
shared=${FASTLADEDA_SHARED:-../shared}
test=$shared/data/test
mkdir -p "$out"
dotnet build src/FastLaDeDa.Cli -c Release -v q -nologo > /dev/null
cli=src/FastLaDeDa.Cli/bin/Release/net10.0/fastladeda
eval_to() { local name=$1; shift; echo "== $name" >&2; /usr/bin/time -f "$name: %e s" "$cli" eval "$test" --markdown "$@" > "$out/$name.md"; }
eval_to tiny-shipped                                                   # the embedded default
eval_to ladeda-shipped --weights weights/ladeda.safetensors
for run in "$runs"/*/ "$(dirname "$runs")"/extra/*/; do
  [ -f "$run/model.safetensors" ] && eval_to "$(basename "$run")" --weights "$run/model.safetensors"
done
eval_to official-wildrf-tiny --weights "$shared/weights/official/WildRF_Tiny_LaDeDa.pth" --preprocess right_diag
eval_to official-forensynth-tiny --weights "$shared/weights/official/ForenSynth_Tiny_LaDeDa.pth" --preprocess npr
for q in tiny ladeda; do
  w=weights/$([ $q = tiny ] && echo tiny-ladeda || echo ladeda).safetensors
  echo "== jpeg-sweep $q" >&2
  "$cli" jpeg-sweep "$test" --weights "$w" --qualities 100,90,80,70,60 --markdown --plot "$out/jpeg-sweep-$q.png" > "$out/jpeg-sweep-$q.md"
done
ls -la "$out"
