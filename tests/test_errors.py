"""Bad input raises the stated error and changes nothing; one policy for overflow and NaN."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pytest

from autograd import (
    Op,
    Value,
    detect_anomaly,
    dot,
    grad,
    logsumexp,
    softmax,
    topological_order,
)
from autograd import sum as vsum
from autograd.engine import _record

INF = math.inf


def snapshot(root: Value) -> list[tuple[Any, ...]]:
    return [
        (id(n), n.data, n.grad, n.parents, n.op, n.const, n.label)
        for n in topological_order([root])
    ]


@pytest.fixture
def graph() -> tuple[Value, Value]:
    """A small graph with non-trivial grads already in it."""
    x = Value(2.0, label="x")
    y = (x * 3 + x.exp()).tanh() * x
    y.backward()
    return x, y


BAD_INPUTS: list[tuple[str, Callable[[Value], object], type[Exception], str]] = [
    ("Value of a str", lambda x: Value("1.0"), TypeError, "str"),  # type: ignore[arg-type]
    ("Value of complex", lambda x: Value(1j), TypeError, "complex"),  # type: ignore[arg-type]
    ("Value of None", lambda x: Value(None), TypeError, "NoneType"),  # type: ignore[arg-type]
    ("label not a str", lambda x: Value(1.0, label=3), TypeError, "int"),  # type: ignore[arg-type]
    ("add a str", lambda x: x + "a", TypeError, "str"),
    ("mul None", lambda x: x * None, TypeError, "NoneType"),
    ("rsub a list", lambda x: [1] - x, TypeError, "list"),
    ("pow a str", lambda x: x ** "2", TypeError, "str"),
    ("slope a str", lambda x: x.leaky_relu("0.1"), TypeError, "str"),  # type: ignore[arg-type]
    ("seed a str", lambda x: (x * 2).backward("1"), TypeError, "str"),  # type: ignore[arg-type]
    ("log of 0", lambda x: (x * 0).log(), ValueError, "log: the operand must be > 0, got 0.0"),
    ("log of -1", lambda x: (-x + 1).log(), ValueError, "log: the operand must be > 0, got -1.0"),
    ("sqrt of -2", lambda x: (-x).sqrt(), ValueError, "sqrt: the operand must be >= 0, got -2.0"),
    ("0 ** -1", lambda x: (x * 0) ** -1, ValueError, "pow: 0 cannot be raised to a negative"),
    ("(-8) ** (1/3)", lambda x: (x * -4) ** (1 / 3), ValueError, "pow: negative base -8.0"),
    ("(-2) ** Value", lambda x: (-x) ** x, ValueError, "must be > 0 when the exponent is a Value"),
    ("(-2) ** x", lambda x: (-2) ** x, ValueError, "must be > 0 when the exponent is a Value"),
    ("x / 0", lambda x: x / 0, ZeroDivisionError, "division by zero"),
    ("x / Value(0)", lambda x: x / (x * 0), ZeroDivisionError, "division by zero"),
    ("1 / Value(0)", lambda x: 1 / (x * 0), ZeroDivisionError, "division by zero"),
    ("dot of unequal lengths", lambda x: dot([x, x], [1.0]), ValueError, "equal lengths"),
    ("softmax of nothing", lambda x: softmax([]), ValueError, "empty"),
    ("sum of a str", lambda x: vsum([x, "a"]), TypeError, "str"),  # type: ignore[list-item]
    ("grad wrt a float", lambda x: grad(x * x, [1.0]), TypeError, "float"),  # type: ignore[list-item]
    ("order of a float", lambda x: topological_order([1.0]), TypeError, "float"),  # type: ignore[list-item]
]


@pytest.mark.parametrize(
    ("action", "error", "message"),
    [case[1:] for case in BAD_INPUTS],
    ids=[case[0] for case in BAD_INPUTS],
)
def test_bad_input_raises_and_leaves_the_graph_unchanged(
    graph: tuple[Value, Value], action: Callable[[Value], object], error: type, message: str
) -> None:
    x, y = graph
    before = snapshot(y)
    with pytest.raises(error) as raised:
        action(x)
    assert message in str(raised.value)
    assert snapshot(y) == before


def _failing_op(exception: BaseException) -> Op:
    def rule(m: Any, out: float, x: float) -> tuple[float]:
        raise exception

    return Op("boom", 1, lambda x: x, rule, "boom({0})")


@pytest.mark.parametrize("exception", [RuntimeError("rule failed"), KeyboardInterrupt()])
def test_an_exception_midway_through_backward_restores_every_grad(
    exception: BaseException,
) -> None:
    x = Value(0.5)
    inner = (x * 2).sin()
    ok = inner * 4 + x
    ok.backward()  # x and the inner nodes now hold grads from a successful pass
    middle = _record(_failing_op(exception), inner.data, (inner,))
    top = middle * 3 + ok  # backward updates several nodes before reaching `middle`
    before = snapshot(top)
    with pytest.raises(type(exception)):
        top.backward()
    assert snapshot(top) == before


def test_overflow_saturates_to_infinity() -> None:
    assert Value(1000.0).exp().data == INF
    assert (Value(10.0) ** 400).data == INF
    assert (Value(-10.0) ** 401).data == -INF
    assert (2 ** Value(5000.0)).data == INF
    assert (Value(1e308) * 10).data == INF
    assert (Value(1e308) / 1e-10).data == INF


def test_nan_and_infinity_propagate_without_raising() -> None:
    nan = Value(math.nan)
    assert math.isnan(nan.exp().data) and math.isnan((nan * 2).data)
    assert math.isnan(nan.relu().data) and math.isnan(nan.sigmoid().data)
    assert math.isnan(Value(INF).sin().data) and Value(INF).log().data == INF
    x = Value(0.0)
    x.sqrt().backward()
    assert x.grad == INF  # an infinite derivative is inf, not an error


@pytest.mark.parametrize("x", [-1000.0, -50.0, 0.0, 50.0, 1000.0, 1e308, -1e308])
def test_sigmoid_and_softplus_never_overflow(x: float) -> None:
    s = Value(x).sigmoid().data
    sp = Value(x).softplus().data
    assert 0.0 <= s <= 1.0 and math.isfinite(sp) and sp >= 0.0


def test_logsumexp_and_softmax_are_stable() -> None:
    assert logsumexp([1000.0, 1000.0]).data == pytest.approx(1000 + math.log(2), rel=1e-15)
    assert logsumexp([-1000.0, -1000.0]).data == pytest.approx(-1000 + math.log(2), rel=1e-15)
    probabilities = [p.data for p in softmax([1000.0, 0.0, -1000.0])]
    assert probabilities == [1.0, math.exp(-1000.0), 0.0]


def test_anomaly_mode_names_the_forward_op_and_the_user_line() -> None:
    x = Value(800.0)
    with detect_anomaly(), pytest.raises(FloatingPointError) as raised:
        x.exp()  # <- this line is named
    message = str(raised.value)
    assert "exp(800.0) produced inf" in message
    assert f"{__file__}:" in message
    line = int(message.rsplit(":", 1)[1])
    with open(__file__) as source:
        assert "x.exp()  # <- this line is named" in source.read().splitlines()[line - 1]


def test_anomaly_mode_names_the_backward_op_and_restores_grads() -> None:
    with detect_anomaly():
        x = Value(0.0)
        h = x * 3
        y = h.sqrt()  # <- its derivative at 0 is infinite
        z = y + x
        before = snapshot(z)
        with pytest.raises(FloatingPointError) as raised:
            z.backward()
    message = str(raised.value)
    assert "the backward of sqrt" in message and "local derivative inf" in message
    line = int(message.split("created at ", 1)[1].split(")")[0].rsplit(":", 1)[1])
    with open(__file__) as source:
        assert "y = h.sqrt()" in source.read().splitlines()[line - 1]
    assert snapshot(z) == before


def test_anomaly_mode_checks_grad_too() -> None:
    with detect_anomaly():
        x = Value(0.0)
        y = x.sqrt()
        with pytest.raises(FloatingPointError, match="backward of sqrt"):
            grad(y, x)


def test_without_anomaly_mode_the_same_backward_gives_inf() -> None:
    x = Value(0.0)
    z = (x * 3).sqrt() + x
    z.backward()
    assert x.grad == INF
