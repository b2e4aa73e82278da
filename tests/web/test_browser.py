"""End to end in a real browser (Debian chromium via Playwright), with axe-core on every page.

The flow a clinician and a supervisor follow: sign in, run an interview to a verdict,
save the case; the supervisor signs in, signs it off, and the audit trail shows it.
It runs with scripts on (axe-core checks each page) and with scripts off (the
forms alone carry the interview). Every other page is checked by axe-core too,
with and without scripts; serious or critical violations fail the test.
"""

from __future__ import annotations

import contextlib
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from tests.web.browser import CHROMIUM_ARGS, AxeReport, Check, chromium_path, live_server, no_check
from tests.web.conftest import PASSWORDS, add_people, make_registry, web_settings
from tightrope.storage.crypto import Keyring, generate_key
from tightrope.storage.database import create_database_engine
from tightrope.storage.store import Store
from tightrope.web.app import create_app
from tightrope.web.assets import installed_htmx
from tightrope.web.demo import seed_examples
from tightrope.web.interview_form import html_id

pytestmark = pytest.mark.slow

ANSWERS: dict[str, Any] = {
    "practitioner.profession": "counselor", "professional.status": "former",
    "other.kind": "romantic_sexual", "practitioner.codes": [],
    "professional.service": "counseling", "other.with": "client", "other.status": "proposed",
    "professional.ended": "2025-01-10",
}
VENDOR = Path(__file__).parents[2] / "src" / "tightrope" / "web" / "static" / "vendor"


def htmx_directory(scratch: Path) -> Path:
    """Where HTMX is: fetched already, or fetched now (verified) if the registry answers;
    without it the tests that need it skip and all the others run the same."""
    from tightrope.core.errors import TightropeError
    from tightrope.web.assets import fetch_htmx

    if installed_htmx(VENDOR) is not None:
        return VENDOR
    with contextlib.suppress(TightropeError, OSError):
        fetch_htmx(scratch / "vendor")
    return scratch / "vendor"


@pytest.fixture(scope="module")
def server(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    chromium_path()  # skip early (or fail in CI) without a browser
    directory = tmp_path_factory.mktemp("browser")
    shutil.copyfile(sqlite_template, directory / "registry.sqlite3")
    store = Store(create_database_engine(make_url(f"sqlite:///{directory}/registry.sqlite3")),
                  Keyring.of(generate_key()))
    registry = make_registry(store)
    add_people(registry)
    seed_examples(registry, registry.accounts.authenticate("rivera", PASSWORDS["rivera"]))
    app = create_app(web_settings(assets_dir=htmx_directory(directory)), registry=registry)
    with live_server(app) as url:
        yield url
    store.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path(),
                                              args=CHROMIUM_ARGS, timeout=60_000)
        yield launched
        launched.close()


def new_page(browser: Any, *, scripts: str = "on") -> Any:
    """A page in a fresh context; ``scripts`` is on, off (disabled) or blocked (our scripts
    never load, so axe, injected by the test, still runs on the script-free page)."""
    context = browser.new_context(java_script_enabled=scripts != "off")
    if scripts == "blocked":
        context.route(re.compile(r".*\.js(\?.*)?$"), lambda route: route.abort())
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def sign_in(page: Any, base: str, username: str, check: Check = no_check) -> None:
    page.goto(f"{base}/login")
    check(page, "sign-in page")
    page.fill("#username", username)
    page.fill("#password", PASSWORDS[username])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def sign_out(page: Any) -> None:
    page.get_by_role("button", name=re.compile("^Sign out")).first.click()
    page.wait_for_load_state()


def answer(page: Any, field: str) -> None:
    value = ANSWERS.get(field)
    if field == "professional.ended":
        page.fill(f"#{html_id(field)}", value)
    elif isinstance(value, list):
        for item in value:
            page.check(f"input[name='q.{field}'][value='{item}']")
    elif value is None:
        page.check(f"#{html_id(field)}-unknown")
    else:
        page.check(f"input[name='q.{field}'][value='{value}']")


