"""The digits CNN and the echo RNN/LSTM trained through the compiled tape: the same numbers
as the scalar engine (1e-9 after training), a convolution fused into one matrix product
(gradients to 1e-12), max per sample on the tape, and refusals that say why."""

from __future__ import annotations

import functools
import math
import random
import re
from collections.abc import Sequence
from typing import Any

import pytest
from optional import require

from autograd import Value
from autograd import max as vmax
from autograd.nn import Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential, tasks

np = require("numpy")
accel = require("autograd.accel")  # after numpy: it needs numpy
fusion = require("autograd.accel.fusion")
from autograd.accel.train import TapeBackend, UnreplayableModelError  # noqa: E402
from autograd.cli import main  # noqa: E402

# Short runs: a few batches of 16, two epochs (the scalar engine sets the pace).
RUNS: dict[str, dict[str, Any]] = {
    "digits": {"samples": 32, "epochs": 2},
    "echo rnn": {"cell": "rnn", "delay": 3, "samples": 32, "epochs": 2},
    "echo lstm": {"cell": "lstm", "delay": 3, "samples": 32, "epochs": 2},
}


def close(a: Sequence[float], b: Sequence[float], rel: float) -> bool:
    return len(a) == len(b) and all(
        abs(x - y) <= rel * max(abs(x), abs(y)) + 1e-300 for x, y in zip(a, b)
    )


def trained(name: str, backend: str | TapeBackend) -> tuple[list[float], list[float]]:
    run = tasks.prepare_task(name.split()[0], **RUNS[name])
    history = run.fit(backend=backend)
    numbers = [e.loss for e in history] + [e.accuracy for e in history]
    return numbers, [p.data for p in run.model.parameters()]


@functools.cache
def scalar_run(name: str) -> tuple[list[float], list[float]]:
    return trained(name, "scalar")


@pytest.mark.parametrize("name", sorted(RUNS))
@pytest.mark.parametrize("fused", [True, False], ids=["fused", "unfused"])
def test_the_tape_trains_the_tasks_to_the_scalar_engines_numbers(name: str, fused: bool) -> None:
    numbers, params = scalar_run(name)
    tape_numbers, tape_params = trained(name, TapeBackend(fuse=fused))
    assert close(numbers, tape_numbers, 1e-9), (numbers, tape_numbers)
    assert close(params, tape_params, 1e-9)
    assert numbers[1] < numbers[0]  # the loss fell: it did train


def test_the_command_line_trains_echo_on_the_tape(capsys: pytest.CaptureFixture[str]) -> None:
    outputs = []
    for backend in ("scalar", "tape"):
        argv = ["train", "echo", "--cell", "rnn", "--delay", "2", "--epochs", "2"]
        assert main([*argv, "--backend", backend]) == 0
        outputs.append(capsys.readouterr().out)
    assert "backend: tape" in outputs[1] and "backend:" not in outputs[0]
    lines = [re.findall(r"^(?:epoch|test accuracy).*$", out, re.MULTILINE) for out in outputs]
    assert lines[0] == lines[1] and len(lines[0]) == 3


@pytest.mark.slow
@pytest.mark.parametrize(("cell", "epochs"), [("rnn", 10), ("lstm", 4)])
def test_the_echo_recipes_end_on_the_same_numbers(cell: str, epochs: int) -> None:
    """The RNN's whole recipe; the LSTM's first 4 of its 10 epochs. After its loss jumps
    (epoch 5: 0.46 -> 0.60) the LSTM's training amplifies rounding about 30-fold per
    epoch: the scalar engine itself, one initial weight moved by one ulp, ends its 10
    epochs 4e-5 away in loss (measured; a parameter 0.7% away), and the tape, whose sums
    and matrix products round in another order, 3e-4 to 5e-4 (a parameter up to 11%).
    A difference of rounding, not of rules."""
    runs = [tasks.prepare_task("echo", cell=cell, epochs=epochs) for _ in range(2)]
    histories = [run.fit(backend=b) for run, b in zip(runs, ["scalar", "tape"])]
    losses = [[e.loss for e in h] for h in histories]
    assert close(losses[0], losses[1], 1e-9)
    params = [[p.data for p in run.model.parameters()] for run in runs]
    assert close(params[0], params[1], 1e-9)


@pytest.mark.slow
def test_train_digits_on_the_tape_reaches_the_recipes_accuracy(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["train", "digits", "--backend", "tape"]) == 0
    (accuracy,) = re.findall(r"^test accuracy ([\d.]+)%", capsys.readouterr().out, re.MULTILINE)
    assert float(accuracy) >= 95.0


# --- a convolution fused into one matrix product ---


def small_cnn(seed: int) -> Sequential:
    """Two input channels, stride 2 and padding 1: border positions have fewer taps."""
    rng = random.Random(seed)
    return Sequential(
        Conv2d(2, 3, 3, stride=2, padding=1, seed=rng),
        ReLU(),
        MaxPool2d(2),
        Flatten(),
        Linear(3 * 2 * 2, 4, seed=rng),
    )


