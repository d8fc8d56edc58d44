"""JSON Schema validation of workflows and compose files with check-jsonschema's vendored schemas.

What runs: check-jsonschema's own pieces, in process: its builtin schema loader
(`vendor.github-workflows`, `vendor.compose-spec`, the schemas it vendors from SchemaStore and the
compose-spec project), its validator set-up (format checks, ECMAScript regexes through regress) and
its YAML parser (ruamel, YAML 1.2: `on:` is the string "on", as GitHub reads it, where YAML 1.1
would read `true`). So each file is judged exactly as `check-jsonschema --builtin-schema ...` would
judge it, without a process per file. Like the CLI's report, an error under `anyOf`/`oneOf` is shown
by its best deep match.

Messages never quote a value: jsonschema's messages start with the instance (`'hunter2' is not of
type ...`), which may be a secret in a compose `environment:`. The instance is replaced by its kind
("a string", "a mapping"); key names and the schema's own words stay.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable

    from droids.core.models import Finding, RuleSpec, Task
    from droids.core.protocol import DroidContext

WORKFLOWS = "vendor.github-workflows"
COMPOSE = "vendor.compose-spec"
_EXTRA_KEYS = ("additionalProperties", "unevaluatedProperties")
_UNEXPECTED = re.compile(r"'([^']+)'(?=[,)]| was| were)")
_KINDS = {str: "a string", bool: "a boolean", int: "a number", float: "a number", dict: "a mapping", list: "a list"}


@dataclass(frozen=True)
class SchemaError:
    """One schema problem: where (key path), the schema keyword that failed (the subrule), what."""

    path: tuple[str, ...]
    keyword: str
    message: str


class NotParsable(ValueError):
    """check-jsonschema's parser could not read the file."""


def validate(schema: str, name: str, content: bytes) -> list[SchemaError]:
    """The schema errors of one file (`name` only picks the parser: .yml/.yaml/.json)."""
    from check_jsonschema.parsers import ParseError
    from check_jsonschema.reporter import find_best_deep_match

    _, parsers = _tools(schema)
    try:
        data = parsers.parse_data_with_path(content, name, "yaml")
    except ParseError as exc:
        raise NotParsable(str(exc.__cause__ or exc)) from None
    validator = _validator(schema)
    out = []
    for error in validator.iter_errors(data):
        deep = find_best_deep_match(error) if error.context else error
        path = tuple(str(p) for p in deep.absolute_path)
        unexpected = _UNEXPECTED.findall(str(deep.message)) if deep.validator in _EXTRA_KEYS else []
        if len(unexpected) == 1:  # point at the misspelt key itself, not at its parent
            path = (*path, unexpected[0])
        out.append(SchemaError(path, str(deep.validator), _without_value(deep)))
    return sorted(_explained(out), key=lambda e: e.path)


def schema_findings(
    rule: RuleSpec, schema: str, task: Task, ctx: DroidContext, paths: Iterable[str], parser: str
) -> list[Finding]:
    """A finding per schema error of each of `paths` (OPS002, OPS010): the key, its line, the failing
    keyword as the subrule; a file the schema's parser cannot read is one finding naming `parser`."""
    from droids.devops.common import dotted, finding, line, yaml_doc

    findings = []
    for path, content in ctx.workspace(task).contents(paths):
        doc = yaml_doc(task, ctx, path)  # bad YAML: one line naming the line, before the schema runs
        try:
            errors = validate(schema, path, content)
        except NotParsable as exc:
            findings.append(finding(rule, path, 1, f"not readable as {parser}: {exc}", identity="parse"))
            continue
        for error in errors:
            key = dotted(error.path) or "(top level)"
            findings.append(
                finding(
                    rule,
                    path,
                    line(doc, error.path) if doc is not None else None,
                    f"{key}: {error.message} (schema keyword {error.keyword})",
                    identity=f"{key}|{error.keyword}|{error.message}",
                    evidence=key,
                    subrule=error.keyword,
                )
            )
    return findings


def _explained(errors: list[SchemaError]) -> list[SchemaError]:
    """Without an `unevaluatedProperties` error whose mapping has a deeper error of its own: that
    deeper error is why the schema did not evaluate the key (compose-spec names a valid `ports:` as
    unexpected when one of its items is wrong)."""
    return [
        e
        for e in errors
        if e.keyword != "unevaluatedProperties"
        or not any(len(o.path) > len(e.path) and o.path[: len(e.path)] == e.path for o in errors)
    ]


@lru_cache(maxsize=4)
def _tools(schema: str) -> tuple[Any, Any]:
    from check_jsonschema.parsers import ParserSet
    from check_jsonschema.schema_loader import BuiltinSchemaLoader

    return BuiltinSchemaLoader(schema), ParserSet()


@lru_cache(maxsize=4)
def _validator(schema: str) -> Any:
    from check_jsonschema.formats import FormatOptions
    from check_jsonschema.regex_variants import RegexImplementation, RegexVariantName

    loader, _ = _tools(schema)
    regex = RegexImplementation(RegexVariantName.default)
    return loader.get_validator("", {}, FormatOptions(regex_impl=regex), regex, False)


def _without_value(error: Any) -> str:
    """jsonschema's message with the instance's value replaced by its kind."""
    message = str(error.message)
    shown = repr(error.instance)
    kind = _KINDS.get(type(error.instance), "the value")
    if message.startswith(shown):
        return kind + message[len(shown) :]
    if isinstance(error.instance, str) and len(error.instance) >= 4 and shown in message:
        return message.replace(shown, kind)
    return message
