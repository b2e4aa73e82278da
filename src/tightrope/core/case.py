"""Case format 1: the public input contract (DESIGN.md, "Case file, format 1").

Every optional field defaults to ``None``, which means *unknown*, never *false*:
a former client with no end date is a former client whose time since services
ended is unknown, possibly very recent. The engine treats unknowns cautiously
and names the ones that could change the verdict.

There is deliberately no field for the size of the practitioner's caseload: it
is irrelevant to whether a second relationship is safe.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    model_validator,
)

from .vocabulary import (
    Authority,
    Benefit,
    CodeId,
    CurrentState,
    Duration,
    Initiator,
    Intensity,
    OtherKind,
    OtherStatus,
    OtherWith,
    Profession,
    ProfessionalStatus,
    Service,
    Termination,
    Vulnerability,
)

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_JURISDICTION = re.compile(r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$")


class FieldConflict(ValueError):
    """Two facts that cannot both be true; ``path`` names the field to fix."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(message)
        self.path = path


def _parse_date(value: Any) -> Any:
    """Accept a real date or a ``YYYY-MM-DD`` string; refuse times and numbers."""
    if isinstance(value, dt.datetime):
        raise ValueError("give a date without a time, written YYYY-MM-DD")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError as exc:
            raise ValueError(f"{value!r} is not a real date ({exc})") from None
    raise ValueError(f"{value!r} is not a date; write it as YYYY-MM-DD")


CaseDate = Annotated[dt.date, BeforeValidator(_parse_date)]
NonNegativeNumber = Annotated[float, Field(ge=0, allow_inf_nan=False)]


class _Part(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", use_enum_values=False)


class Practitioner(_Part):
    profession: Profession
    codes: tuple[CodeId, ...] = ()
    jurisdiction: Annotated[str, Field(pattern=_JURISDICTION.pattern)] | None = None


class Professional(_Part):
    status: ProfessionalStatus
    service: Service | None = None
    started: CaseDate | None = None
    ended: CaseDate | None = None
    months_since_end: Annotated[float, Field(ge=0, le=1200, allow_inf_nan=False)] | None = None
    sessions: Annotated[StrictInt, Field(ge=0, le=100_000)] | None = None
    intensity: Intensity | None = None
    termination: Termination | None = None
    may_return: StrictBool | None = None
    future_relationship_discussed: StrictBool | None = None


class Client(_Part):
    minor: StrictBool | None = None
    vulnerabilities: tuple[Vulnerability, ...] | None = None
    current_state: CurrentState | None = None


class Other(_Part):
    kind: OtherKind
    with_: OtherWith | None = Field(default=None, alias="with")
    status: OtherStatus | None = None
    initiated_by: Initiator | None = None
    client_willing: StrictBool | None = None
    avoidable: StrictBool | None = None
    authority: Authority | None = None
    duration: Duration | None = None
    value_usd: NonNegativeNumber | None = None
    cash: StrictBool | None = None
    benefit_to_client: Benefit | None = None
    details: Annotated[str, Field(max_length=20_000)] | None = None

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class Context(_Part):
    small_community: StrictBool | None = None
    consulted: StrictBool | None = None
    informed_consent: StrictBool | None = None


class Case(_Part):
    """A case in format 1. Build one with :func:`tightrope.load_case` or directly."""

    format: Literal[1]
    as_of: CaseDate | None = None
    practitioner: Practitioner
    professional: Professional
    client: Client = Field(default_factory=Client)
    other: Other
    context: Context = Field(default_factory=Context)

    @model_validator(mode="after")
    def _consistent(self) -> Case:
        professional = self.professional
        started, ended = professional.started, professional.ended
        if started and ended and ended < started:
            raise FieldConflict(
                "professional.ended",
                f"professional.ended ({professional.ended}) is before professional.started "
                f"({professional.started}); the last contact cannot come before the first"
            )
        if professional.ended is not None and professional.months_since_end is not None:
            raise FieldConflict(
                "professional.months_since_end",
                "give either professional.ended or professional.months_since_end, not both"
            )
        if professional.status is not ProfessionalStatus.former and (
            professional.ended is not None or professional.months_since_end is not None
        ):
            raise FieldConflict(
                "professional.ended" if professional.ended is not None
                else "professional.months_since_end",
                f"professional.ended and professional.months_since_end are only for former "
                f"clients, but professional.status is {professional.status.value!r}"
            )
        if self.as_of is not None:
            self.check_dates(self.as_of)
        return self

    def check_dates(self, as_of: dt.date) -> None:
        """Refuse facts dated after the assessment date: a future date is not a fact yet."""
        for name in ("started", "ended"):
            value = getattr(self.professional, name)
            if value is not None and value > as_of:
                raise FieldConflict(
                    f"professional.{name}",
                    f"professional.{name} ({value}) is after the assessment date ({as_of}); "
                    "a date in the future cannot be a fact yet",
                )

    def dump(self) -> dict[str, Any]:
        """The case as plain JSON-ready data in format 1 (aliases, ISO dates, no Nones)."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)

    def with_changes(self, changes: dict[str, Any]) -> Case:
        """A copy with dotted-path facts replaced, validated again (used by what-ifs)."""
        data = self.model_dump(mode="python", by_alias=True)
        for dotted, value in changes.items():
            target = data
            *parents, leaf = dotted.split(".")
            for part in parents:
                target = target[part]
            target[leaf] = value
        return Case.model_validate(data)
