#!/usr/bin/env bash
# Leave-source-out tables from the inference engine (`fastladeda eval`, the user's code path):
#   training/lso-tables.sh HOLDOUT STAGED [OUT] [-- NAME=WEIGHTS ...]
# HOLDOUT: the comma-separated sources given to --holdout (or a file holding them); STAGED: the
# stage-extra output. The held-out images are looked up in ../shared/data/{train,val} and STAGED.
# Each held-out source becomes a set: a one-class source against every held-out image of the other
# class (as the trainer's val-sources.csv); the table's mean row is the LSO mean over the sources.
# `all_heldout` (the whole group as one set) is a second table. Writes OUT/layout and OUT/pool
# (symbolic links) and, per model, OUT/NAME.md and OUT/NAME-all.md into OUT (default artifacts/lso): the embedded Tiny-LaDeDa, the
# official checkpoints, and each NAME=WEIGHTS given after `--` (LaDeDa models scan every one-class
# source's other class again, ~0.1 s per image: e.g. ladeda-shipped=weights/ladeda.safetensors).
set -euo pipefail
cd "$(dirname "$0")/.."
holdout=$1; staged=$2; out=${3:-artifacts/lso}
shift $(( $# >= 3 ? 3 : $# )); [ "${1:-}" = "--" ] && shift
[ -f "$holdout" ] && holdout=$(tr -d ' \n' < "$holdout")
shared=${FASTLADEDA_SHARED:-../shared}
layout=$out/layout
pool=$out/pool/all_heldout
rm -rf "$layout" "$out/pool"; mkdir -p "$layout" "$pool/0_real" "$pool/1_fake"
IFS=, read -ra sources <<< "$holdout"
for s in "${sources[@]}"; do
  found=0
  for root in "$shared/data/train" "$shared/data/val" "$staged"; do
    for label in 0_real 1_fake; do
      for f in "$root/$label/${s}__"*; do
        [ -e "$f" ] || continue
        ln -s "$(realpath "$f")" "$pool/$label/$(basename "$f")"; found=1
      done
    done
  done
  [ $found = 1 ] || { echo "error: held-out source '$s' has no images in $shared/data/{train,val} or $staged" >&2; exit 2; }
done
for s in "${sources[@]}"; do
  mkdir -p "$layout/$s/0_real" "$layout/$s/1_fake"
  own_real=$(ls "$pool/0_real" | grep -c "^${s}__" || true)
  own_fake=$(ls "$pool/1_fake" | grep -c "^${s}__" || true)
  for label in 0_real 1_fake; do
    for f in "$pool/$label"/*; do
      name=$(basename "$f")
      # The source's own images; for a one-class source also every held-out image of the other class.
      if [[ $name == "${s}__"* ]] || { [ "$own_real" = 0 ] && [ $label = 0_real ]; } || { [ "$own_fake" = 0 ] && [ $label = 1_fake ]; }; then
        ln -s "$(readlink "$f")" "$layout/$s/$label/$name"
      fi
    done
  done
done
dotnet build src/FastLaDeDa.Cli -c Release -v q -nologo > /dev/null
cli=src/FastLaDeDa.Cli/bin/Release/net10.0/fastladeda
[ -x "$cli" ] || cli=src/FastLaDeDa.Cli/bin/Release/net10.0/FastLaDeDa.Cli
eval_to() {
  local name=$1; shift; echo "== $name" >&2
  "$cli" eval "$layout" --markdown --threads "${LSO_THREADS:-2}" "$@" > "$out/$name.md"
  "$cli" eval "$out/pool" --markdown --threads "${LSO_THREADS:-2}" "$@" > "$out/$name-all.md"
}
eval_to tiny-shipped
eval_to official-wildrf-tiny --weights "$shared/weights/official/WildRF_Tiny_LaDeDa.pth" --preprocess right_diag
eval_to official-forensynth-tiny --weights "$shared/weights/official/ForenSynth_Tiny_LaDeDa.pth" --preprocess npr
for spec in "$@"; do eval_to "${spec%%=*}" --weights "${spec#*=}"; done
ls -la "$out"
