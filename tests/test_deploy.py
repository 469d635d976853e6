"""The deploy road: a trained moons MLP exported, optimized, quantized by onnxruntime (QDQ),
written in FP16, pruned, measured, and reported. Timings are checked for form, never speed."""

from __future__ import annotations

import json
import math
import os
import sys
from pathlib import Path
from typing import Any

import pytest
from moons_model import trained_moons
from optional import require

from autograd.cli import main
from autograd.nn import MLP

np = require("numpy")
onnx = require("onnx")
ort = require("onnxruntime")
deploy = require("autograd.accel.deploy")
report = require("autograd.accel.report")

RUNS, BATCH = 30, 128
MODELS = {
    "float32": "model_float32.onnx",
    "optimized": "model_optimized.onnx",
    "int8 QDQ": "model_int8_qdq.onnx",
    "float16": "model_float16.onnx",
    "pruned 50%": "model_pruned.onnx",
}


@pytest.fixture(scope="module")
def deployed(tmp_path_factory: Any) -> tuple[Any, Path, Any]:
    """(report, output folder, split) of one deploy of the shared trained moons MLP."""
    model, _, _ = trained_moons()
    out = tmp_path_factory.mktemp("deploy")
    split = deploy.dataset_split("moons")
    lines: list[str] = []
    result = deploy.deploy(model, split, out, runs=RUNS, batch=BATCH, progress=lines.append)
    assert lines[0].startswith("[1/6]") and any("[6/6]" in line for line in lines)
    return result, out, split


def run(path: Path, X: Any) -> Any:
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    return session.run(None, {"x": X})[0][:, 0]


def accuracy(outputs: Any, labels: Any) -> float:
    return float(np.mean((outputs > 0).astype(int) == labels))  # moons: hinge, linear output


def test_deploy_writes_every_model_and_the_report(deployed: Any) -> None:
    result, out, _ = deployed
    names = sorted(os.listdir(out))
    assert names == sorted([*MODELS.values(), "report.md", "report.html", "report.json"])
    for file in MODELS.values():
        onnx.checker.check_model(onnx.load(out / file))
    assert [r.version for r in result.rows] == [
        "float32",
        "optimized",
        "int8 QDQ",
        "int8 engine",
        "float16",
        "pruned 50%",
    ]
    for row in result.rows:
        if row.file is not None:
            assert row.size_bytes == (out / row.file).stat().st_size
    saved = json.loads((out / "report.json").read_text())
    assert [r["version"] for r in saved["rows"]] == [r.version for r in result.rows]
    assert saved["calibration_method"] == "MinMax"


def test_the_int8_model_is_qdq_runs_and_keeps_accuracy(deployed: Any) -> None:
    result, out, split = deployed
    graph = onnx.load(out / MODELS["int8 QDQ"]).graph
    ops = {node.op_type for node in graph.node}
    assert {"QuantizeLinear", "DequantizeLinear"} <= ops
    int8_weights = [t for t in graph.initializer if t.data_type == onnx.TensorProto.INT8]
    assert len(int8_weights) >= 3  # one weight matrix per Gemm
    # Our own run of both files, independent of the report's numbers:
    int8 = accuracy(run(out / MODELS["int8 QDQ"], split.X_test), split.y_test)
    float32 = accuracy(run(out / MODELS["float32"], split.X_test), split.y_test)
    assert abs(int8 - float32) <= 0.02
    assert result.row("int8 QDQ").accuracy == pytest.approx(int8)
    assert result.row("float32").accuracy == pytest.approx(float32)
    points = (int8 - float32) * 100
    verdict = f"{int8:.1%} against float32 {float32:.1%}: {points:+.1f} points, within 2 points"
    assert verdict in (out / "report.md").read_text()
    assert verdict in report.format_table(result)


