"""Conv2d, the pools, RNN and LSTM against PyTorch in float64, when it is installed.

The same weights go into torch; the forward outputs and the gradients of every weight
and every input (of a weighted sum of all outputs) must agree within 1e-10.
"""

from __future__ import annotations

import random
from typing import Any

import pytest
from layer_cases import coefficients, flat, values, weighted_sum

from autograd.nn import LSTM, RNN, AvgPool2d, Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential

torch = pytest.importorskip("torch")
F = torch.nn.functional
TOLERANCE = 1e-10


def tensor(x: Any) -> Any:
    """A float64 tensor of a nested list of Values, that torch differentiates."""
    data = torch.tensor(_data(x), dtype=torch.float64)
    return data.requires_grad_(True)


def _data(x: Any) -> Any:
    return [_data(item) for item in x] if isinstance(x, list) else x.data


def _grads(x: Any) -> Any:
    return [_grads(item) for item in x] if isinstance(x, list) else x.grad


def assert_close(ours: Any, theirs: Any) -> None:
    mine = [float(v) for v in flat(ours)]
    reference = theirs.detach().reshape(-1).tolist()
    assert len(mine) == len(reference)
    worst = max(abs(a - b) / max(1.0, abs(b)) for a, b in zip(mine, reference))
    assert worst <= TOLERANCE, worst


def backward_both(ours: Any, theirs: Any) -> None:
    weighted_sum(ours).backward()
    weights = torch.tensor(coefficients(theirs.numel()), dtype=torch.float64)
    (theirs.reshape(-1) * weights).sum().backward()


CONV_CASES = [
    # in, out, kernel, stride, padding, height, width
    (1, 1, 3, 1, 0, 5, 5),
    (3, 2, 3, 1, 1, 5, 6),
    (2, 4, 3, 2, 0, 7, 7),
    (2, 3, 2, 2, 1, 6, 5),
    (3, 2, (2, 3), (1, 2), (1, 0), 5, 7),
]


@pytest.mark.parametrize(("c_in", "c_out", "kernel", "stride", "padding", "h", "w"), CONV_CASES)
def test_conv2d_equals_torch(
    c_in: int, c_out: int, kernel: Any, stride: Any, padding: Any, h: int, w: int
) -> None:
    layer = Conv2d(c_in, c_out, kernel, stride, padding, seed=3)
    x = values((c_in, h, w), random.Random(1))
    out = layer(x)
    weight, bias, image = tensor(layer.weight), tensor(layer.bias), tensor(x)
    theirs = F.conv2d(image.unsqueeze(0), weight, bias, stride, padding).squeeze(0)
    assert_close(out, theirs)
    backward_both(out, theirs)
    assert_close(_grads(layer.weight), weight.grad)
    assert_close(_grads(layer.bias), bias.grad)
    assert_close(_grads(x), image.grad)


@pytest.mark.parametrize(
    ("kernel", "stride", "h", "w"), [(2, None, 6, 6), (3, 2, 7, 8), (2, 1, 4, 5)]
)
@pytest.mark.parametrize("kind", ["max", "avg"])
def test_pools_equal_torch(kind: str, kernel: int, stride: int | None, h: int, w: int) -> None:
    layer = (MaxPool2d if kind == "max" else AvgPool2d)(kernel, stride)
    x = values((3, h, w), random.Random(2))
    out = layer(x)
    image = tensor(x)
    pool = F.max_pool2d if kind == "max" else F.avg_pool2d
    theirs = pool(image.unsqueeze(0), kernel, stride).squeeze(0)
    assert_close(out, theirs)
    backward_both(out, theirs)
    assert_close(_grads(x), image.grad)


def test_max_pool_ties_send_the_gradient_where_torch_does() -> None:
    # Whole windows of equal numbers, pairs of ties, overlapping windows (stride 1).
    rows = [[1.0, 1.0, 0.0, 2.0], [1.0, 1.0, 2.0, 2.0], [3.0, 0.0, 3.0, 3.0], [0.0, 3.0, 3.0, 3.0]]
    for stride in (2, 1):
        x = values((1, 4, 4), random.Random(0))
        for row, numbers in zip(x[0], rows):
            for v, number in zip(row, numbers):
                v.data = number
        out = MaxPool2d(2, stride)(x)
        image = tensor(x)
        theirs = F.max_pool2d(image.unsqueeze(0), 2, stride).squeeze(0)
        backward_both(out, theirs)
        assert list(flat(_grads(x))) == image.grad.reshape(-1).tolist()


