#!/usr/bin/env bash
# Load test of `fastladeda serve` (not a CI test: minutes, and numbers that need a quiet machine).
# Inputs: the `files` report's JPEG/PNG/WebP crops (0.3 to 12 MP) in artifacts/bench-files, made by
# bench/files.sh --inputs-only when absent. Builds the CLI in Release, then runs
# bench/python/serve_load.py: the CLI's batch throughput, then the server at 1, 8 and 64 clients.
#   bench/serve.sh [serve_load.py options, e.g. --seconds 20 --clients 1,8]
# Writes bench/results/serve.md (the table) and artifacts/serve-load.json (everything).
set -euo pipefail
cd "$(dirname "$0")/.."
files=artifacts/bench-files
[ -n "$(ls "$files"/*.jpg 2>/dev/null)" ] || bench/files.sh --inputs-only
dotnet build src/FastLaDeDa.Cli -c Release -v q -nologo >/dev/null
mkdir -p artifacts
exec python3 bench/python/serve_load.py --cli src/FastLaDeDa.Cli/bin/Release/net10.0/FastLaDeDa.Cli.dll \
  --files "$files" --out bench/results/serve.md --json artifacts/serve-load.json "$@"
