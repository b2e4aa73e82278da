"""Parsing dates given on the command line, with the house error message."""

from __future__ import annotations

import datetime as dt

from ..core.errors import Problem, TightropeError


def parse_cli_date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise TightropeError(code="bad-date", problems=[Problem(
            "bad-date", f"{value!r} is not a date", option, None,
            "write it as YYYY-MM-DD, for example 2026-11-26")]) from None
