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


def test_micrograd_graph_ratios_from_medians_and_round_by_round(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    from micrograd_graph import table

    def cell(step: float, backward: float) -> dict[str, float]:
        return {
            "forward_ms": step - backward,
            "backward_ms": backward,
            "update_ms": 0.0,
            "step_ms": step,
        }

    # Two rounds: the peer is 3x then 2x ours in step, 2x then 3x in backward.
    ours = [cell(10.0, 20.0), cell(10.0, 40.0)]
    peer = [cell(30.0, 40.0), cell(20.0, 120.0)]
    samples = {
        (name, gc): runs for gc in ("on", "off") for name, runs in (("ours", ours), ("peer", peer))
    }
    rows = {
        tuple(line.split(" | ")[:2]): line.split(" | ") for line in table(samples, ["ours", "peer"])
    }
    peer_on = rows[("| peer", "on")]
    # step: medians 25 / 10; backward: medians 80 / 30; each round's ratios 2 and 3
    assert peer_on[6:10] == ["2.50", "2.67", "2.50 (2.00-3.00)", "2.50 (2.00-3.00) |"]
    assert rows[("| ours", "off")][6:10] == [
        "1.00",
        "1.00",
        "1.00 (1.00-1.00)",
        "1.00 (1.00-1.00) |",
    ]
