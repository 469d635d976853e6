"""The deploy road for the digits CNN: a small CNN, trained briefly (tests/digits_model.py),
exported, optimized, quantized by onnxruntime (QDQ), written in FP16, pruned, measured on
the digits that `train digits` holds out, and reported. Timings are checked for form only."""

from __future__ import annotations

import math
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from digits_model import CHANNELS, trained_digits_cnn
from optional import require

from autograd import graph_stats
from autograd.cli import main
from autograd.nn import RNN, Flatten, tasks

np = require("numpy")
onnx = require("onnx")
ort = require("onnxruntime")
deploy = require("autograd.accel.deploy")
report = require("autograd.accel.report")

RUNS, BATCH = 20, 64
FILES = [
    "model_float32.onnx",
    "model_optimized.onnx",
    "model_int8_qdq.onnx",
    "model_float16.onnx",
    "model_pruned.onnx",
]
# conv 3x3 x 4 on 8x8 with padding 1: each filter tap lands on a pixel at 7 or 8 of the
# 8 rows (and columns): (7 + 8 + 7) ** 2 = 484 products per filter, not 8 * 8 * 9 = 576
# (92 taps fall in the zero padding); then the linear layer's 64 x 10.
MACS = CHANNELS * 484 + 64 * 10


@pytest.fixture(scope="module")
def deployed(tmp_path_factory: Any) -> tuple[Any, Path, Any]:
    """(report, output folder, split) of one deploy of the shared small CNN."""
    model = trained_digits_cnn()[0]
    out = tmp_path_factory.mktemp("deploy-cnn")
    split = deploy.dataset_split("digits")
    result = deploy.deploy(model, split, out, runs=RUNS, batch=BATCH, calibrate=200)
    return result, out, split


def run(path: Path, X: Any) -> Any:
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    return session.run(None, {"x": X})[0]


def accuracy(scores: Any, labels: Any) -> float:
    return float(np.mean(np.argmax(scores, axis=1) == labels))


def test_the_split_is_the_one_train_digits_holds_out() -> None:
    split = deploy.dataset_split("digits", seed=2)
    run = tasks.prepare_task("digits", seed=2)
    assert split.X_train.shape == (1000, 1, 8, 8) and split.X_test.shape == (500, 1, 8, 8)
    assert np.array_equal(split.X_test, np.array(run.X_test, dtype=np.float32))
    assert split.y_test.tolist() == run.y_test
    assert "500 images `train digits --seed 2` holds out" in split.description


def test_deploy_writes_every_model_and_the_report(deployed: Any) -> None:
    result, out, _ = deployed
    assert sorted(os.listdir(out)) == sorted([*FILES, "report.md", "report.html", "report.json"])
    for file in FILES:
        onnx.checker.check_model(onnx.load(out / file))
    assert result.nodes_before == {"Conv": 1, "Relu": 1, "MaxPool": 1, "Flatten": 1, "Gemm": 1}
    assert "Conv2d(1, 4, kernel_size=3, padding=1) -> ReLU()" in result.model
    markdown = (out / "report.md").read_text()
    assert "digits: 1000 training images" in markdown
    table = [line for line in markdown.splitlines() if line.startswith("|")]
    assert len(table) == 2 + len(result.rows)
    # Every row has the header's number of cells: a "|" inside a cell is escaped.
    assert {len(re.split(r"(?<!\\)\|", line)) for line in table} == {len(report.COLUMNS) + 2}


def test_the_int8_model_is_qdq_runs_and_keeps_accuracy(deployed: Any) -> None:
    result, out, split = deployed
    graph = onnx.load(out / "model_int8_qdq.onnx").graph
    ops = [node.op_type for node in graph.node]
    assert {"QuantizeLinear", "DequantizeLinear", "Conv", "Gemm"} <= set(ops)
    int8_weights = [t for t in graph.initializer if t.data_type == onnx.TensorProto.INT8]
    assert len(int8_weights) >= 2  # the filters and the linear layer's matrix
    int8 = accuracy(run(out / "model_int8_qdq.onnx", split.X_test), split.y_test)
    float32 = accuracy(run(out / "model_float32.onnx", split.X_test), split.y_test)
    assert float32 > 0.9  # the small CNN has learned the digits
    assert abs(int8 - float32) <= 0.02
    assert result.row("int8 QDQ").accuracy == pytest.approx(int8)
    assert "within 2 points" in report.format_table(result)
    teaching = result.row("int8 engine")
    assert teaching.agreement >= 0.98 and abs(teaching.accuracy - float32) <= 0.02


def test_the_float16_model_holds_float16_weights(deployed: Any) -> None:
    _, out, split = deployed
    weights = list(onnx.load(out / "model_float16.onnx").graph.initializer)
    assert weights and all(t.data_type == onnx.TensorProto.FLOAT16 for t in weights)
    half = run(out / "model_float16.onnx", split.X_test)
    full = run(out / "model_float32.onnx", split.X_test)
    assert half.dtype == np.float32
    assert np.allclose(half, full, rtol=1e-2, atol=2e-2)
    assert np.mean(np.argmax(half, axis=1) == np.argmax(full, axis=1)) >= 0.99


