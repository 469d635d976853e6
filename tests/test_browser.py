"""The pages in a real browser: Debian's chromium, headless, driven by Playwright.

Every page is opened from a file, as a learner would double-click it, and must make no
request besides that file and log no console error. Without chromium or Playwright these
tests skip; in CI (AUTOGRAD_REQUIRE_OPTIONAL=1) they are required.
"""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from optional import require, require_program

pytestmark = pytest.mark.browser

sync_api = require("playwright.sync_api")
CHROMIUM = require_program("chromium")
require_program("dot")
require("graphviz")
Image = require("PIL.Image")

from autograd import MLP, Stepper, Value, topological_order  # noqa: E402
from autograd.cli.parser import build  # noqa: E402
from autograd.viz import page as backward_page  # noqa: E402

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
EXPRESSION = "tanh(x*w + b)"
SETTINGS = {"x": 0.5, "w": -1.2, "b": 0.3}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield launched
        launched.close()


@dataclass
class Opened:
    page: Any
    url: str
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def button(self, name: str) -> Any:
        return self.page.get_by_role("button", name=name, exact=True)

    def text(self, selector: str) -> str:
        return str(self.page.locator(selector).inner_text())

    def position(self) -> int:
        return int(self.page.locator("#slider").input_value())

    def current(self) -> list[str]:
        """The ids of the highlighted elements (the node being processed)."""
        ids: list[str] = self.page.eval_on_selector_all(".current", "els => els.map(e => e.id)")
        return ids

    def grad_texts(self) -> list[str]:
        """Every "grad ..." text shown in the visible drawing."""
        texts: list[str] = self.page.eval_on_selector_all(
            "section.view:not([hidden]) svg text", "els => els.map(e => e.textContent)"
        )
        return [t for t in texts if t.startswith("grad ")]

    def offline_and_clean(self) -> None:
        assert self.requests == [self.url], "the page asked for more than itself"
        assert self.errors == []


@pytest.fixture
def open_page(browser: Any) -> Iterator[Callable[[Path], Opened]]:
    contexts = []

    def opener(path: Path) -> Opened:
        context = browser.new_context(viewport={"width": 1100, "height": 800})
        contexts.append(context)
        page = context.new_page()
        opened = Opened(page, path.resolve().as_uri())
        page.on("console", lambda m: opened.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: opened.errors.append(str(error)))
        page.on("request", lambda request: opened.requests.append(request.url))
        page.goto(opened.url)
        page.wait_for_load_state("load")
        return opened

    yield opener
    for context in contexts:
        context.close()


def command(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "autograd", *args], capture_output=True, text=True, cwd=cwd
    )


@pytest.fixture(scope="module")
def step_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The acceptance command's page."""
    folder = tmp_path_factory.mktemp("step")
    result = command(
        "step", EXPRESSION, "--set", "x=0.5", "w=-1.2", "b=0.3", "--html", "page.html", cwd=folder
    )
    assert result.returncode == 0, result.stderr
    return folder / "page.html"


def backward_grads() -> dict[str, str]:
    """What backward() gives for the acceptance expression, printed as the drawing prints."""
    root = build(EXPRESSION, SETTINGS)
    root.backward()
    return {n.label: f"{n.grad:.4g}" for n in topological_order([root]) if n.label}


def test_the_step_page_opens_offline_with_no_error(open_page, step_page) -> None:
    opened = open_page(step_page)
    assert opened.position() == 0
    opened.offline_and_clean()


def test_before_stepping_only_the_output_is_known(open_page, step_page) -> None:
    opened = open_page(step_page)
    texts = opened.grad_texts()
    assert texts.count("grad 1") == 1  # dL/dL
    assert texts.count("grad ?") == len(texts) - 1  # never 0: not reached yet
    assert "0" not in " ".join(t.removeprefix("grad ") for t in texts if t != "grad 1")
    assert opened.text("#grads").count("? (not yet)") == 3
    assert opened.text("#chain").startswith("start: dL/dL = 1")
    assert opened.page.locator(".edge.waiting").count() == opened.page.locator(".edge").count()


def test_next_to_the_end_shows_the_gradients_of_backward(open_page, step_page) -> None:
    opened = open_page(step_page)
    for _ in range(3):
        opened.button("next").click()
    assert opened.position() == 3
    assert opened.button("next").is_disabled()
    expected = backward_grads()
    shown = opened.text("#grads")
    for name in ("x", "w", "b"):
        assert f"{name}\t{SETTINGS[name]:.4g}\t{expected[name]}" in shown
    texts = opened.grad_texts()
    assert "grad ?" not in texts
    for name in ("x", "w", "b"):
        assert f"grad {expected[name]}" in texts
    assert opened.page.locator(".edge.waiting").count() == 0
    opened.offline_and_clean()


