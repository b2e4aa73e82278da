"""Typst markup: every string from a note becomes a string literal, shown verbatim."""

from __future__ import annotations

import io
import string

import pytest
import typst
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from tests.note_factories import make_note, record
from tightrope.render.note_typst import literal, note_typst, text

INJECTIONS = [
    '"; #panic("injected") //',
    '\\"; #panic("injected"); "',
    "]; #panic(\"injected\"); [",
    "#panic(\"injected\")",
    "$ #panic(\"injected\") $",
    "*bold* _em_ `raw` <label> @ref = heading",
    string.punctuation,
]


def shown(source: str) -> str:
    pdf = typst.compile(source.encode("utf-8"), format="pdf", ignore_system_fonts=True)
    return " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())


def test_literals_escape_only_what_they_must() -> None:
    assert literal('a "quoted" \\ path') == '"a \\"quoted\\" \\\\ path"'
    assert literal("two\nlines\ttab\x00") == '"two\\nlines\\u{9}tab\\u{0}"'
    assert literal("émigré — 10.08(a) $10 #1") == '"émigré — 10.08(a) $10 #1"'


@pytest.mark.parametrize("attack", INJECTIONS)
def test_typed_text_cannot_run_or_format(attack: str) -> None:
    # If any of these escaped the literal, Typst would panic or drop characters.
    assert shown(f"Before {text(attack)} after") == " ".join(f"Before {attack} after".split())


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]),
               max_size=40))
def test_any_text_round_trips_through_a_literal(value: str) -> None:
    # sys.inputs carries the value outside the markup: the literal must decode to it exactly.
    source = f"#assert.eq({literal(value)}, sys.inputs.v)\nsame"
    pdf = typst.compile(source.encode("utf-8"), format="pdf", sys_inputs={"v": value})
    assert "same" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def test_the_document_declares_title_language_and_paper() -> None:
    source = note_typst(make_note(context=record()), paper="letter")
    assert '#set document(title: "Multiple-relationship decision note: C-0142, 2026-11-26"' \
        in source
    assert '#set text(lang: "en", region: "US"' in source
    assert '#set page(paper: "us-letter"' in source
    assert "#pdf.attach(" in source
