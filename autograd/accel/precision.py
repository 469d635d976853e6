"""Low precision, the NPU lesson: a trained MLP or CNN run at float32, float16 and int8.

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

A CNN (a `Sequential` of Conv2d, Linear, ReLU, Tanh, Sigmoid, MaxPool2d, AvgPool2d and
Flatten, as `train digits` makes) goes the same way, one tape per module: the layers
with weights (Conv2d and Linear) are rounded as an MLP's layers are, one weight scale
and one input scale per layer; the layers between them (activations, pooling) run on
the wide numbers the layer before them left. A ReLU or a max pool of int8 numbers is
an int8 number on the same scale, so an integer accelerator does them in int8; an
average pool's mean is rounded again when it enters the next weighted layer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, overload

import numpy as np
import numpy.typing as npt

from ..engine import Value
from ..nn.conv import AvgPool2d, Conv2d, Flatten, MaxPool2d
from ..nn.modules import MLP, Layer
from ..nn.sequential import Linear, ReLU, Sequential, Sigmoid, Tanh
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


@overload
def quantize(
    model: MLP, precision: str, calibration: npt.ArrayLike | None = None
) -> LowPrecisionMLP: ...


@overload
def quantize(
    model: Sequential,
    precision: str,
    calibration: npt.ArrayLike | None = None,
    *,
    input_shape: Sequence[int] | None = None,
) -> LowPrecisionSequential: ...


def quantize(
    model: MLP | Sequential,
    precision: str,
    calibration: npt.ArrayLike | None = None,
    *,
    input_shape: Sequence[int] | None = None,
) -> LowPrecisionMLP | LowPrecisionSequential:
    """The model (an MLP, or a Sequential CNN) rounded to `precision` (one of PRECISIONS).

    int8 needs `calibration`: typical inputs (the training set), from which each
    layer's activation scale is measured. A Sequential also needs the shape of one
    input, `input_shape` ((1, 8, 8) for the digits), or calibration inputs of that
    shape. Any other model raises TypeError naming its type.
    """
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {', '.join(PRECISIONS)}, got {precision!r}")
    if isinstance(model, Sequential):
        return _quantize_sequential(model, precision, calibration, input_shape)
    if not isinstance(model, MLP):
        raise TypeError(
            f"quantize takes an MLP or a Sequential CNN ({', '.join(SEQUENTIAL_MODULES)}), "
            f"got {type(model).__name__}"
        )
    tapes = tuple(compile_layer(layer) for layer in model.layers)
    exact = [layer_weights(layer) for layer in model.layers]
    if precision != "int8":
        weights = tuple(
            LayerWeights(round_to(w.W, precision), round_to(w.b, precision)) for w in exact
        )
        return LowPrecisionMLP(
            precision, model.nin, tapes, weights, None, _size_bytes(exact, precision)
        )
    if calibration is None:
        raise ValueError("int8 needs calibration inputs to measure the activation scales")
    input_scales = tuple(int8_scale(a) for a in _layer_inputs(tapes, exact, calibration))
    weights = tuple(_int8_layer(w, s) for w, s in zip(exact, input_scales))
    size = _size_bytes(exact, precision)
    return LowPrecisionMLP(precision, model.nin, tapes, weights, input_scales, size)


def _size_bytes(exact: Sequence[LayerWeights], precision: str) -> int:
    """The bytes of the weights and biases at `precision`: int8 weights, int32 biases
    and two float32 scales per layer (weights, inputs) for int8."""
    n_weights = sum(w.W.size for w in exact)
    n_biases = sum(w.b.size for w in exact)
    if precision == "int8":
        return n_weights + 4 * n_biases + 2 * SCALE_BYTES * len(exact)
    return (n_weights + n_biases) * np.dtype(precision).itemsize


def _int8_layer(exact: LayerWeights, input_scale: float) -> LayerWeights:
    s_w = int8_scale(exact.W)
    bias_scale = s_w * input_scale
    return LayerWeights(
        W=dequantize(to_int8(exact.W, s_w), s_w),
        b=dequantize(to_int32(exact.b, bias_scale), bias_scale),
    )


# --- a Sequential CNN: one tape per module ---

SEQUENTIAL_MODULES = (
    "Conv2d",
    "Linear",
    "ReLU",
    "Tanh",
    "Sigmoid",
    "MaxPool2d",
    "AvgPool2d",
    "Flatten",
)
_ELEMENTWISE_OR_POOL = (ReLU, Tanh, Sigmoid, MaxPool2d, AvgPool2d)


@dataclass(frozen=True)
class Stage:
    """One module of a Sequential, on inputs flattened to one row per sample.

    `tape` takes the module's inputs, then (Conv2d and Linear) its weights in their
    layout's row-major order and its biases; None for Flatten, which only reshapes
    (rows are already flat, in Flatten's order). `exact` holds a weighted module's
    weights: for a Conv2d, W[o] is filter o flattened ([in][kh][kw]), b[o] its bias.
    """

    module: str
    tape: Tape | None
    exact: LayerWeights | None


def _placeholders(shape: Sequence[int], name: str) -> Any:
    """A nested list of fresh Values of `shape`, labelled in row-major order."""
    count = int(np.prod(shape))
    flat = [Value(0.0, label=f"{name}{i}") for i in range(1, count + 1)]
    return np.array(flat, dtype=object).reshape(tuple(shape)).tolist()


def _flat_values(nested: Any) -> list[Value]:
    return Flatten()(nested)


def _conv_weights(conv: Conv2d) -> LayerWeights:
    return LayerWeights(
        W=np.array([w.data for w in _flat_values(conv.weight)]).reshape(conv.out_channels, -1),
        b=np.array([b.data for b in conv.bias]),
    )


def sequential_stages(model: Sequential, input_shape: Sequence[int]) -> list[Stage]:
    """The model's modules as stages, each compiled on inputs of the shape the module
    before it gives. Raises TypeError naming a module quantize cannot run."""
    stages = []
    shape = tuple(input_shape)
    for k, module in enumerate(model.modules, start=1):
        if isinstance(module, Flatten):
            stages.append(Stage("Flatten", None, None))
            shape = (int(np.prod(shape)),)
            continue
        if not isinstance(module, (Conv2d, Linear, *_ELEMENTWISE_OR_POOL)):
            raise TypeError(
                f"quantize cannot run L{k}, a {type(module).__name__}: a Sequential may hold "
                f"{', '.join(SEQUENTIAL_MODULES)}"
            )
        if isinstance(module, Linear):  # a Layer: as an MLP's
            stages.append(Stage("Linear", compile_layer(module), layer_weights(module)))
            shape = (module.nout,)
            continue
        xs = _placeholders(shape, "in")
        out = module(xs)
        shape = np.array(out, dtype=object).shape
        inputs = _flat_values(xs)
        if isinstance(module, Conv2d):
            parameters = module.parameters()  # the weights as laid out, then the biases
            tape = compile_tape(_flat_values(out), [*inputs, *parameters])
            stages.append(Stage("Conv2d", tape, _conv_weights(module)))
        else:
            stages.append(
                Stage(type(module).__name__, compile_tape(_flat_values(out), inputs), None)
            )
    return stages


def _run_stage(stage: Stage, a: Array, weights: LayerWeights | None) -> Array:
    if stage.tape is None:
        return a
    if weights is None:
        return np.stack(stage.tape(*a.T), axis=1)
    return _run_layer(stage.tape, a, weights)


@dataclass(frozen=True)
class LowPrecisionSequential:
    """A Sequential CNN rounded to one precision; call it on an (n, *input_shape) array.

    `weights[k]` are stage k's rounded weights (None for a module without weights),
    `input_scales[k]` the int8 scale of its input (None for float formats or a module
    without weights). Outputs: an (n, outputs) array of the last module's numbers.
    """

    precision: str
    input_shape: tuple[int, ...]
    stages: tuple[Stage, ...]
    weights: tuple[LayerWeights | None, ...]
    input_scales: tuple[float | None, ...] | None
    size_bytes: int

    def __call__(self, X: npt.ArrayLike) -> Array:
        a = np.asarray(X, dtype=np.float64)
        width = int(np.prod(self.input_shape))
        if a.ndim < 2 or a.shape[1:] not in (self.input_shape, (width,)):
            raise ValueError(
                f"expected inputs of shape (n, {', '.join(map(str, self.input_shape))}), "
                f"got {a.shape}"
            )
        a = a.reshape(len(a), width)
        for k, (stage, weights) in enumerate(zip(self.stages, self.weights)):
            if weights is not None:
                if self.input_scales is None:
                    a = round_to(a, self.precision)
                else:
                    scale = self.input_scales[k]
                    assert scale is not None  # every weighted stage has one
                    a = dequantize(to_int8(a, scale), scale)
            a = _run_stage(stage, a, weights)
        return a


def _quantize_sequential(
    model: Sequential,
    precision: str,
    calibration: npt.ArrayLike | None,
    input_shape: Sequence[int] | None,
) -> LowPrecisionSequential:
    samples = None if calibration is None else np.asarray(calibration, dtype=np.float64)
    if input_shape is None:
        if samples is None or samples.ndim < 2:
            raise ValueError(
                "a Sequential needs input_shape=(channels, height, width), or calibration "
                "inputs of that shape"
            )
        input_shape = samples.shape[1:]
    shape = tuple(int(n) for n in input_shape)
    stages = tuple(sequential_stages(model, shape))
    exact = [s.exact for s in stages]
    weighted = [w for w in exact if w is not None]
    if precision != "int8":
        rounded = tuple(
            None if w is None else LayerWeights(round_to(w.W, precision), round_to(w.b, precision))
            for w in exact
        )
        size = _size_bytes(weighted, precision)
        return LowPrecisionSequential(precision, shape, stages, rounded, None, size)
    if samples is None:
        raise ValueError("int8 needs calibration inputs to measure the activation scales")
    a = samples.reshape(len(samples), -1)
    scales: list[float | None] = []
    for stage, w in zip(stages, exact):  # the float64 network on the calibration inputs
        scales.append(None if w is None else int8_scale(a))
        a = _run_stage(stage, a, w)
    quantized = tuple(
        None if w is None or s is None else _int8_layer(w, s) for w, s in zip(exact, scales)
    )
    size = _size_bytes(weighted, precision)
    return LowPrecisionSequential(precision, shape, stages, quantized, tuple(scales), size)


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
    agreement: float  # the fraction of samples classified as the float64 model does


def precision_report(
    model: MLP | Sequential,
    X: npt.ArrayLike,
    y: Sequence[int],
    calibration: npt.ArrayLike,
    precisions: Sequence[str] = PRECISIONS,
) -> list[PrecisionRow]:
    """Accuracy on (X, y), size, output error and agreement with float64 of the model
    (an MLP, or a Sequential CNN taking inputs shaped as the calibration inputs are) at
    each precision."""
    labels = np.asarray(y)
    activation = model.output_activation if isinstance(model, MLP) else "linear"
    reference = quantize(model, "float64", calibration)(X)
    reference_classes = predict_classes(reference, activation)
    rows = []
    for precision in precisions:
        low = quantize(model, precision, calibration)
        outputs = low(X)
        classes = predict_classes(outputs, activation)
        rows.append(
            PrecisionRow(
                precision,
                low.size_bytes,
                float(np.mean(classes == labels)),
                float(np.max(np.abs(outputs - reference))),
                float(np.mean(classes == reference_classes)),
            )
        )
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
