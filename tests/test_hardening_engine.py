"""Regression tests of issue 13 for the engine and its API: one per root cause."""

from __future__ import annotations

import math
import subprocess
import sys
from fractions import Fraction

import pytest
from interrupts import interrupt_at, line_count

from autograd import MLP, Value, grad
from autograd.cli.parser import build
from autograd.nn import losses
from autograd.nn.optim import SGD
from autograd.testing import gradcheck
from autograd.viz.stepper import Stepper

HUGE = 10**400


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda: Value(HUGE).data, math.inf),
        (lambda: Value(-HUGE).data, -math.inf),
        (lambda: Value(Fraction(HUGE, 3)).data, math.inf),
        (lambda: (Value(2.0) * HUGE).data, math.inf),
        (lambda: (HUGE - Value(2.0)).data, math.inf),
        (lambda: (Value(2.0) ** -HUGE).data, 0.0),
        (lambda: losses.mse(Value(1.0), HUGE).data, math.inf),
        (lambda: build("x * " + str(HUGE), {"x": 1.0}).data, math.inf),
    ],
)
def test_numbers_too_large_for_a_float_saturate_to_inf(make: object, expected: float) -> None:
    assert make() == expected  # type: ignore[operator]


def test_a_huge_gradient_seed_saturates_and_a_huge_learning_rate_is_refused() -> None:
    x = Value(1.0)
    (x * 2.0).backward(gradient=HUGE)
    assert x.grad == math.inf
    with pytest.raises(ValueError, match="learning rate must be finite"):
        SGD([x], lr=HUGE)


def test_checkers_refuse_huge_numbers_with_their_own_errors() -> None:
    with pytest.raises(TypeError, match="input 0 must be a finite real number"):
        gradcheck(lambda x: x * x, [HUGE])
    with pytest.raises(ValueError, match="eps must be a finite number > 0, got inf"):
        gradcheck(lambda x: x * x, [1.0], eps=HUGE)


def test_load_state_dict_checks_every_value_before_assigning_any() -> None:
    model = MLP(2, [2, 1])
    before = model.state_dict()
    state = dict.fromkeys(before, 0.5)
    state[list(state)[-1]] = "nine"  # type: ignore[assignment]
    with pytest.raises(TypeError, match="must be a real number"):
        model.load_state_dict(state)
    assert model.state_dict() == before


@pytest.mark.parametrize(
    "f", [Value.sqrt, lambda x: x**0.5, lambda x: x**0.25], ids=["sqrt", "pow0.5", "pow0.25"]
)
def test_create_graph_derivatives_never_raise(f: object) -> None:
    x = Value(0.0)
    y = f(x)  # type: ignore[operator]
    y.backward()
    first = grad(y, x, create_graph=True)
    assert first.data == x.grad == math.inf
    grad(first, x)  # and the second derivative does not raise either


def test_grad_accepts_any_real_seed_as_backward_does() -> None:
    numpy = pytest.importorskip("numpy")
    x = Value(3.0)
    assert grad(x * x, x, seeds=numpy.float32(2)) == 12.0
    assert grad(x * x, x, seeds=Fraction(1, 2)) == 3.0


def test_a_bool_is_refused_wherever_a_number_is_taken() -> None:
    x = Value(1.0)
    for make in (lambda: Value(True), lambda: x * True, lambda: False + x, lambda: x > True):
        with pytest.raises(TypeError, match="bool"):
            make()


def test_ordering_compares_data_and_equality_is_identity() -> None:
    y = Value(2.0)
    assert y > 1 and y >= 2 and y < 3.5 and y <= Value(2.0)
    assert 1 < y  # noqa: SIM300  # the reflected comparison
    assert not (y > Value(5.0))
    assert y != 2.0 and y == y and len({y, Value(2.0)}) == 2
    with pytest.raises(TypeError):
        _ = y < "3"


def test_draw_of_a_plain_number_says_it_needs_a_value() -> None:
    pytest.importorskip("graphviz")
    from autograd.viz import draw

    with pytest.raises(TypeError, match="needs a Value or a list of Values, got float"):
        draw(3.0)  # type: ignore[arg-type]


def test_star_import_does_not_shadow_builtins() -> None:
    namespace: dict[str, object] = {}
    exec("from autograd import *", namespace)
    assert "sum" not in namespace
    import autograd

    assert autograd.sum([Value(1.0), 2.0]).data == 3.0


def test_mlp_output_and_outputs_have_precise_types(tmp_path: object) -> None:
    model = MLP(2, [3, 1])
    out = model.output([1.0, 2.0])
    assert isinstance(out, Value) and out.data == model([1.0, 2.0]).data  # type: ignore[union-attr]
    assert [v.data for v in MLP(2, [2]).outputs([1.0, 2.0])] == [
        v.data
        for v in MLP(2, [2])([1.0, 2.0])  # type: ignore[union-attr]
    ]
    with pytest.raises(ValueError, match="use outputs"):
        MLP(2, [2]).output([1.0, 2.0])


def test_mlp_output_passes_mypy_in_user_code(tmp_path: object) -> None:
    pytest.importorskip("mypy")
    from pathlib import Path

    user = Path(str(tmp_path)) / "user.py"
    user.write_text(
        "from autograd import MLP\n"
        "model = MLP(2, [3, 1])\n"
        "model.output([1.0, 2.0]).backward()\n"
        "first = model.outputs([1.0, 2.0])[0]\n"
        "first.backward()\n"
    )
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(user)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout


def _graph() -> tuple[Value, list[Value]]:
    x, w = Value(0.6, label="x"), Value(0.8, label="w")
    x.grad = 0.25  # an accumulated gradient that an interrupted pass must keep
    z = (x * w + x).tanh() * w
    return z, [x, w]


def test_stepper_construction_is_all_or_nothing_under_interrupts() -> None:
    z, _ = _graph()
    z.backward()
    from autograd import topological_order

    nodes = topological_order([z])
    before = [n.grad for n in nodes]
    points = line_count(lambda: Stepper(z))
    for n, old in zip(nodes, before):
        n.grad = old
    assert points > 20
    for k in range(1, points + 1):
        assert interrupt_at(k, lambda: Stepper(z)), k
        assert [n.grad for n in nodes] == before, f"changed by an interrupt at line {k}"
