"""The accelerator ladder: the same two workloads on every rung this machine has.

    python benchmarks/ladder.py              # prints the table, writes benchmarks/LADDER.md
    python benchmarks/ladder.py --quick      # short timings: checks that every rung runs
    python benchmarks/ladder.py --output -   # print only, write no file

Workloads (forward pass only, the inference the notes' NPU roadmap is about):
- layer: one 1000x1000 linear layer, y = W x + b: the notes' "a million multiply-adds
  per sample";
- moons: the moons MLP, 2-16-16-1 with ReLU (304 MACs per sample).

Rungs, from the bottom:
- scalar: the scalar engine, one graph of Values per sample (no_grad). For the layer it
  computes only the first few output neurons of one sample and extrapolates to all 1000
  (the full graph is 2 million Values per sample): the table says so;
- tape: the compiled tape (`accel.compile`) replayed on a batch; for the layer, a tape
  of the first few neurons, extrapolated the same way;
- numpy: one float32 matrix product per layer (`X @ W.T + b`);
- onnxruntime: the ONNX model (one Gemm per layer) on onnxruntime's CPU provider;
- torch-cpu: PyTorch's `linear` on the CPU, when PyTorch is installed;
- torch-cuda: PyTorch on a CUDA GPU, when there is one, in fp32, tf32, bf16, fp16 and
  int8 (`torch._int_mm`: int8 inputs and weights, int32 accumulation, dimensions padded
  to multiples of 8). While each runs, `nvidia-smi` samples the board's power draw
  every 100 ms, giving MACs per joule (the whole board's power, not the matrix unit's).

Each figure is the median time of repeated calls after a warm-up call, divided by the
batch. Libraries use their default thread counts; a shared machine makes every figure
noisy, so the header records the load (`uptime`) before and after.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # benchmark this checkout

import numpy as np

from autograd import Value, accel, no_grad
from autograd.accel.precision import layer_weights
from autograd.files import write_atomically
from autograd.nn import Layer, train

HERE = Path(__file__).resolve().parent
WORKLOADS = ("layer", "moons")
CPU_RUNGS = ("scalar", "tape", "numpy", "onnxruntime", "torch-cpu")
GPU_PRECISIONS = ("fp32", "tf32", "bf16", "fp16", "int8")
RUNGS = (*CPU_RUNGS, "torch-cuda")
NOT_MEASURED = "not measured yet"


# --- the workloads ---


@dataclass(frozen=True)
class Workload:
    name: str
    title: str
    weights: tuple[tuple[np.ndarray, np.ndarray], ...]  # (W, b) per layer, W[out, in], float64
    relu: tuple[bool, ...]  # ReLU after each layer?
    model: Any  # the glassgrad network (the moons MLP), or None for the layer

    @property
    def nin(self) -> int:
        return int(self.weights[0][0].shape[1])

    @property
    def macs(self) -> int:
        return sum(int(W.size) for W, _ in self.weights)


def make_workloads(names: Sequence[str] = WORKLOADS, seed: int = 0) -> list[Workload]:
    found = []
    for name in names:
        if name == "layer":
            rng = np.random.default_rng(seed)
            W = rng.normal(0.0, 1.0 / np.sqrt(1000), size=(1000, 1000))
            layer = "one 1000x1000 linear layer (1,000,000 MACs per sample)"
            found.append(Workload("layer", layer, ((W, np.zeros(1000)),), (False,), None))
        else:
            model = train.RECIPES["moons"].network(seed=seed)  # untrained: same work
            weights = tuple(layer_weights(lay) for lay in model.layers)
            pairs = tuple((w.W, w.b) for w in weights)
            relu = tuple(lay.activation == "relu" for lay in model.layers)
            title = "the moons MLP 2-16-16-1, ReLU (304 MACs per sample)"
            found.append(Workload("moons", title, pairs, relu, model))
    return found


def numpy_forward(workload: Workload, X: np.ndarray, dtype: Any = np.float32) -> np.ndarray:
    a = X.astype(dtype)
    for (W, b), relu in zip(workload.weights, workload.relu):
        a = a @ W.T.astype(dtype) + b.astype(dtype)
        if relu:
            a = np.maximum(a, 0)
    return a


# --- results ---


@dataclass
class Result:
    workload: str
    rung: str
    precision: str
    batch: int | None = None
    seconds_per_sample: float | None = None
    macs_per_second: float | None = None
    watts: float | None = None
    macs_per_joule: float | None = None
    note: str = ""


def timed(call: Callable[[], Any], min_seconds: float, least: int = 3) -> float:
    """Median seconds per call: one warm-up call, then calls until `min_seconds` have
    passed and at least `least` were made."""
    call()
    times: list[float] = []
    started = time.perf_counter()
    while len(times) < least or time.perf_counter() - started < min_seconds:
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _result(
    workload: Workload, rung: str, precision: str, batch: int, per_sample: float, note: str = ""
) -> Result:
    return Result(
        workload.name,
        rung,
        precision,
        batch,
        per_sample,
        workload.macs / per_sample,
        note=note,
    )


# --- the CPU rungs ---


def _sampled_layer(workload: Workload, rows: int) -> Layer:
    """A glassgrad layer holding the first `rows` neurons of the 1000x1000 layer."""
    W, b = workload.weights[0]
    layer = Layer(workload.nin, rows, "linear", seed=0)
    for j, neuron in enumerate(layer.neurons):
        for w, value in zip(neuron.w, W[j]):
            w.data = float(value)
        neuron.b.data = float(b[j])
    return layer


def scalar_rung(workload: Workload, X: np.ndarray, quick: bool, min_seconds: float) -> Result:
    if workload.model is None:  # the layer: a few neurons of one sample, extrapolated
        rows = 2 if quick else 10
        layer = _sampled_layer(workload, rows)
        x = [float(v) for v in X[0]]

        def one() -> None:
            with no_grad():
                layer(x)

        scale = workload.weights[0][0].shape[0] / rows
        per_sample = timed(one, min_seconds) * scale
        note = f"{rows} of 1000 neurons timed, x{scale:.0f}"
        return _result(workload, "scalar", "float64", 1, per_sample, note)
    samples = [[float(v) for v in row] for row in X[: 5 if quick else 50]]
    model = workload.model

    def run() -> None:
        with no_grad():
            for row in samples:
                model(row)

    return _result(workload, "scalar", "float64", 1, timed(run, min_seconds) / len(samples))


def tape_rung(workload: Workload, X: np.ndarray, quick: bool, min_seconds: float) -> Result:
    batch = 16 if quick else 256
    columns = [X[:batch, i].astype(np.float64) for i in range(workload.nin)]
    if workload.model is None:
        rows = 2 if quick else 20
        layer = _sampled_layer(workload, rows)
        xs = [Value(0.0) for _ in range(workload.nin)]
        tape = accel.compile(layer(xs), xs)
        scale = workload.weights[0][0].shape[0] / rows
        per_sample = timed(lambda: tape(*columns), min_seconds) / batch * scale
        note = f"{rows} of 1000 neurons compiled, x{scale:.0f}"
        return _result(workload, "tape", "float64", batch, per_sample, note)
    xs = [Value(0.0) for _ in range(workload.nin)]
    tape = accel.compile(workload.model(xs), xs)
    per_sample = timed(lambda: tape(*columns), min_seconds) / batch
    return _result(workload, "tape", "float64", batch, per_sample)


def numpy_rung(workload: Workload, X: np.ndarray, quick: bool, min_seconds: float) -> Result:
    batch = 64 if quick else 1024
    a = np.ascontiguousarray(X[:batch], dtype=np.float32)
    cast = tuple((W.astype(np.float32), b.astype(np.float32)) for W, b in workload.weights)

    def run() -> None:
        h = a
        for (W, b), relu in zip(cast, workload.relu):
            h = h @ W.T + b
            if relu:
                h = np.maximum(h, 0)

    return _result(workload, "numpy", "float32", batch, timed(run, min_seconds) / batch)


def onnx_model(workload: Workload) -> Any:
    """The workload as ONNX: one Gemm (and Relu) per layer, float32."""
    from onnx import TensorProto, helper, numpy_helper

    nodes, initializers, previous = [], [], "x"
    for k, ((W, b), relu) in enumerate(zip(workload.weights, workload.relu), start=1):
        initializers += [
            numpy_helper.from_array(W.astype(np.float32), f"W{k}"),
            numpy_helper.from_array(b.astype(np.float32), f"b{k}"),
        ]
        nodes.append(helper.make_node("Gemm", [previous, f"W{k}", f"b{k}"], [f"z{k}"], transB=1))
        previous = f"z{k}"
        if relu:
            nodes.append(helper.make_node("Relu", [previous], [f"a{k}"]))
            previous = f"a{k}"
    nodes.append(helper.make_node("Identity", [previous], ["y"]))
    nout = workload.weights[-1][0].shape[0]
    graph = helper.make_graph(
        nodes,
        workload.name,
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", workload.nin])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", nout])],
        initializer=initializers,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    return model


def onnxruntime_rung(workload: Workload, X: np.ndarray, quick: bool, min_seconds: float) -> Result:
    try:
        import onnxruntime as ort
    except ImportError:
        return skipped(workload, "onnxruntime", "float32", 'pip install "glassgrad[export]"')
    batch = 64 if quick else 1024
    a = np.ascontiguousarray(X[:batch], dtype=np.float32)
    session = ort.InferenceSession(
        onnx_model(workload).SerializeToString(), providers=["CPUExecutionProvider"]
    )
    per_sample = timed(lambda: session.run(None, {"x": a}), min_seconds) / batch
    return _result(workload, "onnxruntime", "float32", batch, per_sample, "CPU provider")


def torch_cpu_rung(workload: Workload, X: np.ndarray, quick: bool, min_seconds: float) -> Result:
    try:
        import torch
    except ImportError:
        return skipped(workload, "torch-cpu", "float32", "PyTorch is not installed")
    batch = 64 if quick else 1024
    run = torch_program(workload, X[:batch], torch.device("cpu"), torch.float32)
    per_sample = timed(run, min_seconds) / batch
    note = f"{torch.get_num_threads()} threads"
    return _result(workload, "torch-cpu", "float32", batch, per_sample, note)


def skipped(workload: Workload, rung: str, precision: str, why: str) -> Result:
    return Result(workload.name, rung, precision, note=f"skipped: {why}")


# --- the GPU rung ---


def gpu_skip_reason() -> str | None:
    """Why the GPU rows cannot run here, or None when a CUDA GPU is available."""
    try:
        import torch
    except ImportError:
        return "PyTorch is not installed, so no CUDA GPU can be used"
    if not torch.cuda.is_available():
        return "no CUDA GPU on this machine (torch.cuda.is_available() is False)"
    return None


def pad_to(n: int, multiple: int = 8) -> int:
    return -(-n // multiple) * multiple


@dataclass(frozen=True)
class Int8Layer:
    """One layer for `torch._int_mm`: the transposed weights as int8 [K, N], padded to
    multiples of 8 with zeros, the weight scale, the scale of this layer's input (measured
    on calibration data), the bias as float32 [N] (padded)."""

    Wt: np.ndarray
    weight_scale: float
    input_scale: float
    bias: np.ndarray
    relu: bool


def int8_plan(workload: Workload, calibration: np.ndarray) -> list[Int8Layer]:
    """Symmetric per-tensor int8 for every layer (scale = max|x| / 127)."""
    plan, a = [], calibration.astype(np.float64)
    for (W, b), relu in zip(workload.weights, workload.relu):
        n_out, n_in = W.shape
        s_w = float(np.max(np.abs(W))) / 127 or 1.0
        s_a = float(np.max(np.abs(a))) / 127 or 1.0
        Wt = np.zeros((pad_to(n_in), pad_to(n_out)), dtype=np.int8)
        Wt[:n_in, :n_out] = np.clip(np.round(W.T / s_w), -127, 127).astype(np.int8)
        bias = np.zeros(pad_to(n_out), dtype=np.float32)
        bias[:n_out] = b
        plan.append(Int8Layer(Wt, s_w, s_a, bias, relu))
        a = a @ W.T + b
        if relu:
            a = np.maximum(a, 0)
    return plan


def quantize_input(X: np.ndarray, scale: float) -> np.ndarray:
    """Rows of X as int8 at `scale`, columns padded with zeros to a multiple of 8."""
    q = np.zeros((X.shape[0], pad_to(X.shape[1])), dtype=np.int8)
    q[:, : X.shape[1]] = np.clip(np.round(X / scale), -127, 127)
    return q


def int8_forward_numpy(plan: Sequence[Int8Layer], X: np.ndarray, nout: int) -> np.ndarray:
    """What the GPU int8 path computes, in NumPy (int32 accumulation): for tests."""
    q = quantize_input(X, plan[0].input_scale)
    for k, layer in enumerate(plan):
        acc = q.astype(np.int32) @ layer.Wt.astype(np.int32)
        a = acc.astype(np.float32) * np.float32(layer.weight_scale * layer.input_scale)
        a = a + layer.bias
        if layer.relu:
            a = np.maximum(a, 0)
        if k + 1 < len(plan):
            s = plan[k + 1].input_scale
            q = np.clip(np.round(a / s), -127, 127).astype(np.int8)
    return a[:, :nout]


def parse_power(text: str) -> list[float]:
    """Watts from `nvidia-smi --query-gpu=power.draw --format=csv,noheader,nounits` lines
    (one GPU); lines that are not numbers ("[N/A]", blank) are left out."""
    watts = []
    for line in text.splitlines():
        try:
            watts.append(float(line.strip().split(",")[0]))
        except ValueError:
            continue
    return watts


class PowerSampler:
    """`nvidia-smi` sampling the first GPU's power draw every `period_ms` while in use."""

    def __init__(self, period_ms: int = 100) -> None:
        self.command = [
            "nvidia-smi",
            "--id=0",
            "--query-gpu=power.draw",
            "--format=csv,noheader,nounits",
            f"-lms={period_ms}",
        ]
        self.lines: list[str] = []
        self.process: subprocess.Popen[str] | None = None
        self.reader: threading.Thread | None = None

    def __enter__(self) -> PowerSampler:
        self.process = subprocess.Popen(
            self.command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
        )
        stdout = self.process.stdout
        assert stdout is not None

        def read() -> None:
            for line in stdout:
                self.lines.append(line)

        self.reader = threading.Thread(target=read, daemon=True)
        self.reader.start()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self.process is not None and self.reader is not None
        self.process.terminate()
        self.process.wait(timeout=5)
        self.reader.join(timeout=5)

    def watts(self, skip: int = 2) -> float | None:
        """Mean power, leaving out the first `skip` samples (the ramp up)."""
        samples = parse_power("".join(self.lines))[skip:]
        return statistics.mean(samples) if samples else None


