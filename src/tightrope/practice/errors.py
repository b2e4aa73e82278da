"""Errors of practice mode, in the one exception tree (see core/errors.py).

Stable codes, documented in docs/errors.md ("Practice mode"):

* ``bad-vignette`` (and the document codes ``syntax``, ``duplicate-key``,
  ``yaml-alias``, ``yaml-tag``...): a vignette file the strict loader refuses;
* ``duplicate-vignette``: two vignettes share an id;
* ``no-such-vignette``, ``no-such-topic``, ``no-such-exam``: a name that matches nothing;
* ``no-questions``: the filters leave nothing to study;
* ``bad-profile``: a profile name that cannot be used;
* ``no-such-question``: a question id or kind that the vignette does not have;
* ``bad-answer``: an answer that names no choice, or answers a question twice;
* ``bad-count``: a session or exam with no questions or no time;
* ``practice-database``: the progress database cannot be opened, read or written;
* ``practice-schema``: the database was written by another version of practice mode;
* ``exam-over``: an answer arrived after the exam's time ran out or it was finished.
"""

from __future__ import annotations

from ..core.errors import Problem, TightropeError


class PracticeError(TightropeError):
    """A vignette, bank, profile, database or exam problem in practice mode."""


def practice_error(code: str, message: str, *, source: str = "", path: str = "",
                   line: int | None = None, hint: str = "") -> PracticeError:
    return PracticeError(code=code, source=source,
                         problems=[Problem(code, message, path, line, hint)])
