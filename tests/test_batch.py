"""The compiled tape against the scalar engine, sample by sample, and against central
differences; plus its text, its errors and what compiling freezes."""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from moons_model import trained_moons
from optional import require

from autograd import OPS, Op, Value, grad, softmax
from autograd.engine import _record
from autograd.ops import FloatMath
from autograd.testing.expression import APPLY

np = require("numpy")
batch = require("autograd.accel.tape")  # after numpy: it needs numpy

# --- random expressions, built through the engine's ordinary operators ---

Tree = tuple[Any, ...]

# Operation names by shape; each is built by `expression.APPLY`, the public operators.
UNARY = sorted(name for name, op in OPS.items() if op.arity == 1 and not op.has_const)
WITH_CONST = sorted(name for name, op in OPS.items() if op.has_const)
BINARY = sorted(name for name, op in OPS.items() if op.arity == 2)
CONSTANTS = st.one_of(
    st.sampled_from([-2.0, -1.0, 0.0, 0.5, 2.0, 3.0]),
    st.floats(-3, 3, allow_nan=False),
)
LEAVES = st.one_of(
    st.tuples(st.just("input"), st.integers(0, 1)),
    st.tuples(st.just("weight"), st.floats(-2, 2, allow_nan=False)),
)


def _extend(children: st.SearchStrategy[Tree]) -> st.SearchStrategy[Tree]:
    return st.one_of(
        st.tuples(st.sampled_from(UNARY), children),
        st.tuples(st.sampled_from(WITH_CONST), children, CONSTANTS),
        st.tuples(st.sampled_from(BINARY), children, children),
        st.tuples(st.just("sum"), st.lists(children, min_size=1, max_size=4)),
    )


# The root is always an operation, so there is something to compile.
EXPRESSIONS = _extend(st.recursive(LEAVES, _extend, max_leaves=10))


def build(tree: Tree, inputs: list[Value]) -> Value:
    """The expression `tree` on these input leaves; weights become fresh leaves."""
    kind = tree[0]
    if kind == "input":
        return inputs[tree[1]]
    if kind == "weight":
        return Value(tree[1], label="w")
    if kind == "sum":
        return APPLY["sum"](*(build(child, inputs) for child in tree[1]))
    if kind in WITH_CONST:
        return APPLY[kind](build(tree[1], inputs), tree[2])
    return APPLY[kind](*(build(child, inputs) for child in tree[1:]))


def scalar_run(tree: Tree, point: tuple[float, float]) -> tuple[float, list[float]] | None:
    """Value and gradient from the scalar engine, or None if it refuses the point."""
    inputs = [Value(point[0]), Value(point[1])]
    try:
        out = build(tree, inputs)
    except (ArithmeticError, ValueError):
        return None
    return out.data, grad(out, inputs)


def close(batch: Any, scalar: Any) -> bool:
    return bool(np.allclose(batch, scalar, rtol=1e-9, atol=1e-9, equal_nan=True))


POINTS = st.lists(st.tuples(*[st.floats(-3, 3, allow_nan=False)] * 2), min_size=1, max_size=6)


@given(tree=EXPRESSIONS, points=POINTS)
def test_batch_equals_the_scalar_engine_sample_by_sample(
    tree: Tree, points: list[tuple[float, float]]
) -> None:
    # The tape is recorded at one point and replayed at all of them.
    inputs = [Value(points[0][0], label="x"), Value(points[0][1], label="y")]
    try:
        tape = batch.compile(build(tree, inputs), inputs)
    except (ArithmeticError, ValueError):
        return  # the trace point itself is outside the domain: nothing was recorded
    xs, ys = np.array(points).T
    scalar = [scalar_run(tree, p) for p in points]
    refused = [i for i, result in enumerate(scalar) if result is None]
    if refused:
        # The batch refuses too, naming a sample the engine refuses. (Which error comes
        # first may differ: the batch runs one operation over all samples at a time.)
        with pytest.raises((ArithmeticError, ValueError)) as caught:
            tape.value_and_grad(xs, ys)
        match = re.search(r"\(batch sample (\d+)\)$", str(caught.value))
        assert match is not None and int(match.group(1)) in refused, (caught.value, refused)
        return
    values, (dx, dy) = tape.value_and_grad(xs, ys)
    results = [r for r in scalar if r is not None]
    assert close(values, [v for v, _ in results]), (values, results)
    assert close(dx, [g[0] for _, g in results]), (dx, results)
    assert close(dy, [g[1] for _, g in results]), (dy, results)
    assert close(tape(xs, ys), values)