def cuda_rungs(
    workload: Workload, X: np.ndarray, quick: bool, min_seconds: float, power_seconds: float
) -> list[Result]:
    """PyTorch on the GPU in every precision, with power where nvidia-smi is there."""
    import torch

    device = torch.device("cuda")
    batch = (1024 if quick else 8192) if workload.name == "layer" else (4096 if quick else 65536)
    rows = np.resize(X, (batch, workload.nin)).astype(np.float32)
    has_smi = shutil.which("nvidia-smi") is not None
    results = []
    for precision in GPU_PRECISIONS:
        torch.backends.cuda.matmul.allow_tf32 = precision == "tf32"
        torch.backends.cudnn.allow_tf32 = precision == "tf32"
        run = torch_precision_program(workload, rows, precision, device)

        def synced(run: Callable[[], Any] = run) -> None:
            run()
            torch.cuda.synchronize()

        per_sample = timed(synced, min_seconds) / batch
        result = _result(workload, "torch-cuda", precision, batch, per_sample)
        if precision == "int8":
            result.note = "torch._int_mm, int32 accumulation, padded to multiples of 8"
        if has_smi:
            with PowerSampler() as sampler:
                started = time.perf_counter()
                while time.perf_counter() - started < power_seconds:
                    run()
                torch.cuda.synchronize()
            watts = sampler.watts()
            if watts is not None and result.macs_per_second is not None:
                result.watts = watts
                result.macs_per_joule = result.macs_per_second / watts
        else:
            result.note = (result.note + "; " if result.note else "") + "no nvidia-smi: no power"
        results.append(result)
    torch.backends.cuda.matmul.allow_tf32 = False
    return results


