"""Typst markup for the chart note (compiled to PDF by :mod:`note_pdf`).

Escaping: the structure (headings, lists, tables) is our own markup; every
string that comes from a note (the case, the clinician's record, the packs) is
written as a Typst *string literal* (``#"...";``), never as markup. A string
literal is shown as plain text, so ``*``, ``$``, ``#``, ``]`` or ``//`` typed by
a clinician stay characters and can never become code, math or formatting.
Inside the literal only ``\\`` and ``"`` need escaping; control characters are
written as ``\\u{..}`` escapes.
"""

from __future__ import annotations

import json
from typing import Literal

from ..core.explanation import FactorLine, RuleLine
from ..core.note import Consultation, Note, written

Paper = Literal["a4", "letter"]
TYPST_PAPER: dict[str, str] = {"a4": "a4", "letter": "us-letter"}
ATTACHMENT_NAME = "tightrope-note.json"

# Border colours repeat the verdict's words, never replace them (WCAG 1.4.1).
_VERDICT_COLOURS = {
    "prohibited": ("#8b0000", "#fdf0f0"),
    "avoid": ("#7a4b00", "#fff7e6"),
    "proceed_with_safeguards": ("#00506b", "#eef8fb"),
    "acceptable": ("#1d5e20", "#f0f8f0"),
}


