"""Markdown view of an assessment, for tickets, wikis and `--format markdown`."""

from __future__ import annotations

from ..core.explanation import Explanation


def _escape(text: str) -> str:
    return text.replace("|", "\\|")


def render_markdown(view: Explanation) -> str:
    lines = [f"## {view.headline}", "", f"*Assessed as of {view.as_of}.* {view.verdict_meaning}",
             "", "### Why", "", view.decisive_reason]
    if view.governing:
        lines += ["", view.governing]
    lines += ["", "### Rules that bind you", ""]
    if not view.rules:
        lines.append("No rule in the codes that bind you speaks to this case directly.")
    for rule in view.rules:
        lines.append(f"- **[{rule.code} {rule.section}]({rule.url})** ({rule.edition}): "
                     f"{rule.title}. *{rule.effect_label}{rule.timing}; {rule.status_label}.* "
                     f"{rule.summary}")
        for requirement in rule.requirements:
            lines.append(f"  - requires: {requirement}")
    lines += ["", "### What to do", ""]
    lines += [f"{n}. **{a.label}**: {a.detail}" for n, a in enumerate(view.actions, start=1)]
    if view.what_would_change:
        lines += ["", "### What would change the answer", ""]
        lines += [f"- {change}" for change in view.what_would_change]
    lines += ["", "### Factors weighed", "", "| factor | level | role | because |",
              "|---|---|---|---|"]
    for factor in view.factors:
        lines.append(f"| {factor.label} | {factor.level} | {factor.role_label} | "
                     f"{_escape(' '.join(factor.because))} |")
    if view.coverage:
        lines += ["", "### Not covered", ""] + [f"- {gap}" for gap in view.coverage]
    codes = ", ".join(f"{c.code} {c.version} ({c.bound_by})" for c in view.codes) or "none"
    lines += ["", f"<sub>Codes applied: {codes}. Engine {view.engine_version}. "
              f"{view.notice}</sub>", ""]
    return "\n".join(lines)
