"""Rule packs: one YAML file per code (or law) and edition, loaded strictly.

A pack is data, never code. Each rule has a stable kebab-case id, a citation
(section, source URL and a V/P/U status from ``knowledge/codes.md``), effective
dates, a condition in the closed grammar of :mod:`conditions`, an effect and a
one-line rationale in our own words. Packs are content-hashed; an assessment pins
the id, version and SHA-256 of every pack it used.

The loader refuses, naming file, path and line: unknown fields, duplicate keys,
bad dates, unknown facts or operators, values a fact cannot take, a rule without
a citation, and, the guard that matters most, a hard stop (``prohibited``)
whose citation is not verified (status V). ``tightrope packs check`` runs
exactly this code.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .conditions import OPERATORS, All, Always, Any_, Condition, Leaf, Not
from .documents import Document, PathKey, format_path, parse_document
from .errors import PackError, Problem, pack_error
from .facts import FACTS
from .validation import problems_from_validation
from .vocabulary import Action, CodeId, PrimaryFactor, Profession, Verdict

KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
VERSION = re.compile(r"^\d+\.\d+\.\d+$")


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Citation(_Strict):
    section: Annotated[str, Field(min_length=1)]
    url: Annotated[str, Field(pattern=r"^https?://")]
    status: Literal["V", "P", "U"]
    sources: tuple[str, ...] = ()
    note: str = ""


class Effect(_Strict):
    type: Literal["prohibited", "prohibited_for_period", "permitted_only_if", "guidance"]
    years: Annotated[int, Field(ge=1, le=100)] | None = None
    best: Verdict | None = None
    otherwise: Verdict | None = None
    requirements: tuple[str, ...] = ()
    # violated_if is parsed separately into a Condition (see _parse_condition)
    violated_if: Any = None


class RuleData(_Strict):
    id: str
    title: Annotated[str, Field(min_length=3)]
    citation: Citation
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None
    when: Any = None
    effect: Effect
    rationale: Annotated[str, Field(min_length=10, max_length=400)]
    actions: tuple[Action, ...] = ()
    # The factor a non-prohibiting rule stands for when it decides the verdict.
    factor: PrimaryFactor = PrimaryFactor.exploitation_risk

    @field_validator("id")
    @classmethod
    def _kebab(cls, value: str) -> str:
        if not KEBAB.match(value):
            raise ValueError(f"rule id {value!r} must be kebab-case (a-z, 0-9 and hyphens)")
        return value


class PackHeader(_Strict):
    id: str
    code: str
    kind: Literal["code", "jurisdiction"]
    title: str
    publisher: str
    edition: str
    version: str
    effective_from: dt.date
    effective_to: dt.date | None = None
    source_url: Annotated[str, Field(pattern=r"^https?://")]
    jurisdiction: str | None = None
    binds: tuple[Profession, ...] = ()
    notes: str = ""

    @field_validator("id")
    @classmethod
    def _kebab(cls, value: str) -> str:
        if not KEBAB.match(value):
            raise ValueError(f"pack id {value!r} must be kebab-case")
        return value

    @field_validator("version")
    @classmethod
    def _semver(cls, value: str) -> str:
        if not VERSION.match(value):
            raise ValueError(f"version {value!r} must look like 2017.0.0")
        return value


class PackFile(_Strict):
    pack: PackHeader
    rules: tuple[RuleData, ...]


@dataclass(frozen=True)
class Rule:
    """A loaded rule, with its condition compiled and its pack attached."""

    id: str
    title: str
    pack_id: str
    code: str
    edition: str
    section: str
    url: str
    status: Literal["V", "P", "U"]
    sources: tuple[str, ...]
    effective_from: dt.date
    effective_to: dt.date | None
    when: Condition
    effect: Effect
    violated_if: Condition | None
    rationale: str
    actions: tuple[Action, ...]
    factor: PrimaryFactor
    order: int  # position in its pack, for stable output

    @property
    def is_hard_stop(self) -> bool:
        return self.effect.type in ("prohibited", "prohibited_for_period") or (
            self.effect.otherwise is Verdict.prohibited
        )

    def in_effect(self, as_of: dt.date) -> bool:
        return self.effective_from <= as_of and (
            self.effective_to is None or as_of < self.effective_to
        )


@dataclass(frozen=True)
class Pack:
    header: PackHeader
    rules: tuple[Rule, ...]
    sha256: str
    source: str
    facts: frozenset[str] = frozenset()  # every fact any of its rules reads

    @property
    def id(self) -> str:
        return self.header.id

    @property
    def version(self) -> str:
        return self.header.version

    def in_effect(self, as_of: dt.date) -> bool:
        header = self.header
        return header.effective_from <= as_of and (
            header.effective_to is None or as_of < header.effective_to
        )


# ---------------------------------------------------------------- loading


class _Collector:
    def __init__(self, source: str, document: Document) -> None:
        self.source = source
        self.document = document
        self.problems: list[Problem] = []

    def add(self, code: str, message: str, path: PathKey, hint: str = "") -> None:
        self.problems.append(Problem(code, message, format_path(path),
                                     self.document.line_of(path), hint))


def _parse_condition(raw: Any, path: PathKey, out: _Collector) -> Condition:
    if raw is None:
        return Always()
    if not isinstance(raw, dict) or not raw:
        out.add("bad-condition", "a condition must be a mapping: all, any, not, or a "
                "{fact, op, value} leaf", path)
        return Always()
    keys = set(raw)
    if keys == {"all"} or keys == {"any"}:
        key = next(iter(keys))
        items = raw[key]
        if not isinstance(items, list) or not items:
            out.add("bad-condition", f"{key!r} takes a non-empty list of conditions",
                    (*path, key))
            return Always()
        parts = tuple(_parse_condition(item, (*path, key, i), out) for i, item in enumerate(items))
        return All(parts) if key == "all" else Any_(parts)
    if keys == {"not"}:
        return Not(_parse_condition(raw["not"], (*path, "not"), out))
    if "fact" in keys or "op" in keys:
        return _parse_leaf(raw, path, out)
    out.add("bad-condition", f"unknown condition keys {sorted(keys)}", path,
            "use all, any, not, or fact/op/value")
    return Always()


def _parse_leaf(raw: dict[str, Any], path: PathKey, out: _Collector) -> Condition:
    extra = set(raw) - {"fact", "op", "value"}
    if extra:
        out.add("unknown-field", f"unknown key(s) {sorted(extra)} in a condition leaf", path,
                "a leaf has fact, op and value")
    fact_name, op_name, value = raw.get("fact"), raw.get("op"), raw.get("value")
    spec = FACTS.get(str(fact_name))
    if spec is None:
        out.add("unknown-fact", f"unknown fact {fact_name!r}", (*path, "fact"),
                "known facts: " + ", ".join(sorted(FACTS)))
        return Always()
    operator = OPERATORS.get(str(op_name))
    if operator is None:
        out.add("unknown-operator", f"unknown operator {op_name!r}", (*path, "op"),
                "operators: " + ", ".join(sorted(OPERATORS)))
        return Always()
    if spec.kind not in operator.kinds:
        out.add("bad-operator", f"operator {op_name!r} does not apply to {spec.kind} fact "
                f"{fact_name!r}", (*path, "op"))
        return Always()
    problem = _check_value(spec.kind, spec.values, operator.wants, value)
    if problem:
        out.add("bad-value", problem, (*path, "value"),
                f"allowed: {', '.join(spec.values)}" if spec.values else "")
        return Always()
    if isinstance(value, list):
        value = tuple(value)
    return Leaf(spec.name, operator.name, value)


def _check_value(kind: str, allowed: tuple[str, ...], wants: str, value: Any) -> str:
    if wants == "none":
        return "" if value is None else "this operator takes no value"
    items = value if wants == "list" else [value]
    if wants == "list" and (not isinstance(value, list) or not value):
        return "this operator takes a non-empty list of values"
    for item in items:
        if kind in ("enum", "list") and item not in allowed:
            return f"{item!r} is not a value this fact takes"
        if kind == "bool" and not isinstance(item, bool):
            return f"{item!r} is not true or false"
        if (kind == "number" or wants == "number") and (
            isinstance(item, bool) or not isinstance(item, int | float)
        ):
            return f"{item!r} is not a number"
        if kind == "text" and not isinstance(item, str):
            return f"{item!r} is not text"
    return ""


def _check_effect(rule: RuleData, path: PathKey, out: _Collector) -> None:
    effect = rule.effect
    where = (*path, "effect")
    if effect.type == "prohibited_for_period" and effect.years is None:
        out.add("bad-effect", "prohibited_for_period needs years", where)
    if effect.type != "prohibited_for_period" and effect.years is not None:
        out.add("bad-effect", "only prohibited_for_period takes years", (*where, "years"))
    if effect.type == "permitted_only_if" and not effect.requirements:
        out.add("bad-effect", "permitted_only_if needs its requirements in plain words",
                (*where, "requirements"))
    if effect.type in ("prohibited", "prohibited_for_period") and (
        effect.best is not None or effect.otherwise is not None
    ):
        out.add("bad-effect", "a prohibition takes no best/otherwise", where)
    if effect.best is Verdict.prohibited:
        out.add("bad-effect", "best cannot be prohibited: use type: prohibited", where)
    if effect.violated_if is not None and effect.type != "permitted_only_if":
        out.add("bad-effect", "only permitted_only_if takes violated_if", where)
    is_hard = effect.type in ("prohibited", "prohibited_for_period") or (
        effect.otherwise is Verdict.prohibited
    )
    if is_hard and rule.citation.status != "V":
        # DESIGN.md: a hard stop only from a verified fact. Unverified rules are
        # shipped as guidance (status shown), never as a prohibition.
        out.add("unverified-hard-stop",
                f"rule {rule.id!r} would prohibit, but its citation status is "
                f"{rule.citation.status!r}",
                (*path, "citation", "status"),
                "verify it against the code's text and mark it V with sources, or make it "
                "guidance")
    if rule.citation.status == "V" and not rule.citation.sources:
        out.add("missing-citation", f"rule {rule.id!r} is marked verified but names no source",
                (*path, "citation", "sources"), "list where the fact was checked")


def load_pack(raw: bytes | str, *, source: str) -> Pack:
    """Parse and check one pack; raise :class:`PackError` listing every problem."""

    def make(code: str, message: str, path: str, line: int | None, hint: str) -> PackError:
        return pack_error(code, message, source=source, path=path, line=line, hint=hint)

    document = parse_document(raw, source=source, make_error=make)
    data = document.data
    out = _Collector(source, document)
    if isinstance(data, dict):
        for index, rule in enumerate(data.get("rules") or []):
            if isinstance(rule, dict) and "citation" not in rule:
                out.add("missing-citation", "every rule needs a citation", ("rules", index),
                        "add citation: {section, url, status}")
    try:
        parsed = PackFile.model_validate(data)
    except ValidationError as exc:
        problems = out.problems + [
            p for p in problems_from_validation(exc, document, PackFile)
            if not (p.code == "missing-field" and p.path.endswith("citation"))
        ]
        raise PackError(code=problems[0].code, source=source, problems=problems) from None
    header = parsed.pack
    if header.kind == "jurisdiction" and not header.jurisdiction:
        out.add("bad-pack", "a jurisdiction pack needs jurisdiction (e.g. US-CA)",
                ("pack", "jurisdiction"))
    if header.kind == "code" and header.code not in {c.value for c in CodeId}:
        out.add("bad-pack", f"code {header.code!r} is not a known code",
                ("pack", "code"), "known: " + ", ".join(c.value for c in CodeId))
    rules: list[Rule] = []
    seen: dict[str, int] = {}
    raw_rules = data.get("rules", []) if isinstance(data, dict) else []
    for index, rule in enumerate(parsed.rules):
        path: PathKey = ("rules", index)
        if rule.id in seen:
            out.add("duplicate-rule-id", f"rule id {rule.id!r} is used twice", (*path, "id"))
        seen[rule.id] = index
        _check_effect(rule, path, out)
        raw_rule = raw_rules[index] if index < len(raw_rules) else {}
        when = _parse_condition(raw_rule.get("when"), (*path, "when"), out)
        violated = None
        if rule.effect.violated_if is not None:
            violated = _parse_condition(rule.effect.violated_if,
                                        (*path, "effect", "violated_if"), out)
        effective_from = rule.effective_from or header.effective_from
        effective_to = rule.effective_to or header.effective_to
        if effective_to is not None and effective_to <= effective_from:
            out.add("bad-date", "effective_to must come after effective_from",
                    (*path, "effective_to"))
        rules.append(Rule(
            id=rule.id, title=rule.title, pack_id=header.id, code=header.code,
            edition=header.edition, section=rule.citation.section, url=rule.citation.url,
            status=rule.citation.status, sources=rule.citation.sources,
            effective_from=effective_from, effective_to=effective_to, when=when,
            effect=rule.effect, violated_if=violated, rationale=rule.rationale,
            actions=rule.actions, factor=rule.factor, order=index,
        ))
    if out.problems:
        raise PackError(code=out.problems[0].code, source=source, problems=out.problems)
    raw_bytes = raw.encode("utf-8") if isinstance(raw, str) else raw
    facts: set[str] = set()
    for rule in rules:
        facts |= rule.when.facts()
        if rule.violated_if is not None:
            facts |= rule.violated_if.facts()
        if rule.effect.years is not None:
            facts |= {"professional.months_since_end", "professional.years_since_end"}
    return Pack(header=header, rules=tuple(rules),
                sha256=hashlib.sha256(raw_bytes).hexdigest(), source=source,
                facts=frozenset(facts))
