"""The chart note as Markdown (CommonMark), to paste into a record or a ticket.

Every string that comes from the case, the record or a pack is escaped, so a
clinician's text can never turn into a heading, a link or a table cell break.
"""

from __future__ import annotations

import re

from ..core.explanation import FactorLine, RuleLine
from ..core.note import Consultation, Note, written

_INLINE = re.compile(r"([\\`*_\[\]<>|~&])")
_MARKER = re.compile(r"^([#+=-])")
_NUMBERED = re.compile(r"^(\d+)([.)])")


def escape(text: str) -> str:
    """Text inside a line, safe anywhere in Markdown (table cells included)."""
    return _INLINE.sub(r"\\\1", " ".join(text.split()))


def line(text: str) -> str:
    """Text that starts a line: also never a heading, a list item or an underline."""
    text = escape(text)
    return _NUMBERED.sub(r"\1\\\2", _MARKER.sub(r"\\\1", text))


def block(text: str, indent: str = "") -> str:
    """Multi-line text as one paragraph with hard line breaks, indented for a list item."""
    lines = [line(part) for part in text.splitlines() if part.strip()]
    return ("\\\n" + indent).join(lines)


def link_target(url: str) -> str:
    return "<" + url.replace("<", "%3C").replace(">", "%3E").replace(" ", "%20") + ">"


def _rule(rule: RuleLine) -> list[str]:
    until = rule.timing
    lines = [f"- **[{escape(rule.code)} {escape(rule.section)}]({link_target(rule.url)})** "
             f"({escape(rule.edition)}): {escape(rule.title)}. "
             f"*{escape(rule.effect_label)}{until}; {escape(rule.status_label)}.*\\",
             f"  {line(rule.summary)}"]
    lines += [f"  - Requires: {escape(requirement)}" for requirement in rule.requirements]
    return lines


def _factor(factor: FactorLine) -> list[str]:
    lines = [f"- **{escape(factor.label)}**: {escape(factor.level)} "
             f"({escape(factor.role_label)})"]
    lines += [f"  - {line(reason)}" for reason in factor.because]
    return lines


def _consultation(item: Consultation) -> list[str]:
    role = f", {escape(item.role)}" if item.role else ""
    lines = [f"- **{escape(item.who)}**{role}, on {item.consulted_on}",
             f"  - Advice: {block(item.advice, '    ')}"]
    if item.decision:
        lines.append(f"  - Decision: {block(item.decision, '    ')}")
    if item.rationale:
        lines.append(f"  - Rationale: {block(item.rationale, '    ')}")
    return lines


def _bullets(items: tuple[str, ...]) -> list[str]:
    return [f"- {line(item)}" for item in items]


def render_note_markdown(note: Note) -> str:
    view = note.explanation
    name = ", ".join(escape(part) for part in (note.practitioner_name, note.credentials)
                     if part)
    where = f"; {escape(note.jurisdiction)}" if note.jurisdiction else ""
    codes = "; ".join(f"{escape(c.code)} ({escape(c.edition)}; {escape(c.bound_by)})"
                      for c in view.codes) or "none found"
    client = escape(note.client_ref) if note.client_ref else "not identified"
    lines = [
        f"# {line(note.title)}", "",
        f"- **Written:** {written(note)}",
        f"- **Assessment date:** {note.as_of}",
        f"- **Practitioner:** {name or 'name not recorded'} ({escape(note.profession)}{where})",
        f"- **Codes that bind the practitioner:** {codes}",
        f"- **Client:** {client} (de-identified reference)",
        f"- **Situation:** {escape(note.relationship)}.", "",
        "## Decision", "",
        f"**Verdict: {escape(view.headline)}.** {escape(view.verdict_meaning)}", "",
        line(view.decisive_reason),
    ]
    if view.governing:
        lines += ["", line(view.governing)]
    lines += ["", "## Facts as given", "", "| Fact | As given |", "|---|---|"]
    lines += [f"| {escape(f.label)} | {escape(f.value)} |" for f in note.facts]
    if note.details:
        lines += ["", f"**Details as given:**\\\n{block(note.details)}"]
    if note.unanswered:
        lines += ["", "**Not answered (treated as unknown):** "
                  + ", ".join(escape(label) for label in note.unanswered) + "."]
    lines += ["", "## Residual power, the primary consideration", ""]
    if note.residual_power is not None:
        lines += _factor(note.residual_power)
    else:
        lines.append("Residual power was not assessed for this case.")
    lines += ["", "## Rules that bind the practitioner", ""]
    if not view.rules:
        lines.append("No rule in the codes that bind the practitioner speaks to this case "
                     "directly; the verdict rests on the judgement layers.")
    for rule in view.rules:
        lines += _rule(rule)
    if note.weighed:
        lines += ["", "## Other factors weighed", ""]
        for factor in note.weighed:
            lines += _factor(factor)
    if note.considered:
        lines += ["", "## Considered, and why it did not decide", ""]
        for factor in note.considered:
            lines += _factor(factor)
    lines += ["", "## Recommended actions", ""]
    lines += [f"{n}. **{escape(a.label)}**: {escape(a.detail)}"
              for n, a in enumerate(view.actions, start=1)]
    if view.what_would_change:
        lines += ["", "### What would change the answer", "", *_bullets(view.what_would_change)]
    if view.unknown_questions:
        lines += ["", "### Still unknown, and could change the verdict", ""]
        lines += _bullets(view.unknown_questions)
    lines += ["", "## Consultation", "", line(note.consultation_status)]
    if note.consultations:
        lines.append("")
        for consultation in note.consultations:
            lines += _consultation(consultation)
    lines += ["", "## Informed consent", "", line(note.consent_status)]
    if note.consent is not None and note.consent.how:
        lines += ["", f"How: {block(note.consent.how)}"]
    lines += ["", "## Plan and re-assessment", "", block(note.plan), "",
              line(note.reassess_status)]
    lines += ["", "## Limits", "", *_bullets((*view.coverage, view.notice))]
    lines += ["", "## Record integrity", "",
              f"Tightrope engine {escape(view.engine_version)}. Rule packs applied:", "",
              "| Code | Edition | Pack version | Bound by | SHA-256 |", "|---|---|---|---|---|"]
    lines += [f"| {escape(c.code)} | {escape(c.edition)} | {escape(c.version)} | "
              f"{escape(c.bound_by)} | `{c.sha256}` |" for c in view.codes]
    lines += ["", f"Content SHA-256 of this note: `{note.content_sha256}` (how to recompute it: "
              "Tightrope's docs/notes.md, \"Content hash\").", "",
              "## Signature", "",
              f"Signed: ______________________{'  ' + name if name else ''}  "
              "Date: ____________"]
    if note.reviewed_by:
        lines += ["", f"Reviewed by: ______________________  {escape(note.reviewed_by)}  "
                  "Date: ____________"]
    lines.append("")
    return "\n".join(lines)
