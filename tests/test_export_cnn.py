"""A trained CNN exports to ONNX, and onnxruntime gives the engine's outputs; an LSTM
exports unrolled, through a compiled tape."""

from __future__ import annotations

import re
from typing import Any

import pytest
from optional import require

from autograd import Value
from autograd.nn import (
    LSTM,
    RNN,
    AvgPool2d,
    Conv2d,
    Flatten,
    Linear,
    MaxPool2d,
    Sequential,
    Tanh,
    tasks,
)
from autograd.nn.images import digits

np = require("numpy")
onnx = require("onnx")
ort = require("onnxruntime")
export = require("autograd.accel.export")
tape = require("autograd.accel.tape")

TOLERANCE = {"float64": 1e-12, "float32": 1e-5}


def trained_cnn() -> Any:
    run = tasks.prepare_task("digits", samples=64, epochs=1)
    run.fit()
    return run.model


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_a_trained_digits_cnn_exports_and_onnxruntime_agrees(dtype: str, tmp_path: Any) -> None:
    model = trained_cnn()
    path = tmp_path / "cnn.onnx"
    export.save(export.sequential_to_onnx(model, (1, 8, 8), dtype), path)
    loaded = onnx.load(path)
    onnx.checker.check_model(loaded, full_check=True)
    images, _ = digits(40, seed=9)
    assert export.check_cnn_with_onnxruntime(loaded, model, images) <= TOLERANCE[dtype]
    ops = [node.op_type for node in loaded.graph.node]
    if dtype == "float32":
        assert ops == ["Conv", "Relu", "MaxPool", "Flatten", "Gemm"]
    else:  # onnxruntime has no float64 Conv: the convolution is unfolded into a MatMul
        assert ops[-4:] == ["Relu", "MaxPool", "Flatten", "Gemm"] and "MatMul" in ops


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_strides_padding_average_pools_and_tanh_export(dtype: str) -> None:
    # onnxruntime (1.32) has no float64 AveragePool kernel: float64 pools by the maximum.
    model = Sequential(
        Conv2d(2, 3, 3, stride=2, padding=1, seed=1),
        Tanh(),
        AvgPool2d(2, 1) if dtype == "float32" else MaxPool2d(2, 1),
        Conv2d(3, 2, (2, 1), seed=2),
        MaxPool2d(1),
        Flatten(),
        Linear(2 * 2 * 2, 3, seed=3),
    )
    rng = np.random.default_rng(0)
    images = rng.normal(size=(5, 2, 7, 6)).tolist()
    onnx_model = export.sequential_to_onnx(model, (2, 7, 6), dtype)
    assert export.check_cnn_with_onnxruntime(onnx_model, model, images) <= TOLERANCE[dtype]


def test_a_recurrent_layer_inside_is_refused_with_the_way_to_export_it() -> None:
    model = Sequential(RNN(1, 2), tasks.LastStep(), Linear(2, 2))
    with pytest.raises(
        tape.UnsupportedOperationError,
        match=r"L1: no ONNX operator for RNN.*"
        "unrolled",
    ):
        export.sequential_to_onnx(model, (1, 1, 1))


def test_an_lstm_exports_unrolled_through_a_tape() -> None:
    lstm = LSTM(1, 2, seed=0)
    xs = [Value(0.0, label=f"x{t}") for t in range(4)]
    outputs, _ = lstm([[x] for x in xs])
    compiled = tape.compile(outputs[-1], xs)
    onnx_model = export.tape_to_onnx(compiled, "float64")
    sequences = np.random.default_rng(1).normal(size=(4, 10))
    session = ort.InferenceSession(
        onnx_model.SerializeToString(), providers=["CPUExecutionProvider"]
    )
    got = session.run(None, {f"x{t}": sequences[t] for t in range(4)})
    for k in range(10):
        expected, _ = lstm([[float(sequences[t, k])] for t in range(4)])
        assert np.allclose([g[k] for g in got], [v.data for v in expected[-1]], rtol=0, atol=1e-12)


def test_the_export_command_takes_a_saved_cnn(
    tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    from autograd.cli import main

    saved = tmp_path / "cnn.json"
    tasks.digits_cnn(seed=3, channels=2).save(saved)
    out = tmp_path / "cnn.onnx"
    assert main(["export", str(saved), "-o", str(out), "--dtype", "float64"]) == 0
    printed = capsys.readouterr().out
    difference = float(printed.rsplit("max |diff| ", 1)[1])
    assert difference < TOLERANCE["float64"]
    onnx.checker.check_model(onnx.load(out))
    assert [node.op_type for node in onnx.load(out).graph.node][-2:] == ["Flatten", "Gemm"]


def test_the_export_command_refuses_a_recurrent_model_and_a_wrong_image(
    tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    from autograd.cli import main

    echo = tmp_path / "echo.json"
    tasks.echo_model("lstm").save(echo)
    assert main(["export", str(echo), "-o", str(tmp_path / "e.onnx")]) == 2
    assert "LSTM" in capsys.readouterr().err
    cnn = tmp_path / "cnn.json"
    tasks.digits_cnn(channels=2).save(cnn)
    assert main(["export", str(cnn), "-o", str(tmp_path / "c.onnx"), "--image", "1", "6", "6"]) == 2
    assert "error" in capsys.readouterr().err
    assert not (tmp_path / "e.onnx").exists() and not (tmp_path / "c.onnx").exists()


def test_the_export_command_never_writes_over_its_model(
    tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    from autograd.cli import main

    saved = tmp_path / "cnn.json"
    tasks.digits_cnn(channels=2).save(saved)
    before = saved.read_bytes()
    (tmp_path / "link.json").symlink_to(saved)
    for output in (saved, tmp_path / "link.json", tmp_path / "." / "cnn.json"):
        assert main(["export", str(saved), "-o", str(output)]) == 2
        assert "is the model file itself" in capsys.readouterr().err
    assert saved.read_bytes() == before


@pytest.mark.parametrize(
    ("shape", "problem"),
    [
        ((2, 8, 8), "L1: Conv2d(1, 2, kernel_size=3, padding=1) takes 1 channels, gets 2"),
        ((1, 1, 1), "L3: MaxPool2d(kernel_size=2) gets an image of 1x1, too small"),
        ((1, 6, 6), "L5: Linear(in_features=32, out_features=10) takes 32 inputs, gets 18"),
    ],
)
def test_an_input_shape_the_layers_do_not_take_is_refused_by_layer(
    shape: tuple[int, int, int], problem: str
) -> None:
    with pytest.raises(ValueError, match=re.escape(problem)):
        export.sequential_to_onnx(tasks.digits_cnn(channels=2), shape)


def test_a_deeper_head_fits_its_input_shape_and_agrees_with_the_engine() -> None:
    """Two Linear layers with an activation between them: each is checked against the
    width the layer before it gives, not the image's."""
    model = Sequential(
        Conv2d(1, 2, 3, padding=1, seed=0),
        MaxPool2d(2),
        Flatten(),
        Linear(32, 8, seed=0),
        Tanh(),
        Linear(8, 10, seed=0),
    )
    images = np.random.default_rng(0).uniform(size=(5, 1, 8, 8))
    onnx_model = export.sequential_to_onnx(model, (1, 8, 8), "float64")
    assert export.check_cnn_with_onnxruntime(onnx_model, model, images) < TOLERANCE["float64"]
