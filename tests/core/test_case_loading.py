"""Bad input gets one clear error naming the source, the field and what is allowed."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import yaml

from tests.factories import AS_OF, case_data
from tightrope import CaseError, load_case
from tightrope.core.case_loading import parse_case
from tightrope.core.documents import MAX_DOCUMENT_BYTES


def _yaml(data: dict) -> str:
    return yaml.safe_dump(data, sort_keys=False)


def _refused(text: str | bytes, source: str = "case.yaml", today: dt.date | None = AS_OF
             ) -> CaseError:
    with pytest.raises(CaseError) as caught:
        parse_case(text, source=source, today=today)
    return caught.value


def test_a_good_case_loads_with_unknowns_left_unknown() -> None:
    case = parse_case(_yaml(case_data(client=...)), source="case.yaml")
    assert case.client.vulnerabilities is None
    assert case.client.minor is None
    assert case.other.kind.value == "romantic_sexual"


def test_json_is_accepted_too() -> None:
    case = parse_case(json.dumps(case_data()), source="case.json")
    assert case.professional.ended == dt.date(2023, 5, 2)


def test_unknown_field_names_path_and_allowed_fields() -> None:
    error = _refused(_yaml(case_data(other__colour="blue")))
    assert error.code == "unknown-field"
    message = str(error)
    assert "case.yaml" in message and "other.colour" in message
    assert "allowed here:" in message and "kind" in message


def test_wrong_value_lists_allowed_values() -> None:
    error = _refused(_yaml(case_data(practitioner__profession="wizard")))
    assert error.code == "bad-value"
    assert "practitioner.profession" in str(error)
    assert "'wizard' is not allowed" in str(error)
    assert "psychologist" in str(error) and "behavior_analyst" in str(error)


def test_missing_required_field() -> None:
    error = _refused(_yaml(case_data(other__kind=...)))
    assert error.code == "missing-field"
    assert "other.kind" in str(error)


def test_line_numbers_point_at_the_field() -> None:
    text = _yaml(case_data(professional__intensity="extreme"))
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "extreme" in row)
    assert f"case.yaml:{line}:" in str(_refused(text))


@pytest.mark.parametrize("value", ["2023-13-01", "2023-02-30", "yesterday", "2023/05/02", 20230502,
                                   "2023-05-02T10:00:00"])
def test_malformed_dates(value: object) -> None:
    data = case_data()
    data["professional"]["ended"] = value
    error = _refused(json.dumps(data), source="case.json")
    assert "professional.ended" in str(error) or error.code == "bad-date"


def test_malformed_date_in_yaml_is_caught_by_the_parser() -> None:
    text = _yaml(case_data()).replace("ended: '2023-05-02'", "ended: 2023-02-30")
    error = _refused(text)
    assert error.code == "bad-date"


def test_ended_before_started() -> None:
    error = _refused(_yaml(case_data(professional__started="2024-01-01")))
    assert error.code == "inconsistent"
    assert "professional.ended" in str(error) and "before" in str(error)


def test_a_date_in_the_future() -> None:
    error = _refused(_yaml(case_data(professional__ended="2027-01-01")))
    assert error.code == "bad-date"
    assert "professional.ended" in str(error) and "future" in str(error)


def test_future_checked_against_today_when_no_as_of() -> None:
    error = _refused(_yaml(case_data(as_of=..., professional__ended="2026-12-01")))
    assert "future" in str(error)


def test_ended_is_only_for_former_clients() -> None:
    error = _refused(_yaml(case_data(professional__status="current")))
    assert "only for former clients" in str(error)


def test_ended_and_months_since_end_together() -> None:
    error = _refused(_yaml(case_data(professional__months_since_end=12)))
    assert "not both" in str(error)


def test_strict_booleans_and_numbers() -> None:
    assert "true or false" in str(_refused(_yaml(case_data(client__minor="yes please"))))
    assert "whole number" in str(_refused(_yaml(case_data(professional__sessions=4.5))))
    assert _refused(_yaml(case_data(other__value_usd=-3))).code == "out-of-range"


def test_unsupported_format() -> None:
    error = _refused(_yaml(case_data(format=2)))
    assert error.code == "unsupported-format"


@pytest.mark.parametrize("text, code", [
    ("", "empty-file"),
    ("   \n\n", "empty-file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "binary-file"),
    (b"format: 1\xff\xfe", "not-utf8"),
    ("- just\n- a list\n", "not-a-mapping"),
    ("format: [1,\n", "syntax"),
    ("{\"format\": 1,}", "syntax"),
])
def test_unreadable_documents(text: str | bytes, code: str) -> None:
    source = "case.json" if isinstance(text, str) and text.startswith("{") else "case.yaml"
    assert _refused(text, source=source).code == code


def test_huge_file() -> None:
    text = "format: 1\n# " + "x" * MAX_DOCUMENT_BYTES + "\n"
    error = _refused(text)
    assert error.code == "too-large"


def test_alias_bomb_is_refused_before_expanding() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n"
    for level in "bcdefghij":
        previous = chr(ord(level) - 1)
        bomb += f"{level}: &{level} [*{previous}, *{previous}, *{previous}, *{previous}]\n"
    error = _refused(bomb)
    assert error.code == "yaml-alias"


@pytest.mark.parametrize("text", [
    "format: !!python/object/apply:os.system ['echo owned']\n",
    "format: !custom 1\n",
    "format: !!binary aGVsbG8=\n",
])
def test_custom_and_python_tags_are_refused(text: str) -> None:
    assert _refused(text).code == "yaml-tag"


def test_duplicate_keys_are_refused() -> None:
    assert _refused("format: 1\nformat: 1\n").code == "duplicate-key"
    assert _refused('{"format": 1, "format": 1}', source="c.json").code == "duplicate-key"


def test_load_case_reads_paths_and_text(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "case.yaml"
    path.write_text(_yaml(case_data()))
    assert load_case(path).practitioner.profession.value == "psychologist"
    assert load_case(str(path)).other.kind.value == "romantic_sexual"
    assert load_case(_yaml(case_data())).professional.sessions == 40
    with pytest.raises(CaseError) as caught:
        load_case(tmp_path / "missing.yaml")
    assert caught.value.code == "no-such-file"
