"""Regression tests of issue 13 for the command line and for Graphviz as a child process."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from optional import require, require_program

from autograd import Value
from autograd.cli import main
from autograd.nn import MLP, train

ROOT = str(Path(__file__).resolve().parent.parent)
POPEN = subprocess.Popen  # the class, before any test replaces the name


def run_cli(*args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "autograd", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": ROOT},
        check=False,
        **kwargs,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(
    "args",
    [
        ["-x*2", "--set", "x=1"],
        ["--set", "x=1", "-x*2"],
        ["--set", "x=1", "--", "-x*2"],
        ["-log(x)", "--set", "x=0.5"],
        ["--set", "x=0.5", "-log(x)"],
        ["--format", ".3f", "--set", "x=1", "-x*2"],
    ],
)
def test_negated_expressions_work_before_and_after_set(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["step", *args]) == 0
    out = capsys.readouterr().out
    assert out.startswith(("-x*2 = -2", "-log(x) = 0.69"))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--set", "x=1", "x=2", "x"], "--set gives x twice"),
        (["--set", "x=1"], "no expression"),
        (["x", "--set", "x=1", "--format", "<10"], "number format '<10' is not accepted"),
        (["x", "--set", "x=1", "--format", "1000000000"], "is not accepted"),
        (["x", "--set", "x=1", "--format", "&>8"], "is not accepted"),
    ],
)
def test_bad_settings_name_the_real_cause(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["step", *args]) == 2
    assert message in capsys.readouterr().err


def test_labels_with_controls_markup_or_great_length_still_render() -> None:
    require("graphviz")
    require_program("dot")
    from autograd.viz import draw

    x = Value(0.5, label="<b>&amp;\x00\x1b[31m" + "y" * 20_000)
    y = x * 2.0
    y.backward()
    picture = draw(y)
    assert "\\x00" in picture.source and "\\x1b" in picture.source
    assert "20,014 characters" in picture.source and "\x00" not in picture.source
    assert picture.pipe(format="svg", encoding="utf-8").startswith("<?xml")


def test_a_dense_graph_draws_each_use_beside_its_operation() -> None:
    require("graphviz")
    from autograd.viz import draw

    x = Value(1.0, label="x")
    y = x
    for _ in range(59):
        y = y * x
    y.backward()
    source = draw(y).source
    assert source.count("_use") >= 2 * 59  # a copy node and its edge, per use
    assert "used 60 times" in source


def test_max_edges_keeps_fewer_nodes() -> None:
    require("graphviz")
    from autograd import sum as add_up
    from autograd.viz import draw

    xs = [Value(float(i), label=f"x{i}") for i in range(40)]
    y = add_up([a * b for a in xs[:20] for b in xs[20:]])  # 400 products, 800 edges in
    y.backward()
    source = draw(y, max_edges=100).source
    assert source.count("->") <= 100 + 40 and "more nodes not drawn" in source


def _recording_popen(monkeypatch: pytest.MonkeyPatch) -> list[subprocess.Popen[bytes]]:
    from autograd.viz import drawing

    started: list[subprocess.Popen[bytes]] = []
    real = POPEN

    def popen(*args: object, **kwargs: object) -> subprocess.Popen[bytes]:
        child = real(*args, **kwargs)  # type: ignore[call-overload]
        started.append(child)
        return child  # type: ignore[no-any-return]

    monkeypatch.setattr(drawing.subprocess, "Popen", popen)
    return started


def _dense_drawing() -> object:
    from autograd.viz import draw

    x = Value(1.0, label="x")
    y = x
    for _ in range(40):
        y = y * x
    y.backward()
    return draw(y, timeout=0.001)


def test_a_layout_past_its_timeout_is_stopped_with_advice(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    require("graphviz")
    require_program("dot")
    from autograd.viz import drawing

    started = _recording_popen(monkeypatch)
    with pytest.raises(drawing.DotTimeout, match="collapse='neuron' or 'layer'"):
        _dense_drawing().pipe(format="svg")  # type: ignore[attr-defined]
    assert started and all(child.poll() is not None for child in started)


def test_ctrl_c_during_a_layout_ends_dot(monkeypatch: pytest.MonkeyPatch) -> None:
    require("graphviz")
    require_program("dot")

    def interrupted(self: object, *args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(POPEN, "communicate", interrupted)
    started = _recording_popen(monkeypatch)
    with pytest.raises(KeyboardInterrupt):
        _dense_drawing().pipe(format="svg")  # type: ignore[attr-defined]
    assert started and all(child.poll() is not None for child in started)


def _state(pid: int) -> str | None:
    """A process's state letter from /proc, None when it is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return None
    return next(line.split()[1] for line in status.splitlines() if line.startswith("State:"))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_killing_python_outright_also_ends_dot(tmp_path: Path) -> None:
    dot = require_program("dot")
    # A DOT layout that takes minutes: one node feeding 100 far-apart places, no copies.
    lines = [f"n{i} -> n{i + 1}; x -> n{i + 1};" for i in range(100)]
    (tmp_path / "slow.dot").write_text("digraph { " + " ".join(lines) + " }")
    code = textwrap.dedent(
        f"""
        import subprocess, sys
        from autograd.viz import drawing
        real = subprocess.Popen
        def popen(*a, **k):
            child = real(*a, **k)
            print(child.pid, flush=True)
            return child
        drawing.subprocess.Popen = popen
        drawing.run_dot([{dot!r}, "-Tsvg"], open({str(tmp_path / "slow.dot")!r}, "rb").read(), None)
        """
    )
    python = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, env={**os.environ, "PYTHONPATH": ROOT}
    )
    assert python.stdout is not None
    pid = int(python.stdout.readline())
    python.send_signal(signal.SIGKILL)
    python.wait()
    python.stdout.close()
    for _ in range(600):  # the kernel kills it at once; allow a loaded machine a minute
        if _state(pid) in (None, "Z"):
            break
        subprocess.run(["sleep", "0.1"], check=True)
    assert _state(pid) in (None, "Z")