def torch_precision_program(
    workload: Workload, rows: np.ndarray, precision: str, device: Any
) -> Callable[[], Any]:
    import torch

    if precision == "int8":
        plan = int8_plan(workload, rows[:1024])
        q0 = torch.from_numpy(quantize_input(rows, plan[0].input_scale)).to(device)
        weights = [torch.from_numpy(layer.Wt).to(device) for layer in plan]
        biases = [torch.from_numpy(layer.bias).to(device) for layer in plan]

        def run_int8() -> Any:
            q = q0
            for k, layer in enumerate(plan):
                acc = torch._int_mm(q, weights[k])
                a = acc.float() * (layer.weight_scale * layer.input_scale) + biases[k]
                if layer.relu:
                    a = torch.relu(a)
                if k + 1 < len(plan):
                    s = plan[k + 1].input_scale
                    q = torch.clamp(torch.round(a / s), -127, 127).to(torch.int8)
            return a

        return run_int8
    dtype = {"bf16": torch.bfloat16, "fp16": torch.float16}.get(precision, torch.float32)
    return torch_program(workload, rows, device, dtype)


def torch_program(workload: Workload, X: np.ndarray, device: Any, dtype: Any) -> Callable[[], Any]:
    """The forward pass on X with PyTorch's `linear`, everything on `device` in `dtype`."""
    import torch

    a0 = torch.from_numpy(np.ascontiguousarray(X)).to(device, dtype)
    layers = [
        (torch.from_numpy(W).to(device, dtype), torch.from_numpy(b).to(device, dtype))
        for W, b in workload.weights
    ]

    def run() -> Any:
        with torch.inference_mode():
            h = a0
            for (W, b), relu in zip(layers, workload.relu):
                h = torch.nn.functional.linear(h, W, b)
                if relu:
                    h = torch.relu(h)
            return h

    return run


