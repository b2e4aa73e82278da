"""Reading untrusted YAML and JSON documents safely, remembering where each value was.

Case files come from clinicians and from the network; rule packs come from
contributors. Both pass through here. The reader refuses what a safe parser
should: anchors and aliases (the "billion laughs" bomb), any tag outside plain
YAML, duplicate keys, binary or non-UTF-8 bytes, empty and oversized documents.
It keeps a map from each value's path to its line so errors can point at it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .errors import TightropeError

MAX_DOCUMENT_BYTES = 256 * 1024
"""A case is a few hundred bytes and the largest rule pack a few tens of kilobytes."""

PathKey = tuple[str | int, ...]


@dataclass(frozen=True)
class Document:
    """Parsed data plus the line (1-based) where each path starts, when known."""

    data: Any
    lines: dict[PathKey, int]

    def line_of(self, path: PathKey) -> int | None:
        # Fall back to the nearest enclosing value that has a line.
        probe = tuple(path)
        while probe:
            if probe in self.lines:
                return self.lines[probe]
            probe = probe[:-1]
        return self.lines.get((), None)


ErrorFactory = Callable[[str, str, str, int | None, str], TightropeError]


def format_path(path: PathKey) -> str:
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


class _PureSafeLoader(yaml.SafeLoader):
    """Pure-Python fallback: refuses aliases as soon as the parser meets one."""

    def compose_node(self, parent: Node | None, index: object) -> Node | None:
        if self.check_event(AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise _Refused("yaml-alias", "YAML aliases (*name) are not accepted",
                           event.start_mark.line + 1, "write each value out in full")
        return Composer.compose_node(self, parent, index)  # type: ignore[arg-type]


# libyaml parses several times faster; aliases then show up as a node reached
# twice, which _index_lines refuses before anything is constructed, so an alias
# bomb never expands.
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", _PureSafeLoader)


class _Refused(Exception):
    def __init__(self, code: str, message: str, line: int | None, hint: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.line = line
        self.hint = hint


_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
}


def _index_lines(node: Node, path: PathKey, lines: dict[PathKey, int],
                 seen: set[int] | None = None) -> None:
    seen = set() if seen is None else seen
    if isinstance(node, MappingNode | SequenceNode) or node.tag != "tag:yaml.org,2002:null":
        if id(node) in seen:
            raise _Refused("yaml-alias", "YAML aliases (*name) are not accepted",
                           node.start_mark.line + 1, "write each value out in full")
        seen.add(id(node))
    lines[path] = node.start_mark.line + 1
    if node.tag not in _PLAIN_TAGS:
        raise _Refused(
            "yaml-tag",
            f"the tag {node.tag!r} is not accepted",
            node.start_mark.line + 1,
            "use plain values: text, numbers, true/false, dates, lists and mappings",
        )
    if isinstance(node, MappingNode):
        keys_seen: dict[object, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise _Refused("yaml-key", "keys must be plain words",
                               key_node.start_mark.line + 1)
            key = key_node.value
            here = key_node.start_mark.line + 1
            if key in keys_seen:
                raise _Refused(
                    "duplicate-key",
                    f"the key {key!r} appears twice (lines {keys_seen[key]} and {here})",
                    here,
                    "keep one of them",
                )
            keys_seen[key] = here
            _index_lines(value_node, (*path, key), lines, seen)
    elif isinstance(node, SequenceNode):
        for position, item in enumerate(node.value):
            _index_lines(item, (*path, position), lines, seen)


def _json_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _Refused("duplicate-key", f"the key {key!r} appears twice", None, "keep one")
        result[key] = value
    return result


def _decode(raw: bytes | str) -> str:
    if isinstance(raw, str):
        text = raw
        size = len(raw.encode("utf-8", errors="surrogatepass"))
    else:
        size = len(raw)
        if b"\x00" in raw:
            raise _Refused("binary-file", "this is a binary file, not YAML or JSON text", None,
                           "give a .yaml or .json case file")
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise _Refused("not-utf8", f"the bytes are not UTF-8 text (at byte {exc.start})",
                           None, "save the file as UTF-8") from None
    if size > MAX_DOCUMENT_BYTES:
        raise _Refused("too-large",
                       f"the document is {size:,} bytes; the limit is {MAX_DOCUMENT_BYTES:,}",
                       None, "a case file is a short YAML or JSON document")
    if "\x00" in text:
        raise _Refused("binary-file", "this is a binary file, not YAML or JSON text", None)
    if not text.strip():
        raise _Refused("empty-file", "the document is empty", None,
                       "a case needs at least format, practitioner, professional and other")
    return text


def parse_document(raw: bytes | str, *, source: str, make_error: ErrorFactory) -> Document:
    """Parse YAML or JSON text into plain data plus a line map.

    ``make_error(code, message, path, line, hint)`` builds the error to raise, so
    case files and rule packs keep their own error classes.
    """
    try:
        text = _decode(raw)
        stripped = text.lstrip()
        if stripped.startswith(("{", "[")) and not source.endswith((".yaml", ".yml")):
            try:
                data = json.loads(text, object_pairs_hook=_json_pairs)
            except json.JSONDecodeError as exc:
                raise _Refused("syntax", f"this is not valid JSON: {exc.msg}", exc.lineno,
                               "check brackets, commas and quotes") from None
            return Document(data=data, lines={})
        loader = _SafeLoader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                raise _Refused("empty-file", "the document is empty", None)
            lines: dict[PathKey, int] = {}
            _index_lines(node, (), lines)
            data = loader.construct_document(node)
        finally:
            loader.dispose()
        return Document(data=data, lines=lines)
    except _Refused as refused:
        raise make_error(refused.code, refused.message, "", refused.line, refused.hint) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        what = exc.problem or exc.context or "cannot be read"
        raise make_error("syntax", f"this is not valid YAML: {what}", "", line,
                         "check indentation and quoting") from None
    except yaml.YAMLError as exc:
        raise make_error("syntax", f"this is not valid YAML: {exc}", "", None, "") from None
    except (ValueError, OverflowError) as exc:
        # e.g. a timestamp that matches the pattern but is no real date (2023-02-30)
        raise make_error("bad-date", f"a value could not be read: {exc}", "", None,
                         "dates are written YYYY-MM-DD") from None
    except RecursionError:
        raise make_error("too-deep", "the document is nested too deeply", "", None, "") from None
