"""Low precision: each format holds what it claims, int8 equals integer arithmetic, and a
trained moons MLP keeps its accuracy at int8 within a documented distance of float64."""

from __future__ import annotations

from typing import Any

import pytest
from moons_model import moons_test_set, trained_moons
from optional import require

from autograd import Value
from autograd.nn import MLP

np = require("numpy")
quantize = require("autograd.accel.precision")  # after numpy: it needs numpy

# The documented promise (README): int8 accuracy on the moons test set is within this
# distance of float64's.
INT8_ACCURACY_DISTANCE = 0.02


def matrices(model: MLP) -> list[tuple[Any, Any]]:
    """(W, b) per layer, read from the neurons directly."""
    return [
        (
            np.array([[w.data for w in n.w] for n in layer.neurons]),
            np.array([n.b.data for n in layer.neurons]),
        )
        for layer in model.layers
    ]


def relu_net(X: Any, layers: list[tuple[Any, Any]]) -> list[Any]:
    """What enters each layer, and the output, of a relu/linear MLP: plain NumPy."""
    seen = [X]
    for k, (W, b) in enumerate(layers):
        z = seen[-1] @ W.T + b
        seen.append(z if k == len(layers) - 1 else np.maximum(z, 0.0))
    return seen


def test_float64_equals_the_scalar_engine() -> None:
    model, _, _ = trained_moons()
    X = np.array(moons_test_set(100)[0])
    expected = [model([Value(a), Value(b)]).data for a, b in X]
    assert np.allclose(quantize.quantize(model, "float64")(X), expected, rtol=1e-12, atol=1e-12)


def test_float16_weights_are_float16_numbers_near_the_originals() -> None:
    model, _, _ = trained_moons()
    low = quantize.quantize(model, "float16")
    for (W, b), rounded in zip(matrices(model), low.weights):
        for exact, held in [(W, rounded.W), (b, rounded.b)]:
            assert np.array_equal(held.astype(np.float16).astype(np.float64), held)
            # float16 keeps 11 significant bits: relative error at most 2**-11 (normal range)
            assert np.all(np.abs(held - exact) <= 2.0**-11 * np.abs(exact) + 2.0**-24)


def test_int8_weights_are_127_levels_of_one_scale_per_layer() -> None:
    model, X, _ = trained_moons()
    low = quantize.quantize(model, "int8", calibration=X)
    for (W, _), rounded in zip(matrices(model), low.weights):
        scale = np.max(np.abs(W)) / 127
        levels = rounded.W / scale
        assert np.allclose(levels, np.round(levels), atol=1e-9)
        assert np.max(np.abs(np.round(levels))) == 127
        assert np.all(np.abs(rounded.W - W) <= scale / 2 + 1e-12)


def test_int8_equals_integer_arithmetic() -> None:
    # An independent int8 network: int8 inputs and weights, an int64 accumulator, the
    # bias as an integer at scale s_w * s_a, one multiply by the scales at the end.
    model, X_train, _ = trained_moons()
    layers = matrices(model)
    calibration = relu_net(np.array(X_train), layers)
    X = np.array(moons_test_set(200)[0])
    a = X
    for k, (W, b) in enumerate(layers):
        s_a = np.max(np.abs(calibration[k])) / 127
        s_w = np.max(np.abs(W)) / 127
        a_q = np.clip(np.round(a / s_a), -127, 127).astype(np.int64)
        W_q = np.round(W / s_w).astype(np.int64)
        b_q = np.round(b / (s_w * s_a)).astype(np.int64)
        z = (a_q @ W_q.T + b_q) * (s_w * s_a)
        a = z if k == len(layers) - 1 else np.maximum(z, 0.0)
    low = quantize.quantize(model, "int8", calibration=X_train)
    assert np.allclose(low(X), a[:, 0], rtol=1e-12, atol=1e-12)


def test_int8_moons_accuracy_stays_near_float64() -> None:
    model, X_train, _ = trained_moons()
    X, y = moons_test_set()
    rows = {r.precision: r for r in quantize.precision_report(model, X, y, X_train)}
    assert rows["float64"].accuracy > 0.85  # the model has learned the moons
    assert abs(rows["int8"].accuracy - rows["float64"].accuracy) <= INT8_ACCURACY_DISTANCE
    assert abs(rows["float16"].accuracy - rows["float64"].accuracy) <= INT8_ACCURACY_DISTANCE
    assert rows["float64"].max_output_error == 0.0
    n_weights = sum(layer.nin * layer.nout for layer in model.layers)
    n_biases = sum(layer.nout for layer in model.layers)
    n_layers = len(model.layers)
    assert rows["float64"].size_bytes == 8 * (n_weights + n_biases)
    assert rows["float32"].size_bytes == 4 * (n_weights + n_biases)
    assert rows["float16"].size_bytes == 2 * (n_weights + n_biases)
    # int8 weights, int32 biases, and two float32 scales per layer (weights, inputs)
    assert rows["int8"].size_bytes == n_weights + 4 * n_biases + 2 * 4 * n_layers


def test_the_report_is_a_table_with_a_row_per_precision() -> None:
    model, X_train, _ = trained_moons()
    X, y = moons_test_set(50)
    table = quantize.format_report(quantize.precision_report(model, X, y, X_train))
    lines = table.splitlines()
    assert lines[0].split()[:2] == ["precision", "bytes"]
    assert [line.split()[0] for line in lines[1:]] == list(quantize.PRECISIONS)
    assert "100.0%" in lines[1]  # float64 is the reference size


def test_bad_requests_get_clear_errors() -> None:
    model, _, _ = trained_moons()
    with pytest.raises(ValueError, match="calibration"):
        quantize.quantize(model, "int8")
    with pytest.raises(ValueError, match="precision must be one of"):
        quantize.quantize(model, "int4")
    with pytest.raises(ValueError, match=r"shape \(n, 2\)"):
        quantize.quantize(model, "float32")(np.zeros((3, 5)))


def test_multi_class_outputs_predict_by_argmax() -> None:
    scores = np.array([[0.1, 2.0, -1.0], [3.0, 0.0, 0.5]])
    assert quantize.predict_classes(scores, "linear").tolist() == [1, 0]
    assert quantize.predict_classes(np.array([0.4, 0.6]), "sigmoid").tolist() == [0, 1]
    assert quantize.predict_classes(np.array([-0.1, 0.2]), "linear").tolist() == [0, 1]
