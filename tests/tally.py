"""What the property tests checked, counted while they run; conftest prints it at the end.

`checks[(kind, op)]` counts generated points at which an operation's derivative was
held against an oracle; `peaks[name]` keeps the largest value of a measured quantity.
"""

from __future__ import annotations

from collections import Counter

checks: Counter[tuple[str, str]] = Counter()
peaks: dict[str, float] = {}


def count(kind: str, ops: list[str] | str) -> None:
    """One more point checked for each operation named (repeats count once per point)."""
    for op in {ops} if isinstance(ops, str) else set(ops):
        checks[(kind, op)] += 1


def peak(name: str, value: float) -> None:
    peaks[name] = max(value, peaks.get(name, value))
