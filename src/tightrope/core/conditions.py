"""The closed condition grammar of rule packs, and its three-valued evaluation.

A condition is ``all`` / ``any`` / ``not`` over leaves ``{fact, op, value}``.
Operators come from a fixed registry; there is no ``eval``, no template and no
Python in a pack. Evaluation uses Kleene's three-valued logic: a leaf over an
unknown fact is unknown, ``all`` is false if any part is false, ``any`` is true
if any part is true, and otherwise unknown stays unknown. A missing answer is
therefore never mistaken for "no".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .facts import FactValue

Tri = bool | None  # True, False or unknown (None)


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


@dataclass(frozen=True)
class Operator:
    name: str
    kinds: frozenset[str]  # fact kinds this operator applies to
    wants: str  # "scalar" | "list" | "number" | "none"
    test: Callable[[Any, Any], bool]
    reads_unknown: bool = False  # is_known / is_unknown look at unknown itself


def _in(actual: Any, expected: Any) -> bool:
    return bool(actual in expected)


OPERATORS: dict[str, Operator] = {op.name: op for op in (
    Operator("eq", frozenset({"enum", "bool", "number", "text"}), "scalar",
             lambda a, e: bool(a == e)),
    Operator("ne", frozenset({"enum", "bool", "number", "text"}), "scalar",
             lambda a, e: bool(a != e)),
    Operator("in", frozenset({"enum", "text", "number"}), "list", _in),
    Operator("not_in", frozenset({"enum", "text", "number"}), "list",
             lambda a, e: not _in(a, e)),
    Operator("lt", frozenset({"number"}), "number", lambda a, e: bool(a < e)),
    Operator("le", frozenset({"number"}), "number", lambda a, e: bool(a <= e)),
    Operator("gt", frozenset({"number"}), "number", lambda a, e: bool(a > e)),
    Operator("ge", frozenset({"number"}), "number", lambda a, e: bool(a >= e)),
    Operator("contains", frozenset({"list"}), "scalar", lambda a, e: bool(e in a)),
    Operator("contains_any", frozenset({"list"}), "list",
             lambda a, e: any(item in a for item in e)),
    Operator("is_known", frozenset({"enum", "bool", "number", "text", "list"}), "none",
             lambda a, _: a is not None, reads_unknown=True),
    Operator("is_unknown", frozenset({"enum", "bool", "number", "text", "list"}), "none",
             lambda a, _: a is None, reads_unknown=True),
)}


@dataclass(frozen=True)
class Leaf:
    fact: str
    op: str
    value: Any = None

    def evaluate(self, facts: dict[str, FactValue], trace: list[LeafResult] | None) -> Tri:
        actual = facts.get(self.fact)
        operator = OPERATORS[self.op]
        result: Tri
        if actual is None and not operator.reads_unknown:
            result = None
        else:
            result = operator.test(actual, self.value)
        if trace is not None:
            trace.append(LeafResult(self.fact, self.op, self.value, actual, result))
        return result

    def facts(self) -> set[str]:
        return {self.fact}


@dataclass(frozen=True)
class All:
    parts: tuple[Condition, ...]

    def evaluate(self, facts: dict[str, FactValue], trace: list[LeafResult] | None) -> Tri:
        unknown = False
        for part in self.parts:
            result = part.evaluate(facts, trace)
            if result is False:
                if trace is None:
                    return False
                return self._finish_trace(facts, trace, part)
            if result is None:
                unknown = True
        return None if unknown else True

    def _finish_trace(self, facts: dict[str, FactValue], trace: list[LeafResult],
                      stopped: Condition) -> Tri:
        # With a trace, evaluate the remaining parts too so the trace shows everything
        # that was looked at; the result is already decided.
        remaining = self.parts[self.parts.index(stopped) + 1:]
        for part in remaining:
            part.evaluate(facts, trace)
        return False

    def facts(self) -> set[str]:
        return set().union(*(part.facts() for part in self.parts))


@dataclass(frozen=True)
class Any_:
    parts: tuple[Condition, ...]

    def evaluate(self, facts: dict[str, FactValue], trace: list[LeafResult] | None) -> Tri:
        unknown = False
        for part in self.parts:
            result = part.evaluate(facts, trace)
            if result is True:
                if trace is not None:
                    for rest in self.parts[self.parts.index(part) + 1:]:
                        rest.evaluate(facts, trace)
                return True
            if result is None:
                unknown = True
        return None if unknown else False

    def facts(self) -> set[str]:
        return set().union(*(part.facts() for part in self.parts))


@dataclass(frozen=True)
class Not:
    part: Condition

    def evaluate(self, facts: dict[str, FactValue], trace: list[LeafResult] | None) -> Tri:
        result = self.part.evaluate(facts, trace)
        return None if result is None else not result

    def facts(self) -> set[str]:
        return self.part.facts()


@dataclass(frozen=True)
class Always:
    """A rule with no ``when`` applies to every case its pack binds."""

    def evaluate(self, facts: dict[str, FactValue], trace: list[LeafResult] | None) -> Tri:
        return True

    def facts(self) -> set[str]:
        return set()


Condition = Leaf | All | Any_ | Not | Always


@dataclass(frozen=True)
class LeafResult:
    """One leaf as evaluated: what was looked at, what it found, the result."""

    fact: str
    op: str
    expected: Any
    actual: Any
    result: Tri


def evaluate(condition: Condition, facts: dict[str, FactValue]) -> tuple[Tri, list[LeafResult]]:
    trace: list[LeafResult] = []
    return condition.evaluate(facts, trace), trace
