"""Modes of recording, per thread and task: `no_grad()` and `detect_anomaly()`.

The engine asks one cheap question per node, `open_blocks`: while no block is open
anywhere, recording needs no look at the context variable. Only then does it take
the slow path, `apply_mode`, which reads the mode of the current thread or task.
"""

from __future__ import annotations

import math
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .engine import Value


@dataclass(frozen=True)
class _Mode:
    recording: bool
    anomaly_sites: dict[Value, str] | None  # where each node was created, in anomaly mode


_NORMAL = _Mode(recording=True, anomaly_sites=None)
_mode: ContextVar[_Mode] = ContextVar("autograd_mode", default=_NORMAL)

# How many no_grad()/detect_anomaly() blocks are open, in all threads together.
open_blocks = 0
_open_blocks_lock = threading.Lock()


@contextmanager
def _in_mode(mode: _Mode) -> Iterator[None]:
    global open_blocks
    with _open_blocks_lock:
        open_blocks += 1
    token = _mode.set(mode)
    try:
        yield
    finally:
        with _open_blocks_lock:
            open_blocks -= 1
        _mode.reset(token)


@contextmanager
def no_grad() -> Iterator[None]:
    """Operations inside record no parents: their results are plain leaves.

    Use it for updates and evaluation, where no gradient is wanted. It is based on
    a context variable, so it affects only the current thread (or asyncio task).
    """
    with _in_mode(_Mode(recording=False, anomaly_sites=None)):
        yield


@contextmanager
def detect_anomaly() -> Iterator[None]:
    """Stop at the first operation whose result or gradient is NaN or infinite.

    Inside this block every operation remembers the line of your code that created
    it; the first non-finite value, in a forward operation or in a backward pass,
    raises FloatingPointError naming the operation, its operands and that line.
    Slower than normal mode: use it to find where a NaN comes from.
    """
    with _in_mode(_Mode(recording=_mode.get().recording, anomaly_sites={})):
        yield


def anomaly_sites() -> dict[Value, str] | None:
    """Where each node was created, inside detect_anomaly(); None outside it."""
    return _mode.get().anomaly_sites


_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep


def _user_site() -> str:
    """file:line of the innermost caller outside this package."""
    frame = sys._getframe(1)
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE_DIR):
        frame = frame.f_back  # type: ignore[assignment]
    return f"{frame.f_code.co_filename}:{frame.f_lineno}" if frame is not None else "<unknown>"


def apply_mode(node: Value) -> Value:
    """The slow path of recording, taken while a no_grad or anomaly block is open somewhere."""
    mode = _mode.get()
    if not mode.recording:
        node.parents, node.op, node.const = (), None, None
    elif mode.anomaly_sites is not None:
        if not math.isfinite(node.data):
            assert node.op is not None
            operands = ", ".join(repr(p.data) for p in node.parents)
            if node.const is not None:
                operands += f", constant {node.const!r}"
            raise FloatingPointError(
                f"anomaly: {node.op.name}({operands}) produced {node.data!r} at {_user_site()}"
            )
        mode.anomaly_sites[node] = _user_site()
    return node


def check_gradient(
    node: Value, index: int, local: Any, upstream: Any, contribution: Any, sites: dict[Value, str]
) -> None:
    """In anomaly mode: raise where a finite upstream gradient turns non-finite at `node`."""
    if math.isfinite(contribution) or not math.isfinite(upstream):
        return
    assert node.op is not None
    site = sites.get(node, "a line outside the detect_anomaly() block")
    raise FloatingPointError(
        f"anomaly: the backward of {node.op.name} (created at {site}) gave "
        f"local derivative {local!r} for input {index} (data={node.parents[index].data!r}), "
        f"so its gradient became {contribution!r}"
    )
