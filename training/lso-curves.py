#!/usr/bin/env python3
"""Plots the held-out validation AUC per epoch of several training runs on one chart (PNG, Pillow only):
where a held-out group keeps gaining and where it peaks early. Model card: "A third held-out group".

usage: training/lso-curves.py OUT.png LABEL=runs/NAME/metrics.csv [LABEL=...]
"""
import csv
import sys

from plotting import COLOURS, Frame

WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 900, 520, 60, 250, 40, 50


def read(path):
    rows = list(csv.DictReader(open(path)))
    return [(int(r["epoch"]), 100 * float(r["val_auc"])) for r in rows]


def main(out, specs):
    runs = [(label, read(path)) for label, path in (s.split("=", 1) for s in specs)]
    max_epoch = max(e for _, points in runs for e, _ in points)
    low = min(50.0, min(a for _, points in runs for _, a in points))
    high = max(90.0, max(a for _, points in runs for _, a in points))
    frame = Frame(WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM, (1, max(2, max_epoch)), (low, high))
    draw, x, y, plot_w = frame.draw, frame.x, frame.y, frame.plot_w
    frame.grid([a for a in range(int(low // 5 * 5), int(high) + 1, 5) if a >= low], range(1, max_epoch + 1, 2 if max_epoch > 12 else 1))
    frame.titles("held-out validation AUC (%) per epoch", "epoch")
    for i, (label, points) in enumerate(runs):
        colour = COLOURS[i % len(COLOURS)]
        draw.line([(x(e), y(a)) for e, a in points], fill=colour, width=2)
        for e, a in points:
            draw.ellipse([x(e) - 2, y(a) - 2, x(e) + 2, y(a) + 2], fill=colour)
        draw.line([(LEFT + plot_w + 12, TOP + 10 + 18 * i), (LEFT + plot_w + 32, TOP + 10 + 18 * i)], fill=colour, width=3)
        draw.text((LEFT + plot_w + 38, TOP + 4 + 18 * i), label, fill="black")
    frame.image.save(out)


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2:])
