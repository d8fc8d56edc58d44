"""Run bandit over (path, bytes) pairs through its Python API and return plain issue records.

bandit reads files by name, so the contents (index blobs for a staged gate, files otherwise) are
written to a temporary folder under their repository-relative paths and bandit runs on those: it
sees exactly the bytes the gate judges, and its findings map back by path. Its own logging (and its
progress bar) is kept off the user's terminal; what it could not scan comes back as `skipped`.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import tomllib
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from droids.core.errors import DroidError

# bandit's hard-coded password tests: SEC001 (secret scanner) and SEC003 (literal settings) own
# that ground, with placeholder and digest filters; run them only when [tool.bandit] asks for them.
DEFERRED_TESTS = frozenset({"B105", "B106", "B107"})


@dataclass(frozen=True)
class RawIssue:
    """One bandit result, as plain data (what the cache stores)."""

    path: str
    line: int
    test_id: str
    test_name: str
    severity: str
    confidence: str
    text: str
    cwe: int | None
    more_info: str


@dataclass
class BanditOutcome:
    issues: list[RawIssue] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)  # path -> reason
    nosec: dict[str, int] = field(default_factory=dict)  # path -> results `# nosec` accepted


@dataclass(frozen=True)
class BanditSettings:
    """What decides a scan's results besides the bytes: bandit's version and the profile."""

    include: frozenset[str]
    exclude: frozenset[str]
    exclude_dirs: tuple[str, ...]
    config_file: str | None  # pyproject.toml when it has [tool.bandit] (plugin options live there too)
    config_digest: str = ""

    def key(self) -> str:
        from importlib.metadata import version

        data = [version("bandit"), sorted(self.include), sorted(self.exclude), self.config_digest]
        return "sec010/1;" + hashlib.sha256(json.dumps(data).encode()).hexdigest()[:24]

    def excludes(self, path: str) -> bool:
        """bandit's `exclude_dirs`, matched against the repository-relative path."""
        return any(path == d or path.startswith(d.rstrip("/") + "/") for d in self.exclude_dirs)


def load_settings(repo: Path) -> BanditSettings:
    """`[tool.bandit]` of the repository's pyproject.toml (tests, skips, exclude_dirs), if any."""
    extension_loader = _bandit_core().extension_loader
    pyproject = repo / "pyproject.toml"
    section: dict[str, Any] = {}
    if pyproject.is_file():
        try:
            section = tomllib.loads(pyproject.read_text("utf-8")).get("tool", {}).get("bandit", {})
        except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as exc:
            raise DroidError(f"pyproject.toml: cannot read [tool.bandit]: {exc}") from None
    include, exclude = _ids(section, "tests"), _ids(section, "skips")
    for test in sorted(include | exclude):
        if not extension_loader.MANAGER.check_id(test):
            raise DroidError(f"pyproject.toml: [tool.bandit]: unknown bandit test id {test!r} (expected e.g. B602)")
    dirs = section.get("exclude_dirs", [])
    if not isinstance(dirs, list) or not all(isinstance(d, str) for d in dirs):
        raise DroidError("pyproject.toml: [tool.bandit] exclude_dirs: expected a list of folder paths")
    deferred = DEFERRED_TESTS - include
    return BanditSettings(
        include=include,
        exclude=exclude | (frozenset() if include else deferred),
        exclude_dirs=tuple(d.removeprefix("./").rstrip("/") for d in dirs),
        config_file=str(pyproject) if section else None,
        config_digest=hashlib.sha256(json.dumps(section, sort_keys=True, default=str).encode()).hexdigest(),
    )


def _ids(section: dict[str, Any], key: str) -> frozenset[str]:
    value = section.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DroidError(f"pyproject.toml: [tool.bandit] {key}: expected a list of bandit test ids such as 'B101'")
    return frozenset(value)


def scan(files: Sequence[tuple[str, bytes]], settings: BanditSettings) -> BanditOutcome:
    """bandit's results for each (repository-relative path, content) pair."""
    core = _bandit_core()
    config, docs_utils, manager, utils = core.config, core.docs_utils, core.manager, core.utils
    outcome = BanditOutcome()
    if not files:
        return outcome
    # bandit reads each file from memory (its `_parse_file` takes a file object): no copy of staged
    # content is ever written to disk, where a killed run would leave it readable.
    with _quiet_bandit():
        by_name = {rel: rel for rel, _ in files}
        contents = dict(files)
        profile = {"include": set(settings.include), "exclude": set(settings.exclude)}
        try:
            bandit_config = config.BanditConfig(settings.config_file)
        except utils.ConfigError as exc:
            raise DroidError(f"pyproject.toml: [tool.bandit]: {exc.message.split(' : ', 1)[-1]}") from None
        bandit = manager.BanditManager(bandit_config, "file", quiet=True, profile=profile)
        names = sorted(by_name)
        parsed = list(names)  # bandit removes the files it cannot parse from this list
        for name in names:
            bandit._parse_file(name, io.BytesIO(contents[name]), parsed)
        bandit.files_list = parsed
        bandit.metrics.aggregate()
        for issue in bandit.get_issue_list():
            outcome.issues.append(
                RawIssue(
                    path=by_name[issue.fname],
                    line=int(issue.lineno),
                    test_id=issue.test_id,
                    test_name=issue.test,
                    severity=issue.severity,
                    confidence=issue.confidence,
                    text=_without_value(issue.test_id, issue.text),
                    cwe=issue.cwe.id or None,
                    more_info=docs_utils.get_url(issue.test_id),
                )
            )
        outcome.skipped = {by_name.get(str(name), str(name)): reason for name, reason in bandit.get_skipped()}
        for name, rel in by_name.items():
            counts = bandit.metrics.data.get(name, {})
            outcome.nosec[rel] = int(counts.get("nosec", 0)) + int(counts.get("skipped_tests", 0))
    return outcome


def _without_value(test_id: str, text: str) -> str:
    """bandit's password tests quote the value ("Possible hardcoded password: '...'"): keep it out of
    findings and of the cache."""
    if test_id in DEFERRED_TESTS and ":" in text:
        return text.split(":", 1)[0] + " (value not shown)"
    return text


def _bandit_core() -> Any:
    """bandit's core modules; its plugin loading warns about a deprecated stevedore argument."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import bandit.core.config
        import bandit.core.docs_utils
        import bandit.core.extension_loader
        import bandit.core.manager
        import bandit.core.utils

    return bandit.core


@contextmanager
def _quiet_bandit() -> Iterator[None]:
    """Keep bandit's log lines and progress bar off the terminal for the duration of a scan."""
    log = logging.getLogger("bandit")
    saved = (log.level, log.propagate, list(log.handlers))
    log.setLevel(logging.CRITICAL)
    log.propagate = False
    log.handlers = [logging.NullHandler()]
    try:
        yield
    finally:
        log.setLevel(saved[0])
        log.propagate = saved[1]
        log.handlers = saved[2]
