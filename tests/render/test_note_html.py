"""The HTML note: pinned, well formed, accessible, safe, and carrying its own data."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.note_factories import HOSTILE, make_note, record
from tests.render.test_note_markdown import CASES, check_golden, hostile_note
from tightrope.core.note import is_unchanged
from tightrope.render.note_html import Paper, render_note_html

GOLDEN = Path(__file__).parent / "golden"
VOID = {"meta", "link", "br", "hr", "img", "input"}


class Outline(HTMLParser):
    """Checks nesting and collects what a screen reader and a script would see."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.data_json = ""
        self.in_data = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self.in_data = dict(attrs).get("type") == "application/json"
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes <{self.stack[-1:]}>"
        self.stack.pop()
        self.in_data = False

    def handle_data(self, data: str) -> None:
        if self.in_data:
            self.data_json += data
        else:
            self.text.append(data)


def outline(page: str) -> Outline:
    parser = Outline()
    parser.feed(page)
    parser.close()
    assert parser.stack == [], f"unclosed: {parser.stack}"
    return parser


@pytest.mark.parametrize(("name", "with_record"), CASES, ids=[c[0] for c in CASES])
def test_html_notes_are_pinned(name: str, with_record: bool, update_goldens: bool) -> None:
    note = make_note(name, record() if with_record else None)
    check_golden(GOLDEN / f"note-{name}.html", render_note_html(note), update_goldens)


def test_the_page_is_well_formed_and_accessible() -> None:
    page = outline(render_note_html(make_note(context=record())))
    tags = [tag for tag, _ in page.tags]
    assert ("html", {"lang": "en"}) in page.tags
    assert tags.count("h1") == 1 and tags.count("main") == 1
    assert "title" in tags and "caption" in tags
    headers = [attrs for tag, attrs in page.tags if tag == "th"]
    assert headers and all(attrs.get("scope") in {"col", "row"} for attrs in headers)
    text = " ".join(page.text)
    assert "Verdict: Prohibited until 2027-05-02" in text  # said in words, not colour alone


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_print_css_sets_the_paper(paper: Paper) -> None:
    page = render_note_html(make_note(), paper=paper)
    assert f"@page {{ size: {'A4' if paper == 'a4' else 'letter'};" in page


def test_the_embedded_data_recomputes_the_hash() -> None:
    note = make_note(context=record())
    data = json.loads(outline(render_note_html(note)).data_json)
    assert data == note.to_json_data()
    assert is_unchanged(data)


def test_typed_text_is_escaped_everywhere() -> None:
    note = hostile_note()
    page = render_note_html(note)
    parsed = outline(page)
    scripts = [attrs for tag, attrs in parsed.tags if tag == "script"]
    assert scripts == [{"type": "application/json", "id": "tightrope-note"}]
    assert not any(tag == "a" and "evil" in (attrs.get("href") or "")
                   for tag, attrs in parsed.tags)
    assert HOSTILE in " ".join(parsed.text)
    assert json.loads(parsed.data_json)["practitioner_name"] == HOSTILE
    assert "</script><script>" not in page.replace("</script>\n</body>", "")
