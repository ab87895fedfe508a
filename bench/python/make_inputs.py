"""Crops the `files` report's inputs from one camera photo and encodes them with Pillow.

    python3 make_inputs.py SOURCE OUT_DIR NAME:WIDTH:HEIGHT:KIND ...

KIND is jpeg (quality 92, 4:2:0), progressive (the same, progressive), png, or webp (lossy,
quality 90). Each crop is centred in SOURCE; EXIF orientation is ignored, as the official
pipeline's Image.open(f).convert("RGB") ignores it.
"""
import os
import sys

from PIL import Image


def main() -> None:
    source, out_dir, specs = sys.argv[1], sys.argv[2], sys.argv[3:]
    image = Image.open(source).convert("RGB")
    for spec in specs:
        name, width, height, kind = spec.split(":")
        width, height = int(width), int(height)
        left, top = (image.width - width) // 2, (image.height - height) // 2
        crop = image.crop((left, top, left + width, top + height))
        path = os.path.join(out_dir, name)
        if kind == "jpeg":
            crop.save(path, format="JPEG", quality=92, subsampling=2)
        elif kind == "progressive":
            crop.save(path, format="JPEG", quality=92, subsampling=2, progressive=True)
        elif kind == "png":
            crop.save(path, format="PNG")
        elif kind == "webp":
            crop.save(path, format="WEBP", quality=90)
        else:
            raise SystemExit(f"unknown kind {kind}")


if __name__ == "__main__":
    main()
