"""Training through the compiled tape, and the fusion pass: the same numbers as the scalar
engine (to 1e-9 after training, to 1e-12 for one gradient), and refusals that say why."""

from __future__ import annotations

import random
import re
from collections.abc import Sequence

import pytest
from optional import require

from autograd import Value
from autograd.nn import MLP
from autograd.nn.train import RECIPES, ScalarBackend, backend_named, prepare

np = require("numpy")
accel = require("autograd.accel")  # after numpy: it needs numpy
fuse = require("autograd.accel.fusion")
from autograd.accel.train import TapeBackend, UnreplayableModelError  # noqa: E402
from autograd.cli import main  # noqa: E402

REL = 1e-9

# Fewer epochs than the recipes (the defaults run in the CLI test below, marked slow).
EPOCHS = {"xor": 300, "moons": 15, "circles": 20, "spiral": 8}


def trained(name: str, backend: str | TapeBackend, epochs: int) -> tuple[list[float], list[float]]:
    run = prepare(name, epochs=epochs)
    history = run.fit(backend=backend)
    return [e.loss for e in history] + [run.evaluate()[0]], [p.data for p in run.model.parameters()]


def close(a: Sequence[float], b: Sequence[float], rel: float) -> bool:
    return len(a) == len(b) and all(
        abs(x - y) <= rel * max(abs(x), abs(y)) + 1e-300 for x, y in zip(a, b)
    )


@pytest.mark.parametrize("name", sorted(EPOCHS))
@pytest.mark.parametrize("fused", [True, False], ids=["fused", "unfused"])
def test_the_tape_trains_to_the_scalar_engines_numbers(name: str, fused: bool) -> None:
    losses, params = trained(name, "scalar", EPOCHS[name])
    tape_losses, tape_params = trained(name, TapeBackend(fuse=fused), EPOCHS[name])
    assert close(losses, tape_losses, REL), (losses, tape_losses)
    assert close(params, tape_params, REL)
    assert losses[-1] < losses[0]  # it did train


def test_every_recipe_is_checked_here() -> None:
    assert set(EPOCHS) == set(RECIPES)


def test_the_backends_by_name() -> None:
    assert isinstance(backend_named("scalar"), ScalarBackend)
    assert isinstance(backend_named("tape"), TapeBackend)  # registered by autograd.accel
    with pytest.raises(ValueError, match=r"unknown backend 'gpu'.*scalar, tape"):
        backend_named("gpu")


@pytest.mark.slow
def test_the_command_line_prints_the_same_final_loss_with_either_backend(
    capsys: pytest.CaptureFixture[str],
) -> None:
    finals = []
    for backend in ("scalar", "tape"):
        assert main(["train", "moons", "--backend", backend]) == 0
        out = capsys.readouterr().out
        finals.append(re.findall(r"^after the last update: .*$", out, re.MULTILINE))
    assert finals[0] == finals[1] and len(finals[0]) == 1


@pytest.mark.slow
@pytest.mark.parametrize("name", ["moons", "circles", "spiral"])
def test_the_recipes_full_runs_end_on_the_same_numbers(name: str) -> None:
    epochs = RECIPES[name].epochs
    losses, params = trained(name, "scalar", epochs)
    tape_losses, tape_params = trained(name, "tape", epochs)
    assert close(losses, tape_losses, REL)
    assert close(params, tape_params, REL)


def test_the_command_line_takes_the_backend(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["train", "circles", "--epochs", "3", "--backend", "tape"]) == 0
    assert "backend: tape" in capsys.readouterr().out


# --- what a tape cannot replay ---


class Branchy(MLP):
    """Takes another path where the first feature is negative: control flow on the data."""

    def __call__(self, x: Sequence[float | Value]) -> Value | list[Value]:
        out = super().__call__(x)
        first = x[0].data if isinstance(x[0], Value) else x[0]
        return out.tanh() if first < 0 else out  # type: ignore[union-attr]


class ReadsTheData(MLP):
    """Multiplies by a number read off the data: a constant that changes per sample."""

    def __call__(self, x: Sequence[float | Value]) -> Value | list[Value]:
        out = super().__call__(x)
        first = x[0].data if isinstance(x[0], Value) else x[0]
        return out * first  # type: ignore[operator]


@pytest.mark.parametrize(
    ("model_class", "message"),
    [(Branchy, "different program"), (ReadsTheData, "reads numbers off the data")],
)
def test_a_model_the_tape_cannot_replay_is_refused_before_training(
    model_class: type[MLP], message: str
) -> None:
    run = prepare("moons", epochs=2)
    model = model_class(2, [4, 1], activation="relu", output_activation="linear", seed=1)
    X = [[-1.0, 0.5], [0.3, 0.1], [2.0, -0.5], [0.5, 0.2]]  # each class: negative, positive
    y = [0, 1, 0, 1]
    params_before = [p.data for p in model.parameters()]
    with pytest.raises(UnreplayableModelError, match=message):
        TapeBackend().step(model, X, y, run.recipe.objective, 0.0)
    assert [p.data for p in model.parameters()] == params_before
    assert all(p.grad == 0.0 for p in model.parameters())


