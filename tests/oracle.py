"""An independent oracle for every operation: its math in mpmath, and where to sample it.

Nothing here reads the engine's derivative rules. Derivatives come from mpmath's own
high-precision numerical differentiation (mp.diff at 50 digits) of these definitions.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import mpmath as mp
from hypothesis import strategies as st

from autograd import Value, topological_order

mp.mp.dps = 50
DIGITS = 50


def reals(lo: float, hi: float) -> st.SearchStrategy[float]:
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)


def away_from_zero(lo: float, hi: float) -> st.SearchStrategy[float]:
    """|x| in [lo, hi], either sign."""
    return st.tuples(reals(lo, hi), st.booleans()).map(lambda t: -t[0] if t[1] else t[0])


MODERATE = reals(-50.0, 50.0)
INTEGERS = st.integers(-4, 5).map(float)


@dataclass(frozen=True)
class Spec:
    """mp_fn(*inputs, const) in mpmath; inputs drawn from `inputs`, the constant from `const`."""

    mp_fn: Callable[..., mp.mpf]
    inputs: st.SearchStrategy[tuple[float, ...]]
    const: st.SearchStrategy[float] | None = None


def _mp_sigmoid(x: mp.mpf) -> mp.mpf:
    return 1 / (1 + mp.exp(-x))


def _mp_pow_const(x: mp.mpf, c: float) -> mp.mpf:
    return mp.power(x, int(c) if float(c).is_integer() else c)


# pow_const inputs: any base for integer exponents, a positive base otherwise.
_POW_CONST_POINTS = st.one_of(
    st.tuples(st.tuples(away_from_zero(0.05, 20.0)), INTEGERS),
    st.tuples(st.tuples(reals(0.05, 20.0)), reals(-3.0, 3.0)),
)

ORACLE: dict[str, Spec] = {
    "add": Spec(lambda a, b: a + b, st.tuples(MODERATE, MODERATE)),
    "sub": Spec(lambda a, b: a - b, st.tuples(MODERATE, MODERATE)),
    "mul": Spec(lambda a, b: a * b, st.tuples(MODERATE, MODERATE)),
    "div": Spec(lambda a, b: a / b, st.tuples(MODERATE, away_from_zero(1e-2, 50.0))),
    "pow": Spec(mp.power, st.tuples(reals(0.05, 20.0), reals(-3.0, 3.0))),
    "add_const": Spec(lambda x, c: x + c, st.tuples(MODERATE), MODERATE),
    "sub_const": Spec(lambda x, c: x - c, st.tuples(MODERATE), MODERATE),
    "rsub_const": Spec(lambda x, c: c - x, st.tuples(MODERATE), MODERATE),
    "mul_const": Spec(lambda x, c: x * c, st.tuples(MODERATE), MODERATE),
    "div_const": Spec(lambda x, c: x / c, st.tuples(MODERATE), away_from_zero(1e-2, 50.0)),
    "rdiv_const": Spec(lambda x, c: c / x, st.tuples(away_from_zero(1e-2, 50.0)), MODERATE),
    "pow_const": Spec(_mp_pow_const, st.nothing()),  # points drawn jointly, see points()
    "rpow_const": Spec(lambda x, c: mp.power(c, x), st.tuples(reals(-10, 10)), reals(0.05, 20)),
    "neg": Spec(lambda x: -x, st.tuples(MODERATE)),
    "abs": Spec(abs, st.tuples(away_from_zero(1e-6, 50.0))),
    "exp": Spec(mp.exp, st.tuples(reals(-700.0, 700.0))),
    "log": Spec(mp.log, st.tuples(reals(1e-200, 1e200))),
    "sqrt": Spec(mp.sqrt, st.tuples(reals(1e-200, 1e200))),
    "tanh": Spec(mp.tanh, st.tuples(reals(-30.0, 30.0))),
    "sigmoid": Spec(_mp_sigmoid, st.tuples(reals(-60.0, 60.0))),
    "softplus": Spec(lambda x: mp.log(1 + mp.exp(x)), st.tuples(reals(-60.0, 60.0))),
    "sin": Spec(mp.sin, st.tuples(reals(-100.0, 100.0))),
    "cos": Spec(mp.cos, st.tuples(reals(-100.0, 100.0))),
    "relu": Spec(lambda x: max(x, 0), st.tuples(away_from_zero(1e-6, 50.0))),
    "leaky_relu": Spec(
        lambda x, c: x if x > 0 else c * x, st.tuples(away_from_zero(1e-6, 50.0)), reals(0.0, 0.5)
    ),
    "sum": Spec(lambda *xs: mp.fsum(xs), st.lists(MODERATE, min_size=1, max_size=6).map(tuple)),
    # Away from ties: the largest input leads the next by at least 1e-6.
    "max": Spec(
        lambda *xs: max(xs),
        st.lists(MODERATE, min_size=1, max_size=6).map(tuple).filter(lambda xs: _clear_winner(xs)),
    ),
}


def _clear_winner(xs: Sequence[float]) -> bool:
    top = sorted(xs, reverse=True)
    return len(top) == 1 or top[0] - top[1] >= 1e-6


def points(name: str) -> st.SearchStrategy[tuple[tuple[float, ...], float | None]]:
    """(inputs, constant) pairs inside the domain of operation `name`."""
    if name == "pow_const":
        return _POW_CONST_POINTS
    spec = ORACLE[name]
    if spec.const is None:
        return st.tuples(spec.inputs, st.none())
    return st.tuples(spec.inputs, spec.const)


def mp_derivative(
    name: str, inputs: tuple[float, ...], const: float | None, orders: tuple[int, ...]
) -> mp.mpf:
    """The partial derivative of the given orders, at 50 digits, by mpmath alone."""
    spec = ORACLE[name]
    if const is None:
        return mp_partial(spec.mp_fn, inputs, orders)
    return mp_partial(lambda *xs: spec.mp_fn(*xs, const), inputs, orders)


def mp_partial(
    fn: Callable[..., mp.mpf],
    inputs: Sequence[float],
    orders: tuple[int, ...],
    relative: bool = True,
) -> mp.mpf:
    """d^orders fn at `inputs`, by mp.diff at 50 digits (plus what tiny inputs need).

    mp.diff steps by an absolute amount. With `relative`, differentiate in units of
    each input's own size instead (x = s * t, d^n f/dx^n = (d^n f/dt^n) / s^n), so that
    log(1e-200) is not stepped across 0. Generated expressions keep every singularity
    at least `margin` away, so they can use plain steps (relative=False), which need no
    extra digits for tiny inputs.
    """
    scales = [mp.mpf(abs(x)) if relative and x != 0 else mp.mpf(1) for x in inputs]

    def f(*ts: mp.mpf) -> mp.mpf:
        return fn(*(t * s for t, s in zip(ts, scales)))

    def diff(digits: int) -> mp.mpf:
        with mp.workdps(digits):
            at = tuple(mp.mpf(x) / s for x, s in zip(inputs, scales))
            result = mp.diff(f, at, orders)
            for s, n in zip(scales, orders):
                result /= s**n
        return +result

    # A tiny input moves f by a tiny amount (by its square for cos, its 4th power for
    # exp(x ** 4)): carry extra digits to see it. Confirm that guess with twice as many,
    # until two results agree; a zero is trusted only at the most digits tried.
    extra = sum(n * max(0, int(-mp.log10(s))) for s, n in zip(scales, orders))
    result = diff(DIGITS + 10 + extra)
    for _ in range(4 if extra else 0):
        extra *= 2
        again = diff(DIGITS + 10 + extra)
        if again != 0 and abs(again - result) <= abs(again) * mp.mpf(10) ** (-DIGITS // 2):
            return again
        result = again
    return result


def mp_graph(output: Value, leaves: Sequence[Value]) -> Callable[..., mp.mpf]:
    """The function a recorded graph computes, replayed in mpmath: leaves -> output.

    Each node is recomputed from ORACLE's definition of its operation (found by the
    op's name), so nothing of the engine but the graph's shape is trusted.
    """
    order = topological_order([output])

    def replay(*xs: mp.mpf) -> mp.mpf:
        known: dict[Value, mp.mpf] = dict(zip(leaves, xs))
        for node in order:
            if node in known:
                continue
            if node.op is None:  # a constant leaf that is not an input
                known[node] = mp.mpf(node.data)
                continue
            args = [known[parent] for parent in node.parents]
            if node.const is not None:
                args.append(node.const)
            known[node] = ORACLE[node.op.name].mp_fn(*args)
        return known[output]

    return replay


def close(ours: float, reference: mp.mpf, rel: float = 1e-9, abs_: float = 1e-13) -> bool:
    """Relative agreement, with an absolute floor for references near 0.

    A reference beyond the float range must come out as an infinity of its sign
    (the numerical policy: overflow saturates).
    """
    if abs(reference) > sys.float_info.max:
        return ours == math.copysign(math.inf, reference)
    return bool(abs(mp.mpf(ours) - reference) <= rel * abs(reference) + abs_)