def literal(text: str) -> str:
    """A Typst string literal whose value is exactly ``text``."""
    out = ['"']
    for char in text:
        code = ord(char)
        if char == "\\":
            out.append("\\\\")
        elif char == '"':
            out.append('\\"')
        elif char == "\n":
            out.append("\\n")
        elif code < 0x20 or code == 0x7F or 0x80 <= code < 0xA0 or char in "\u2028\u2029":
            out.append(f"\\u{{{code:x}}}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def text(value: str) -> str:
    """``value`` as plain text inside markup."""
    return f"#{literal(value)};"


def lines(value: str) -> str:
    """Multi-line text, each line kept, as plain text inside markup."""
    return f"#lines({literal(value)});"


PREAMBLE = """\
#let lines(s) = s.split("\\n").map(l => l.trim()).filter(l => l != "").join(linebreak())
#let hash(s) = text(font: "DejaVu Sans Mono", size: 7.5pt, s)
#let muted(body) = text(fill: luma(70), body)
"""


def _document(note: Note, paper: Paper) -> list[str]:
    title = note.title + (f": {note.client_ref}" if note.client_ref else "") + f", {note.as_of}"
    author = note.practitioner_name or "Tightrope"
    short = note.content_sha256[:16]
    view = note.explanation
    return [
        f"#set document(title: {literal(title)}, author: {literal(author)}, "
        f"keywords: ({literal('Tightrope')}, {literal(view.verdict_label)}))",
        '#set text(lang: "en", region: "US", font: "Libertinus Serif", size: 10.5pt)',
        "#set par(leading: 0.62em, spacing: 0.9em)",
        f'#set page(paper: "{TYPST_PAPER[paper]}", margin: (x: 18mm, top: 20mm, bottom: 22mm),',
        "  header: context { if counter(page).get().first() > 1 { set text(8.5pt, fill: luma(70));"
        f" [{text(note.title)} #h(1fr) {text(note.client_ref or '')} {text(str(note.as_of))}]"
        " } },",
        "  footer: context { set text(8pt, fill: luma(70));"
        f" [Tightrope {text(view.engine_version)} #h(0.6em) content SHA-256 "
        f"#hash({literal(short)})… #h(1fr)"
        " Page #counter(page).display() of #counter(page).final().first()] })",
        "#show heading.where(level: 1): set text(17pt)",
        "#show heading.where(level: 2): it => block(width: 100%, above: 1.3em, below: 0.6em,"
        " sticky: true, stroke: (bottom: 0.5pt + luma(120)), inset: (bottom: 3pt),"
        " text(12.5pt, it))",
        "#show heading.where(level: 3): set text(10.5pt)",
        "#show link: set text(fill: rgb(\"#0b4f8a\"))",
        "#set table(stroke: 0.4pt + luma(150), inset: 4pt,"
        " fill: (x, y) => if y == 0 { luma(232) })",
        "#set list(indent: 0.4em, body-indent: 0.5em)",
        "#set enum(indent: 0.4em, body-indent: 0.5em)",
    ]


def _header(note: Note) -> list[str]:
    view = note.explanation
    name = ", ".join(part for part in (note.practitioner_name, note.credentials) if part)
    where = f"; {note.jurisdiction}" if note.jurisdiction else ""
    codes = "; ".join(f"{c.code} ({c.edition}; {c.bound_by})" for c in view.codes)
    rows = [
        ("Written", written(note)),
        ("Assessment date", str(note.as_of)),
        ("Practitioner", f"{name or 'name not recorded'} ({note.profession}{where})"),
        ("Codes that bind the practitioner", codes or "none found"),
        ("Client", f"{note.client_ref or 'not identified'} (de-identified reference)"),
        ("Situation", f"{note.relationship}."),
    ]
    cells = ", ".join(f"[*{label}*], {literal(value)}" for label, value in rows)
    return [f"= {text(note.title)}", "",
            f"#grid(columns: (auto, 1fr), column-gutter: 10pt, row-gutter: 5pt, {cells})", ""]


def _decision(note: Note) -> list[str]:
    view = note.explanation
    border, fill = _VERDICT_COLOURS[view.verdict.value]
    out = ["== Decision", "",
           f'#block(width: 100%, fill: rgb("{fill}"), inset: 9pt, radius: 2pt, breakable: false,'
           f' stroke: (left: 5pt + rgb("{border}"), rest: 1pt + rgb("{border}")))['
           f"#text(13pt, weight: \"bold\")[Verdict: {text(view.headline)}] \\",
           f"{text(view.verdict_meaning)}]", "", text(view.decisive_reason), ""]
    if view.governing:
        out += [text(view.governing), ""]
    return out


def _facts(note: Note) -> list[str]:
    cells = ", ".join(f"{literal(f.label)}, {literal(f.value)}" for f in note.facts)
    out = ["== Facts as given", "",
           "#table(columns: (auto, 1fr), table.header([*Fact*], [*As given*]), "
           f"{cells})", ""]
    if note.details:
        out += ["*Details as given:* \\", lines(note.details), ""]
    if note.unanswered:
        out += [f"*Not answered (treated as unknown):* {text(', '.join(note.unanswered))}.", ""]
    return out


def _factor(factor: FactorLine) -> list[str]:
    out = [f"- *{text(factor.label)}*: {text(factor.level)} "
           f"#muted[({text(factor.role_label)})]"]
    out += [f"  - {text(reason)}" for reason in factor.because]
    return out


def _rule(rule: RuleLine) -> list[str]:
    until = rule.timing
    out = [f"- #link({literal(rule.url)})[*{text(f'{rule.code} {rule.section}')}*] "
           f"{text(f'({rule.edition}): {rule.title}.')} "
           f"_{text(f'{rule.effect_label}{until}; {rule.status_label}.')}_ \\",
           f"  {text(rule.summary)}"]
    out += [f"  - {text('Requires: ' + requirement)}" for requirement in rule.requirements]
    return out


def _consultation(item: Consultation) -> list[str]:
    role = f", {item.role}" if item.role else ""
    out = [f"- *{text(item.who)}*{text(f'{role}, on {item.consulted_on}')}",
           f"  - *Advice:* {lines(item.advice)}"]
    if item.decision:
        out.append(f"  - *Decision:* {lines(item.decision)}")
    if item.rationale:
        out.append(f"  - *Rationale:* {lines(item.rationale)}")
    return out


def _analysis(note: Note) -> list[str]:
    view = note.explanation
    out = ["== Residual power, the primary consideration", "", "#block(breakable: false)["]
    out += (_factor(note.residual_power) if note.residual_power is not None
            else ["Residual power was not assessed for this case."])
    out += ["]"]
    out += ["", "== Rules that bind the practitioner", ""]
    if not view.rules:
        out.append("No rule in the codes that bind the practitioner speaks to this case "
                   "directly; the verdict rests on the judgement layers.")
    for rule in view.rules:
        out += _rule(rule)
    if note.weighed:
        out += ["", "== Other factors weighed", ""]
        for factor in note.weighed:
            out += _factor(factor)
    if note.considered:
        out += ["", "== Considered, and why it did not decide", ""]
        for factor in note.considered:
            out += _factor(factor)
    out += ["", "== Recommended actions", ""]
    out += [f"+ *{text(a.label)}*: {text(a.detail)}" for a in view.actions]
    if view.what_would_change:
        out += ["", "=== What would change the answer", ""]
        out += [f"- {text(change)}" for change in view.what_would_change]
    if view.unknown_questions:
        out += ["", "=== Still unknown, and could change the verdict", ""]
        out += [f"- {text(question)}" for question in view.unknown_questions]
    return [*out, ""]


def _record(note: Note) -> list[str]:
    out = ["== Consultation", "", text(note.consultation_status), ""]
    for consultation in note.consultations:
        out += _consultation(consultation)
    out += ["", "== Informed consent", "", text(note.consent_status), ""]
    if note.consent is not None and note.consent.how:
        out += [f"How: {lines(note.consent.how)}", ""]
    out += ["== Plan and re-assessment", "", lines(note.plan), "",
            text(note.reassess_status), ""]
    return out


def _integrity(note: Note) -> list[str]:
    view = note.explanation
    out = ["== Limits", ""]
    out += [f"- {text(gap)}" for gap in (*view.coverage, view.notice)]
    out += ["", "== Record integrity", "",
            f"Tightrope engine {text(view.engine_version)}. Rule packs applied:", ""]
    rows = []
    for c in view.codes:
        rows.append(f"{literal(c.code)}, {literal(c.edition)}, {literal(c.version)}, "
                    f"{literal(c.bound_by)}, table.cell(colspan: 4)[SHA-256 "
                    f"#hash({literal(c.sha256)})]")
    out += ["#table(columns: (auto, 1fr, auto, auto), table.header([*Code*], [*Edition*], "
            "[*Pack version*], [*Bound by*]), " + ", ".join(rows) + ")", "",
            f"Content SHA-256 of this note: #hash({literal(note.content_sha256)}). How to "
            "recompute it: Tightrope's docs/notes.md, “Content hash”. The note's data is "
            f"attached to this PDF as #box({literal(ATTACHMENT_NAME)}).", ""]
    return out


def _signature(note: Note) -> list[str]:
    name = ", ".join(part for part in (note.practitioner_name, note.credentials) if part)
    signed = f"Signed: {name}" if name else "Signed"
    cells = [f"[#v(26pt) #line(length: 100%, stroke: 0.6pt) {text(signed)}]",
             "[#v(26pt) #line(length: 100%, stroke: 0.6pt) Date]"]
    if note.reviewed_by:
        cells += [f"[#v(26pt) #line(length: 100%, stroke: 0.6pt) "
                  f"{text('Reviewed by: ' + note.reviewed_by)}]",
                  "[#v(26pt) #line(length: 100%, stroke: 0.6pt) Date]"]
    return ["#v(0.8em)", "#block(breakable: false)[", "== Signature", "",
            f"#grid(columns: (2fr, 1fr), column-gutter: 18pt, row-gutter: 6pt, "
            f"{', '.join(cells)})", "]"]


def _attachment(note: Note) -> list[str]:
    data = json.dumps(note.to_json_data(), ensure_ascii=False, indent=1, sort_keys=True)
    return [f"#pdf.attach({literal(ATTACHMENT_NAME)}, bytes({literal(data)}), "
            'mime-type: "application/json", relationship: "data", '
            f"description: {literal('The note data; its content hash is recomputed from it')})"]


def note_typst(note: Note, *, paper: Paper = "a4") -> str:
    """The complete Typst source for ``note`` on ``paper``."""
    parts = [PREAMBLE, *_document(note, paper), "", *_header(note), *_decision(note),
             *_facts(note), *_analysis(note), *_record(note), *_integrity(note),
             *_signature(note), *_attachment(note)]
    return "\n".join(parts) + "\n"