def test_latency_and_throughput_are_positive_and_from_repeated_runs(deployed: Any) -> None:
    result, _, _ = deployed
    for row in result.rows:
        assert row.latency_runs == RUNS and row.throughput_batch == BATCH
        assert row.throughput_runs > 1
        for figure in (row.latency_p50_us, row.latency_p99_us, row.throughput):
            assert math.isfinite(figure) and figure > 0
        assert row.latency_p99_us >= row.latency_p50_us
        assert row.macs == 2 * 16 + 16 * 16 + 16
        assert 0 <= row.accuracy <= 1 and 0 <= row.agreement <= 1
    assert result.row("float32").agreement == 1.0


def test_the_optimized_model_shows_what_was_fused(deployed: Any) -> None:
    result, out, _ = deployed
    assert result.nodes_before == {"Gemm": 3, "Relu": 2}
    after = [node.op_type for node in onnx.load(out / MODELS["optimized"]).graph.node]
    assert len(after) < 5 and "FusedGemm" in after  # Gemm + Relu became one node
    assert sum(result.nodes_after.values()) == len(after)
    assert "5 nodes (3 Gemm, 2 Relu) -> 3 nodes" in report.format_table(result)


def test_the_float16_model_holds_float16_weights(deployed: Any) -> None:
    _, out, split = deployed
    model = onnx.load(out / MODELS["float16"])
    weights = list(model.graph.initializer)
    assert weights and all(t.data_type == onnx.TensorProto.FLOAT16 for t in weights)
    half, full = (
        run(out / MODELS["float16"], split.X_test),
        run(out / MODELS["float32"], split.X_test),
    )
    assert half.dtype == np.float32
    assert np.allclose(half, full, rtol=1e-2, atol=1e-2)


def test_pruning_zeros_the_smallest_weights_of_each_layer(deployed: Any) -> None:
    model, _, _ = trained_moons()
    pruned = deploy.prune(model, 0.5)
    for original, thinned in zip(model.layers, pruned.layers):
        before = np.array([[w.data for w in n.w] for n in original.neurons])
        after = np.array([[w.data for w in n.w] for n in thinned.neurons])
        zeros = after == 0
        assert zeros.sum() == round(0.5 * before.size)
        assert np.abs(before[zeros]).max() <= np.abs(before[~zeros]).min()
        assert np.array_equal(after[~zeros], before[~zeros])
        assert [n.b.data for n in thinned.neurons] == [n.b.data for n in original.neurons]
    assert deploy.prune(model, 0.0).state_dict() == model.state_dict()
    result, _, _ = deployed
    row = result.row("pruned 50%")
    assert row.nonzero_macs == 152 and 0 < row.accuracy <= 1
    assert f"{row.accuracy:.1%}" in report.to_markdown(result)


def test_the_html_page_is_self_contained_with_charts(deployed: Any) -> None:
    _, out, _ = deployed
    page = (out / "report.html").read_text()
    assert page.count("<svg") == 2 and "accuracy against size" in page
    assert "latency against precision" in page
    without_namespace = page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    for outside in ("http:", "https:", "<script", "src=", "<link"):
        assert outside not in without_namespace


