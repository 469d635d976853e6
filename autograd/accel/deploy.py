"""The deploy road (the notes' NPU roadmap) as one step: a trained MLP or CNN -> ONNX ->
optimized, INT8, FP16 and pruned versions -> measured on held-out data -> a report.

The models it takes are those the project trains: an MLP (`train moons`, ...), on the
dataset it was trained on, and the digits CNN (`train digits`: a Sequential of
Conv2d, ReLU, MaxPool2d, Flatten and Linear; any Sequential of the modules
`precision.SEQUENTIAL_MODULES` names), on the digits. A recurrent model (RNN, LSTM) is
refused with a TypeError that says so.

The versions, each an ONNX file in the output folder except the teaching one:

- `float32`: the model as exported (`export.mlp_to_onnx`, `export.sequential_to_onnx`),
  run with onnxruntime's graph optimizations switched off, so that it is the graph as
  written;
- `optimized`: onnxruntime's graph optimizations (level EXTENDED: constant folding,
  redundant-node removal, fusions such as Gemm + Relu -> FusedGemm) saved as a model
  (`SessionOptions.optimized_model_filepath`). The ALL level would add layout changes
  for this very CPU, which onnxruntime advises against saving;
- `int8 QDQ`: onnxruntime's own static quantization (`quantize_static`, QDQ format:
  QuantizeLinear/DequantizeLinear pairs around each Gemm and Conv, int8 weights and
  activations),
  calibrated with the MinMax method on a sample of the training inputs: each
  activation's range is the smallest and largest value seen on that sample;
- `float16`: the weights and the arithmetic in float16, written from the weights
  (`mlp_to_onnx(model, "float16")`, or `sequential_to_onnx`), with float32 input and
  output;
- `int8 engine`: the project's own per-layer int8 (`quantize.quantize`), kept beside
  onnxruntime's as the teaching version; it is run by the batch evaluator, not
  onnxruntime, and has no file (its size is its weights' bytes);
- `pruned S`: magnitude pruning: in each layer (each Conv2d and Linear of a CNN) the
  fraction S of weights smallest in absolute value set to zero (biases kept), exported
  in float32.

Every version except `float32` runs with onnxruntime's full optimizations, on one
thread (a shared machine gives steadier numbers on one core). Each is measured on the
test inputs: accuracy, agreement with the float32 model's classes, file size,
latency at batch 1 (p50 and p99 of many runs after a warm-up), throughput at a large
batch, MACs per sample (for a convolution: one per product of a weight and a pixel,
the padding's zeros left out, as the scalar engine's graph and `viz.graph_stats` count
them). Every file is written atomically; onnxruntime's own writers go
to a temporary folder first.
"""

from __future__ import annotations

import logging
import os
import platform
import tempfile
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import onnx

try:
    import onnxruntime as ort  # type: ignore[import-untyped]
    from onnxruntime import quantization as ort_quantization
    from onnxruntime.quantization.shape_inference import (  # type: ignore[import-untyped]
        quant_pre_process,
    )
except ImportError as missing:  # name the extra, as the command line does
    raise ImportError(
        f'deploy needs the package {missing.name!r}: pip install "glassgrad[export]"',
        name=missing.name,
    ) from missing

from ..engine import Value
from ..files import write_atomically
from ..nn.conv import AvgPool2d, Conv2d, Flatten, MaxPool2d
from ..nn.modules import MLP
from ..nn.sequential import Linear, Sequential
from ..nn.tasks import prepare_task
from ..nn.train import RECIPES
from . import export
from .precision import SEQUENTIAL_MODULES, layer_weights, predict_classes
from .precision import quantize as engine_quantize

Array = npt.NDArray[np.float32]
Progress = Callable[[str], None]
Model = MLP | Sequential
IMAGE_DATASETS = ("digits",)  # what a CNN is deployed on

CALIBRATION_METHOD = "MinMax"
OPTIMIZATION_LEVEL = "EXTENDED"
TEST_DRAWS = 10  # the test set: this many fresh draws of the dataset, with other seeds
DEFAULT_SPARSITY = 0.5
DEFAULT_BATCH = 1024
DEFAULT_RUNS = 200
WARMUP = 20
THROUGHPUT_REPEATS = 10


# --- the data ---