# --- the table ---

COLUMNS = ("workload", "rung", "precision", "batch", "µs/sample", "MACs/s", "W", "MACs/J", "note")


def _number(value: float | None, fmt: str) -> str:
    return "-" if value is None else format(value, fmt)


def cells(result: Result) -> list[str]:
    if result.seconds_per_sample is not None:
        time_cell = format(result.seconds_per_sample * 1e6, ".4g")
    else:  # a GPU row on a machine without one, or a CPU rung whose library is missing
        time_cell = NOT_MEASURED if result.rung == "torch-cuda" else "-"
    return [
        result.workload,
        result.rung,
        result.precision,
        "-" if result.batch is None else str(result.batch),
        time_cell,
        _number(result.macs_per_second, ".3g"),
        _number(result.watts, ".0f"),
        _number(result.macs_per_joule, ".3g"),
        result.note,
    ]


def format_table(results: Sequence[Result]) -> str:
    """A text table for the terminal."""
    body = [list(COLUMNS)] + [cells(r) for r in results]
    widths = [max(len(row[i]) for row in body) for i in range(len(COLUMNS))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in body]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def markdown_table(results: Sequence[Result]) -> str:
    rows = [
        "| " + " | ".join(COLUMNS) + " |",
        "|"
        + "|".join(
            "---:" if c in ("batch", "µs/sample", "MACs/s", "W", "MACs/J") else "---"
            for c in COLUMNS
        )
        + "|",
    ]
    rows += ["| " + " | ".join(cells(r)) + " |" for r in results]
    return "\n".join(rows)