def test_next_and_back_move_the_highlight_and_the_chain_rule(open_page, step_page) -> None:
    opened = open_page(step_page)
    stepper = Stepper(build(EXPRESSION, SETTINGS))
    at_start = opened.current()
    opened.button("next").click()
    first = opened.current()
    assert opened.text("#chain") == str(stepper.steps[0])
    opened.button("next").click()
    assert opened.text("#chain") == str(stepper.steps[1])
    second = opened.current()
    assert first != second and at_start != second
    opened.button("back").click()
    assert opened.current() == first
    assert opened.text("#chain") == str(stepper.steps[0])
    opened.button("back").click()
    assert opened.current() == at_start
    assert opened.button("back").is_disabled()


def test_the_slider_and_the_keyboard_move_too(open_page, step_page) -> None:
    opened = open_page(step_page)
    slider = opened.page.get_by_role("slider", name="step")
    slider.focus()
    slider.press("End")
    assert opened.position() == 3
    assert opened.text("#chain").startswith("step 3/3: v1 = x * w")
    slider.press("ArrowLeft")
    assert opened.text("#chain").startswith("step 2/3: v2 = v1 + b")
    opened.page.locator("h1").click()  # the page, not a control, has the focus
    opened.page.keyboard.press("ArrowLeft")
    assert opened.position() == 1
    assert "+=" not in opened.text("#chain")
    opened.page.keyboard.press("Home")
    assert opened.position() == 0


def test_play_runs_to_the_end_and_can_pause(open_page, step_page) -> None:
    opened = open_page(step_page)
    opened.page.get_by_label("speed").select_option("120")
    opened.button("play").click()
    assert opened.button("pause").count() == 1  # its name says what it does now
    opened.page.wait_for_function("document.getElementById('slider').value === '3'")
    opened.page.wait_for_selector("#play[aria-label=play]")
    assert opened.text("#chain").startswith("step 3/3")
    opened.page.get_by_label("speed").select_option("1600")  # 4.8 s from start to end
    opened.page.locator("h1").click()
    opened.page.keyboard.press("Home")
    opened.page.keyboard.press(" ")  # space plays, and space again pauses
    assert opened.button("pause").count() == 1
    opened.page.keyboard.press(" ")
    assert opened.button("play").count() == 1


def test_hovering_a_node_shows_its_rule(open_page, step_page) -> None:
    opened = open_page(step_page)
    opened.page.locator("g.node", has_text="· * ·").hover()  # the operation x * w
    info = opened.text("#info")
    assert "op mul: v1 = x * w" in info
    assert "dv1/dx = w" in info and "dv1/dw = x" in info
    assert "grad ? not yet" in info
    opened.page.locator("g.node", has_text="data 0.5").hover()
    assert opened.text("#info").startswith("x\na leaf")


def non_white(png: bytes) -> float:
    """The fraction of the picture's pixels that are not (nearly) white."""
    picture = Image.open(io.BytesIO(png)).convert("L")
    histogram = picture.histogram()
    return 1.0 - sum(histogram[245:]) / sum(histogram)


def test_the_drawing_is_not_blank(open_page, step_page, tmp_path) -> None:
    opened = open_page(step_page)
    opened.button("next").click()
    drawn = non_white(opened.page.locator("#views").screenshot())
    blank = tmp_path / "blank.html"
    blank.write_text("<!DOCTYPE html><main id='views' style='height:300px'></main>")
    empty = non_white(open_page(blank).page.locator("#views").screenshot())
    assert empty < 0.001  # what the check sees in a blank render
    assert drawn > 0.03


def network_stepper(samples: int) -> Stepper:
    model = MLP(2, [16, 16, 1], seed=0)
    loss = model([0.5, -0.3])
    for i in range(1, samples):
        loss = loss + model([0.5 * (i + 1), -0.3 * i])  # type: ignore[operator]
    assert isinstance(loss, Value)
    return Stepper(loss)


def visible(selector: str) -> str:
    return f"section.view:not([hidden]) {selector}"


def test_a_large_network_opens_collapsed_with_a_note_and_expands(open_page, tmp_path) -> None:
    stepper = network_stepper(1)
    path = tmp_path / "large.html"
    stepper.save_html(path)
    opened = open_page(path)
    note = opened.text(visible(".note"))
    assert "value nodes, so the page opens collapsed by neuron" in note
    assert opened.page.locator(visible("svg g.node")).count() < backward_page.SMOOTH_UNITS
    opened.page.keyboard.press("End")
    assert opened.page.locator(visible(".edge.waiting")).count() == 0
    stepper.run()
    texts = opened.grad_texts()
    assert "grad ?" not in texts
    assert f"grad {stepper.root.grad:.4g}" in texts
    opened.button("expand").click()
    assert opened.button("collapse").is_visible()
    assert "boxes are not drawn" in opened.text(visible(".note"))
    assert opened.page.locator(visible("svg g.node")).count() > backward_page.SMOOTH_UNITS
    assert "grad ?" not in opened.grad_texts()
    opened.page.keyboard.press("Home")  # the expanded view follows the pass too
    assert opened.grad_texts().count("grad ?") == len(opened.grad_texts()) - 1
    opened.offline_and_clean()


