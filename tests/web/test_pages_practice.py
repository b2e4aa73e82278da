"""Practice pages: a vignette question, graded by the engine, with cited feedback."""

from __future__ import annotations

import re
from typing import Any

from tests.web.conftest import client_for


def test_a_practice_question_is_answered_and_explained(stateless_app: Any) -> None:
    client = client_for(stateless_app)
    listing = client.get("/practice").text
    first = re.search(r'href="/practice/([^"]+)"', listing)
    assert first, "the practice bank lists vignettes"
    page = client.get(f"/practice/{first.group(1)}").text
    assert "<fieldset>" in page and "<legend" in page
    keys = re.findall(r'name="answer" value="([A-Z])"', page)
    assert len(keys) >= 2
    graded = client.post(f"/practice/{first.group(1)}", {"kind": "verdict", "seed": "1",
                                                         "answer": keys[0]}).text
    assert ("<h2 id=\"feedback-title\">Correct</h2>" in graded
            or "<h2 id=\"feedback-title\">Not quite</h2>" in graded)
    assert "The answer is" in graded


def test_no_answer_is_an_error_linked_to_the_choices(stateless_app: Any) -> None:
    client = client_for(stateless_app)
    vignette = re.search(r'href="/practice/([^"]+)"', client.get("/practice").text)
    assert vignette
    response = client.post(f"/practice/{vignette.group(1)}", {"kind": "verdict", "seed": "1"})
    assert response.status_code == 422 and 'href="#choice-a"' in response.text


def test_an_unknown_vignette_is_not_found(stateless_app: Any) -> None:
    assert client_for(stateless_app).get("/practice/no-such-vignette").status_code == 404
