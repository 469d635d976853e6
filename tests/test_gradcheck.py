"""gradcheck: passes on every real operation, catches wrong rules, fails with a table."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import tally
from hypothesis import assume, given
from hypothesis import strategies as st
from optional import run_without
from oracle import points

from autograd import OPS, Value, grad
from autograd.testing import GradcheckError, expressions, gradcheck, replace_rule
from autograd.testing.expression import Apply, Expression, Variable

SMOOTH = sorted(name for name, op in OPS.items() if op.smooth)


def alone(name: str, inputs: tuple[float, ...], const: float | None) -> Expression:
    """Operation `name` applied to one variable per input: x0, x1, ..."""
    names = tuple(f"x{i}" for i in range(len(inputs)))
    variables = tuple(Variable(i, n) for i, n in enumerate(names))
    return Expression(Apply(name, variables, const), names, inputs)


def one_percent_off(name: str):  # type: ignore[no-untyped-def]
    """The rule of `name`, with every local derivative off by 1% of (1 + its size)."""
    right = OPS[name].derivative
    return lambda m, out, *args: tuple(d + 0.01 * (1 + abs(d)) for d in right(m, out, *args))


def test_a_correct_gradient_passes_and_reads_as_a_table() -> None:
    result = gradcheck(lambda x, y: x * y.sin(), [0.5, 2.0])
    assert result.passed and bool(result)
    by_input = {check.input: check for check in result.checks}
    assert by_input["x"].numeric == pytest.approx(math.sin(2.0), rel=1e-9)
    assert by_input["y"].numeric == pytest.approx(0.5 * math.cos(2.0), rel=1e-9)
    header = str(result).splitlines()[3].split()
    assert header == ["input", "analytic", "numeric", "abs", "err", "rel", "err"]
    assert "gradcheck passed: 2 derivatives of f at x=0.5, y=2.0" in str(result)


def test_a_wrong_rule_fails_with_a_table_marking_the_worst_row() -> None:
    wrong_sin = lambda m, out, x: (m.sin(x),)  # the derivative of sin is cos, not sin
    with replace_rule("sin", wrong_sin), pytest.raises(GradcheckError) as caught:
        gradcheck(lambda x, y: x * y.sin(), [0.5, 2.0])
    result = caught.value.result
    assert [check.input for check in result.failures] == ["y"]
    assert result.worst.analytic == pytest.approx(0.5 * math.sin(2.0))
    assert result.worst.numeric == pytest.approx(0.5 * math.cos(2.0), rel=1e-9)
    lines = str(caught.value).splitlines()
    assert lines[0] == "gradcheck FAILED: 1 of 2 derivatives of f at x=0.5, y=2.0"
    rows = {line.split()[0]: line for line in lines[4:]}
    assert rows["y"].endswith("FAIL  <- worst") and rows["x"].endswith("ok")
    assert OPS["sin"].derivative is not wrong_sin  # put back after the block


def test_replace_rule_puts_the_rule_back_after_an_error() -> None:
    right = OPS["exp"].derivative
    with pytest.raises(RuntimeError), replace_rule("exp", lambda m, out, x: (0.0,)):
        raise RuntimeError
    assert OPS["exp"].derivative is right
    with pytest.raises(ValueError, match="unknown operation 'expp'"), replace_rule("expp", right):
        pass


@pytest.mark.parametrize("name", sorted(OPS))
@given(data=st.data())
def test_every_operation_passes_and_a_one_percent_error_in_its_rule_fails(
    name: str, data: st.DataObject
) -> None:
    inputs, const = data.draw(points(name))
    e = alone(name, inputs, const)
    second_order = OPS[name].smooth
    if second_order:  # 1/x^2 overflows at x = 1e-200: nothing left to compare there
        leaves = e.leaves()
        assume(all(math.isfinite(g) for g in _hessian_row_sums(e(*leaves), leaves)))
    gradcheck(e, e.leaves(), second_order=second_order)
    with replace_rule(name, one_percent_off(name)), pytest.raises(GradcheckError):
        gradcheck(e, e.leaves())
    tally.count("gradcheck", name)


def _hessian_row_sums(out: Value, leaves: list[Value]) -> list[float]:
    return [sum(grad(first, leaves)) for first in grad(out, leaves, create_graph=True)]


def test_second_order_catches_a_rule_that_is_right_but_not_differentiable() -> None:
    # Right on floats, but a constant under create_graph: second derivatives come out 0.
    detached_cos = lambda m, out, x: (math.cos(float(x)),)
    with replace_rule("sin", detached_cos):
        assert gradcheck(lambda x: x.sin(), [0.7]).passed
        with pytest.raises(GradcheckError) as caught:
            gradcheck(lambda x: x.sin(), [0.7], second_order=True)
    (failure,) = caught.value.result.failures
    assert failure.input == "x, x" and failure.analytic == 0.0
    assert failure.numeric == pytest.approx(-math.sin(0.7), rel=1e-7)


@given(expressions(variables=3, max_depth=5))
def test_correct_derivatives_stay_far_inside_the_tolerance(e: Expression) -> None:
    result = gradcheck(e, e.leaves(), second_order=True)
    tally.peak("gradcheck worst error / allowed", result.worst.excess)
    assert result.worst.excess < 0.1, result


@pytest.mark.parametrize(
    ("f", "x"),
    [
        (lambda x: x * x, 1e10),  # a fixed step of 1e-6 is below the spacing of floats here
        (lambda x: x.log(), 2e-5),  # x - 1e-6 is fine, but log curves too much over it
        (lambda x: x.log(), 1e-9),  # x - 1e-6 < 0: outside the domain
        (lambda x: (x * 1e6).sqrt(), 3e-12),
        (lambda x: (x.tanh() - 0.5) + 0.5, -4e-91),  # x + 1e-97 does not move f at all
    ],
)
def test_the_step_adapts_to_large_inputs_and_to_singularities(f: object, x: float) -> None:
    assert gradcheck(f, [x], second_order=True).passed  # type: ignore[arg-type]


def test_inputs_are_named_by_label_then_parameter_then_position() -> None:
    assert gradcheck(lambda w: w * 2, [Value(1.0, label="weight")]).checks[0].input == "weight"
    assert gradcheck(lambda w: w * 2, [1.0]).checks[0].input == "w"
    assert gradcheck(lambda *xs: xs[0] * xs[1], [1.0, 2.0]).checks[1].input == "x1"


def test_a_constant_function_has_zero_derivatives() -> None:
    result = gradcheck(lambda x: 3.0, 1.0)
    assert [(c.analytic, c.numeric) for c in result.checks] == [(0.0, 0.0)]


def test_the_notebook_table_marks_the_worst_row_and_escapes_text() -> None:
    with replace_rule("exp", lambda m, out, x: (out * 2.0,)):
        result = gradcheck(
            lambda x, y: x.exp() + y, [Value(0.3, label="<x>"), 1.0], raise_on_failure=False
        )
    page = result._repr_html_()
    assert page.startswith("<table><caption>gradcheck FAILED")
    assert "&lt;x&gt;" in page and "<x>" not in page
    worst_row = next(row for row in page.split("<tr") if "worst" in row)
    assert "font-weight:bold" in worst_row and "&lt;x&gt;" in worst_row
    assert not result and repr(result) == str(result)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: gradcheck(lambda x: x, []), ValueError, "at least one input"),
        (lambda: gradcheck(lambda x: x, ["1"]), TypeError, "input 0 must be a finite real"),
        (lambda: gradcheck(lambda x: x, [math.nan]), TypeError, "input 0 must be a finite"),
        (lambda: gradcheck(lambda x: x, [1.0], eps=0), ValueError, "eps must be"),
        (lambda: gradcheck(lambda x: x, [1.0], rtol=-1), ValueError, "rtol must be"),
        (lambda: gradcheck(lambda x: [x], [1.0]), TypeError, "f must return a Value, got list"),
        (lambda: gradcheck(lambda x: x.sqrt(), [0.0]), ValueError, "not defined on both sides"),
    ],
)
def test_bad_arguments_get_clear_errors(call: object, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        call()  # type: ignore[operator]


def test_gradcheck_works_without_hypothesis_and_the_strategies_say_what_to_install(
    tmp_path: Path,
) -> None:
    program = (
        "import autograd.testing as t\n"
        "assert t.gradcheck(lambda x: x.exp(), [1.0]).passed\n"
        "try:\n"
        "    t.expressions()\n"
        "except ImportError as error:\n"
        "    print(error)\n"
    )
    stdout = run_without("hypothesis", program, tmp_path)
    assert stdout.strip() == (
        'autograd.testing strategies need hypothesis: pip install "glassgrad[test]"'
    )