def test_a_graph_too_large_even_collapsed_is_capped_with_a_note(open_page, tmp_path) -> None:
    stepper = network_stepper(4)  # shared weights stay outside the boxes
    path = tmp_path / "larger.html"
    stepper.save_html(path)
    opened = open_page(path)
    note = opened.text(visible(".note"))
    assert "opens collapsed by layer" in note and "boxes are not drawn" in note
    opened.page.keyboard.press("End")
    assert opened.text("#chain").startswith(str(stepper.steps[-1]).splitlines()[0])
    opened.offline_and_clean()


def test_jupyter_shows_the_same_page_in_an_iframe(browser, tmp_path) -> None:
    shown = Stepper(build(EXPRESSION, SETTINGS)).show()
    assert repr(shown) == "backward page: 3 steps"
    host = tmp_path / "notebook.html"
    host.write_text(f"<!DOCTYPE html><html><body>{shown._repr_html_()}</body></html>")
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(host.as_uri())
    frame = page.frame_locator("iframe")
    frame.get_by_role("button", name="next", exact=True).click()
    assert frame.locator("#chain").inner_text().startswith("step 1/3")
    assert errors == []
    page.close()


# --- the training view ---

MOST_BYTES = 3_000_000  # "a few MB" at the most; the xor page is about half a MB


@pytest.fixture(scope="module")
def run_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The acceptance command's page: 5000 epochs of XOR."""
    folder = tmp_path_factory.mktemp("train")
    result = command("train", "xor", "--html", "run.html", cwd=folder)
    assert result.returncode == 0, result.stderr
    return folder / "run.html"


INK = """canvas => {
  const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let ink = 0;
  for (let i = 0; i < pixels.length; i += 4) {
    if (pixels[i + 3] > 0 && Math.min(pixels[i], pixels[i + 1], pixels[i + 2]) < 230) ink += 1;
  }
  return ink / (canvas.width * canvas.height);
}"""


def test_the_training_page_is_small_and_opens_clean(open_page, run_page) -> None:
    assert run_page.stat().st_size < MOST_BYTES
    opened = open_page(run_page)
    assert opened.text("#where").startswith("epoch 5000 / 5000: loss 0.04")
    for chart in ("loss", "accuracy", "sizes", "boundary"):
        ink = opened.page.locator(f"#{chart}").evaluate(INK)
        assert ink > (0.3 if chart == "boundary" else 0.002), chart
    assert opened.text("#boundary-caption") == "decision boundary after epoch 5000"
    assert opened.page.locator(".flow:not([hidden]) svg").count() == 1
    opened.offline_and_clean()


def test_the_slider_plays_the_run_back(open_page, run_page) -> None:
    opened = open_page(run_page)
    slider = opened.page.get_by_role("slider", name="epoch")
    slider.focus()
    slider.press("Home")
    assert opened.text("#where").startswith("epoch 1 / 5000: loss 0.7")
    assert opened.text("#boundary-caption") == "decision boundary after epoch 1"
    boundary_at_start = opened.page.locator("#boundary").screenshot()
    slider.press("End")
    assert opened.page.locator("#boundary").screenshot() != boundary_at_start
    slider.press("Home")
    opened.button("play").click()
    opened.page.wait_for_selector("#play[aria-label=play]")  # played to the end, stopped
    assert opened.text("#where").startswith("epoch 5000 / 5000")
    opened.offline_and_clean()


def test_a_python_run_through_the_callback_writes_the_same_kind_of_page(open_page, tmp_path):
    from autograd.nn import train
    from autograd.viz.training_page import TrainingRecorder

    run = train.prepare("spiral", epochs=3, hidden=[4])
    recorder = TrainingRecorder.for_run(run)
    run.fit(on_epoch=recorder)
    opened = open_page(Path(recorder.save_html(tmp_path / "spiral.html")))
    assert opened.page.locator("#boundary").evaluate(INK) > 0.3
    assert opened.text("#where").startswith("epoch 3 / 3")
    opened.offline_and_clean()


# --- the training view of the tasks (train digits, train echo) ---