# --- the fusion pass ---


def mlp_tape(seed: int) -> tuple[MLP, object, list[Value]]:
    model = MLP(2, [16, 16, 1], activation="relu", output_activation="linear", seed=seed)
    x = [Value(0.0, label="x1"), Value(0.0, label="x2")]
    params = model.parameters()
    return model, accel.compile(model(x), x, params=params), params


def test_fusing_makes_one_matrix_product_per_layer_and_keeps_every_mac() -> None:
    _, tape, _ = mlp_tape(0)
    fused = fuse.fuse(tape)
    assert [p.weights.shape for p in fuse.layers(fused)] == [(16, 2), (16, 16), (1, 16)]
    assert fused.macs == tape.macs == 16 * 2 + 16 * 16 + 16
    assert len(fused.instructions) == 3 + 32  # three products and the 32 relus
    assert fuse.compare(tape, fused).splitlines() == [
        f"before: {len(tape.instructions)} instructions, 304 MACs",
        "after:  35 instructions, 304 MACs (3 matrix products: 16x2, 16x16, 1x16)",
    ]
    assert "matmul W[16x16]" in str(fused)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_fused_unfused_and_scalar_gradients_agree_to_1e_12(seed: int) -> None:
    model, tape, params = mlp_tape(seed)
    fused = fuse.fuse(tape)
    rng = random.Random(seed)
    points = [[rng.uniform(-2, 2), rng.uniform(-2, 2)] for _ in range(40)]
    features = np.array(points).T
    vector = np.array([p.data for p in params])
    results = [t.value_and_grad(*features, params=vector, summed=True) for t in (tape, fused)]
    # The scalar engine: each sample's graph, the parameters' grads accumulating.
    for p in params:
        p.grad = 0.0
    outputs, input_grads = [], []
    for a, b in points:
        x = [Value(a), Value(b)]
        out = model(x)
        out.backward()
        outputs.append(out.data)
        input_grads.append([x[0].grad, x[1].grad])
    scalar_params = [p.grad for p in params]
    for values, grads in results:
        assert close(values.tolist(), outputs, 1e-12)
        assert close(grads[-1].tolist(), scalar_params, 1e-12)
        assert close(np.array(grads[:2]).T.ravel().tolist(), np.ravel(input_grads).tolist(), 1e-12)


def test_a_fused_tape_wants_parameter_gradients_summed() -> None:
    _, tape, params = mlp_tape(0)
    fused = fuse.fuse(tape)
    with pytest.raises(ValueError, match="summed=True"):
        fused.value_and_grad(np.zeros(3), np.zeros(3), *[p.data for p in params])
    with pytest.raises(ValueError, match="one number"):
        fused(np.zeros(3), np.zeros(3), *[np.zeros(3) for _ in params])


def test_what_is_not_a_layer_is_left_as_it_was() -> None:
    a, b, w = Value(1.0, label="a"), Value(2.0, label="b"), Value(0.5, label="w")
    from autograd import sum as vsum

    # products of two inputs (no parameter) and a product used twice: nothing to fuse
    ab = a * b
    tape = accel.compile(vsum([ab, a * w]) + ab, [a, b], params=[w])
    assert fuse.fuse(tape).instructions == tape.instructions


def test_parameters_given_as_one_vector_reach_instructions_and_outputs() -> None:
    x, w, b = Value(0.0, label="x"), Value(9.0, label="w"), Value(9.0, label="b")
    tape = accel.compile([x * w + b, b], [x], params=[w, b])
    assert "parameter w" in str(tape) and "1 input, 2 parameters" in str(tape)
    (y, out_b), (dx, dparams) = tape.value_and_grad(
        np.array([1.0, 2.0, 3.0]), params=[2.0, 1.0], summed=True
    )
    assert y.tolist() == [3.0, 5.0, 7.0] and out_b.tolist() == [1.0, 1.0, 1.0]
    assert dx.tolist() == [2.0, 2.0, 2.0]
    assert dparams.tolist() == [6.0, 6.0]  # d/dw: sum of x; d/db: 3 samples, two outputs
    # The same, each parameter given as an argument of its own.
    _, grads = tape.value_and_grad(np.array([1.0, 2.0, 3.0]), 2.0, 1.0, summed=True)
    assert [g.tolist() for g in grads] == [[2.0, 2.0, 2.0], 6.0, 6.0]