def test_unknown_picture_extensions_are_refused(tmp_path: Path) -> None:
    require("graphviz")
    from autograd.viz import draw

    with pytest.raises(ValueError, match="cannot tell what to write"):
        draw(Value(1.0)).save(tmp_path / "a.bmpx")
    assert main(["draw", "x", "--set", "x=1", "-o", str(tmp_path / "g")]) == 2
    assert list(tmp_path.iterdir()) == []


def test_writing_into_a_missing_folder_names_the_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    require("graphviz")
    target = tmp_path / "nowhere" / "g.dot"
    assert main(["draw", "x", "--set", "x=1", "-o", str(target)]) == 1
    err = capsys.readouterr().err
    assert str(target) in err or "nowhere" in err
    assert ".tmp" not in err


def test_draw_into_a_closed_pipe_is_quiet() -> None:
    require("graphviz")
    expression = "+".join(f"sin(x*{k})" for k in range(200))  # DOT text of ~100 kB
    head = subprocess.run(
        f'{sys.executable} -m autograd draw "{expression}" --set x=1 | head -c 10',
        shell=True,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": ROOT},
        check=False,
    )
    assert head.stdout == "digraph au" and "Traceback" not in head.stderr, head.stderr


def test_demo_out_on_a_file_is_a_clear_error(tmp_path: Path) -> None:
    occupied = tmp_path / "file"
    occupied.write_text("mine")
    done = run_cli("demo", "--out", str(occupied))
    assert done.returncode == 2 and "exists and is not a folder" in done.stderr
    assert "Traceback" not in done.stderr and occupied.read_text() == "mine"


def test_train_stops_cleanly_on_ctrl_c(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    real = train.progress_printer

    def interrupting(epochs: int, every: int | None = None) -> object:
        report = real(epochs, every)

        def on_epoch(record: train.Epoch) -> None:
            report(record)
            if record.epoch == 3:
                raise KeyboardInterrupt

        return on_epoch

    monkeypatch.setattr(train, "progress_printer", interrupting)
    target = tmp_path / "m.json"
    assert main(["train", "xor", "--epochs", "1000000000", "--save", str(target)]) == 130
    assert "interrupted after epoch 3 of 1000000000; nothing saved" in capsys.readouterr().err
    assert not target.exists()


@pytest.mark.skipif(os.name != "posix", reason="device nodes")
def test_export_of_a_device_or_huge_number_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    require("onnx")
    zero = tmp_path / "zero"
    os.mknod(zero, stat.S_IFCHR | 0o600, os.makedev(1, 5))  # our own /dev/zero
    assert main(["export", str(zero), "-o", str(tmp_path / "m.onnx")]) == 2
    assert "is a character device" in capsys.readouterr().err
    model = tmp_path / "m.json"
    MLP(2, [1]).save(model)
    model.write_text(model.read_text().replace('"L1.n1.b": 0.0', '"L1.n1.b": ' + "9" * 400))
    assert main(["export", str(model), "-o", str(tmp_path / "m.onnx")]) == 2
    assert "checksum" in capsys.readouterr().err


def test_ctrl_c_on_the_command_line_is_quiet(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from autograd.cli import parser

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(parser, "build", interrupted)
    assert main(["step", "x", "--set", "x=1"]) == 130
    assert "interrupted" in capsys.readouterr().err


@pytest.mark.parametrize("label", ["]", "<b>", "a]b[c", '"q"', "\\", "&amp;"])
def test_labels_with_brackets_and_markup_render(label: str) -> None:
    require("graphviz")
    require_program("dot")
    from autograd.viz import draw

    x = Value(1.0, label=label)
    y = x
    for _ in range(8):  # used often enough to get copies beside each use
        y = y * x
    y.backward()
    draw(y).pipe(format="svg")
