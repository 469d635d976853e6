"""Hypothesis strategies: input numbers, and random expressions over the rule table.

    from hypothesis import given
    from autograd.testing import expressions, gradcheck

    @given(expressions(variables=2))
    def test_my_function_composes(e):
        gradcheck(lambda x, y: my_function(e(x, y)), e.inputs)

- `values()`: input numbers; `expressions(...)`: random formulas over the engine's
  operations, each with the point to evaluate it at, always inside every operation's
  domain. A failing example shrinks to a short formula and prints as math.

The strategies need hypothesis (`pip install "glassgrad[test]"`); it is imported
only here, and only when a strategy is made, so gradcheck works without it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING

from ..engine import _to_float
from ..ops import OPS, Op, op_named
from .expression import Apply, Expression, Tree, Variable, applier

if TYPE_CHECKING:
    from hypothesis.strategies import DrawFn, SearchStrategy


def _hypothesis() -> ModuleType:
    try:
        from hypothesis import strategies
    except ImportError as error:
        raise ImportError(
            'autograd.testing strategies need hypothesis: pip install "glassgrad[test]"'
        ) from error
    return strategies


def values(min_value: float = -5.0, max_value: float = 5.0) -> SearchStrategy[float]:
    """Input numbers: finite floats in [min_value, max_value] (no subnormals).

    They shrink towards 0 and small integers, so a failing input reads well.
    """
    st = _hypothesis()
    strategy: SearchStrategy[float] = st.floats(
        min_value, max_value, allow_nan=False, allow_infinity=False, allow_subnormal=False
    )
    return strategy


# --- where each operation may be used ---

BOUND = 1e3
"""Every intermediate value of a generated expression stays within +-BOUND."""

# Beyond the forward raising, where an operation is singular (derivatives blow up) or
# has a kink (finite differences straddle it): operands must keep `margin` away.
# Arguments: the operands, then the constant if the operation has one, then the margin.
_DOMAIN: dict[str, Callable[..., bool]] = {
    "div": lambda a, b, m: abs(b) >= m,
    "pow": lambda a, b, m: a >= m,
    "div_const": lambda x, c, m: abs(c) >= m,
    "rdiv_const": lambda x, c, m: abs(x) >= m,
    "pow_const": lambda x, c, m: x >= m or (c.is_integer() and (c >= 0 or abs(x) >= m)),
    "rpow_const": lambda x, c, m: c >= m,
    "log": lambda x, m: x >= m,
    "sqrt": lambda x, m: x >= m,
    "abs": lambda x, m: abs(x) >= m,
    "relu": lambda x, m: abs(x) >= m,
    "leaky_relu": lambda x, c, m: abs(x) >= m,
    "max": lambda *xs_m: _lead(xs_m[:-1]) >= xs_m[-1],
}


def _lead(xs: Sequence[float]) -> float:
    """How far the largest of xs is ahead of the next: max is a kink where they tie."""
    top = sorted(xs, reverse=True)
    return top[0] - top[1] if len(top) > 1 else math.inf


# Constants for operations that take one, simplest first (shrinking moves towards the
# front): few and round, so that a counterexample reads `x ** 2`, not `x ** 1.9473`.
_CONSTANTS = (2.0, 3.0, 0.5, -1.0, 1.5, -2.0, 0.25, -0.5, 4.0, 10.0, -3.0, 0.1)
_SLOPES = (0.01, 0.1, 0.2, 0.5)


def _constants(op: Op) -> tuple[float | None, ...]:
    if not op.has_const:
        return (None,)
    return _SLOPES if op.name == "leaky_relu" else _CONSTANTS


def _fits(op: Op, operands: tuple[float, ...], const: float | None, margin: float) -> bool:
    """Whether op on these operands (and constant) is well inside its domain and bounded."""
    args = operands if const is None else (*operands, const)
    rule = _DOMAIN.get(op.name) if op.builtin else None
    if rule is not None and not rule(*args, margin):
        return False
    # An operation of your own (define_op): inside its domain, `margin` from its kinks.
    if any(abs(operands[0] - kink) < margin for kink in op.kinks):
        return False
    try:
        out = op.forward(*args)
    except (ValueError, ZeroDivisionError, OverflowError):
        return False
    return abs(out) <= BOUND  # False for NaN and infinities


@dataclass(frozen=True)
class _Plan:
    """What expressions() was asked for, checked once."""

    names: tuple[str, ...]
    ops: tuple[Op, ...]
    max_depth: int
    margin: float
    inputs: SearchStrategy[float]


def _plan(
    variables: int | Sequence[str],
    ops: Sequence[str] | None,
    max_depth: int,
    margin: float,
    inputs: SearchStrategy[float],
) -> _Plan:
    if isinstance(variables, int):
        if variables < 1:
            raise ValueError(f"expressions() needs at least one variable, got {variables}")
        few = variables <= 4
        names = (
            ("x", "y", "z", "w")[:variables] if few else tuple(f"x{i}" for i in range(variables))
        )
    else:
        names = tuple(variables)
        named = all(isinstance(name, str) and name for name in names)
        if not names or len(set(names)) != len(names) or not named:
            raise ValueError(f"variables must be distinct non-empty names, got {variables!r}")
    chosen = [op_named(name) for name in (ops if ops is not None else OPS)]
    for op in chosen:
        if applier(op) is None:
            raise ValueError(f"expressions() does not know how to build {op.name!r}")
    if not isinstance(max_depth, int) or max_depth < 0:
        raise ValueError(f"max_depth must be an integer >= 0, got {max_depth!r}")
    if not margin >= 0:
        raise ValueError(f"margin must be >= 0, got {margin!r}")
    return _Plan(names, tuple(chosen), max_depth, margin, inputs)


def _draw_tree(
    draw: DrawFn, st: ModuleType, plan: _Plan, point: list[float | None], depth: int
) -> tuple[Tree, float]:
    """A random tree and its value; each operation is drawn among those that fit.

    A variable's value is drawn where the variable first appears, so that a shrunk
    example is a short formula (`cos(x)` at x=1.5) rather than a longer formula
    around a simpler number (`cos(x + 2)` at x=0).
    """
    if depth == 0 or not plan.ops or draw(st.integers(0, 2)) == 0:
        i = draw(st.integers(0, len(point) - 1))
        x = point[i]
        if x is None:
            x = point[i] = draw(plan.inputs)
        return Variable(i, plan.names[i]), x
    arity = draw(st.sampled_from(plan.ops)).arity  # so each op, not each arity, is as likely
    count = arity if arity >= 0 else draw(st.integers(2, 4))
    children = [_draw_tree(draw, st, plan, point, depth - 1) for _ in range(count)]
    operands = tuple(value for _, value in children)
    fitting = {
        op: fits
        for op in plan.ops
        if op.arity == arity
        and (fits := [c for c in _constants(op) if _fits(op, operands, c, plan.margin)])
    }
    if not fitting:  # nothing applies to these operands here: keep the first one alone
        return children[0]
    op = draw(st.sampled_from(list(fitting)))
    const = draw(st.sampled_from(fitting[op]))
    args = operands if const is None else (*operands, const)
    return Apply(op.name, tuple(tree for tree, _ in children), const), op.forward(*args)


def _fixed_point(at: Sequence[float] | None, names: tuple[str, ...]) -> tuple[float, ...]:
    if at is None:
        return ()
    point = tuple(_to_float(x, "at=") for x in at)  # a huge int saturates, refused below
    if len(point) != len(names) or not all(math.isfinite(x) for x in point):
        raise ValueError(f"at= needs {len(names)} finite numbers, one per variable, got {at!r}")
    return point


def expressions(
    variables: int | Sequence[str] = 2,
    ops: Sequence[str] | None = None,
    max_depth: int = 4,
    margin: float = 0.1,
    inputs: SearchStrategy[float] | None = None,
    at: Sequence[float] | None = None,
) -> SearchStrategy[Expression]:
    """Random formulas over the engine's operations, with the point to evaluate them at.

    variables: how many (named x, y, z, w, or x0, x1, ... beyond four), or their names.
    ops:       names of operations to use (keys of `autograd.OPS`); default all of them,
               your own (define_op) included: they are drawn inside their `domain`,
               `margin` away from their `kinks`.
    max_depth: the most operations on any path from the result to a variable.
    margin:    how far operands keep from where an operation is singular or has a kink:
               divisors and logs, square roots, negative powers and `Value ** Value`
               bases stay >= margin away from 0, and so do the operands of abs, relu and
               leaky_relu; the largest operand of max leads the next by >= margin.
               Pass 0 to allow (finite but) near-singular cases.
    inputs:    a strategy for each variable's value; default `values()`.
    at:        a fixed point instead (one number per variable), e.g. `at=f.inputs` to
               draw a second expression g where f is, to test identities of f and g.

    Every intermediate value stays within +-1000 (BOUND). Each draw is an Expression:
    call it on Values to build it, `e.inputs` is the drawn point, and str(e) is the
    formula (`exp(x) * (y - 2)`); failing examples shrink to short formulas.
    """
    st = _hypothesis()
    plan = _plan(variables, ops, max_depth, margin, values() if inputs is None else inputs)

    fixed = _fixed_point(at, plan.names)

    def draw_expression(draw: DrawFn) -> Expression:
        point: list[float | None] = list(fixed) if fixed else [None] * len(plan.names)
        tree, _ = _draw_tree(draw, st, plan, point, plan.max_depth)
        # Variables the formula does not use still get a value, drawn last.
        filled = tuple(draw(plan.inputs) if x is None else x for x in point)
        return Expression(tree, plan.names, filled)

    strategy: SearchStrategy[Expression] = st.composite(draw_expression)()
    return strategy
