"""Datasets: sizes, labels, geometry, determinism; the train/test split."""

from __future__ import annotations

import math
import random
from collections import Counter

import pytest

from autograd.nn import data


def test_xor() -> None:
    assert data.xor() == ([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [0, 1, 1, 0])


@pytest.mark.parametrize(
    ("make", "n", "classes"),
    [
        (lambda seed: data.moons(101, seed=seed), 101, 2),
        (lambda seed: data.circles(100, seed=seed), 100, 2),
        (lambda seed: data.spiral(30, 3, seed=seed), 90, 3),
        (lambda seed: data.blobs(60, centers=4, seed=seed), 60, 4),
    ],
)
def test_sizes_labels_and_seeds(make, n: int, classes: int) -> None:  # type: ignore[no-untyped-def]
    X, y = make(0)
    assert len(X) == len(y) == n
    assert all(len(point) == 2 and all(isinstance(c, float) for c in point) for point in X)
    counts = Counter(y)
    assert sorted(counts) == list(range(classes))
    assert max(counts.values()) - min(counts.values()) <= 1  # balanced
    assert make(0) == (X, y)  # the same seed, the same points
    assert make(1) != (X, y)
    assert make(random.Random(0)) == (X, y)  # a Random seeded alike gives the same


def test_labels_are_shuffled() -> None:
    _, y = data.moons(100)
    assert y[:50] != [0] * 50


def test_moons_without_noise_lie_on_their_half_circles() -> None:
    X, y = data.moons(40, noise=0.0)
    for (a, b), label in zip(X, y):
        center = (0.0, 0.0) if label == 0 else (1.0, 0.5)
        assert math.dist((a, b), center) == pytest.approx(1.0)
        assert (b >= -1e-12) if label == 0 else (b <= 0.5 + 1e-12)


def test_circles_without_noise_have_their_radii() -> None:
    X, y = data.circles(50, noise=0.0, factor=0.3)
    for point, label in zip(X, y):
        assert math.hypot(*point) == pytest.approx(1.0 if label == 0 else 0.3)


def test_spiral_radius_grows_along_each_arm() -> None:
    X, y = data.spiral(20, 2, noise=0.0)
    radii = sorted(math.hypot(*p) for p, c in zip(X, y) if c == 1)
    assert radii[0] == pytest.approx(0.0) and radii[-1] == pytest.approx(1.0)


def test_blobs_cluster_around_their_centers() -> None:
    X, y = data.blobs(300, centers=2, std=0.1, seed=3)
    for c in (0, 1):
        points = [p for p, label in zip(X, y) if label == c]
        mean = [sum(p[i] for p in points) / len(points) for i in range(2)]
        assert max(math.dist(p, mean) for p in points) < 0.6  # 6 standard deviations


def test_train_test_split() -> None:
    X, y = data.moons(100)
    X_train, X_test, y_train, y_test = data.train_test_split(X, y, test_fraction=0.2, seed=1)
    assert (len(X_train), len(X_test), len(y_train), len(y_test)) == (80, 20, 80, 20)
    pairs = sorted(zip(map(tuple, X_train + X_test), y_train + y_test))
    assert pairs == sorted(zip(map(tuple, X), y))  # nothing lost or duplicated, labels kept
    assert data.train_test_split(X, y, 0.2, seed=1) == (X_train, X_test, y_train, y_test)


@pytest.mark.parametrize(
    "call",
    [
        lambda: data.moons(1),
        lambda: data.moons(10, noise=-1.0),
        lambda: data.circles(10, factor=1.5),
        lambda: data.spiral(10, classes=1),
        lambda: data.train_test_split([[0.0]], [0, 1]),
        lambda: data.train_test_split([[0.0], [1.0]], [0, 1], test_fraction=1.0),
        lambda: data.train_test_split([[0.0], [1.0]], [0, 1], test_fraction=0.1),
    ],
)
def test_bad_arguments(call) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError):
        call()