def load_average() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "load: " + ", ".join(f"{v:.2f}" for v in os.getloadavg())


def machine() -> str:
    name = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            name = next(
                (line.split(":", 1)[1].strip() for line in info if line.startswith("model name")),
                name,
            )
    except OSError:
        pass
    return f"{name}, {os.cpu_count()} logical CPUs, {platform.platform()}"


def gpu_name() -> str | None:
    try:
        import torch

        if torch.cuda.is_available():
            return str(torch.cuda.get_device_name(0))
    except ImportError:
        pass
    return None


def versions() -> str:
    found = [f"Python {platform.python_version()}", f"numpy {np.__version__}"]
    for module in ("onnxruntime", "torch"):
        try:
            found.append(f"{module} {__import__(module).__version__}")
        except ImportError:
            found.append(f"{module} not installed")
    return ", ".join(found)


def document(
    results: Sequence[Result], before: str, after: str, command: str, gpu_note: str | None
) -> str:
    gpu = gpu_name()
    lines = [
        "# The accelerator ladder",
        "",
        f"Written by `{command}`; the lesson (notebooks/src/12_accelerators.py) reads this "
        "table as data and never re-runs it.",
        "",
        f"- date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC",
        f"- machine: {machine()}",
        f"- GPU: {gpu or 'none'}",
        f"- {versions()}",
        f"- load before: `{before}`",
        f"- load after: `{after}`",
        "- µs/sample: median time of repeated calls (after a warm-up call) divided by the "
        "batch; MACs/s: multiply-accumulates per sample divided by that; W: mean board power "
        "from nvidia-smi while the rung ran; MACs/J: MACs/s divided by W",
        "- scalar and tape rows of the layer workload time only some of the 1000 neurons and "
        "extrapolate per sample (the note says how many)",
    ]
    if gpu_note:
        lines.append(f"- GPU rows: {NOT_MEASURED} ({gpu_note})")
    lines += ["", markdown_table(results), ""]
    return "\n".join(lines)


