"""`python -m autograd train`: progress lines, final accuracy, saving, usage errors."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from autograd.cli import main
from autograd.nn import MLP


def test_train_xor_prints_the_loss_and_final_accuracy(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["train", "xor"]) == 0
    out = capsys.readouterr().out
    assert "MLP(2 -> 3 sigmoid -> 1 sigmoid; 13 parameters)" in out
    epochs = re.findall(r"^epoch +(\d+)  loss (\d\.\d+)", out, re.MULTILINE)
    assert [int(e) for e, _ in epochs] == [1, *range(500, 5001, 500)]
    losses = [float(loss) for _, loss in epochs]
    assert losses[0] == pytest.approx(0.73, abs=0.01)
    assert losses[-1] < 0.05
    assert "after the last update: loss 0.04" in out and "training accuracy 100.0% (4/4)" in out


def test_options_change_the_run(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "model.json"
    args = ["train", "xor", "--epochs", "20", "--lr", "0.5", "--hidden", "4,2"]
    assert main([*args, "--every", "5", "--seed", "3", "--save", str(path)]) == 0
    out = capsys.readouterr().out
    assert "2 -> 4 sigmoid -> 2 sigmoid -> 1 sigmoid" in out and "lr 0.5" in out
    assert re.findall(r"^epoch +(\d+)", out, re.MULTILINE) == ["1", "5", "10", "15", "20"]
    assert f"saved to {path}" in out
    model = MLP.load(path)
    assert model.sizes == [4, 2, 1]


def test_the_same_seed_gives_the_same_run(capsys: pytest.CaptureFixture[str]) -> None:
    main(["train", "moons", "--epochs", "2", "--seed", "4"])
    first = capsys.readouterr().out
    main(["train", "moons", "--epochs", "2", "--seed", "4"])
    assert capsys.readouterr().out == first


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["train"], "required: dataset"),
        (["train", "mnist"], "invalid choice: 'mnist'"),
        (["train", "xor", "--lr", "0"], "--lr: must be a finite number > 0"),
        (["train", "xor", "--lr", "nan"], "--lr: must be a finite number > 0"),
        (["train", "xor", "--lr", "fast"], "--lr: expected a number"),
        (["train", "xor", "--epochs", "-3"], "--epochs: must be at least 1"),
        (["train", "xor", "--hidden", "3,,2"], "--hidden: expected a whole number"),
        (["train", "xor", "--save", "/no/such/dir/m.json"], "no directory /no/such/dir"),
    ],
)
def test_usage_errors_exit_2_without_a_traceback(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    try:
        code = main(args)
    except SystemExit as stop:  # argparse's own errors
        code = stop.code  # type: ignore[assignment]
    err = capsys.readouterr().err
    assert code == 2
    assert message in err
    assert "Traceback" not in err


def test_save_to_a_directory_is_refused_before_training(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["train", "xor", "--save", str(tmp_path)]) == 2
    captured = capsys.readouterr()
    assert "is a directory" in captured.err
    assert "epoch" not in captured.out


def test_python_dash_m_runs_it() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "autograd", "train", "circles", "--epochs", "3", "--every", "1"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("\nepoch ") == 3
    assert "after the last update: loss" in done.stdout


def test_save_and_html_to_one_file_is_refused_before_training(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    model = tmp_path / "run.json"
    model.write_text("a model the user keeps")
    (tmp_path / "alias.json").symlink_to(model)
    for page in (model, tmp_path / "alias.json"):
        assert main(["train", "xor", "--save", str(model), "--html", str(page)]) == 2
        err = capsys.readouterr().err
        assert "--save and --html both name" in err and "epoch" not in err
    assert model.read_text() == "a model the user keeps"