@pytest.fixture(scope="module")
def digits_page(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    """A small CNN trained two short epochs through the recorder (the full `train digits
    --html` takes minutes on the scalar engine; tests/test_deploy_cnn.py runs it)."""
    from autograd.nn import Adam, tasks
    from autograd.viz.task_page import TaskRecorder

    run = tasks.prepare_task("digits", epochs=2, samples=40)
    run.model = tasks.digits_cnn(seed=0, channels=2)
    run.optimizer = Adam(run.model.parameters(), lr=0.02)
    run.X_test, run.y_test = run.X_test[:50], run.y_test[:50]
    recorder = TaskRecorder.for_task(run)
    run.fit(on_epoch=recorder)
    folder = tmp_path_factory.mktemp("digits")
    return Path(recorder.save_html(folder / "digits.html")), run


def test_the_digits_page_shows_predictions_and_filters(open_page, digits_page) -> None:
    path, run = digits_page
    opened = open_page(path)
    assert opened.text("#where").startswith("epoch 2 / 2: loss ")
    for chart in ("loss", "accuracy"):
        assert opened.page.locator(f"#{chart}").evaluate(INK) > 0.002, chart
    samples = opened.page.locator("#shown .sample")
    assert samples.count() == 40
    # The verdicts, against the trained model's own predictions on those digits:
    right = sum(tasks_predict(run.model, x) == c for x, c in zip(run.X_test[:40], run.y_test))
    assert opened.page.locator("#shown .sample.right").count() == right
    assert opened.page.locator("#shown .sample.wrong").count() == 40 - right
    tested = sum(tasks_predict(run.model, x) == c for x, c in zip(run.X_test, run.y_test))
    caption = opened.text("#shown-caption")
    assert caption.startswith(f"after epoch 2: {right} of 40 shown right (green)")
    assert caption.endswith(f"test accuracy {100 * tested / 50:.1f}%")
    wrong = sum(tasks_predict(run.model, x) != c for x, c in zip(run.X_test, run.y_test))
    assert opened.page.locator("#mistakes .sample.wrong").count() == min(40, wrong)
    assert opened.page.locator("#mistakes .sample.right").count() == 0
    assert opened.text("#mistakes-caption").startswith(
        f"after epoch 2: {wrong} of the first 50 test digits are wrong"
    )
    first = opened.page.locator("#shown .sample").first
    label = run.y_test[0]
    predicted = tasks_predict(run.model, run.X_test[0])
    expected = str(predicted) + ("" if predicted == label else f" (is {label})")
    assert first.locator("figcaption").inner_text() == expected
    assert first.locator("canvas").evaluate(INK) > 0.1  # the digit is drawn
    filters = opened.page.locator(".filter canvas")
    assert filters.count() == 2  # conv 3x3 x 2 on one channel
    assert all(filters.nth(k).evaluate(INK) > 0.1 for k in range(2))
    opened.offline_and_clean()


def tasks_predict(model: Any, image: Any) -> int:
    from autograd.modes import no_grad
    from autograd.nn.tasks import predict

    with no_grad():
        return predict(model(image))


def test_the_digits_page_plays_back_the_epochs(open_page, digits_page) -> None:
    path, _ = digits_page
    opened = open_page(path)
    slider = opened.page.get_by_role("slider", name="epoch")
    filters_at_end = opened.page.locator("#filters").screenshot()
    slider.focus()
    slider.press("Home")
    assert opened.text("#where").startswith("epoch 1 / 2")
    assert opened.text("#shown-caption").startswith("after epoch 1:")
    assert opened.text("#filters-caption").startswith("after epoch 1:")
    assert opened.page.locator("#filters").screenshot() != filters_at_end  # they learned
    opened.button("play").click()
    opened.page.wait_for_selector("#play[aria-label=play]")  # played to the end, stopped
    assert opened.text("#where").startswith("epoch 2 / 2")
    opened.offline_and_clean()


def test_train_echo_html_shows_sequences_and_their_predictions(open_page, tmp_path) -> None:
    result = command(
        "train", "echo", "--epochs", "3", "--delay", "2", "--html", "echo.html", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert "wrote echo.html" in result.stdout
    accuracy = result.stdout.strip().splitlines()[-2].split()[2]  # "test accuracy 97.5% ..."
    opened = open_page(tmp_path / "echo.html")
    assert opened.text("#where").startswith("epoch 3 / 3")
    rows = opened.page.locator("table.sequences tr")
    assert rows.count() == 8
    assert rows.first.locator("td.step").count() == 3  # delay 2: three inputs
    verdicts = opened.page.locator("td.verdict").all_inner_texts()
    assert all(v.startswith(("says +", "says \u2212")) for v in verdicts)
    assert opened.text("#shown-caption").endswith(f"test accuracy {accuracy}")
    assert opened.page.locator("#filters-section").is_hidden()  # an LSTM has no filters
    assert opened.page.locator("#accuracy").evaluate(INK) > 0.002
    opened.offline_and_clean()