# --- running it ---


def positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a finite number > 0, got {text}")
    return value


def names(allowed: Sequence[str]) -> Callable[[str], list[str]]:
    def parse(text: str) -> list[str]:
        chosen = [part.strip() for part in text.split(",") if part.strip()]
        unknown = [c for c in chosen if c not in allowed]
        if unknown or not chosen:
            raise argparse.ArgumentTypeError(
                f"choose from {', '.join(allowed)} (comma-separated), got {text!r}"
            )
        return chosen

    return parse


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python benchmarks/ladder.py",
        description="The accelerator ladder: one 1000x1000 layer and the moons MLP on every "
        "rung this machine has (scalar engine, compiled tape, NumPy, onnxruntime, PyTorch "
        "CPU, PyTorch CUDA in fp32/tf32/bf16/fp16/int8 with nvidia-smi power). Prints time "
        "per sample and MACs per second (and per joule on a GPU).",
    )
    parser.add_argument("--quick", action="store_true", help="short timings: a check that it runs")
    parser.add_argument(
        "--output",
        default=str(HERE / "LADDER.md"),
        metavar="PATH",
        help="Markdown file for the table (default: benchmarks/LADDER.md); - writes none",
    )
    parser.add_argument(
        "--workloads",
        type=names(WORKLOADS),
        default=list(WORKLOADS),
        metavar="W[,W]",
        help="layer, moons (default: both)",
    )
    parser.add_argument(
        "--rungs",
        type=names(RUNGS),
        default=list(RUNGS),
        metavar="R[,R...]",
        help=f"{', '.join(RUNGS)} (default: all)",
    )
    parser.add_argument(
        "--min-seconds",
        type=positive_float,
        metavar="S",
        help="time each cell for at least S seconds (default 1.0; --quick 0.02)",
    )
    parser.add_argument(
        "--power-seconds",
        type=positive_float,
        default=3.0,
        metavar="S",
        help="GPU only: how long each precision runs while nvidia-smi samples power (3)",
    )
    return parser


CPU_FUNCTIONS = {
    "scalar": scalar_rung,
    "tape": tape_rung,
    "numpy": numpy_rung,
    "onnxruntime": onnxruntime_rung,
    "torch-cpu": torch_cpu_rung,
}


def run(args: argparse.Namespace) -> tuple[list[Result], str | None]:
    min_seconds = args.min_seconds or (0.02 if args.quick else 1.0)
    gpu_note = gpu_skip_reason() if "torch-cuda" in args.rungs else None
    results: list[Result] = []
    for workload in make_workloads(args.workloads):
        X = np.random.default_rng(1).normal(size=(4096, workload.nin))
        for rung in args.rungs:
            print(f"  {workload.name}: {rung} ...", file=sys.stderr, flush=True)
            if rung != "torch-cuda":
                results.append(CPU_FUNCTIONS[rung](workload, X, args.quick, min_seconds))
            elif gpu_note is None:
                power = min(args.power_seconds, 0.5) if args.quick else args.power_seconds
                results += cuda_rungs(workload, X, args.quick, min_seconds, power)
            else:
                results += [Result(workload.name, "torch-cuda", p) for p in GPU_PRECISIONS]
    return results, gpu_note


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    before = load_average()
    results, gpu_note = run(args)
    after = load_average()
    if gpu_note is not None:
        print(f"PyTorch CUDA rows skipped: {gpu_note}; they read '{NOT_MEASURED}'.")
    print(format_table(results))
    print(f"load before: {before}\nload after:  {after}")
    if args.output != "-":
        command = "python benchmarks/ladder.py" + (" --quick" if args.quick else "")
        write_atomically(args.output, document(results, before, after, command, gpu_note))
        print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
