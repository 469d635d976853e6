"""Injected interrupts: raise KeyboardInterrupt at the k-th line the package runs.

`sys.settrace` sees every line event of every frame; `interrupt_at(k, action)` counts
only the lines of the autograd package and raises at the k-th, as a Ctrl-C arriving
there would. A trace function that raises is switched off by Python, so the interrupt
happens once and the clean-up code runs untraced.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

PACKAGE = str(Path(__file__).resolve().parent.parent / "autograd")


def _traced(action: Callable[[], object], on_line: Callable[[], None]) -> None:
    """Run `action` with `on_line()` called at every line event inside the package."""

    def local(frame: FrameType, event: str, arg: Any) -> Any:
        if event == "line":
            on_line()
        return local

    def tracer(frame: FrameType, event: str, arg: Any) -> Any:
        return local if frame.f_code.co_filename.startswith(PACKAGE) else None

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        action()
    finally:
        sys.settrace(previous)


def interrupt_at(k: int, action: Callable[[], object]) -> bool:
    """Run `action`, raising KeyboardInterrupt at its k-th line inside the package.

    True when the interrupt was raised (and propagated out of `action`), False when
    `action` finished in fewer than k lines.
    """
    seen = 0

    def count() -> None:
        nonlocal seen
        seen += 1
        if seen == k:
            raise KeyboardInterrupt(f"injected at line event {k}")

    try:
        _traced(action, count)
    except KeyboardInterrupt:
        return True
    return False


def line_count(action: Callable[[], object]) -> int:
    """How many line events of the package `action` runs (the injection points)."""
    seen = 0

    def count() -> None:
        nonlocal seen
        seen += 1

    _traced(action, count)
    return seen
