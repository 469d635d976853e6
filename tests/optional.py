"""Import an optional dependency or skip the test; in CI (AUTOGRAD_REQUIRE_OPTIONAL=1), fail.

from optional import require
np = require("numpy")
"""

from __future__ import annotations

import importlib
import os
import shutil
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
