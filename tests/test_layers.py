"""The package's imports run one way (see autograd/__init__.py): core <- parts <- cli."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "autograd"
PARTS = ("nn", "viz", "testing", "accel")
# What each layer may import from the package, besides itself.
ALLOWED = {
    "core": {"core"},
    "nn": {"core"},
    "viz": {"core"},
    # check_rule replays a rule on the tape, its NumPy run (lazily, when NumPy is there).
    "testing": {"core", "accel"},
    "accel": {"core", "nn"},
    "cli": {"core", *PARTS},
}
CORE_MODULES = {"ops", "engine", "modes", "gradients", "functional", "files"}


def layer_of(module: str) -> str:
    """'autograd.nn.losses' -> 'nn'; 'autograd.engine' -> 'core'."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in (*PARTS, "cli") else "core"


def imports_of(path: Path) -> set[str]:
    """The autograd modules a file imports, as absolute dotted names."""
    module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    package = module.rsplit(".", 1)[0] if path.name != "__init__.py" else module
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            names = [target] if node.module else [f"{target}.{a.name}" for a in node.names]
            found.update(n for n in names if n.startswith("autograd"))
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("autograd"))
    return found


MODULES = [
    p for p in sorted(PACKAGE.rglob("*.py")) if p.relative_to(PACKAGE).as_posix() != "__init__.py"
]


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_imports_run_downward(path: Path) -> None:
    module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if module == "autograd.__main__":
        return  # `python -m autograd` is the command line itself
    layer = layer_of(module)
    wrong = {
        target
        for target in imports_of(path)
        if target != "autograd" and layer_of(target) not in ALLOWED[layer] | {layer}
    }
    assert not wrong, f"{module} ({layer}) imports {sorted(wrong)}"


def test_the_core_is_the_modules_at_the_top() -> None:
    top = {p.stem for p in PACKAGE.glob("*.py")} - {"__init__", "__main__"}
    assert top == CORE_MODULES
    assert len(list(PACKAGE.glob("*.py"))) <= 8


def test_import_autograd_loads_no_third_party_package() -> None:
    code = (
        "import sys, autograd, autograd.nn, autograd.viz, autograd.testing\n"
        "loaded = {m.split('.')[0] for m in sys.modules}\n"
        "print(sorted(loaded & {'numpy', 'graphviz', 'hypothesis', 'onnx', 'ipywidgets'}))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
