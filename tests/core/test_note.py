"""The note view-model: content, the record, the content hash and its recipe."""

from __future__ import annotations

import ast
import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest

from tests.factories import make_case
from tests.note_factories import GENERATED_AT, RECORD, make_note, record
from tightrope.api import builtin_library
from tightrope.core.engine import assess_case
from tightrope.core.note import (
    FACT_LABELS,
    NoteContext,
    NoteError,
    build_note,
    content_sha256,
    is_unchanged,
    parse_note_context,
    relationship_summary,
)
from tightrope.core.questions import QUESTIONS
from tightrope.core.vocabulary import FactorRole, OtherKind, OtherWith


def test_a_note_holds_what_a_board_needs() -> None:
    note = make_note(context=record())
    view = note.explanation
    assert note.as_of == dt.date(2026, 11, 26)
    assert note.generated_at == GENERATED_AT
    assert note.practitioner_name == "Dr. A. Rivera"
    assert note.client_ref == "C-0142"
    assert note.relationship == "A proposed romantic or sexual relationship with a former client"
    assert view.verdict.value == "prohibited" and view.until == dt.date(2027, 5, 2)
    assert [r.section for r in view.rules] == ["10.08(a)"]
    assert note.residual_power is not None and note.residual_power.name == "power_differential"
    assert {f.role for f in note.considered} == {FactorRole.considered_not_decisive}
    assert "client_willingness" in {f.name for f in note.considered}
    assert note.consultations[0].who == "Dr. B. Chen"
    assert note.consultation_status == "1 consultation recorded."
    assert note.consent_status == "The client has not given informed consent."
    assert note.reassess_on == dt.date(2027, 5, 3)
    assert [c.code for c in view.codes] == ["APA"] and len(view.codes[0].sha256) == 64
    assert note.case["professional"]["sessions"] == 64


def test_every_question_has_a_fact_label_and_every_kind_a_phrase() -> None:
    assert set(FACT_LABELS) == {q.field for q in QUESTIONS}
    for kind in OtherKind:
        for whom in OtherWith:
            case = make_case(other__kind=kind.value, other__with=whom.value)
            summary = relationship_summary(case)
            assert summary[0].isupper() and "_" not in summary


def test_facts_are_the_answers_given_and_unknowns_are_named() -> None:
    case = make_case(other__details="Met at the pharmacy.", professional__sessions=...)
    note = build_note(case, assess_case(case, builtin_library(), case.as_of or GENERATED_AT.date()),
                      generated_at=GENERATED_AT)
    values = {f.field: f.value for f in note.facts}
    assert values["professional.may_return"] == "yes"
    assert values["other.kind"] == "romantic or sexual relationship"
    assert values["client.vulnerabilities"] == "none"
    assert "other.details" not in values and note.details == "Met at the pharmacy."
    assert "Sessions" in note.unanswered
    assert "Months since the last contact (approximate)" not in note.unanswered  # ended given
    current = make_note("small-town-mechanic")
    assert "Last professional contact" not in current.unanswered


def test_statuses_without_a_record_follow_the_case() -> None:
    consulted = make_note("former-client-romance")
    assert consulted.consultation_status.startswith("No consultation is recorded.")
    assert "recommended" in consulted.consultation_status
    assert consulted.consent_status == "The client has not given informed consent."
    assert consulted.reassess_status.startswith("No date set. The waiting period ends on "
                                                "2027-05-02")
    assert consulted.plan.startswith("No plan is recorded")


def test_the_content_hash_follows_the_documented_recipe() -> None:
    note = make_note(context=record())
    data = json.loads(json.dumps(note.to_json_data()))
    data.pop("content_sha256")
    recipe = hashlib.sha256(json.dumps(data, sort_keys=True, separators=(",", ":"),
                                       ensure_ascii=False).encode("utf-8")).hexdigest()
    assert note.content_sha256 == recipe == content_sha256(note.to_json_data())
    assert is_unchanged(note.to_json_data())


def test_an_edit_to_any_part_of_the_note_changes_the_hash() -> None:
    data = make_note(context=record()).to_json_data()
    for path in (("plan",), ("explanation", "verdict"), ("consultations", 0, "advice"),
                 ("case", "professional", "ended")):
        edited = json.loads(json.dumps(data))
        target = edited
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = "edited"
        assert not is_unchanged(edited), path


def test_same_inputs_same_note_and_the_time_is_part_of_it() -> None:
    first, second = make_note(context=record()), make_note(context=record())
    assert first.to_json_data() == second.to_json_data()
    later = make_note(context=record(), generated_at=GENERATED_AT + dt.timedelta(minutes=1))
    assert later.content_sha256 != first.content_sha256


def test_numbers_are_canonical_whole_numbers() -> None:
    case = make_case(other__kind="gift", other__value_usd=40, professional__months_since_end=...)
    note = build_note(case, assess_case(case, builtin_library(), case.as_of or GENERATED_AT.date()),
                      generated_at=GENERATED_AT)
    assert note.case["other"]["value_usd"] == 40 and isinstance(note.case["other"]["value_usd"],
                                                                int)
    assert {f.field: f.value for f in note.facts}["other.value_usd"] == "$40"


def test_the_time_must_carry_a_zone() -> None:
    with pytest.raises(NoteError) as caught:
        make_note(generated_at=dt.datetime(2026, 11, 27, 9, 30))
    assert caught.value.code == "naive-datetime"


@pytest.mark.parametrize(("changes", "code", "path"), [
    ({"client_ref": "jane@example.com"}, "bad-client-ref", "client_ref"),
    ({"consultations": [{**RECORD["consultations"][0], "consulted_on": "2026-12-01"}]},
     "bad-date", "consultations[0].consulted_on"),
    ({"consent": {"given": False, "given_on": "2026-11-20"}}, "inconsistent", "consent.given_on"),
    ({"consent": {"given": True, "given_on": "2027-01-01"}}, "bad-date", "consent.given_on"),
    ({"reassess_on": "2026-01-01"}, "bad-date", "reassess_on"),
])
def test_a_record_that_cannot_be_true_is_refused(changes: dict[str, object], code: str,
                                                 path: str) -> None:
    with pytest.raises(NoteError) as caught:
        make_note(context=record(**changes))
    assert caught.value.code == code
    assert caught.value.problems[0].path == path


def test_record_files_are_read_strictly_with_lines() -> None:
    text = "client_ref: C-1\nconsultations:\n  - who: Dr. B\n    consulted_on: 2026-11-20\n" \
           "    advise: typo\n"
    with pytest.raises(NoteError) as caught:
        parse_note_context(text, source="record.yaml")
    problems = {(p.code, p.path) for p in caught.value.problems}
    assert ("unknown-field", "consultations[0].advise") in problems
    assert ("missing-field", "consultations[0].advice") in problems
    assert "record.yaml:5" in str(caught.value)


def test_a_record_file_round_trips() -> None:
    context = parse_note_context(json.dumps(RECORD), source="record.json")
    assert context == record()
    assert parse_note_context("{}", source="empty.json") == NoteContext()
    with pytest.raises(NoteError) as caught:
        parse_note_context("- a list", source="r.yaml")
    assert caught.value.code == "not-a-mapping"


def test_the_note_module_reads_no_clock_or_file() -> None:
    """Core purity (STYLE.md 4): the time is passed in, the record is passed as text."""
    path = Path(__file__).parents[2] / "src" / "tightrope" / "core" / "note.py"
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            assert called not in {"today", "now", "utcnow", "open", "read_text", "read_bytes"}
