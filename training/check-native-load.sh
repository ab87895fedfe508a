#!/usr/bin/env bash
# Proves the TorchSharp native-library fix (training/README.md) from a CLEAN NuGet cache:
#   1. restore the training project into an empty package folder (NUGET_PACKAGES=$(mktemp -d)),
#   2. build and publish it (outputs in a temporary artifacts folder, not in the checkout),
#   3. run a TorchSharp operation from both outputs,
# and shows on the way what the loader thinks of the restored file and of the patched copy, that
# the two differ in one byte, and that the file in the cache is unchanged.
# Downloads ~270 MB (TorchSharp + libtorch-cpu for three platforms) and needs ~2.5 GB of /tmp.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export NUGET_PACKAGES="$work/packages"
export NUGET_HTTP_CACHE_PATH="$work/http-cache" # download for real, not from NuGet's HTTP cache
export MALLOC_MMAP_THRESHOLD_=2000000000 MALLOC_TRIM_THRESHOLD_=2000000000
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
project="$repo/training/FastLaDeDa.Training/FastLaDeDa.Training.csproj"
artifacts="$work/artifacts"
lib=libLibTorchSharp.so
mkdir -p "$NUGET_PACKAGES"

echo "== system libstdc++"
libstdcxx="$( (ldconfig -p 2>/dev/null || /sbin/ldconfig -p) | awk '!found && /libstdc\+\+\.so\.6 .*x86-64/ {print $NF; found = 1}')"
echo "$libstdcxx: highest $(grep -ao 'GLIBCXX_3\.4\.[0-9]*' "$libstdcxx" | sort -t. -k3 -n | tail -1)"

echo "== restore into an empty NuGet cache: $NUGET_PACKAGES"
dotnet restore "$project" --artifacts-path "$artifacts" -tl:off -v minimal
cached="$(ls "$NUGET_PACKAGES"/torchsharp/*/runtimes/linux-x64/native/$lib)"
before="$(sha256sum "$cached" | cut -d' ' -f1)"
echo "restored $cached"
echo "loader (ldd) on the restored file: $(ldd "$cached" 2>&1 | grep GLIBCXX || echo 'no complaint')"

echo "== build"
dotnet build "$project" -c Release --no-restore --artifacts-path "$artifacts" -tl:off -v minimal | grep -E "TorchSharpNativeFix|error|warn|->" || true
echo "== publish"
dotnet publish "$project" -c Release --no-restore --artifacts-path "$artifacts" -tl:off -v minimal | grep -E "TorchSharpNativeFix|error|warn|->" || true

built="$artifacts/bin/FastLaDeDa.Training/release"
published="$artifacts/publish/FastLaDeDa.Training/release"
patched="$built/runtimes/linux-x64/native/$lib"
echo "== the patched copy"
echo "loader (ldd) on the patched copy: $(ldd "$patched" 2>&1 | grep GLIBCXX || echo 'no complaint') [a weak version is only noted]"
echo "bytes differing from the restored file (offset, old, new in octal):"
cmp -l "$cached" "$patched" || true
if command -v readelf >/dev/null; then
  echo "restored: $(readelf -V "$cached" | grep 'Name: GLIBCXX_3.4.32' | sed 's/^ *//')"
  echo "patched:  $(readelf -V "$patched" | grep 'Name: GLIBCXX_3.4.32' | sed 's/^ *//')"
fi

echo "== run a TorchSharp operation (build output, then publish output)"
dotnet "$built/FastLaDeDa.Training.dll" native-check
dotnet "$published/FastLaDeDa.Training.dll" native-check

after="$(sha256sum "$cached" | cut -d' ' -f1)"
[ "$before" = "$after" ] && echo "== the NuGet cache's $lib is unchanged (sha256 $after)" || { echo "== FAIL: the NuGet cache's $lib changed"; exit 1; }
consolidated="$(find "$NUGET_PACKAGES" -path '*/cpu/*' -name "$lib" | head -1)"
[ -z "$consolidated" ] && echo "== no consolidated cpu/ copy was made in the cache" || { echo "== FAIL: TorchSharp consolidated natives into $consolidated"; exit 1; }
echo "OK"
