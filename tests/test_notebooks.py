"""The lesson notebooks: in both languages, with the same code; they run and reproduce."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
from lessons import all_outputs
from optional import require, require_program

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
CELL_TIMEOUT = 600  # seconds: a lesson's CNN cell takes minutes on a busy 2-core machine
SOURCES = sorted((NOTEBOOKS / "src").glob("*.py"))
LESSONS = [s.stem for s in SOURCES]
# Outputs compared between the stored file and a fresh run: text only (images and SVG
# carry renderer versions, and the text/plain beside them an object's address).
# A line holding a wall-clock time may mark itself with "~".


def load(language: str, lesson: str) -> dict:  # type: ignore[type-arg]
    return json.loads((NOTEBOOKS / language / f"{lesson}.ipynb").read_text(encoding="utf-8"))


def is_language_cell(cell: dict) -> bool:  # type: ignore[type-arg]
    """The one code cell the build inserts per language (LANG, label(), the Korean font)."""
    return "language" in cell.get("metadata", {}).get("tags", [])


def code_cells(nb: dict) -> list[str]:  # type: ignore[type-arg]
    """The lesson's code, the language set-up cell left out."""
    return [
        "".join(c["source"])
        for c in nb["cells"]
        if c["cell_type"] == "code" and not is_language_cell(c)
    ]


def text_outputs(nb: dict) -> list[list[str]]:  # type: ignore[type-arg]
    """Per code cell, its text outputs, with lines marked as timings ('~') left out."""
    result = []
    for cell in nb["cells"]:
        if cell["cell_type"] != "code" or is_language_cell(cell):
            continue
        texts = []
        stream = None  # the stream the previous output was printed to, if any
        for output in cell.get("outputs", []):
            if output["output_type"] == "stream":
                # The kernel sends printed text on a timer, so one run of prints may
                # arrive in pieces, cut differently on every run: join them again.
                text = "".join(output["text"])
                if output["name"] == stream:
                    texts[-1] += text
                else:
                    texts.append(text)
                stream = output["name"]
                continue
            stream = None
            if output["output_type"] in ("execute_result", "display_data"):
                data = output["data"]
                if set(data) <= {"text/plain", "text/markdown"}:
                    texts += ["".join(text) for text in data.values()]
            elif output["output_type"] == "error":
                texts.append(f"ERROR {output['ename']}: {output['evalue']}")
        kept = ["\n".join(line for line in t.splitlines() if "~" not in line) for t in texts]
        result.append(kept)
    return result


def test_there_are_lessons() -> None:
    assert len(LESSONS) >= 9


@pytest.mark.parametrize("lesson", LESSONS)
def test_each_lesson_is_built_in_both_languages_with_the_same_code(lesson: str) -> None:
    en, ko = load("en", lesson), load("ko", lesson)
    assert code_cells(en) == code_cells(ko)
    assert text_outputs(en) == text_outputs(ko)
    for nb in (en, ko):
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                assert cell.get("execution_count") is not None, "notebook kept without outputs"
    korean = "".join("".join(c["source"]) for c in ko["cells"] if c["cell_type"] == "markdown")
    assert re.search("[가-힣]", korean), "the Korean notebook has no Korean prose"
    for nb, language in ((en, "en"), (ko, "ko")):
        setup = [c for c in nb["cells"] if c["cell_type"] == "code" and is_language_cell(c)]
        assert len(setup) == 1, "one language set-up cell per notebook"
        assert f'LANG = "{language}"' in "".join(setup[0]["source"])
        first_code = next(c for c in nb["cells"] if c["cell_type"] == "code")
        assert first_code is setup[0], "the language cell runs before the lesson's code"


# What matplotlib warns when a figure's text needs a glyph its font does not have.
MISSING_GLYPH = re.compile(
    r"Glyph \d+|missing from (current )?font|does not have a glyph|findfont: Font family"
)


@pytest.mark.parametrize("language", ["en", "ko"])
@pytest.mark.parametrize("lesson", LESSONS)
def test_no_figure_is_missing_glyphs(lesson: str, language: str) -> None:
    found = MISSING_GLYPH.findall(all_outputs(load(language, lesson)))
    assert not found, f"{language}/{lesson}: matplotlib could not draw some text: {found}"


def test_the_korean_figures_are_labelled_in_korean() -> None:
    """The lessons that draw label their figures through label(), and the Korean build has
    a font with Hangul: a figure's Korean text would otherwise warn of missing glyphs."""
    drawing = [s for s in SOURCES if "matplotlib" in s.read_text(encoding="utf-8")]
    assert drawing
    for source in drawing:
        assert "label(" in source.read_text(encoding="utf-8"), (
            f"{source.name} draws in English only"
        )
    setup = next(c for c in load("ko", drawing[0].stem)["cells"] if c["cell_type"] == "code")
    assert "NanumGothic" in "".join(setup["source"])


@pytest.mark.parametrize("lesson", LESSONS)
def test_each_lesson_matches_its_source(lesson: str) -> None:
    sys.path.insert(0, str(NOTEBOOKS))
    try:
        import build
    finally:
        sys.path.remove(str(NOTEBOOKS))
    cells = build.parse((NOTEBOOKS / "src" / f"{lesson}.py").read_text(encoding="utf-8"))
    assert code_cells(load("en", lesson)) == [text for kind, _, text in cells if kind == "code"]


@pytest.mark.slow
@pytest.mark.parametrize("language", ["en", "ko"])
@pytest.mark.parametrize("lesson", LESSONS)
def test_each_notebook_runs_and_reproduces_its_outputs(
    lesson: str, language: str, tmp_path: Path
) -> None:
    nbformat = require("nbformat")
    nbclient = require("nbclient")
    require_program("dot")
    stored = nbformat.read(NOTEBOOKS / language / f"{lesson}.ipynb", as_version=4)
    fresh = nbformat.read(NOTEBOOKS / language / f"{lesson}.ipynb", as_version=4)
    client = nbclient.NotebookClient(  # the timeout guards against a hang: it times nothing
        fresh,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()  # raises CellExecutionError on any error
    assert text_outputs(fresh) == text_outputs(stored)


def test_the_lesson_list_names_every_lesson_in_both_languages() -> None:
    listing = (NOTEBOOKS / "README.md").read_text(encoding="utf-8")
    lessons = ROOT / "docs" / "lessons"  # the site's lesson pages; en/ and ko/ link to notebooks/
    site = (lessons / "index.md").read_text(encoding="utf-8")
    korean = (lessons / "korean.md").read_text(encoding="utf-8")
    for language in ("en", "ko"):
        assert (lessons / language).resolve() == (NOTEBOOKS / language).resolve()
    for lesson in LESSONS:
        for language in ("en", "ko"):
            assert f"{language}/{lesson}.ipynb" in listing
            assert f"]({language}/{lesson}.ipynb)" in site
        assert f"](ko/{lesson}.ipynb)" in korean
