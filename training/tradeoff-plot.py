#!/usr/bin/env python3
"""Plots models as points: leave-source-out AUC (x) against ../shared/data/test mean AUC (y), with the
shipped model's lines and the issue's targets (PNG, Pillow only). Model card: "The trade".

usage: training/tradeoff-plot.py OUT.png LABEL=LSO,TEST [LABEL=LSO,TEST ...]
"""
import sys

from plotting import COLOURS, Frame

WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 1000, 560, 60, 370, 46, 50
TARGET_LSO, TARGET_TEST = 80, 70


def main(out, specs):
    points = []
    for spec in specs:
        label, values = spec.rsplit("=", 1)
        lso, test = (float(v) for v in values.split(","))
        points.append((label, lso, test))
    frame = Frame(WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM, (55, 90), (35, 75))
    frame.grid(range(35, 76, 5), range(55, 91, 5), vertical_lines=True)
    frame.titles("each model: leave-source-out mean AUC (x) against test/ mean AUC (y), %",
                 "leave-source-out mean AUC (group 1, 8 sources)", "test/ mean AUC")
    draw = frame.draw
    # The targets: both axes at once is the top-right corner.
    draw.line([(frame.x(TARGET_LSO), frame.top), (frame.x(TARGET_LSO), frame.top + frame.plot_h)], fill="#2ca02c", width=1)
    draw.line([(frame.left, frame.y(TARGET_TEST)), (frame.left + frame.plot_w, frame.y(TARGET_TEST))], fill="#2ca02c", width=1)
    draw.text((frame.x(TARGET_LSO) + 4, frame.top + 4), "target", fill="#2ca02c")
    for i, (label, lso, test) in enumerate(points):
        colour = COLOURS[i % len(COLOURS)]
        cx, cy = frame.x(lso), frame.y(test)
        draw.ellipse([cx - 5, cy - 5, cx + 5, cy + 5], fill=colour, outline="black")
        draw.text((cx + 7, cy - 6), str(i + 1), fill="black")
        ly = frame.top + 8 + 18 * i
        draw.ellipse([frame.left + frame.plot_w + 14, ly, frame.left + frame.plot_w + 24, ly + 10], fill=colour, outline="black")
        draw.text((frame.left + frame.plot_w + 30, ly - 1), f"{i + 1} {label} ({lso:.1f}, {test:.1f})", fill="black")
    frame.image.save(out)


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2:])
