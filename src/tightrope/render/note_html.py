"""The chart note as one self-contained HTML page (screen and print, A4 or US Letter).

The template and the stylesheet live in ``templates/``; Jinja2 autoescapes every
value, so nothing a clinician types can become markup. The note's JSON data is
embedded (``<script type="application/json" id="tightrope-note">``) so anyone
holding the page can recompute its content hash.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Literal

from jinja2 import Environment, PackageLoader, StrictUndefined, Template
from markupsafe import Markup

from ..core.note import Note, written

Paper = Literal["a4", "letter"]
PAGE_SIZES: dict[str, str] = {"a4": "A4", "letter": "letter"}


@cache
def _template() -> tuple[Template, str]:
    environment = Environment(loader=PackageLoader("tightrope.render", "templates"),
                              autoescape=True, undefined=StrictUndefined,
                              keep_trailing_newline=True)
    css = resources.files("tightrope.render").joinpath("templates", "note.css")
    return environment.get_template("note.html.j2"), css.read_text(encoding="utf-8")


def embedded_json(note: Note) -> Markup:
    """The note data for a ``<script type="application/json">`` element: ``<`` is escaped
    so the text can never close the element."""
    text = json.dumps(note.to_json_data(), ensure_ascii=False, indent=1, sort_keys=True)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e")
                  .replace("&", "\\u0026"))


def render_note_html(note: Note, *, paper: Paper = "a4") -> str:
    template, css = _template()
    practitioner = ", ".join(part for part in (note.practitioner_name, note.credentials) if part)
    return template.render(note=note, view=note.explanation, practitioner=practitioner,
                           written=written(note),
                           page_size=PAGE_SIZES[paper], css=Markup(css.strip()),
                           note_json=embedded_json(note))