def test_gradients_match_central_differences() -> None:
    # An oracle independent of the derivative rules: the tape's own forward, nudged.
    x, y = Value(0.0), Value(1.0)
    f = (x * y).sin() + x.exp() / (1 + y**2) + (x - y).tanh() * y.sqrt() + y.log().softplus()
    tape = batch.compile(f, [x, y])
    rng = np.random.default_rng(0)
    xs, ys = rng.uniform(-2, 2, 50), rng.uniform(0.5, 3, 50)
    _, (dx, dy) = tape.value_and_grad(xs, ys)
    h = 1e-6
    assert np.allclose(dx, (tape(xs + h, ys) - tape(xs - h, ys)) / (2 * h), rtol=1e-6, atol=1e-7)
    assert np.allclose(dy, (tape(xs, ys + h) - tape(xs, ys - h)) / (2 * h), rtol=1e-6, atol=1e-7)


def test_the_tape_reads_as_a_program() -> None:
    x = Value(1.0, label="x")
    w = Value(0.5, label="w")
    tape = batch.compile((x * w + 2).relu(), [x])
    assert str(tape).splitlines() == [
        "tape: 1 input, 1 constant, 3 instructions, 1 output, 1 MAC",
        "  %0 = input x",
        "  %1 = const 0.5  ; w",
        "  %2 = mul %0, %1",
        "  %3 = add_const %2, 2",
        "  %4 = relu %3",
        "  return %4",
    ]


def test_an_excerpt_keeps_the_ends_and_counts_what_it_leaves_out() -> None:
    xs = [Value(0.0, label=f"x{i}") for i in range(6)]
    f = xs[0]
    for i, x in enumerate(xs[1:], 1):
        f = (f * x + float(i)).tanh()  # 5 instructions after the first 3: 15 in all
    tape = batch.compile(f, xs)
    whole = str(tape).splitlines()
    assert len(whole) == 1 + 6 + 15 + 1
    lines = tape.excerpt(first=2, last=3).splitlines()
    assert lines == [
        *whole[:3],
        "  ... 4 more slots",
        *whole[7:9],
        "  ... 10 more instructions",
        *whole[-4:],
    ]
    assert tape.excerpt(first=100) == str(tape)  # short enough: whole
    assert tape.excerpt(first=5, last=9) == str(tape)  # one line left out: kept whole
    with pytest.raises(ValueError, match="last must be 0 or more, got -1"):
        tape.excerpt(last=-1)
    for bad in (1.5, True):
        with pytest.raises(TypeError, match="first must be an int"):
            tape.excerpt(first=bad)


def test_leaves_outside_inputs_are_frozen_at_compile_time() -> None:
    x, w = Value(1.0), Value(3.0)
    tape = batch.compile(x * w, [x])
    w.data = 100.0  # changing the graph afterwards does not change the program
    assert tape(np.array([2.0])).tolist() == [6.0]


def test_any_shape_broadcasts_like_numpy() -> None:
    x, y = Value(0.0), Value(0.0)
    tape = batch.compile(x * 10 + y, [x, y])
    grid = tape(np.arange(3.0)[:, None], np.arange(2.0)[None, :])
    assert grid.tolist() == [[0.0, 1.0], [10.0, 11.0], [20.0, 21.0]]


def test_unused_inputs_get_zero_gradient_and_constant_outputs_broadcast() -> None:
    x, y, w = Value(1.0), Value(2.0), Value(4.0)
    tape = batch.compile([x * 3, w.exp()], [x, y])
    (tripled, constant), (dx, dy) = tape.value_and_grad(np.array([1.0, 2.0]), 0.0)
    assert tripled.tolist() == [3.0, 6.0]
    assert constant.tolist() == [math.exp(4.0)] * 2
    assert dx.tolist() == [3.0, 3.0]
    assert dy.tolist() == [0.0, 0.0]