@dataclass(frozen=True)
class Split:
    """Training inputs (for calibration) and held-out test inputs with their labels."""

    X_train: Array
    y_train: npt.NDArray[np.int64]
    X_test: Array
    y_test: npt.NDArray[np.int64]
    description: str


def dataset_split(name: str, seed: int = 0, draws: int = TEST_DRAWS) -> Split:
    """The training set `train NAME --seed SEED` learned from, and a test set of `draws`
    fresh draws of the same generator with the seeds after it (points never trained on).

    For "digits", the training and test images of `train digits --seed SEED` (the test
    images are the ones it holds out; `draws` does not apply), shaped (n, 1, 8, 8).
    """
    if name in IMAGE_DATASETS:
        run = prepare_task(name, seed=seed)
        return Split(
            np.array(run.X, dtype=np.float32),
            np.array(run.y, dtype=np.int64),
            np.array(run.X_test, dtype=np.float32),
            np.array(run.y_test, dtype=np.int64),
            f"{name}: {len(run.X)} training images (seed {seed}); test: the "
            f"{len(run.X_test)} images `train {name} --seed {seed}` holds out",
        )
    if name not in RECIPES:
        known = ", ".join(sorted([*RECIPES, *IMAGE_DATASETS]))
        raise ValueError(f"unknown dataset {name!r} (one of {known})")
    make = RECIPES[name].dataset
    X, y = make(seed)
    test = [make(seed + k) for k in range(1, draws + 1)] if name != "xor" else [(X, y)]
    X_test = [p for part, _ in test for p in part]
    y_test = [c for _, labels in test for c in labels]
    what = (
        f"{name}: {len(X)} training points (seed {seed}); test: {len(X_test)} fresh points "
        f"(seeds {seed + 1}-{seed + draws})"
    )
    if name == "xor":
        what = "xor: its four points, which are also the test set (there are no others)"
    return Split(
        np.array(X, dtype=np.float32),
        np.array(y, dtype=np.int64),
        np.array(X_test, dtype=np.float32),
        np.array(y_test, dtype=np.int64),
        what,
    )


def check_deployable(model: object) -> Model:
    """The model, if deploy takes it (an MLP, or a Sequential CNN of the modules
    `precision.SEQUENTIAL_MODULES` names); else a TypeError saying what it holds."""
    takes = f"deploy takes MLPs and the CNN (a Sequential of {', '.join(SEQUENTIAL_MODULES)})"
    if isinstance(model, MLP):
        return model
    if not isinstance(model, Sequential):
        raise TypeError(f"{takes}, not a {type(model).__name__}")
    for k, module in enumerate(model.modules, start=1):
        if type(module).__name__ not in SEQUENTIAL_MODULES:
            raise TypeError(f"{takes}; this Sequential's L{k} is a {type(module).__name__}")
    return model


def default_dataset(model: Model) -> str:
    """The dataset a model is deployed on unless told: the digits for a CNN, else moons."""
    return IMAGE_DATASETS[0] if isinstance(model, Sequential) else "moons"


def describe(model: Model) -> str:
    """The model on one line."""
    if isinstance(model, Sequential):
        return "Sequential(" + " -> ".join(repr(m) for m in model.modules) + ")"
    return repr(model)


def check_options(
    *, sparsity: float, calibrate: int | None, batch: int, runs: int, train_samples: int
) -> None:
    """Raise ValueError with a clear message for any option out of range."""
    if isinstance(sparsity, bool) or not isinstance(sparsity, (int, float)):
        raise ValueError(f"sparsity must be a number in [0, 1), got {sparsity!r}")
    if not 0 <= sparsity < 1:
        raise ValueError(
            f"sparsity must be in [0, 1) (the fraction of weights set to 0), got {sparsity!r}"
        )
    if calibrate is not None and not (
        isinstance(calibrate, int)
        and not isinstance(calibrate, bool)
        and 1 <= calibrate <= train_samples
    ):
        raise ValueError(
            f"the calibration size must be between 1 and {train_samples} (the training "
            f"samples), got {calibrate!r}"
        )
    for value, what in ((batch, "batch"), (runs, "runs")):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{what} must be a whole number >= 1, got {value!r}")


