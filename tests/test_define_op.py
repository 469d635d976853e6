"""define_op: your own operation joins the one table, and every part of the library reads it.

Oracles: a built-in composite computing the same function (x * sigmoid(x) for swish), and
mpmath's own differentiation at 50 digits; neither reads the user's rule.
"""

from __future__ import annotations

import math
import threading
from typing import Any

import mpmath as mp
import pytest
import user_ops
from hypothesis import given, settings
from optional import require
from user_ops import mylog

from autograd import OPS, RuleError, Stepper, Value, define_op, grad, graph_stats, remove_op
from autograd.ops import op_named

mp.mp.dps = 50


def composite(x: Value) -> Value:
    return x * x.sigmoid()  # swish from built-in operations


def test_the_example_of_the_issue_records_under_its_name_with_mpmath_derivatives() -> None:
    softsign = user_ops.softsign()
    for x in (-2.5, -0.3, 0.3, 1.7):
        leaf = Value(x)
        y = softsign(leaf)
        y.backward()
        expected = mp.diff(lambda t: t / (1 + abs(t)), mp.mpf(x))
        assert y.op is OPS["softsign"] and y.op.name == "softsign"
        assert math.isclose(y.data, x / (1 + abs(x)), rel_tol=1e-15)
        assert math.isclose(leaf.grad, float(expected), rel_tol=1e-14)
        (first,) = grad(y, [leaf], create_graph=True)
        (second,) = grad(first, [leaf])
        expected2 = mp.diff(lambda t: t / (1 + abs(t)), mp.mpf(x), 2)
        assert math.isclose(second, float(expected2), rel_tol=1e-12)


def test_a_method_and_the_name_reach_the_same_operation() -> None:
    softsign = user_ops.softsign()
    x = Value(0.4)
    assert x.softsign().op is softsign(x).op is OPS["softsign"] is op_named("softsign")
    assert softsign.op is OPS["softsign"]
    assert x.softsign().data == softsign(x).data
    assert "softsign" in repr(softsign)


def test_a_user_op_equals_the_built_in_composite_everywhere() -> None:
    swish = user_ops.swish()
    for x in (-3.0, -0.5, 0.0, 0.7, 2.5):
        a, b = Value(x, label="x"), Value(x, label="x")
        ya, yb = swish(a) * 3.0, composite(b) * 3.0
        assert math.isclose(ya.data, yb.data, rel_tol=1e-14, abs_tol=1e-300)
        # backward
        ya.backward()
        yb.backward()
        assert math.isclose(a.grad, b.grad, rel_tol=1e-13, abs_tol=1e-15)
        # grad(create_graph=True): second and third derivatives
        (ga,) = grad(ya, [a], create_graph=True)
        (gb,) = grad(yb, [b], create_graph=True)
        (ha,) = grad(ga, [a], create_graph=True)
        (hb,) = grad(gb, [b], create_graph=True)
        assert math.isclose(ha.data, hb.data, rel_tol=1e-12, abs_tol=1e-14)
        assert math.isclose(grad(ha, [a])[0], grad(hb, [b])[0], rel_tol=1e-10, abs_tol=1e-13)
        # the Stepper adds to the leaf what backward() added (leaves accumulate)
        before = a.grad
        lines = [str(step) for step in Stepper(ya).run()]
        assert any("swish(x)" in line for line in lines)
        assert math.isclose(a.grad - before, b.grad, rel_tol=1e-13, abs_tol=1e-15)
    # graph_stats counts it under its name
    stats = graph_stats(swish(Value(1.0)) + swish(Value(2.0)))
    assert stats.op_counts["swish"] == 2


def test_the_stepper_lines_carry_the_user_rule_numbers() -> None:
    softsign = user_ops.softsign()
    x = Value(0.3, label="x")
    y = softsign(x)
    (step,) = Stepper(y).run()
    assert step.formula == "softsign(x)"
    assert math.isclose(step.terms[0].local, 1 / 1.3**2, rel_tol=1e-15)


