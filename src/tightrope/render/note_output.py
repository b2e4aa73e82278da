"""One entry point for every note format, shared by the CLI and the web app.

``render_note(note, NoteFormat.pdf, paper="letter")`` returns the file's bytes;
``NoteFormat`` knows each format's media type and file suffix, so a web
download and ``tightrope note -o`` name and label files the same way.
"""

from __future__ import annotations

import json
from enum import StrEnum

from ..core.note import Note
from .note_typst import Paper


class NoteFormat(StrEnum):
    md = "md"
    html = "html"
    pdf = "pdf"
    fhir = "fhir"
    json = "json"

    @property
    def media_type(self) -> str:
        return _MEDIA_TYPES[self]

    @property
    def suffix(self) -> str:
        return _SUFFIXES[self]

    @property
    def is_binary(self) -> bool:
        return self is NoteFormat.pdf


_MEDIA_TYPES = {
    NoteFormat.md: "text/markdown; charset=utf-8",
    NoteFormat.html: "text/html; charset=utf-8",
    NoteFormat.pdf: "application/pdf",
    NoteFormat.fhir: "application/fhir+json",
    NoteFormat.json: "application/json",
}
_SUFFIXES = {
    NoteFormat.md: ".md",
    NoteFormat.html: ".html",
    NoteFormat.pdf: ".pdf",
    NoteFormat.fhir: ".fhir.json",
    NoteFormat.json: ".json",
}
SUFFIX_FORMATS = {".md": NoteFormat.md, ".markdown": NoteFormat.md, ".html": NoteFormat.html,
                  ".htm": NoteFormat.html, ".pdf": NoteFormat.pdf}


def note_filename(note: Note, fmt: NoteFormat) -> str:
    """A file name without client details beyond the de-identified reference."""
    who = f"-{note.client_ref}" if note.client_ref else ""
    safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in who)
    return f"tightrope-note{safe}-{note.as_of}{fmt.suffix}"


def _json(data: object) -> bytes:
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def render_note(note: Note, fmt: NoteFormat, *, paper: Paper = "a4") -> bytes:
    """The note in ``fmt`` as bytes (UTF-8 for the text formats)."""
    if fmt is NoteFormat.md:
        from .note_markdown import render_note_markdown

        return render_note_markdown(note).encode("utf-8")
    if fmt is NoteFormat.html:
        from .note_html import render_note_html

        return render_note_html(note, paper=paper).encode("utf-8")
    if fmt is NoteFormat.pdf:
        from .note_pdf import render_note_pdf

        return render_note_pdf(note, paper=paper)
    if fmt is NoteFormat.json:
        return _json(note.to_json_data())
    from ..fhir.bundle import build_bundle
    from .note_markdown import render_note_markdown
    from .note_pdf import render_note_pdf

    return _json(build_bundle(note, pdf=render_note_pdf(note, paper=paper),
                              markdown=render_note_markdown(note)))
