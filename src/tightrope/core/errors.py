"""One exception tree for Tightrope, each error with a stable kebab-case code.

Every message says what was wrong, where (file, field path, line, rule id) and
what to do next. Adapters translate these at their boundary: the CLI prints the
message and exits with status 2, the web API turns them into its one JSON error
shape. The codes are documented in ``docs/errors.md`` and a test keeps that page
complete.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located as precisely as we can."""

    code: str
    message: str
    path: str = ""
    line: int | None = None
    hint: str = ""
    source: str = ""  # set when one error gathers problems from several files

    def render(self, source: str = "") -> str:
        source = self.source or source
        where = source
        if self.line is not None and source:
            where = f"{source}:{self.line}"
        path = "" if self.message.startswith(self.path) else self.path
        location = ": ".join(part for part in (where, path) if part)
        text = f"{location}: {self.message}" if location else self.message
        if self.hint:
            text += f" ({self.hint})"
        return text


@dataclass
class TightropeError(Exception):
    """Base of every error Tightrope raises on purpose."""

    code: str = "tightrope-error"
    problems: list[Problem] = field(default_factory=list)
    source: str = ""

    def __post_init__(self) -> None:
        super().__init__(self.message)

    @property
    def message(self) -> str:
        if not self.problems:
            return self.code
        lines = [problem.render(self.source) for problem in self.problems]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.message


class CaseError(TightropeError):
    """A case file or case object that does not match case format 1."""


class PackError(TightropeError):
    """A rule pack that the strict loader refuses."""


class ScenarioError(TightropeError):
    """A pack scenario file that cannot be read."""


def case_error(code: str, message: str, *, source: str = "", path: str = "",
               line: int | None = None, hint: str = "") -> CaseError:
    return CaseError(code=code, source=source,
                     problems=[Problem(code, message, path, line, hint)])


def pack_error(code: str, message: str, *, source: str = "", path: str = "",
               line: int | None = None, hint: str = "") -> PackError:
    return PackError(code=code, source=source,
                     problems=[Problem(code, message, path, line, hint)])
