"""The benchmark script runs end to end on tiny sizes. Nothing is timed or compared here."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def test_quick_run_fills_every_table(tmp_path: Path) -> None:
    output = tmp_path / "RESULTS.md"
    command = [sys.executable, str(BENCHMARKS / "run.py"), "--quick", "--output", str(output)]
    done = subprocess.run(
        [*command, "--engines", "ours,floor,floats"], capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr
    text = output.read_text()
    headings = [line for line in text.splitlines() if line.startswith("### ")]
    assert len(headings) == 7  # the targets, five workloads, the deepest chain
    ours_rows = [line for line in text.splitlines() if line.split("|")[2:3] == [" ours "]]
    assert len(ours_rows) == 6  # moons, two chains, wide, tanh MLP, memory
    assert not any("failed" in line or "skipped" in line for line in ours_rows)


@pytest.mark.parametrize("peer", ["micrograd", "torch"])
def test_a_missing_peer_is_skipped_with_a_note(peer: str) -> None:
    # -S hides site-packages, so the peer cannot be imported even where it is installed.
    command = [sys.executable, "-S", str(BENCHMARKS / "cell.py"), "chain", peer, "10", "1"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert "not installed" in result["skipped"] and "pip install" in result["skipped"]


def test_micrograd_graph_cell_times_forward_backward_and_update() -> None:
    command = [sys.executable, str(BENCHMARKS / "cell.py"), "micrograd_graph", "ours", "8", "1"]
    done = subprocess.run([*command, "off"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)["figures"]
    assert {"forward_ms", "backward_ms", "update_ms", "step_ms", "loss"} <= set(figures)


@pytest.mark.parametrize("way", ["scalar", "tape", "tape, fused"])
def test_tape_train_cell_trains_the_same_numbers(way: str) -> None:
    pytest.importorskip("numpy")
    command = [sys.executable, str(BENCHMARKS / "tape_train.py"), "--cell", way, "--epochs", "3"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    assert figures["loss"] == pytest.approx(1.6411147993166, rel=1e-9)  # the same for every way
