"""Hypothesis profiles, and a summary of what the property tests checked.

Profiles: `ci` (fast, the default) and `thorough` (thousands of examples per property),
selected with the environment variable HYPOTHESIS_PROFILE=thorough.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
import tally
from hypothesis import HealthCheck, settings

from autograd import OPS, remove_op

PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
MIN_POINTS_THOROUGH = 1000  # per operation, derivative against mpmath (the acceptance bar)

settings.register_profile("ci", max_examples=60, deadline=None, derandomize=True)
settings.register_profile(
    "thorough",
    max_examples=2000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(PROFILE)


# The columns in the order a reader thinks of them, not alphabetical ("2nd ..." first).
NATURAL_KINDS = ("first", "second", "third", "in expressions", "2nd in expressions", "gradcheck")


def _natural(names: set[str], order: tuple[str, ...]) -> list[str]:
    """`names` in the given order, any others after them alphabetically."""
    return [n for n in order if n in names] + sorted(names - set(order))


def _short_ops() -> list[str]:
    """Operations whose direct mpmath check ran on too few points for the thorough profile."""
    direct = {op: n for (kind, op), n in tally.checks.items() if kind == "first"}
    return sorted(op for op, n in direct.items() if n < MIN_POINTS_THOROUGH)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not tally.checks and not tally.peaks:
        return
    write = terminalreporter.write_line
    terminalreporter.section(f"derivative checks (hypothesis profile {PROFILE!r})")
    kinds = _natural({kind for kind, _ in tally.checks}, NATURAL_KINDS)
    ops = _natural({op for _, op in tally.checks}, tuple(OPS))
    write("generated points checked against an oracle (mpmath, or finite differences), per op:")
    width = {kind: max(16, len(kind) + 2) for kind in kinds}
    write("  " + f"{'op':<12}" + "".join(f"{kind:>{width[kind]}}" for kind in kinds))
    for op in ops:
        counts = "".join(f"{tally.checks[(k, op)]:>{width[k]}}" for k in kinds)
        write("  " + f"{op:<12}" + counts)
    for name, value in sorted(tally.peaks.items()):
        write(f"{name}: {value:.3g}")
    if PROFILE == "thorough" and _short_ops():
        write(f"FEWER THAN {MIN_POINTS_THOROUGH} points for: {', '.join(_short_ops())}")


def pytest_sessionfinish(session: pytest.Session) -> None:
    # Under the thorough profile, too few checked points is a failure, not a footnote.
    if PROFILE == "thorough" and _short_ops() and session.exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(autouse=True)
def builtin_table_only() -> Iterator[None]:
    """Operations a test defines (define_op) are taken out after it: every test starts
    from the built-in table, and a test that changed a built-in fails here."""
    builtins = dict(OPS)
    yield
    for name in [name for name, op in OPS.items() if not op.builtin]:
        remove_op(name)
    assert builtins == OPS