def test_a_drawing_shows_the_user_op_with_the_numbers_of_the_built_in_composite() -> None:
    require("graphviz")
    from autograd.viz import draw

    swish = user_ops.swish()
    a, b = Value(0.8, label="x"), Value(0.8, label="x")
    ya, yb = swish(a * 2.0), composite(b * 2.0)
    ya.backward()
    yb.backward()
    source = draw(ya, fmt=".10g").source
    assert "swish(·)" in source
    for number in (a.grad, b.grad, yb.data):
        assert f"{number:.10g}" in source  # x's grad and the output, as the composite has them
    assert math.isclose(a.grad, b.grad, rel_tol=1e-14)


def test_the_tape_replays_a_user_op_like_the_built_in_composite() -> None:
    np = require("numpy")
    tape = require("autograd.accel.tape")
    swish = user_ops.swish()
    xs = np.linspace(-4.0, 4.0, 17)
    a, b = Value(0.0, label="x"), Value(0.0, label="x")
    user = tape.compile(swish(a).exp(), [a])
    builtin = tape.compile(composite(b).exp(), [b])
    assert "swish %0" in str(user)
    value_u, (grad_u,) = user.value_and_grad(xs)
    value_b, (grad_b,) = builtin.value_and_grad(xs)
    np.testing.assert_allclose(value_u, value_b, rtol=1e-14)
    np.testing.assert_allclose(grad_u, grad_b, rtol=1e-13)


def test_the_tape_uses_an_array_forward_when_given_and_checks_the_domain() -> None:
    np = require("numpy")
    tape = require("autograd.accel.tape")
    calls: list[Any] = []

    def on_arrays(x: Any) -> Any:
        calls.append(x)
        return np.log(x)

    mylog(array_forward=on_arrays)
    x = Value(1.0, label="x")
    compiled = tape.compile(x.mylog(), [x])
    _, (slope,) = compiled.value_and_grad(np.array([1.0, 2.0, 4.0]))
    assert calls and np.allclose(slope, [1.0, 0.5, 0.25])
    with pytest.raises(ValueError, match=r"mylog: x = -1.0 is outside its domain \(batch sample 1"):
        compiled(np.array([1.0, -1.0]))


def test_onnx_export_refuses_a_user_op_by_name() -> None:
    require("onnx")
    tape = require("autograd.accel.tape")
    from autograd.accel.export import tape_to_onnx

    softsign = user_ops.softsign()
    x = Value(0.3, label="x")
    with pytest.raises(tape.UnsupportedOperationError, match=r"'softsign'.*define_op"):
        tape_to_onnx(tape.compile(softsign(x), [x]))


