"""The pages as files: what the backward page and the training view hold, how they are
written, and the command-line options that write them (the browser tests drive them)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from optional import require, require_program

require("graphviz")
require_program("dot")

from autograd import MLP, Stepper, Value, topological_order  # noqa: E402
from autograd.nn import train  # noqa: E402
from autograd.viz import page, training_page  # noqa: E402
from autograd.viz.naming import node_names  # noqa: E402
from autograd.viz.rule_text import rule_lines  # noqa: E402


def page_data(text: str) -> dict[str, Any]:
    found = re.search(r'<script type="application/json" id="data">(.*?)</script>', text, re.S)
    assert found is not None
    data: dict[str, Any] = json.loads(found.group(1))
    return data


def shared_graph() -> tuple[Value, list[Value]]:
    """b = a + a, c = b * b + a: nodes reached along several paths."""
    a = Value(3.0, label="a")
    b = a + a
    b.label = "b"
    c = b * b + a
    c.label = "c"
    return c, topological_order([c])


def test_the_page_needs_nothing_from_outside() -> None:
    text = page.backward_page(Stepper(shared_graph()[0]))
    assert "<script src" not in text and "<link" not in text and "@import" not in text
    assert "url(" not in text
    addresses = set(re.findall(r"https?://[^\s\"'<>]+", text))
    assert addresses <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}


def test_the_last_texts_are_backwards_gradients_and_the_first_not_yet() -> None:
    root, nodes = shared_graph()
    data = page_data(page.backward_page(Stepper(root)))
    last: dict[int, str] = {}
    first: dict[int, str] = {}
    for step in data["steps"]:
        for node, before, after in step["moves"]:
            first.setdefault(node, before)
            last[node] = after
    root.zero_grad()
    root.backward()
    assert data["initial"] == {str(data["root"]): "1"}
    for i, node in enumerate(nodes):
        if node is not root:
            assert first[i] == page.NOT_YET  # never 0 before the pass reaches it
            assert last[i] == f"{node.grad:.4g}"
    lines = "\n".join(line for step in data["steps"] for line in step["lines"])
    assert "dc/da +=" in lines and "dc/db +=" in lines


def test_the_page_opens_at_the_steppers_position() -> None:
    stepper = Stepper(shared_graph()[0])
    stepper.next()
    assert page_data(page.backward_page(stepper))["position"] == 1


def test_hovering_shows_the_rule_from_the_ops_table() -> None:
    x, w = Value(0.5, label="x"), Value(-1.2, label="w")
    z = (x * w).tanh()
    names = node_names([z])
    assert rule_lines(z.parents[0], names) == ["dv1/dx = w", "dv1/dw = x"]
    assert rule_lines(z, names) == ["dL/dv1 = 1 - L * L"]
    assert rule_lines(x, names) == []
    s = x.sigmoid()
    assert rule_lines(s, node_names([s])) == ["dL/dx = L * (1 - L)"]
    q = (x - w) / (x - w * 2)
    assert rule_lines(q, node_names([q]))[1] == "dL/dv3 = -(L / v3)"
    described = page_data(page.backward_page(Stepper(z)))["nodes"]
    assert {"name": "x", "data": "0.5"} in described


def network_loss(samples: int) -> Value:
    model = MLP(2, [16, 16, 1], seed=0)
    outputs = [model([0.5 * (i + 1), -0.3 * i]) for i in range(samples)]
    loss = outputs[0]
    for output in outputs[1:]:
        loss = loss + output
    assert isinstance(loss, Value)
    return loss


def test_a_small_graph_has_one_view_and_a_network_opens_collapsed() -> None:
    small = page_data(page.backward_page(Stepper(shared_graph()[0])))
    assert [v["title"] for v in small["views"]] == ["every node"]
    loss = network_loss(1)
    assert page.unit_count(loss, None) > page.SMOOTH_UNITS
    text = page.backward_page(Stepper(loss))
    views = page_data(text)["views"]
    assert [v["title"] for v in views] == ["collapsed by neuron", "every node"]
    assert len(views[0]["units"]) > 0
    # the expanded view is capped, with a note saying so
    assert f"the page draws at most {page.SMOOTH_UNITS}" in text


def test_bad_options_are_named() -> None:
    stepper = Stepper(shared_graph()[0])
    with pytest.raises(ValueError, match="collapse"):
        page.backward_page(stepper, collapse="neurons")
    with pytest.raises(ValueError, match="max_units"):
        page.backward_page(stepper, max_units=0)


def test_a_bad_path_is_a_clear_error(tmp_path: Path) -> None:
    stepper = Stepper(shared_graph()[0])
    with pytest.raises(OSError, match=r"cannot write .*: it is a directory"):
        stepper.save_html(tmp_path)
    with pytest.raises(OSError, match="there is no directory"):
        stepper.save_html(tmp_path / "missing" / "page.html")
    assert list(tmp_path.iterdir()) == []


def test_writing_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "page.html"
    target.write_text("the old page")

    def fail(source: str, destination: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match=r"cannot write .*No space left on device"):
        Stepper(shared_graph()[0]).save_html(target)
    assert target.read_text() == "the old page"
    assert [p.name for p in tmp_path.iterdir()] == ["page.html"]  # no temporary file left


def command(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "autograd", *args], capture_output=True, text=True, cwd=cwd, env=env
    )


@pytest.mark.parametrize(
    "args",
    [
        ["step", "x*w", "--set", "x=1", "w=2"],
        ["train", "xor", "--epochs", "1"],
    ],
)
def test_the_commands_refuse_a_bad_path_before_any_work(args: list[str], tmp_path: Path) -> None:
    for bad, why in [("missing/page.html", "there is no directory"), (".", "it is a directory")]:
        result = command(*args, "--html", bad, cwd=tmp_path)
        assert result.returncode == 2
        assert why in result.stderr and "Traceback" not in result.stderr
        assert result.stdout == ""  # refused before printing or training


def test_a_bad_expression_still_exits_2(tmp_path: Path) -> None:
    result = command("step", "x +* w", "--html", "page.html", cwd=tmp_path)
    assert result.returncode == 2
    assert not (tmp_path / "page.html").exists()


# --- the training view ---


def test_long_runs_are_sampled() -> None:
    kept = training_page.curve_epochs(5000)
    assert len(kept) <= training_page.CURVE_POINTS + 1 and {1, 5000} <= kept
    assert training_page.curve_epochs(300) == set(range(1, 301))
    assert training_page.snapshot_epochs(5000)[0] == 1
    assert training_page.snapshot_epochs(5000)[-1] == 5000
    assert len(training_page.snapshot_epochs(5000)) == training_page.SNAPSHOTS
    assert training_page.snapshot_epochs(5) == [1, 2, 3, 4, 5]


def test_the_recorder_keeps_curves_boundaries_and_drawings_and_leaves_grads_alone() -> None:
    run = train.prepare("xor", epochs=40)
    recorder = training_page.TrainingRecorder.for_run(run)
    grads_seen: list[list[float]] = []

    def check(record: Any) -> None:
        before = [p.grad for p in run.model.parameters()]
        recorder(record)
        grads_seen.append(before)
        assert [p.grad for p in run.model.parameters()] == before

    history = run.fit(on_epoch=check)
    data = recorder.data()
    assert data["curve"]["epoch"] == list(range(1, 41))
    assert data["curve"]["loss"][-1] == pytest.approx(history[-1].loss, rel=1e-4)
    assert set(data["sizes"]) == {"L1", "L2"}
    assert all(size is not None and size > 0 for size in data["sizes"]["L1"])
    shots = data["shots"]
    assert [s["epoch"] for s in shots] == training_page.snapshot_epochs(40)
    assert all(len(s["classes"]) > 0 for s in shots)
    assert all(s.svg.startswith("<svg") for s in recorder.snapshots)
    assert len(data["points"]) == 4


def test_a_dataset_that_is_not_2d_has_no_boundary() -> None:
    x = [Value(1.0, label="w")]
    recorder = training_page.TrainingRecorder([("L1", x)], [[0.0, 1.0, 2.0]], [1], 3)
    for epoch in (1, 2, 3):
        recorder(train.Epoch(epoch, 3, 0.5, 1.0))
    data = recorder.data()
    assert data["points"] == [] and [s["classes"] for s in data["shots"]] == ["", "", ""]
    assert "<canvas" in recorder.html()


def test_without_dot_the_command_says_how_to_install_it(tmp_path: Path) -> None:
    environment = dict(os.environ, PATH=str(tmp_path))  # no `dot` anywhere on PATH
    result = command(
        "step", "x*w", "--set", "x=1", "w=2", "--html", "page.html", cwd=tmp_path, env=environment
    )
    assert result.returncode == 1
    assert "Install Graphviz" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "page.html").exists()
