"""How nodes, operations and numbers are written in drawings and chain-rule lines.

A node is called by its label; an unlabelled output is called `L` (as in dL/dx) and
every other unlabelled node `v1`, `v2`, ... in the order a reader computes them (inputs
first, left to right: in `x1*w1 + x2*w2`, v1 is x1*w1), so a drawing and a step-by-step
backward of the same graph use the same names.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from ..engine import Value

ROOT_NAME = "L"
PLACEHOLDER = "·"  # stands for an input in an operation's short form, as in "· * 2"
MOST_TERMS = 6  # a sum of more inputs is written with an ellipsis

_IDENTIFIER = re.compile(r"[A-Za-z_]\w*")


# The number formats accepted: a small part of Python's format spec, checked by its
# shape, never by formatting (a width of 10**9 would build a gigabyte string):
#   [sign][width][,][.precision][type]
# sign one of + - (space), width up to 2 digits, precision 0..17, type one of e E f F g G %.
# No fill or alignment, so no character that means something in HTML or DOT.
_NUMBER_FORMAT = re.compile(r"[+\- ]?\d{0,2},?(?:\.(?:1[0-7]|\d))?[eEfFgG%]?")
FORMAT_HELP = (
    "[sign][width][,][.precision][type]: sign + - or space, width up to 2 digits, "
    "precision 0 to 17, type one of e E f F g G %; for example .4g, .3f, .2e, +.3g"
)
MOST_LABEL = 60  # characters of a label shown; a longer one is cut, visibly


def check_format(fmt: str) -> str:
    """`fmt` if it is a number format of the small language above, else a clear ValueError."""
    if not isinstance(fmt, str) or not _NUMBER_FORMAT.fullmatch(fmt):
        raise ValueError(f"number format {fmt!r} is not accepted; use {FORMAT_HELP}")
    return fmt


def number(x: float, fmt: str) -> str:
    """x written with `fmt`, with no minus sign on a zero ("-0" and "-0.000" become 0)."""
    text = format(x, fmt)
    digits = text.split("e")[0].split("E")[0]
    rounded_to_zero = not any(c in "123456789" for c in digits) and math.isfinite(x)
    if text.lstrip().startswith("-") and rounded_to_zero:  # a negative zero, or nearly
        text = format(0.0, fmt)
    return text


def visible(label: str) -> str:
    """A label as it is shown: control characters (NUL, ANSI escapes) written out as
    escapes such as \\x1b, and at most MOST_LABEL characters, the cut marked."""
    shown = "".join(
        c if c.isprintable() or c == " " else repr(c)[1:-1] for c in label[: MOST_LABEL * 4]
    )
    if len(shown) > MOST_LABEL:
        return f"{shown[: MOST_LABEL - 1]}… ({len(label):,} characters)"
    return shown


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
            names[node] = visible(node.label)
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
    return None if node.const is None else number(node.const, fmt)


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
