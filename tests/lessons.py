"""Reading the built lesson notebooks (notebooks/en, notebooks/ko) for the lesson tests."""

from __future__ import annotations

import json
from pathlib import Path

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
LESSONS = sorted(s.stem for s in (NOTEBOOKS / "src").glob("*.py"))


def load(language: str, lesson: str) -> dict:  # type: ignore[type-arg]
    return json.loads((NOTEBOOKS / language / f"{lesson}.ipynb").read_text(encoding="utf-8"))


def markdown_cells(nb: dict) -> list[str]:  # type: ignore[type-arg]
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"]


def all_outputs(nb: dict) -> str:  # type: ignore[type-arg]
    """Every text a notebook's code printed, warned or displayed as text, stderr included."""
    texts = []
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            if output["output_type"] == "stream":
                texts.append("".join(output["text"]))
            elif output["output_type"] in ("execute_result", "display_data"):
                texts.append("".join(output["data"].get("text/plain", "")))
            elif output["output_type"] == "error":
                texts.append(f"{output['ename']}: {output['evalue']}")
    return "\n".join(texts)
