"""Low precision: each format holds what it claims, int8 equals integer arithmetic, and a
trained moons MLP keeps its accuracy at int8 within a documented distance of float64."""

from __future__ import annotations

from typing import Any

import pytest
from digits_model import trained_digits_cnn
from moons_model import moons_test_set, trained_moons
from optional import require

from autograd import Value
from autograd.nn import LSTM, MLP, tasks

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


# --- the digits CNN (a Sequential) at each precision ---

# Measured on the digits test split (500 images) with tests/digits_model.py's CNN: the
# int8 CNN classifies 99.6% of them as the float64 CNN does (2 differ).
INT8_CNN_AGREEMENT = 0.98


def cnn_arrays(model: Any) -> tuple[Any, Any, Any, Any]:
    """(conv weight [o][i][3][3], conv bias, linear W, linear b) read from the Values."""
    conv, linear = model.modules[0], model.modules[4]
    weight = np.vectorize(lambda v: v.data, otypes=[float])(np.array(conv.weight, dtype=object))
    return (
        weight,
        np.array([b.data for b in conv.bias]),
        np.array([[w.data for w in n.w] for n in linear.neurons]),
        np.array([n.b.data for n in linear.neurons]),
    )


def conv3x3(x: Any, weight: Any, bias: Any) -> Any:
    """A padded 3x3 convolution by NumPy's sliding windows (n, c, h, w) -> (n, o, h, w)."""
    padded = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
    windows = np.lib.stride_tricks.sliding_window_view(padded, (3, 3), axis=(2, 3))
    return np.einsum("nchwij,ocij->nohw", windows, weight) + bias[None, :, None, None]


def pool_and_flatten(z: Any) -> Any:
    """relu, max pool 2, flatten."""
    n, c, h, w = z.shape
    a = np.maximum(z, 0)
    return a.reshape(n, c, h // 2, 2, w // 2, 2).max(axis=(3, 5)).reshape(n, -1)


def test_the_cnn_in_float64_equals_the_scalar_engine() -> None:
    model, _, _, X_test, _ = trained_digits_cnn()
    low = quantize.quantize(model, "float64", input_shape=(1, 8, 8))
    expected = [[v.data for v in model(image)] for image in X_test[:20].tolist()]
    assert np.allclose(low(X_test[:20]), expected, rtol=1e-12, atol=1e-12)
    weight, bias, W, b = cnn_arrays(model)
    by_numpy = pool_and_flatten(conv3x3(X_test, weight, bias)) @ W.T + b
    assert np.allclose(low(X_test), by_numpy, rtol=1e-12, atol=1e-12)


def test_the_float16_cnn_is_float16_numbers_summed_wide_within_the_rounding_bound() -> None:
    model, _, _, X_test, _ = trained_digits_cnn()
    half = quantize.quantize(model, "float16", input_shape=(1, 8, 8))(X_test)
    weight, bias, W, b = cnn_arrays(model)

    def r(a: Any) -> Any:
        return a.astype(np.float16).astype(np.float64)

    # The scheme, independently: float16 weights and layer inputs, float64 sums.
    rounded = pool_and_flatten(conv3x3(r(X_test), r(weight), r(bias)))
    assert np.allclose(half, r(rounded) @ r(W).T + r(b), rtol=1e-12, atol=1e-12)
    # How far from float64 it may be, bounded independently: each rounding moves a
    # number x by at most u|x| (u = 2**-11, float16's unit roundoff; no digit or weight
    # is near float16's subnormals), so a convolution output by at most
    # (2u + u**2) sum |w||x| + u|b|; relu and max pool move no number further than
    # their inputs moved; the linear layer then rounds its inputs and weights once more.
    u = 2.0**-11
    a = pool_and_flatten(conv3x3(X_test, weight, bias))
    a_error = pool_and_flatten(conv3x3(np.abs(X_test), np.abs(weight), np.abs(bias)) * 3 * u)
    bound = (a_error + (np.abs(a) + a_error) * u) @ np.abs(W).T * (1 + u)
    bound += (np.abs(a) @ np.abs(W).T + np.abs(b)) * u
    exact = a @ W.T + b
    assert np.all(np.abs(half - exact) <= bound + 1e-12)
    assert np.max(np.abs(half - exact)) > 0  # float16 did round something


def test_the_int8_cnn_equals_integer_arithmetic() -> None:
    model, X_train, _, X_test, _ = trained_digits_cnn()
    weight, bias, W, b = cnn_arrays(model)
    # Scales from the float64 network on the calibration images, as documented.
    s_x = np.max(np.abs(X_train)) / 127
    s_a = np.max(np.abs(pool_and_flatten(conv3x3(X_train, weight, bias)))) / 127
    s_conv, s_linear = np.max(np.abs(weight)) / 127, np.max(np.abs(W)) / 127
    x_q = np.clip(np.round(X_test / s_x), -127, 127).astype(np.int64)
    z_q = conv3x3(x_q, np.round(weight / s_conv).astype(np.int64), np.zeros(len(bias), np.int64))
    z = (z_q + np.round(bias / (s_conv * s_x)).astype(np.int64)[None, :, None, None]) * (
        s_conv * s_x
    )
    a_q = np.clip(np.round(pool_and_flatten(z) / s_a), -127, 127).astype(np.int64)
    y_q = a_q @ np.round(W / s_linear).astype(np.int64).T + np.round(b / (s_linear * s_a))
    low = quantize.quantize(model, "int8", calibration=X_train)
    assert np.allclose(low(X_test), y_q * (s_linear * s_a), rtol=1e-12, atol=1e-12)


def test_the_int8_cnn_classifies_most_test_digits_as_the_float_cnn() -> None:
    model, X_train, _, X_test, y_test = trained_digits_cnn()
    rows = {r.precision: r for r in quantize.precision_report(model, X_test, y_test, X_train)}
    assert rows["float64"].accuracy > 0.9  # the CNN has learned the digits
    assert rows["int8"].agreement >= INT8_CNN_AGREEMENT
    assert abs(rows["int8"].accuracy - rows["float64"].accuracy) <= INT8_ACCURACY_DISTANCE
    assert rows["float16"].agreement >= INT8_CNN_AGREEMENT
    n_weights = 4 * 9 + 64 * 10
    n_biases = 4 + 10
    assert rows["float64"].size_bytes == 8 * (n_weights + n_biases)
    assert rows["int8"].size_bytes == n_weights + 4 * n_biases + 2 * 4 * 2


def test_a_model_quantize_cannot_take_is_named() -> None:
    with pytest.raises(TypeError, match=r"takes an MLP or a Sequential CNN.*got LSTM"):
        quantize.quantize(LSTM(1, 2), "float32")  # type: ignore[call-overload]
    with pytest.raises(TypeError, match="cannot run L1, a RNN"):
        quantize.quantize(tasks.echo_model("rnn"), "float16", input_shape=(3, 1))
    with pytest.raises(ValueError, match="needs input_shape"):
        quantize.quantize(tasks.digits_cnn(), "float32")
    mlp = quantize.quantize(MLP(2, [3, 1]), "float32")
    assert isinstance(mlp, quantize.LowPrecisionMLP)  # the MLP path as before
    with pytest.raises(ValueError, match=r"shape \(n, 1, 8, 8\)"):
        quantize.quantize(tasks.digits_cnn(), "float32", input_shape=(1, 8, 8))(np.zeros((2, 9)))