def check_model_fits(model: Model, split: Split) -> None:
    """ValueError unless the model takes the data's inputs and has outputs for its classes."""
    shape = split.X_train.shape[1:]
    classes = int(max(split.y_train.max(), split.y_test.max())) + 1
    if isinstance(model, MLP):
        outputs = model.layers[-1].nout
        if shape != (model.nin,):
            data = f"{shape[0]}" if len(shape) == 1 else f"images of shape {shape}"
            raise ValueError(f"the model takes {model.nin} inputs, the data has {data}")
    else:
        if len(shape) != 3:
            raise ValueError(
                f"a CNN takes images; the data has points of {shape[0]} numbers "
                f"(deploy a CNN on {', '.join(IMAGE_DATASETS)})"
            )
        sample = split.X_train[0].tolist()
        outputs = len(model(sample))  # a ValueError naming the layer if a shape is wrong
    if (outputs == 1 and classes > 2) or (outputs != 1 and outputs != classes):
        raise ValueError(f"the model has {outputs} outputs, the data {classes} classes")


# --- pruning ---


def _weight_groups(model: Model) -> list[list[Value]]:
    """The weights (no biases) of each layer: an MLP's layers, a CNN's Conv2d and Linear."""
    if isinstance(model, MLP):
        return [[w for n in layer.neurons for w in n.w] for layer in model.layers]
    groups = []
    for module in model.modules:
        if isinstance(module, Conv2d):
            groups.append(Flatten()(module.weight))
        elif isinstance(module, Linear):
            groups.append([w for n in module.neurons for w in n.w])
    return groups


def prune(model: Model, sparsity: float) -> Model:
    """A copy of `model` with, in each layer, round(sparsity * weights) of the weights
    smallest in absolute value set to 0 (ties: the first in row order). Biases are kept."""
    check_options(sparsity=sparsity, calibrate=None, batch=1, runs=1, train_samples=1)
    pruned = type(model).from_architecture(model.architecture())
    assert isinstance(pruned, (MLP, Sequential))
    pruned.load_state_dict(model.state_dict())
    for weights in _weight_groups(pruned):
        count = round(sparsity * len(weights))
        order = np.argsort(np.abs([w.data for w in weights]), kind="stable")
        for i in order[:count]:
            weights[i].data = 0.0
    return pruned


def count_macs(model: Model, input_shape: tuple[int, ...] = ()) -> tuple[int, int]:
    """(multiply-accumulates per sample, of which with a nonzero weight).

    A CNN needs the shape of its input image. A convolution counts one MAC per product
    of a weight and a pixel, as the scalar engine's graph has them: the taps that fall
    in the zero padding are left out."""
    if isinstance(model, MLP):
        matrices = [layer_weights(layer).W for layer in model.layers]
        return sum(W.size for W in matrices), sum(int(np.count_nonzero(W)) for W in matrices)
    total = nonzero = 0
    shape = input_shape
    for module in model.modules:
        if isinstance(module, Conv2d):
            weight = np.array([w.data for w in Flatten()(module.weight)]).reshape(
                module.out_channels, module.in_channels, *module.kernel_size
            )
            uses = _tap_uses(module, shape)  # [ky, kx]: output positions each tap reaches
            total += int(module.out_channels * module.in_channels * uses.sum())
            nonzero += int(np.sum((weight != 0) * uses))
            shape = export.conv_output_shape(module, (shape[0], shape[1], shape[2]))
        elif isinstance(module, (MaxPool2d, AvgPool2d)):
            shape = export.pool_output_shape(module, (shape[0], shape[1], shape[2]))
        elif isinstance(module, Linear):
            W = layer_weights(module).W
            total += W.size
            nonzero += int(np.count_nonzero(W))
    return total, nonzero


def _tap_uses(conv: Conv2d, shape: tuple[int, ...]) -> npt.NDArray[np.int64]:
    """For each kernel tap (ky, kx), at how many output positions it lands on a pixel."""
    _, out_h, out_w = export.conv_output_shape(conv, (shape[0], shape[1], shape[2]))
    (kh, kw), (sh, sw), (ph, pw) = conv.kernel_size, conv.stride, conv.padding
    rows = [sum(0 <= y * sh + ky - ph < shape[1] for y in range(out_h)) for ky in range(kh)]
    cols = [sum(0 <= x * sw + kx - pw < shape[2] for x in range(out_w)) for kx in range(kw)]
    return np.outer(rows, cols).astype(np.int64)


