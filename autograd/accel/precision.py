"""Low precision, the NPU lesson: a trained MLP run at float32, float16 and int8.

Accelerators are fast because they do enormous numbers of multiply-accumulates at
once, and because they do them on small numbers: an 8-bit integer multiplier is a
fraction of the silicon and memory traffic of a 64-bit float one. This module
rounds a trained network to each precision, runs it with the batch evaluator (one
compiled tape per layer, the weights fed in as data, like an NPU loading them) and
reports what was lost: accuracy, and what was saved: bytes.

The schemes (what most NPU toolchains do for post-training quantisation):

- float32 / float16: every weight, and every activation entering a layer, rounded
  to that format; the sums inside a layer stay wide (as tensor cores accumulate
  float16 products in float32).
- int8, symmetric, one scale per layer: weights w ~ s_w * q with q an integer in
  [-127, 127] and s_w = max|w| / 127; activations entering a layer likewise, with
  s_a = max|a| / 127 measured on calibration data; biases as int32 at scale
  s_w * s_a, so they add straight into the int32 accumulator. The int8 products
  are summed here in float64 on the dequantised numbers: the same sums as integer
  arithmetic, to float64 rounding (tests/test_quantize.py checks it).
The network's output is read from the last layer's wide accumulator, not rounded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ..engine import Value
from ..nn.modules import MLP, Layer
from .tape import Tape
from .tape import compile as compile_tape

Array = npt.NDArray[np.float64]
PRECISIONS = ("float64", "float32", "float16", "int8")
INT8_MAX = 127  # symmetric: -127..127, so that the scale maps max|x| to +-127 exactly
SCALE_BYTES = 4  # a scale is stored as a float32


def int8_scale(values: npt.ArrayLike) -> float:
    """The symmetric scale s = max|x| / 127 (1.0 when every x is 0)."""
    largest = float(np.max(np.abs(values), initial=0.0))
    return largest / INT8_MAX if largest > 0 else 1.0


def to_int8(values: npt.ArrayLike, scale: float) -> npt.NDArray[np.int8]:
    """round(x / s) clipped to [-127, 127], as int8 (ties round to even)."""
    q = np.clip(np.round(np.asarray(values, dtype=np.float64) / scale), -INT8_MAX, INT8_MAX)
    return q.astype(np.int8)


def to_int32(values: npt.ArrayLike, scale: float) -> npt.NDArray[np.int32]:
    """round(x / s) as int32: how biases join an int8 layer's int32 accumulator."""
    return np.round(np.asarray(values, dtype=np.float64) / scale).astype(np.int32)


def dequantize(q: npt.NDArray[np.integer], scale: float) -> Array:
    """The numbers the integers stand for: q * s."""
    return q.astype(np.float64) * scale


def round_to(values: npt.ArrayLike, precision: str) -> Array:
    """The nearest numbers a float format (float64, float32, float16) can hold."""
    return np.asarray(values, dtype=precision).astype(np.float64)


# --- one compiled tape per layer, its weights among the inputs ---


@dataclass(frozen=True)
class LayerWeights:
    """A layer as matrices: W[j, i] multiplies input i in neuron j; b[j] is its bias."""

    W: Array
    b: Array


def layer_weights(layer: Layer) -> LayerWeights:
    """The layer's weights and biases as arrays."""
    return LayerWeights(
        W=np.array([[w.data for w in n.w] for n in layer.neurons]),
        b=np.array([n.b.data for n in layer.neurons]),
    )


def compile_layer(layer: Layer) -> Tape:
    """The layer as a tape taking its inputs, then every weight (row by row), then biases."""
    xs = [Value(0.0, label=f"in{i}") for i in range(1, layer.nin + 1)]
    parameters = [w for n in layer.neurons for w in n.w] + [n.b for n in layer.neurons]
    return compile_tape(layer(xs), [*xs, *parameters])


def _run_layer(tape: Tape, a: Array, weights: LayerWeights) -> Array:
    outputs = tape(*a.T, *weights.W.ravel(), *weights.b)
    return np.stack(outputs, axis=1)


# --- a network at one precision ---


@dataclass(frozen=True)
class LowPrecisionMLP:
    """An MLP rounded to one precision; call it on an (n, nin) array of inputs.

    `weights` are the numbers the precision can represent (dequantised to float64),
    `input_scales` the int8 scale of each layer's input (None for float formats).
    """

    precision: str
    nin: int
    tapes: tuple[Tape, ...]
    weights: tuple[LayerWeights, ...]
    input_scales: tuple[float, ...] | None
    size_bytes: int

    def __call__(self, X: npt.ArrayLike) -> Array:
        """Outputs for every row of X: shape (n,) for one output, else (n, outputs)."""
        a = np.asarray(X, dtype=np.float64)
        if a.ndim != 2 or a.shape[1] != self.nin:
            raise ValueError(f"expected inputs of shape (n, {self.nin}), got {a.shape}")
        for k, (tape, weights) in enumerate(zip(self.tapes, self.weights)):
            if self.input_scales is None:
                a = round_to(a, self.precision)
            else:
                a = dequantize(to_int8(a, self.input_scales[k]), self.input_scales[k])
            a = _run_layer(tape, a, weights)
        return a[:, 0] if a.shape[1] == 1 else a


