"""Helpers over lists of Values: sum, max, dot, softmax, log_softmax, logsumexp.

Each accepts Values and plain numbers mixed. Softmax and its relatives subtract the
largest input first, so they never overflow on finite input; the shift is a plain
number, which leaves the gradient exact (it cancels in the math).
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Sequence

from .engine import Operand, Value, _record, _to_float
from .ops import OPS

_SUM, _MAX = OPS["sum"], OPS["max"]


def as_value(x: Operand) -> Value:
    """x itself if it is a Value, else a new leaf holding the number."""
    return x if isinstance(x, Value) else Value(x)


def sum(values: Iterable[Operand], start: float = 0.0) -> Value:  # noqa: A001
    """The sum as ONE node with many parents (not a chain of additions).

    Plain numbers among `values` are added as a constant, so they make no nodes.
    """
    nodes: list[Value] = []
    constant = _to_float(start, "sum() start")
    for v in values:
        if isinstance(v, Value):
            nodes.append(v)
        else:
            constant += _to_float(v, "sum() element")
    if not nodes:
        return Value(constant)
    total = _record(_SUM, _SUM.forward(*(v.data for v in nodes)), tuple(nodes))
    return total + constant if constant != 0.0 else total


def max(values: Iterable[Operand]) -> Value:  # noqa: A001
    """The largest of `values` as ONE node (a max-pooling window), plain numbers as leaves.

    Its derivative is 1 for the winning input and 0 for the others. Ties follow
    PyTorch's max_pool2d: the first largest input in the order given wins (so a
    pooling window listed row by row gives the top-left one); if any input is NaN the
    result is NaN and the last NaN wins (see `ops.winner`).
    """
    nodes = [as_value(v) for v in values]
    if not nodes:
        raise ValueError("max() of an empty list")
    return _record(_MAX, _MAX.forward(*(v.data for v in nodes)), tuple(nodes))


def dot(weights: Sequence[Operand], inputs: Sequence[Operand]) -> Value:
    """sum(w_i * x_i): one product node per pair, then one sum node."""
    if len(weights) != len(inputs):
        raise ValueError(f"dot() needs equal lengths, got {len(weights)} and {len(inputs)}")
    return sum(as_value(w) * x for w, x in zip(weights, inputs))


def _shifted(values: Sequence[Operand]) -> tuple[list[Value], float]:
    nodes = [as_value(v) for v in values]
    if not nodes:
        raise ValueError("softmax/logsumexp of an empty list")
    return nodes, builtins.max(v.data for v in nodes)


def logsumexp(values: Sequence[Operand]) -> Value:
    """log(sum(exp(v))), computed as m + log(sum(exp(v - m))) with m = max(v)."""
    nodes, shift = _shifted(values)
    return sum((v - shift).exp() for v in nodes).log() + shift


def softmax(values: Sequence[Operand]) -> list[Value]:
    """exp(v_i) / sum_j exp(v_j), shifted by the maximum so that nothing overflows."""
    nodes, shift = _shifted(values)
    exps = [(v - shift).exp() for v in nodes]
    total = sum(exps)
    return [e / total for e in exps]


def log_softmax(values: Sequence[Operand]) -> list[Value]:
    """v_i - logsumexp(v): the log-probabilities, stable for any finite input."""
    nodes = [as_value(v) for v in values]
    lse = logsumexp(nodes)
    return [v - lse for v in nodes]
