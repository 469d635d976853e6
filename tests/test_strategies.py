"""The strategies: every operation reachable, always inside its domain, shrinking to math."""

from __future__ import annotations

import math
from collections import Counter

import pytest
from hypothesis import find, given, settings
from hypothesis import strategies as st

from autograd import OPS, Value, topological_order
from autograd.testing import BOUND, expressions, gradcheck, replace_rule, values
from autograd.testing.expression import Apply, Expression, Variable, to_math

SEARCH = settings(max_examples=3000, database=None, derandomize=True)


def test_every_operation_is_reachable() -> None:
    seen: Counter[str] = Counter()

    @settings(max_examples=1000, database=None, derandomize=True)
    @given(expressions())
    def collect(e: Expression) -> None:
        seen.update(e.operations)

    collect()
    assert set(seen) == set(OPS), set(OPS) - set(seen)
    assert min(seen.values()) >= 5, seen  # and not just by a fluke


def singular_operands(node: Value) -> list[float]:
    """The numbers that must keep `margin` away from 0 for node's operation to be tame."""
    assert node.op is not None
    data = [p.data for p in node.parents]
    name, c = node.op.name, node.const
    if name in ("log", "sqrt", "abs", "relu", "leaky_relu", "rdiv_const"):
        return data  # the operand: a singularity or a kink at 0
    if name == "div":
        return data[1:]  # the divisor
    if name == "pow":
        return data[:1]  # the base, which must be positive when the exponent is a Value
    if name == "div_const":
        return [c] if c is not None else []
    if name == "rpow_const":
        return [c] if c is not None else []
    if name == "max":
        top = sorted(data, reverse=True)
        return [top[0] - top[1]]  # the lead of the winner: a kink where it is 0
    if name == "pow_const" and c is not None and (c < 0 or not c.is_integer()):
        return data  # a negative or fractional power is singular at 0
    return []


@pytest.mark.parametrize("margin", [0.1, 0.5])
@given(data=st.data())
def test_generated_expressions_stay_inside_every_domain(margin: float, data: st.DataObject) -> None:
    e = data.draw(expressions(variables=3, margin=margin))
    out, _ = e.build()  # raises on any domain error
    for node in topological_order([out]):
        assert math.isfinite(node.data) and abs(node.data) <= BOUND, (e, node)
        if node.op is not None:
            assert all(abs(x) >= margin for x in singular_operands(node)), (e, node)
        if node.op is not None and node.op.name in ("log", "sqrt", "pow"):
            assert node.parents[0].data > 0, (e, node)  # positive, not just far from 0


def test_near_singular_cases_come_only_when_asked() -> None:
    def near_zero_divisor(e: Expression) -> bool:
        out, _ = e.build()
        divs = [n for n in topological_order([out]) if n.op is not None and n.op.name == "div"]
        return any(abs(n.parents[1].data) < 1e-3 for n in divs)

    e = find(expressions(ops=["div", "sub"], margin=0), near_zero_divisor, settings=SEARCH)
    assert near_zero_divisor(e)  # with margin=0.1 there is none: see the test above


@given(expressions(variables=3))
def test_the_graph_records_exactly_the_operations_of_the_formula(e: Expression) -> None:
    out, leaves = e.build()
    recorded = Counter(n.op.name for n in topological_order([out]) if n.op is not None)
    assert recorded == Counter(e.operations), e  # so `2 - x` really records rsub_const
    assert [leaf.data for leaf in leaves] == list(e.inputs)


@given(expressions(ops=["exp", "add", "mul_const"], variables=["a", "b"]))
def test_only_the_chosen_operations_and_names_appear(e: Expression) -> None:
    assert set(e.operations) <= {"exp", "add", "mul_const"}
    assert e.names == ("a", "b")


@given(expressions(variables=5))
def test_more_than_four_variables_are_numbered(e: Expression) -> None:
    assert e.names == ("x0", "x1", "x2", "x3", "x4") and len(e.inputs) == 5


@given(expressions(variables=2, at=(0.25, -3.0)))
def test_a_fixed_point_is_kept(e: Expression) -> None:
    assert e.inputs == (0.25, -3.0)
    e.build()  # and the operations were chosen to fit it


@given(values(-2.0, 3.0))
def test_values_are_finite_numbers_in_range(x: float) -> None:
    assert math.isfinite(x) and -2.0 <= x <= 3.0


x, y = Variable(0, "x"), Variable(1, "y")


@pytest.mark.parametrize(
    ("tree", "text"),
    [
        (Apply("sub_const", (Apply("sub", (x, y)),), 2.0), "(x - y) - 2"),
        (Apply("sub", (x, Apply("sub", (y, x)))), "x - (y - x)"),
        (Apply("neg", (Apply("add", (x, y)),)), "-(x + y)"),
        (Apply("pow_const", (Apply("neg", (x,)),), 2.0), "(-x) ** 2"),
        (Apply("neg", (Apply("pow_const", (x,), 2.0),)), "-x ** 2"),
        (Apply("rsub_const", (x,), 0.5), "0.5 - x"),
        (Apply("mul_const", (x,), -1.0), "x * (-1)"),
        (Apply("div", (x, Apply("mul", (x, y)))), "x / (x * y)"),
        (Apply("add", (Apply("mul", (x, y)), x)), "x * y + x"),
        (Apply("sum", (x, y, Apply("exp", (x,)))), "sum(x, y, exp(x))"),
        (Apply("leaky_relu", (Apply("add", (x, y)),), 0.1), "leaky_relu(x + y, 0.1)"),
        (Apply("rpow_const", (Apply("neg", (x,)),), 2.0), "2 ** (-x)"),
    ],
)
def test_expressions_print_as_math_with_the_parentheses_needed(tree: Apply, text: str) -> None:
    assert to_math(tree) == text


def test_a_failure_shrinks_to_a_short_formula_that_prints_as_math() -> None:
    wrong_cos = lambda m, out, x: (m.sin(x),)  # the derivative of cos is -sin
    with replace_rule("cos", wrong_cos):
        e = find(
            expressions(max_depth=5),
            lambda e: not gradcheck(e, e.leaves(), raise_on_failure=False),
            settings=SEARCH,
        )
    # cos(x) itself passes at the shrinker's favourite x = 0 (sin 0 = -sin 0), so the
    # shortest failure may wrap x once more, e.g. cos(exp(x)): which one depends on the run.
    assert e.operations[0] == "cos" and len(e.operations) <= 2, str(e)
    assert repr(e) == f"Expression({str(e)!r}, x={e.inputs[0]!r}, y={e.inputs[1]!r})"


def test_an_expression_is_called_with_one_value_per_variable() -> None:
    e = Expression(Apply("mul", (x, y)), ("x", "y"), (2.0, 3.0))
    assert e(2.0, Value(4.0)).data == 8.0
    with pytest.raises(TypeError, match=r"x \* y takes 2 inputs, got 1"):
        e(1.0)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"ops": ["exp", "expp"]}, "unknown operation 'expp'"),
        ({"max_depth": -1}, "max_depth must be an integer >= 0"),
        ({"variables": 0}, "at least one variable"),
        ({"variables": ["x", "x"]}, "distinct non-empty names"),
        ({"margin": -0.1}, "margin must be >= 0"),
        ({"at": [1.0]}, "at= needs 2 finite numbers"),
    ],
)
def test_bad_arguments_fail_when_the_strategy_is_made(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        expressions(**kwargs)