def run_interview(page: Any, base: str, check: Check) -> None:
    page.goto(f"{base}/interview")
    check(page, "interview, first step")
    for step in range(2, 20):
        if page.locator("h1").inner_text() == "Your assessment":
            return
        fields = [page.locator("input[name=asked]").nth(i).get_attribute("value")
                  for i in range(page.locator("input[name=asked]").count())]
        for field in fields:
            answer(page, field)
        page.get_by_role("button", name="Continue").click()
        page.wait_for_load_state()
        check(page, f"interview, step {step}")
    raise AssertionError("the interview did not reach a verdict")


def core_flow(browser: Any, base: str, *, scripts: str, check: Check, ref: str) -> None:
    clinician = new_page(browser, scripts=scripts)
    sign_in(clinician, base, "rivera", check)
    check(clinician, "my cases")
    run_interview(clinician, base, check)
    banner = clinician.locator(".verdict-banner h2").inner_text()
    assert "Verdict: Prohibited until 2030-01-10" in banner
    check(clinician, "result")
    clinician.fill("#client-ref", ref)
    clinician.get_by_role("button", name="Save this case").click()
    clinician.wait_for_load_state()
    assert "Saved. The assessment below is now on record." in clinician.content()
    case_url = clinician.url.split("?")[0]
    check(clinician, "case page (owner)")
    sign_out(clinician)
    clinician.context.close()

    supervisor = new_page(browser, scripts=scripts)
    sign_in(supervisor, base, "lee")
    supervisor.goto(f"{base}/reviews")
    check(supervisor, "reviews")
    supervisor.get_by_role("link", name=ref).click()
    assert supervisor.url.split("?")[0] == case_url
    check(supervisor, "case page (supervisor)")
    supervisor.check("#outcome-approved")
    supervisor.fill("#sign-off-comment", "Agree: decline, document, consult.")
    supervisor.get_by_role("button", name="Record the review").click()
    supervisor.wait_for_load_state()
    check(supervisor, "case page after sign-off")
    audit = supervisor.locator("table.audit tbody tr", has_text="case.sign_off")
    assert audit.count() == 1
    assert "lee" in audit.inner_text() and "outcome: approved" in audit.inner_text()
    assert "Approved by lee" in supervisor.content()
    supervisor.context.close()


def test_the_core_flow_with_scripts_on_and_axe_on_every_page(browser: Any, server: str) -> None:
    report = AxeReport()
    core_flow(browser, server, scripts="on", check=report.check, ref="E2E-ON")
    report.assert_clean()
    assert len(report.checked) >= 10
    print(f"axe checked {len(report.checked)} pages in the flow: no serious violations")


def test_the_core_flow_with_scripts_off(browser: Any, server: str) -> None:
    core_flow(browser, server, scripts="off", check=no_check, ref="E2E-OFF")


PAGES = ["/", "/examples", "/accessibility", "/api/docs", "/login", "/practice",
         "/no-such-page"]
SIGNED_IN = {
    "rivera": ["/cases", "/cases?due=1", "/cases?status=closed"],
    "lee": ["/reviews", "/cases"],
    "admin": ["/admin/users"],
}


@pytest.mark.parametrize("scripts", ["on", "blocked"])
def test_every_page_passes_axe(browser: Any, server: str, scripts: str) -> None:
    report = AxeReport()
    page = new_page(browser, scripts=scripts)
    for path in PAGES:
        page.goto(server + path)
        report.check(page, path)
    # Pages reached by forms: an error summary, a partial result, a practice answer.
    page.goto(f"{server}/interview")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
    assert page.title().startswith("Error:")
    report.check(page, "interview with errors")
    page.goto(f"{server}/examples")
    page.get_by_role("button", name=re.compile("^See the result")).first.click()
    page.wait_for_load_state()
    report.check(page, "example result")
    page.get_by_role("button", name="Print view").click()
    page.wait_for_load_state()
    report.check(page, "print view")
    page.goto(f"{server}/practice")
    page.locator(".example-list a").first.click()
    page.wait_for_load_state()
    report.check(page, "practice question")
    page.locator("input[name=answer]").first.check()
    page.get_by_role("button", name="Check my answer").click()
    page.wait_for_load_state()
    report.check(page, "practice feedback")
    sign_in(page, server, "okafor")
    page.goto(f"{server}/login")
    page.context.clear_cookies()
    page.goto(f"{server}/login")
    page.fill("#username", "rivera")
    page.fill("#password", "not-the-password")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    report.check(page, "sign-in error")
    page.context.close()
    for username, paths in SIGNED_IN.items():
        page = new_page(browser, scripts=scripts)
        sign_in(page, server, username)
        for path in paths:
            page.goto(server + path)
            report.check(page, f"{path} as {username}")
        if username == "rivera":
            page.goto(f"{server}/cases")
            page.locator("table.cases tbody a").first.click()
            page.wait_for_load_state()
            report.check(page, "a seeded case")
            page.goto(page.url.split("?")[0] + "/print")
            report.check(page, "case print view")
            page.go_back()
            page.get_by_role("link", name="Continue or revise the interview").click()
            page.wait_for_load_state()
            report.check(page, "resumed interview")
        page.context.close()
    report.assert_clean()
    print(f"axe checked {len(report.checked)} pages with scripts {scripts}: no serious "
          "violations")


