"""Properties of derivatives that hold for any expression, held against the engine.

Calculus (sum, product and quotient rules, d exp(log x) = 1, symmetric second
derivatives) and bookkeeping (seeds scale gradients, grad() agrees with backward(), a
graph gives the same answers however often it is used and however a sum or product
is associated). Tolerances are sized by `scales` to float64 rounding.
"""

from __future__ import annotations

import math
import sys

from hypothesis import assume, given
from hypothesis import strategies as st
from scales import tolerances

from autograd import Value, grad, topological_order
from autograd.functional import sum as value_sum
from autograd.testing import Expression, expressions, values

EPS = 2.0**-52
REL, FLOOR = 1e-12, 1e-14  # for two float64 routes to one derivative; see scales.py


def at_one_point(
    data: st.DataObject, count: int
) -> tuple[list[Expression], list[Value], list[Value]]:
    """`count` independent expressions at one point, each built on the same leaves."""
    first = data.draw(expressions(variables=2))
    rest = [data.draw(expressions(variables=2, at=first.inputs)) for _ in range(count - 1)]
    leaves = first.leaves()
    return [first, *rest], leaves, [e(*leaves) for e in (first, *rest)]


def within(ours: list[float], expected: list[float], allowed: list[float]) -> bool:
    return all(abs(a - b) <= tol for a, b, tol in zip(ours, expected, allowed))


def allowance(leaves: list[Value], *outputs: Value, weights: tuple[float, ...] = ()) -> list[float]:
    """The rounding each of d(output)/d(leaf) may carry, summed over outputs (weighted)."""
    weights = weights or (1.0,) * len(outputs)
    per_output = [tolerances(out, leaves, REL, FLOOR) for out in outputs]
    return [sum(w * t for w, t in zip(weights, column)) for column in zip(*per_output)]


@given(st.data())
def test_sum_rule(data: st.DataObject) -> None:
    (f, g), leaves, (fx, gx) = at_one_point(data, 2)
    df, dg = grad(fx, leaves), grad(gx, leaves)
    expected = [a + b for a, b in zip(df, dg)]
    assert within(grad(fx + gx, leaves), expected, allowance(leaves, fx, gx)), (f, g)


@given(st.data())
def test_product_rule(data: st.DataObject) -> None:
    (f, g), leaves, (fx, gx) = at_one_point(data, 2)
    df, dg = grad(fx, leaves), grad(gx, leaves)
    expected = [gx.data * a + fx.data * b for a, b in zip(df, dg)]
    allowed = allowance(leaves, fx, gx, weights=(abs(gx.data), abs(fx.data)))
    assert within(grad(fx * gx, leaves), expected, allowed), (f, g)


@given(st.data())
def test_quotient_rule(data: st.DataObject) -> None:
    (f, g), leaves, (fx, gx) = at_one_point(data, 2)
    assume(abs(gx.data) >= 0.1)
    df, dg = grad(fx, leaves), grad(gx, leaves)
    expected = [(a * gx.data - fx.data * b) / gx.data**2 for a, b in zip(df, dg)]
    allowed = allowance(leaves, fx, gx, weights=(1 / abs(gx.data), abs(fx.data) / gx.data**2))
    assert within(grad(fx / gx, leaves), expected, allowed), (f, g)


@given(values(1e-3, 1e3))
def test_exp_of_log_has_derivative_one_and_second_derivative_zero(x: float) -> None:
    leaf = Value(x)
    first = grad(leaf.log().exp(), leaf, create_graph=True)
    # exp turns log's rounding (eps |log x|) into a relative error; each step adds eps.
    assert abs(first.data - 1.0) <= (abs(math.log(x)) + 2) * EPS
    # d/dx (exp(log x) / x) = 1/x - x/x^2: two terms of size 1/x, each off by about that.
    assert abs(grad(first, leaf)) <= 2 * (abs(math.log(x)) + 3) * EPS / x


@given(expressions(variables=3, max_depth=4))
def test_second_derivatives_are_symmetric(e: Expression) -> None:
    leaves = e.leaves()
    firsts = grad(e(*leaves), leaves, create_graph=True)
    hessian = [grad(first, leaves) for first in firsts]
    allowed = [tolerances(first, leaves, 1e-11, 1e-13) for first in firsts]
    for i in range(3):
        for j in range(i):
            assert abs(hessian[i][j] - hessian[j][i]) <= allowed[i][j] + allowed[j][i], (e, i, j)


@given(expressions(variables=3), st.integers(-30, 30), values(-100.0, 100.0))
def test_a_seed_scales_every_gradient(e: Expression, power: int, seed: float) -> None:
    out, leaves = e.build()
    out.backward()
    unit = [leaf.grad for leaf in leaves]
    for leaf in leaves:
        leaf.grad = 0.0
    out.backward(gradient=2.0**power)  # scaling by a power of two is exact in floats...
    for leaf, g in zip(leaves, unit):
        if g == 0 or abs(g * 2.0**power) >= sys.float_info.min:  # ...unless it underflows
            assert leaf.grad == g * 2.0**power, e
    for leaf in leaves:
        leaf.grad = 0.0
    out.backward(gradient=seed)
    allowed = allowance(leaves, out, weights=(abs(seed),))
    assert within([leaf.grad for leaf in leaves], [g * seed for g in unit], allowed), e


@given(expressions(variables=3))
def test_grad_equals_dot_grad_after_backward_at_every_node(e: Expression) -> None:
    out, _ = e.build()
    nodes = topological_order([out])
    functional = grad(out, nodes)
    out.backward()
    assert within([node.grad for node in nodes], functional, allowance(nodes, out)), e


@given(expressions(variables=3))
def test_a_graph_gives_the_same_gradients_however_often_it_is_used(e: Expression) -> None:
    out, leaves = e.build()
    nodes = topological_order([out])
    out.backward()
    first = [node.grad for node in nodes]
    functional = grad(out, leaves)

    # More graphs built on top of it, and on its leaves, and run backward.
    (out * out + out.sin()).backward()
    (value_sum(leaves) * 3).backward()
    grad(out.exp(), leaves, create_graph=True)

    assert grad(out, leaves) == functional, e
    out.backward()  # leaves accumulate (first pass + the others + this); others reset
    assert [n.grad for n in nodes if n.parents] == [g for n, g in zip(nodes, first) if n.parents]
    out.zero_grad()
    out.backward()
    assert [node.grad for node in nodes] == first, e
    # A node used twice gets both contributions.
    doubled = [2 * g for g in functional]
    assert within(grad(out + out, leaves), doubled, allowance(leaves, out, weights=(2.0,))), e


@given(st.data())
def test_association_order_does_not_change_sums_or_products(data: st.DataObject) -> None:
    (f, g, k), leaves, (a, b, c) = at_one_point(data, 3)
    sums = [(a + b) + c, a + (b + c), value_sum([c, a, b]), (c + a) + b]
    products = [(a * b) * c, a * (b * c), (c * a) * b]
    for (first, *others), size in (
        (sums, abs(a.data) + abs(b.data) + abs(c.data)),
        (products, abs(a.data * b.data * c.data)),
    ):
        for other in others:
            # Relative error, plus an absolute term: below the normal range (a product
            # of 1e-156 three times) rounding loses absolute, not relative, precision.
            error = 4 * EPS * size + 4 * math.ulp(0.0)
            assert abs(other.data - first.data) <= error, (f, g, k)
            allowed = allowance(leaves, first, other)
            assert within(grad(other, leaves), grad(first, leaves), allowed), (f, g, k)
