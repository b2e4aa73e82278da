"""Factories for chart notes: a built-in example, a full record, a fixed clock."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tightrope.api import builtin_library
from tightrope.cli.examples import find_example
from tightrope.core.case import Case
from tightrope.core.case_loading import parse_case
from tightrope.core.engine import assess_case
from tightrope.core.note import Note, NoteContext, build_note

GENERATED_AT = dt.datetime(2026, 11, 27, 9, 30, tzinfo=dt.UTC)

RECORD: dict[str, Any] = {
    "practitioner": {"name": "Dr. A. Rivera", "credentials": "PhD, licensed psychologist"},
    "client_ref": "C-0142",
    "consultations": [{
        "who": "Dr. B. Chen", "role": "clinical supervisor", "consulted_on": "2026-11-20",
        "advice": "Decline; the waiting period has not passed.\nRecord the conversation.",
        "decision": "I will decline at the next session.",
        "rationale": "The code forbids it until the period ends.",
    }],
    "consent": {"given": False, "how": "Discussed in session; the client was told why."},
    "plan": "Decline kindly at the next session.\nOffer a referral if the client wishes.",
    "reassess_on": "2027-05-03",
    "reviewed_by": "Dr. B. Chen",
}

HOSTILE = ('Dr. *X* _y_ #panic("boom") $x^2$ <script>alert(1)</script> ]] \\ "q" // c '
           '[link](http://evil.example) | cell | &copy; `code` ~~gone~~')
"""Text a clinician might type that every renderer must show as text, never as markup."""


def example_case(name: str = "former-client-romance") -> Case:
    return parse_case(find_example(name).text, source=name)


def record(**changes: Any) -> NoteContext:
    data = {**RECORD, **changes}
    return NoteContext.model_validate({k: v for k, v in data.items() if v is not ...})


def make_note(name: str = "former-client-romance", context: NoteContext | None = None,
              generated_at: dt.datetime = GENERATED_AT) -> Note:
    case = example_case(name)
    assert case.as_of is not None
    assessment = assess_case(case, builtin_library(), case.as_of)
    return build_note(case, assessment, context, generated_at=generated_at)
