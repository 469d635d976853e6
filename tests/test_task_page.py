"""The task page's recorder (train digits|echo --html), without a browser: what it keeps,
what it refuses, and that the page is one self-contained file written atomically.
tests/test_browser.py opens the page itself."""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from autograd.viz.page import PageError
from autograd.viz.task_page import KEPT_IMAGES, TaskRecorder


@dataclass
class Record:
    epoch: int
    loss: float
    accuracy: float


def images(n: int) -> list[list[list[list[float]]]]:
    return [[[[0.1 * ((k + r + c) % 10) for c in range(3)] for r in range(3)]] for k in range(n)]


def scores_of(image: list[list[list[float]]]) -> list[float]:
    """A fixed 'network': class k scores the k-th pixel of the first row."""
    return [image[0][0][0], image[0][0][1], image[0][0][2]]


def recorded(epochs: int = 3, n: int = 50) -> TaskRecorder:
    filters = [[[[1.0, -2.0], [0.5, 0.0]]]]  # [out][in][kh][kw]
    recorder = TaskRecorder(
        scores_of, images(n), [k % 3 for k in range(n)], epochs, filters=lambda: filters
    )
    for epoch in range(1, epochs + 1):
        recorder(Record(epoch, 1.0 / epoch, 0.3 * epoch / epochs))
    return recorder


def test_it_keeps_curves_answers_and_filters_at_each_epoch_of_a_short_run() -> None:
    data = recorded().data()
    assert data["kind"] == "images" and data["curve"]["epoch"] == [1, 2, 3]
    assert data["curve"]["loss"] == [1.0, 0.5, 0.33333]
    assert [s["epoch"] for s in data["shots"]] == [1, 2, 3]
    shot = data["shots"][-1]
    X, y = images(50), [k % 3 for k in range(50)]
    expected = [max(range(3), key=scores_of(x).__getitem__) for x in X]
    assert shot["predicted"] == expected  # all 50: fewer than KEPT_IMAGES
    assert shot["test_accuracy"] == pytest.approx(
        sum(p == c for p, c in zip(expected, y)) / 50, abs=1e-5
    )
    s = scores_of(X[0])
    softmax = math.exp(max(s)) / sum(math.exp(v) for v in s)
    assert shot["confidence"][0] == pytest.approx(softmax, abs=1e-3)
    assert data["filter_shape"] == [1, 1, 2, 2] and shot["filters"] == [1.0, -2.0, 0.5, 0.0]
    assert data["shown"]["shape"] == [1, 3, 3] and data["shown"]["labels"] == y


def test_a_long_test_set_keeps_the_first_kept_images() -> None:
    data = recorded(epochs=1, n=KEPT_IMAGES + 5).data()
    assert len(data["shots"][0]["predicted"]) == KEPT_IMAGES
    assert len(data["shown"]["labels"]) == KEPT_IMAGES


def test_sequences_are_shown_as_their_inputs() -> None:
    X = [[[1.0], [-1.0], [1.0]], [[-1.0], [1.0], [1.0]]]
    recorder = TaskRecorder(lambda x: [-x[0][0], x[0][0]], X, [1, 0], 1)
    recorder(Record(1, 0.7, 0.5))
    data = recorder.data()
    assert data["kind"] == "sequences" and data["filter_shape"] is None
    assert data["shown"]["sequences"] == [[1.0, -1.0, 1.0], [-1.0, 1.0, 1.0]]
    assert data["shots"][0]["predicted"] == [1, 0] and data["shots"][0]["test_accuracy"] == 1.0


def test_the_page_is_self_contained_and_written_atomically(tmp_path: Path) -> None:
    recorder = recorded()
    path = Path(recorder.save_html(tmp_path / "page.html"))
    page = path.read_text()
    assert page.startswith("<!DOCTYPE html>") and '"kind":"images"' in page
    for outside in ("http:", "https:", "src=", "<link"):
        assert outside not in page
    with pytest.raises(PageError, match="there is no directory"):
        recorder.save_html(tmp_path / "missing" / "page.html")
    (tmp_path / "dir.html").mkdir()
    with pytest.raises(PageError, match="it is a directory"):
        recorder.save_html(tmp_path / "dir.html")
    assert sorted(os.listdir(tmp_path)) == ["dir.html", "page.html"]  # no temporary file


def test_bad_requests_get_clear_errors() -> None:
    with pytest.raises(ValueError, match="epochs must be at least 1"):
        TaskRecorder(scores_of, images(2), [0, 1], 0)
    with pytest.raises(ValueError, match="2 samples and 1 labels"):
        TaskRecorder(scores_of, images(2), [0], 3)
    with pytest.raises(ValueError, match="nothing recorded yet"):
        TaskRecorder(scores_of, images(2), [0, 1], 3).html()
