"""Training end to end: the source documents' XOR network and micrograd's moons demo."""

from __future__ import annotations

import itertools
import math

import pytest

from autograd import Value, no_grad
from autograd.nn import MLP, losses
from autograd.nn.data import moons, xor
from autograd.nn.optim import SGD
from autograd.nn.train import RECIPES, prepare


def test_xor_as_in_the_source_document() -> None:
    """2-3-1, sigmoid hidden and output, BCE, SGD lr 0.1, 5000 full-batch epochs, seed 0.

    Written out as a learner would, without the train module, so it checks the pieces.
    """
    X, y = xor()
    model = MLP(2, [3, 1], activation="sigmoid", output_activation="sigmoid")  # seed 0
    optimizer = SGD(model.parameters(), lr=0.1)
    history = []
    for _ in range(5000):
        loss = losses.binary_cross_entropy([model(x) for x in X], y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        history.append(loss.data)
    with no_grad():
        outputs = [model(x) for x in X]
        final = losses.binary_cross_entropy(outputs, y).data
    assert history[0] == pytest.approx(0.7, abs=0.05)  # near ln 2: every output near 0.5
    assert final < 0.05
    assert [round(o.data) for o in outputs if isinstance(o, Value)] == [0, 1, 1, 0]
    assert all(b <= a + 1e-12 for a, b in itertools.pairwise(history))  # it only went down


def test_the_xor_recipe_is_the_same_training() -> None:
    run = prepare("xor", epochs=300)
    history = run.fit()
    model = MLP(2, [3, 1], "sigmoid", "sigmoid")
    optimizer = SGD(model.parameters(), lr=0.1)
    X, y = xor()
    for record in history:
        loss = losses.binary_cross_entropy([model(x) for x in X], y)
        assert record.loss == loss.data
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    assert run.model.state_dict() == model.state_dict()


@pytest.mark.slow
def test_micrograd_moons_demo_reaches_full_training_accuracy() -> None:
    """micrograd's demo.ipynb: 100 moons (noise 0.1), MLP 2-16-16-1 relu, hinge loss
    plus 1e-4 L2, SGD with lr 1.0 - 0.9 k / 100, 100 full-batch steps."""
    X, y = moons(100, noise=0.1)
    targets = [2.0 * c - 1.0 for c in y]
    model = MLP(2, [16, 16, 1])  # relu hidden, linear output, as micrograd's
    optimizer = SGD(model.parameters(), lr=1.0)
    for k in range(100):
        scores = [model(x) for x in X]
        loss = losses.hinge(scores, targets) + 1e-4 * losses.l2(model.parameters())
        optimizer.zero_grad()
        loss.backward()
        optimizer.lr = 1.0 - 0.9 * k / 100
        optimizer.step()
    with no_grad():
        scores = [model(x) for x in X]
    right = sum((s.data > 0) == (t > 0) for s, t in zip(scores, targets) if isinstance(s, Value))
    assert right == 100


def test_recipes_build_the_advertised_networks() -> None:
    assert repr(prepare("moons").model).startswith("MLP(2 -> 16 relu -> 16 relu -> 1 linear")
    assert repr(prepare("spiral", hidden=[4]).model).startswith("MLP(2 -> 4 relu -> 3 linear")
    assert set(RECIPES) == {"xor", "moons", "circles", "spiral"}


@pytest.mark.parametrize(("name", "hidden"), [("circles", None), ("spiral", [8, 8])])
def test_other_recipes_learn(name: str, hidden: list[int] | None) -> None:
    run = prepare(name, epochs=30, hidden=hidden)
    history = run.fit()
    loss, accuracy = run.evaluate()
    assert loss < 0.5 * history[0].loss
    assert accuracy > 0.8


def test_the_moons_recipe_decays_the_rate_and_counts_l2() -> None:
    run = prepare("moons", epochs=4)
    history = run.fit()
    assert run.optimizer.lr == pytest.approx(1.0 * (1 - 0.9 * 3 / 4))
    loss, _ = run.evaluate()
    model, X, y = run.model, run.X, run.y
    data_loss = losses.hinge([model(x) for x in X], [2 * c - 1 for c in y]).data
    l2 = sum(p.data**2 for p in model.parameters())
    assert loss == pytest.approx(data_loss + 1e-4 * l2, rel=1e-12)
    assert all(math.isfinite(r.loss) for r in history)
