"""Losses: values against plain formulas in mpmath, gradients against central differences."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import mpmath as mp
import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import Value
from autograd.nn import losses

mp.mp.dps = 50
H = mp.mpf("1e-20")  # central-difference step, at 50 digits the error is ~H^2


def central_differences(f: Callable[[list[mp.mpf]], mp.mpf], xs: Sequence[float]) -> list[float]:
    """df/dx_i by (f(x + h e_i) - f(x - h e_i)) / 2h, in high precision."""
    grads = []
    for i in range(len(xs)):
        up = [mp.mpf(x) + (H if j == i else 0) for j, x in enumerate(xs)]
        down = [mp.mpf(x) - (H if j == i else 0) for j, x in enumerate(xs)]
        grads.append(float((f(up) - f(down)) / (2 * H)))
    return grads


def engine_gradients(
    loss: Callable[[list[Value]], Value], xs: Sequence[float]
) -> tuple[float, list[float]]:
    values = [Value(x) for x in xs]
    out = loss(values)
    out.backward()
    return out.data, [v.grad for v in values]


def check(
    loss: Callable[[list[Value]], Value],
    reference: Callable[[list[mp.mpf]], mp.mpf],
    xs: Sequence[float],
) -> None:
    value, grads = engine_gradients(loss, xs)
    assert value == pytest.approx(float(reference([mp.mpf(x) for x in xs])), rel=1e-12, abs=1e-14)
    assert grads == pytest.approx(central_differences(reference, xs), rel=1e-9, abs=1e-12)


def mean(terms: list[mp.mpf]) -> mp.mpf:
    return mp.fsum(terms) / len(terms)


def mp_sigmoid(z: mp.mpf) -> mp.mpf:
    return 1 / (1 + mp.exp(-z))


def mp_bce(p: mp.mpf, t: float) -> mp.mpf:
    return -(t * mp.log(p) + (1 - t) * mp.log(1 - p))


scores = st.lists(st.floats(-20, 20), min_size=1, max_size=5)
probabilities = st.lists(st.floats(0.001, 0.999), min_size=1, max_size=5)


@given(scores, st.data())
def test_mse(xs: list[float], data: st.DataObject) -> None:
    ts = data.draw(st.lists(st.floats(-20, 20), min_size=len(xs), max_size=len(xs)))
    check(
        lambda v: losses.mse(v, ts),
        lambda x: mean([(a - t) ** 2 for a, t in zip(x, ts)]),
        xs,
    )


@given(probabilities, st.data())
def test_binary_cross_entropy(ps: list[float], data: st.DataObject) -> None:
    ts = data.draw(st.lists(st.sampled_from([0.0, 1.0, 0.3]), min_size=len(ps), max_size=len(ps)))
    check(
        lambda v: losses.binary_cross_entropy(v, ts),
        lambda p: mean([mp_bce(a, t) for a, t in zip(p, ts)]),
        ps,
    )


@given(st.lists(st.floats(-30, 30), min_size=1, max_size=5), st.data())
def test_binary_cross_entropy_with_logits(zs: list[float], data: st.DataObject) -> None:
    ts = data.draw(st.lists(st.sampled_from([0.0, 1.0, 0.8]), min_size=len(zs), max_size=len(zs)))
    check(
        lambda v: losses.binary_cross_entropy_with_logits(v, ts),
        lambda z: mean([mp_bce(mp_sigmoid(a), t) for a, t in zip(z, ts)]),
        zs,
    )


@given(
    st.lists(st.floats(-30, 30), min_size=6, max_size=6),
    st.tuples(st.integers(0, 2), st.integers(0, 2)),
)
def test_cross_entropy(zs: list[float], targets: tuple[int, int]) -> None:
    def reference(z: list[mp.mpf]) -> mp.mpf:
        rows = [z[:3], z[3:]]
        return mean(
            [mp.log(mp.fsum(mp.exp(s) for s in row)) - row[t] for row, t in zip(rows, targets)]
        )

    check(lambda v: losses.cross_entropy([v[:3], v[3:]], list(targets)), reference, zs)


@given(
    st.lists(st.floats(-5, 5).filter(lambda s: abs(abs(s) - 1) > 1e-6), min_size=1, max_size=5),
    st.data(),
)
def test_hinge(ss: list[float], data: st.DataObject) -> None:
    # Away from the kink at t*s = 1, where the derivative jumps.
    ts = data.draw(st.lists(st.sampled_from([-1.0, 1.0]), min_size=len(ss), max_size=len(ss)))
    check(
        lambda v: losses.hinge(v, ts),
        lambda s: mean([mp.mpf(0) if 1 - t * a < 0 else 1 - t * a for a, t in zip(s, ts)]),
        ss,
    )


def test_l2_is_the_sum_of_squares() -> None:
    check(lambda v: losses.l2(v), lambda x: mp.fsum(a * a for a in x), [0.5, -2.0, 3.0])


def test_source_example_target_1_prediction_07() -> None:
    assert losses.mse(Value(0.7), 1.0).data == pytest.approx(0.09, rel=1e-12)
    assert losses.binary_cross_entropy(Value(0.7), 1.0).data == pytest.approx(-math.log(0.7))


def test_logits_losses_are_stable_for_huge_scores() -> None:
    value, grads = engine_gradients(
        lambda v: losses.binary_cross_entropy_with_logits(v, [0.0, 1.0]), [1000.0, -1000.0]
    )
    assert value == 1000.0
    assert grads == [0.5, -0.5]
    value, grads = engine_gradients(lambda v: losses.cross_entropy(v, 1), [1000.0, 0.0, -1000.0])
    assert value == 1000.0
    assert grads == [1.0, -1.0, 0.0]


def test_saturated_probability_is_clamped_like_pytorch() -> None:
    p = Value(40.0).sigmoid()
    assert p.data == 1.0  # sigmoid(40) rounds to exactly 1
    loss = losses.binary_cross_entropy(p, 0.0)
    assert loss.data == 100.0  # -log(1 - p) clamped at 100, not log(0)
    loss.backward()  # the clamp is a constant: no error, no gradient
    assert p.grad == 0.0


def test_a_single_pair_and_a_batch_agree() -> None:
    single = losses.hinge(Value(0.3), -1.0).data
    assert losses.hinge([Value(0.3)], [-1.0]).data == single == pytest.approx(1.3)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: losses.mse([Value(1.0)], [1.0, 2.0]), ValueError, "1 predictions but 2 targets"),
        (lambda: losses.mse([], []), ValueError, "at least one"),
        (lambda: losses.mse([Value(1.0)], 1.0), TypeError, "targets must be a sequence"),
        (lambda: losses.binary_cross_entropy(Value(1.5), 1.0), ValueError, "with_logits"),
        (lambda: losses.binary_cross_entropy(Value(0.5), 2.0), ValueError, r"\[0, 1\]"),
        (lambda: losses.cross_entropy([1.0, 2.0], 2), ValueError, "out of range"),
        (lambda: losses.cross_entropy([[1.0, 2.0]], [0.5]), TypeError, "must be an int"),
        (lambda: losses.hinge(Value(1.0), "1"), TypeError, "real number"),
    ],
)
def test_bad_input_is_named(
    call: Callable[[], object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        call()