def test_latency_throughput_and_macs_are_well_formed(deployed: Any) -> None:
    result, _, split = deployed
    model = trained_digits_cnn()[0]
    counted = graph_stats(model(split.X_test[0].tolist())).macs  # the engine's own graph
    assert counted == MACS
    for row in result.rows:
        assert row.latency_runs == RUNS and row.throughput_batch == BATCH
        for figure in (row.latency_p50_us, row.latency_p99_us, row.throughput):
            assert math.isfinite(figure) and figure > 0
        assert row.latency_p99_us >= row.latency_p50_us
        assert row.macs == MACS
        assert 0 <= row.accuracy <= 1 and 0 <= row.agreement <= 1
    assert result.row("float32").agreement == 1.0


def test_pruning_zeros_half_of_each_layers_weights(deployed: Any) -> None:
    model = trained_digits_cnn()[0]
    pruned = deploy.prune(model, 0.5)
    conv, linear = pruned.modules[0], pruned.modules[4]
    filters = np.array([w.data for w in Flatten()(conv.weight)])
    original = np.array([w.data for w in Flatten()(model.modules[0].weight)])
    assert np.sum(filters == 0) == round(0.5 * filters.size)
    assert np.abs(original[filters == 0]).max() <= np.abs(original[filters != 0]).min()
    matrix = np.array([[w.data for w in n.w] for n in linear.neurons])
    assert np.sum(matrix == 0) == 320
    assert [b.data for b in conv.bias] == [b.data for b in model.modules[0].bias]
    total, nonzero = deploy.count_macs(pruned, (1, 8, 8))
    assert total == MACS and nonzero < MACS
    assert nonzero == nonzero_by_hand(filters, matrix)
    result, _, _ = deployed
    assert result.row("pruned 50%").nonzero_macs == nonzero


def nonzero_by_hand(filters: Any, matrix: Any) -> int:
    """Products with a nonzero weight: each tap's count of positions, as in MACS."""
    uses = np.outer([7, 8, 7], [7, 8, 7]).ravel()
    per_tap = (filters.reshape(CHANNELS, 9) != 0) * uses
    return int(per_tap.sum() + np.count_nonzero(matrix))


def test_cli_deploys_a_saved_cnn_on_the_digits(tmp_path: Path, capsys: Any) -> None:
    trained_digits_cnn()[0].save(tmp_path / "cnn.json")
    out = tmp_path / "out"
    argv = ["deploy", str(tmp_path / "cnn.json"), "--out", str(out), "--runs", "5"]
    assert main([*argv, "--batch", "16", "--calibrate", "50", "--sparsity", "0.25"]) == 0
    printed = capsys.readouterr().out
    assert "deploying Sequential(Conv2d(1, 4, kernel_size=3, padding=1)" in printed
    assert "digits: 1000 training images (seed 0)" in printed
    assert "MinMax calibration on 50 training samples" in printed
    assert "pruned 25%" in printed and "within 2 points" in printed
    assert sorted(os.listdir(out)) == sorted([*FILES, "report.md", "report.html", "report.json"])


def test_cli_refuses_recurrent_models_and_a_cnn_on_points(tmp_path: Path, capsys: Any) -> None:
    tasks.echo_model("lstm").save(tmp_path / "lstm.json")
    out = tmp_path / "out"
    assert main(["deploy", str(tmp_path / "lstm.json"), "--out", str(out)]) == 2
    error = capsys.readouterr().err
    assert "deploy takes MLPs and the CNN (a Sequential of Conv2d, Linear" in error
    assert "this Sequential's L1 is a LSTM" in error
    tasks.digits_cnn().save(tmp_path / "cnn.json")
    assert main(["deploy", str(tmp_path / "cnn.json"), "--dataset", "moons"]) == 2
    assert "a CNN takes images; the data has points of 2 numbers" in capsys.readouterr().err
    with pytest.raises(TypeError, match=r"deploy takes MLPs and the CNN .*, not a RNN"):
        deploy.check_deployable(RNN(1, 2))
    assert not out.exists()


@pytest.mark.slow
def test_train_digits_save_then_deploy(tmp_path: Path) -> None:
    """The commands as a user types them: one epoch of `train digits` (with its page),
    then deploy."""

    def command(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "autograd", *args], capture_output=True, text=True, cwd=tmp_path
        )

    trained = command("train", "digits", "--epochs", "1", "--save", "m.json", "--html", "p.html")
    assert trained.returncode == 0, trained.stderr
    assert "wrote p.html" in trained.stdout  # the page itself: tests/test_browser.py
    assert '"kind":"images"' in (tmp_path / "p.html").read_text()
    deployed = command("deploy", "m.json", "--runs", "10", "--batch", "64", "--calibrate", "100")
    assert deployed.returncode == 0, deployed.stderr
    assert "deploying Sequential(Conv2d(1, 8, kernel_size=3, padding=1)" in deployed.stdout
    assert "within 2 points" in deployed.stdout
    assert (tmp_path / "deploy-output" / "model_int8_qdq.onnx").exists()