def test_two_inputs_and_a_constant() -> None:
    hypot = define_op(
        "hypot",
        lambda a, b: math.hypot(a, b),
        lambda m, out, a, b: (m.div(a, out), m.div(b, out)),
        domain=lambda a, b: (a, b) != (0.0, 0.0),
    )
    scaled = define_op(
        "scaled", lambda x, c: c * x * x, lambda m, out, x, c: (2 * c * x,), const=True
    )
    a, b = Value(3.0), Value(4.0)
    y = hypot(a, b) + a.hypot(b) + scaled(a, 0.5) + a.scaled(2.0)
    y.backward()
    assert y.data == 5.0 + 5.0 + 4.5 + 18.0
    assert a.grad == 0.6 * 2 + 3.0 + 12.0 and b.grad == 0.8 * 2
    assert hypot(1.0, a).data == math.hypot(1.0, 3.0)  # a number becomes a leaf
    assert scaled(a, 0.5).op.format(["a"], 0.5) == "scaled(a, 0.5)"
    with pytest.raises(ValueError, match=r"hypot: a = 0.0, b = 0.0 is outside its domain"):
        hypot(0.0, 0.0)
    with pytest.raises(TypeError, match=r"scaled\(\) takes 1 input and a constant, got 1"):
        scaled(a)
    with pytest.raises(TypeError, match=r"scaled\(\) constant must be a real number, got str"):
        scaled(a, "2")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "non-empty string"),
        (3, "non-empty string"),
        ("class", "not a keyword"),
        ("match", "not a keyword"),
        ("two words", "Python identifier"),
        ("_private", "must not start with '_'"),
        ("data", "already an attribute of Value"),
        ("backward", "already an attribute of Value"),
        ("exp", "built-in operation.*replace_rule"),
        ("sum", "built-in operation"),
    ],
)
def test_bad_names_are_refused_and_change_nothing(name: Any, message: str) -> None:
    before, methods = dict(OPS), set(dir(Value))
    with pytest.raises(ValueError, match=message):
        define_op(name, lambda x: x, lambda m, out, x: (1.0,))
    assert before == OPS and set(dir(Value)) == methods


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"arity": 3}, ValueError, "1 or 2 Value inputs"),
        ({"forward": lambda: 1.0}, ValueError, "got arity 0"),
        ({"derivative": lambda m, x: (1.0,)}, TypeError, r"must take \(m, out, x\)"),
        ({"template": "f({3})"}, ValueError, "does not format"),
        ({"domain": 3}, TypeError, "domain must be a callable"),
        ({"kinks": [0.0], "arity": 2, "forward": lambda a, b: a}, ValueError, "one-input"),
    ],
)
def test_bad_definitions_are_refused_and_change_nothing(
    kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    before = dict(OPS)
    arguments: dict[str, Any] = {
        "forward": lambda x: x,
        "derivative": lambda m, out, x: (1.0,),
        **kwargs,
    }
    if "arity" in kwargs and kwargs["arity"] == 2:
        arguments["derivative"] = lambda m, out, a, b: (1.0, 0.0)
    with pytest.raises(error, match=message):
        define_op("fine_name", **arguments)
    assert before == OPS and not hasattr(Value, "fine_name")


def test_redefining_is_an_error_unless_replaced_and_a_block_restores() -> None:
    first = user_ops.softsign()
    with pytest.raises(ValueError, match="exists already; pass replace=True"):
        user_ops.softsign()
    assert OPS["softsign"] is first.op
    doubled = define_op("softsign", lambda x: 2 * x, lambda m, out, x: (2.0,), replace=True)
    assert Value(1.0).softsign().data == 2.0 and OPS["softsign"] is doubled.op
    with define_op("softsign", lambda x: 3 * x, lambda m, out, x: (3.0,), replace=True):
        assert Value(1.0).softsign().data == 3.0
    assert OPS["softsign"] is doubled.op and Value(1.0).softsign().data == 2.0
    with define_op("cube", lambda x: x**3, lambda m, out, x: (3 * x * x,)) as cube:
        kept = cube(Value(2.0))
    assert "cube" not in OPS and not hasattr(Value, "cube")
    kept.backward()  # a graph built inside the block keeps its Op
    assert kept.data == 8.0
    removed = remove_op("softsign")
    assert removed is doubled.op and "softsign" not in OPS
    with pytest.raises(ValueError, match="built-in operation and cannot be removed"):
        remove_op("exp")


def test_defining_one_name_from_many_threads_lets_exactly_one_succeed() -> None:
    outcomes: list[str] = []
    barrier = threading.Barrier(8)

    def attempt() -> None:
        barrier.wait()
        try:
            define_op("raced", lambda x: x, lambda m, out, x: (1.0,))
            outcomes.append("defined")
        except ValueError:
            outcomes.append("refused")

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["defined"] + ["refused"] * 7


@pytest.mark.parametrize(
    ("derivative", "message"),
    [
        (lambda m, out, x: (1.0, 2.0), r"must return a tuple of 1 local derivative.*\(1.0, 2.0\)"),
        (lambda m, out, x: 1.0, r"must return a tuple.*returned 1.0"),
        (lambda m, out, x: ("one",), r"returned 'one' \(str\) as entry 0, not a number"),
        (lambda m, out, x: (None,), r"returned None \(NoneType\) as entry 0"),
        (lambda m, out, x: (1 / (x - x),), r"raised ZeroDivisionError.*x = 0.5"),
    ],
)
def test_a_broken_derivative_gets_a_clear_error_and_leaves_grads_alone(
    derivative: Any, message: str
) -> None:
    broken = define_op("broken", lambda x: 2 * x, derivative)
    x = Value(0.5)
    y = broken(x)
    with pytest.raises(RuleError, match="derivative of broken " + message.split(" ", 1)[0]):
        y.backward()
    with pytest.raises(RuleError, match=message):
        y.backward()
    assert x.grad == 0.0


def test_a_rule_swapped_in_by_replace_rule_is_checked_like_a_defined_one() -> None:
    from autograd.testing import replace_rule

    softsign = user_ops.softsign()
    x = Value(0.3)
    with (
        replace_rule("softsign", lambda m, out, x: 0.5),
        pytest.raises(RuleError, match=r"derivative of softsign must return a tuple.*returned 0.5"),
    ):
        softsign(x).backward()
    softsign(x).backward()
    assert math.isclose(x.grad, 1 / 1.3**2, rel_tol=1e-15)


def test_a_forward_that_raises_or_returns_junk_is_named() -> None:
    define_op("rawlog", math.log, lambda m, out, x: (m.div(1.0, x),), arity=1)
    define_op("junk", lambda x: "text", lambda m, out, x: (1.0,))
    with pytest.raises(ValueError, match=r"rawlog: math domain error \(at x = -1.0\)"):
        Value(-1.0).rawlog()
    with pytest.raises(TypeError, match="forward of junk must return a real number, got 'text'"):
        Value(1.0).junk()


def test_no_grad_records_nothing_for_a_user_op() -> None:
    from autograd import no_grad

    softsign = user_ops.softsign()
    with no_grad():
        y = softsign(Value(1.0))
    assert y.is_leaf and y.data == 0.5


# --- property testing includes user ops ---


def test_expressions_draw_user_ops_inside_their_domain_and_away_from_kinks() -> None:
    from autograd.testing import expressions, gradcheck

    define_op(
        "softlog",
        lambda x: math.log(1 + x) if x > -1 else math.nan,
        lambda m, out, x: (m.div(1.0, 1 + x),),
        domain=lambda x: x > -0.9,
    )
    define_op("ramp", lambda x: max(x, 0.0), lambda m, out, x: (m.step(x),), kinks=[0.0])
    seen: list[tuple[str, float]] = []

    @settings(max_examples=80, derandomize=True, database=None, deadline=None)
    @given(expressions(variables=1, ops=["softlog", "ramp", "mul", "sin"], max_depth=3))
    def run(e: Any) -> None:
        out, _ = e.build()
        for node in _nodes(out):
            if node.op is not None and node.op.name in ("softlog", "ramp"):
                seen.append((node.op.name, node.parents[0].data))
        gradcheck(e, e.inputs)

    run()
    names = {name for name, _ in seen}
    assert names == {"softlog", "ramp"}
    assert all(x > -0.9 for name, x in seen if name == "softlog")
    assert all(abs(x) >= 0.1 for name, x in seen if name == "ramp")


def _nodes(root: Value) -> list[Value]:
    from autograd import topological_order

    return topological_order([root])


def test_a_wrong_user_rule_is_found_by_expressions_and_shrinks_to_it() -> None:
    from hypothesis import find

    from autograd.testing import GradcheckError, expressions, gradcheck

    define_op(
        "softsign", lambda x: x / (1 + abs(x)), lambda m, out, x: (m.div(-1.0, (1 + abs(x)) ** 2),)
    )

    def fails(e: Any) -> bool:
        try:
            gradcheck(e, e.inputs)
        except GradcheckError:
            return True
        return False

    shrunk = find(
        expressions(variables=1, max_depth=3),
        fails,
        settings=settings(max_examples=300, database=None, derandomize=True),
    )
    # Shrunk to a short formula around the user's op (not necessarily to it alone: the
    # shrinker need not reach the one smallest formula).
    assert "softsign" in shrunk.operations and len(shrunk.operations) <= 3
