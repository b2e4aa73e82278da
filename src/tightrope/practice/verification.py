"""Each vignette is also a regression test: its expected answer, graded by the engine.

``expected`` records what the codes and models say is right. If the engine ever
disagrees (a pack changed, the engine changed, or the vignette is wrong), the
vignette must not be bent to fit: ``tightrope practice check`` and the test
suite report the mismatch so someone looks at it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core.assessment import Assessment
from ..core.engine import assess_case
from ..core.errors import TightropeError
from ..core.library import PackLibrary
from .bank import Bank, Vignette


def assess_vignette(vignette: Vignette, library: PackLibrary) -> Assessment:
    """The engine's assessment of a vignette on its own date (pure and deterministic)."""
    return assess_case(vignette.case, library, vignette.as_of)


@dataclass(frozen=True)
class VignetteCheck:
    vignette: Vignette
    verdict: str
    until: str | None
    governing: str | None
    failures: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not self.failures


def compare(vignette: Vignette, assessment: Assessment, known_rules: frozenset[str]
            ) -> VignetteCheck:
    expected = vignette.expected
    governing = assessment.governing.rule if assessment.governing else None
    failures: list[str] = []
    if assessment.verdict is not expected.verdict:
        failures.append(f"verdict is {assessment.verdict.value}, expected "
                        f"{expected.verdict.value}")
    if assessment.until != expected.until:
        failures.append(f"until is {assessment.until or 'none'}, expected "
                        f"{expected.until or 'none'}")
    if governing != expected.governing:
        failures.append(f"governing rule is {governing or 'none'}, expected "
                        f"{expected.governing or 'none'}")
    if expected.governing is not None and expected.governing not in known_rules:
        failures.append(f"expected.governing names {expected.governing}, which no pack defines")
    return VignetteCheck(vignette, assessment.verdict.value,
                         assessment.until.isoformat() if assessment.until else None,
                         governing, tuple(failures))


def check_vignette(vignette: Vignette, library: PackLibrary) -> VignetteCheck:
    known = frozenset(rule.id for pack in library.packs for rule in pack.rules)
    try:
        assessment = assess_vignette(vignette, library)
    except TightropeError as exc:
        return VignetteCheck(vignette, "error", None, None,
                             (f"the engine refused the case: {exc}",))
    return compare(vignette, assessment, known)


def check_bank(bank: Bank, library: PackLibrary) -> tuple[VignetteCheck, ...]:
    return tuple(check_vignette(vignette, library) for vignette in bank.vignettes)
