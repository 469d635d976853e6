"""The expression parser: what it builds, and everything it refuses (never eval)."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pytest
from optional import require, require_program

from autograd import topological_order
from autograd.cli import main
from autograd.cli.parser import ExpressionError, build, variables


def sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z))


def test_the_neuron_of_the_notes_by_hand() -> None:
    y = build("sigmoid(x*w + b)", {"x": 0.6, "w": 0.8, "b": 0.2})
    y.backward()
    s = sigmoid(0.6 * 0.8 + 0.2)
    assert math.isclose(y.data, s, rel_tol=1e-15)
    leaves = {v.label: v for v in topological_order([y]) if v.is_leaf}
    assert set(leaves) == {"x", "w", "b"}
    assert math.isclose(leaves["x"].grad, s * (1 - s) * 0.8, rel_tol=1e-14)
    assert math.isclose(leaves["b"].grad, s * (1 - s), rel_tol=1e-14)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("-x ** 2", -4.0),  # Python's precedence: -(x ** 2)
        ("2 ** -x", 0.25),
        ("x * x + x", 6.0),
        ("leaky_relu(-x, 0.1) + abs(-x)", 1.8),
        ("exp(0) * x + +x", 4.0),
        ("log(x) / sqrt(x)", math.log(2) / math.sqrt(2)),
        ("2 * 3", 6.0),
    ],
)
def test_operators_and_functions(text: str, expected: float) -> None:
    values = {"x": 2.0} if "x" in variables(text) else {}
    assert math.isclose(build(text, values).data, expected, rel_tol=1e-15)


def test_a_variable_used_twice_is_one_leaf() -> None:
    y = build("x * x", {"x": 3.0})
    assert y.parents[0] is y.parents[1]
    assert variables("b * exp(a) + a") == ["b", "a"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("__import__('os')", "unsupported function `__import__`"),
        ("x.real", "unsupported attribute access `x.real`"),
        ("os.system('ls')", "unsupported attribute access `os.system`"),
        ("x + y", "unknown name `y`"),
        ("(lambda: 0)()", "unsupported lambda `lambda: 0`"),
        ("lambda: x", "unsupported lambda `lambda: x`"),
        ("open('f')", "unsupported function `open`"),
        ("x // 2", "unsupported operator `//`"),
        ("x if x else 1", "unsupported conditional expression"),
        ("[x][0]", "unsupported indexing"),
        ("x < 1", "unsupported comparison"),
        ("'a' + x", "unsupported constant `'a'`"),
        ("True * x", "unsupported constant `True`"),
        ("1j * x", "unsupported constant `1j`"),
        ("exp(x, 2)", "exp() takes 1 argument"),
        ("leaky_relu(x, slope=0.1)", "no keyword arguments"),
        ("leaky_relu(x, x)", "only its first argument"),
        ("exp + x", "`exp` is a function"),
        ("x +", "not a valid expression"),
        ("log(x - 1)", "log: the operand must be > 0"),
        ("x / 0", "division by zero"),
        ("(" * 300 + "x" + ")" * 300, "not a valid expression: too many nested parentheses"),
        ("+".join(["x"] * 50_000), "too long or nested too deeply"),
        ("-" * 100_000 + "x", "too long or nested too deeply"),
    ],
)
def test_anything_else_is_refused_naming_the_part(text: str, message: str) -> None:
    with pytest.raises(ExpressionError, match=None) as error:
        build(text, {"x": 1.0})
    assert message in str(error.value)


def test_every_value_must_be_used() -> None:
    with pytest.raises(ExpressionError, match="z given a value but not used"):
        build("x + 1", {"x": 1.0, "z": 2.0})


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "autograd", *args], capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("__import__('os')", "unsupported function `__import__`"),
        ("x.__class__", "unsupported attribute access `x.__class__`"),
        ("x + secret", "unknown name `secret`"),
        ("(lambda: x)()", "unsupported lambda `lambda: x`"),
    ],
)
@pytest.mark.parametrize("command", ["draw", "step"])
def test_the_cli_refuses_with_a_message_and_exit_code_2(
    command: str, text: str, message: str
) -> None:
    done = run_cli(command, text, "--set", "x=1")
    assert done.returncode == 2
    assert message in done.stderr and "Traceback" not in done.stderr
    assert done.stdout == ""


def test_step_prints_the_chain_rule_with_numbers(capsys) -> None:
    assert main(["step", "sigmoid(x*w + b)", "--set", "x=0.6", "w=0.8", "--set", "b=0.2"]) == 0
    out = capsys.readouterr().out.splitlines()
    s = sigmoid(0.68)
    d = s * (1 - s)
    assert out[0] == f"sigmoid(x*w + b) = {s:.4g}"
    assert f"  dL/dx = dL/dv1 * dv1/dx = {d:.4g} * 0.8 = {d * 0.8:.4g}" in out
    assert out[-1] == f"gradients: dL/dx = {d * 0.8:.4g}, dL/dw = {d * 0.6:.4g}, dL/db = {d:.4g}"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["x", "--set", "x"], "NAME=VALUE"),
        (["x", "--set", "x=abc"], "not a number"),
        (["x", "--set", "x=1", "y=2"], "y given a value but not used"),
        (["x", "--set", "x=1", "--format", "?"], "number format"),
    ],
)
def test_bad_settings_are_usage_errors(args: list[str], message: str, capsys) -> None:
    assert main(["step", *args]) == 2
    assert message in capsys.readouterr().err


def test_draw_prints_dot_text_or_writes_a_picture(tmp_path: Path, capsys) -> None:
    require("graphviz")
    assert main(["draw", "relu(x*w - 1)", "--set", "x=0.6", "w=0.8", "--rankdir", "TB"]) == 0
    dot_text = capsys.readouterr().out
    assert dot_text.startswith("digraph") and "rankdir=TB" in dot_text
    assert "<b>x</b></td><td>data 0.6</td><td>grad 0</td>" in dot_text  # a dead ReLU
    assert main(["draw", "x*w", "--set", "x=0.6", "w=0.8", "--no-grad"]) == 0
    assert "grad" not in capsys.readouterr().out.replace("autograd", "")
    require_program("dot")
    target = tmp_path / "graph.svg"
    assert main(["draw", "x*w", "--set", "x=0.6", "w=0.8", "-o", str(target)]) == 0
    assert f"wrote {target}" in capsys.readouterr().out
    assert "<svg" in target.read_text()


def test_draw_without_dot_explains_how_to_install_it(tmp_path: Path, monkeypatch, capsys) -> None:
    require("graphviz")
    monkeypatch.setenv("PATH", str(tmp_path))
    assert main(["draw", "x*w", "--set", "x=0.6", "w=0.8", "-o", str(tmp_path / "g.svg")]) == 1
    assert "apt-get install graphviz" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
