"""The shapes of nested lists: what layers check before they compute anything.

Images are `[channels][height][width]` lists and sequences `[time][features]` lists of
Values or plain numbers. A layer given the wrong shape (a ragged list, a wrong channel
count, a kernel larger than the padded input) raises a ValueError naming the layer, the
shape it expects and the shape it received, never an IndexError from deep inside.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any

from ..engine import Value


def _is_scalar(x: object) -> bool:
    return isinstance(x, Value) or (isinstance(x, numbers.Real) and not isinstance(x, bool))


def shape_of(x: object, rank: int, layer: str, expected: str) -> tuple[int, ...]:
    """The shape of `x`, a nested list `rank` deep whose innermost items are numbers.

    A ragged list, a scalar where a list should be (or the reverse), or an empty list
    raises ValueError: "<layer> expects <expected>, got <what it got>".
    """
    shape: list[int] = []
    level: list[Any] = [x]
    for depth in range(rank):
        sizes = set()
        for item in level:
            if isinstance(item, (str, bytes)) or not isinstance(item, Sequence):
                raise ValueError(
                    f"{layer} expects {expected}, got {_describe(x)} "
                    f"(a {type(item).__name__} at depth {depth}, where a list should be)"
                )
            sizes.add(len(item))
        if len(sizes) != 1:
            raise ValueError(
                f"{layer} expects {expected}, got a ragged list: lists at depth {depth} "
                f"have lengths {sorted(sizes)}"
            )
        (size,) = sizes
        if size == 0:
            raise ValueError(f"{layer} expects {expected}, got an empty list at depth {depth}")
        shape.append(size)
        level = [inner for item in level for inner in item]
    for item in level:
        if not _is_scalar(item):
            raise ValueError(
                f"{layer} expects {expected}, got {type(item).__name__} items at depth {rank} "
                f"(a list nested {rank} deep has numbers or Values inside)"
            )
    return tuple(shape)


def _describe(x: object) -> str:
    """A short description of what was passed: a nested list's sizes as far as they go."""
    sizes = []
    while isinstance(x, Sequence) and not isinstance(x, (str, bytes)) and len(x) > 0:
        sizes.append(str(len(x)))
        x = x[0]
    if not sizes:
        return f"a {type(x).__name__}"
    return f"a list of shape [{']['.join(sizes)}]..."


def format_shape(shape: Sequence[int]) -> str:
    return "[" + "][".join(str(n) for n in shape) + "]"
