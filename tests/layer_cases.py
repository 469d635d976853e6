"""Shared by the layer tests: random inputs as Values, and a scalar that weighs every output.

`weighted_sum(outputs, rng)` multiplies each output by its own random coefficient and
sums, so that one backward checks the gradient that reaches every output separately.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from typing import Any

from autograd import Value
from autograd import sum as vsum
from autograd.nn import Module


def values(shape: tuple[int, ...], rng: random.Random, label: str = "x") -> Any:
    """A nested list of leaf Values of `shape`, standard normal."""
    if len(shape) == 1:
        return [Value(rng.gauss(0.0, 1.0), label) for _ in range(shape[0])]
    return [values(shape[1:], rng, label) for _ in range(shape[0])]


def flat(x: Any) -> Iterator[Any]:
    """The items of a nested list (or tuple), in row-major order."""
    if isinstance(x, (list, tuple)):
        for item in x:
            yield from flat(item)
    else:
        yield x


def coefficients(n: int, seed: int = 7) -> list[float]:
    rng = random.Random(seed)
    return [rng.uniform(-1.0, 1.0) for _ in range(n)]


def weighted_sum(outputs: Any) -> Value:
    items = list(flat(outputs))
    return vsum(c * v for c, v in zip(coefficients(len(items)), items))


def rebind(module: Any, mapping: dict[Value, Value]) -> None:
    """Replace, inside a module (and its sub-modules), each parameter by mapping[it]."""
    for attribute, item in list(vars(module).items()):
        setattr(module, attribute, _swap(item, mapping))


def _swap(item: Any, mapping: dict[Value, Value]) -> Any:
    if isinstance(item, Value):
        return mapping.get(item, item)
    if isinstance(item, list):
        return [_swap(inner, mapping) for inner in item]
    if isinstance(item, Module):
        rebind(item, mapping)
    return item


def as_function(
    module: Module, x: Any, call: Callable[[Module, Any], Any] | None = None
) -> tuple[Callable[..., Value], list[float]]:
    """(f, point) for gradcheck: f(*inputs, *parameters) is the weighted sum of the outputs."""
    inputs = list(flat(x))
    parameters = module.parameters()
    point = [v.data for v in inputs] + [p.data for p in parameters]
    shape_source = x

    def rebuild(it: Iterator[Value], template: Any) -> Any:
        if isinstance(template, list):
            return [rebuild(it, inner) for inner in template]
        return next(it)

    def f(*args: Value) -> Value:
        new_inputs = rebuild(iter(args[: len(inputs)]), shape_source)
        current = module.parameters()
        rebind(module, dict(zip(current, args[len(inputs) :])))
        try:
            outputs = (call or (lambda m, v: m(v)))(module, new_inputs)  # type: ignore[operator]
            return weighted_sum(outputs)
        finally:
            rebind(module, dict(zip(module.parameters(), current)))

    return f, point
