"""check_rule, its differences, and gradcheck's blame: correct rules pass, planted ones fail.

Oracles: mpmath's differentiation at 50 digits for the slopes; for the rules, the
mathematics of softsign and swish, never the rules under test.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import mpmath as mp
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from optional import run_without
from user_ops import mylog, softsign, swish

from autograd import OPS, define_op
from autograd.ops import DefinedOp
from autograd.testing import GradcheckError, RuleCheckError, check_rule, gradcheck
from autograd.testing.slopes import slope

mp.mp.dps = 50
SEEDS = range(3)


def mp_softsign(x: Any) -> Any:
    return x / (1 + abs(x))


def mp_swish(x: Any) -> Any:
    return x / (1 + mp.exp(-x))


# --- the differences themselves, against mpmath ---


@settings(max_examples=40)
@given(
    st.sampled_from([(math.sin, mp.sin), (math.exp, mp.exp), (math.atan, mp.atan)]),
    st.floats(-4, 4),
)
def test_richardson_slopes_match_mpmath_within_their_error_estimate(pair: Any, x: float) -> None:
    fn, mp_fn = pair
    measured = slope(fn, x)
    exact = float(mp.diff(mp_fn, mp.mpf(x)))
    assert not measured.kink
    assert abs(measured.best.value - exact) <= 1e-12 * max(1.0, abs(exact))
    assert abs(measured.best.value - exact) <= 3 * measured.best.error + 1e-15


def test_a_kink_is_measured_from_both_sides() -> None:
    measured = slope(lambda x: max(x, 0.0), 0.0)
    assert measured.kink and measured.left.value == 0.0 and measured.right.value == 1.0
    assert not slope(lambda x: max(x, 0.0), 0.5).kink


# --- correct rules pass, first and second order ---


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize(("make", "reference"), [(softsign, mp_softsign), (swish, mp_swish)])
def test_correct_rules_pass_first_and_second_order(make: Any, reference: Any, seed: int) -> None:
    op = make()
    result = check_rule(op, seed=seed, samples=15, reference=reference)
    kinds = {row.check.split(" ")[0] for row in result.checks if row.status == "ok"}
    assert {"d/dx", "d2/dxdx", "forward"} <= kinds
    assert result.sampler == "hypothesis" and result.passed


@pytest.mark.parametrize("name", [name for name, op in OPS.items() if op.arity > 0])
def test_every_built_in_rule_passes_on_every_seed_without_flakes(name: str) -> None:
    # Hypothesis draws 0, tiny and huge numbers, poles and domain edges on purpose: those
    # are reported (kink, edge, uncertain), never failed.
    for seed in range(5):
        for use_hypothesis in (True, False):
            check_rule(name, seed=seed, samples=10, use_hypothesis=use_hypothesis)


def test_without_hypothesis_a_seeded_sampler_draws_the_same_points() -> None:
    op = swish()
    first = check_rule(op, use_hypothesis=False, seed=3, samples=10)
    again = check_rule(op, use_hypothesis=False, seed=3, samples=10)
    other = check_rule(op, use_hypothesis=False, seed=4, samples=10)
    assert first.sampler == "random.Random" and first.passed
    assert [c.at for c in first.checks] == [c.at for c in again.checks]
    assert [c.at for c in first.checks] != [c.at for c in other.checks]


def test_without_hypothesis_installed_it_falls_back_to_the_seeded_sampler(
    tmp_path: Path,
) -> None:
    program = (
        "from autograd import define_op\n"
        "from autograd.testing import RuleCheckError, check_rule\n"
        "op = define_op('sq', lambda x: x * x, lambda m, out, x: (2 * x,))\n"
        "print(check_rule(op, samples=5).sampler)\n"
        "bad = define_op('bad', lambda x: x * x, lambda m, out, x: (x,))\n"
        "try:\n"
        "    check_rule(bad, samples=5)\n"
        "except RuleCheckError as error:\n"
        "    print(str(error).splitlines()[0])\n"
    )
    lines = run_without("hypothesis", program, tmp_path).splitlines()
    assert lines[0] == "random.Random"
    assert lines[1].startswith("check_rule FAILED: bad,") and "random.Random" in lines[1]


def test_second_order_runs_through_create_graph_against_mpmath() -> None:
    op = softsign()
    result = check_rule(op, points=[0.7], samples=0)
    (row,) = [r for r in result.checks if r.check.startswith("d2/dxdx")]
    g = float(row.check.split("seed ")[1].rstrip(")"))
    exact = float(mp.diff(mp_softsign, mp.mpf(0.7), 2))
    assert math.isclose(row.expected, exact * g, rel_tol=1e-3)  # g is printed to 3 digits
    assert math.isclose(row.rule / row.expected, 1.0, rel_tol=1e-9)


# --- planted mistakes fail, naming the op, on every seed ---

PLANTED = {
    "softsign": {
        "missing factor": lambda m, out, x: (m.div(1.0, 1 + abs(x)),),
        "wrong sign": lambda m, out, x: (-m.div(1.0, (1 + abs(x)) ** 2),),
        # math.fabs turns a Value into a float: the rule is right on floats, but its own
        # derivative (the second derivative) loses the chain-rule term through |x|
        "second derivative": lambda m, out, x: (m.div(1.0, (1 + math.fabs(x)) ** 2),),
    },
    "swish": {
        "missing factor": lambda m, out, x: (m.sigmoid(x) * (1.0 + x),),
        "wrong sign": lambda m, out, x: (m.sigmoid(x) * (1.0 - x * (1.0 - m.sigmoid(x))),),
        "second derivative": lambda m, out, x: (
            m.sigmoid(x) * (1.0 + float(x) * (1.0 - m.sigmoid(x))),
        ),
    },
}


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("mistake", ["missing factor", "wrong sign", "second derivative"])
@pytest.mark.parametrize("make", [softsign, swish])
def test_a_planted_mistake_fails_naming_the_op_on_every_seed(
    make: Any, mistake: str, seed: int
) -> None:
    op = make(PLANTED[make.__name__][mistake])
    with pytest.raises(RuleCheckError) as raised:
        check_rule(op, seed=seed, samples=10)
    result = raised.value.result
    message = str(raised.value)
    assert f"check_rule FAILED: {make.__name__}" in message and f"seed {seed}" in message
    failed = {row.check.split(" ")[0] for row in result.failures}
    if mistake == "second derivative":
        assert "d2/dxdx" in failed and not {"d/dx"} & failed
    else:
        assert "d/dx" in failed
    row = next(r for r in result.failures if r.check.startswith("d"))
    for part in (row.at, f"{row.rule:.12g}", f"{row.expected:.12g}", f"{row.error:.1e}"):
        assert part in message  # the point, actual, expected and error estimate


@pytest.mark.parametrize("mistake", ["missing factor", "wrong sign", "second derivative"])
@pytest.mark.parametrize("make", [softsign, swish])
def test_a_planted_mistake_fails_with_the_seeded_sampler_on_every_seed(
    make: Any, mistake: str
) -> None:
    op = make(PLANTED[make.__name__][mistake])
    for seed in range(10):
        result = check_rule(op, seed=seed, samples=8, use_hypothesis=False, raise_on_failure=False)
        assert not result.passed and result.op == make.__name__, seed
        assert result.sampler == "random.Random"


# --- kinks ---


def relu_like() -> DefinedOp:
    return define_op(
        "ramp", lambda x: x if x > 0 else 0.0, lambda m, out, x: (m.step(x),), smooth=False
    )


def test_a_relu_like_op_passes_away_from_0_and_reports_the_kink_at_0() -> None:
    op = relu_like()
    for bounds in ((-5.0, -0.5), (0.5, 5.0)):
        away = check_rule(op, bounds=bounds, samples=15)
        assert away.passed and not away.kinks
    at_zero = check_rule(op, points=[0.0], samples=0)
    assert at_zero.passed
    (kink,) = at_zero.kinks
    g = float(kink.check.split("seed ")[1].rstrip(")"))
    assert kink.at == "x=0.0"
    assert f"left {0.0:.6g}, right {g:.6g}" in kink.note  # 0 and 1, times the cotangent
    assert "picked the left derivative" in kink.note
    assert "kink" in str(at_zero) and "kink" in at_zero._repr_html_()


def test_a_rule_outside_the_one_sided_derivatives_at_a_kink_fails() -> None:
    op = define_op("ramp", lambda x: max(x, 0.0), lambda m, out, x: (2.0 * m.step(x) - 0.5,))
    result = check_rule(op, points=[0.0], samples=0, raise_on_failure=False)
    assert not result.passed and "NEITHER" in str(result)


# --- what check_rule accepts and reports ---


def test_it_accepts_the_name_the_op_and_the_function() -> None:
    function = softsign()
    for handle in ("softsign", function.op, function):
        assert check_rule(handle, samples=3).op == "softsign"
    with pytest.raises(TypeError, match="operation's name, its Op, or the function"):
        check_rule(3.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown operation 'nope'"):
        check_rule("nope")


def test_a_point_outside_the_domain_is_reported_not_raised() -> None:
    op = mylog()
    result = check_rule(op, points=[-1.0, 2.0], samples=0)
    outside = [row for row in result.checks if row.status == "outside the domain"]
    assert result.passed and len(outside) == 1
    assert "mylog: x = -1.0 is outside its domain" in outside[0].note
    assert "outside the domain" in str(result)


def test_a_rule_that_raises_or_misbehaves_fails_with_its_message() -> None:
    op = define_op("broken", lambda x: 2 * x, lambda m, out, x: (1.0, 2.0))
    with pytest.raises(RuleCheckError, match="derivative of broken must return a tuple of 1"):
        check_rule(op, samples=3)


def test_the_result_is_a_table_in_text_and_html() -> None:
    result = check_rule(softsign(), samples=5)
    text = str(result)
    assert text.startswith("check_rule passed: softsign")
    assert "rtol=1e-06" in text and "atol=1e-09" in text and "worst of" in text
    page = result._repr_html_()
    assert page.startswith("<table><caption>") and "<th>expected</th>" in page
    assert bool(result)


def test_a_binary_op_with_both_inputs_the_same_accumulates() -> None:
    op = define_op(
        "hyp",
        lambda a, b: math.hypot(a, b),
        lambda m, out, a, b: (m.div(a, out), m.div(b, out)),
        domain=lambda a, b: abs(a) + abs(b) > 0.1,
    )
    result = check_rule(op, samples=5)
    assert any(r.check.startswith("d/dx of op(x, x)") for r in result.checks)
    wrong = define_op(
        "hyp",
        lambda a, b: math.hypot(a, b),
        lambda m, out, a, b: (m.div(a, out), 0.0),
        replace=True,
    )
    with pytest.raises(RuleCheckError, match="hyp"):
        check_rule(wrong, samples=5, use_hypothesis=False)


# --- blame in gradcheck ---


def test_gradcheck_of_three_ops_names_exactly_the_wrong_one() -> None:
    s = softsign(PLANTED["softsign"]["missing factor"])
    w = swish()

    def f(x: Any, y: Any) -> Any:
        return w(s(x * y) + x.tanh()) + s(y)

    with pytest.raises(GradcheckError) as raised:
        gradcheck(f, [0.3, 0.7])
    result = raised.value.result
    assert [b.op for b in result.blame] == ["softsign"]
    (line,) = [line for line in str(raised.value).splitlines() if line.startswith("blame:")]
    blamed = result.blame[0]
    x = blamed.node.parents[0].data
    assert blamed.node in set(_all(result.graph))
    assert math.isclose(blamed.rule, 1 / (1 + abs(x)), rel_tol=1e-12)
    assert math.isclose(blamed.differences, 1 / (1 + abs(x)) ** 2, rel_tol=1e-9)
    assert "the rule of softsign at " in line and "used 2 times in f" in line
    assert result.blamed_nodes == [blamed.node]


def test_gradcheck_blames_a_wrong_second_derivative_and_nothing_when_all_agree() -> None:
    s = softsign(PLANTED["softsign"]["second derivative"])
    with pytest.raises(GradcheckError) as raised:
        gradcheck(lambda x: s(x).exp(), [0.5], second_order=True)
    (blamed,) = raised.value.result.blame
    assert blamed.op == "softsign" and blamed.check.startswith("d2/dxdx")
    # a tolerance too tight for f: every rule is right, and blame says so
    with pytest.raises(GradcheckError, match="every operation's own rule agrees"):
        gradcheck(lambda x: (x * 3.0).exp().sin(), [0.3], atol=0.0, rtol=1e-16)


def _all(root: Any) -> list[Any]:
    from autograd import topological_order

    return topological_order([root])


def test_the_blamed_nodes_can_be_highlighted_in_a_drawing() -> None:
    from optional import require

    require("graphviz")
    from autograd.viz import draw
    from autograd.viz.drawing import HIGHLIGHT

    s = softsign(PLANTED["softsign"]["wrong sign"])
    with pytest.raises(GradcheckError) as raised:
        gradcheck(lambda x: s(x).exp() + x.sin(), [0.4])
    result = raised.value.result
    assert result.graph is not None
    plain = draw(result.graph).source
    marked = draw(result.graph, highlight=result.blamed_nodes).source
    assert HIGHLIGHT not in plain
    # the blamed softsign node and its operation are marked, and nothing else
    assert marked.count(HIGHLIGHT) == 2 and "softsign(·)" in marked