def image_inputs(channels: int, size: int) -> tuple[list[list[list[Value]]], list[Value]]:
    image = [
        [[Value(0.0, label=f"x{c}{i}{j}") for j in range(size)] for i in range(size)]
        for c in range(channels)
    ]
    return image, [v for plane in image for row in plane for v in row]


def cnn_tape(seed: int) -> tuple[Sequential, Any, list[Value]]:
    model = small_cnn(seed)
    image, flat = image_inputs(2, 7)
    return model, accel.compile(model(image), flat, params=model.parameters()), flat


def test_a_convolution_is_one_matrix_product_over_its_positions_and_keeps_every_mac() -> None:
    _, tape, _ = cnn_tape(0)
    fused = fusion.fuse(tape)
    products = fusion.layers(fused)
    # conv: 3 filters of 2x3x3 at 4x4 positions; linear 4x12.
    assert [p.shape for p in products] == ["3x18 at 16 positions", "4x12"]
    assert fused.macs == tape.macs
    # A 7x7 image padded by 1, stride 2: of the 16 positions' 9 taps, the 4 corners lose
    # 5 to the padding, the 8 other border positions 3, the 4 inner ones none.
    assert products[0].padding_macs == 3 * 2 * (4 * 5 + 8 * 3)
    before, after = fusion.compare(tape, fused).splitlines()
    assert before == f"before: {len(tape.instructions)} instructions, {tape.macs} MACs"
    assert after.startswith(f"after:  {len(fused.instructions)} instructions, {tape.macs} MACs")
    assert "im2col[18x16]" in str(fused)
    lowered = fusion.vectorize(fused)
    # conv, relu (48 as one), max (12 as one), linear.
    assert [type(s).__name__ for s in lowered.instructions] == [
        "MatMul",
        "Vector",
        "Vector",
        "MatMul",
    ]
    assert "relu x48" in str(lowered) and "max x12" in str(lowered)


@pytest.mark.parametrize("seed", [0, 1])
def test_fused_unfused_and_scalar_cnn_gradients_agree_to_1e_12(seed: int) -> None:
    model, tape, _ = cnn_tape(seed)
    params = model.parameters()
    rng = random.Random(seed)
    samples = [[rng.uniform(-1, 1) for _ in range(2 * 7 * 7)] for _ in range(6)]
    cotangents = [[rng.uniform(-1, 1) for _ in range(4)] for _ in samples]
    # The scalar engine: each sample's graph, backward from sum(cotangent * score).
    for p in params:
        p.grad = 0.0
    scores, input_grads = [], []
    for numbers, weights in zip(samples, cotangents):
        image, flat = image_inputs(2, 7)
        for v, x in zip(flat, numbers):
            v.data = x
        out = model(image)
        sum(w * s for w, s in zip(weights, out)).backward()
        scores.append([s.data for s in out])
        input_grads.append([v.grad for v in flat])
    want_params = [p.grad for p in params]
    vector = np.array([p.data for p in params])
    fused = fusion.fuse(tape)
    for program in (tape, fused, fusion.vectorize(fused), fusion.vectorize(tape)):
        values, pullback = program.vjp(*np.array(samples).T, params=vector, summed=True)
        grads = pullback(list(np.array(cotangents).T))
        assert close(np.array(values).T.ravel().tolist(), np.ravel(scores).tolist(), 1e-12)
        assert close(grads[-1].tolist(), want_params, 1e-12)
        # An input's gradient sums up to 27 paths (taps x filters) that may cancel: it is
        # exact to 1e-12 of the largest one, not of itself (the order of the sum differs).
        got_inputs, want_inputs = np.array(grads[:-1]).T, np.array(input_grads)
        assert np.abs(got_inputs - want_inputs).max() <= 1e-12 * np.abs(want_inputs).max()


@pytest.mark.parametrize(("cell", "rows"), [("rnn", 4), ("lstm", 16)])
def test_each_recurrent_step_is_one_matrix_product_with_both_biases(cell: str, rows: int) -> None:
    model = tasks.echo_model(cell, seed=4)
    steps = [[Value(0.0, label=f"x{t}")] for t in range(5)]
    inputs = [x for (x,) in steps]
    tape = accel.compile(model(steps), inputs, params=model.parameters())
    fused = fusion.fuse(tape)
    # The first step has no state yet (x alone; the LSTM's forget rows are unused);
    # each later one reads x and the 4 units of h. Then the Linear layer.
    first = 12 if cell == "lstm" else 4
    shapes = [f"{first}x1", *[f"{rows}x5"] * 4, "2x4"]
    assert [p.shape for p in fusion.layers(fused)] == shapes
    assert fused.macs == tape.macs
    assert " + b + b" in str(fused)  # bias_ih + bias_hh
    samples = np.random.default_rng(4).choice([-1.0, 1.0], (5, 7))
    vector = np.array([p.data for p in model.parameters()])
    results = []
    for program in (tape, fused, fusion.vectorize(fused)):
        values, pullback = program.vjp(*samples, params=vector, summed=True)
        results.append((np.array(values), pullback([1.0, -0.5])[-1]))
    for values, grads in results[1:]:
        assert close(values.ravel().tolist(), results[0][0].ravel().tolist(), 1e-12)
        assert close(grads.tolist(), results[0][1].tolist(), 1e-12)


