"""The vignette bank: original practice cases, loaded strictly from YAML.

A vignette file groups the vignettes of one profession::

    profession: psychologist
    vignettes:
      - id: psych-former-client-asks-out-after-eighteen-months   # kebab-case, unique
        title: A former therapy client asks her psychologist out
        narrative: >-                  # 2-5 sentences, original, invented people
          ...
        exams: [EPPP]                  # ASWB NCE EPPP CRC MFT BCBA (may be empty)
        topics: [former-client-romance, waiting-periods]
        case: {format: 1, as_of: 2026-11-26, ...}   # case format 1; as_of is required
        expected:
          verdict: prohibited
          until: 2027-06-20            # only for a time-limited prohibition
          governing: apa-2017-10-08a-sexual-former-client-two-years   # or leave out
          why: one or two sentences in our words naming the code section or model

Files go through the same safe reader as cases and packs (no aliases, tags or
duplicate keys), and every refusal names the file, the field path and the line.
Whether each ``expected`` matches the engine is checked by :mod:`verification`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..core.case import Case, CaseDate
from ..core.case_loading import case_from_data
from ..core.documents import Document, parse_document
from ..core.errors import CaseError, Problem
from ..core.validation import problems_from_validation
from ..core.vocabulary import PROFESSION_CODES, Profession, Verdict
from .errors import PracticeError
from .vocabulary import Exam, Topic

VIGNETTE_SUFFIX = ".yaml"
KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# Sentence ends, not counting the abbreviations our narratives use.
_SENTENCE_END = re.compile(r"(?<!\bDr)(?<!\bMr)(?<!\bMs)(?<!\bMrs)(?<!\bSt)"
                           r"[.!?][\"')]*(?=\s+[A-Z\"']|\s*$)")


def count_sentences(text: str) -> int:
    return len(_SENTENCE_END.findall(text.strip()))


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Expected(_Strict):
    """What the codes and models say is right, pinned by the regression tests."""

    verdict: Verdict
    until: CaseDate | None = None
    governing: str | None = None
    why: Annotated[str, Field(min_length=40, max_length=600)]

    @field_validator("governing")
    @classmethod
    def _rule_id(cls, value: str | None) -> str | None:
        if value is not None and not KEBAB.match(value):
            raise ValueError(f"{value!r} is not a rule id (kebab-case, as in the packs)")
        return value


class VignetteData(_Strict):
    id: str
    title: Annotated[str, Field(min_length=5, max_length=100)]
    narrative: Annotated[str, Field(min_length=80, max_length=1200)]
    exams: tuple[Exam, ...]
    topics: tuple[Topic, ...]
    case: dict[str, Any]
    expected: Expected

    @field_validator("id")
    @classmethod
    def _kebab(cls, value: str) -> str:
        if not KEBAB.match(value):
            raise ValueError(f"vignette id {value!r} must be kebab-case (a-z, 0-9, hyphens)")
        return value

    @field_validator("narrative")
    @classmethod
    def _sentences(cls, value: str) -> str:
        sentences = count_sentences(value)
        if not 2 <= sentences <= 5:
            raise ValueError(f"a narrative has 2 to 5 sentences; this one has {sentences}")
        return value

    @field_validator("topics", "exams")
    @classmethod
    def _no_repeats(cls, value: tuple[Any, ...]) -> tuple[Any, ...]:
        if len(set(value)) != len(value):
            raise ValueError("a value is listed twice")
        return value

    @field_validator("topics")
    @classmethod
    def _some_topic(cls, value: tuple[Topic, ...]) -> tuple[Topic, ...]:
        if not value:
            raise ValueError("a vignette needs at least one topic")
        return value


class VignetteFile(_Strict):
    profession: Profession
    vignettes: tuple[VignetteData, ...]

    @field_validator("vignettes")
    @classmethod
    def _some_vignette(cls, value: tuple[VignetteData, ...]) -> tuple[VignetteData, ...]:
        if not value:
            raise ValueError("a vignette file needs at least one vignette")
        return value


class Vignette(_Strict):
    """One practice case: a narrative, its format-1 case and the pinned expectation."""

    id: str
    title: str
    narrative: str
    exams: tuple[Exam, ...]
    topics: tuple[Topic, ...]
    case: Case
    expected: Expected
    source: str

    @property
    def as_of(self) -> dt.date:
        assert self.case.as_of is not None  # the loader refuses a case without as_of
        return self.case.as_of

    @property
    def profession(self) -> Profession:
        return self.case.practitioner.profession

    @property
    def own_code(self) -> str:
        """The profession's first code (APA, ACA...), for per-code statistics."""
        codes = PROFESSION_CODES[self.profession]
        return codes[0].value if codes else "none"


def _refuse(source: str, problems: list[Problem], code: str = "bad-vignette") -> PracticeError:
    return PracticeError(code=code, source=source, problems=problems)


