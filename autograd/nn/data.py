"""Tiny datasets, generated in code from a seed: no downloads, the same points every run.

Each returns `(X, y)`: X a list of points (lists of floats), y a list of class labels
0, 1, ... (use `[2 * c - 1 for c in y]` for the -1/+1 targets of a hinge loss).

- `xor`: the four corners of the unit square, 1 where exactly one input is 1.
- `moons`: two interleaving half circles (the algorithm of scikit-learn's make_moons).
- `circles`: a small circle inside a large one (after scikit-learn's make_circles).
- `spiral`: arms of a spiral, one per class (the CS231n example).
- `blobs`: Gaussian clusters around random centers.
- `digits`: 8x8 images of the ten digits (from `images`, where they are drawn); the echo
  sequences are `tasks.echo_data`.

`train_test_split` shuffles and splits, in scikit-learn's order of results.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from typing import TypeVar

from .images import digits
from .modules import Seed, make_rng

Points = list[list[float]]
Labels = list[int]

T = TypeVar("T")

__all__ = ["blobs", "circles", "digits", "moons", "spiral", "train_test_split", "xor"]


def _check_size(n: int, least: int, what: str = "n") -> None:
    if isinstance(n, bool) or not isinstance(n, int) or n < least:
        raise ValueError(f"{what} must be an int >= {least}, got {n!r}")


def _shuffled(points: Points, labels: Labels, rng: random.Random) -> tuple[Points, Labels]:
    order = list(range(len(points)))
    rng.shuffle(order)
    return [points[i] for i in order], [labels[i] for i in order]


def _check_noise(noise: float) -> None:
    if not noise >= 0:
        raise ValueError(f"noise must be a number >= 0, got {noise!r}")


def _jitter(points: Points, noise: float, rng: random.Random) -> Points:
    _check_noise(noise)
    return [[c + rng.gauss(0.0, noise) for c in point] for point in points]


def _linspace(start: float, stop: float, n: int, endpoint: bool = True) -> list[float]:
    steps = n - 1 if endpoint else n
    return [start + (stop - start) * i / steps for i in range(n)] if steps else [start]


def xor() -> tuple[Points, Labels]:
    """The four XOR cases: [[0,0],[0,1],[1,0],[1,1]] -> [0, 1, 1, 0]."""
    return [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [0, 1, 1, 0]


def moons(n: int = 100, noise: float = 0.1, seed: Seed = 0) -> tuple[Points, Labels]:
    """Two interleaving half circles: the upper one is class 0, the lower one class 1."""
    _check_size(n, 2)
    rng = make_rng(seed)
    n_upper = n // 2
    upper = [[math.cos(t), math.sin(t)] for t in _linspace(0.0, math.pi, n_upper)]
    lower = [[1.0 - math.cos(t), 0.5 - math.sin(t)] for t in _linspace(0.0, math.pi, n - n_upper)]
    points = _jitter(upper + lower, noise, rng)
    return _shuffled(points, [0] * n_upper + [1] * (n - n_upper), rng)


def circles(
    n: int = 100, noise: float = 0.05, factor: float = 0.5, seed: Seed = 0
) -> tuple[Points, Labels]:
    """A circle of radius `factor` (class 1) inside one of radius 1 (class 0)."""
    _check_size(n, 2)
    if not 0 < factor < 1:
        raise ValueError(f"factor (the inner radius) must be in (0, 1), got {factor!r}")
    rng = make_rng(seed)
    n_outer = n // 2
    points = []
    for count, radius in ((n_outer, 1.0), (n - n_outer, factor)):
        angles = _linspace(0.0, 2 * math.pi, count, endpoint=False)
        points += [[radius * math.cos(t), radius * math.sin(t)] for t in angles]
    return _shuffled(_jitter(points, noise, rng), [0] * n_outer + [1] * (n - n_outer), rng)


def spiral(
    n_per_class: int = 40, classes: int = 3, noise: float = 0.2, seed: Seed = 0
) -> tuple[Points, Labels]:
    """`classes` spiral arms from the origin outwards; the angle gets the noise."""
    _check_size(n_per_class, 2, "n_per_class")
    _check_size(classes, 2, "classes")
    _check_noise(noise)
    rng = make_rng(seed)
    points, labels = [], []
    for c in range(classes):
        radii = _linspace(0.0, 1.0, n_per_class)
        angles = _linspace(c * 4.0, (c + 1) * 4.0, n_per_class)
        for r, t in zip(radii, angles):
            t += rng.gauss(0.0, noise)
            points.append([r * math.sin(t), r * math.cos(t)])
            labels.append(c)
    return _shuffled(points, labels, rng)


def blobs(
    n: int = 100, centers: int = 3, std: float = 1.0, seed: Seed = 0, box: float = 10.0
) -> tuple[Points, Labels]:
    """`n` points in `centers` Gaussian clusters; centers uniform in [-box, box]^2."""
    _check_size(n, 1)
    _check_size(centers, 1, "centers")
    rng = make_rng(seed)
    middles = [[rng.uniform(-box, box), rng.uniform(-box, box)] for _ in range(centers)]
    labels = [i % centers for i in range(n)]
    points = _jitter([list(middles[c]) for c in labels], std, rng)
    return _shuffled(points, labels, rng)


def train_test_split(
    X: Sequence[T], y: Sequence[int], test_fraction: float = 0.25, seed: Seed = 0
) -> tuple[list[T], list[T], list[int], list[int]]:
    """Shuffle, then split: (X_train, X_test, y_train, y_test), as scikit-learn returns them.

    The test part has round(test_fraction * n) samples, and each part at least one.
    """
    if len(X) != len(y):
        raise ValueError(f"X has {len(X)} samples but y has {len(y)}")
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must be in (0, 1), got {test_fraction!r}")
    n_test = round(test_fraction * len(X))
    if not 0 < n_test < len(X):
        raise ValueError(
            f"cannot split {len(X)} samples with test_fraction {test_fraction}: "
            "each part needs at least one"
        )
    order = list(range(len(X)))
    make_rng(seed).shuffle(order)
    test, train = order[:n_test], order[n_test:]
    return [X[i] for i in train], [X[i] for i in test], [y[i] for i in train], [y[i] for i in test]
