"""Every Python example in the README and the guide runs as written.

A page's blocks share one namespace, in a fresh folder. A block followed by a ```text
block that starts with `SomeError:` (or `...Exception:`) shows that error, so it must
raise exactly that.
"""

from __future__ import annotations

import contextlib
import doctest
import io
import os
import re
from pathlib import Path

import pytest
from optional import require, require_program

ROOT = Path(__file__).resolve().parent.parent
PAGES = [
    ROOT / "README.md",
    ROOT / "docs" / "index.md",
    *sorted((ROOT / "docs" / "guide").glob("*.md")),
]
BLOCK = re.compile(r"```python\n(.*?)```(?:\s*```text\n(\w+(?:Error|Exception)):)?", re.DOTALL)


def blocks(page: Path) -> list[tuple[str, str | None]]:
    return [(m.group(1), m.group(2)) for m in BLOCK.finditer(page.read_text(encoding="utf-8"))]


def test_the_guide_has_examples() -> None:
    assert sum(len(blocks(page)) for page in PAGES) >= 10


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_example_runs(page: Path, tmp_path: Path) -> None:
    found = blocks(page)
    if any("autograd.viz import draw" in code or "save_html" in code for code, _ in found):
        require("graphviz")
        require_program("dot")
    if any("autograd.accel" in code or "autograd import accel" in code for code, _ in found):
        require("numpy")
    namespace: dict[str, object] = {"__name__": "docs_example"}
    here = os.getcwd()
    os.chdir(tmp_path)
    try:
        for number, (code, error) in enumerate(found):
            where = f"{page.name} example {number + 1}"
            with contextlib.redirect_stdout(io.StringIO()):
                if error is None:
                    exec(compile(code, where, "exec"), namespace)
                    continue
                with pytest.raises(Exception) as raised:
                    exec(compile(code, where, "exec"), namespace)
            assert type(raised.value).__name__ == error, f"{where} should raise {error}"
    finally:
        os.chdir(here)


MODULES = sorted(
    ".".join(
        path.relative_to(ROOT).parent.parts
        if path.stem == "__init__"
        else path.relative_to(ROOT).with_suffix("").parts
    )
    for path in (ROOT / "autograd").rglob("*.py")
    if path.name != "__main__.py"
)


@pytest.mark.parametrize("module", MODULES)
def test_every_docstring_example_runs(
    module: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The `>>>` examples in the package's docstrings give what they show (in a fresh
    folder: some write files)."""
    loaded = require(module)  # a module of an optional extra skips (fails in CI) without it
    monkeypatch.chdir(tmp_path)
    result = doctest.testmod(loaded, optionflags=doctest.ELLIPSIS, report=True)
    assert result.failed == 0, f"{module}: {result.failed} of {result.attempted} examples failed"
