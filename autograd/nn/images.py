"""`digits`: small images of the ten digits, drawn in code from stroke templates.

Each digit is a few pen strokes (polylines) in a unit box. A sample draws its strokes
into a `size` x `size` grid with a random shift, scale, slant and pen thickness, then
adds Gaussian noise: the same digit never lands on the same pixels twice, which is
what a convolution (one filter at every position) handles and a linear model on the
raw pixels does not. No download, the same images for the same seed.

>>> X, y = digits(20, seed=0)
>>> len(X), len(X[0]), len(X[0][0]), len(X[0][0][0]), y[:5]
(20, 1, 8, 8, [0, 1, 2, 3, 4])
"""

from __future__ import annotations

import itertools
import math
import random

from .modules import Seed, make_rng

Image = list[list[list[float]]]  # [channels][height][width]
Point = tuple[float, float]
SHIFT = 1.0


def _loop(cx: float, cy: float, rx: float, ry: float, points: int = 10) -> list[Point]:
    return [
        (cx + rx * math.sin(2 * math.pi * k / points), cy - ry * math.cos(2 * math.pi * k / points))
        for k in range(points + 1)
    ]


# (x, y) in a unit box, y downwards: each digit a list of strokes, each stroke a polyline.
STROKES: dict[int, list[list[Point]]] = {
    0: [_loop(0.5, 0.5, 0.3, 0.4)],
    1: [[(0.3, 0.3), (0.55, 0.1), (0.55, 0.9)]],
    2: [[(0.2, 0.3), (0.35, 0.12), (0.65, 0.12), (0.8, 0.3), (0.7, 0.5), (0.2, 0.9), (0.85, 0.9)]],
    3: [[(0.2, 0.12), (0.8, 0.12), (0.45, 0.45), (0.8, 0.62), (0.7, 0.85), (0.2, 0.88)]],
    4: [[(0.65, 0.9), (0.65, 0.1), (0.15, 0.65), (0.85, 0.65)]],
    5: [[(0.8, 0.1), (0.25, 0.1), (0.2, 0.45), (0.6, 0.4), (0.8, 0.62), (0.65, 0.88), (0.2, 0.88)]],
    6: [
        [
            (0.7, 0.1),
            (0.35, 0.35),
            (0.2, 0.7),
            (0.4, 0.9),
            (0.7, 0.85),
            (0.75, 0.6),
            (0.5, 0.5),
            (0.22, 0.62),
        ]
    ],
    7: [[(0.15, 0.1), (0.85, 0.1), (0.4, 0.9)]],
    8: [_loop(0.5, 0.28, 0.22, 0.18), _loop(0.5, 0.7, 0.26, 0.2)],
    9: [_loop(0.5, 0.32, 0.25, 0.22), [(0.75, 0.32), (0.6, 0.9)]],
}


def _nearest(
    px: float, py: float, segments: list[tuple[float, float, float, float, float]]
) -> float:
    """The distance from (px, py) to the nearest segment (ax, ay, dx, dy, 1 / length^2)."""
    best = math.inf
    for ax, ay, dx, dy, inverse in segments:
        t = ((px - ax) * dx + (py - ay) * dy) * inverse
        t = 0.0 if t < 0.0 else 1.0 if t > 1.0 else t
        ex, ey = px - ax - t * dx, py - ay - t * dy
        best = min(best, ex * ex + ey * ey)
    return math.sqrt(best)


def draw_digit(digit: int, rng: random.Random, size: int = 8, noise: float = 0.02) -> Image:
    """One image [1][size][size] of `digit`, pixel values about 0 (paper) to 1 (ink)."""
    scale = size * rng.uniform(0.7, 0.95)  # the glyph's height in pixels
    width = scale * rng.uniform(0.75, 1.0)
    slant = rng.uniform(-0.25, 0.25)
    left = (size - width) / 2 + rng.uniform(-SHIFT, SHIFT)
    top = (size - scale) / 2 + rng.uniform(-SHIFT, SHIFT)
    pen = rng.uniform(0.35, 0.7)  # half the stroke width, in pixels
    segments = []
    for stroke in STROKES[digit]:
        placed = [(left + width * (x + slant * (0.5 - y)), top + scale * y) for x, y in stroke]
        for (ax, ay), (bx, by) in itertools.pairwise(placed):
            dx, dy = bx - ax, by - ay
            segments.append((ax, ay, dx, dy, 1.0 / max(dx * dx + dy * dy, 1e-12)))
    image = []
    for row in range(size):
        line = []
        for column in range(size):
            nearest = _nearest(column + 0.5, row + 0.5, segments)
            ink = min(1.0, max(0.0, pen + 0.5 - nearest))  # a pen with a soft edge
            line.append(ink + rng.gauss(0.0, noise))
        image.append(line)
    return [image]


def digits(
    n: int = 1000, seed: Seed = 0, size: int = 8, noise: float = 0.02
) -> tuple[list[Image], list[int]]:
    """`n` images of digits, labels 0..9 in turn (so the classes are balanced).

    Each image is `[1][size][size]` (one channel, as Conv2d takes it). Split with
    `data.train_test_split`; flatten (`nn.Flatten()` or `flatten_images`) for an MLP.
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be an int >= 1, got {n!r}")
    if isinstance(size, bool) or not isinstance(size, int) or size < 8:
        raise ValueError(f"size must be an int >= 8, got {size!r}")
    if not noise >= 0:
        raise ValueError(f"noise must be a number >= 0, got {noise!r}")
    rng = make_rng(seed)
    labels = [k % 10 for k in range(n)]
    return [draw_digit(label, rng, size, noise) for label in labels], labels


def flatten_images(images: list[Image]) -> list[list[float]]:
    """Each image as one flat list of pixels (channel, row, column order)."""
    return [[p for channel in image for row in channel for p in row] for image in images]


def show(image: Image, ink: str = " .:-=+*#%@") -> str:
    """An image as text, darker characters for more ink (for a quick look in a terminal)."""
    rows = []
    for row in image[0]:
        shades = [ink[min(len(ink) - 1, max(0, int(p * (len(ink) - 1) + 0.5)))] for p in row]
        rows.append("".join(c * 2 for c in shades))
    return "\n".join(rows)
