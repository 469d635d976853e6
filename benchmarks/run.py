"""Benchmark our engine against micrograd, PyTorch (0-d tensors), plain floats and the floor.

    python benchmarks/run.py            # everything; writes benchmarks/RESULTS.md
    python benchmarks/run.py --quick    # tiny sizes, a minute: checks that it all runs

Every cell (one workload, one engine) runs in a fresh process (`cell.py`): a warm-up,
then several runs, and the median. Peers that are not installed are skipped with a
note. Nothing here is a test: times on a shared machine are noisy, so read the ratios.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
Result = dict[str, Any]


@dataclass
class Row:
    engine: str
    collector: str = "on"  # the cyclic GC during the cell: "on" (Python's default) or "off"

    @property
    def label(self) -> str:
        return self.engine if self.collector == "on" else f"{self.engine}, GC off"


@dataclass
class Section:
    workload: str
    title: str
    rows: list[Row]
    sizes: list[int]
    runs: int
    columns: dict[str, str]  # figure -> column heading
    results: dict[tuple[int, str], Result] = field(default_factory=dict)


PEERS = [Row("ours"), Row("floor"), Row("micrograd"), Row("torch"), Row("floats")]
# Building a big graph with the cyclic GC on spends more time in the GC than in the
# operations; with it off, the per-op rows compare the node machinery alone.
PER_OP = [*PEERS, Row("ours", "off"), Row("floor", "off")]


def plan(quick: bool) -> list[Section]:
    def pick(full: Any, tiny: Any) -> Any:
        return tiny if quick else full

    per_op = {"forward_ns": "forward ns/op", "backward_ns": "backward ns/op", "note": "note"}
    step = {"step_ms": "ms per step", "loss": "loss after the runs"}
    return [
        Section(
            "moons",
            "micrograd's moons training step: MLP 2-16-16-1 (relu), n points, hinge + 1e-4 L2, "
            "zero_grad, backward, SGD",
            [Row(e, c) for e in ("ours", "micrograd") for c in ("on", "off")]
            + [Row("torch"), Row("floats")],
            pick([100], [10]),
            pick(10, 2),
            step,
        ),
        Section(
            "chain",
            "a chain of n operations (y = y * a + b, depth n)",
            PER_OP,
            pick([1_000, 100_000, 1_000_000], [100, 1_000]),
            pick(5, 2),
            per_op,
        ),
        Section(
            "wide",
            "a wide graph: n products a_i * b_i summed pairwise (depth log2 n)",
            PER_OP,
            pick([100_000], [1_000]),
            pick(5, 2),
            per_op,
        ),
        Section(
            "tanh_mlp",
            "a tanh MLP 4-16-16-1 with mean squared error over n samples, SGD",
            [Row("ours"), Row("micrograd"), Row("torch"), Row("floats")],
            pick([32], [4]),
            pick(10, 2),
            step,
        ),
        Section(
            "memory",
            "memory of a kept chain of n operations (cyclic GC off)",
            [Row("ours"), Row("floor"), Row("micrograd"), Row("torch")],
            pick([100_000], [1_000]),
            1,
            {
                "bytes_per_node": "bytes/node (tracemalloc)",
                "after_backward_per_node": "after backward",
                "bytes_per_op": "bytes/op",
                "rss_bytes_per_op": "RSS bytes/op",
                "freed_without_gc": "share freed by refcounting",
                "note": "note",
            },
        ),
    ]


# The deepest chain: try these depths in turn, in fresh processes, up to each engine's cap.
DEPTHS = [1_000, 10_000, 100_000, 1_000_000, 10_000_000]
DEPTH_CAPS = {"ours": 10_000_000, "micrograd": 10_000_000, "torch": 1_000_000}
CAP_NOTES = {"torch": "not tried deeper: about 9 GB at 10,000,000"}


def run_cell(workload: str, engine: str, size: int, runs: int, collector: str) -> Result:
    command = [sys.executable, str(HERE / "cell.py"), workload, engine, str(size), str(runs)]
    try:
        done = subprocess.run([*command, collector], capture_output=True, text=True, timeout=1800)
    except subprocess.TimeoutExpired:
        return {"error": "took more than 30 minutes"}
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        tail = done.stderr.strip().splitlines()[-1:] or [f"exit code {done.returncode}"]
        return {"error": f"the process died: {tail[0][:120]}"}
    return json.loads(lines[-1])  # type: ignore[no-any-return]


def deepest(engine: str, quick: bool) -> Result:
    """The deepest chain that builds, backpropagates and is freed, and what it cost."""
    depths = [100, 1_000] if quick else [d for d in DEPTHS if d <= DEPTH_CAPS[engine]]
    passed: Result = {}
    for depth in depths:
        result = run_cell("survive", engine, depth, 1, "on")
        if "skipped" in result:
            return result
        if "figures" not in result:
            return _narrow_down(engine, passed, depth, result["error"])
        passed = {"depth": depth, **result["figures"]}
    if not quick and engine in CAP_NOTES:
        passed["why"] = CAP_NOTES[engine]
    return passed


def _narrow_down(engine: str, passed: Result, failed: int, why: str) -> Result:
    """Bisect between the last depth that passed and the first that failed (if small)."""
    low = passed.get("depth", 0)
    while failed <= 100_000 and failed - low > max(failed // 50, 2):
        middle = (low + failed) // 4 * 2  # even: the chain is made of pairs of operations
        result = run_cell("survive", engine, middle, 1, "on")
        if "figures" in result:
            low, passed = middle, {"depth": middle, **result["figures"]}
        else:
            failed, why = middle, result.get("error", why)
    return {**passed, "failed_at": failed, "why": why}


# --- reporting ---


def _number(value: Any) -> str:
    if not isinstance(value, float):
        return str(value)
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.1f}" if abs(value) >= 10 else f"{value:.3g}"


def section_table(section: Section) -> list[str]:
    main = next(iter(section.columns))
    timed = main in ("step_ms", "forward_ns")
    heads = ["n", "engine", *section.columns.values()] + ["time vs ours"] * timed
    lines = [f"### {section.title}", "", "| " + " | ".join(heads) + " |"]
    lines.append("|" + "---|" * len(heads))
    for size in section.sizes:
        for row in section.rows:
            result = section.results[size, row.label]
            cells = [f"{size:,}", row.label]
            if "figures" in result:
                figures = result["figures"]
                cells += [_number(figures.get(key, "")) for key in section.columns]
                cells += [_versus(section, size, row, main)] * timed
            else:
                note = result.get("skipped") or result.get("error")
                cells += [f"{'skipped' if 'skipped' in result else 'failed'}: {note}"]
                cells += [""] * (len(section.columns) - 1 + timed)
            lines.append("| " + " | ".join(cells) + " |")
    return [*lines, ""]


def _figure(section: Section, size: int, label: str, key: str) -> float | None:
    figures = section.results.get((size, label), {}).get("figures", {})
    value = figures.get(key)
    return value if isinstance(value, (int, float)) else None


def _versus(section: Section, size: int, row: Row, key: str) -> str:
    """This engine's time over ours (with the same GC setting): above 1, ours is faster."""
    theirs = _figure(section, size, row.label, key)
    ours = _figure(section, size, Row("ours", row.collector).label, key)
    if theirs is None or not ours:
        return ""
    ratio = f"{theirs / ours:.2f}"
    backward = _figure(section, size, row.label, "backward_ns")
    our_backward = _figure(section, size, Row("ours", row.collector).label, "backward_ns")
    if key == "forward_ns" and backward is not None and our_backward:
        ratio += f" fwd, {backward / our_backward:.2f} bwd"
    return ratio


