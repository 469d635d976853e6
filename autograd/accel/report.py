"""The deploy report, rendered: a terminal table, a Markdown file, a self-contained HTML
page with inline SVG charts (no script, no network), and the numbers as JSON.

`write(report, folder)` writes report.md, report.html and report.json, each atomically.
"""

from __future__ import annotations

import dataclasses
import html
import json
import math
import os
from collections.abc import Sequence
from pathlib import Path

from ..files import write_atomically
from .deploy import DeployReport, Row

FILES = ("report.md", "report.html", "report.json")
COLUMNS = (
    "version",
    "precision",
    "bytes",
    "zlib bytes",
    "nodes",
    "accuracy",
    "agreement",
    "max |diff|",
    "p50 µs",
    "p99 µs",
    "samples/s",
    "MACs/sample",
)


def _cells(row: Row) -> list[str]:
    size = f"{row.size_bytes:,}" if row.size_is_file else f"{row.size_bytes:,}*"
    macs = f"{row.macs:,}"
    if row.nonzero_macs != row.macs:
        macs += f" ({row.nonzero_macs:,} nonzero)"
    return [
        row.version,
        row.precision,
        size,
        "-" if row.compressed_bytes is None else f"{row.compressed_bytes:,}",
        "-" if row.nodes is None else str(row.nodes),
        f"{row.accuracy:.1%}",
        f"{row.agreement:.1%}",
        f"{row.max_difference:.2g}",
        f"{row.latency_p50_us:.1f}",
        f"{row.latency_p99_us:.1f}",
        f"{row.throughput:,.0f}",
        macs,
    ]


def int8_verdict(report: DeployReport) -> str:
    """One sentence: the int8 (QDQ) accuracy against float32's, in points."""
    base, int8 = report.row("float32"), report.row("int8 QDQ")
    points = (int8.accuracy - base.accuracy) * 100
    within = "within" if abs(points) <= 2 else "NOT within"
    return (
        f"int8 QDQ accuracy {int8.accuracy:.1%} against float32 {base.accuracy:.1%}: "
        f"{points:+.1f} points, {within} 2 points; it classifies {int8.agreement:.1%} of the "
        f"test samples as float32 does"
    )


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{count} {name}" for name, count in counts.items())


def fusion_summary(report: DeployReport) -> str:
    before, after = sum(report.nodes_before.values()), sum(report.nodes_after.values())
    return (
        f"graph optimizations ({report.optimization_level}): {before} nodes "
        f"({_counts(report.nodes_before)}) -> {after} nodes ({_counts(report.nodes_after)})"
    )


def notes(report: DeployReport) -> list[str]:
    """The lines that say how the numbers were made."""
    first = report.rows[0]
    return [
        f"model: {report.model}",
        f"data: {report.data}",
        fusion_summary(report),
        f"int8 QDQ: onnxruntime quantize_static, QDQ format, int8 weights and activations, "
        f"{report.calibration_method} calibration on {report.calibration_samples} training "
        f"samples; nodes: {_counts(report.int8_nodes)}",
        "int8 engine: the project's own per-layer symmetric int8 (the teaching version), run "
        "by the batch evaluator; * its size is its weights' bytes, not a file",
        f"pruned: in each layer the {report.sparsity:.0%} of weights smallest in magnitude "
        "set to 0; the dense file keeps the zeros, zlib shows what sparse storage could save",
        int8_verdict(report),
        f"latency: batch 1, p50 and p99 of {first.latency_runs} runs after {report.warmup} "
        f"warm-up runs; throughput: batch {first.throughput_batch}, median of "
        f"{first.throughput_runs} runs; {report.threads} thread, onnxruntime "
        f"{report.onnxruntime_version}; float32 runs with graph optimizations off, the "
        "others with all on",
        f"machine: {report.machine}",
    ]


def format_table(report: DeployReport) -> str:
    """The rows as a text table for the terminal, with the notes under it."""
    body = [list(COLUMNS)] + [_cells(r) for r in report.rows]
    widths = [max(len(line[i]) for line in body) for i in range(len(COLUMNS))]
    lines = [
        "  ".join(
            cell.ljust(w) if i < 2 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(line, widths))
        ).rstrip()
        for line in body
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join([*lines, "", *notes(report)])


def to_markdown(report: DeployReport) -> str:
    rows = [list(COLUMNS)] + [_cells(r) for r in report.rows]
    lines = ["| " + " | ".join(cell.replace("|", "\\|") for cell in r) + " |" for r in rows]
    rule = "|" + "|".join(":---" if i < 2 else "---:" for i in range(len(COLUMNS))) + "|"
    table = [lines[0], rule, *lines[1:]]
    return "\n".join(
        [
            "# Deploy report",
            "",
            *table,
            "",
            *(f"- {line}" for line in notes(report)),
            "",
        ]
    )


def to_json(report: DeployReport) -> str:
    return json.dumps(dataclasses.asdict(report), indent=1, allow_nan=False) + "\n"


# --- the HTML page and its charts ---

WIDTH, HEIGHT, MARGIN = 560, 320, 60
COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2")


def _text(x: float, y: float, text: str, anchor: str = "start", size: int = 12) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}">'
        f"{html.escape(text)}</text>"
    )