def test_cli_deploys_a_saved_model(tmp_path: Path, capsys: Any) -> None:
    model, _, _ = trained_moons()
    model.save(tmp_path / "moons.json")
    out = tmp_path / "out"
    argv = ["deploy", str(tmp_path / "moons.json"), "--out", str(out)]
    assert main([*argv, "--runs", "10", "--batch", "32", "--calibrate", "50"]) == 0
    printed = capsys.readouterr().out
    assert "[1/6] exporting float32 ONNX" in printed
    assert "MinMax calibration on 50 training samples" in printed
    assert "within 2 points" in printed and "p50 µs" in printed
    assert (out / "report.html").exists() and (out / MODELS["int8 QDQ"]).exists()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--sparsity", "1"], "must be in [0, 1)"),
        (["--sparsity", "-0.1"], "must be in [0, 1)"),
        (["--sparsity", "half"], "expected a number"),
        (["--calibrate", "0"], "must be at least 1"),
        (["--calibrate", "101"], "between 1 and 100 (the training samples), got 101"),
        (["--batch", "0"], "must be at least 1"),
        (["--dataset", "spiral"], "the model has 1 outputs, the data 3 classes"),
    ],
)
def test_cli_refuses_bad_options_and_writes_nothing(
    options: list[str], message: str, tmp_path: Path, capsys: Any
) -> None:
    MLP(2, [3, 1], seed=0).save(tmp_path / "m.json")
    out = tmp_path / "out"
    assert exit_code(["deploy", str(tmp_path / "m.json"), "--out", str(out), *options]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def exit_code(argv: list[str]) -> int:
    """main's return code, or argparse's exit code for a value its type check refused."""
    try:
        return main(argv)
    except SystemExit as stop:
        return int(stop.code or 0)


def test_cli_reports_a_file_that_is_not_a_model(tmp_path: Path, capsys: Any) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "something else"}')
    out = tmp_path / "out"
    assert main(["deploy", str(bad), "--out", str(out)]) == 2
    assert "not a glassgrad-model file" in capsys.readouterr().err
    assert main(["deploy", str(tmp_path / "missing.json"), "--out", str(out)]) == 2
    assert "cannot read" in capsys.readouterr().err
    assert not out.exists()
    MLP(2, [3, 1], seed=0).save(tmp_path / "m.json")
    (tmp_path / "file").write_text("")
    assert main(["deploy", str(tmp_path / "m.json"), "--out", str(tmp_path / "file")]) == 2
    assert "not a folder" in capsys.readouterr().err


def test_python_api_refuses_bad_values_before_writing(tmp_path: Path) -> None:
    model = MLP(2, [3, 1], seed=0)
    split = deploy.dataset_split("moons")
    out = tmp_path / "out"
    for kwargs, message in [
        ({"sparsity": 1.0}, r"sparsity must be in \[0, 1\)"),
        ({"sparsity": float("nan")}, r"sparsity must be in \[0, 1\)"),
        ({"calibrate": 0}, "between 1 and 100"),
        ({"calibrate": 1000}, "between 1 and 100"),
        ({"batch": 0}, "batch must be"),
    ]:
        with pytest.raises(ValueError, match=message):
            deploy.deploy(model, split, out, **kwargs)
    assert not out.exists()
    with pytest.raises(ValueError, match="takes 3 inputs"):
        deploy.deploy(MLP(3, [1], seed=0), split, out)


def test_report_files_are_written_atomically(deployed: Any, tmp_path: Path) -> None:
    result, _, _ = deployed
    (tmp_path / "report.html").mkdir()  # the rename onto it fails
    with pytest.raises(OSError):
        report.write(result, tmp_path)
    assert sorted(os.listdir(tmp_path)) == ["report.html", "report.md"]  # no temporary file
    assert (tmp_path / "report.md").read_text() == report.to_markdown(result)


def test_without_onnxruntime_the_extra_is_named(monkeypatch: Any, capsys: Any) -> None:
    import autograd.accel

    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # as if it were not installed
    monkeypatch.delitem(sys.modules, "autograd.accel.deploy")
    monkeypatch.delitem(sys.modules, "autograd.accel.report", raising=False)
    monkeypatch.delattr(autograd.accel, "deploy")
    with pytest.raises(ImportError, match=r'pip install "glassgrad\[export\]"'):
        import autograd.accel.deploy
    assert main(["deploy", "model.json"]) == 2
    assert "needs the package 'onnxruntime': pip install 'glassgrad[export]'" in (
        capsys.readouterr().err
    )


def test_the_test_set_is_fresh_points_from_the_same_generator() -> None:
    split = deploy.dataset_split("moons", seed=3)
    assert split.X_train.shape == (100, 2) and split.X_test.shape == (1000, 2)
    assert not (
        {tuple(p) for p in split.X_train.tolist()} & {tuple(p) for p in split.X_test.tolist()}
    )
    assert "seeds 4-13" in split.description
    xor = deploy.dataset_split("xor")
    assert xor.X_test.shape == (4, 2) and "also the test set" in xor.description
    with pytest.raises(ValueError, match="unknown dataset 'mnist'"):
        deploy.dataset_split("mnist")
