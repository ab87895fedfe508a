"""Turns bench/coldstart.sh's hyperfine exports into the Markdown table of bench/results/coldstart.md.

    python3 coldstart_table.py JSON_DIR LOAD_BEFORE LOAD_AFTER RUNS
"""
import datetime
import json
import os
import platform
import subprocess
import sys


def cpu_model() -> str:
    with open("/proc/cpuinfo", encoding="utf-8") as info:
        for line in info:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.machine()


def main() -> None:
    json_dir, load_before, load_after, runs = sys.argv[1:5]
    indices = sorted(int(name[:-5]) for name in os.listdir(json_dir) if name.endswith(".json"))
    runtime = subprocess.run(["dotnet", "--list-runtimes"], capture_output=True, text=True, check=False).stdout
    netcore = next((line.split()[1] for line in runtime.splitlines() if line.startswith("Microsoft.NETCore.App")), "?")
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M")
    print(f"# CLI cold start, measured {now} UTC")
    print()
    print(f"Machine: {cpu_model()}, {os.cpu_count()} cores, .NET {netcore}. Load average (1, 5, 15 min): {load_before} at the start, "
          f"{load_after} at the end (final numbers need a quiet machine). hyperfine, {runs} runs after 3 warm-ups, medians; "
          "CPU = user + system time of the process (hyperfine's mean).")
    print()
    print("| setting | first image: wall ms | CPU ms | 20 files, 1 core: wall ms/image | CPU ms/image | 20 files, 2 cores: wall ms/image | CPU ms/image |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for index in indices:
        with open(os.path.join(json_dir, f"{index}.json"), encoding="utf-8") as export:
            results = {r["command"]: r for r in json.load(export)["results"]}
        with open(os.path.join(json_dir, f"{index}.label"), encoding="utf-8") as label_file:
            label = label_file.read().strip()
        cells = []
        for name, images in (("first", 1), ("20 files, 1 core", 20), ("20 files, 2 cores", 20)):
            r = results[name]
            cells.append(f"{r['median'] * 1000 / images:.1f}")
            cells.append(f"{(r['user'] + r['system']) * 1000 / images:.1f}")
        print(f"| {label} | " + " | ".join(cells) + " |")
    print()
    print("first image: `fastladeda detect 2mp.jpg` (1600×1200 JPEG q92), process start to exit. 20 files: twenty copies of it "
          "under different names in one `detect` call, pinned with `taskset -c 0` (.NET then sees one processor: files are scored "
          "one after another) or `-c 0,1`; per image = the whole process ÷ 20, start-up included.")


if __name__ == "__main__":
    main()
