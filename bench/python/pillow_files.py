"""Times Pillow on the `files` report's inputs: the official pipeline's decode and resize.

    python3 pillow_files.py MIN_RUNS FILE ...

Prints one JSON object per file with the median wall and thread-CPU milliseconds of
  decode         Image.open(f).convert("RGB")
  decode_resize  Image.open(f).convert("RGB").resize((256, 256), Image.BILINEAR)
  draft_resize   the same after im.draft("RGB", (256, 256)) (libjpeg DCT scaling; JPEG only):
                 Pillow's counterpart of our opt-in fast decode, not the official pipeline
each after a warm-up, over at least MIN_RUNS runs (more for small files, about 2 s per case),
then one line with the Pillow and library versions.
"""
import json
import statistics
import sys
import time

import PIL
from PIL import Image, features


def decode(path):
    return Image.open(path).convert("RGB")


def decode_resize(path):
    return Image.open(path).convert("RGB").resize((256, 256), Image.BILINEAR)


def draft_resize(path):
    image = Image.open(path)
    image.draft("RGB", (256, 256))
    return image.convert("RGB").resize((256, 256), Image.BILINEAR)


def measure(run, path, min_runs):
    start = time.perf_counter()
    for _ in range(3):
        run(path)
    per_run = (time.perf_counter() - start) / 3
    runs = max(min_runs, min(200, int(2.0 / max(per_run, 1e-6))))
    wall, cpu = [], []
    for _ in range(runs):
        w0, c0 = time.perf_counter_ns(), time.thread_time_ns()
        run(path)
        cpu.append((time.thread_time_ns() - c0) / 1e6)
        wall.append((time.perf_counter_ns() - w0) / 1e6)
    return {"wall_ms": statistics.median(wall), "cpu_ms": statistics.median(cpu), "runs": runs}


def main() -> None:
    min_runs, paths = int(sys.argv[1]), sys.argv[2:]
    for path in paths:
        result = {"file": path}
        try:
            result["decode"] = measure(decode, path, min_runs)
            result["decode_resize"] = measure(decode_resize, path, min_runs)
            if Image.open(path).format == "JPEG":
                result["draft_resize"] = measure(draft_resize, path, min_runs)
        except Exception as error:  # a format this Pillow build lacks: report it, time the rest
            result["error"] = f"{type(error).__name__}: {error}"
        print(json.dumps(result), flush=True)
    core = Image.core
    print(json.dumps({"versions": {
        "pillow": PIL.__version__,
        "libjpeg_turbo": getattr(core, "libjpeg_turbo_version", None),
        "libjpeg_api": features.version("jpg"),
        "zlib": features.version("zlib"),
        "webp": features.version("webp"),
        "python": sys.version.split()[0],
    }}), flush=True)


if __name__ == "__main__":
    main()
