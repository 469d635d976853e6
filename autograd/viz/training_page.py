"""The training view: a run recorded through the training loop's callback, written as one
self-contained page that plays it back (loss and accuracy, the decision boundary, the size
of the gradients reaching each layer, and one sample's gradient flow).

    >>> from autograd.nn import train
    >>> from autograd.viz.training_page import TrainingRecorder
    >>> run = train.prepare("xor", epochs=300)
    >>> recorder = TrainingRecorder.for_run(run)
    >>> history = run.fit(on_epoch=recorder)
    >>> recorder.save_html("run.html")      # doctest: +SKIP

What is kept (so that a 5000-epoch run makes a page of a few hundred KB, not tens of MB):

- the curves (loss, accuracy, per-layer gradient size) at most CURVE_POINTS epochs,
  every k-th with k = ceil(epochs / CURVE_POINTS), plus the first and the last;
- the decision boundary (2-D inputs only) at SNAPSHOTS epochs spaced geometrically from
  the first to the last (1, 3, 11, 38, 130, 439, 1481, 5000 for 5000 epochs), as a
  GRID x GRID picture of the predicted class and its probability, one byte each;
- one sample's gradient-flow drawing (viz.draw, collapsed by layer when the sample's
  graph has more than UNCOLLAPSED_NODES nodes) at the same epochs.
The size of the gradient reaching a layer is the root mean square of d(loss)/d(p) over
its weights and biases p, after that epoch's backward (before the update is undone by the
next zero_grad): a vanishing gradient shows as a line falling far below the others.

The recorder reads the model only through `.layers` (each with `.parameters()`), and the
objective through `predict`, so viz does not import nn (see autograd/__init__.py).
"""

from __future__ import annotations

import base64
import html
import json
import math
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from ..engine import Value, topological_order
from ..modes import no_grad
from . import page_assets
from .page import svg_element, write_page

CURVE_POINTS = 1000
SNAPSHOTS = 8
GRID = 36
UNCOLLAPSED_NODES = 150  # a sample's drawing with more value nodes is collapsed


class EpochRecord(Protocol):
    """What the training loop's callback receives (autograd.nn.train.Epoch)."""

    @property
    def epoch(self) -> int: ...  # from 1

    @property
    def loss(self) -> float: ...

    @property
    def accuracy(self) -> float: ...


def snapshot_epochs(epochs: int, count: int = SNAPSHOTS) -> list[int]:
    """`count` epochs from 1 to `epochs`, spaced geometrically (training moves fastest at
    the start).

    >>> snapshot_epochs(5000)
    [1, 3, 11, 38, 130, 439, 1481, 5000]
    >>> snapshot_epochs(3)
    [1, 2, 3]
    """
    if epochs <= count:
        return list(range(1, epochs + 1))
    if count < 2:
        return [epochs]
    chosen = {round(epochs ** (k / (count - 1))) for k in range(count)}
    return sorted(chosen)


def curve_epochs(epochs: int, points: int = CURVE_POINTS) -> set[int]:
    """The epochs the curves keep: every k-th, the first and the last."""
    every = max(1, math.ceil(epochs / points))
    return {1, epochs, *range(every, epochs + 1, every)}


def _short(x: float) -> float | None:
    """A number with 5 significant digits for the page (JSON has no NaN or infinity)."""
    return float(f"{x:.5g}") if math.isfinite(x) else None


def keep_curve(curve: dict[str, list[float | None]], record: EpochRecord) -> None:
    """Append the record's epoch, loss and accuracy to the curves."""
    curve["epoch"].append(record.epoch)
    curve["loss"].append(_short(record.loss))
    curve["accuracy"].append(_short(record.accuracy))


def _bytes(values: Sequence[int]) -> str:
    return base64.b64encode(bytes(values)).decode("ascii")


@dataclass
class Snapshot:
    epoch: int
    classes: str = ""  # base64, one byte per grid cell
    confidence: str = ""  # base64, probability of the predicted class * 255
    svg: str = ""


