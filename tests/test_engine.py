"""The engine's gradient semantics, grad(), no_grad and deep graphs."""

from __future__ import annotations

import gc
import math
import sys
import threading

import pytest

from autograd import Value, grad, no_grad, topological_order


def test_value_repr_is_readable() -> None:
    x = Value(2.0, label="x")
    assert repr(x) == "Value(data=2.0, grad=0.0, label='x')"
    assert repr(x * 3) == "Value(data=6.0, grad=0.0, op='mul_const')"


def test_value_has_slots_and_no_dict() -> None:
    assert not hasattr(Value(1.0), "__dict__")


def test_node_records_parents_op_and_constant() -> None:
    x, y = Value(2.0), Value(5.0)
    z = x * y
    assert z.parents == (x, y) and z.op is not None and z.op.name == "mul" and z.const is None
    w = x - 0.5
    assert w.parents == (x,) and w.op is not None and w.op.name == "sub_const" and w.const == 0.5
    assert (2 - x).data == 0.0 and (2 / x).data == 1.0 and (2**x).data == 4.0


def test_numbers_on_either_side() -> None:
    x = Value(3.0)
    cases = {
        "x + 2": (x + 2, 5.0),
        "2 + x": (2 + x, 5.0),
        "x - 2": (x - 2, 1.0),
        "2 - x": (2 - x, -1.0),
        "x * 2": (x * 2, 6.0),
        "2 * x": (2 * x, 6.0),
        "x / 2": (x / 2, 1.5),
        "2 / x": (2 / x, 2 / 3),
        "x ** 2": (x**2, 9.0),
        "2 ** x": (2**x, 8.0),
        "-x": (-x, -3.0),
        "abs(-x)": (abs(-x), 3.0),
    }
    for text, (value, expected) in cases.items():
        assert value.data == expected, text


def test_leaf_gradients_accumulate_across_backward_calls() -> None:
    x = Value(3.0)
    y = x * x
    y.backward()
    assert x.grad == 6.0
    y.backward()
    assert x.grad == 12.0
    y.zero_grad()
    assert x.grad == 0.0 and y.grad == 0.0


def test_non_leaf_gradients_are_reset_each_backward() -> None:
    x = Value(3.0)
    h = x * 2
    y = h * h
    y.backward()
    first = (h.grad, y.grad)
    y.backward()
    assert (h.grad, y.grad) == first == (12.0, 1.0)
    assert x.grad == 48.0  # the leaf accumulated two passes of 24


def test_node_reached_by_several_paths_gets_the_sum() -> None:
    a = Value(3.0)
    b = a + a
    c = b * b
    c.backward()
    assert c.grad == 1.0
    assert b.grad == 2 * b.data
    assert a.grad == 4 * b.data  # dc/da = 2b * 2 = 8a


def test_seed_gradient_scales_everything() -> None:
    x = Value(0.5)
    y = x.tanh()
    y.backward(gradient=2.5)
    assert y.grad == 2.5
    assert x.grad == pytest.approx(2.5 * (1 - math.tanh(0.5) ** 2), rel=1e-15)


def test_backward_on_a_leaf_adds_the_seed() -> None:
    x = Value(1.0)
    x.backward()
    x.backward(3)
    assert x.grad == 4.0


def test_grad_touches_no_grad_attribute() -> None:
    x, y = Value(2.0), Value(-1.5)
    x.grad, y.grad = 7.0, 8.0
    z = x * y + x.sin()
    z.grad = 9.0
    dx, dy = grad(z, [x, y])
    assert (x.grad, y.grad, z.grad) == (7.0, 8.0, 9.0)
    assert dx == pytest.approx(-1.5 + math.cos(2.0), rel=1e-15)
    assert dy == 2.0


def test_grad_of_several_outputs_is_the_gradient_of_their_weighted_sum() -> None:
    x = Value(2.0)
    assert grad([x * x, x * 3], x) == 4.0 + 3.0
    assert grad([x * x, x * 3], x, seeds=[2.0, -1.0]) == 8.0 - 3.0
    with pytest.raises(ValueError, match="2 seeds for 1 outputs"):
        grad(x * x, x, seeds=[1.0, 2.0])


