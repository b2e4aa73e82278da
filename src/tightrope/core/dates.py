"""Calendar arithmetic for waiting periods, written down once.

A waiting period of N years counted from the last professional contact ends on
the N-th anniversary of that contact: on that day the ban no longer applies. An
anniversary of 29 February falls on 1 March in common years, the later of the
two candidates, so a ban never ends before N full years have passed.
"""

from __future__ import annotations

import datetime as dt

DAYS_PER_MONTH = 365.2425 / 12


def add_years(start: dt.date, years: int) -> dt.date:
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February in a common year
        return dt.date(start.year + years, 3, 1)


def add_months(start: dt.date, months: int) -> dt.date:
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    day = start.day
    while True:
        try:
            return dt.date(year, month, day)
        except ValueError:
            # The month is shorter: carry into the next month, never end early.
            if day > 28:
                return add_months(dt.date(year, month, 1), 1)
            raise


def whole_years_between(start: dt.date, end: dt.date) -> int:
    """Completed years, consistent with :func:`add_years` (a period of N years has
    passed exactly when this reaches N)."""
    years = end.year - start.year
    while years > 0 and add_years(start, years) > end:
        years -= 1
    return max(years, 0)


def months_between(start: dt.date, end: dt.date) -> float:
    """Elapsed months as a decimal, for thresholds such as "more than 24 months"."""
    return round((end - start).days / DAYS_PER_MONTH, 2)


def approximate_end(as_of: dt.date, months_since_end: float) -> dt.date:
    """The last-contact date implied by an approximate number of months."""
    return as_of - dt.timedelta(days=round(months_since_end * DAYS_PER_MONTH))