def test_several_outputs_differentiate_their_sum() -> None:
    xs = [Value(0.0), Value(0.0), Value(0.0)]
    tape = batch.compile(softmax(xs), xs)
    points = np.random.default_rng(1).normal(size=(3, 20))
    probabilities, grads = tape.value_and_grad(*points)
    assert np.allclose(np.sum(probabilities, axis=0), 1.0)
    for g in grads:  # the probabilities always sum to 1, so the sum's gradient is 0
        assert np.allclose(g, 0.0, atol=1e-15)


def test_inputs_cut_the_graph_behind_them() -> None:
    x = Value(2.0)
    h = x * x  # treated as a free input: x is not replayed
    tape = batch.compile(h + 1, [h])
    assert len(tape.instructions) == 1
    assert tape(np.array([5.0])).tolist() == [6.0]


def test_overflow_saturates_silently_as_in_the_engine() -> None:
    x = Value(0.0)
    tape = batch.compile(x.exp() * 2, [x])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        values, (dx,) = tape.value_and_grad(np.array([1000.0, 0.0]))
    assert values.tolist() == [math.inf, 2.0]
    assert dx.tolist() == [math.inf, 2.0]


@pytest.mark.parametrize(
    ("make", "bad", "error", "message"),
    [
        (lambda x: x.log(), -1.0, ValueError, "log: .* -1.0"),
        (lambda x: x.sqrt(), -4.0, ValueError, "sqrt: .* -4.0"),
        (lambda x: 1 / x, 0.0, ZeroDivisionError, "div: division by zero"),
        (lambda x: x**-1.0, 0.0, ValueError, "pow: 0 cannot be raised"),
        (lambda x: x**x, -1.0, ValueError, "pow: the base must be > 0"),
    ],
)
def test_domain_errors_name_the_operation_and_the_sample(
    make: Callable[[Value], Value], bad: float, error: type[Exception], message: str
) -> None:
    x = Value(1.0)
    tape = batch.compile(make(x), [x])
    with pytest.raises(error, match=message + r".*\(batch sample 2\)"):
        tape(np.array([1.0, 2.0, bad, bad]))


def test_an_unsupported_operation_is_named() -> None:
    cube = Op("cube", 1, lambda x: x**3, lambda m, out, x: (3 * x * x,), "cube({0})")
    x = Value(2.0)
    node = _record(cube, 8.0, (x,))
    with pytest.raises(batch.UnsupportedOperationError, match="'cube'"):
        batch.compile(node + 1, [x])


def test_bad_arguments_get_clear_errors() -> None:
    x, y = Value(1.0, label="x"), Value(2.0, label="y")
    tape = batch.compile(x + y, [x, y])
    with pytest.raises(TypeError, match=r"2 inputs \(x, y\), got 1"):
        tape(np.zeros(3))
    with pytest.raises(TypeError, match="'y' must hold real numbers"):
        tape(np.zeros(3), np.array(["a", "b", "c"]))
    with pytest.raises(ValueError, match="do not broadcast"):
        tape(np.zeros(3), np.zeros(4))
    with pytest.raises(ValueError, match="distinct"):
        batch.compile(x + y, [x, x])
    with pytest.raises(TypeError, match="must be Values"):
        batch.compile(x + y, [x, 2.0])  # type: ignore[list-item]


def test_a_trained_moons_mlp_equals_the_scalar_engine() -> None:
    model, _, _ = trained_moons()
    x = [Value(0.0, label="x1"), Value(0.0, label="x2")]
    tape = batch.compile(model(x), x)
    points = np.random.default_rng(2).uniform(-1.5, 2.5, size=(200, 2))
    values, grads = tape.value_and_grad(*points.T)
    scalar = [scalar_model(model, p) for p in points]
    assert close(values, [v for v, _ in scalar])
    for i in range(2):
        assert close(grads[i], [g[i] for _, g in scalar])


def scalar_model(model: Any, point: Any) -> tuple[float, list[float]]:
    inputs = [Value(float(point[0])), Value(float(point[1]))]
    out = model(inputs)
    return out.data, grad(out, inputs)


def test_every_operation_of_the_table_runs_on_arrays() -> None:
    # A new op in ops.OPS needs one line in batch.ARRAY_FORWARD (and nothing for its gradient).
    assert set(batch.ARRAY_FORWARD) == set(OPS)


def test_the_numpy_namespace_offers_what_rules_may_call() -> None:
    def public(namespace: type) -> set[str]:
        return {name for name in vars(namespace) if not name.startswith("_")}

    assert public(batch.NumpyMath) == public(FloatMath)
