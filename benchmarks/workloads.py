"""The workloads: each builds a graph with one engine, times it, and returns its figures.

Every workload takes an engine and a size, runs a warm-up and then `runs` timed runs,
each on a fresh graph, and returns medians. Times cover building the graph (forward)
and backward separately; freeing a graph is not timed (micrograd's graphs hold cycles
and are freed later by the cyclic GC, so its cost would land elsewhere).
"""

from __future__ import annotations

import gc
import math
import os
import random
import resource
import statistics
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

from engines import Engine, Unsupported

Figures = dict[str, Any]

# The chain multiplies by A and adds B, alternately: d(out)/d(x) = A ** (ops / 2).
A, B = 0.9999, 0.0001


def _seconds(work: Callable[[], Any]) -> tuple[float, Any]:
    # CPU time, not wall time: other load on a shared machine shifts it much less.
    start = time.process_time()
    result = work()
    return time.process_time() - start, result


def _median(values: list[float]) -> float:
    return statistics.median(values)


def _check(condition: bool, what: str) -> None:
    if not condition:
        raise AssertionError(f"wrong result: {what}")


# --- a chain of n operations, depth n ---


def build_chain(engine: Engine, x: Any, ops: int) -> Any:
    y = x
    for _ in range(ops // 2):
        y = y * A + B
    return y


Graph = tuple[int, Callable[[], Any], Callable[[], bool]]  # ops, build, gradient is right


def _time_graphs(engine: Engine, runs: int, graph: Callable[[bool], Graph]) -> Figures:
    """A warm-up graph, then `runs` fresh ones: forward and backward time per operation."""
    forward: list[float] = []
    backward: list[float] = []
    figures: Figures = {}
    for run in range(runs + 1):
        ops, build, gradient_is_right = graph(run == 0)
        seconds, root = _seconds(build)
        if run:
            forward.append(seconds / ops)
        if engine.gradients and "note" not in figures:
            try:
                back, _ = _seconds(lambda root=root: engine.backward(root))
            except RecursionError:
                figures["note"] = "backward: RecursionError"
                continue
            _check(gradient_is_right(), "gradient")
            if run:
                backward.append(back / ops)
        del root
    figures["forward_ns"] = _median(forward) * 1e9
    if backward:
        figures["backward_ns"] = _median(backward) * 1e9
    return figures


def chain(engine: Engine, size: int, runs: int) -> Figures:
    """y = y * A + B, size operations deep."""

    def graph(warm_up: bool) -> Graph:
        ops = min(size, 10_000) if warm_up else size
        x = engine.leaf(1.0)
        expected = A ** (ops // 2)
        return (
            ops,
            lambda: build_chain(engine, x, ops),
            lambda: math.isclose(engine.grad(x), expected, rel_tol=1e-9),
        )

    return _time_graphs(engine, runs, graph)


# --- a wide graph: n products summed pairwise (depth log2 n) ---


def wide(engine: Engine, size: int, runs: int) -> Figures:
    """sum of a_i * b_i, added pairwise in a balanced tree."""
    rng = random.Random(0)

    def graph(warm_up: bool) -> Graph:
        a = [engine.leaf(rng.uniform(-1, 1)) for _ in range(size)]
        b = [engine.leaf(rng.uniform(-1, 1)) for _ in range(size)]
        return (
            2 * size - 1,
            lambda: _pairwise([x * y for x, y in zip(a, b)]),
            lambda: engine.grad(a[0]) == engine.data(b[0]),
        )

    return _time_graphs(engine, runs, graph)


def _pairwise(values: list[Any]) -> Any:
    while len(values) > 1:
        pairs = [values[i] + values[i + 1] for i in range(0, len(values) - 1, 2)]
        values = pairs + values[len(values) - len(values) % 2 :]
    return values[0]


# --- training steps: micrograd's moons demo, and a tanh MLP with MSE ---


def make_moons(n: int, noise: float, seed: int) -> tuple[list[tuple[float, float]], list[float]]:
    """Two interleaved half circles, labels -1 and 1 (scikit-learn's make_moons, in code)."""
    rng = random.Random(seed)
    half = n // 2
    points, labels = [], []
    for i in range(n):
        outer = i < half
        t = math.pi * (i if outer else i - half) / max((half if outer else n - half) - 1, 1)
        x, y = (math.cos(t), math.sin(t)) if outer else (1 - math.cos(t), 0.5 - math.sin(t))
        points.append((x + rng.gauss(0, noise), y + rng.gauss(0, noise)))
        labels.append(-1.0 if outer else 1.0)
    return points, labels


def _training(
    engine: Engine,
    runs: int,
    model: Any,
    points: list[tuple[float, ...]],
    loss_of: Callable[[list[Any]], Any],
) -> Figures:
    """Time whole steps: forward + loss, zero_grad, backward, SGD update."""
    optimizer = engine.optimizer(model, lr=0.05)
    steps, losses = [], []

    def step() -> Any:
        scores = [model([engine.input(v) for v in point]) for point in points]
        loss = loss_of(scores)
        if engine.gradients:
            optimizer.zero_grad()
            engine.backward(loss)
            optimizer.step()
        return loss

    for run in range(runs + 2):  # two warm-up steps
        seconds, loss = _seconds(step)
        losses.append(engine.data(loss))
        if run >= 2:
            steps.append(seconds)
    _check(all(math.isfinite(v) for v in losses), "finite losses")
    figures: Figures = {"step_ms": _median(steps) * 1e3, "loss": losses[-1]}
    if engine.gradients:
        _check(losses[-1] < losses[0], "the loss went down")
    return figures


def moons(engine: Engine, size: int, runs: int) -> Figures:
    """micrograd's demo step: MLP 2-16-16-1 (relu), hinge loss + 1e-4 L2, SGD."""
    points, labels = make_moons(size, noise=0.1, seed=1)
    model = engine.mlp(2, [16, 16, 1], activation="relu", seed=1337)
    params = model.parameters()
    return _training(
        engine, runs, model, points, lambda scores: engine.hinge_loss(scores, labels, params)
    )


def tanh_mlp(engine: Engine, size: int, runs: int) -> Figures:
    """MLP 4-16-16-1 with tanh, mean squared error over `size` samples, SGD."""
    rng = random.Random(2)
    points = [tuple(rng.uniform(-1, 1) for _ in range(4)) for _ in range(size)]
    targets = [math.sin(sum(p)) for p in points]
    model = engine.mlp(4, [16, 16, 1], activation="tanh", seed=7)
    return _training(engine, runs, model, points, lambda outputs: engine.mse_loss(outputs, targets))


# --- memory ---


def _rss() -> int:
    """Resident memory of this process in bytes (Linux)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _nodes(engine: Engine, ops: int) -> int:
    """Nodes in a chain of `ops` operations: micrograd also makes a leaf per constant."""
    return 2 * ops + 1 if engine.name == "micrograd" else ops + 1


def memory(engine: Engine, size: int, runs: int) -> Figures:
    """Bytes per operation and per node of a kept chain; is a dropped graph freed at once?"""
    if not engine.gradients:
        raise Unsupported("plain floats keep no graph")
    gc.collect()
    gc.disable()  # nothing but reference counting frees memory in what follows
    figures: Figures = {}
    before = _rss()
    x = engine.leaf(1.0)
    y = build_chain(engine, x, size)
    figures["rss_bytes_per_op"] = (_rss() - before) / size
    del x, y
    gc.collect()
    if engine.name == "torch":
        figures["note"] = "tracemalloc cannot see PyTorch's C++ allocations"
        return figures

    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    x = engine.leaf(1.0)
    y = build_chain(engine, x, size)
    kept = tracemalloc.get_traced_memory()[0] - base
    figures.update(bytes_per_op=kept / size, bytes_per_node=kept / _nodes(engine, size))
    try:
        engine.backward(y)
    except RecursionError:
        figures["note"] = "backward: RecursionError"
    else:
        kept = tracemalloc.get_traced_memory()[0] - base
        figures["after_backward_per_node"] = kept / _nodes(engine, size)
    del x, y
    # What stays is on CPython's free lists (up to 2,000 tuples of each size, 100 floats).
    left = tracemalloc.get_traced_memory()[0] - base
    figures["freed_without_gc"] = max(0.0, 1 - left / kept)
    tracemalloc.stop()
    return figures


# --- the deepest chain: build, backpropagate, free ---


def survive(engine: Engine, size: int, runs: int) -> Figures:
    """Build a chain of `size` operations, backpropagate, free it: times and peak memory."""
    if not engine.gradients:
        raise Unsupported("plain floats keep no graph")
    x = engine.leaf(1.0)
    build, y = _seconds(lambda: build_chain(engine, x, size))
    backward, _ = _seconds(lambda: engine.backward(y))
    _check(math.isclose(engine.grad(x), A ** (size // 2), rel_tol=1e-6), "chain gradient")

    def free() -> None:
        nonlocal y
        del y
        gc.collect()

    free_seconds, _ = _seconds(free)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux
    return {
        "build_s": build,
        "backward_s": backward,
        "free_s": free_seconds,
        "peak_rss_mb": peak / 2**20,
    }


WORKLOADS: dict[str, Callable[[Engine, int, int], Figures]] = {
    "moons": moons,
    "chain": chain,
    "wide": wide,
    "tanh_mlp": tanh_mlp,
    "memory": memory,
    "survive": survive,
}


# --- micrograd's demo step, built node for node as micrograd builds it ---


class MicrogradShapeMLP:
    """micrograd 0.1.0's `nn.MLP`, line for line, over any engine's leaves.

    Each neuron is `sum((wi * xi for wi, xi in zip(w, x)), b)`: one node per product
    and a chain of binary additions through Python's `sum`, starting from the bias;
    relu on every layer but the last. So every engine builds the same graph.
    """

    def __init__(self, engine: Engine, nin: int, sizes: list[int], seed: int) -> None:
        rng = random.Random(seed)
        self.engine = engine
        self.layers = [
            [
                ([engine.leaf(rng.uniform(-1, 1)) for _ in range(n_in)], engine.leaf(0.0))
                for _ in range(n_out)
            ]
            for n_in, n_out in zip([nin, *sizes], sizes)
        ]

    def __call__(self, x: list[Any]) -> Any:
        last = len(self.layers) - 1
        for i, layer in enumerate(self.layers):
            sums = [sum((wi * xi for wi, xi in zip(w, x)), b) for w, b in layer]
            x = sums if i == last else [self.engine.relu(s) for s in sums]
        return x[0]

    def parameters(self) -> list[Any]:
        return [p for layer in self.layers for w, b in layer for p in [*w, b]]


def _micrograd_shape_model(engine: Engine) -> Any:
    if engine.name == "micrograd":
        return engine.mlp(2, [16, 16, 1], activation="relu", seed=1337)
    if engine.name not in ("ours", "torch"):
        raise Unsupported("only the three autodiff engines build this graph")
    return MicrogradShapeMLP(engine, 2, [16, 16, 1], seed=1337)


def _zero_grad(engine: Engine, model: Any, params: list[Any]) -> None:
    if engine.name == "micrograd":
        model.zero_grad()
    elif engine.name == "torch":
        for p in params:
            p.grad = None
    else:
        for p in params:
            p.grad = 0.0


def micrograd_graph(engine: Engine, size: int, runs: int) -> Figures:
    """micrograd's demo step on micrograd's own graph: forward, backward, update timed apart.

    Forward: inputs as leaves (`list(map(Value, xrow))`), the MLP 2-16-16-1, the losses
    `relu(1 + -y * score)` summed by Python's `sum`, times 1/n, plus 1e-4 * sum(p * p).
    Backward: zero_grad, then backward. Update: SGD, p.data -= lr * p.grad.
    """
    points, labels = make_moons(size, noise=0.1, seed=1)
    model = _micrograd_shape_model(engine)
    params = model.parameters()
    leaf = engine.input if engine.name == "micrograd" else engine.leaf
    relu, lr = engine.relu, 0.05

    def forward() -> Any:
        inputs = [[leaf(v) for v in point] for point in points]
        scores = [model(x) for x in inputs]
        losses = [relu(1 + -y * s) for y, s in zip(labels, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        return data_loss + 1e-4 * sum(p * p for p in params)

    def backward(loss: Any) -> None:
        _zero_grad(engine, model, params)
        engine.backward(loss)

    def update() -> None:
        if engine.name == "torch":
            with engine.torch.no_grad():  # type: ignore[attr-defined]
                for p in params:
                    p -= lr * p.grad
        else:
            for p in params:
                p.data -= lr * p.grad

    phases: dict[str, list[float]] = {"forward_ms": [], "backward_ms": [], "update_ms": []}
    steps, losses = [], []
    for run in range(runs + 2):  # two warm-up steps
        f, loss = _seconds(forward)
        b, _ = _seconds(lambda loss=loss: backward(loss))
        u, _ = _seconds(update)
        losses.append(engine.data(loss))
        if run >= 2:
            for key, seconds in zip(phases, (f, b, u)):
                phases[key].append(seconds * 1e3)
            steps.append((f + b + u) * 1e3)
        del loss
    _check(all(math.isfinite(v) for v in losses) and losses[-1] < losses[0], "the loss fell")
    figures: Figures = {key: _median(values) for key, values in phases.items()}
    figures.update(step_ms=_median(steps), loss=losses[-1])
    return figures


WORKLOADS["micrograd_graph"] = micrograd_graph
