"""`python -m autograd demo`: the README's main job trains, draws and steps, all checked."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from optional import require, require_program

from autograd.cli import demo

ROOT = Path(__file__).resolve().parent.parent


def test_the_demo_trains_xor_draws_it_and_steps_through_backward(tmp_path: Path) -> None:
    require("graphviz")
    require_program("dot")
    lines: list[str] = []
    code = demo.run(str(tmp_path), seed=0, say=lines.append)
    text = "\n".join(lines)
    assert code == 0, text
    outputs = [float(v) for v in re.findall(r"-> (\d\.\d+) \(target", text)]
    assert [round(v) for v in outputs] == [0, 1, 1, 0]
    for name in ("xor_graph.svg", "xor_neurons.svg"):
        assert (tmp_path / name).read_text().lstrip().startswith(("<?xml", "<svg"))
    assert "dloss/d(L2.n1) = dloss/dv14 * dv14/d(L2.n1)" in text  # a chain-rule line
    assert re.search(r"(\d+) steps leave exactly the gradients of backward\(\): yes", text)


def test_without_dot_the_demo_says_how_to_install_it_and_keeps_the_source(
    tmp_path: Path, monkeypatch
) -> None:
    require("graphviz")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    lines: list[str] = []
    code = demo.run(str(tmp_path), seed=0, say=lines.append)
    assert code == 1
    assert "apt-get install graphviz" in "\n".join(lines)
    assert (tmp_path / "xor_graph.dot").read_text().startswith("digraph")


def test_the_demo_command_runs(tmp_path: Path) -> None:
    require_program("dot")
    result = subprocess.run(
        [sys.executable, "-m", "autograd", "demo", "--out", str(tmp_path / "out")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "epoch 5000" in result.stdout and (tmp_path / "out" / "xor_graph.svg").exists()
