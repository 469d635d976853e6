"""sum, dot, softmax, log_softmax, logsumexp: values and gradients against mpmath."""

from __future__ import annotations

import mpmath as mp
from hypothesis import given
from hypothesis import strategies as st
from oracle import close

from autograd import Value, dot, grad, log_softmax, logsumexp, softmax
from autograd import sum as vsum

mp.mp.dps = 50
LOGITS = st.lists(st.floats(-300, 300, allow_nan=False), min_size=1, max_size=6)


def mp_logsumexp(xs: list[mp.mpf]) -> mp.mpf:
    return mp.log(mp.fsum(mp.exp(x) for x in xs))


def gradient_of(f, xs: list[float]) -> list[mp.mpf]:  # type: ignore[no-untyped-def]
    at = [mp.mpf(x) for x in xs]
    return [
        mp.diff(lambda *v: f(list(v)), at, tuple(int(j == i) for j in range(len(xs))))
        for i in range(len(xs))
    ]


@given(LOGITS)
def test_logsumexp(xs: list[float]) -> None:
    leaves = [Value(x) for x in xs]
    out = logsumexp(leaves)
    assert close(out.data, mp_logsumexp([mp.mpf(x) for x in xs]), rel=1e-14)
    for ours, reference in zip(grad(out, leaves), gradient_of(mp_logsumexp, xs)):
        assert close(ours, reference)


@given(LOGITS, st.data())
def test_softmax_and_log_softmax(xs: list[float], data: st.DataObject) -> None:
    k = data.draw(st.integers(0, len(xs) - 1))
    leaves = [Value(x) for x in xs]
    probabilities = softmax(leaves)
    logs = log_softmax(leaves)

    def mp_log_softmax_k(v: list[mp.mpf]) -> mp.mpf:
        return v[k] - mp_logsumexp(v)

    def mp_softmax_k(v: list[mp.mpf]) -> mp.mpf:
        return mp.exp(mp_log_softmax_k(v))

    at = [mp.mpf(x) for x in xs]
    assert close(probabilities[k].data, mp_softmax_k(at), rel=1e-13)
    assert close(logs[k].data, mp_log_softmax_k(at), rel=1e-13, abs_=1e-12)
    assert abs(sum(p.data for p in probabilities) - 1.0) < 1e-12
    for ours, reference in zip(grad(probabilities[k], leaves), gradient_of(mp_softmax_k, xs)):
        assert close(ours, reference)
    for ours, reference in zip(grad(logs[k], leaves), gradient_of(mp_log_softmax_k, xs)):
        assert close(ours, reference)


@given(st.lists(st.tuples(st.floats(-1e3, 1e3), st.floats(-1e3, 1e3)), min_size=1, max_size=8))
def test_dot_and_sum(pairs: list[tuple[float, float]]) -> None:
    ws = [Value(w) for w, _ in pairs]
    xs = [x for _, x in pairs]  # plain numbers: folded into the products as constants
    out = dot(ws, xs)
    exact = mp.fsum(mp.mpf(w) * mp.mpf(x) for w, x in pairs)
    assert close(out.data, exact, rel=1e-15, abs_=1e-9)
    assert grad(out, ws) == xs
    total = vsum([*ws, 2.5])
    assert close(total.data, mp.fsum([*(mp.mpf(w) for w, _ in pairs), 2.5]), rel=1e-15)


def test_sum_of_plain_numbers_is_a_constant_leaf() -> None:
    total = vsum([1.0, 2.0, 3.5])
    assert total.data == 6.5 and total.parents == ()
