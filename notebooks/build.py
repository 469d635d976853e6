"""Build the lesson notebooks: one source per lesson -> notebooks/en/*.ipynb and ko/*.ipynb.

A source (notebooks/src/NN_name.py) is a Python file in "percent" format:

    # %% [markdown] en
    # # A neuron
    # %% [markdown] ko
    # # 뉴런 하나
    # %%
    print(0.6 * 0.8)

`# %%` starts a code cell (shared by both languages, so their code is identical by
construction); `# %% [markdown] en` / `ko` start prose for one language, each line
after it starting with `# `. Before the first code cell the build inserts one language
set-up cell (tagged "language", the only code that differs between the languages): it
defines `LANG` and `label(en, ko)`, the text a figure shows, and in Korean adds
NanumGothic (Debian's fonts-nanum) as matplotlib's fallback font, so that Hangul is drawn.
The built notebooks are executed on a fresh kernel, so the files keep their outputs and
read well on a code host.

    python notebooks/build.py              # every lesson
    python notebooks/build.py 01 04        # lessons whose names start with 01 or 04
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from autograd.files import write_atomically

HERE = Path(__file__).resolve().parent
LANGUAGES = ("en", "ko")
CELL = re.compile(r"^# %%(?: \[markdown\] (?P<language>\w+))?\s*$")
TIMEOUT = 600  # seconds per cell: a guard against a hang (a CNN cell takes minutes when busy)
LANGUAGE_TAG = "language"  # the one code cell that differs between the languages
_LABEL = '''


def label(en: str, ko: str) -> str:
    """The text a figure shows, in this lesson's language."""
    return {"en": en, "ko": ko}[LANG]'''
LANGUAGE_CELLS = {
    "en": "# The language set-up: the only code that differs between the English and Korean\n"
    "# lessons. Figures label themselves with label(english, korean).\n"
    'LANG = "en"' + _LABEL,
    "ko": "# 언어 설정: 영어판과 한국어판에서 다른 유일한 코드예요. 그림의 글자는\n"
    "# label(영어, 한국어)로 고르고, 한글이 보이도록 나눔고딕 글꼴을 써요.\n"
    "import matplotlib\nfrom matplotlib import font_manager\n\n"
    'LANG = "ko"\n'
    "# 나눔고딕(Debian의 fonts-nanum)을 matplotlib의 글꼴 목록을 만든 뒤에 설치했다면\n"
    "# 목록에 없으니, 시스템 글꼴에서 찾아 더해요.\n"
    'if "NanumGothic" not in {font.name for font in font_manager.fontManager.ttflist}:\n'
    "    for path in font_manager.findSystemFonts():\n"
    '        if "NanumGothic" in path:\n'
    "            font_manager.fontManager.addfont(path)\n"
    "# 라틴 문자와 숫자, 수식은 기본 글꼴(DejaVu Sans)로, 그 글꼴에 없는 한글은\n"
    "# 나눔고딕으로 그려요.\n"
    'matplotlib.rcParams["font.family"] = ["DejaVu Sans", "NanumGothic"]' + _LABEL,
}


def parse(source: str) -> list[tuple[str, str | None, str]]:
    """(kind, language, text) cells: kind "code" (language None) or "markdown"."""
    cells: list[tuple[str, str | None, list[str]]] = []
    for number, line in enumerate(source.splitlines(), 1):
        marker = CELL.match(line)
        if marker:
            language = marker.group("language")
            if language is not None and language not in LANGUAGES:
                raise ValueError(f"line {number}: unknown language {language!r}")
            cells.append(("markdown" if language else "code", language, []))
        elif not cells:
            if line.strip():
                raise ValueError(f"line {number}: text before the first '# %%' cell marker")
        elif cells[-1][0] == "markdown":
            if line and line != "#" and not line.startswith("# "):
                raise ValueError(f"line {number}: markdown lines must start with '# '")
            cells[-1][2].append(line[2:])
        else:
            cells[-1][2].append(line)
    return [(kind, language, "\n".join(lines).strip("\n")) for kind, language, lines in cells]


def notebook(cells: list[tuple[str, str | None, str]], language: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.metadata["language_info"] = {"name": "python"}
    for kind, cell_language, text in cells:
        if kind == "code":
            if not any(c.cell_type == "code" for c in nb.cells):
                setup = nbformat.v4.new_code_cell(LANGUAGE_CELLS[language])
                setup.metadata["tags"] = [LANGUAGE_TAG]
                nb.cells.append(setup)
            nb.cells.append(nbformat.v4.new_code_cell(text))
        elif cell_language == language:
            nb.cells.append(nbformat.v4.new_markdown_cell(text))
    for number, cell in enumerate(nb.cells):
        cell.id = f"cell-{number}"  # stable ids: a rebuild changes only what really changed
    return nb


def execute(nb: nbformat.NotebookNode, cwd: Path) -> nbformat.NotebookNode:
    """Run every cell on a fresh kernel, in `cwd`; raises on the first error."""
    client = NotebookClient(
        nb, timeout=TIMEOUT, kernel_name="python3", resources={"metadata": {"path": str(cwd)}}
    )
    client.execute()
    for cell in nb.cells:
        cell.metadata.pop("execution", None)  # run timestamps: noise in every diff
    return nb


def build(source: Path) -> None:
    cells = parse(source.read_text(encoding="utf-8"))
    for language in LANGUAGES:
        target = HERE / language / (source.stem + ".ipynb")
        print(f"building {target.relative_to(HERE)}", flush=True)
        with tempfile.TemporaryDirectory() as scratch:  # files a lesson saves go here
            nb = execute(notebook(cells, language), Path(scratch))
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(target, nbformat.writes(nb) + "\n")


def main(prefixes: list[str]) -> int:
    sources = sorted((HERE / "src").glob("*.py"))
    chosen = [s for s in sources if not prefixes or s.name.startswith(tuple(prefixes))]
    if not chosen:
        print(f"no lesson source matches {prefixes}", file=sys.stderr)
        return 2
    for source in chosen:
        build(source)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
