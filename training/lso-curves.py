#!/usr/bin/env python3
"""Plots the held-out validation AUC per epoch of several training runs on one chart (PNG, Pillow only):
where a held-out group keeps gaining and where it peaks early. Model card: "A third held-out group".

usage: training/lso-curves.py OUT.png LABEL=runs/NAME/metrics.csv [LABEL=...]
"""
import csv
import sys

from PIL import Image, ImageDraw

COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"]
WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 900, 520, 60, 250, 40, 50


def read(path):
    rows = list(csv.DictReader(open(path)))
    return [(int(r["epoch"]), 100 * float(r["val_auc"])) for r in rows]


def main(out, specs):
    runs = [(label, read(path)) for label, path in (s.split("=", 1) for s in specs)]
    max_epoch = max(e for _, points in runs for e, _ in points)
    low = min(50.0, min(a for _, points in runs for _, a in points))
    high = max(90.0, max(a for _, points in runs for _, a in points))
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    x = lambda e: LEFT + (e - 1) * plot_w / max(1, max_epoch - 1)
    y = lambda a: TOP + (high - a) * plot_h / (high - low)
    for a in range(int(low // 5 * 5), int(high) + 1, 5):
        if a < low: continue
        draw.line([(LEFT, y(a)), (LEFT + plot_w, y(a))], fill="#e5e5e5")
        draw.text((LEFT - 30, y(a) - 6), f"{a}", fill="black")
    for e in range(1, max_epoch + 1, 2 if max_epoch > 12 else 1):
        draw.text((x(e) - 4, TOP + plot_h + 6), str(e), fill="black")
    draw.rectangle([LEFT, TOP, LEFT + plot_w, TOP + plot_h], outline="black")
    draw.text((LEFT, 12), "held-out validation AUC (%) per epoch", fill="black")
    draw.text((LEFT + plot_w // 2 - 20, HEIGHT - 22), "epoch", fill="black")
    for i, (label, points) in enumerate(runs):
        colour = COLOURS[i % len(COLOURS)]
        draw.line([(x(e), y(a)) for e, a in points], fill=colour, width=2)
        for e, a in points:
            draw.ellipse([x(e) - 2, y(a) - 2, x(e) + 2, y(a) + 2], fill=colour)
        draw.line([(LEFT + plot_w + 12, TOP + 10 + 18 * i), (LEFT + plot_w + 32, TOP + 10 + 18 * i)], fill=colour, width=3)
        draw.text((LEFT + plot_w + 38, TOP + 4 + 18 * i), label, fill="black")
    image.save(out)


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2:])
