"""Golden files pin the text and JSON explanation of every built-in example.

Refresh with ``pytest tests/golden --update-goldens`` and review the diff: a change
here is a change in what a clinician is told.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.goldens import check_golden
from tightrope.api import builtin_library
from tightrope.cli.examples import builtin_examples
from tightrope.core.case_loading import parse_case
from tightrope.core.engine import assess_case
from tightrope.core.explanation import explain
from tightrope.render.markdown import render_markdown
from tightrope.render.text import render_text

HERE = Path(__file__).parent / "files"
EXAMPLES = builtin_examples()


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.name for e in EXAMPLES])
def test_example_explanations_are_pinned(example, update_goldens: bool) -> None:  # type: ignore[no-untyped-def]
    case = parse_case(example.text, source=example.name)
    assert case.as_of is not None, "examples fix their date so they read the same every day"
    assessment = assess_case(case, builtin_library(), case.as_of)
    view = explain(assessment)
    check_golden(HERE / f"{example.name}.txt", render_text(view), update_goldens)
    check_golden(HERE / f"{example.name}.md", render_markdown(view), update_goldens)
    check_golden(HERE / f"{example.name}.json",
           json.dumps(assessment.to_json_data(), indent=2, ensure_ascii=False) + "\n",
           update_goldens)


def test_enough_examples_cover_every_kind_and_verdict() -> None:
    kinds, verdicts = set(), set()
    for example in EXAMPLES:
        case = parse_case(example.text, source=example.name)
        kinds.add(case.other.kind.value)
        assert case.as_of is not None
        verdicts.add(assess_case(case, builtin_library(), case.as_of, explore=False
                                 ).verdict.value)
    from tightrope.core.vocabulary import OtherKind, Verdict

    assert len(EXAMPLES) >= 12
    assert kinds == {k.value for k in OtherKind}
    assert verdicts == {v.value for v in Verdict}
