"""The chart note as a tagged, accessible PDF (Typst, through the ``typst`` package).

- PDF/UA-1 (accessible: tagged structure, document title and language) and
  PDF/A-3a (archival; the "3" allows the note's JSON data to travel inside the
  PDF as an associated file, so a board can recompute the content hash).
- Text is real text: it can be selected, searched and read aloud.
- A4 or US Letter.
- Reproducible: the PDF's creation time is the note's ``generated_at`` and only
  the fonts bundled with Typst are used (system fonts are ignored), so the same
  note gives byte-identical PDF on any machine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..core.note import Note, note_error
from .note_typst import Paper, note_typst

if TYPE_CHECKING:
    from typst import PDFStandard

PDF_STANDARDS: tuple[PDFStandard, ...] = ("a-3a", "ua-1")


def render_note_pdf(note: Note, *, paper: Paper = "a4") -> bytes:
    import typst

    source = note_typst(note, paper=paper)
    try:
        pdf = typst.compile(source.encode("utf-8"), format="pdf", ignore_system_fonts=True,
                            pdf_standards=list(PDF_STANDARDS), timestamp=note.generated_at)
    except typst.TypstError as exc:
        # Translated at the boundary; the message names the cause, never the note's text.
        raise note_error("pdf-failed", f"the PDF could not be produced ({exc.message})",
                         hint="please report this; the Markdown and HTML notes still work"
                         ) from None
    if not isinstance(pdf, bytes):  # pragma: no cover - typst returns bytes without output=
        raise note_error("pdf-failed", "the PDF could not be produced (no output)")
    return pdf
