"""How large the terms are that a gradient adds up: the yardstick for its rounding error.

A gradient is a sum over paths of products of local derivatives. Where those terms
cancel, float64 keeps about 16 digits of the largest term, not of the result, so a
tolerance relative to the result would be wrong exactly where the engine is right.
And a local derivative is itself computed with an absolute error near 1e-16 times the
size of its formula's terms: tanh' = 1 - tanh^2 is 9e-16 at x = 18 but comes out as
1.1e-15 or 0 in float64 (PyTorch computes it the same way). So a tolerance has two parts:

    rel * gradient_scale(out, leaves) + floor * gradient_scale(out, leaves, at_least=1.0)

The magnitudes use the engine's local derivatives to size the tolerance only; the
expected values always come from an independent oracle.
"""

from __future__ import annotations

from collections.abc import Sequence

from autograd import Value, topological_order


def gradient_scale(output: Value, leaves: Sequence[Value], at_least: float = 0.0) -> list[float]:
    """For each leaf, the sum over paths to it of the product of max(|local|, at_least)."""
    size: dict[Value, float] = {output: 1.0}
    for node in reversed(topological_order([output])):
        upstream = size.get(node)
        if upstream is None or not node.parents:
            continue
        for parent, local in zip(node.parents, node.local_gradients()):
            size[parent] = size.get(parent, 0.0) + max(abs(local), at_least) * upstream
    return [size.get(leaf, 0.0) for leaf in leaves]


def value_scale(output: Value) -> float:
    """The largest magnitude of any value computed on the way to output."""
    return max(abs(node.data) for node in topological_order([output]))


def tolerances(output: Value, leaves: Sequence[Value], rel: float, floor: float) -> list[float]:
    """How far each of d(output)/d(leaf) may be from the truth, as explained above."""
    return [
        rel * tight + floor * loose
        for tight, loose in zip(gradient_scale(output, leaves), gradient_scale(output, leaves, 1.0))
    ]
