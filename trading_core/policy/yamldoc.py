"""YAML documents with line numbers: the one YAML parser of every layer (policy files, cards, SEC020).

`parse` reads one document once and keeps both its data and its node tree, so an error or a finding
can name the line of a key (`line_of`). For comparing two versions of a document, it is flattened
to leaves: key path -> scalar (mapping keys and list indexes as strings).

A document is flattened to leaves: key path -> scalar (mapping keys and list indexes as strings).
An empty mapping or list is a leaf of its own, so adding `{}` is a change too. Comments, key order
and formatting are not values: a change to them changes no leaf.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
KeyPath = tuple[str, ...]  # a key's place in a document: mapping keys and list indexes as strings
ABSENT: Any = type("Absent", (), {"__repr__": lambda self: "ABSENT"})()  # the side where a key is missing


class NotYaml(ValueError):
    """The text is not one YAML document; the message says where ("line N: problem")."""

    def __init__(self, problem: str, line: int | None = None) -> None:
        super().__init__(f"line {line}: {problem}" if line is not None else problem)
        self.problem = problem
        self.line = line


@dataclass(frozen=True)
class YamlDoc:
    data: Any
    node: yaml.Node | None


def parse(text: str) -> YamlDoc:
    """One YAML document (data and nodes); `NotYaml` names the line of a syntax error."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise NotYaml(str(exc.problem or exc.context), mark.line + 1 if mark is not None else None) from None
    except yaml.YAMLError as exc:
        raise NotYaml(str(exc)) from None
    finally:
        loader.dispose()
    return YamlDoc(data, node)


def leaves(data: Any, prefix: KeyPath = ()) -> Iterator[tuple[KeyPath, Any]]:
    if isinstance(data, dict) and data:
        for key, value in data.items():
            yield from leaves(value, (*prefix, str(key)))
    elif isinstance(data, list) and data:
        for index, value in enumerate(data):
            yield from leaves(value, (*prefix, str(index)))
    else:
        yield prefix, data


def changed_values(before: Any, after: Any) -> dict[KeyPath, tuple[Any, Any]]:
    """Key path -> (old, new) for every value added, removed (ABSENT on that side) or changed, sorted."""
    old = dict(leaves(before)) if before is not None else {}  # an empty document holds no values
    new = dict(leaves(after)) if after is not None else {}
    pairs = ((p, old.get(p, ABSENT), new.get(p, ABSENT)) for p in sorted(old.keys() | new.keys()))
    return {p: (a, b) for p, a, b in pairs if _differs(a, b)}


def changed_leaves(before: Any, after: Any) -> list[KeyPath]:
    """Key paths whose value was added, removed or changed between two documents, sorted."""
    return list(changed_values(before, after))


def _differs(a: Any, b: Any) -> bool:
    # 1 == True and 1 == 1.0 in Python; in a policy they are different values
    return type(a) is not type(b) or a != b


def line_of(node: yaml.Node | None, path: KeyPath) -> int | None:
    """1-based line of the deepest key of `path` present in the document (None for an empty one)."""
    if node is None:
        return None
    line = node.start_mark.line + 1
    for part in path:
        if isinstance(node, yaml.MappingNode):
            match = [(k, v) for k, v in node.value if str(k.value) == part]
            if not match:
                break
            key_node, node = match[0]
            line = key_node.start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode) and part.isdigit() and int(part) < len(node.value):
            node = node.value[int(part)]
            line = node.start_mark.line + 1
        else:
            break
    return line
