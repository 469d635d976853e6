"""The command line's front door: --version, bare help, the console script."""

from __future__ import annotations

import subprocess
import sys
from importlib import metadata

import autograd


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "autograd", *args], capture_output=True, text=True)


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"glassgrad {autograd.__version__}"
    assert metadata.version("glassgrad") == autograd.__version__


def test_no_command_prints_the_help() -> None:
    result = run()
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: python -m autograd")
    for command in ("demo", "train", "draw", "step", "export", "deploy"):
        assert command in result.stdout


def test_the_console_script_runs_the_same_commands() -> None:
    (entry,) = [e for e in metadata.entry_points(group="console_scripts") if e.name == "glassgrad"]
    assert entry.value == "autograd.cli:main"
    script = entry.load()
    assert script is autograd.cli.main