def accuracy_size_chart(rows: Sequence[Row]) -> str:
    """An SVG scatter: size in bytes (x) against accuracy on the test set (y)."""
    plot_w, plot_h = WIDTH - 2 * MARGIN, HEIGHT - 2 * MARGIN
    largest = max(r.size_bytes for r in rows) * 1.1
    low = min(r.accuracy for r in rows)
    bottom = max(0.0, min(low - 0.02, 0.9 if low >= 0.92 else low - 0.05))

    def xy(row: Row) -> tuple[float, float]:
        x = MARGIN + plot_w * row.size_bytes / largest
        y = MARGIN + plot_h * (1 - (row.accuracy - bottom) / (1 - bottom))
        return x, y

    parts = [
        _axes(plot_w, plot_h),
        _text(WIDTH / 2, HEIGHT - 15, "size (bytes)", "middle"),
        _text(15, MARGIN - 20, "accuracy", "start"),
        _text(MARGIN - 5, MARGIN + 4, "100%", "end", 10),
        _text(MARGIN - 5, MARGIN + plot_h, f"{bottom:.0%}", "end", 10),
        _text(MARGIN, MARGIN + plot_h + 15, "0", "middle", 10),
        _text(MARGIN + plot_w, MARGIN + plot_h + 15, f"{largest:,.0f}", "middle", 10),
    ]
    for k, row in enumerate(rows):
        x, y = xy(row)
        colour = COLOURS[k % len(COLOURS)]
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{colour}"/>')
        parts.append(_text(x + 8, y - 6 - 11 * (k % 2), row.version, "start", 11))
    return _svg("accuracy against size", parts)


def latency_chart(rows: Sequence[Row]) -> str:
    """An SVG bar chart on a logarithmic scale: p50 latency at batch 1 per version (its
    precision in the label), with a thin mark at p99."""
    plot_w, plot_h = WIDTH - 2 * MARGIN - 80, HEIGHT - 2 * MARGIN
    low = math.floor(math.log10(min(r.latency_p50_us for r in rows) / 2))
    high = max(low + 1, math.ceil(math.log10(max(r.latency_p99_us for r in rows))))
    step = plot_h / len(rows)
    left = MARGIN + 80

    def x(microseconds: float) -> float:
        return left + plot_w * (math.log10(microseconds) - low) / (high - low)

    parts = [
        f'<line x1="{left}" y1="{MARGIN}" x2="{left}" y2="{MARGIN + plot_h}" stroke="black"/>',
        _text(
            left + plot_w / 2,
            HEIGHT - 15,
            "latency at batch 1 (µs, log scale): bar p50, mark p99",
            "middle",
        ),
    ]
    for power in range(low, high + 1):
        tick = x(10.0**power)
        parts += [
            f'<line x1="{tick:.1f}" y1="{MARGIN}" x2="{tick:.1f}" y2="{MARGIN + plot_h}" '
            'stroke="#ddd"/>',
            _text(tick, MARGIN + plot_h + 15, f"{10.0**power:g}", "middle", 10),
        ]
    for k, row in enumerate(rows):
        y = MARGIN + k * step + step * 0.15
        h = step * 0.7
        x99 = x(row.latency_p99_us)
        colour = COLOURS[k % len(COLOURS)]
        parts += [
            f'<rect x="{left}" y="{y:.1f}" width="{x(row.latency_p50_us) - left:.1f}" '
            f'height="{h:.1f}" fill="{colour}"/>',
            f'<line x1="{x99:.1f}" y1="{y:.1f}" x2="{x99:.1f}" y2="{y + h:.1f}" '
            'stroke="black" stroke-width="2"/>',
            _text(left - 5, y + h / 2 + 4, f"{row.version} ({row.precision})", "end", 11),
        ]
    return _svg("latency against precision", parts)


def _axes(plot_w: float, plot_h: float) -> str:
    x0, y0 = MARGIN, MARGIN + plot_h
    return (
        f'<line x1="{x0}" y1="{MARGIN}" x2="{x0}" y2="{y0}" stroke="black"/>'
        f'<line x1="{x0}" y1="{y0}" x2="{x0 + plot_w}" y2="{y0}" stroke="black"/>'
    )


def _svg(title: str, parts: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{html.escape(title)}">'
        f"<title>{html.escape(title)}</title>" + "".join(parts) + "</svg>"
    )


def to_html(report: DeployReport) -> str:
    """A page that needs nothing else: the table, the notes and two inline SVG charts."""
    head = "".join(f"<th>{html.escape(c)}</th>" for c in COLUMNS)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in _cells(r)) + "</tr>"
        for r in report.rows
    )
    items = "".join(f"<li>{html.escape(line)}</li>" for line in notes(report))
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Deploy report</title>
<style>
body {{ font-family: sans-serif; margin: 2em; }}
table {{ border-collapse: collapse; }}
th, td {{ border: 1px solid #ccc; padding: 0.2em 0.5em; text-align: right; }}
th:nth-child(-n+2), td:nth-child(-n+2) {{ text-align: left; }}
figure {{ display: inline-block; margin: 1em; }}
</style>
</head>
<body>
<h1>Deploy report</h1>
<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>
<ul>{items}</ul>
<figure>{accuracy_size_chart(report.rows)}<figcaption>Accuracy on the test set against
size</figcaption></figure>
<figure>{latency_chart(report.rows)}<figcaption>Latency at batch 1 by version and
precision</figcaption></figure>
</body>
</html>
"""


def write(report: DeployReport, folder: str | os.PathLike[str]) -> list[Path]:
    """Write report.md, report.html and report.json into `folder`, each atomically."""
    paths = [Path(folder) / name for name in FILES]
    for path, text in zip(paths, (to_markdown(report), to_html(report), to_json(report))):
        write_atomically(path, text)
    return paths
