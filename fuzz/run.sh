#!/usr/bin/env bash
# Fuzz one parser of FastLaDeDa with AFL++ (Debian's afl++) through SharpFuzz.
#   fuzz/run.sh image|jpeg|png|bmp-gif|webp|safetensors|pth [SECONDS=600] [SHARED=../shared]
# Builds the fuzz driver, instruments FastLaDeDa.dll and StbImageSharp.dll, writes the seed corpus
# to a scratch folder (never into the repo), runs afl-fuzz for SECONDS and prints its statistics.
# Findings (crashes, hangs) stay in fuzz/findings/TARGET/; turn each crash into a regression test.
set -euo pipefail
target=${1:?usage: fuzz/run.sh image|jpeg|png|bmp-gif|webp|safetensors|pth [SECONDS] [SHARED]}
seconds=${2:-600}
root=$(cd "$(dirname "$0")/.." && pwd)
shared=$(cd "${3:-$root/../shared}" && pwd)
work="$root/fuzz/work/$target"  # one folder per target: targets can run side by side
findings="$root/fuzz/findings/$target"

command -v afl-fuzz >/dev/null || { echo "installing afl++ (Debian)"; apt-get install -y -q afl++ >/dev/null; }
cd "$root"
dotnet tool restore >/dev/null
rm -rf "$work/bin"
dotnet publish fuzz/FastLaDeDa.Fuzz -c Release -o "$work/bin" --nologo -v quiet

# Seeds first: instrumented code only runs under afl-fuzz (it writes to AFL's shared memory).
rm -rf "$work/seeds"
dotnet "$work/bin/FastLaDeDa.Fuzz.dll" seeds "$work/seeds" "$shared"
mkdir -p "$findings"

# Coverage feedback comes from the instrumented assemblies: our library and the decoder it wraps.
dotnet tool run sharpfuzz "$work/bin/FastLaDeDa.dll"
dotnet tool run sharpfuzz "$work/bin/StbImageSharp.dll"

# No GUI; the machine's core_pattern and CPU governor are not ours to change.
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1
resume=()
[ -d "$findings/default" ] && resume=(-i -) || resume=(-i "$work/seeds/$target")
afl-fuzz "${resume[@]}" -o "$findings" -V "$seconds" -t 10000 -m none -- dotnet "$work/bin/FastLaDeDa.Fuzz.dll" "$target" >"$findings/afl.log" 2>&1 || {
  echo "afl-fuzz failed; last lines of $findings/afl.log:"; tail -20 "$findings/afl.log"; exit 1; }

stats="$findings/default/fuzzer_stats"
get() { awk -F' *: *' -v k="$1" '$1==k{print $2}' "$stats"; }
echo "target $target: ran $(get run_time) s, $(get execs_done) execs ($(get execs_per_sec) /s), corpus $(get corpus_count), edges $(get edges_found) of $(get total_edges) ($(get bitmap_cvg)), crashes $(get saved_crashes), hangs $(get saved_hangs)"
[ "$(get saved_crashes)" = "0" ]