def test_grad_of_an_unrelated_input_is_zero() -> None:
    x, y = Value(2.0), Value(5.0)
    assert grad(x * x, y) == 0.0
    assert grad(x * x, y, create_graph=True).data == 0.0


def test_grad_matches_backward() -> None:
    x, y = Value(0.3), Value(-1.2)
    z = (x * y).exp() / (1 + y * y) + x.sigmoid()
    dx, dy = grad(z, [x, y])
    z.backward()
    assert (dx, dy) == (x.grad, y.grad)


def test_create_graph_gives_higher_derivatives() -> None:
    x = Value(0.7)
    y = x.sin() * x
    d1 = grad(y, x, create_graph=True)
    d2 = grad(d1, x, create_graph=True)
    d3 = grad(d2, x)
    c, s = math.cos(0.7), math.sin(0.7)
    assert d1.data == pytest.approx(c * 0.7 + s, rel=1e-14)
    assert d2.data == pytest.approx(2 * c - s * 0.7, rel=1e-14)
    assert d3 == pytest.approx(-3 * s - c * 0.7, rel=1e-14)


def test_no_grad_records_no_parents() -> None:
    x = Value(2.0)
    with no_grad():
        y = x * 3 + 1
    assert y.parents == () and y.op is None and y.data == 7.0
    z = x * 3
    assert z.parents == (x,)


def test_no_grad_is_per_thread() -> None:
    inside, outside = threading.Barrier(2), threading.Barrier(2)
    results: dict[str, tuple[Value, ...]] = {}
    x = Value(1.0)

    def quiet() -> None:
        with no_grad():
            inside.wait()  # the other thread records while this one is in no_grad
            outside.wait()
            results["quiet"] = (x * 2).parents

    def recording() -> None:
        inside.wait()
        results["recording"] = (x * 2).parents
        outside.wait()

    threads = [threading.Thread(target=quiet), threading.Thread(target=recording)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == {"quiet": (), "recording": (x,)}


def test_topological_order_puts_parents_first() -> None:
    a, b = Value(1.0), Value(2.0)
    c = a * b
    d = c + a
    e = d * c
    order = topological_order([e])
    assert set(order) == {a, b, c, d, e} and len(order) == 5
    position = {node: i for i, node in enumerate(order)}
    for node in order:
        for parent in node.parents:
            assert position[parent] < position[node]


def test_sum_is_one_node_with_many_parents() -> None:
    from autograd import sum as vsum

    xs = [Value(float(i)) for i in range(5)]
    total = vsum(xs)
    assert total.parents == tuple(xs) and total.data == 10.0
    total.backward()
    assert [x.grad for x in xs] == [1.0] * 5


def test_million_op_chain_backpropagates_at_default_recursion_limit() -> None:
    assert sys.getrecursionlimit() <= 1000  # nothing raised it for us
    n = 1_000_000
    x = Value(1.0)
    y = x
    for _ in range(n // 2):
        y = y * 1.000001 + 0.0  # two ops per step
    y.backward()
    assert len(topological_order([y])) == n + 1
    assert x.grad == pytest.approx(1.000001 ** (n // 2), rel=1e-9)
    del y  # freeing a million-deep chain must not recurse either
    gc.collect()


def test_graph_is_freed_by_reference_counting_alone() -> None:
    def live_values() -> int:
        return sum(1 for o in gc.get_objects() if type(o) is Value)

    gc.disable()  # no cycle collector: only reference counting may free the graph
    try:
        before = live_values()
        x = Value(1.0)
        y = x
        for _ in range(1000):
            y = (y * 1.0001).tanh() + x
        y.backward()
        during = live_values()
        del y, x
        after = live_values()
    finally:
        gc.enable()
    assert during - before == 3001
    assert after == before
