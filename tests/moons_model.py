"""A trained moons MLP (the `train moons` recipe, shortened), trained once per test session."""

from __future__ import annotations

import functools

from autograd.nn import MLP, data, train

EPOCHS = 20  # enough to separate the moons well (about 90% training accuracy), in seconds


@functools.cache
def trained_moons() -> tuple[MLP, data.Points, data.Labels]:
    """(model, training inputs, training labels). Do not change the model: it is shared."""
    run = train.prepare("moons", epochs=EPOCHS)
    run.fit()
    return run.model, run.X, run.y


def moons_test_set(n: int = 1000) -> tuple[data.Points, data.Labels]:
    """Fresh points from the same distribution (another seed)."""
    return data.moons(n, 0.1, seed=1)
