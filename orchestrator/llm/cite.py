"""The model's answer may cite only what exists: rule ids, paths and fingerprints it was shown.

`Evidence` gathers what the question's report and every tool result held (after redaction: what
the model saw). `unknown_citations` lists what an answer cites that is not there:
- a rule id (`SEC001`, `APX003`) that no droid registers and no result named;
- a fingerprint (`sha256:` and at least 8 hex digits, a prefix is enough) of no finding shown;
- a file path (a name with a known file extension, or a dotfile such as `.env`, with or without
  folders and `:line`) that no result named and that is not a file or folder of the repository.
An answer with any of them is replaced by droid's own (answer.py), with one line saying which; so
is an answer that states a verdict ("verdict: pass") other than the one code computed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

RULE_ID = re.compile(r"\b[A-Z]{2,5}\d{3}\b")
VERDICT = re.compile(r"\bverdict\b\W{0,3}(?:is\s+)?\W{0,3}(pass|warn|block)\b", re.IGNORECASE)
FINGERPRINT = re.compile(r"\bsha256:([0-9a-f]{8,64})\b")
_EXTENSIONS = (
    "py|pyi|yaml|yml|json|jsonl|ndjson|toml|csv|parquet|md|txt|ini|cfg|conf|env|sh|sql|ipynb|lock|html|sarif|"
    "js|ts|go|tf|onnx|db|sqlite|log|xml|example|sample|template"
)
# Not inside a longer token (a URL, a module path, a number, an e-mail address): the character before
# may not be a word character, "/", ".", ":", "-" or "@".
PATH = re.compile(
    rf"(?<![\w/.:@-])((?:[\w.-]+/)*(?:[\w-][\w.-]*\.(?:{_EXTENSIONS})|\.[A-Za-z][\w-]*(?:\.[\w-]+)*))(?::\d+)?(?![\w/])"
)


@dataclass
class Evidence:
    rules: set[str] = field(default_factory=set)
    fingerprints: set[str] = field(default_factory=set)
    paths: set[str] = field(default_factory=set)

    def add(self, value: Any) -> None:
        """Remember every rule id, fingerprint and path in a JSON-like value (keys included)."""
        for text in _strings(value):
            self.rules.update(RULE_ID.findall(text))
            self.fingerprints.update(FINGERPRINT.findall(text))
            self.paths.update(m.group(1) for m in PATH.finditer(text))
            if "/" in text and " " not in text and len(text) < 400:  # a folder or file named as a whole
                self.paths.add(text.rstrip("/"))


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def unknown_citations(answer: str, evidence: Evidence, known_rules: set[str], repo: Path) -> list[str]:
    """What `answer` cites that exists nowhere, in the order it appears (each once)."""
    unknown: list[str] = []
    for rule in RULE_ID.findall(answer):
        if rule not in known_rules and rule not in evidence.rules:
            unknown.append(rule)
    for digest in FINGERPRINT.findall(answer):
        if not any(fp.startswith(digest) for fp in evidence.fingerprints):
            unknown.append(f"sha256:{digest}")
    for match in PATH.finditer(answer):
        if not _path_known(match.group(1), evidence.paths, repo):
            unknown.append(match.group(1))
    return list(dict.fromkeys(unknown))


def _path_known(path: str, shown: set[str], repo: Path) -> bool:
    if path in shown or any(p.endswith("/" + path) for p in shown):
        return True
    target = (repo / path).resolve()
    return target.is_relative_to(repo.resolve()) and target.exists()


def other_verdict(answer: str, verdict: str) -> str | None:
    """A verdict the answer states that is not code's, or None."""
    return next((v.lower() for v in VERDICT.findall(answer) if v.lower() != verdict), None)