# --- the report's data ---


@dataclass(frozen=True)
class Row:
    """One version, measured. Latencies in microseconds, throughput in samples/second."""

    version: str
    precision: str
    runtime: str
    file: str | None
    size_bytes: int
    size_is_file: bool  # False: the teaching version's weight bytes, not a file
    compressed_bytes: int | None  # the file through zlib: what pruning's zeros save
    nodes: int | None
    macs: int
    nonzero_macs: int
    accuracy: float
    agreement: float  # the fraction of test samples classified as the float32 model does
    max_difference: float  # largest |output - float32 output|
    latency_p50_us: float
    latency_p99_us: float
    latency_runs: int
    throughput: float
    throughput_batch: int
    throughput_runs: int


@dataclass(frozen=True)
class DeployReport:
    model: str
    data: str
    train_samples: int
    test_samples: int
    calibration_samples: int
    calibration_method: str
    sparsity: float
    optimization_level: str
    nodes_before: dict[str, int]  # op type -> count, as exported
    nodes_after: dict[str, int]  # after onnxruntime's graph optimizations
    int8_nodes: dict[str, int]
    rows: tuple[Row, ...]
    machine: str
    onnxruntime_version: str
    threads: int
    warmup: int

    def row(self, version: str) -> Row:
        return next(r for r in self.rows if r.version == version)


# --- measuring ---


Runner = Callable[[Array], npt.NDArray[Any]]


def _session(model_bytes: bytes, optimize: bool) -> Any:
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.graph_optimization_level = (
        ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        if optimize
        else ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    )
    return ort.InferenceSession(model_bytes, options, providers=["CPUExecutionProvider"])


def _onnx_runner(model_bytes: bytes, optimize: bool = True) -> Runner:
    session = _session(model_bytes, optimize)

    def run(X: Array) -> npt.NDArray[Any]:
        (outputs,) = session.run(None, {"x": X})
        return np.asarray(outputs)

    return run


def latency(run: Runner, X: Array, runs: int, warmup: int = WARMUP) -> tuple[float, float]:
    """(p50, p99) in microseconds of `runs` calls on one sample each, after `warmup` calls."""
    samples = [X[i % len(X)][None, :] for i in range(max(runs, warmup))]
    for sample in samples[:warmup]:
        run(sample)
    times = []
    for sample in samples[:runs]:
        start = time.perf_counter_ns()
        run(sample)
        times.append(time.perf_counter_ns() - start)
    p50, p99 = np.percentile(np.array(times, dtype=np.float64) / 1e3, [50, 99])
    return float(p50), float(p99)


def throughput(run: Runner, X: Array, batch: int, repeats: int = THROUGHPUT_REPEATS) -> float:
    """Samples per second at `batch` (the test inputs repeated to fill it): the median of
    `repeats` timed calls, after one untimed call."""
    big = np.ascontiguousarray(np.resize(X, (batch, *X.shape[1:])))
    run(big)
    times = []
    for _ in range(repeats):
        start = time.perf_counter_ns()
        run(big)
        times.append(time.perf_counter_ns() - start)
    return batch / (float(np.median(times)) / 1e9)


def _outputs2d(outputs: npt.NDArray[Any]) -> npt.NDArray[np.float64]:
    a = np.asarray(outputs, dtype=np.float64)
    return a[:, None] if a.ndim == 1 else a


def _classes(outputs: npt.NDArray[np.float64], output_activation: str) -> npt.NDArray[np.int64]:
    return predict_classes(outputs[:, 0] if outputs.shape[1] == 1 else outputs, output_activation)


def _op_counts(model: onnx.ModelProto) -> dict[str, int]:
    counts: dict[str, int] = {}
    for node in model.graph.node:
        name = node.op_type if node.domain in ("", "ai.onnx") else f"{node.domain}.{node.op_type}"
        counts[name] = counts.get(name, 0) + 1
    return counts


def _machine() -> str:
    name = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    name = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{name}, {os.cpu_count()} logical CPUs, {platform.system()}"


# --- the pipeline ---