def load_vignette_file(raw: bytes | str, *, source: str) -> tuple[Vignette, ...]:
    """Parse and validate one vignette file, or raise one error naming every problem."""

    def make(code: str, message: str, path: str, line: int | None, hint: str) -> PracticeError:
        return _refuse(source, [Problem(code, message, path, line, hint)], code)

    document = parse_document(raw, source=source, make_error=make)
    try:
        parsed = VignetteFile.model_validate(document.data)
    except ValidationError as exc:
        raise _refuse(source, problems_from_validation(exc, document, VignetteFile)) from None
    found: list[Vignette] = []
    for index, item in enumerate(parsed.vignettes):
        found.append(_vignette(item, index, parsed.profession, document, source))
    return tuple(found)


def _vignette(item: VignetteData, index: int, profession: Profession, document: Document,
              source: str) -> Vignette:
    here = ("vignettes", index, "case")
    try:
        case = case_from_data(item.case, source=source)
    except CaseError as exc:
        raise _refuse(source, [
            Problem(p.code, p.message, f"vignettes[{index}].case.{p.path}".rstrip("."),
                    document.line_of((*here, *p.path.split("."))) if p.path else
                    document.line_of(here), p.hint)
            for p in exc.problems]) from None
    problems: list[Problem] = []
    if case.as_of is None:
        problems.append(Problem("bad-vignette", "a vignette's case needs as_of, so that its "
                                "answer is the same every day", f"vignettes[{index}].case",
                                document.line_of(here), "add as_of: YYYY-MM-DD"))
    if case.practitioner.profession is not profession:
        problems.append(Problem(
            "bad-vignette", f"the case's profession is {case.practitioner.profession.value!r} "
            f"but this file holds {profession.value!r} vignettes",
            f"vignettes[{index}].case.practitioner.profession",
            document.line_of((*here, "practitioner", "profession")),
            "move the vignette to the file for its profession"))
    expected = item.expected
    if expected.until is not None and expected.verdict is not Verdict.prohibited:
        problems.append(Problem(
            "bad-vignette", "expected.until is only for a prohibition that ends on a date",
            f"vignettes[{index}].expected.until",
            document.line_of(("vignettes", index, "expected", "until")),
            "remove until, or make the verdict prohibited"))
    if problems:
        raise _refuse(source, problems)
    return Vignette(id=item.id, title=item.title, narrative=" ".join(item.narrative.split()),
                    exams=item.exams, topics=item.topics, case=case, expected=expected,
                    source=source)


@dataclass(frozen=True)
class Bank:
    """Every vignette, in file then file order; ids are unique across files."""

    vignettes: tuple[Vignette, ...]

    @classmethod
    def from_texts(cls, texts: Iterable[tuple[str, bytes | str]]) -> Bank:
        found: list[Vignette] = []
        errors: list[PracticeError] = []
        for source, text in texts:
            try:
                found.extend(load_vignette_file(text, source=source))
            except PracticeError as exc:
                errors.append(exc)
        if errors:
            if len(errors) == 1:
                raise errors[0]
            merged = [Problem(p.code, p.render(e.source)) for e in errors for p in e.problems]
            raise _refuse("", merged, errors[0].code)
        seen: dict[str, str] = {}
        duplicates: list[Problem] = []
        for vignette in found:
            if vignette.id in seen:
                duplicates.append(Problem(
                    "duplicate-vignette", f"the id {vignette.id!r} is used in {seen[vignette.id]} "
                    f"and in {vignette.source}", "id", None, "give each vignette its own id"))
            seen[vignette.id] = vignette.source
        if duplicates:
            raise _refuse("", duplicates, "duplicate-vignette")
        return cls(tuple(found))

    @classmethod
    def from_directory(cls, directory: Path) -> Bank:
        files = sorted(directory.glob(f"*{VIGNETTE_SUFFIX}"))
        return cls.from_texts((str(path), path.read_bytes()) for path in files)

    @classmethod
    def builtin(cls) -> Bank:
        root = resources.files("tightrope").joinpath("practice").joinpath("vignettes")
        entries = sorted((e for e in root.iterdir() if e.name.endswith(VIGNETTE_SUFFIX)),
                         key=lambda e: e.name)
        return cls.from_texts((f"practice/vignettes/{e.name}", e.read_bytes()) for e in entries)

    def get(self, vignette_id: str) -> Vignette:
        for vignette in self.vignettes:
            if vignette.id == vignette_id:
                return vignette
        close = [v.id for v in self.vignettes if vignette_id in v.id][:3]
        raise _refuse("", [Problem("no-such-vignette", f"there is no vignette {vignette_id!r}",
                                   "", None, ("did you mean " + ", ".join(close) + "?") if close
                                   else "run `tightrope practice list` to see them")],
                      "no-such-vignette")

    def select(self, *, topic: Topic | None = None, exam: Exam | None = None,
               profession: Profession | None = None) -> tuple[Vignette, ...]:
        return tuple(v for v in self.vignettes
                     if (topic is None or topic in v.topics)
                     and (exam is None or exam in v.exams)
                     and (profession is None or v.profession is profession))

    def topic_counts(self) -> dict[Topic, int]:
        counts = {topic: 0 for topic in Topic}
        for vignette in self.vignettes:
            for topic in vignette.topics:
                counts[topic] += 1
        return counts
