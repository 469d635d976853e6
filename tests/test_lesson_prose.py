"""The lessons' prose: emphasis that renders, and one Korean term per idea.

Read from the built notebooks (what a reader sees), not from the sources.
"""

from __future__ import annotations

import re

import pytest
from lessons import LESSONS, NOTEBOOKS, load, markdown_cells
from optional import require


def korean(lesson: str) -> list[str]:
    return markdown_cells(load("ko", lesson))


@pytest.mark.parametrize("language", ["en", "ko"])
@pytest.mark.parametrize("lesson", LESSONS)
def test_emphasis_renders_without_stray_asterisks(lesson: str, language: str) -> None:
    """CommonMark closes `**` before a letter only when the text inside does not end in
    punctuation: `**순전파(forward propagation)**예요` shows its asterisks. An asterisk
    left in the rendered text next to a non-space is such a failure (a product written
    `a * b`, spaced, is not)."""
    markdown_it = require("markdown_it")
    md = markdown_it.MarkdownIt("commonmark")
    for source in markdown_cells(load(language, lesson)):
        for block in md.parse(source):
            for token in block.children or []:
                if token.type == "text":
                    stray = re.search(r"\S\*|\*\S", token.content)
                    assert not stray, f"{language}/{lesson}: literal '*' in {token.content!r}"


@pytest.mark.parametrize("lesson", LESSONS)
def test_korean_bold_keeps_the_english_term_outside(lesson: str) -> None:
    """`**순전파**(forward propagation)예요`, never `**순전파(forward propagation)** 예요`:
    the space that made the latter render puts a gap before the particle."""
    for source in korean(lesson):
        for pattern in (r"\*\*[^*]*\([^()*]*\)\*\*", r"(?<!\*)\*[^*\s][^*]*\([^()*]*\)\*(?!\*)"):
            found = re.findall(pattern, source)
            assert not found, f"ko/{lesson}: write **term**(English): {found}"


# Korean words that must not appear for these ideas, and the one word used instead.
ONE_TERM = {
    "곱셈-누적": "곱셈-누산(MAC)",
    "곱셈-덧셈": "곱셈-누산(MAC)",
    "여유(margin)": "마진(margin)",
    "정규화(regularization)": "규제(regularization)",
    "저희": "우리",
    "업데이트": "갱신",
    "에폭": "에포크",
}


@pytest.mark.parametrize("lesson", LESSONS)
def test_korean_uses_one_term_per_idea(lesson: str) -> None:
    prose = "\n".join(korean(lesson))
    for avoided, used in ONE_TERM.items():
        assert avoided not in prose, f"ko/{lesson}: write {used}, not {avoided}"
    if "margin" in prose:
        assert "마진" in prose
        assert "여유" not in prose, f"ko/{lesson}: margin is 마진"


def test_the_korean_terms_are_in_use() -> None:
    """The chosen terms appear where the ideas do (so the list above is not vacuous)."""
    everything = "\n".join("\n".join(korean(lesson)) for lesson in LESSONS)
    for term in ("곱셈-누산", "마진", "규제", "우리", "갱신", "에포크"):
        assert term in everything, term


@pytest.mark.parametrize("index", ["docs/lessons/index.md", "docs/lessons/korean.md"])
def test_the_index_maps_every_source_note_to_lessons(index: str) -> None:
    """Issue 17: a table per source note, each idea pointing at lessons that exist (or
    saying why no code fits), and every numbered lesson named somewhere in it."""
    text = (NOTEBOOKS.parent / index).read_text(encoding="utf-8")
    start = re.search(r"^\*\*(?:Note|노트) 1", text, re.MULTILINE)
    assert start, f"{index}: no table for the first source note"
    coverage = text[start.start() : text.index("\n## ", start.start())]
    notes = re.findall(r"^\*\*(?:Note|노트) (\d)", coverage, re.MULTILINE)
    assert notes == ["1", "2", "3", "4", "5"]
    numbered = {int(name[:2]) for name in LESSONS if int(name[:2]) < 13}  # 13 is the appendix
    cited: set[int] = set()
    for row in re.findall(r"^\| (?!---|idea|개념)(.+) \| (.+) \|$", coverage, re.MULTILINE):
        where = row[1]
        numbers = {int(n) for n in re.findall(r"(?<![\d.,x])(\d{1,2})(?![\d,.]|x|W|%)", where)}
        assert numbers <= numbered, f"{index}: {row[0]!r} cites a lesson that does not exist"
        assert numbers or len(where) > 40, f"{index}: {row[0]!r}: no lesson and no reason"
        cited |= numbers
    assert cited == numbered, f"{index}: lessons never cited: {sorted(numbered - cited)}"
