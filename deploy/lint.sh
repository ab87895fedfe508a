#!/usr/bin/env bash
# Lints deploy/kubernetes/*.yaml without a cluster: yamllint (Debian's yamllint) for the YAML, then a
# schema check against Kubernetes' OpenAPI schemas (npm: kubernetes-models, installed into a
# temporary folder). kubeconform is on neither Debian's nor npm's registry here, hence this pair.
set -euo pipefail
cd "$(dirname "$0")"
command -v yamllint >/dev/null || { apt-get install -y -q yamllint >/dev/null || { echo "yamllint missing: apt-get install yamllint"; exit 1; }; }
yamllint -d '{extends: default, rules: {line-length: {max: 120}, document-start: disable}}' kubernetes/
tools="${TMPDIR:-/tmp}/fastladeda-k8s-lint"
mkdir -p "$tools"
[ -d "$tools/node_modules/kubernetes-models" ] || npm install --prefix "$tools" --no-audit --no-fund --silent kubernetes-models@5.1.0 yaml@2 >/dev/null
cp lint/validate.mjs "$tools/"
node "$tools/validate.mjs" kubernetes/*.yaml
