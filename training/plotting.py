"""What the training charts share (Pillow only): the colour cycle and a framed plot area with a
grid, tick labels and titles. Used by lso-curves.py and tradeoff-plot.py."""
from PIL import Image, ImageDraw

COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#17becf", "#bcbd22", "#000000", "#ffff00", "#006400"]


class Frame:
    """A white canvas with a plot area at (left, top) of plot_w x plot_h and linear axes."""

    def __init__(self, width, height, left, right, top, bottom, x_range, y_range):
        self.image = Image.new("RGB", (width, height), "white")
        self.draw = ImageDraw.Draw(self.image)
        self.left, self.top = left, top
        self.plot_w, self.plot_h = width - left - right, height - top - bottom
        self.height = height
        (self.x_low, self.x_high), (self.y_low, self.y_high) = x_range, y_range

    def x(self, value):
        return self.left + (value - self.x_low) * self.plot_w / (self.x_high - self.x_low)

    def y(self, value):
        return self.top + (self.y_high - value) * self.plot_h / (self.y_high - self.y_low)

    def grid(self, y_ticks, x_ticks, vertical_lines=False):
        for v in y_ticks:
            self.draw.line([(self.left, self.y(v)), (self.left + self.plot_w, self.y(v))], fill="#e5e5e5")
            self.draw.text((self.left - 30, self.y(v) - 6), f"{v:g}", fill="black")
        for v in x_ticks:
            if vertical_lines:
                self.draw.line([(self.x(v), self.top), (self.x(v), self.top + self.plot_h)], fill="#e5e5e5")
            self.draw.text((self.x(v) - 4, self.top + self.plot_h + 6), f"{v:g}", fill="black")
        self.draw.rectangle([self.left, self.top, self.left + self.plot_w, self.top + self.plot_h], outline="black")

    def titles(self, title, x_label, y_label=None):
        self.draw.text((self.left, 12), title, fill="black")
        self.draw.text((self.left + self.plot_w // 2 - 4 * len(x_label), self.height - 22), x_label, fill="black")
        if y_label:
            self.draw.text((self.left, 26), y_label, fill="#555555")
