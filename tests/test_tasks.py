"""The digits CNN and the echo task: data, mini-batch training, and the command line.

The two slow tests train the real default recipes (tens of seconds each: see
docs/guide/cnn-rnn.md for the measured times); the suite runs them in CI.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from autograd.cli import main
from autograd.nn import Adam, Sequential, tasks
from autograd.nn.images import digits, flatten_images, show


def test_digits_are_balanced_seeded_and_shaped_for_conv2d() -> None:
    X, y = digits(30, seed=1)
    assert y == [k % 10 for k in range(30)]
    assert (len(X[0]), len(X[0][0]), len(X[0][0][0])) == (1, 8, 8)
    assert digits(30, seed=1)[0] == X
    assert digits(30, seed=2)[0] != X
    assert len(flatten_images(X)[0]) == 64
    assert len(show(X[0]).splitlines()) == 8
    with pytest.raises(ValueError, match="size must be an int >= 8"):
        digits(3, size=5)


def test_two_samples_of_one_digit_differ() -> None:
    X, y = digits(20, seed=0)
    assert y[3] == y[13] == 3 and X[3] != X[13]


def test_echo_labels_are_the_first_input() -> None:
    X, y = tasks.echo_data(50, 7, seed=0)
    assert all(len(x) == 8 and (x[0][0] > 0) == bool(c) for x, c in zip(X, y))
    assert 10 < sum(y) < 40  # both signs, about half each
    with pytest.raises(ValueError, match="delay must be"):
        tasks.echo_data(5, -1)


def test_fit_batches_lowers_the_loss() -> None:
    X, y = digits(40, seed=0)
    model = tasks.digits_cnn(seed=0, channels=2)
    history = tasks.fit_batches(model, X, y, Adam(model.parameters(), lr=0.05), 3, 8)
    assert history[-1].loss < history[0].loss
    assert len(history) == 3 and 0 <= history[-1].accuracy <= 1


def test_train_echo_prints_progress_saves_and_states_the_test_accuracy(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "rnn.json"
    args = ["train", "echo", "--cell", "rnn", "--delay", "3", "--epochs", "2", "--save", str(path)]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "echo rnn, delay 3 (seed 0): RNN(1, 4) -> LastStep() -> Linear" in out
    assert re.findall(r"^epoch (\d+)", out, re.MULTILINE) == ["1", "2"]
    assert re.search(r"test accuracy \d+\.\d% \(\d+/200\)\n$", out)
    assert len(Sequential.load(path).parameters()) == 38


def test_train_task_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["train", "digits", "--hidden", "4"]) == 2
    assert "--hidden" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["train", "echo", "--delay", "-1"])


def _test_accuracy(out: str) -> float:
    *_, last = out.strip().splitlines()
    match = re.fullmatch(r"test accuracy (\d+\.\d)% \(\d+/\d+\)", last)
    assert match, last
    return float(match.group(1))


@pytest.mark.slow
def test_train_digits_reaches_95_percent_and_beats_a_linear_model(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["train", "digits"]) == 0
    cnn = _test_accuracy(capsys.readouterr().out)
    assert cnn >= 95.0
    run = tasks.prepare_task("digits")
    run.model = tasks.digits_linear(seed=0)
    run.optimizer = Adam(run.model.parameters(), lr=0.01)
    run.fit()
    assert run.test_accuracy() * 100 <= cnn - 3.0  # clearly worse


@pytest.mark.slow
def test_an_lstm_remembers_a_delay_at_which_an_rnn_stays_at_chance(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["train", "echo", "--cell", "lstm", "--delay", "12"]) == 0
    assert _test_accuracy(capsys.readouterr().out) >= 90.0
    assert main(["train", "echo", "--cell", "rnn", "--delay", "12"]) == 0
    assert 35.0 <= _test_accuracy(capsys.readouterr().out) <= 65.0
