"""Turning untrusted text into a :class:`Case`, or one clear error per problem.

Reading files is an adapter's job; this module takes text or bytes (and, as a
convenience for the public API, a path) and returns a validated case. Every
refusal names the source, the field path, the line when known and what is
allowed.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .case import Case, FieldConflict
from .documents import MAX_DOCUMENT_BYTES, Document, parse_document
from .errors import CaseError, case_error
from .validation import describe_error, problems_from_validation


def _make_error(code: str, message: str, path: str, line: int | None, hint: str) -> CaseError:
    return case_error(code, message, path=path, line=line, hint=hint)


def case_from_data(data: Any, *, source: str = "", document: Document | None = None,
                   today: dt.date | None = None) -> Case:
    """Validate plain data as a case; ``today`` checks dates when the case has no as_of."""
    if not isinstance(data, dict):
        raise case_error("not-a-mapping", "a case must be a mapping of fields, such as "
                         "format: 1 followed by practitioner, professional and other",
                         source=source)
    if "format" in data and data["format"] != 1:
        raise case_error("unsupported-format", f"format {data['format']!r} is not supported",
                         source=source, path="format",
                         line=document.line_of(("format",)) if document else None,
                         hint="this version of Tightrope reads format: 1")
    try:
        case = Case.model_validate(data)
        if case.as_of is None and today is not None:
            case.check_dates(today)
    except ValidationError as exc:
        raise CaseError(code=_first_code(exc), source=source,
                        problems=problems_from_validation(exc, document, Case)) from None
    except FieldConflict as conflict:
        line = document.line_of(tuple(conflict.path.split("."))) if document else None
        raise case_error("bad-date", str(conflict), source=source, path=conflict.path,
                         line=line) from None
    return case


def _first_code(exc: ValidationError) -> str:
    return describe_error(Case, exc.errors()[0])[0] if exc.errors() else "bad-value"


def parse_case(raw: bytes | str, *, source: str = "<case>", today: dt.date | None = None) -> Case:
    """Parse YAML or JSON text (or bytes) into a validated case."""
    document = parse_document(raw, source=source, make_error=_with_source(source))
    return case_from_data(document.data, source=source, document=document, today=today)


def parse_case_for(raw: bytes | str, *, source: str, as_of: dt.date | None,
                   today: dt.date) -> Case:
    """Parse a case to be assessed on ``as_of`` (or its own date, or today), refusing
    any fact dated after the date it will be assessed on."""
    case = parse_case(raw, source=source, today=None if as_of else today)
    return checked_against(case, as_of, source=source)


def checked_against(case: Case, as_of: dt.date | None, *, source: str = "") -> Case:
    """The case itself, after checking its dates against an explicit assessment date."""
    if as_of is not None:
        try:
            case.check_dates(as_of)
        except FieldConflict as conflict:
            raise case_error("bad-date", str(conflict), source=source,
                             path=conflict.path) from None
    return case


def _with_source(source: str) -> Any:
    def make(code: str, message: str, path: str, line: int | None, hint: str) -> CaseError:
        return case_error(code, message, source=source, path=path, line=line, hint=hint)

    return make


def load_case(path_or_text: str | os.PathLike[str] | bytes, *,
              today: dt.date | None = None) -> Case:
    """Load a case from a path, or from YAML/JSON text, and validate it strictly.

    A string that names an existing file is read as a path; any other string is
    parsed as the case itself.
    """
    if isinstance(path_or_text, bytes):
        return parse_case(path_or_text, today=today)
    text = os.fspath(path_or_text)
    looks_like_path = isinstance(path_or_text, os.PathLike) or (
        "\n" not in text and len(text) < 4096 and text.endswith((".yaml", ".yml", ".json"))
    )
    if looks_like_path:
        path = Path(text)
        return parse_case(read_case_bytes(path), source=str(path), today=today)
    return parse_case(text, today=today)


def read_case_bytes(path: Path) -> bytes:
    """Read a case file with the size limit applied before reading it all."""
    try:
        if path.is_dir():
            raise case_error("is-a-directory", "this is a directory, not a case file",
                             source=str(path))
        size = path.stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            raise case_error("too-large",
                             f"the file is {size:,} bytes; the limit is {MAX_DOCUMENT_BYTES:,}",
                             source=str(path), hint="a case file is a short YAML or JSON document")
        return path.read_bytes()
    except FileNotFoundError:
        raise case_error("no-such-file", "there is no such file", source=str(path),
                         hint="check the path, or run `tightrope examples` for built-in cases"
                         ) from None
    except PermissionError:
        raise case_error("unreadable", "this file cannot be read (permission denied)",
                         source=str(path)) from None
