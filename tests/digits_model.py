"""A small trained digits CNN, trained once per test session through the compiled tape (fused).

The scalar engine takes minutes for the digits CNN; the tests need a trained one in
seconds. So one sample's loss is recorded once with the engine (the pixels and the
one-hot label as inputs, the weights as parameters), compiled to a tape, and replayed
on each mini-batch with NumPy: the same sums and derivative rules, on arrays. The data
and its train/test split are those of `python -m autograd train digits` (seed 0).
"""

from __future__ import annotations

import functools
from typing import Any

from optional import require

from autograd import Value
from autograd import functional as F
from autograd.nn import Adam, tasks
from autograd.nn.sequential import Sequential

np = require("numpy")
tape = require("autograd.accel.tape")
fusion = require("autograd.accel.fusion")

CHANNELS = 4  # a small CNN: conv 3x3 x 4 -> relu -> max pool 2 -> linear 10
EPOCHS, BATCH, LR = 5, 50, 0.03


@functools.cache
def trained_digits_cnn() -> tuple[Sequential, Any, Any, Any, Any]:
    """(model, X_train, y_train, X_test, y_test) as arrays of images [n][1][8][8] and
    labels. Do not change the model: it is shared."""
    run = tasks.prepare_task("digits")
    model = tasks.digits_cnn(seed=0, channels=CHANNELS)
    pixels = [Value(0.0) for _ in range(64)]
    one_hot = [Value(0.0) for _ in range(10)]
    scores = model([[pixels[8 * r : 8 * r + 8] for r in range(8)]])
    loss = -F.sum([t * p for t, p in zip(one_hot, F.log_softmax(scores))])
    parameters = model.parameters()
    program = fusion.fuse(tape.compile(loss, [*pixels, *one_hot], parameters))
    X, y = np.array(run.X).reshape(len(run.X), 64), np.array(run.y)
    optimizer = Adam(parameters, lr=LR)
    order = np.random.default_rng(0)
    for _ in range(EPOCHS):
        shuffled = order.permutation(len(X))
        for start in range(0, len(X), BATCH):
            batch = shuffled[start : start + BATCH]
            columns = [*X[batch].T, *np.eye(10)[y[batch]].T]
            weights = np.array([p.data for p in parameters])
            _, grads = program.value_and_grad(*columns, params=weights, summed=True)
            for p, g in zip(parameters, grads[-1] / len(batch)):
                p.grad = float(g)
            optimizer.step()
    return (
        model,
        np.array(run.X),
        y,
        np.array(run.X_test),
        np.array(run.y_test),
    )
