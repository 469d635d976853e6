"""One trained moons MLP, 10,000 inputs, three ways to evaluate it; time per sample.

    python benchmarks/bench_batch.py [--samples N] [--epochs E] [--repeats R]

(a) the scalar engine, rebuilding the graph for every sample (as training does);
(b) the compiled tape: the graph recorded once, replayed as one NumPy pass;
(c) onnxruntime running the exported ONNX model.
Gradients with respect to the inputs are timed too for (a) and (b). The target is
(b) at least 100x faster per sample than (a). Then the same network at float32,
float16 and int8: size and accuracy. Needs the `export` extra.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # benchmark this checkout

import numpy as np
import onnxruntime as ort

from autograd import Value, accel
from autograd.accel import export
from autograd.accel.precision import format_report, precision_report
from autograd.nn import data, train


def best_of(repeats: int, run: Callable[[], Any]) -> tuple[float, Any]:
    """The fastest of `repeats` runs (the least disturbed by other processes), and its result."""
    best, result = float("inf"), None
    for _ in range(repeats):
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    return best, result


def scalar_forward(model: Any, X: Any) -> Any:
    return np.array([model([Value(a), Value(b)]).data for a, b in X])


def scalar_gradients(model: Any, X: Any) -> Any:
    rows = []
    for a, b in X:
        inputs = [Value(a), Value(b)]
        model(inputs).backward()
        rows.append([x.grad for x in inputs])
    return np.array(rows)


def onnxruntime_forward(model: Any, dtype: str) -> Callable[[Any], Any]:
    onnx_model = export.mlp_to_onnx(model, dtype)
    session = ort.InferenceSession(
        onnx_model.SerializeToString(), providers=["CPUExecutionProvider"]
    )
    return lambda X: session.run(None, {"x": X.astype(dtype)})[0][:, 0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=10_000)
    parser.add_argument("--epochs", type=int, default=100, help="training epochs (100)")
    parser.add_argument("--repeats", type=int, default=5, help="fast runs: best of R (5)")
    args = parser.parse_args()

    start = time.perf_counter()
    run = train.prepare("moons", epochs=args.epochs)
    history = run.fit()
    model = run.model
    print(
        f"{model}, trained {args.epochs} epochs in {time.perf_counter() - start:.1f} s "
        f"(training accuracy {history[-1].accuracy:.0%})"
    )
    X = np.array(data.moons(args.samples, 0.1, seed=1)[0])
    n = len(X)

    start = time.perf_counter()
    leaves = [Value(0.0, label="x1"), Value(0.0, label="x2")]
    tape = accel.compile(model(leaves), leaves)
    compile_time = time.perf_counter() - start
    print(f"compiled to a tape of {len(tape.instructions)} instructions in {compile_time:.3f} s")
    print(f"evaluating {n} inputs; fast rows are the best of {args.repeats} runs\n")

    forward: list[tuple[str, float, Any]] = []
    seconds, out = best_of(1, lambda: scalar_forward(model, X))
    forward.append(("(a) scalar engine, graph per sample", seconds, out))
    seconds, out = best_of(args.repeats, lambda: tape(*X.T))
    forward.append(("(b) compiled tape, one NumPy pass", seconds, out))
    for dtype in ("float32", "float64"):
        run_onnx = onnxruntime_forward(model, dtype)
        seconds, out = best_of(args.repeats, lambda run_onnx=run_onnx: run_onnx(X))
        forward.append((f"(c) onnxruntime, {dtype}", seconds, out))
    gradients: list[tuple[str, float, Any]] = []
    seconds, out = best_of(1, lambda: scalar_gradients(model, X))
    gradients.append(("(a) scalar engine, backward()", seconds, out))
    seconds, (_, out) = best_of(args.repeats, lambda: tape.value_and_grad(*X.T))
    gradients.append(("(b) compiled tape, value_and_grad", seconds, np.array(out).T))

    print(f"{'':<40}{'total s':>10}{'us/sample':>12}{'vs (a)':>10}{'max |diff|':>12}")
    for title, rows in [("outputs", forward), ("outputs and input gradients", gradients)]:
        print(title)
        baseline, reference = rows[0][1], rows[0][2]
        for name, seconds, out in rows:
            print(
                f"  {name:<38}{seconds:>10.3f}{seconds / n * 1e6:>12.2f}"
                f"{baseline / seconds:>9.0f}x{np.max(np.abs(out - reference)):>12.1g}"
            )

    # The NPU lesson: the same network at lower precision, on a fresh test set.
    X_test, y_test = data.moons(1000, 0.1, seed=2)
    print(f"\nlow precision, accuracy on {len(X_test)} fresh moons points:")
    print(format_report(precision_report(model, X_test, y_test, calibration=run.X)))


if __name__ == "__main__":
    main()
