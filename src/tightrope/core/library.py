"""The set of rule packs available to the engine, and which of them bind a case.

A practitioner is bound by their profession's own code, any codes they list in
``practitioner.codes``, and the overlay for their jurisdiction when one exists.
Each code may have several editions; the one in effect on the assessment date
is used, and a stored assessment records exactly which (id, version, SHA-256).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Literal

from .case import Case
from .errors import PackError, Problem
from .packs import Pack, load_pack
from .vocabulary import PROFESSION_CODES, CodeId

PACK_SUFFIX = ".yaml"
SCENARIO_SUFFIX = ".scenarios.yaml"


@dataclass(frozen=True)
class Binding:
    """Why a pack applies: the profession's own code, a listed code, or the jurisdiction."""

    pack: Pack
    reason: Literal["profession", "listed", "jurisdiction"]


@dataclass(frozen=True)
class PackLibrary:
    packs: tuple[Pack, ...]

    @classmethod
    def from_texts(cls, texts: Iterable[tuple[str, bytes | str]]) -> PackLibrary:
        """Load packs from (source name, content) pairs, reporting every broken file."""
        packs: list[Pack] = []
        problems: list[PackError] = []
        for source, text in texts:
            try:
                packs.append(load_pack(text, source=source))
            except PackError as exc:
                problems.append(exc)
        if problems:
            merged = [Problem(p.code, p.message, p.path, p.line, p.hint, failed.source)
                      for failed in problems for p in failed.problems]
            raise PackError(code=problems[0].code, problems=merged)
        ids = [(pack.id, pack.version) for pack in packs]
        duplicates = sorted({entry for entry in ids if ids.count(entry) > 1})
        if duplicates:
            raise PackError(code="duplicate-pack", problems=[
                Problem("duplicate-pack", f"pack {pid} version {ver} is defined twice")
                for pid, ver in duplicates])
        return cls(tuple(sorted(packs, key=lambda p: (p.id, p.header.effective_from))))

    @classmethod
    def from_directory(cls, directory: Path) -> PackLibrary:
        files = sorted(p for p in directory.glob(f"*{PACK_SUFFIX}")
                       if not p.name.endswith(SCENARIO_SUFFIX))
        return cls.from_texts((str(path), path.read_bytes()) for path in files)

    @classmethod
    def builtin(cls) -> PackLibrary:
        root = resources.files("tightrope").joinpath("rulepacks")
        entries = sorted((entry for entry in root.iterdir()
                          if entry.name.endswith(PACK_SUFFIX)
                          and not entry.name.endswith(SCENARIO_SUFFIX)),
                         key=lambda entry: entry.name)
        return cls.from_texts((f"rulepacks/{entry.name}", entry.read_bytes())
                              for entry in entries)

    def get(self, pack_id: str, version: str | None = None) -> Pack | None:
        for pack in self.packs:
            if pack.id == pack_id and (version is None or pack.version == version):
                return pack
        return None

    def _edition_for(self, code: str, as_of: dt.date) -> Pack | None:
        candidates = [p for p in self.packs
                      if p.header.kind == "code" and p.header.code == code and p.in_effect(as_of)]
        return max(candidates, key=lambda p: p.header.effective_from, default=None)

    def bindings(self, case: Case, as_of: dt.date) -> tuple[Binding, ...]:
        """The packs that bind this practitioner on this date, profession's code first."""
        practitioner = case.practitioner
        chosen: list[Binding] = []
        seen: set[str] = set()
        own = PROFESSION_CODES[practitioner.profession]
        listed = [code for code in practitioner.codes if code not in own]
        groups: tuple[tuple[Literal["profession", "listed"], tuple[CodeId, ...]], ...] = (
            ("profession", own), ("listed", tuple(listed)))
        for reason, codes in groups:
            for code in codes:
                pack = self._edition_for(CodeId(code).value, as_of)
                if pack is not None and pack.id not in seen:
                    chosen.append(Binding(pack, reason))
                    seen.add(pack.id)
        if practitioner.jurisdiction:
            for pack in self.packs:
                header = pack.header
                if (header.kind == "jurisdiction"
                        and header.jurisdiction == practitioner.jurisdiction
                        and pack.in_effect(as_of)
                        and (not header.binds or practitioner.profession in header.binds)
                        and pack.id not in seen):
                    chosen.append(Binding(pack, "jurisdiction"))
                    seen.add(pack.id)
        return tuple(chosen)

    def gaps(self, case: Case, as_of: dt.date) -> tuple[str, ...]:
        """What the packs could not cover for this practitioner on this date, in words."""
        practitioner = case.practitioner
        notes: list[str] = []
        wanted = list(PROFESSION_CODES[practitioner.profession]) + [
            code for code in practitioner.codes
            if code not in PROFESSION_CODES[practitioner.profession]]
        if not wanted:
            notes.append("No code of ethics was applied: the profession is 'other' and no "
                         "codes were listed in practitioner.codes.")
        for code in wanted:
            if self._edition_for(CodeId(code).value, as_of) is None:
                known = [p for p in self.packs if p.header.code == CodeId(code).value]
                editions = ", ".join(f"{p.header.edition} (from {p.header.effective_from})"
                                     for p in known) or "none"
                notes.append(f"No edition of the {CodeId(code).value} code in Tightrope's packs "
                             f"is in effect on {as_of} (packs: {editions}); its rules were not "
                             "applied. Check the code that was in force on that date.")
        jurisdiction = practitioner.jurisdiction
        if jurisdiction and not any(b.reason == "jurisdiction"
                                    for b in self.bindings(case, as_of)):
            overlays = [p for p in self.packs if p.header.jurisdiction == jurisdiction]
            if overlays and not any(p.in_effect(as_of) for p in overlays):
                dates = ", ".join(f"from {p.header.effective_from}" for p in overlays)
                notes.append(f"Tightrope's {jurisdiction} overlay is not in effect on {as_of} "
                             f"({dates}); state law in force on that date was not applied.")
            elif overlays:
                notes.append(f"The {jurisdiction} overlay has no rules for a "
                             f"{practitioner.profession.value.replace('_', ' ')}; check your "
                             "licensing board's rules.")
            else:
                notes.append(f"Tightrope has no rules for {jurisdiction} yet; check your "
                             "licensing board's rules and state law, which may be stricter.")
        return tuple(notes)

    def jurisdictions(self) -> tuple[str, ...]:
        return tuple(sorted({p.header.jurisdiction for p in self.packs
                             if p.header.jurisdiction}))
