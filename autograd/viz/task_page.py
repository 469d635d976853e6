"""The training page of the tasks (`train digits`, `train echo`): a run recorded through
the training loop's callback, written as one self-contained page that plays it back.

    >>> from autograd.nn import tasks
    >>> from autograd.viz.task_page import TaskRecorder
    >>> run = tasks.prepare_task("echo", epochs=2, delay=2, samples=32)
    >>> recorder = TaskRecorder.for_task(run)
    >>> history = run.fit(on_epoch=recorder)
    >>> recorder.save_html("echo.html")      # doctest: +SKIP

The page shows the loss and the training accuracy of every kept epoch (as the training
page of the toy datasets does, `viz.training_page`), and at SNAPSHOTS epochs spaced
geometrically (every epoch of a short run):

- the accuracy on the whole held-out test set;
- the first SHOWN_IMAGES test digits (or SHOWN_SEQUENCES test sequences of the echo
  task) with the class the network gives each, and how sure it is: green when right,
  red when wrong; and, for digits, up to SHOWN_IMAGES of the test digits it gets wrong
  (among the first KEPT_IMAGES, whose pixels and answers the page keeps);
- for a network whose first module has convolution filters (`.weight` as
  [out][in][kh][kw]), those filters, one colour scale per snapshot.

The recorder reads the model only by calling it on a sample (scores out) and through
its first module's `.weight`, so viz does not import nn.
"""

from __future__ import annotations

import base64
import html
import json
import math
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..engine import Value
from ..modes import no_grad
from . import page_assets
from .page import write_page
from .training_page import (
    CURVE_POINTS,
    EpochRecord,
    _short,
    curve_epochs,
    keep_curve,
    snapshot_epochs,
)

SHOWN_IMAGES = 40
SHOWN_SEQUENCES = 8
KEPT_IMAGES = 1000  # test digits kept (64 bytes each at 8x8), to find the mistakes among

Scores = Callable[[Any], Sequence[float]]


def _depth(x: object) -> int:
    """How deeply lists nest at the start of x: 3 for an image [C][H][W]."""
    depth = 0
    while isinstance(x, (list, tuple)) and x:
        x, depth = x[0], depth + 1
    return depth


def _number(x: object) -> float:
    return x.data if isinstance(x, Value) else float(x)  # type: ignore[arg-type]


def _flat(x: object) -> list[float]:
    if isinstance(x, (list, tuple)):
        return [v for item in x for v in _flat(item)]
    return [_number(x)]


def _shape(x: object) -> list[int]:
    shape = []
    while isinstance(x, (list, tuple)):
        shape.append(len(x))
        x = x[0]
    return shape


@dataclass
class TaskSnapshot:
    epoch: int
    test_accuracy: float
    predicted: list[int]
    confidence: list[float]  # the probability (softmax) of the predicted class
    filters: list[float | None]  # the first layer's, flattened (empty: no filters)