def test_vjp_with_ones_is_value_and_grad() -> None:
    image, flat = image_inputs(2, 7)
    tape = accel.compile(small_cnn(2)(image), flat)
    rng = np.random.default_rng(0)
    inputs = list(rng.uniform(-1, 1, (98, 5)))
    values, grads = tape.value_and_grad(*inputs, summed=False)
    same_values, pullback = tape.vjp(*inputs)
    assert all((a == b).all() for a, b in zip(values, same_values))
    assert all((a == b).all() for a, b in zip(grads, pullback([1.0] * 4)))
    with pytest.raises(ValueError, match=r"one cotangent per output \(4\), got 3"):
        pullback([1.0] * 3)
    with pytest.raises(ValueError, match="wrt_inputs=False needs the parameters"):
        tape.vjp(*inputs, wrt_inputs=False)


@pytest.mark.parametrize("lowered", [False, True], ids=["tape", "fused"])
def test_a_training_step_may_skip_the_inputs_gradients(lowered: bool) -> None:
    _, tape, _ = cnn_tape(3)
    program = fusion.vectorize(fusion.fuse(tape)) if lowered else tape
    vector = np.array([p.data for p in small_cnn(3).parameters()])
    inputs = list(np.random.default_rng(1).uniform(-1, 1, (98, 5)))
    cotangents = [np.linspace(-1.0, 1.0, 5)] * 4
    _, every = program.vjp(*inputs, params=vector, summed=True)
    _, parameters_only = program.vjp(*inputs, params=vector, summed=True, wrt_inputs=False)
    grads = every(cotangents)
    (vector_grad,) = parameters_only(cotangents)
    assert len(grads) == 99 and (vector_grad == grads[-1]).all()


# --- max on the tape: the winner of each sample, PyTorch's tie rule ---


def test_max_on_the_tape_sends_each_samples_gradient_to_its_own_winner() -> None:
    a, b, c = (Value(0.0, label=name) for name in "abc")
    program = accel.compile(vmax([a, b, c]) * 2.0, [a, b, c])
    rows = [
        (1.0, 3.0, 2.0),
        (3.0, 3.0, 1.0),  # a tie: the first largest wins
        (0.0, 0.0, 0.0),  # a relu's zeros: the first
        (1.0, 2.0, 2.0),
        (math.nan, 5.0, math.nan),  # NaN: the last NaN wins, as PyTorch's kernel
        (-1.0, -2.0, -0.5),
    ]
    values, grads = program.value_and_grad(*np.array(rows).T)
    for k, row in enumerate(rows):
        xs = [Value(x) for x in row]
        out = vmax(xs) * 2.0
        out.backward()
        assert values[k] == out.data or (math.isnan(values[k]) and math.isnan(out.data))
        assert [float(g[k]) for g in grads] == [x.grad for x in xs], row
    assert [float(g[1]) for g in grads] == [2.0, 0.0, 0.0]
    assert [float(g[4]) for g in grads] == [0.0, 0.0, 2.0]


def test_a_vectorized_step_outside_its_domain_names_the_sample() -> None:
    x = Value(1.0, label="x")
    program = fusion.vectorize(accel.compile([(x * 2.0).log(), (x + 1.0).log()], [x]))
    assert any(isinstance(s, fusion.Vector) for s in program.instructions)
    with pytest.raises(ValueError, match=r"log.*batch sample 1"):
        program(np.array([1.0, -0.75, 2.0]))


# --- what a tape cannot replay ---


class Branchy(Sequential):
    """Takes another path where the first pixel is negative: control flow on the data."""

    def __call__(self, x: Any) -> Any:
        out = super().__call__(x)
        first = x[0][0][0]
        return [s.tanh() for s in out] if first.data < 0 else out


class ReadsTheData(Sequential):
    """Scales the scores by a number read off the data: a constant that changes per sample."""

    def __call__(self, x: Any) -> Any:
        out = super().__call__(x)
        return [s * x[0][0][0].data for s in out]


@pytest.mark.parametrize(
    ("model_class", "message"),
    [(Branchy, "different program"), (ReadsTheData, "reads numbers off the data")],
)
def test_a_model_the_tape_cannot_replay_is_refused_before_training(
    model_class: type[Sequential], message: str
) -> None:
    model = model_class(Flatten(), Linear(4, 2, seed=1))
    X = [[[[-1.0, 0.5], [0.3, 0.1]]], [[[2.0, -0.5], [0.5, 0.2]]]]
    params_before = [p.data for p in model.parameters()]
    with pytest.raises(UnreplayableModelError, match=message):
        TapeBackend().step_batch(model, X, [0, 1], [0, 1])
    assert [p.data for p in model.parameters()] == params_before
    assert all(p.grad == 0.0 for p in model.parameters())


def test_the_tape_trains_modules_only() -> None:
    with pytest.raises(TypeError, match="the tape trains a Module, got function"):
        TapeBackend().step_batch(lambda x: x, [[1.0], [2.0]], [0, 1], [0, 1])
