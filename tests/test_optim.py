"""SGD and Adam: two steps each against values worked out by hand, and argument checks.

Each test starts from p = 1.0 and applies the gradient 0.5, then -0.2; the comments
show the arithmetic (PyTorch's update rules, written out).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from autograd import Value
from autograd.nn.optim import SGD, Adam, Optimizer

GRADIENTS = (0.5, -0.2)


def two_steps(make: Callable[[list[Value]], Optimizer], start: float = 1.0) -> list[float]:
    p = Value(start)
    optimizer = make([p])
    seen = []
    for g in GRADIENTS:
        optimizer.zero_grad()
        assert p.grad == 0.0
        p.grad = g
        optimizer.step()
        seen.append(p.data)
    return seen


def test_plain_sgd() -> None:
    # 1 - 0.1 * 0.5 = 0.95;  0.95 - 0.1 * -0.2 = 0.97
    assert two_steps(lambda ps: SGD(ps, lr=0.1)) == pytest.approx([0.95, 0.97], abs=1e-15)


def test_sgd_momentum() -> None:
    # v = 0.5, p = 1 - 0.05 = 0.95;  v = 0.9 * 0.5 - 0.2 = 0.25, p = 0.95 - 0.025 = 0.925
    steps = two_steps(lambda ps: SGD(ps, lr=0.1, momentum=0.9))
    assert steps == pytest.approx([0.95, 0.925], abs=1e-15)


def test_sgd_momentum_and_weight_decay() -> None:
    # g = 0.5 + 0.1 * 1 = 0.6, v = 0.6, p = 1 - 0.06 = 0.94
    # g = -0.2 + 0.1 * 0.94 = -0.106, v = 0.9 * 0.6 - 0.106 = 0.434, p = 0.94 - 0.0434 = 0.8966
    steps = two_steps(lambda ps: SGD(ps, lr=0.1, momentum=0.9, weight_decay=0.1))
    assert steps == pytest.approx([0.94, 0.8966], abs=1e-15)


def test_sgd_nesterov() -> None:
    # v = 0.5, step g + 0.9 v = 0.95, p = 1 - 0.095 = 0.905
    # v = 0.45 - 0.2 = 0.25, step -0.2 + 0.225 = 0.025, p = 0.905 - 0.0025 = 0.9025
    steps = two_steps(lambda ps: SGD(ps, lr=0.1, momentum=0.9, nesterov=True))
    assert steps == pytest.approx([0.905, 0.9025], abs=1e-15)


def test_adam() -> None:
    # Step 1: m = 0.1 * 0.5 = 0.05, s = 0.001 * 0.25 = 0.00025, m_hat = 0.5, s_hat = 0.25,
    #   p = 1 - 0.1 * 0.5 / (0.5 + 1e-8) = 0.9 + 2e-9 (to 1e-16).
    # Step 2: m = 0.045 - 0.02 = 0.025, s = 0.00024975 + 0.00004 = 0.00028975,
    #   m_hat = 0.025 / 0.19 = 0.1315789..., s_hat = 0.00028975 / 0.001999 = 0.1449474...,
    #   p = 0.900000002 - 0.1 * 0.1315789... / (0.3807196... + 1e-8) = 0.8654394181165106
    steps = two_steps(lambda ps: Adam(ps, lr=0.1))
    assert steps == pytest.approx([0.900000002, 0.8654394181165106], rel=1e-14)


def test_adam_keeps_state_per_parameter() -> None:
    # A constant gradient gives m_hat = g and s_hat = g^2: each step moves lr * g / (|g| + eps).
    p, q = Value(1.0), Value(-2.0)
    optimizer = Adam([p, q], lr=0.1)
    for _ in range(2):
        p.grad, q.grad = 0.0, -1.0
        optimizer.step()
    assert p.data == 1.0
    assert q.data == pytest.approx(-2.0 + 2 * 0.1 / (1 + 1e-8), rel=1e-15)


def test_the_learning_rate_can_change_between_steps() -> None:
    p = Value(1.0)
    optimizer = SGD([p], lr=0.1)
    p.grad = 1.0
    optimizer.lr = 0.5
    optimizer.step()
    assert p.data == 0.5


@pytest.mark.parametrize("lr", [0, -0.1, float("nan"), float("inf")])
def test_bad_learning_rates_are_refused(lr: float) -> None:
    with pytest.raises(ValueError, match="learning rate"):
        SGD([Value(1.0)], lr=lr)
    optimizer = Adam([Value(1.0)], lr=0.1)
    with pytest.raises(ValueError, match="learning rate"):
        optimizer.lr = lr
    assert optimizer.lr == 0.1


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda: SGD([Value(1.0)], lr="0.1"), TypeError, "learning rate"),
        (lambda: SGD([], lr=0.1), ValueError, "empty"),
        (lambda: SGD([1.0], lr=0.1), TypeError, "must be Values"),
        (lambda: SGD([Value(1.0)], lr=0.1, momentum=1.0), ValueError, "momentum"),
        (lambda: SGD([Value(1.0)], lr=0.1, nesterov=True), ValueError, "nesterov"),
        (lambda: SGD([Value(1.0)], lr=0.1, weight_decay=-1), ValueError, "weight_decay"),
        (lambda: Adam([Value(1.0)], betas=(0.9, 1.0)), ValueError, "beta2"),
        (lambda: Adam([Value(1.0)], eps=0.0), ValueError, "eps"),
    ],
)
def test_bad_settings_are_named(
    make: Callable[[], object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        make()