class _CalibrationReader(ort_quantization.CalibrationDataReader):  # type: ignore[misc]
    """Feeds the calibration inputs to onnxruntime's calibrator, one sample at a time."""

    def __init__(self, X: Array) -> None:
        self.rows = iter([X[i : i + 1] for i in range(len(X))])

    def get_next(self) -> dict[str, Array] | None:
        row = next(self.rows, None)
        return None if row is None else {"x": row}


class _QuietRootWarnings(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno > logging.WARNING


def _optimized(float_path: Path, scratch: Path) -> bytes:
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED
    options.optimized_model_filepath = str(scratch / "optimized.onnx")
    ort.InferenceSession(str(float_path), options, providers=["CPUExecutionProvider"])
    return (scratch / "optimized.onnx").read_bytes()


def _int8_qdq(float_path: Path, calibration: Array, scratch: Path) -> bytes:
    prepared, output = scratch / "prepared.onnx", scratch / "int8.onnx"
    # ONNX's own shape inference is enough for an MLP or the CNN; the symbolic one
    # would need sympy.
    quant_pre_process(str(float_path), str(prepared), skip_symbolic_shape=True)
    quiet = _QuietRootWarnings()
    logging.getLogger().addFilter(quiet)  # its advice to pre-process, which we did
    try:
        ort_quantization.quantize_static(
            str(prepared),
            str(output),
            _CalibrationReader(calibration),
            quant_format=ort_quantization.QuantFormat.QDQ,
            activation_type=ort_quantization.QuantType.QInt8,
            weight_type=ort_quantization.QuantType.QInt8,
            calibrate_method=ort_quantization.CalibrationMethod.MinMax,
        )
    finally:
        logging.getLogger().removeFilter(quiet)
    return output.read_bytes()


@dataclass
class _Version:
    name: str
    precision: str
    runtime: str
    run: Runner
    file: str | None
    content: bytes | None
    size_bytes: int
    macs: tuple[int, int]


def deploy(
    model: Model,
    split: Split,
    out: str | os.PathLike[str],
    *,
    sparsity: float = DEFAULT_SPARSITY,
    calibrate: int | None = None,
    batch: int = DEFAULT_BATCH,
    runs: int = DEFAULT_RUNS,
    warmup: int = WARMUP,
    progress: Progress | None = None,
) -> DeployReport:
    """Export, optimize, quantize, prune, measure and write the report into `out`.

    `calibrate`: how many training samples (the first ones) calibrate the int8
    versions (default: all). Raises ValueError for options out of range or a model
    that does not fit the data, and TypeError for a model deploy does not take (see
    `check_deployable`), before anything is written.
    """
    check_deployable(model)
    check_options(
        sparsity=sparsity,
        calibrate=calibrate,
        batch=batch,
        runs=runs,
        train_samples=len(split.X_train),
    )
    check_model_fits(model, split)
    folder = Path(out)
    if folder.exists() and not folder.is_dir():
        raise ValueError(f"cannot write the report into {folder}: it is not a folder")
    say: Progress = progress or (lambda _: None)
    calibration = split.X_train[: calibrate or len(split.X_train)]
    input_shape = tuple(int(n) for n in split.X_train.shape[1:])
    macs = count_macs(model, input_shape)
    output_activation = model.output_activation if isinstance(model, MLP) else "linear"

    def to_onnx(network: Model, dtype: str) -> onnx.ModelProto:
        if isinstance(network, MLP):
            return export.mlp_to_onnx(network, dtype)
        return export.sequential_to_onnx(network, input_shape, dtype)

    versions: list[_Version] = []

    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        say("[1/6] exporting float32 ONNX")
        float_model = to_onnx(model, "float32")
        float_bytes = float_model.SerializeToString()
        float_path = scratch / "float32.onnx"
        float_path.write_bytes(float_bytes)
        versions.append(
            _Version(
                "float32",
                "float32",
                "onnxruntime, not optimized",
                _onnx_runner(float_bytes, optimize=False),
                "model_float32.onnx",
                float_bytes,
                len(float_bytes),
                macs,
            )
        )

        say(f"[2/6] onnxruntime graph optimizations ({OPTIMIZATION_LEVEL})")
        optimized = _optimized(float_path, scratch)
        versions.append(
            _Version(
                "optimized",
                "float32",
                "onnxruntime",
                _onnx_runner(optimized),
                "model_optimized.onnx",
                optimized,
                len(optimized),
                macs,
            )
        )

        say(
            f"[3/6] int8 static quantization (QDQ, {CALIBRATION_METHOD} calibration on "
            f"{len(calibration)} training samples)"
        )
        int8 = _int8_qdq(float_path, calibration, scratch)
        versions.append(
            _Version(
                "int8 QDQ",
                "int8",
                "onnxruntime",
                _onnx_runner(int8),
                "model_int8_qdq.onnx",
                int8,
                len(int8),
                macs,
            )
        )
        teaching = engine_quantize(model, "int8", calibration.astype(np.float64))
        versions.append(
            _Version(
                "int8 engine",
                "int8",
                "glassgrad batch evaluator",
                lambda X: teaching(X.astype(np.float64)),
                None,
                None,
                teaching.size_bytes,
                macs,
            )
        )

    say("[4/6] float16 model")
    half = to_onnx(model, "float16").SerializeToString()
    versions.append(
        _Version(
            "float16",
            "float16",
            "onnxruntime",
            _onnx_runner(half),
            "model_float16.onnx",
            half,
            len(half),
            macs,
        )
    )

    say(f"[5/6] magnitude pruning at sparsity {sparsity:g}")
    thinned = prune(model, sparsity)
    pruned = to_onnx(thinned, "float32").SerializeToString()
    versions.append(
        _Version(
            f"pruned {sparsity:.0%}",
            "float32",
            "onnxruntime",
            _onnx_runner(pruned),
            "model_pruned.onnx",
            pruned,
            len(pruned),
            count_macs(thinned, input_shape),
        )
    )

    say(f"[6/6] measuring {len(versions)} versions on {len(split.X_test)} test samples")
    reference = _outputs2d(versions[0].run(split.X_test))
    reference_classes = _classes(reference, output_activation)
    rows = []
    for number, version in enumerate(versions, start=1):
        say(
            f"  {number}/{len(versions)} {version.name}: accuracy, {runs} batch-1 runs, "
            f"batch {batch}"
        )
        outputs = _outputs2d(version.run(split.X_test))
        classes = _classes(outputs, output_activation)
        p50, p99 = latency(version.run, split.X_test, runs, warmup)
        loaded = onnx.load_from_string(version.content) if version.content else None
        rows.append(
            Row(
                version=version.name,
                precision=version.precision,
                runtime=version.runtime,
                file=version.file,
                size_bytes=version.size_bytes,
                size_is_file=version.content is not None,
                compressed_bytes=(
                    len(zlib.compress(version.content, 9)) if version.content else None
                ),
                nodes=len(loaded.graph.node) if loaded is not None else None,
                macs=version.macs[0],
                nonzero_macs=version.macs[1],
                accuracy=float(np.mean(classes == split.y_test)),
                agreement=float(np.mean(classes == reference_classes)),
                max_difference=float(np.max(np.abs(outputs - reference))),
                latency_p50_us=p50,
                latency_p99_us=p99,
                latency_runs=runs,
                throughput=throughput(version.run, split.X_test, batch),
                throughput_batch=batch,
                throughput_runs=THROUGHPUT_REPEATS,
            )
        )
    report = DeployReport(
        model=describe(model),
        data=split.description,
        train_samples=len(split.X_train),
        test_samples=len(split.X_test),
        calibration_samples=len(calibration),
        calibration_method=CALIBRATION_METHOD,
        sparsity=sparsity,
        optimization_level=OPTIMIZATION_LEVEL,
        nodes_before=_op_counts(float_model),
        nodes_after=_op_counts(onnx.load_from_string(optimized)),
        int8_nodes=_op_counts(onnx.load_from_string(int8)),
        rows=tuple(rows),
        machine=_machine(),
        onnxruntime_version=str(ort.__version__),
        threads=1,
        warmup=warmup,
    )
    folder.mkdir(parents=True, exist_ok=True)
    for version in versions:
        if version.file is not None and version.content is not None:
            write_atomically(folder / version.file, version.content)
    from . import report as render  # here: it needs nothing above, and only at the end

    render.write(report, folder)
    return report
