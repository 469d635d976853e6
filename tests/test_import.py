"""The core imports with no third-party package, and loads none of the optional ones."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OPTIONAL = ["graphviz", "hypothesis", "numpy", "onnx", "onnxruntime", "mpmath", "ipywidgets"]


def run(*flags: str, code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *flags, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )


def test_import_without_site_packages() -> None:
    # -S: no site-packages at all, so any third-party import would fail here.
    result = run("-S", code="import autograd, autograd.engine; print(autograd.Value(1.0) * 2)")
    assert result.returncode == 0, result.stderr
    assert "Value(data=2.0" in result.stdout


def test_import_loads_no_optional_dependency() -> None:
    code = f"import sys, autograd; print([m for m in {OPTIONAL!r} if m in sys.modules])"
    result = run(code=code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