RECURRENT = {
    "rnn tanh": (lambda: RNN(3, 4, "tanh", seed=5), lambda: torch.nn.RNN(3, 4)),
    "rnn relu": (
        lambda: RNN(3, 4, "relu", seed=5),
        lambda: torch.nn.RNN(3, 4, nonlinearity="relu"),
    ),
    "lstm": (lambda: LSTM(3, 4, seed=6), lambda: torch.nn.LSTM(3, 4)),
}


@pytest.mark.parametrize("case", list(RECURRENT))
def test_rnn_and_lstm_equal_torch(case: str) -> None:
    ours, torch_layer = RECURRENT[case]
    layer = ours()
    x = values((6, 3), random.Random(3))
    outputs, state = layer(x)
    theirs = torch_layer().double()
    _load(theirs, layer)
    image = tensor(x)
    their_outputs, their_state = theirs(image)
    assert_close(outputs, their_outputs)
    if isinstance(layer, LSTM):  # (h_n, c_n)
        for mine, their in zip(state, their_state):
            assert_close(mine, their)
    else:
        assert_close(state, their_state)
    backward_both(outputs, their_outputs)
    _assert_same_gradients(layer, theirs)
    assert_close(_grads(x), image.grad)


def test_lstm_from_a_given_state_and_its_final_cell_equal_torch() -> None:
    layer = LSTM(2, 3, seed=8)
    rng = random.Random(5)
    x, h0, c0 = values((4, 2), rng), values((3,), rng), values((3,), rng)
    outputs, (_, c_n) = layer(x, (h0, c0))
    theirs = torch.nn.LSTM(2, 3).double()
    _load(theirs, layer)
    image, h, c = tensor(x), tensor(h0), tensor(c0)
    their_outputs, (_, their_c) = theirs(image, (h.unsqueeze(0), c.unsqueeze(0)))
    assert_close(outputs, their_outputs)
    weighted_sum(c_n).backward()
    weights = torch.tensor(coefficients(3), dtype=torch.float64)
    (their_c.reshape(-1) * weights).sum().backward()
    _assert_same_gradients(layer, theirs)
    assert_close(_grads(h0), h.grad)
    assert_close(_grads(c0), c.grad)


def _load(theirs: Any, layer: Any) -> None:
    with torch.no_grad():
        for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
            getattr(theirs, f"{name}_l0").copy_(tensor(getattr(layer, name)))


def _assert_same_gradients(layer: Any, theirs: Any) -> None:
    for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
        assert_close(_grads(getattr(layer, name)), getattr(theirs, f"{name}_l0").grad)


def test_a_small_cnn_equals_the_same_torch_network() -> None:
    model = Sequential(
        Conv2d(1, 2, 3, padding=1, seed=1), ReLU(), MaxPool2d(2), Flatten(), Linear(8, 3, seed=2)
    )
    x = values((1, 4, 4), random.Random(6))
    out = model(x)
    theirs = torch.nn.Sequential(
        torch.nn.Conv2d(1, 2, 3, padding=1),
        torch.nn.ReLU(),
        torch.nn.MaxPool2d(2),
        torch.nn.Flatten(0),
        torch.nn.Linear(8, 3),
    ).double()
    conv, linear = model[0], model[4]
    with torch.no_grad():
        theirs[0].weight.copy_(tensor(conv.weight))  # type: ignore[attr-defined]
        theirs[0].bias.copy_(tensor(conv.bias))  # type: ignore[attr-defined]
        theirs[4].weight.copy_(tensor([n.w for n in linear.neurons]))  # type: ignore[attr-defined]
        theirs[4].bias.copy_(tensor([n.b for n in linear.neurons]))  # type: ignore[attr-defined]
    assert_close(out, theirs(tensor(x)))
