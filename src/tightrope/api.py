"""The Python API: ``tightrope.assess`` and ``tightrope.load_case``.

This is the one place the clock is read for a default assessment date; the
engine itself takes the date as an argument and never looks at the clock.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from .core.assessment import Assessment
from .core.case import Case
from .core.case_loading import case_from_data
from .core.engine import assess_case
from .core.library import PackLibrary


@cache
def builtin_library() -> PackLibrary:
    """The packs shipped with Tightrope, loaded once per process (read-only)."""
    return PackLibrary.builtin()


def resolve_as_of(case: Case, as_of: dt.date | None, today: dt.date | None = None) -> dt.date:
    """The assessment date: the argument, else the case's ``as_of``, else today."""
    return as_of or case.as_of or today or dt.date.today()


def assess(case: Case | dict[str, Any], as_of: dt.date | None = None, *, trace: bool = False,
           library: PackLibrary | None = None) -> Assessment:
    """Assess a case (a :class:`Case` or format-1 data) on ``as_of`` (default: today)."""
    if not isinstance(case, Case):
        case = case_from_data(case, source="<case>")
    when = resolve_as_of(case, as_of)
    case.check_dates(when)
    return assess_case(case, library or builtin_library(), when, trace=trace)
