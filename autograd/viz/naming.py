"""How nodes, operations and numbers are written in drawings and chain-rule lines.

A node is called by its label; an unlabelled output is called `L` (as in dL/dx) and
every other unlabelled node `v1`, `v2`, ... in the order a reader computes them (inputs
first, left to right: in `x1*w1 + x2*w2`, v1 is x1*w1), so a drawing and a step-by-step
backward of the same graph use the same names.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..engine import Value

ROOT_NAME = "L"
PLACEHOLDER = "·"  # stands for an input in an operation's short form, as in "· * 2"
MOST_TERMS = 6  # a sum of more inputs is written with an ellipsis

_IDENTIFIER = re.compile(r"[A-Za-z_]\w*")


def check_format(fmt: str) -> str:
    """`fmt` if it is a format spec for floats (such as ".4g"), else a clear ValueError."""
    try:
        format(1.5, fmt)
    except (ValueError, TypeError) as error:
        raise ValueError(f"number format {fmt!r} is not a float format spec like '.4g'") from error
    return fmt


def reading_order(roots: Sequence[Value]) -> list[Value]:
    """Every node, inputs first, each operation's inputs in order from left to right."""
    order: list[Value] = []
    done: set[Value] = set()
    stack = [(root, False) for root in reversed(roots)]
    while stack:  # iterative: a chain of any length works
        node, expanded = stack.pop()
        if node in done:
            continue
        if expanded:
            done.add(node)
            order.append(node)
            continue
        stack.append((node, True))
        stack.extend((parent, False) for parent in reversed(node.parents) if parent not in done)
    return order


def node_names(roots: Sequence[Value]) -> dict[Value, str]:
    """A name for every node the roots depend on: its label, else `L` for a single root,
    else v1, v2, ... in reading order (skipping names some label already uses)."""
    order = reading_order(roots)
    taken = {node.label for node in order if node.label is not None}
    names: dict[Value, str] = {}
    counter = 0
    for node in order:
        if node.label is not None:
            names[node] = node.label
        elif len(roots) == 1 and node is roots[0] and ROOT_NAME not in taken:
            names[node] = ROOT_NAME
        else:
            counter += 1
            while f"v{counter}" in taken:
                counter += 1
            names[node] = f"v{counter}"
    return names


def derivative_operand(name: str) -> str:
    """How a name follows `d` in a derivative: dx, but d(L1.n2.w3)."""
    return name if _IDENTIFIER.fullmatch(name) else f"({name})"


def _constant(node: Value, fmt: str) -> str | None:
    return None if node.const is None else format(node.const, fmt)


def formula(node: Value, names: dict[Value, str], fmt: str) -> str:
    """How `node` was computed, in its inputs' names: "x * w", "sigmoid(z)", "v3 ** 2"."""
    assert node.op is not None, "a leaf has no formula"
    inputs = [names[p] for p in node.parents]
    if len(inputs) > MOST_TERMS:
        inputs = [*inputs[: MOST_TERMS - 2], "…", inputs[-1]]
    text = node.op.format(inputs, _constant(node, fmt))  # type: ignore[arg-type]
    if len(node.parents) > MOST_TERMS:
        text += f" ({len(node.parents)} terms)"
    return text


def operation_text(node: Value, fmt: str) -> str:
    """The operation alone, inputs shown as dots: "· * ·", "· * 2", "exp(·)", "sum of 3"."""
    assert node.op is not None, "a leaf has no operation"
    if node.op.arity < 0:
        return f"sum of {len(node.parents)}"
    return node.op.format([PLACEHOLDER] * node.op.arity, _constant(node, fmt))  # type: ignore[arg-type]
