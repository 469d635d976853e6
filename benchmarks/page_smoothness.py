"""How large a graph the backward page keeps smooth, measured in headless chromium.

For graphs of growing size (one forward pass of an MLP, drawn uncollapsed), writes the
page and reports: Graphviz's layout time (writing the page), the file size, the time the
browser takes to open it, and the time from a click on "next" to the next painted frame.
A step that paints within a few frames (under ~50 ms) feels smooth.

    python benchmarks/page_smoothness.py            # needs dot, playwright, chromium

Its numbers are quoted in docs/guide/watching.md and set page.SMOOTH_UNITS.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from autograd import MLP, Stepper, Value
from autograd.viz import page

ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
WIDTHS = [2, 4, 6, 8, 11, 14]  # hidden widths: about 60 to 1100 value nodes

STEP = """async () => {
  const times = [];
  for (let k = 0; k < 15; k += 1) {
    const t0 = performance.now();
    document.getElementById("next").click();
    await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
    times.push(performance.now() - t0);
  }
  return times;
}"""


def network(width: int) -> Value:
    model = MLP(4, [width, width, 1], seed=0)
    out = model([0.5, -0.2, 0.1, 0.9])
    assert isinstance(out, Value)
    return (out - 1.0) ** 2


def main() -> int:
    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp())
    print(f"{'units':>6} {'steps':>6} {'layout s':>9} {'size KB':>8} {'open ms':>8} {'step ms':>8}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        for width in WIDTHS:
            root = network(width)
            units = page.unit_count(root, None)
            stepper = Stepper(root)
            path = folder / f"w{width}.html"
            start = time.perf_counter()
            stepper.save_html(path, collapse=None, max_units=10**6)
            layout = time.perf_counter() - start
            tab = browser.new_page()
            start = time.perf_counter()
            tab.goto(path.as_uri())
            tab.wait_for_selector("#slider")
            opened = (time.perf_counter() - start) * 1000
            step = statistics.median(tab.evaluate(STEP))
            tab.close()
            size = path.stat().st_size / 1024
            print(
                f"{units:>6} {len(stepper):>6} {layout:>9.1f} {size:>8.0f} {opened:>8.0f} "
                f"{step:>8.1f}",
                flush=True,
            )
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
