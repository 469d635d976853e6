"""The deploy road (the notes' NPU roadmap) as one step: a trained MLP -> ONNX ->
optimized, INT8, FP16 and pruned versions -> measured on held-out data -> a report.

The versions, each an ONNX file in the output folder except the teaching one:

- `float32`: the model as exported (`export.mlp_to_onnx`), run with onnxruntime's graph
  optimizations switched off, so that it is the graph as written;
- `optimized`: onnxruntime's graph optimizations (level EXTENDED: constant folding,
  redundant-node removal, fusions such as Gemm + Relu -> FusedGemm) saved as a model
  (`SessionOptions.optimized_model_filepath`). The ALL level would add layout changes
  for this very CPU, which onnxruntime advises against saving;
- `int8 QDQ`: onnxruntime's own static quantization (`quantize_static`, QDQ format:
  QuantizeLinear/DequantizeLinear pairs around each Gemm, int8 weights and activations),
  calibrated with the MinMax method on a sample of the training inputs: each
  activation's range is the smallest and largest value seen on that sample;
- `float16`: the weights and the arithmetic in float16, written from the weights
  (`mlp_to_onnx(model, "float16")`), with float32 input and output;
- `int8 engine`: the project's own per-layer int8 (`quantize.quantize`), kept beside
  onnxruntime's as the teaching version; it is run by the batch evaluator, not
  onnxruntime, and has no file (its size is its weights' bytes);
- `pruned S`: magnitude pruning: in each layer the fraction S of weights smallest in
  absolute value set to zero (biases kept), exported in float32.

Every version except `float32` runs with onnxruntime's full optimizations, on one
thread (a shared machine gives steadier numbers on one core). Each is measured on the
test inputs: accuracy, agreement with the float32 model's classes, file size,
latency at batch 1 (p50 and p99 of many runs after a warm-up), throughput at a large
batch, MACs per sample. Every file is written atomically; onnxruntime's own writers go
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

from ..files import write_atomically
from ..nn.modules import MLP
from ..nn.train import RECIPES
from . import export
from .precision import layer_weights, predict_classes
from .precision import quantize as engine_quantize

Array = npt.NDArray[np.float32]
Progress = Callable[[str], None]

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
    """
    if name not in RECIPES:
        raise ValueError(f"unknown dataset {name!r} (one of {', '.join(sorted(RECIPES))})")
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


def check_model_fits(model: MLP, split: Split) -> None:
    """ValueError unless the model takes the data's inputs and has outputs for its classes."""
    nin = split.X_train.shape[1]
    classes = int(max(split.y_train.max(), split.y_test.max())) + 1
    outputs = model.layers[-1].nout
    if model.nin != nin:
        raise ValueError(f"the model takes {model.nin} inputs, the data has {nin}")
    if (outputs == 1 and classes > 2) or (outputs != 1 and outputs != classes):
        raise ValueError(f"the model has {outputs} outputs, the data {classes} classes")


# --- pruning ---


def prune(model: MLP, sparsity: float) -> MLP:
    """A copy of `model` with, in each layer, round(sparsity * weights) of the weights
    smallest in absolute value set to 0 (ties: the first in row order). Biases are kept."""
    check_options(sparsity=sparsity, calibrate=None, batch=1, runs=1, train_samples=1)
    pruned = MLP(**model.architecture())
    pruned.load_state_dict(model.state_dict())
    for layer in pruned.layers:
        weights = [w for neuron in layer.neurons for w in neuron.w]
        count = round(sparsity * len(weights))
        order = np.argsort(np.abs([w.data for w in weights]), kind="stable")
        for i in order[:count]:
            weights[i].data = 0.0
    return pruned


def count_macs(model: MLP) -> tuple[int, int]:
    """(multiply-accumulates per sample, of which with a nonzero weight)."""
    matrices = [layer_weights(layer).W for layer in model.layers]
    return sum(W.size for W in matrices), sum(int(np.count_nonzero(W)) for W in matrices)


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
    big = np.ascontiguousarray(np.resize(X, (batch, X.shape[1])))
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
    # ONNX's own shape inference is enough for an MLP; the symbolic one would need sympy.
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
    model: MLP,
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
    that does not fit the data, before anything is written.
    """
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
    macs = count_macs(model)
    versions: list[_Version] = []

    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        say("[1/6] exporting float32 ONNX")
        float_model = export.mlp_to_onnx(model, "float32")
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
    half = export.mlp_to_onnx(model, "float16").SerializeToString()
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
    pruned = export.mlp_to_onnx(thinned, "float32").SerializeToString()
    versions.append(
        _Version(
            f"pruned {sparsity:.0%}",
            "float32",
            "onnxruntime",
            _onnx_runner(pruned),
            "model_pruned.onnx",
            pruned,
            len(pruned),
            count_macs(thinned),
        )
    )

    say(f"[6/6] measuring {len(versions)} versions on {len(split.X_test)} test samples")
    reference = _outputs2d(versions[0].run(split.X_test))
    reference_classes = _classes(reference, model.output_activation)
    rows = []
    for number, version in enumerate(versions, start=1):
        say(
            f"  {number}/{len(versions)} {version.name}: accuracy, {runs} batch-1 runs, "
            f"batch {batch}"
        )
        outputs = _outputs2d(version.run(split.X_test))
        classes = _classes(outputs, model.output_activation)
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
        model=repr(model),
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
