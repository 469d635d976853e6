"""The accelerator ladder runs without a GPU and prints its table; its parts that need no GPU
(arguments, table, skip message, the int8 plan, nvidia-smi parsing) are checked here.
Nothing is timed or compared."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from optional import require

np = require("numpy")

LADDER = Path(__file__).resolve().parent.parent / "benchmarks" / "ladder.py"


def load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("ladder", LADDER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["ladder"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


ladder = load()


def test_help_describes_the_workloads_and_rungs() -> None:
    done = subprocess.run(
        [sys.executable, str(LADDER), "--help"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    for word in ("1000x1000", "moons", "onnxruntime", "int8", "nvidia-smi", "--quick"):
        assert word in done.stdout


@pytest.mark.parametrize(
    "argv",
    [
        ["--min-seconds", "0"],
        ["--min-seconds", "soon"],
        ["--power-seconds", "-1"],
        ["--rungs", "abacus"],
        ["--workloads", ""],
    ],
)
def test_bad_arguments_exit_with_2(argv: list[str], capsys: Any) -> None:
    with pytest.raises(SystemExit) as stop:
        ladder.build_parser().parse_args(argv)
    assert stop.value.code == 2
    assert "error:" in capsys.readouterr().err


def test_the_ladder_runs_without_a_gpu_and_prints_its_table(tmp_path: Path) -> None:
    output = tmp_path / "LADDER.md"
    command = [sys.executable, str(LADDER), "--quick", "--output", str(output)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    table = done.stdout
    for rung in ("scalar", "tape", "numpy", "onnxruntime", "torch-cuda"):
        assert f"layer     {rung}" in table and f"moons     {rung}" in table
    assert "1000 neurons timed" in table  # the scalar layer row says it extrapolates
    written = output.read_text()
    assert "load before:" in written and "| workload | rung |" in written
    if ladder.gpu_skip_reason() is not None:
        assert "PyTorch CUDA rows skipped:" in table
        assert written.count("| not measured yet |") == 2 * len(ladder.GPU_PRECISIONS)


def test_the_skip_message_without_torch(monkeypatch: Any) -> None:
    monkeypatch.setitem(sys.modules, "torch", None)  # as if PyTorch were not installed
    assert "PyTorch is not installed" in ladder.gpu_skip_reason()
    workload = ladder.make_workloads(["moons"])[0]
    result = ladder.torch_cpu_rung(workload, np.zeros((4, 2)), True, 0.01)
    assert result.seconds_per_sample is None and "skipped" in result.note


def test_table_formatting() -> None:
    rows = [
        ladder.Result("layer", "numpy", "float32", 64, 2e-5, 5e10, note="x"),
        ladder.Result("layer", "torch-cuda", "int8", 8192, 1e-8, 1e14, 300.0, 1e14 / 300),
        ladder.Result("moons", "torch-cuda", "fp16"),
    ]
    text = ladder.format_table(rows)
    lines = text.splitlines()
    assert lines[0].split() == [
        "workload",
        "rung",
        "precision",
        "batch",
        "µs/sample",
        "MACs/s",
        "W",
        "MACs/J",
        "note",
    ]
    assert "20" in lines[2] and "5e+10" in lines[2]
    assert "300" in lines[3] and "3.33e+11" in lines[3]
    assert "not measured yet" in lines[4]
    markdown = ladder.markdown_table(rows)
    assert markdown.count("\n") == 4 and "| moons | torch-cuda | fp16 | - | not measured yet |" in (
        markdown
    )


def test_nvidia_smi_power_lines_are_parsed() -> None:
    assert ladder.parse_power("71.52\n[N/A]\n\n300.10\n") == [71.52, 300.10]


@pytest.mark.parametrize("name", ["layer", "moons"])
def test_the_int8_plan_pads_to_multiples_of_8_and_stays_close(name: str) -> None:
    workload = ladder.make_workloads([name])[0]
    X = np.random.default_rng(0).normal(size=(64, workload.nin))
    plan = ladder.int8_plan(workload, X)
    for layer, (W, _) in zip(plan, workload.weights):
        assert layer.Wt.dtype == np.int8 and layer.Wt.shape[0] % 8 == 0
        assert layer.Wt.shape[1] % 8 == 0 and layer.Wt.shape[0] >= W.shape[1]
    nout = workload.weights[-1][0].shape[0]
    exact = ladder.numpy_forward(workload, X, np.float64)
    approx = ladder.int8_forward_numpy(plan, X, nout)
    assert approx.shape == exact.shape
    assert np.max(np.abs(approx - exact)) <= 0.05 * np.max(np.abs(exact))


@pytest.mark.parametrize("name", ["layer", "moons"])
def test_the_gpu_programs_compute_the_layer_in_every_precision(name: str) -> None:
    # The very code the GPU rows time, run on the CPU (PyTorch has every precision there,
    # torch._int_mm included); on a GPU only the device and the synchronisation change.
    torch = pytest.importorskip("torch")
    workload = ladder.make_workloads([name])[0]
    X = np.random.default_rng(0).normal(size=(64, workload.nin)).astype(np.float32)
    exact = ladder.numpy_forward(workload, X, np.float64)
    scale = np.max(np.abs(exact))
    tolerance = {"fp32": 1e-5, "tf32": 1e-5, "bf16": 0.05, "fp16": 0.01, "int8": 0.05}
    for precision in ladder.GPU_PRECISIONS:
        run = ladder.torch_precision_program(workload, X, precision, torch.device("cpu"))
        out = run().float().numpy()[:, : exact.shape[1]]
        assert np.max(np.abs(out - exact)) <= tolerance[precision] * scale, precision


def test_the_power_sampler_reads_nvidia_smi(tmp_path: Path, monkeypatch: Any) -> None:
    fake = tmp_path / "nvidia-smi"  # prints five samples, then idles until stopped
    fake.write_text("#!/bin/sh\nfor w in 90 95 300 310 320; do echo $w; done\nexec sleep 30\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    with ladder.PowerSampler() as sampler:
        for _ in range(500):  # up to 5 s for the five lines to arrive
            if len(sampler.lines) >= 5:
                break
            time.sleep(0.01)
    assert sampler.watts(skip=2) == pytest.approx(310.0)
    assert sampler.process is not None and sampler.process.returncode is not None
