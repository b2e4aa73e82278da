"""The strict pack loader: one broken file per error code, and the shipped packs."""

from __future__ import annotations

from pathlib import Path

import pytest

from tightrope import PackError
from tightrope.core.library import PackLibrary
from tightrope.core.packs import load_pack

BROKEN = Path(__file__).parent / "broken_packs"
CASES = sorted(BROKEN.glob("*.yaml"))


def _expectation(path: Path) -> tuple[str, str]:
    first = path.read_text().splitlines()[0]
    code, fragment = first.removeprefix("# expect:").split("|", 1)
    return code.strip(), fragment.strip()


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_each_broken_pack_gets_its_error_code_and_a_clear_message(path: Path) -> None:
    code, fragment = _expectation(path)
    with pytest.raises(PackError) as caught:
        load_pack(path.read_bytes(), source=path.name)
    codes = {problem.code for problem in caught.value.problems}
    assert code in codes, str(caught.value)
    assert fragment in str(caught.value)
    assert path.name in str(caught.value)  # names the file


def test_every_documented_error_code_has_a_broken_example() -> None:
    documented = Path("docs/packs.md").read_text().split("## Loader error codes")[1]
    covered = {_expectation(p)[0] for p in CASES} | {"duplicate-pack"}
    for code in ("syntax", "duplicate-key", "yaml-alias", "yaml-tag", "unknown-field",
                 "missing-field", "bad-value", "bad-date", "bad-condition", "unknown-fact",
                 "unknown-operator", "bad-operator", "bad-effect", "missing-citation",
                 "unverified-hard-stop", "duplicate-rule-id", "bad-pack", "duplicate-pack"):
        assert f"`{code}`" in documented
        assert code in covered


def test_errors_carry_line_numbers() -> None:
    path = BROKEN / "unknown-fact.yaml"
    with pytest.raises(PackError) as caught:
        load_pack(path.read_bytes(), source=path.name)
    problem = next(p for p in caught.value.problems if p.code == "unknown-fact")
    assert problem.line is not None
    assert path.read_text().splitlines()[problem.line - 1].strip().startswith("when:")


def test_duplicate_pack_versions_are_refused() -> None:
    text = (BROKEN / "unknown-field.yaml").read_text().replace("    severity: high\n", "")
    with pytest.raises(PackError) as caught:
        PackLibrary.from_texts([("a.yaml", text), ("b.yaml", text)])
    assert caught.value.code == "duplicate-pack"


def test_the_shipped_packs_load_and_pin_hashes() -> None:
    library = PackLibrary.builtin()
    assert {p.header.code for p in library.packs} >= {"APA"}
    for pack in library.packs:
        assert len(pack.sha256) == 64
        for rule in pack.rules:
            assert rule.url.startswith("http")
            if rule.is_hard_stop:
                assert rule.status == "V" and rule.sources, rule.id


def test_hard_stops_only_from_verified_facts_is_enforced_by_the_loader() -> None:
    path = BROKEN / "unverified-hard-stop.yaml"
    with pytest.raises(PackError):
        load_pack(path.read_bytes(), source=path.name)
    verified = path.read_text().replace("status: P}", "status: V, sources: [https://e.org]}")
    assert load_pack(verified, source="ok.yaml").rules[0].is_hard_stop
