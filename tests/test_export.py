"""ONNX export: onnxruntime runs the exported model and gives the engine's outputs.

Tolerances (also in the README): float64 models agree to 1e-12; float32 models to
1e-5 (relative, with 1e-5 absolute near zero), the rounding of float32 itself.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import pytest
from moons_model import moons_test_set, trained_moons
from optional import require

from autograd import OPS, Op, Value, nn
from autograd import max as vmax
from autograd import sum as vsum
from autograd.cli import main
from autograd.engine import _record

np = require("numpy")
onnx = require("onnx")
ort = require("onnxruntime")
batch = require("autograd.accel.tape")
export = require("autograd.accel.export")

TOLERANCE = {"float64": {"rtol": 1e-12, "atol": 1e-12}, "float32": {"rtol": 1e-5, "atol": 1e-5}}


def run_onnx(model: Any, **inputs: Any) -> list[Any]:
    onnx.checker.check_model(model, full_check=True)
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    return session.run(None, inputs)  # type: ignore[no-any-return]


def engine_outputs(model: nn.MLP, X: Any) -> Any:
    outputs = [model([Value(float(v)) for v in row]) for row in X]
    return np.array([[v.data for v in (o if isinstance(o, list) else [o])] for o in outputs])


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_a_trained_moons_mlp_round_trips_through_onnxruntime(dtype: str, tmp_path: Any) -> None:
    model, _, _ = trained_moons()
    path = tmp_path / "moons.onnx"
    export.save(export.mlp_to_onnx(model, dtype), path)
    loaded = onnx.load(path)
    X = np.array(moons_test_set(300)[0]).astype(dtype)
    (y,) = run_onnx(loaded, x=X)
    assert y.shape == (300, 1)
    assert y.dtype == dtype
    assert np.allclose(y, engine_outputs(model, X), **TOLERANCE[dtype])
    assert [node.op_type for node in loaded.graph.node] == ["Gemm", "Relu", "Gemm", "Relu", "Gemm"]


@pytest.mark.parametrize("activation", sorted(nn.ACTIVATIONS))
def test_every_activation_exports(activation: str) -> None:
    model = nn.MLP(3, [4, 2], activation, activation, seed=1)
    X = np.random.default_rng(1).normal(size=(30, 3)).astype("float32")
    (y,) = run_onnx(export.mlp_to_onnx(model), x=X)
    assert np.allclose(y, engine_outputs(model, X), **TOLERANCE["float32"])


def test_an_activation_without_an_onnx_operator_is_named(monkeypatch: Any) -> None:
    cube = Op("cube", 1, lambda x: x**3, lambda m, out, x: (3 * x * x,), "cube({0})")
    monkeypatch.setitem(nn.ACTIVATIONS, "relu", lambda z: _record(cube, z.data**3, (z,)))
    model = nn.MLP(2, [3, 1], "relu", seed=0)
    with pytest.raises(batch.UnsupportedOperationError, match=r"L1: .*'cube'"):
        export.mlp_to_onnx(model)


# onnxruntime has no float64 Softplus, and older versions (1.23) no float64 Sin or Cos.
NOT_IN_FLOAT64 = {"softplus", "sin", "cos"}


def every_op(x: Value, y: Value, float64: bool) -> Value:
    w = Value(0.5, label="w")
    terms = [
        (x * w + y).tanh() * x.log(),
        x / y - y,
        y**x + 2**x - 3 / x + (4 - x) ** 2,
        (x - 1).relu() * (x + 0.5).leaky_relu(0.1),
        x.sigmoid().sqrt() * 2 + (-x).exp() / 3,
        abs(y),
        vmax([x, y * 0.5, Value(0.1)]),
    ]
    if not float64:
        terms.append(y.sin() * y.cos() + x.softplus())
    return vsum(terms)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_a_compiled_tape_exports_op_for_op(dtype: str) -> None:
    x, y = Value(1.0, label="a"), Value(2.0, label="b")
    float64 = dtype == "float64"
    tape = batch.compile(every_op(x, y, float64), [x, y])
    used = {ins.op.name for ins in tape.instructions}
    assert used == set(export.ONNX_OPS) - (NOT_IN_FLOAT64 if float64 else set())
    a, b = np.linspace(0.5, 3, 40).astype(dtype), np.linspace(0.2, 2, 40).astype(dtype)
    (out,) = run_onnx(export.tape_to_onnx(tape, dtype), a=a, b=b)
    assert np.allclose(out, tape(a, b), **TOLERANCE[dtype])


def test_tape_inputs_whose_labels_clash_get_plain_names() -> None:
    x, y = Value(1.0, label="y"), Value(2.0, label="y")
    model = export.tape_to_onnx(batch.compile(x * y, [x, y]))
    assert [i.name for i in model.graph.input] == ["x0", "x1"]
    (out,) = run_onnx(model, x0=np.array([2.0], "float32"), x1=np.array([3.0], "float32"))
    assert out.tolist() == [6.0]


def test_tape_export_errors_are_clear(monkeypatch: Any) -> None:
    cube = Op("cube", 1, lambda x: x**3, lambda m, out, x: (3 * x * x,), "cube({0})")
    monkeypatch.setitem(batch.ARRAY_FORWARD, "cube", lambda v: v**3)  # the tape can run it
    x = Value(2.0)
    tape = batch.compile(_record(cube, 8.0, (x,)), [x])
    with pytest.raises(batch.UnsupportedOperationError, match="no ONNX operator for 'cube'"):
        export.tape_to_onnx(tape)
    with pytest.raises(ValueError, match="does not depend on any input"):
        export.tape_to_onnx(batch.compile([x * 2, Value(3.0).exp()], [x]))
    with pytest.raises(ValueError, match="dtype must be one of"):
        export.tape_to_onnx(batch.compile(x * 2, [x]), "int8")


def test_save_leaves_no_partial_file_behind(tmp_path: Any) -> None:
    model, _, _ = trained_moons()
    target = tmp_path / "taken"
    target.mkdir()  # a directory where the file should go: the rename fails
    with pytest.raises(OSError):
        export.save(export.mlp_to_onnx(model), target)
    assert os.listdir(tmp_path) == ["taken"]
    assert os.listdir(target) == []


def test_cli_exports_a_saved_model(tmp_path: Any, capsys: Any) -> None:
    model, _, _ = trained_moons()
    model.save(tmp_path / "moons.json")
    out = tmp_path / "moons.onnx"
    assert main(["export", str(tmp_path / "moons.json"), "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert f"wrote {out}" in printed
    assert "onnxruntime agrees with the engine" in printed
    onnx.checker.check_model(onnx.load(out), full_check=True)


def test_cli_reports_bad_model_files(tmp_path: Any, capsys: Any) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    out = str(tmp_path / "x.onnx")
    assert main(["export", str(bad), "-o", out]) == 2
    assert "not a glassgrad-model file" in capsys.readouterr().err
    assert main(["export", str(tmp_path / "missing.json"), "-o", out]) == 2
    assert "cannot read" in capsys.readouterr().err
    assert not os.path.exists(out)


def test_every_operation_of_the_table_has_an_onnx_operator() -> None:
    assert set(export.ONNX_OPS) == set(OPS)


def test_cli_without_onnx_says_what_to_install(monkeypatch: Any, capsys: Any) -> None:
    import autograd.accel

    monkeypatch.setitem(sys.modules, "onnx", None)  # as if onnx were not installed
    monkeypatch.delitem(sys.modules, "autograd.accel.export")
    monkeypatch.delattr(autograd.accel, "export")
    assert main(["export", "model.json", "-o", "model.onnx"]) == 2
    assert "needs the package 'onnx': pip install 'glassgrad[export]'" in capsys.readouterr().err


def test_constants_keep_the_sign_of_zero() -> None:
    x = Value(1.0, label="a")
    tape = batch.compile([x * 0.0, x * -0.0], [x])
    plus, minus = run_onnx(export.tape_to_onnx(tape, "float64"), a=np.array([1.0]))
    assert not np.signbit(plus[0])
    assert np.signbit(minus[0])
