"""Import an optional dependency or skip the test; in CI (AUTOGRAD_REQUIRE_OPTIONAL=1), fail.

from optional import require
np = require("numpy")
"""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

REQUIRED = os.environ.get("AUTOGRAD_REQUIRE_OPTIONAL") == "1"


def _missing(what: str) -> None:
    if REQUIRED:
        pytest.fail(f"{what} is required here (AUTOGRAD_REQUIRE_OPTIONAL=1) but missing")
    pytest.skip(f"{what} is not installed", allow_module_level=True)


def require(module: str) -> ModuleType:
    """The module, or skip (fail in CI) when it cannot be imported."""
    try:
        return importlib.import_module(module)
    except ImportError:
        _missing(f"the Python package {module!r}")
        raise  # unreachable: skip and fail raise


def require_program(name: str) -> str:
    """The path of a program on PATH, or skip (fail in CI), e.g. Graphviz's `dot`."""
    path = shutil.which(name)
    if path is None:
        _missing(f"the program {name!r}")
        raise AssertionError  # unreachable
    return path


def run_without(module: str, program: str, tmp_path: Path) -> str:
    """The stdout of `program` run in a fresh Python where importing `module` fails."""
    (tmp_path / f"{module}.py").write_text(
        f'raise ModuleNotFoundError("No module named {module}", name="{module}")\n'
    )
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(root)])}
    done = subprocess.run(
        [sys.executable, "-c", program], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout
