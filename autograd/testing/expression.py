"""An expression tree over the engine's operations: built on Values, printed as math.

`autograd.testing.expressions()` draws these at random. They are plain data, so the
same expression can be built again and again, on fresh leaves or on Values of your
own, and a failing one prints as the formula it is: `exp(x) * (y - 2)`.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..engine import Value
from ..functional import as_value
from ..functional import max as value_max
from ..functional import sum as value_sum
from ..ops import OPS, Op


@dataclass(frozen=True)
class Variable:
    """A leaf of the tree: input number `index`, printed as `name`."""

    index: int
    name: str


@dataclass(frozen=True)
class Apply:
    """Operation `op` (a key of `ops.OPS`) applied to `children`, with its constant if any."""

    op: str
    children: tuple[Tree, ...]
    const: float | None = None


Tree = Variable | Apply

# Each operation reached through Value's public surface, the calls users write, so that
# a generated expression also checks that `2 - x` really records rsub_const.
APPLY: dict[str, Callable[..., Value]] = {
    "add": operator.add,
    "sub": operator.sub,
    "mul": operator.mul,
    "div": operator.truediv,
    "pow": operator.pow,
    "add_const": lambda x, c: x + c,
    "sub_const": lambda x, c: x - c,
    "rsub_const": lambda x, c: c - x,
    "mul_const": lambda x, c: x * c,
    "div_const": lambda x, c: x / c,
    "rdiv_const": lambda x, c: c / x,
    "pow_const": lambda x, c: x**c,
    "rpow_const": lambda x, c: c**x,
    "neg": operator.neg,
    "abs": abs,
    "exp": Value.exp,
    "log": Value.log,
    "sqrt": Value.sqrt,
    "tanh": Value.tanh,
    "sigmoid": Value.sigmoid,
    "softplus": Value.softplus,
    "sin": Value.sin,
    "cos": Value.cos,
    "relu": Value.relu,
    "leaky_relu": Value.leaky_relu,
    "sum": lambda *xs: value_sum(xs),
    "max": lambda *xs: value_max(xs),
}


def applier(op: Op) -> Callable[..., Value] | None:
    """How to record `op` on Values: APPLY for a built-in, the function define_op
    returned for your own; None if there is no way."""
    return APPLY.get(op.name) if op.builtin else op.apply


def evaluate(tree: Tree, leaves: Sequence[Value]) -> Value:
    """Build `tree` on `leaves` (one Value per variable): one new node per operation."""
    if isinstance(tree, Variable):
        return leaves[tree.index]
    args: list[Value | float] = [evaluate(child, leaves) for child in tree.children]
    if tree.const is not None:
        args.append(tree.const)
    apply = applier(OPS[tree.op])
    assert apply is not None, f"no way to build {tree.op!r}"
    return apply(*args)


# --- printing as math ---

_ATOM = 9  # a variable or a function call never needs parentheses
_PRECEDENCE = {" + ": 1, " - ": 1, " * ": 2, " / ": 2, "-": 3, " ** ": 4}


def _precedence(op: Op) -> int:
    """How tightly an operation binds, read off its template: `{0} * {c}` -> 2."""
    skeleton = re.sub(r"\{\w*\}", "", op.template)
    return _PRECEDENCE.get(skeleton, _ATOM)


def _number(c: float) -> str:
    text = f"{c:g}"
    return f"({text})" if c < 0 else text


def _math(tree: Tree) -> tuple[str, int]:
    """The formula and the precedence of its outermost operation."""
    if isinstance(tree, Variable):
        return tree.name, _ATOM
    op = OPS[tree.op]
    precedence = _precedence(op)
    texts = []
    for child in tree.children:
        text, inner = _math(child)
        # Parenthesize at equal precedence too: (x - y) - z is never misread.
        texts.append(f"({text})" if inner <= precedence < _ATOM else text)
    if tree.const is None:
        return op.format(texts), precedence
    return op.template.format(*texts, c=_number(tree.const)), precedence


def to_math(tree: Tree) -> str:
    """The tree as a formula: `exp(x) * (y - 2)`."""
    return _math(tree)[0]


def _operation_names(tree: Tree) -> list[str]:
    """The operation names in the tree, parents before children."""
    if isinstance(tree, Variable):
        return []
    return [tree.op] + [name for child in tree.children for name in _operation_names(child)]


@dataclass(frozen=True)
class Expression:
    """A formula over named variables, together with the point to evaluate it at.

    Call it on Values (one per variable) to build its graph: `e(x, y)`. `e.inputs`
    are the drawn numbers, `e.leaves()` fresh labelled Values holding them.
    """

    tree: Tree
    names: tuple[str, ...]
    inputs: tuple[float, ...]

    def __call__(self, *args: Value | float) -> Value:
        if len(args) != len(self.names):
            raise TypeError(f"{self} takes {len(self.names)} inputs, got {len(args)}")
        return evaluate(self.tree, [as_value(a) for a in args])

    def leaves(self) -> list[Value]:
        """Fresh leaves at the expression's inputs, labelled with the variable names."""
        return [Value(x, label=name) for name, x in zip(self.names, self.inputs)]

    def build(self) -> tuple[Value, list[Value]]:
        """The expression built on fresh leaves: (output, leaves)."""
        leaves = self.leaves()
        return evaluate(self.tree, leaves), leaves

    @property
    def operations(self) -> list[str]:
        """The operation names it uses, outermost first (repeats included)."""
        return _operation_names(self.tree)

    def __str__(self) -> str:
        return to_math(self.tree)

    def __repr__(self) -> str:
        point = ", ".join(f"{name}={x!r}" for name, x in zip(self.names, self.inputs))
        return f"Expression({str(self)!r}, {point})"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """Hypothesis and IPython print through this: the formula, not the tree's fields."""
        printer.text(repr(self))