class TrainingRecorder:
    """An `on_epoch` callback that keeps what the training page plays back.

    layers:      (name, parameters) per layer, for the gradient sizes.
    X, y:        the training data (points drawn on the boundary when 2-D).
    epochs:      how many epochs the run has (to choose which to keep).
    probabilities: point -> one probability per class, under no_grad (for the boundary).
    sample_loss: i -> the loss of sample i alone, as a graph (for the drawing).
    """

    def __init__(
        self,
        layers: Sequence[tuple[str, Sequence[Value]]],
        X: Sequence[Sequence[float]],
        y: Sequence[int],
        epochs: int,
        *,
        probabilities: Callable[[Sequence[float]], Sequence[float]] | None = None,
        sample_loss: Callable[[int], Value] | None = None,
        sample: int = 0,
        title: str = "training run",
        description: str = "",
    ) -> None:
        if epochs < 1:
            raise ValueError(f"epochs must be at least 1, got {epochs}")
        self.layers = [(name, list(params)) for name, params in layers]
        self.X, self.y, self.epochs = X, y, epochs
        self.probabilities = probabilities if X and len(X[0]) == 2 else None
        self.sample_loss = sample_loss
        self.sample = sample
        self.title, self.description = title, description
        self.kept = curve_epochs(epochs)
        self.snapshot_at = set(snapshot_epochs(epochs))
        self.curve: dict[str, list[float | None]] = {"epoch": [], "loss": [], "accuracy": []}
        self.sizes: dict[str, list[float | None]] = {name: [] for name, _ in self.layers}
        self.snapshots: list[Snapshot] = []
        self.box = _bounds(X) if self.probabilities else (0.0, 1.0, 0.0, 1.0)

    @classmethod
    def for_run(cls, run: Any, *, sample: int = 0) -> TrainingRecorder:
        """A recorder for a `train.prepare(...)` run (anything with model, X, y, epochs
        and recipe.objective with `loss(outputs, labels)` and `predict(output)`)."""
        model, objective = run.model, run.recipe.objective
        layers = [(f"L{k}", layer.parameters()) for k, layer in enumerate(model.layers, 1)]
        # An objective that predicts class 1 for an output of 0.25 reads scores (logits,
        # hinge): squash them; one that does not reads probabilities already.
        squash = objective.predict(Value(0.25)) == 1

        def probabilities(point: Sequence[float]) -> list[float]:
            out = model(point)
            if isinstance(out, list):
                scores = [o.data for o in out]
                top = max(scores)
                exps = [math.exp(s - top) for s in scores]
                return [e / sum(exps) for e in exps]
            p = 1.0 / (1.0 + math.exp(-out.data)) if squash else out.data
            return [1.0 - p, p]

        def sample_loss(i: int) -> Value:
            loss: Value = objective.loss([model(run.X[i])], [run.y[i]])
            return loss

        described = run.describe() if hasattr(run, "describe") else ""
        return cls(
            layers,
            run.X,
            run.y,
            run.epochs,
            probabilities=probabilities,
            sample_loss=sample_loss,
            sample=sample,
            title=f"training {model}",
            description=described,
        )

    def __call__(self, record: EpochRecord) -> None:
        epoch = record.epoch
        if epoch in self.kept:
            keep_curve(self.curve, record)
            for name, params in self.layers:
                square = sum(p.grad * p.grad for p in params) / max(len(params), 1)
                self.sizes[name].append(_short(math.sqrt(square)))
        if epoch in self.snapshot_at:
            self.snapshots.append(self._snapshot(epoch))

    def _snapshot(self, epoch: int) -> Snapshot:
        shot = Snapshot(epoch)
        if self.probabilities is not None:
            classes, confidence = [], []
            x0, x1, y0, y1 = self.box
            with no_grad():
                for row in range(GRID):
                    b = y1 - (row + 0.5) * (y1 - y0) / GRID  # the top row first
                    for col in range(GRID):
                        a = x0 + (col + 0.5) * (x1 - x0) / GRID
                        p = self.probabilities([a, b])
                        best = max(range(len(p)), key=p.__getitem__)
                        classes.append(best)
                        confidence.append(round(255 * min(max(p[best], 0.0), 1.0)))
            shot.classes, shot.confidence = _bytes(classes), _bytes(confidence)
        if self.sample_loss is not None:
            shot.svg = self._drawing()
        return shot

    def _drawing(self) -> str:
        """One sample's gradient flow now; the parameters' grads are left as they were."""
        try:
            from . import drawing
        except ImportError:
            return ""
        assert self.sample_loss is not None
        params = [p for _, layer in self.layers for p in layer]
        saved = [p.grad for p in params]
        try:
            for p in params:
                p.grad = 0.0
            loss = self.sample_loss(self.sample)
            loss.backward()
            size = len(topological_order([loss]))
            collapse = None if size <= UNCOLLAPSED_NODES else "layer"
            picture = drawing.draw(loss, collapse=collapse, legend=True)
            return svg_element(picture.pipe(format="svg", encoding="utf-8"))
        except drawing.GraphvizNotFound:
            return ""
        finally:
            for p, grad in zip(params, saved):
                p.grad = grad

    def data(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "epochs": self.epochs,
            "curve": self.curve,
            "sizes": self.sizes,
            "grid": GRID,
            "sample": self.sample,
            "box": list(self.box),
            "points": [[_short(x[0]), _short(x[1]), int(c)] for x, c in zip(self.X, self.y)]
            if self.probabilities
            else [],
            "shots": [
                {"epoch": s.epoch, "classes": s.classes, "confidence": s.confidence}
                for s in self.snapshots
            ],
        }

    def html(self) -> str:
        """The page."""
        drawings = "".join(
            f'<div class="flow" data-epoch="{s.epoch}" hidden>{s.svg}</div>'
            for s in self.snapshots
            if s.svg
        )
        payload = json.dumps(self.data(), separators=(",", ":"), allow_nan=False)
        return page_assets.TRAINING.format(
            title=html.escape(self.title),
            description=html.escape(self.description),
            style=page_assets.STYLE,
            sampling=html.escape(_sampling(self.epochs)),
            drawings=drawings or "<p>(no drawing: Graphviz is not installed)</p>",
            data=payload.replace("</", "<\\/"),
            script=page_assets.TRAINING_SCRIPT,
        )

    def save_html(self, path: str | os.PathLike[str]) -> str:
        """Write the page to `path` (atomically); a clear OSError when it cannot."""
        return write_page(path, self.html())


def _sampling(epochs: int) -> str:
    every = max(1, math.ceil(epochs / CURVE_POINTS))
    shots = ", ".join(map(str, snapshot_epochs(epochs)))
    kept = "every epoch" if every == 1 else f"every {every}th epoch (and the first and last)"
    return f"curves: {kept}; decision boundary and gradient flow after epochs {shots}."


def _bounds(X: Sequence[Sequence[float]]) -> tuple[float, float, float, float]:
    """The points' bounding box, with a margin of 15% on each side."""
    xs, ys = [p[0] for p in X], [p[1] for p in X]
    box = []
    for low, high in ((min(xs), max(xs)), (min(ys), max(ys))):
        margin = 0.15 * (high - low or 1.0)
        box += [low - margin, high + margin]
    return box[0], box[1], box[2], box[3]