def depth_table(depths: dict[str, Result]) -> list[str]:
    lines = [
        "### the deepest chain each engine survives (build, backward, free; default settings)",
        "",
        "| engine | deepest that passed | build s | backward s | free s | peak RSS MB | "
        "stopped because |",
        "|---|---|---|---|---|---|---|",
    ]
    for engine, result in depths.items():
        if "skipped" in result:
            lines.append(f"| {engine} | skipped: {result['skipped']} | | | | | |")
            continue
        figures = [
            _number(result.get(k, "")) for k in ("build_s", "backward_s", "free_s", "peak_rss_mb")
        ]
        depth = f"{result['depth']:,}" if "depth" in result else "none"
        why = result.get("why", "")
        if "failed_at" in result:
            why = f"at {result['failed_at']:,}: {why}"
        lines.append(f"| {engine} | {depth} | " + " | ".join(figures) + f" | {why} |")
    return [*lines, ""]


def targets(sections: dict[str, Section], depths: dict[str, Result]) -> list[str]:
    """The issue's targets, each with the measured figure and whether it is met."""
    rows: list[tuple[str, str, float | None]] = []  # (target, goal, measured)

    def ratio(name: str, size: int, num: str, den: str, key: str) -> float | None:
        a = _figure(sections[name], size, num, key)
        b = _figure(sections[name], size, den, key)
        return a / b if a is not None and b else None

    moons = sections["moons"].sizes[0]
    for other, ours, goal in [
        ("micrograd", "ours", ">= 6"),
        ("micrograd, GC off", "ours, GC off", ">= 2"),
        ("torch", "ours", "> 1"),
    ]:
        rows.append(
            (f"moons step: {other} / {ours}", goal, ratio("moons", moons, other, ours, "step_ms"))
        )
    for name, size in (("chain", sections["chain"].sizes[1]), ("wide", sections["wide"].sizes[0])):
        for key, what in (("forward_ns", "forward"), ("backward_ns", "backward")):
            for gc in ("on", "off"):
                ours, floor = Row("ours", gc).label, Row("floor", gc).label
                label = f"{what} per op / floor: {name}, n = {size:,}, GC {gc}"
                rows.append((label, "<= 1.3", ratio(name, size, ours, floor, key)))
    memory = sections["memory"].sizes[0]
    for key, what in (("bytes_per_node", "before"), ("after_backward_per_node", "after")):
        value = _figure(sections["memory"], memory, "ours", key)
        rows.append((f"bytes per node, {what} backward", "<= 200", value))
    freed = _figure(sections["memory"], memory, "ours", "freed_without_gc")
    rows.append(("share of a dropped graph freed with the GC off", ">= 0.99", freed))
    ours = depths.get("ours", {})
    rows.append(
        ("deepest chain that builds and backpropagates", ">= 10,000,000", ours.get("depth"))
    )

    lines = ["### targets", "", "| target | goal | measured | met |", "|---|---|---|---|"]
    for label, goal, value in rows:
        shown = "n/a" if value is None else _number(float(value))
        lines.append(f"| {label} | {goal} | {shown} | {_met(goal, value)} |")
    if "depth" in ours:
        lines.append("")
        lines.append(
            f"The {ours['depth']:,}-op chain: built in {ours['build_s']:.1f} s, "
            f"backpropagated in {ours['backward_s']:.1f} s, freed in {ours['free_s']:.1f} s, "
            f"peak RSS {ours['peak_rss_mb']:,.0f} MB (CPU seconds)."
        )
    return [*lines, ""]


