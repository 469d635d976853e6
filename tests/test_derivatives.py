"""Every operation's derivatives against mpmath at 50 digits, on generated points.

First each operation alone (first, second and third derivatives), then whole generated
expressions, replayed in mpmath node by node and differentiated there.
"""

from __future__ import annotations

import mpmath as mp
import pytest
import tally
from hypothesis import given
from hypothesis import strategies as st
from oracle import ORACLE, close, mp_derivative, mp_graph, mp_partial, points
from scales import tolerances, value_scale

from autograd import OPS, Value, grad
from autograd.engine import _record
from autograd.testing import Expression, expressions

SMOOTH = sorted(name for name, op in OPS.items() if op.smooth)


def build(name: str, inputs: tuple[float, ...], const: float | None) -> tuple[Value, list[Value]]:
    """Apply operation `name` to fresh leaves, through the engine's own recording path."""
    op = OPS[name]
    leaves = [Value(x) for x in inputs]
    args = list(inputs) + ([const] if const is not None else [])
    return _record(op, op.forward(*args), tuple(leaves), const), leaves


def test_every_operation_has_an_oracle() -> None:
    assert set(ORACLE) == set(OPS)


@pytest.mark.parametrize("name", sorted(OPS))
@given(data=st.data())
def test_first_derivative_matches_mpmath(name: str, data: st.DataObject) -> None:
    inputs, const = data.draw(points(name))
    out, leaves = build(name, inputs, const)
    out.backward()
    tally.count("first", name)
    for i, leaf in enumerate(leaves):
        orders = tuple(int(j == i) for j in range(len(leaves)))
        reference = mp_derivative(name, inputs, const, orders)
        assert close(leaf.grad, reference), (name, inputs, const, i, leaf.grad, reference)


@pytest.mark.parametrize("name", SMOOTH)
@given(data=st.data())
def test_second_derivative_through_create_graph(name: str, data: st.DataObject) -> None:
    inputs, const = data.draw(points(name))
    out, leaves = build(name, inputs, const)
    firsts = grad(out, leaves, create_graph=True)
    tally.count("second", name)
    for i, first in enumerate(firsts):
        seconds = grad(first, leaves)
        for j, second in enumerate(seconds):
            orders = tuple((j == k) + (i == k) for k in range(len(leaves)))
            reference = mp_derivative(name, inputs, const, orders)
            assert close(second, reference, abs_=1e-11), (name, inputs, const, i, j, second)


@pytest.mark.parametrize("name", ["exp", "sin", "cos", "tanh", "sigmoid", "log", "pow_const"])
@given(data=st.data())
def test_third_derivative_through_create_graph(name: str, data: st.DataObject) -> None:
    inputs, const = data.draw(points(name))
    out, (x,) = build(name, inputs, const)
    d1 = grad(out, x, create_graph=True)
    d2 = grad(d1, x, create_graph=True)
    d3 = grad(d2, x)
    tally.count("third", name)
    reference = mp_derivative(name, inputs, const, (3,))
    assert close(d3, reference, abs_=1e-10), (name, inputs, const, d3, reference)


@pytest.mark.parametrize(
    ("name", "x", "expected"),
    [("relu", 0.0, 0.0), ("abs", 0.0, 0.0), ("leaky_relu", 0.0, 0.1), ("relu", -0.0, 0.0)],
)
def test_kinks_use_the_pytorch_convention(name: str, x: float, expected: float) -> None:
    v = Value(x)
    out = {"relu": v.relu, "abs": v.__abs__, "leaky_relu": lambda: v.leaky_relu(0.1)}[name]()
    out.backward()
    assert v.grad == expected


def test_pow_with_exponent_zero_has_zero_derivative_at_zero() -> None:
    x = Value(0.0)
    (x**0).backward()
    assert x.grad == 0.0


def test_derivative_that_is_infinite_is_inf_not_an_error() -> None:
    x = Value(0.0)
    x.sqrt().backward()
    assert x.grad == float("inf")


def test_mixed_second_derivative_of_pow_at_exponent_zero() -> None:
    # d2(a ** b)/(da db) = a ** (b - 1) * (1 + b log a): 1 at a = 1, b = 0, where
    # PyTorch 2.13 gives 0 (its d(a ** b)/da is a constant 0 when b == 0).
    a, b = Value(1.0), Value(0.0)
    d_da = grad(a**b, a, create_graph=True)
    reference = mp_partial(lambda a, b: mp.power(a, b), (1.0, 0.0), (1, 1), relative=False)
    assert close(grad(d_da, b), reference)


def unit(i: int, n: int) -> tuple[int, ...]:
    return tuple(int(k == i) for k in range(n))


# Measured peaks of error / tolerance are printed in the summary (`tally`): a tenth of
# these tolerances has sufficed so far (see the README); a wrong rule misses by far more.
REL, FLOOR = 1e-11, 1e-13


@given(expressions(variables=3, max_depth=5))
def test_expression_gradients_match_mpmath(e: Expression) -> None:
    out, leaves = e.build()
    replay = mp_graph(out, leaves)
    assert abs(out.data - replay(*e.inputs)) <= 1e-13 * value_scale(out), e
    grads = grad(out, leaves)
    for i, allowed in enumerate(tolerances(out, leaves, REL, FLOOR)):
        reference = float(mp_partial(replay, e.inputs, unit(i, len(leaves)), relative=False))
        check(grads[i], reference, allowed, "gradient", (e, i))
    tally.count("in expressions", e.operations)


@given(expressions(variables=2, max_depth=3))
def test_expression_second_derivatives_match_mpmath(e: Expression) -> None:
    out, leaves = e.build()
    replay = mp_graph(out, leaves)
    for i, first in enumerate(grad(out, leaves, create_graph=True)):
        seconds = grad(first, leaves)
        for j, allowed in enumerate(tolerances(first, leaves, REL, FLOOR)):
            orders = tuple(a + b for a, b in zip(unit(i, 2), unit(j, 2)))
            reference = float(mp_partial(replay, e.inputs, orders, relative=False))
            check(seconds[j], reference, allowed, "second derivative", (e, i, j))
    tally.count("2nd in expressions", e.operations)


def check(ours: float, reference: float, allowed: float, what: str, where: object) -> None:
    error = abs(ours - reference)
    tally.peak(f"{what} error / tolerance", error / allowed if allowed else error)
    assert error <= allowed + 1e-30, (where, ours, reference, allowed)  # 1e-30: mpmath's noise
