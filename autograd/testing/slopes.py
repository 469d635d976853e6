"""Slopes measured from function values alone: the oracle of check_rule and of blame.

`slope(fn, x)` estimates fn'(x) in float64 by central differences refined with
Richardson extrapolation (Ridders' method: a Neville tableau over the steps
h, h/2, h/4, ..., each column cancelling one more power of h), and returns an
error estimate with it: the disagreement between neighbouring entries of the tableau.
It also takes the one-sided slopes, extrapolated the same way, so that a kink (relu at
0, abs at 0) shows up as two different one-sided derivatives instead of a wrong or a
flaky number.

It needs no third-party package: no mpmath (a test dependency), no NumPy.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

FIRST_STEP = 0.125  # times max(1, |x|) up to 8; shrunk until x - h and x + h are inside
SHRINK = 2.0  # each row of the tableau halves the step
ROWS = 12  # steps from h down to h / 2^11
KINK_RTOL = 1e-6  # one-sided slopes further apart than this (plus their errors): a kink
ROUNDING = 4.4e-16  # twice float64's unit roundoff: a difference's rounding, relative to |f|
CLEAR_KINK_RTOL = 1e-3  # further apart than this: a kink, whatever the central slope says


class OutsideDomain(ValueError):
    """No step around x stays inside the function's domain."""


@dataclass(frozen=True)
class Estimate:
    """A derivative and the estimated size of its error."""

    value: float
    error: float


@dataclass(frozen=True)
class Slope:
    """fn'(x) by central differences, and the one-sided slopes.

    `kink` is True where the one-sided slopes disagree by more than their errors allow:
    then `central` means little and `left`, `right` are the derivatives from each side.
    """

    central: Estimate
    left: Estimate
    right: Estimate
    step: float

    @property
    def best(self) -> Estimate:
        """The estimate with the smallest error (central, unless fn' itself has a kink
        nearby, as softsign' has at 0: then one side may be better)."""
        return min((self.central, self.left, self.right), key=lambda e: e.error)

    def _gap_exceeds(self, rtol: float) -> bool:
        gap = abs(self.left.value - self.right.value)
        scale = 1.0 + max(abs(self.left.value), abs(self.right.value))
        return not gap <= rtol * scale + 10 * (self.left.error + self.right.error)

    @property
    def kink(self) -> bool:
        """The one-sided slopes differ by more than their errors allow."""
        return self._gap_exceeds(KINK_RTOL)

    @property
    def clear_kink(self) -> bool:
        """They differ by more than CLEAR_KINK_RTOL: not a blur of a nearby kink of fn'."""
        return self._gap_exceeds(CLEAR_KINK_RTOL)


def _first_step(fn: Callable[[float], float], x: float) -> float:
    """The largest step 0.125 * min(max(1, |x|), 8) / 2^k with fn defined on both sides."""
    h = FIRST_STEP * min(max(1.0, abs(x)), 8.0)  # at most 1: wider steps alias sin(x)
    for _ in range(60):
        try:
            fn(x - h)
            fn(x + h)
        except (ArithmeticError, ValueError):
            h /= 2
            continue
        return h
    raise OutsideDomain(f"the function is not defined on both sides of {x!r}")


def _tableau(differences: Callable[[float], float], h: float, order: int, size: float) -> Estimate:
    """Richardson extrapolation of differences(h) to h = 0 (Ridders' method).

    `order` is the power of h the leading error term has, and by which each column
    grows: 2 for central differences (errors in h^2, h^4, ...), 1 for one-sided ones.
    The error estimate adds the rounding of the differences, about 1e-16 |f| / h, so
    that a step too small to move f never looks exact.
    """
    previous: list[float] = []
    best = Estimate(math.nan, math.inf)
    for i in range(ROWS):
        step = h / SHRINK**i
        row = [differences(step)]
        rounding = ROUNDING * size / step
        for j in range(1, i + 1):
            factor = SHRINK ** (order * j)
            row.append((factor * row[j - 1] - previous[j - 1]) / (factor - 1))
            error = max(abs(row[j] - row[j - 1]), abs(row[j] - previous[j - 1])) + rounding
            if error <= best.error:
                best = Estimate(row[j], error)
        previous = row
    if not math.isfinite(best.value):
        return Estimate(math.nan, math.inf)
    return best


def slope(fn: Callable[[float], float], x: float) -> Slope:
    """fn'(x), with error estimates and both one-sided slopes (see the module docstring).

    Raises OutsideDomain when fn is not defined on both sides of x.
    """
    h = _first_step(fn, x)
    at = fn(x)
    if 0 < abs(x) < h:
        # Near 0, where a pole or an edge of the domain often is (1/x, log): steps of
        # |x| / 4 stay on x's side of it; keep whichever start measures more precisely.
        near = _measure(fn, x, at, min(h, abs(x) / 4))
        far = _measure(fn, x, at, h)
        return near if near.central.error < far.central.error else far
    return _measure(fn, x, at, h)


def _measure(fn: Callable[[float], float], x: float, at: float, h: float) -> Slope:

    def central(step: float) -> float:
        up, down = x + step, x - step
        return (fn(up) - fn(down)) / (up - down)

    def right(step: float) -> float:
        up = x + step
        return (fn(up) - at) / (up - x)

    def left(step: float) -> float:
        down = x - step
        return (at - fn(down)) / (x - down)

    size = abs(at) if math.isfinite(at) else 0.0
    return Slope(
        _tableau(central, h, 2, size), _tableau(left, h, 1, size), _tableau(right, h, 1, size), h
    )