def _met(goal: str, value: float | None) -> str:
    if value is None:
        return "n/a"
    sign, number = goal.split(" ", 1)
    bound = float(number.replace(",", ""))
    met = {">=": value >= bound, "<=": value <= bound, ">": value > bound}[sign]
    return "yes" if met else "**no**"


def machine(versions: dict[str, str]) -> list[str]:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as info:
            cpu = next(line.split(":", 1)[1].strip() for line in info if "model name" in line)
    except (OSError, StopIteration):
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    commit = subprocess.run(
        ["git", "describe", "--always", "--dirty"], cwd=HERE, capture_output=True, text=True
    ).stdout.strip()
    peers = [f"{name} {version}" for name, version in versions.items() if name != "ours"]
    found = ", ".join(peer for peer in peers if not peer.endswith(" "))
    return [
        f"- date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC",
        f"- machine: {cpu}, {os.cpu_count()} cores, {memory:.0f} GiB, {platform.platform()}",
        f"- Python {platform.python_version()} ({platform.python_implementation()}); "
        f"ours at commit {commit or 'unknown'}; {found}",
        f"- load average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())} "
        "(other work on the machine shifts the figures)",
        "- times are CPU seconds of the cell's process (time.process_time), medians of the "
        "runs after a warm-up; each cell is a fresh process; torch runs on 1 thread",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes: check that it runs")
    parser.add_argument("--engines", help="comma-separated subset, e.g. ours,floor")
    parser.add_argument("--output", type=Path, help="where to write the results (markdown)")
    args = parser.parse_args()
    chosen = set(args.engines.split(",")) if args.engines else None
    output = args.output or (None if args.quick else HERE / "RESULTS.md")

    sections = {s.workload: s for s in plan(args.quick)}
    versions: dict[str, str] = {}
    report: list[str] = []
    for section in sections.values():
        section.rows = [r for r in section.rows if chosen is None or r.engine in chosen]
        for size in section.sizes:
            for row in section.rows:
                result = run_cell(section.workload, row.engine, size, section.runs, row.collector)
                section.results[size, row.label] = result
                versions.setdefault(row.engine, result.get("version", ""))
        table = section_table(section)
        print("\n".join(table), flush=True)
        report += table
    depths = {
        engine: deepest(engine, args.quick)
        for engine in DEPTH_CAPS
        if chosen is None or engine in chosen
    }
    report += depth_table(depths)
    print("\n".join(depth_table(depths)))
    summary = targets(sections, depths)
    print("\n".join(summary))
    if output is not None:
        text = ["# Benchmark results", "", *machine(versions), "", *summary, *report]
        temporary = output.with_suffix(".tmp")
        temporary.write_text("\n".join(text))
        temporary.replace(output)
        print(f"written to {output}")


if __name__ == "__main__":
    main()
