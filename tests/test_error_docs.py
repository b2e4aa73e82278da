"""Every error code raised in the source is documented in docs/errors.md."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).parents[1]
PATTERNS = [
    # any error factory or exception called with a literal code: case_error("bad-date"),
    # registry_error("not-allowed", ...), Problem("unknown-fact", ...), _Refused(...)
    re.compile(r'\b[A-Za-z_]*(?:_error|Error|Problem|Refused|\.add|problem)\(\s*'
               r'"([a-z0-9]+(?:-[a-z0-9]+)+|[a-z]+)"'),
    re.compile(r'\bcode="([a-z0-9]+(?:-[a-z0-9]+)*)"'),
    re.compile(r'return "([a-z0-9]+(?:-[a-z0-9]+)+)", f?"'),  # validation.describe_error
]


def raised_codes() -> set[str]:
    codes: set[str] = set()
    for path in (ROOT / "src" / "tightrope").rglob("*.py"):
        text = path.read_text()
        for pattern in PATTERNS:
            codes.update(pattern.findall(text))
    return codes - {"tightrope-error"}


def test_every_error_code_is_documented() -> None:
    documented = set(re.findall(r"^### ([a-z0-9-]+)$",
                                (ROOT / "docs" / "errors.md").read_text(), re.M))
    missing = sorted(raised_codes() - documented)
    assert not missing, f"document these codes in docs/errors.md: {missing}"


def test_the_scan_finds_codes() -> None:
    assert {"unknown-field", "yaml-alias", "unverified-hard-stop", "no-case"} <= raised_codes()
