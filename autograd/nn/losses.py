"""Loss functions: how wrong a prediction is, as one Value to call backward() on.

Each takes predictions (Values or numbers) and targets (numbers), either one of
each or equal-length sequences, and returns the mean over the samples.

- `mse`: mean squared error, for regression.
- `binary_cross_entropy`: for probabilities in [0, 1] (after a sigmoid). As in
  PyTorch, each log is clamped at -100, so a saturated sigmoid gives a large finite
  loss rather than log(0); where the clamp acts, the gradient is 0.
- `binary_cross_entropy_with_logits`: the same loss on raw scores z (before the
  sigmoid), computed as softplus(z) - t*z: stable for any finite z, and exact.
- `cross_entropy`: softmax then negative log-likelihood, on raw scores (logits),
  computed as logsumexp(z) - z[target]: stable for any finite z.
- `hinge`: micrograd's max-margin loss relu(1 - t*score), targets -1 or +1.
- `l2`: the sum of squares of some values (a weight penalty to add to a loss).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from .. import functional as F
from ..engine import Operand, Value, _to_float

Predictions = Operand | Sequence[Operand]
Targets = float | Sequence[float]

_LOG_FLOOR = -100.0  # PyTorch's BCELoss clamp
_SMALLEST_LOGGED = math.exp(_LOG_FLOOR)


def _number(x: object, what: str) -> float:
    return _to_float(x, what)  # the engine's rule: huge ints saturate to +-inf, bools refused


def _pairs(predictions: Predictions, targets: Targets) -> list[tuple[Value, float]]:
    """One (prediction, target) pair, or a list of them from two equal-length sequences."""
    if isinstance(predictions, (Value, int, float)):
        return [(F.as_value(predictions), _number(targets, "the target"))]
    if not isinstance(targets, Sequence):
        raise TypeError("targets must be a sequence when predictions are")
    if len(predictions) != len(targets):
        raise ValueError(f"{len(predictions)} predictions but {len(targets)} targets")
    if not predictions:
        raise ValueError("a loss needs at least one prediction")
    return [(F.as_value(p), _number(t, "each target")) for p, t in zip(predictions, targets)]


def _mean(terms: list[Value]) -> Value:
    return _mean_over(terms, len(terms))


def _mean_over(terms: list[Value], samples: int) -> Value:
    """sum(terms) / samples; a sample may bring two terms (binary cross-entropy).

    One term for one sample is its own mean: no sum-of-one or "/ 1" nodes in a drawing.
    """
    return terms[0] if len(terms) == samples == 1 else F.sum(terms) / samples


def _weighted(term: Value, weight: float) -> Value:
    return term if weight == 1.0 else term * weight


def mse(predictions: Predictions, targets: Targets) -> Value:
    """Mean squared error: mean((prediction - target)^2)."""
    return _mean([(p - t) ** 2 for p, t in _pairs(predictions, targets)])


def _clamped_log(x: Value) -> Value:
    return x.log() if x.data > _SMALLEST_LOGGED else Value(_LOG_FLOOR)


def binary_cross_entropy(probabilities: Predictions, targets: Targets) -> Value:
    """mean(-(t*log(p) + (1-t)*log(1-p))), for probabilities p in [0, 1], targets in [0, 1].

    Use binary_cross_entropy_with_logits on raw scores: it is stable where this is not.
    """
    pairs = _pairs(probabilities, targets)
    log_likelihoods = []
    for p, t in pairs:
        if not 0.0 <= p.data <= 1.0:
            raise ValueError(
                f"binary_cross_entropy needs probabilities in [0, 1], got {p.data!r} "
                "(for raw scores use binary_cross_entropy_with_logits)"
            )
        _check_probability_target(t)
        # A term whose weight is 0 is left out: a smaller graph, and no 0 * log(0).
        if t != 0.0:
            log_likelihoods.append(_weighted(_clamped_log(p), t))
        if t != 1.0:
            log_likelihoods.append(_weighted(_clamped_log(1.0 - p), 1.0 - t))
    return -_mean_over(log_likelihoods, len(pairs))


def _check_probability_target(t: float) -> None:
    if not 0.0 <= t <= 1.0:
        raise ValueError(f"binary cross-entropy targets must lie in [0, 1], got {t!r}")


def binary_cross_entropy_with_logits(logits: Predictions, targets: Targets) -> Value:
    """Binary cross-entropy of sigmoid(z), computed from z as mean(softplus(z) - t*z).

    -(t*log(sigmoid(z)) + (1-t)*log(1 - sigmoid(z))) simplifies to softplus(z) - t*z,
    and softplus never overflows, so any finite z gives a finite loss and gradient.
    """
    terms = []
    for z, t in _pairs(logits, targets):
        _check_probability_target(t)
        terms.append(z.softplus() - z * t if t != 0.0 else z.softplus())
    return _mean(terms)


def cross_entropy(
    logits: Sequence[Operand] | Sequence[Sequence[Operand]], targets: int | Sequence[int]
) -> Value:
    """Softmax + negative log-likelihood on raw scores: mean(logsumexp(z) - z[target]).

    One sample: `cross_entropy([z0, z1, z2], 2)`. A batch: a list of such rows and a
    list of class indices. Stable for any finite scores (logsumexp shifts by the max).
    """
    if isinstance(targets, int):
        rows: Sequence[Sequence[Operand]] = [logits]  # type: ignore[list-item]
        classes: Sequence[int] = [targets]
    else:
        rows, classes = logits, targets  # type: ignore[assignment]
    if len(rows) != len(classes):
        raise ValueError(f"{len(rows)} rows of scores but {len(classes)} targets")
    if not rows:
        raise ValueError("a loss needs at least one prediction")
    terms: list[Value] = []
    for row, target in zip(rows, classes):
        if isinstance(target, bool) or not isinstance(target, int):
            raise TypeError(f"a class target must be an int, got {type(target).__name__}")
        if not 0 <= target < len(row):
            raise ValueError(f"class {target} is out of range for {len(row)} scores")
        terms.append(F.logsumexp(row) - row[target])
    return _mean(terms)


def hinge(scores: Predictions, targets: Targets) -> Value:
    """micrograd's max-margin loss: mean(relu(1 - t*score)), targets -1 or +1.

    Zero once every score is on its target's side by a margin of at least 1.
    """
    return _mean([(1.0 - s * t).relu() for s, t in _pairs(scores, targets)])


def l2(values: Iterable[Value]) -> Value:
    """sum(v^2): add `alpha * l2(model.parameters())` to a loss to keep weights small."""
    return F.sum(v * v for v in values)
