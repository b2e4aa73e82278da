"""Where `tightrope note ID` gets a stored case: the case registry.

A note for a stored case presents the assessment *as stored* (with the packs it
pinned), never a new run; the case is the revision that assessment was made of;
the consultations, the latest informed consent, the supervisor's approval and
the review date come from the registry's record.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..core.errors import Problem, TightropeError

if TYPE_CHECKING:
    from ..core.assessment import Assessment
    from ..core.case import Case
    from ..core.note import NoteContext
    from ..registry.views import CaseDetail


def _words(value: str) -> str:
    return value.replace("_", " ")


def note_inputs(detail: CaseDetail, number: int | None = None
                ) -> tuple[Case, Assessment, NoteContext]:
    """The case, the stored assessment (``number``, default the latest) and the record."""
    from ..core.note import Consent, Consultation, NoteContext

    chosen = [a for a in detail.assessments if number is None or a.number == number]
    if not chosen:
        count = len(detail.assessments)
        raise TightropeError(code="assessment-not-found", problems=[Problem(
            "assessment-not-found", f"case {detail.summary.id} has no assessment {number}",
            "--assessment", None,
            f"its assessments are numbered 1 to {count}" if count else "it has none yet")])
    stored = chosen[-1]
    case = next(r.case for r in detail.revisions if r.number == stored.revision)
    consultations = tuple(
        Consultation(who=c.consultant, role=_words(c.consultant_role.value),
                     consulted_on=c.consulted_on, advice=c.advice,
                     decision=_words(c.decision.value) if c.decision else None,
                     rationale=c.rationale)
        for c in detail.consultations)
    consent = None
    if detail.consents:
        latest = detail.consents[-1]
        how = f"{latest.method.value} consent" + (f"; {latest.note}" if latest.note else "")
        consent = Consent(given=True, given_on=latest.given_on, how=how)
    approvals = [s.supervisor for s in detail.sign_offs
                 if s.assessment == stored.number and s.outcome.value == "approved"]
    review = stored.review_due_on
    context = NoteContext(
        client_ref=detail.summary.client_ref, consultations=consultations, consent=consent,
        reassess_on=review if review is not None and review >= stored.as_of else None,
        reviewed_by=approvals[-1] if approvals else None)
    return case, stored.result, context


def load_from_registry(case_id: str, number: int | None = None
                       ) -> tuple[Case, Assessment, NoteContext]:
    """Open the registry as the CLI's account and read one case for a note."""
    from .registry_context import opened

    with opened() as context:
        detail = context.registry.cases.show(context.actor(), case_id)
    return note_inputs(detail, number)