def test_the_axe_check_finds_a_planted_violation(browser: Any) -> None:
    """The checker itself works: an image without a text alternative is critical."""
    page = new_page(browser)
    page.set_content('<html lang="en"><head><title>t</title></head><body><main><h1>t</h1>'
                     '<img src="x.png"></main></body></html>')
    report = AxeReport()
    report.check(page, "planted")
    assert any("image-alt" in failure for failure in report.failures)
    page.context.close()


def test_the_skip_link_comes_first_and_focus_is_visible(browser: Any, server: str) -> None:
    page = new_page(browser)
    page.goto(f"{server}/interview")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Skip to main content"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.context.close()


def test_the_interview_works_from_the_keyboard(browser: Any, server: str) -> None:
    """Radios are reached with Tab and chosen with the arrow keys, the form sent with Enter."""
    page = new_page(browser)
    page.goto(f"{server}/interview")
    page.focus("#q-practitioner-profession-psychologist")
    page.keyboard.press("ArrowDown")  # moves to and selects the next radio: counselor
    assert page.is_checked("#q-practitioner-profession-counselor")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    assert page.is_checked("#q-professional-status-current")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == "A few more questions"
    page.context.close()


def test_the_live_verdict_updates_as_answers_arrive(browser: Any, server: str) -> None:
    page = new_page(browser)
    page.goto(f"{server}/interview")
    if page.locator("script[src*=htmx]").count() == 0:
        pytest.skip("HTMX could not be fetched (tightrope web fetch-assets); the live update "
                    "needs it, everything else is tested without it")
    live = page.locator("#live-status")
    assert live.get_attribute("aria-live") == "polite"
    page.check("input[name='q.practitioner.profession'][value='marriage_family_therapist']")
    page.check("input[name='q.professional.status'][value='former']")
    page.check("input[name='q.other.kind'][value='romantic_sexual']")
    from playwright.sync_api import expect

    expect(live).to_contain_text("Verdict so far: Avoid")
    assert page.locator("#verdict-panel .verdict-chip").count() == 1
    page.context.close()


def test_the_timeout_warning_lets_you_stay_signed_in(browser: Any, sqlite_template: Path,
                                                     tmp_path: Path) -> None:
    shutil.copyfile(sqlite_template, tmp_path / "registry.sqlite3")
    store = Store(create_database_engine(make_url(f"sqlite:///{tmp_path}/registry.sqlite3")),
                  Keyring.of(generate_key()))
    registry = make_registry(store)
    add_people(registry)
    # One minute of idle time, warned 58 seconds before: the dialog opens after 2 s.
    app = create_app(web_settings(session_idle_minutes=1, session_warning_seconds=58),
                     registry=registry)
    with live_server(app) as base:
        page = new_page(browser)
        sign_in(page, base, "rivera")
        dialog = page.locator("#timeout-dialog")
        dialog.wait_for(state="visible", timeout=10_000)
        assert page.evaluate("document.activeElement.id") == "timeout-stay"
        with page.expect_response(re.compile(r".*/session/extend$")) as extended:
            page.get_by_role("button", name="Stay signed in").click()
        assert extended.value.status == 204
        dialog.wait_for(state="hidden")
        page.context.close()
    store.close()
