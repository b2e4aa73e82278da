"""The PDF note: its text, paper, tags, reproducibility, attached data and rendered pages.

Pages are rendered to PNG with ``pdftoppm`` (Debian package poppler-utils) so a person
can look at them; set TIGHTROPE_KEEP_PAGES=DIR to keep them. Without pdftoppm the
rendering test is skipped, unless TIGHTROPE_REQUIRE_TOOLS=1 (as in CI), where it fails.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import struct
import subprocess
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from tests.note_factories import HOSTILE, make_note, record
from tests.render.test_note_markdown import hostile_note
from tightrope.core.note import is_unchanged
from tightrope.render.note_pdf import render_note_pdf
from tightrope.render.note_typst import ATTACHMENT_NAME

PAPER_POINTS = {"a4": (595.28, 841.89), "letter": (612.0, 792.0)}


@pytest.fixture(scope="module")
def romance_pdf() -> bytes:
    return render_note_pdf(make_note(context=record()))


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def flat(text: str) -> str:
    return " ".join(text.replace("-\n", "-").split())


def test_the_text_is_real_and_complete(romance_pdf: bytes) -> None:
    note = make_note(context=record())
    text = flat(text_of(romance_pdf))
    for expected in ("Multiple-relationship decision note", "Verdict: Prohibited until 2027-05-02",
                     "APA 10.08(a)", "Sexual intimacy with a former therapy client",
                     "Residual power, the primary consideration", "Dr. B. Chen",
                     "clinical supervisor", "Reassess on 2027-05-03", "C-0142",
                     note.content_sha256, note.explanation.codes[0].sha256,
                     "Considered, and why it did not decide", "Signed: Dr. A. Rivera"):
        assert expected in text, expected
    reader = PdfReader(io.BytesIO(romance_pdf))
    assert 2 <= len(reader.pages) <= 5
    assert f"Page 1 of {len(reader.pages)}" in flat(reader.pages[0].extract_text())


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_every_page_has_the_right_paper_size(paper: str) -> None:
    pdf = render_note_pdf(make_note("small-town-mechanic"), paper="a4" if paper == "a4" else
                          "letter")
    width, height = PAPER_POINTS[paper]
    for page in PdfReader(io.BytesIO(pdf)).pages:
        assert float(page.mediabox.width) == pytest.approx(width, abs=0.5)
        assert float(page.mediabox.height) == pytest.approx(height, abs=0.5)


def test_the_pdf_is_tagged_titled_and_in_english(romance_pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(romance_pdf))
    catalog: Any = reader.trailer["/Root"]
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in catalog
    assert catalog["/Lang"] == "en-US"
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata is not None
    assert reader.metadata.title == "Multiple-relationship decision note: C-0142, 2026-11-26"
    assert reader.metadata.author == "Dr. A. Rivera"
    xmp = catalog["/Metadata"].get_object().get_data().decode("utf-8")
    assert "<pdfuaid:part>1</pdfuaid:part>" in xmp  # PDF/UA-1
    assert "<pdfaid:part>3</pdfaid:part>" in xmp and "<pdfaid:conformance>A" in xmp


def test_the_same_note_gives_the_same_bytes(romance_pdf: bytes) -> None:
    assert render_note_pdf(make_note(context=record())) == romance_pdf
    reader = PdfReader(io.BytesIO(romance_pdf))
    assert reader.metadata is not None
    assert str(reader.metadata["/CreationDate"]) == "D:20261127093000Z"


def test_the_pdf_carries_the_data_that_recomputes_its_hash(romance_pdf: bytes) -> None:
    attachments = PdfReader(io.BytesIO(romance_pdf)).attachments
    assert list(attachments) == [ATTACHMENT_NAME]
    data = json.loads(attachments[ATTACHMENT_NAME][0])
    assert is_unchanged(data)
    assert data["content_sha256"] == make_note(context=record()).content_sha256


def test_typed_text_is_shown_verbatim_never_run() -> None:
    text = flat(text_of(render_note_pdf(hostile_note())))
    assert text.count(flat(HOSTILE)) >= 4
    assert "# not a heading" in text


def ink_share(pgm: Path) -> float:
    """The share of dark pixels in a binary PGM (P5, 8-bit) page image."""
    raw = pgm.read_bytes()
    fields = raw.split(maxsplit=4)
    assert fields[0] == b"P5" and fields[3] == b"255"
    width, height = int(fields[1]), int(fields[2])
    pixels = fields[4][-width * height:]
    return sum(1 for value in pixels if value < 128) / (width * height)


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_pages_render_to_images_a_person_can_check(paper: str, tmp_path: Path) -> None:
    if shutil.which("pdftoppm") is None:
        if os.environ.get("TIGHTROPE_REQUIRE_TOOLS") == "1":
            pytest.fail("pdftoppm is required (TIGHTROPE_REQUIRE_TOOLS=1): "
                        "apt-get install poppler-utils")
        pytest.skip("pdftoppm not found; install the Debian package poppler-utils to render "
                    "the PDF pages to images")
    pdf_path = tmp_path / f"note-{paper}.pdf"
    pdf_path.write_bytes(render_note_pdf(make_note(context=record()),
                                         paper="a4" if paper == "a4" else "letter"))
    # PNG for people to look at; 8-bit grey PGM for the test to measure.
    for kind in ("-png", "-gray"):
        subprocess.run(["pdftoppm", "-r", "60", kind, str(pdf_path), str(tmp_path / "page")],
                       check=True, timeout=120)
    pages = sorted(tmp_path.glob("page-*.png"))
    grey = sorted(tmp_path.glob("page-*.pgm"))
    assert len(pages) == len(grey) == len(PdfReader(str(pdf_path)).pages)
    expected = PAPER_POINTS[paper]
    for page in grey:
        assert 0.005 < ink_share(page) < 0.3, f"{page.name} looks blank or black"
    for page in pages:
        width, height = struct.unpack(">II", page.read_bytes()[16:24])
        assert (width, height) == pytest.approx((expected[0] * 60 / 72, expected[1] * 60 / 72),
                                                abs=2)
    keep = os.environ.get("TIGHTROPE_KEEP_PAGES")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        for page in pages:
            shutil.copy(page, Path(keep) / f"{paper}-{page.name}")
