"""micrograd's demo step on micrograd's own graph, every engine side by side, interleaved.

    python benchmarks/micrograd_graph.py [--rounds 5] [--runs 5] [--output FILE]
        [--baseline NAME=CHECKOUT ...]

Every engine builds the same graph node for node (workloads.micrograd_graph: binary
additions through Python's `sum`, one node per product, relu(1 + -y * s), p * p).
A round runs every (engine, GC on/off) cell once, each in a fresh process: the engines
back to back under one GC setting, then under the other, in an order reversed every other
round, so that a change in the machine's speed lands on all engines alike. The figure of a
cell is the median over the rounds of each process's median step; its ratio to ours is
given from those medians, and round by round (median and range), which a slow spell of
the shared machine moves less. `--baseline` adds "ours" from another checkout (say, the
commit before a change) as one more engine.
"""

from __future__ import annotations

import argparse
import os
import statistics
from pathlib import Path

from run import machine, run_cell

KEYS = ("forward_ms", "backward_ms", "update_ms", "step_ms")
HEADS = ("forward ms", "zero_grad + backward ms", "update ms", "step ms")


def measure(
    engines: dict[str, str | None], rounds: int, runs: int, size: int
) -> tuple[dict[tuple[str, str], list[dict[str, float]]], dict[str, str]]:
    """Each cell's figures, round by round. In a round the engines run back to back under
    one GC setting, then under the other, in an order reversed every other round."""
    samples: dict[tuple[str, str], list[dict[str, float]]] = {}
    versions: dict[str, str] = {}
    loads = []
    for round_ in range(rounds):
        names = list(engines) if round_ % 2 == 0 else list(reversed(engines))
        for collector in ("on", "off"):
            for name in names:
                checkout = engines[name]
                engine = "ours" if checkout is not None else name
                if checkout:
                    os.environ["GLASSGRAD_CHECKOUT"] = checkout
                result = run_cell("micrograd_graph", engine, size, runs, collector)
                os.environ.pop("GLASSGRAD_CHECKOUT", None)
                if "figures" not in result:
                    raise SystemExit(f"{name}, GC {collector}: {result}")
                samples.setdefault((name, collector), []).append(result["figures"])
                versions.setdefault(engine, result.get("version", ""))
        loads.append(os.getloadavg()[0])
    versions["load"] = ", ".join(f"{x:.1f}" for x in loads)
    return samples, versions


def table(samples: dict[tuple[str, str], list[dict[str, float]]], names: list[str]) -> list[str]:
    """Medians of each cell, and the ratios to ours: of those medians, and round by round
    (cells run back to back, so a slow spell of the machine lands on both sides)."""
    lines = [
        "| engine | GC | " + " | ".join(HEADS) + " | step vs ours | backward vs ours "
        "| step vs ours, per round | backward vs ours, per round |",
        "|---|---|" + "---|" * (len(HEADS) + 4),
    ]
    for collector in ("on", "off"):
        ours = samples[("ours", collector)]
        ours_medians = {key: statistics.median(f[key] for f in ours) for key in KEYS}
        for name in names:
            figures = samples[(name, collector)]
            medians = {key: statistics.median(f[key] for f in figures) for key in KEYS}
            cells = [f"{medians[key]:.1f}" for key in KEYS]
            for key in ("step_ms", "backward_ms"):
                cells.append(f"{medians[key] / ours_medians[key]:.2f}")
            for key in ("step_ms", "backward_ms"):
                per_round = [f[key] / o[key] for f, o in zip(figures, ours)]
                cells.append(
                    f"{statistics.median(per_round):.2f} "
                    f"({min(per_round):.2f}-{max(per_round):.2f})"
                )
            lines.append(f"| {name} | {collector} | " + " | ".join(cells) + " |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--runs", type=int, default=5, help="timed steps per process")
    parser.add_argument("--size", type=int, default=100, help="moons points")
    parser.add_argument("--engines", default="ours,micrograd,torch")
    parser.add_argument("--baseline", action="append", default=[], metavar="NAME=CHECKOUT")
    parser.add_argument("--output", type=Path, help="write the table (markdown) here")
    args = parser.parse_args()
    engines: dict[str, str | None] = {name: None for name in args.engines.split(",")}
    for item in args.baseline:
        name, _, checkout = item.partition("=")
        engines[name] = str(Path(checkout).resolve())
    start = os.getloadavg()
    samples, versions = measure(engines, args.rounds, args.runs, args.size)
    lines = [
        f"### micrograd's graph node for node: moons step, n = {args.size}",
        "",
        *machine({k: v for k, v in versions.items() if k != "load"}),
        f"- load average (1 min) at the start: {start[0]:.1f}; after each round: "
        f"{versions['load']}",
        f"- {args.rounds} rounds, interleaved; each cell a fresh process of {args.runs} timed "
        "steps after 2 warm-up steps; medians of the per-process medians; per round: the "
        "median (and range) over the rounds of a round's ratio",
        "",
        *table(samples, list(engines)),
        "",
    ]
    print("\n".join(lines))
    if args.output is not None:
        args.output.write_text("\n".join(lines))


if __name__ == "__main__":
    main()