def _layer_inputs(
    tapes: Sequence[Tape], weights: Sequence[LayerWeights], X: npt.ArrayLike
) -> list[Array]:
    """What enters each layer when the float64 network runs on X (for calibration)."""
    a = np.asarray(X, dtype=np.float64)
    seen = []
    for tape, w in zip(tapes, weights):
        seen.append(a)
        a = _run_layer(tape, a, w)
    return seen


def quantize(
    model: MLP, precision: str, calibration: npt.ArrayLike | None = None
) -> LowPrecisionMLP:
    """The model rounded to `precision` (one of PRECISIONS).

    int8 needs `calibration`: typical inputs (the training set), from which each
    layer's activation scale is measured.
    """
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {', '.join(PRECISIONS)}, got {precision!r}")
    tapes = tuple(compile_layer(layer) for layer in model.layers)
    exact = [layer_weights(layer) for layer in model.layers]
    n_weights = sum(w.W.size for w in exact)
    n_biases = sum(w.b.size for w in exact)
    if precision != "int8":
        weights = tuple(
            LayerWeights(round_to(w.W, precision), round_to(w.b, precision)) for w in exact
        )
        size = (n_weights + n_biases) * np.dtype(precision).itemsize
        return LowPrecisionMLP(precision, model.nin, tapes, weights, None, size)
    if calibration is None:
        raise ValueError("int8 needs calibration inputs to measure the activation scales")
    input_scales = tuple(int8_scale(a) for a in _layer_inputs(tapes, exact, calibration))
    weights = tuple(_int8_layer(w, s) for w, s in zip(exact, input_scales))
    size = n_weights + 4 * n_biases + 2 * SCALE_BYTES * len(exact)  # int8, int32, scales
    return LowPrecisionMLP(precision, model.nin, tapes, weights, input_scales, size)


def _int8_layer(exact: LayerWeights, input_scale: float) -> LayerWeights:
    s_w = int8_scale(exact.W)
    bias_scale = s_w * input_scale
    return LayerWeights(
        W=dequantize(to_int8(exact.W, s_w), s_w),
        b=dequantize(to_int32(exact.b, bias_scale), bias_scale),
    )


# --- the report ---


def predict_classes(outputs: Array, output_activation: str) -> npt.NDArray[np.int64]:
    """Class labels from outputs: argmax of several; one output > 0.5 for a sigmoid, else > 0."""
    if outputs.ndim == 2:
        classes: npt.NDArray[np.int64] = np.argmax(outputs, axis=1)
        return classes
    threshold = 0.5 if output_activation == "sigmoid" else 0.0
    return (outputs > threshold).astype(np.int64)


@dataclass(frozen=True)
class PrecisionRow:
    precision: str
    size_bytes: int
    accuracy: float
    max_output_error: float  # largest |output - float64 output| over the samples


def precision_report(
    model: MLP,
    X: npt.ArrayLike,
    y: Sequence[int],
    calibration: npt.ArrayLike,
    precisions: Sequence[str] = PRECISIONS,
) -> list[PrecisionRow]:
    """Accuracy on (X, y), size and output error of the model at each precision."""
    labels = np.asarray(y)
    reference = quantize(model, "float64")(X)
    rows = []
    for precision in precisions:
        low = quantize(model, precision, calibration)
        outputs = low(X)
        accuracy = np.mean(predict_classes(outputs, model.output_activation) == labels)
        error = np.max(np.abs(outputs - reference))
        rows.append(PrecisionRow(precision, low.size_bytes, float(accuracy), float(error)))
    return rows


def format_report(rows: Sequence[PrecisionRow]) -> str:
    """The report as a text table, sizes relative to float64."""
    full = next((r.size_bytes for r in rows if r.precision == "float64"), rows[0].size_bytes)
    lines = [f"{'precision':<10}{'bytes':>8}{'size':>8}{'accuracy':>10}{'max |error|':>13}"]
    lines += [
        f"{r.precision:<10}{r.size_bytes:>8}{r.size_bytes / full:>8.1%}"
        f"{r.accuracy:>10.1%}{r.max_output_error:>13.2g}"
        for r in rows
    ]
    return "\n".join(lines)