class TaskRecorder:
    """An `on_epoch` callback that keeps what the task page plays back.

    scores:  sample -> the network's scores (logits), one per class.
    X_test, y_test: the held-out samples: images [C][H][W] or sequences [T][F].
    epochs:  how many epochs the run has (to choose which to keep).
    filters: () -> the first layer's filters [out][in][kh][kw] (numbers or Values), if any.
    """

    def __init__(
        self,
        scores: Scores,
        X_test: Sequence[Any],
        y_test: Sequence[int],
        epochs: int,
        *,
        filters: Callable[[], Any] | None = None,
        title: str = "training run",
        description: str = "",
    ) -> None:
        if epochs < 1:
            raise ValueError(f"epochs must be at least 1, got {epochs}")
        if not X_test or len(X_test) != len(y_test):
            raise ValueError(
                f"need test samples and one label each, got {len(X_test)} samples and "
                f"{len(y_test)} labels"
            )
        self.scores, self.filters = scores, filters
        self.X_test, self.y_test, self.epochs = X_test, list(y_test), epochs
        self.kind = "images" if _depth(X_test[0]) == 3 else "sequences"
        self.kept_samples = min(
            len(X_test), KEPT_IMAGES if self.kind == "images" else SHOWN_SEQUENCES
        )
        self.title, self.description = title, description
        self.kept = curve_epochs(epochs)
        self.snapshot_at = set(snapshot_epochs(epochs))
        self.curve: dict[str, list[float | None]] = {"epoch": [], "loss": [], "accuracy": []}
        self.snapshots: list[TaskSnapshot] = []

    @classmethod
    def for_task(cls, run: Any) -> TaskRecorder:
        """A recorder for a `tasks.prepare_task(...)` run (anything with model, X_test,
        y_test, epochs and describe())."""
        model = run.model
        first = model.modules[0] if hasattr(model, "modules") else None
        weight = getattr(first, "weight", None)
        filters = (lambda: weight) if _depth(weight) == 4 else None

        def scores(sample: Any) -> list[float]:
            return [o.data for o in model(sample)]

        return cls(
            scores,
            run.X_test,
            run.y_test,
            run.epochs,
            filters=filters,
            title=f"training {run.name}",
            description=run.describe(),
        )

    def __call__(self, record: EpochRecord) -> None:
        epoch = record.epoch
        if epoch in self.kept:
            keep_curve(self.curve, record)
        if epoch in self.snapshot_at:
            self.snapshots.append(self._snapshot(epoch))

    def _snapshot(self, epoch: int) -> TaskSnapshot:
        predicted, confidence, right = [], [], 0
        with no_grad():
            for k, (x, label) in enumerate(zip(self.X_test, self.y_test)):
                scores = list(self.scores(x))
                best = max(range(len(scores)), key=scores.__getitem__)
                right += best == label
                if k < self.kept_samples:
                    top = scores[best]
                    total = sum(math.exp(s - top) for s in scores)
                    predicted.append(best)
                    confidence.append(round(1.0 / total, 3))
        filters = [] if self.filters is None else [_short(w) for w in _flat(self.filters())]
        return TaskSnapshot(epoch, right / len(self.y_test), predicted, confidence, filters)

    def _shown_samples(self) -> dict[str, Any]:
        samples = self.X_test[: self.kept_samples]
        labels = self.y_test[: self.kept_samples]
        if self.kind == "sequences":
            return {
                "labels": labels,
                "sequences": [[_flat(step)[0] for step in s] for s in samples],
            }
        pixels = [round(255 * min(max(p, 0.0), 1.0)) for image in samples for p in _flat(image)]
        return {
            "labels": labels,
            "shape": _shape(samples[0]),
            "images": base64.b64encode(bytes(pixels)).decode("ascii"),
        }

    def data(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "epochs": self.epochs,
            "kind": self.kind,
            "curve": self.curve,
            "shown": self._shown_samples(),
            "filter_shape": _shape(self.filters()) if self.filters is not None else None,
            "shots": [
                {
                    "epoch": s.epoch,
                    "test_accuracy": _short(s.test_accuracy),
                    "predicted": s.predicted,
                    "confidence": s.confidence,
                    "filters": s.filters,
                }
                for s in self.snapshots
            ],
        }

    def html(self) -> str:
        """The page."""
        if not self.snapshots:
            raise ValueError("nothing recorded yet: pass the recorder to fit as on_epoch")
        payload = json.dumps(self.data(), separators=(",", ":"), allow_nan=False)
        return page_assets.TASK.format(
            title=html.escape(self.title),
            description=html.escape(self.description),
            style=page_assets.STYLE + page_assets.TASK_STYLE,
            test_samples=len(self.y_test),
            sampling=html.escape(_sampling(self.epochs, self.kept_samples, self.kind)),
            data=payload.replace("</", "<\\/"),
            script=page_assets.TASK_SCRIPT,
        )

    def save_html(self, path: str | os.PathLike[str]) -> str:
        """Write the page to `path` (atomically); a clear OSError when it cannot."""
        return write_page(path, self.html())


def _sampling(epochs: int, kept: int, kind: str) -> str:
    every = max(1, math.ceil(epochs / CURVE_POINTS))
    curve = "every epoch" if every == 1 else f"every {every}th epoch (and the first and last)"
    shots = ", ".join(map(str, snapshot_epochs(epochs)))
    samples = "digits" if kind == "images" else "sequences"
    return (
        f"curves: {curve}; test accuracy, the first {kept} test {samples} with their "
        f"predictions{' and the filters' if kind == 'images' else ''} after epochs {shots}."
    )
