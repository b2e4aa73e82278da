"""One way to compare output with a golden file, refreshed with ``--update-goldens``."""

from __future__ import annotations

from pathlib import Path

import pytest


def check_golden(path: Path, actual: str, update: bool) -> None:
    if update or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual)
        if not update:
            pytest.fail(f"{path.name} did not exist; written now, review and commit it")
    assert actual == path.read_text(), f"{path.name} differs (run with --update-goldens)"
