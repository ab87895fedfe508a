#!/usr/bin/env python3
"""Writes what a detector reacts to as eval sets: each image of a pool (0_real/ and 1_fake/ of
256x256 images) in five variants, applied alike to both classes with Pillow — as staged, JPEG q95,
JPEG q75, halved then bicubic-enlarged, Gaussian blur sigma 0.6. Score the output folder with
`fastladeda eval OUT --markdown` (one row per variant). Model card: "What the models react to".

usage: training/probe-variants.py POOL OUT      (POOL e.g. artifacts/lso/pool/all_heldout)
"""
import io
import os
import sys

from PIL import Image, ImageFilter


def jpeg(image, quality):
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    buffer.seek(0)
    return Image.open(buffer).convert("RGB")


VARIANTS = {
    "1_as_staged": lambda im: im,
    "2_jpeg_q95": lambda im: jpeg(im, 95),
    "3_jpeg_q75": lambda im: jpeg(im, 75),
    "4_halved_enlarged": lambda im: im.resize((im.width // 2, im.height // 2), Image.BILINEAR).resize(im.size, Image.BICUBIC),
    "5_blur_0.6": lambda im: im.filter(ImageFilter.GaussianBlur(0.6)),
}


def main(pool, out):
    for label in ("0_real", "1_fake"):
        names = sorted(os.listdir(os.path.join(pool, label)))
        if not names:
            sys.exit(f"error: {os.path.join(pool, label)} holds no images")
        for variant in VARIANTS:
            os.makedirs(os.path.join(out, variant, label), exist_ok=True)
        for name in names:
            image = Image.open(os.path.join(pool, label, name)).convert("RGB")
            for variant, apply in VARIANTS.items():
                apply(image).save(os.path.join(out, variant, label, os.path.splitext(name)[0] + ".png"))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
