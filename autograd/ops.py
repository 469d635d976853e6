"""The derivative rules: one table, one entry per operation.

Each `Op` says, once, how to compute an operation on floats (`forward`) and what its
local derivatives are (`derivative`). Rules are data: `derivative(m, out, *inputs)`
returns one local derivative d(out)/d(input) per input, written with ordinary
arithmetic and the functions of a math namespace `m`. The engine passes `FLOAT`
(plain floats, fast) for `backward()`, a namespace of `Value` operations for
`grad(create_graph=True)` (so the derivative is itself a graph), and the batch
evaluator passes NumPy. An operation with a constant (the 2 in `x ** 2`) receives
it after its inputs, in both `forward` and `derivative`.

Numerical policy (the same everywhere):
- inputs outside an operation's domain raise at once, naming the operation and
  the operand: `ValueError` (log of x <= 0, sqrt of x < 0, 0 to a negative
  power, a negative base to a non-integer power) or `ZeroDivisionError`;
- overflow saturates to +-inf (`exp(1000)` is inf), as in IEEE 754, NumPy and
  PyTorch; NaN and infinities then propagate silently;
- derivatives never raise: where a derivative is infinite (sqrt at 0) it is inf.
`detect_anomaly()` in the engine turns the first non-finite number into an error.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

INF = math.inf


# --- IEEE-style float helpers: they return inf or nan where Python would raise ---


def ieee_div(a: float, b: float) -> float:
    try:
        return a / b
    except ZeroDivisionError:
        return math.nan if a == 0 or a != a else math.copysign(INF, a) * math.copysign(1.0, b)


def ieee_pow(x: float, y: float) -> float:
    odd = y.is_integer() and y % 2 == 1
    try:
        result = x**y
    except ZeroDivisionError:  # 0.0 ** negative
        return math.copysign(INF, x) if odd else INF
    except OverflowError:
        return -INF if x < 0 and odd else INF
    return math.nan if isinstance(result, complex) else result


def ieee_exp(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:
        return INF


def ieee_log(x: float) -> float:
    if x > 0 or x != x:
        return math.log(x)
    return -INF if x == 0 else math.nan


def ieee_sin(x: float) -> float:
    return math.sin(x) if math.isfinite(x) else math.nan


def ieee_cos(x: float) -> float:
    return math.cos(x) if math.isfinite(x) else math.nan


def stable_sigmoid(x: float) -> float:
    # Only ever exponentiate a non-positive number, so nothing overflows.
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = ieee_exp(x)
    return e / (1.0 + e)


def stable_softplus(x: float) -> float:
    # log(1 + e^x) = max(x, 0) + log1p(e^-|x|): exact for large |x|, never overflows.
    if x != x:
        return x
    return max(x, 0.0) + math.log1p(ieee_exp(-abs(x)))


def step(x: float) -> float:
    """1.0 where x > 0, else 0.0: the derivative of relu (0 at 0, as in PyTorch)."""
    return 1.0 if x > 0 else 0.0


def sign(x: float) -> float:
    """The derivative of abs: -1, 0 (at 0, as in PyTorch) or 1."""
    return 1.0 if x > 0 else -1.0 if x < 0 else 0.0 if x == 0 else math.nan


def winner(xs: Sequence[Any]) -> int:
    """Which input of max(xs) gets the gradient: PyTorch's max_pool2d rule.

    The first largest input, in the order given (a pooling window's row-major scan);
    where any input is NaN (and so the max is NaN), the last NaN, as PyTorch's kernel
    replaces its running max by each NaN it meets. Works on floats and on Values.
    """
    best, best_data = 0, float(xs[0])
    for i in range(1, len(xs)):
        data = float(xs[i])
        if data > best_data or data != data:
            best, best_data = i, data
    return best


def one_hot(xs: Sequence[Any]) -> tuple[float, ...]:
    """The local derivatives of max(xs): 1.0 for the winner (see `winner`), 0.0 elsewhere."""
    won = winner(xs)
    return tuple(1.0 if i == won else 0.0 for i in range(len(xs)))


class FloatMath:
    """The namespace `m` that derivative rules see when they run on plain floats."""

    div = staticmethod(ieee_div)
    pow = staticmethod(ieee_pow)
    exp = staticmethod(ieee_exp)
    log = staticmethod(ieee_log)
    sin = staticmethod(ieee_sin)
    cos = staticmethod(ieee_cos)
    sigmoid = staticmethod(stable_sigmoid)
    step = staticmethod(step)
    sign = staticmethod(sign)
    one_hot = staticmethod(one_hot)


FLOAT = FloatMath()


# --- forwards on floats, with the domain checks of the numerical policy ---


def _div(a: float, b: float) -> float:
    if b == 0:
        raise ZeroDivisionError(f"div: division by zero ({a!r} / {b!r})")
    return a / b


def _rdiv(x: float, c: float) -> float:
    return _div(c, x)


def _check_power(op: str, base: float, exponent: float) -> None:
    if base == 0 and exponent < 0:
        raise ValueError(f"{op}: 0 cannot be raised to a negative power ({exponent!r})")
    if base < 0 and math.isfinite(exponent) and not exponent.is_integer():
        raise ValueError(f"{op}: negative base {base!r} to the non-integer power {exponent!r}")


def _pow_const(x: float, c: float) -> float:
    _check_power("pow", x, c)
    return ieee_pow(x, c)


def _check_positive_base(op: str, base: float) -> None:
    # d(b^y)/dy = b^y * log(b) needs log(b), so a base that is a Value's exponent must be > 0.
    if not base > 0:
        raise ValueError(f"{op}: the base must be > 0 when the exponent is a Value, got {base!r}")


def _pow(a: float, b: float) -> float:
    _check_positive_base("pow", a)
    return ieee_pow(a, b)


def _rpow(x: float, c: float) -> float:
    _check_positive_base("pow", c)
    return ieee_pow(c, x)


def _log(x: float) -> float:
    if not x > 0 and x == x:
        raise ValueError(f"log: the operand must be > 0, got {x!r}")
    return math.log(x)


def _sqrt(x: float) -> float:
    if x < 0:
        raise ValueError(f"sqrt: the operand must be >= 0, got {x!r}")
    return math.sqrt(x)


def _relu(x: float) -> float:
    return 0.0 if x <= 0 else x  # written so that NaN passes through


def _leaky_relu(x: float, slope: float) -> float:
    return slope * x if x <= 0 else x


def _max(*xs: float) -> float:
    return xs[winner(xs)]


def _sum(*xs: float) -> float:
    # fsum is correctly rounded, so a sum does not depend on Python's version or order.
    try:
        return math.fsum(xs)
    except (OverflowError, ValueError):  # inf - inf, or partial sums past the float range
        return sum(xs, 0.0)


# --- the table ---

Rule = Callable[..., tuple[Any, ...]]


@dataclass(eq=False)
class Op:
    """One operation: its forward on floats and its local derivatives.

    Every node made by an operation refers to its one Op object, so replacing a rule
    on that object (as `autograd.testing` does to show a wrong rule being caught)
    changes it everywhere at once.

    name:       the key in OPS, shown in drawings and reprs.
    arity:      how many Value inputs (-1: any number).
    forward:    floats in, float out; raises on inputs outside the domain.
    derivative: (m, out, *inputs) -> one local derivative per input.
    template:   how the operation prints as math: {0}, {1} are inputs, {c} the constant.
    smooth:     infinitely differentiable inside its domain (relu, abs are not).
    has_const:  takes a constant after its inputs.
    """

    name: str
    arity: int
    forward: Callable[..., float]
    derivative: Rule
    template: str
    smooth: bool = True
    has_const: bool = False

    def format(self, inputs: list[str], const: float | None = None) -> str:
        if self.arity < 0:
            return f"{self.template}({', '.join(inputs)})"
        return self.template.format(*inputs, c=const)


def _const(
    name: str, forward: Callable[[float, float], float], derivative: Rule, template: str
) -> Op:
    return Op(name, 1, forward, derivative, template, has_const=True)


OPS: dict[str, Op] = {
    op.name: op
    for op in [
        # Both inputs are Values.
        Op("add", 2, operator.add, lambda m, out, a, b: (1.0, 1.0), "{0} + {1}"),
        Op("sub", 2, operator.sub, lambda m, out, a, b: (1.0, -1.0), "{0} - {1}"),
        Op("mul", 2, operator.mul, lambda m, out, a, b: (b, a), "{0} * {1}"),
        Op("div", 2, _div, lambda m, out, a, b: (m.div(1.0, b), -m.div(out, b)), "{0} / {1}"),
        Op(
            "pow",
            2,
            _pow,
            lambda m, out, a, b: (b * m.pow(a, b - 1.0), out * m.log(a)),
            "{0} ** {1}",
        ),
        # One input is a plain number, kept as the node's constant instead of a leaf node.
        _const("add_const", operator.add, lambda m, out, x, c: (1.0,), "{0} + {c}"),
        _const("sub_const", operator.sub, lambda m, out, x, c: (1.0,), "{0} - {c}"),
        _const("rsub_const", lambda x, c: c - x, lambda m, out, x, c: (-1.0,), "{c} - {0}"),
        _const("mul_const", operator.mul, lambda m, out, x, c: (c,), "{0} * {c}"),
        _const("div_const", _div, lambda m, out, x, c: (m.div(1.0, c),), "{0} / {c}"),
        _const("rdiv_const", _rdiv, lambda m, out, x, c: (-m.div(out, x),), "{c} / {0}"),
        _const(
            # x ** 0 is constant, so its derivative is 0 even at x = 0 (as in PyTorch).
            "pow_const",
            _pow_const,
            lambda m, out, x, c: (0.0 if c == 0 else c * m.pow(x, c - 1.0),),
            "{0} ** {c}",
        ),
        _const("rpow_const", _rpow, lambda m, out, x, c: (out * math.log(c),), "{c} ** {0}"),
        # One input.
        Op("neg", 1, operator.neg, lambda m, out, x: (-1.0,), "-{0}"),
        Op("abs", 1, math.fabs, lambda m, out, x: (m.sign(x),), "abs({0})", smooth=False),
        Op("exp", 1, ieee_exp, lambda m, out, x: (out,), "exp({0})"),
        Op("log", 1, _log, lambda m, out, x: (m.div(1.0, x),), "log({0})"),
        Op("sqrt", 1, _sqrt, lambda m, out, x: (m.div(0.5, out),), "sqrt({0})"),
        Op("tanh", 1, math.tanh, lambda m, out, x: (1.0 - out * out,), "tanh({0})"),
        Op("sigmoid", 1, stable_sigmoid, lambda m, out, x: (out * (1.0 - out),), "sigmoid({0})"),
        Op("softplus", 1, stable_softplus, lambda m, out, x: (m.sigmoid(x),), "softplus({0})"),
        Op("sin", 1, ieee_sin, lambda m, out, x: (m.cos(x),), "sin({0})"),
        Op("cos", 1, ieee_cos, lambda m, out, x: (-m.sin(x),), "cos({0})"),
        Op("relu", 1, _relu, lambda m, out, x: (m.step(x),), "relu({0})", smooth=False),
        Op(
            "leaky_relu",
            1,
            _leaky_relu,
            lambda m, out, x, c: (m.step(x) * (1.0 - c) + c,),
            "leaky_relu({0}, {c})",
            smooth=False,
            has_const=True,
        ),
        # Any number of inputs: one node for a whole sum, instead of a chain of adds.
        Op("sum", -1, _sum, lambda m, out, *xs: (1.0,) * len(xs), "sum"),
        # The largest input (a max-pooling window): its derivative is 1 for the winner and
        # 0 for the rest; ties go to the first largest input, as in PyTorch's max_pool2d.
        Op("max", -1, _max, lambda m, out, *xs: m.one_hot(xs), "max", smooth=False),
    ]
}


def op_named(name: str) -> Op:
    """The table's operation called `name`; a ValueError listing the names otherwise."""
    if name not in OPS:
        raise ValueError(f"unknown operation {name!r}; the operations are {', '.join(OPS)}")
    return OPS[name]
