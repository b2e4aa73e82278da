"""The Markdown note: pinned for a few examples, and safe for any text a clinician types."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from tests.goldens import check_golden
from tests.note_factories import HOSTILE, RECORD, make_note, record
from tightrope.core.note import Note
from tightrope.render.note_markdown import escape, line, render_note_markdown

GOLDEN = Path(__file__).parent / "golden"
CASES = [("former-client-romance", True), ("small-town-mechanic", False),
         ("unknown-end-date", False)]
HEADINGS = {"Decision", "Facts as given", "Residual power, the primary consideration",
            "Rules that bind the practitioner", "Other factors weighed",
            "Considered, and why it did not decide", "Recommended actions",
            "What would change the answer", "Still unknown, and could change the verdict",
            "Consultation", "Informed consent", "Plan and re-assessment", "Limits",
            "Record integrity", "Signature", "Multiple-relationship decision note"}


def hostile_note(name: str = "former-client-romance") -> Note:
    consultation = {**RECORD["consultations"][0], "who": HOSTILE, "role": HOSTILE,
                    "advice": f"{HOSTILE}\n# not a heading\n1. not a list\n---\n- nor this"}
    return make_note(name, record(practitioner={"name": HOSTILE, "credentials": HOSTILE},
                                  consultations=[consultation],
                                  consent={"given": False, "how": HOSTILE},
                                  plan=f"=== \n{HOSTILE}\n> quote", reviewed_by=HOSTILE))


@pytest.mark.parametrize(("name", "with_record"), CASES, ids=[c[0] for c in CASES])
def test_markdown_notes_are_pinned(name: str, with_record: bool, update_goldens: bool) -> None:
    note = make_note(name, record() if with_record else None)
    check_golden(GOLDEN / f"note-{name}.md", render_note_markdown(note), update_goldens)


def test_markdown_shows_the_content_of_the_note() -> None:
    note = make_note(context=record())
    text = render_note_markdown(note)
    for expected in ("**Verdict: Prohibited until 2027-05-02.**", "APA 10.08(a)",
                     "(<https://www.apa.org/ethics/code>)", "C-0142 (de-identified reference)",
                     "Dr. B. Chen**, clinical supervisor, on 2026-11-20",
                     "Reassess on 2027-05-03", note.content_sha256,
                     note.explanation.codes[0].sha256, "Written:** 2026-11-27 09:30 UTC+00:00"):
        assert expected in text


def test_typed_text_never_becomes_markup() -> None:
    rendered = MarkdownIt("commonmark").enable("table").render(render_note_markdown(
        hostile_note()))
    assert "<script>" not in rendered and "<img" not in rendered
    assert 'href="http://evil.example"' not in rendered
    assert "<em>X</em>" not in rendered and "<code>code</code>" not in rendered
    assert "<blockquote>" not in rendered and "<hr" not in rendered
    headings = {html.unescape(h.split(">", 1)[1].split("</h", 1)[0])
                for h in rendered.split("<h")[1:] if h[:1].isdigit()}
    assert headings <= HEADINGS
    text = html.unescape(rendered)
    assert HOSTILE in text
    assert "# not a heading" in text and "1. not a list" in text


def test_the_escapes_are_minimal_and_reversible() -> None:
    assert escape("10.08(a) of APA") == "10.08(a) of APA"
    assert line("10. Decline") == "10\\. Decline"
    assert line("# x") == "\\# x" and line("- x") == "\\- x"
    assert escape("a | b") == "a \\| b"
    assert escape("two\nlines") == "two lines"
