"""The public pages: start, examples, accessibility statement, API reference."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.conftest import client_for


@pytest.mark.parametrize("path", ["/", "/examples", "/interview", "/accessibility",
                                  "/api/docs", "/login"])
def test_every_public_page_is_well_formed(app: Any, path: str) -> None:
    response = client_for(app).get(path)
    assert response.status_code == 200
    page = response.text
    assert page.startswith("<!doctype html>") and '<html lang="en">' in page
    assert page.count("<h1>") == 1 and page.count('<main id="main"') == 1
    assert '<a class="skip-link" href="#main">' in page
    assert "<title>" in page and " – Tightrope</title>" in page
    assert '<meta name="csrf-token"' in page


def test_the_start_page_explains_the_verdicts_in_words_and_symbols(app: Any) -> None:
    page = client_for(app).get("/").text
    for label in ("Prohibited", "Avoid", "Proceed with safeguards", "Acceptable"):
        assert label in page
    assert page.count('class="verdict-icon" aria-hidden="true"') == 4


def test_the_api_reference_lists_every_operation(app: Any) -> None:
    client = client_for(app)
    document = client.get("/api/openapi.json").json()
    page = client.get("/api/docs").text
    for path in document["paths"]:
        assert f"<code>{path}</code>" in page
    assert '"correlation_id"' in page


def test_navigation_marks_the_current_page(app: Any) -> None:
    page = client_for(app).get("/examples").text
    assert '<a href="/examples" aria-current="page">' in page
