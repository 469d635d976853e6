"""A function of two inputs, evaluated over a grid of the plane: the numbers a picture of a
decision boundary, or of what one hidden neuron responds to, is drawn from.

>>> from autograd.nn import Neuron
>>> neuron = Neuron(2, "linear")
>>> rows = over_plane(neuron, xs=[-1.0, 0.0, 1.0], ys=[-1.0, 1.0])
>>> len(rows), len(rows[0])  # one row per y, one column per x
(2, 3)

The rows are in the layout matplotlib's `contour`, `contourf` and `imshow` take:
`plt.contourf(xs, ys, over_plane(model, xs, ys))` draws the model's output.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..engine import Value, _to_float
from ..modes import no_grad

__all__ = ["over_plane"]


def over_plane(
    f: Callable[[list[float]], Value | float | list[Value]],
    xs: Sequence[float],
    ys: Sequence[float],
) -> list[list[float]]:
    """`f([x, y])` at every point of the grid `xs` by `ys`, with no graph recorded.

    `f` takes a point `[x, y]` (two floats) and returns a Value or a number: a model with
    one output, one neuron, or `lambda p: layer(p)[2]` for the third neuron of a layer.
    A list (what an MLP with several outputs returns) is refused with a TypeError.
    The result has one row per y, one column per x: `rows[i][j]` is `f([xs[j], ys[i]])`.
    """
    columns = [_to_float(x, "over_plane: each x") for x in xs]
    rows = [_to_float(y, "over_plane: each y") for y in ys]
    with no_grad():
        return [[_number(f([x, y])) for x in columns] for y in rows]


def _number(output: object) -> float:
    if isinstance(output, Value):
        return output.data
    if isinstance(output, (list, tuple)):
        raise TypeError(
            f"over_plane: f must return one Value or number, got a {type(output).__name__} "
            f"of {len(output)}: pick one output, e.g. lambda p: layer(p)[0]"
        )
    return _to_float(output, "over_plane: what f returns")
