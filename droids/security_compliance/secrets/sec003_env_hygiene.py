"""SEC003 .env hygiene: credentials live in git-ignored `.env` files and reach code through the
environment, never through git or literals.

What it checks:

1. **Env files stay out of git.** An env file is `.env` or `.env.<anything>` (also `.env-x`,
   `.env_x`) in any folder; `.envrc` (direnv's script) is not one. Example files, whose name ends
   in `.example`, `.sample` or `.template` (`.env.example`), are meant to be committed.
   - An env file that is staged (pre-commit), changed in CI, or tracked (audit) is reported at its
     path, high: ignoring a tracked file does nothing, it must leave the index (`git rm --cached`).
   - An env file given as a path that no ignore rule matches, and in an audit every untracked env
     file in the work tree that no ignore rule matches, is reported, medium: one `git add -A` away.
   - In an audit, and in a gate that changes a `.gitignore`, the repository's ignore rules must
     ignore a `.env` at the top level (`git check-ignore --no-index .env`); if not, `.gitignore`
     is reported, low.
2. **Example files hold placeholders only.** In an example env file, a key whose name says secret
   (`API_KEY`, `BROKER_PASSWORD`, `STRIPE_KEY`; in env files any name ending in `KEY` except
   `PUBLIC_KEY`-like ones) must have an empty value or a placeholder: a reference (`${VAR}`,
   `$VAR`), a marked blank (`<your-key>`, `{key}`, `[key]`, `...` anywhere), or a word SEC001
   treats as a placeholder (`changeme`, `your-api-key-here`, `example`, `xxxx`, `dummy`, `demo`,
   `none`...). Anything else is reported at its line, medium.
3. **Settings come from the environment, not literals** (Python files outside tests: test code
   holds fake credentials on purpose). Reported at the line, medium:
   - a module-level name that says secret assigned a non-empty string (`BROKER_PASSWORD = "..."`);
   - a secret-named field of a pydantic-settings class (a subclass of `BaseSettings`, or of such a
     class in the same module) with a literal default (`api_key: str = "..."`,
     `Field("...")`, `Field(default="...")`, `SecretStr("...")`);
   - a literal fallback for a secret environment variable: `os.getenv("API_KEY", "...")`,
     `os.environ.get(...)`, `os.environ.setdefault(...)`.
   A string that is itself a name is no value: an environment variable's name
   (`API_KEY_VAR = "TWELVE_DATA_API_KEY"`) or a secret-named word (`AUTH_HEADER = "Authorization"`).

Boundary with SEC001: SEC001 reports a secret wherever it is written; SEC003 does not report a
line on which SEC001's engine finds a secret (that finding already says "hard-coded secret"),
so parts 2 and 3 catch what looks too plain for a secret scanner (a broker password constant set
to a plain word, a short or sequential value) but is still a credential in code or in an example file.

Accepting a finding: `# nosec` / `# nosec SEC003` or SEC001's `# pragma: allowlist secret` on the
line (or `# pragma: allowlist nextline secret` above it). Outside a git repository part 1 cannot be
checked, and the report says so.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from droids.core import git, suppress
from droids.core.checks import CheckOutcome
from droids.core.models import Finding, RuleSpec, Severity, Task, fingerprint
from droids.core.protocol import DroidContext
from droids.core.python_source import (
    is_test_path,
    python_paths,
    unparsable_note,
)
from droids.core.workspace import Workspace
from droids.security_compliance.secrets import env_files
from droids.security_compliance.secrets.settings_literals import find_literal_settings

DROID = "security-compliance"
FIX_UNTRACK = (
    "Take the file out of git and keep it local: `git rm --cached <file>`, add `.env` and `.env.*` (with "
    "`!.env.example`) to .gitignore, commit a `.env.example` with placeholders instead, and rotate every "
    "credential the file held: it stays in git history."
)
FIX_IGNORE = "Add these lines to .gitignore: `.env`, `.env.*`, `!.env.example`, `!.env.sample`, `!.env.template`."
FIX_EXAMPLE = (
    "Replace the value with a placeholder (`API_KEY=` or `API_KEY=<your-twelve-data-key>`); if it was a real "
    "credential, rotate it."
)
FIX_SETTING = (
    "Read the value from the environment: a pydantic-settings field without a default "
    "(`api_key: SecretStr`) or `os.environ['API_KEY']`, with the value in a git-ignored .env file; no "
    "literal fallback. If it is not a secret, rename it, or add '# nosec SEC003' to the line."
)
SEC003 = RuleSpec(
    id="SEC003",
    droid=DROID,
    severity=Severity.HIGH,
    title=".env hygiene",
    description=__doc__ or "",
    fix=FIX_UNTRACK,
)
RULES = (SEC003,)
INTENT = ("env", "dotenv", "gitignore", "secret", "credential", "leak", "setting", "password", "key", "token")


def applies(task: Task) -> bool:
    """Always in an audit; in a gate when env files, Python files or a .gitignore change."""
    if task.targets.kind == "tree":
        return True
    return any(env_files.is_env_file(p) or _is_gitignore(p) for p in task.targets.paths) or bool(python_paths(task))


def run(task: Task, ctx: DroidContext) -> CheckOutcome:
    findings: list[Finding] = []
    notes: list[str] = []
    env_paths = [p for p in task.targets.paths if env_files.is_env_file(p) and not env_files.is_example(p)]
    if task.targets.kind in ("staged", "base") or git.toplevel(task.repo) is not None:  # a change is in git
        findings += _committed_or_exposed(task, env_paths)
        if task.targets.kind == "tree" or any(_is_gitignore(p) for p in task.targets.paths):
            findings += _ignore_rules(task)
    elif env_paths or task.targets.kind == "tree":
        notes.append(f"SEC003: {task.repo} is not a git repository; whether env files are ignored was not checked")
    workspace = ctx.workspace(task)
    findings += _examples(workspace, [p for p in task.targets.paths if env_files.is_example(p)])
    unparsable: list[str] = []
    findings += _settings(workspace, unparsable)
    return CheckOutcome(findings=findings, notes=notes + unparsable_note(SEC003.id, unparsable))


def _committed_or_exposed(task: Task, env_paths: list[str]) -> list[Finding]:
    in_index = env_files.tracked(task.repo, env_paths)
    ignored = env_files.ignored(task.repo, env_paths)
    findings = []
    for path in env_paths:
        if path in in_index:
            how = "staged for commit" if task.targets.kind == "staged" else "tracked by git"
            forced = " although an ignore rule matches it (added with --force?)" if path in ignored else ""
            message = f"{path} is {how}{forced}; env files hold credentials and must stay out of git"
            findings.append(_finding(path, None, Severity.HIGH, message, "tracked", FIX_UNTRACK, path))
        elif path not in ignored:
            findings.append(_exposed(path))
    if task.targets.kind == "tree":
        findings += [_exposed(p) for p in env_files.untracked_unignored_env_files(task.repo)]
    return findings


def _exposed(path: str) -> Finding:
    message = f"{path} is not ignored by git: `git add -A` would commit it"
    return _finding(path, None, Severity.MEDIUM, message, "not-ignored", FIX_IGNORE, path)


def _ignore_rules(task: Task) -> list[Finding]:
    if env_files.ignored(task.repo, [".env"]):
        return []
    message = "the repository's ignore rules do not ignore .env: a local .env with credentials would be committed"
    return [_finding(".gitignore", None, Severity.LOW, message, "gitignore", FIX_IGNORE, ".gitignore")]


def _examples(workspace: Workspace, paths: list[str]) -> list[Finding]:
    findings = []
    for path, content in workspace.contents(paths):
        text = content.decode("utf-8", "replace")
        candidates = env_files.real_values(text)
        if not candidates:
            continue
        lines, reported = text.splitlines(), _sec001_lines(path, content)
        for value in candidates:
            if value.line in reported or _accepted(lines, value.line):
                continue
            message = f"{value.key} in example file {path} has a real-looking value; example files hold placeholders"
            findings.append(
                _finding(path, value.line, Severity.MEDIUM, message, f"example:{value.key}", FIX_EXAMPLE, value.key)
            )
    return findings


def _settings(workspace: Workspace, unparsable: list[str]) -> list[Finding]:
    paths = tuple(p for p in python_paths(workspace.task) if not is_test_path(p))
    findings = []
    for module in workspace.python_modules(paths, unparsable):
        candidates = [s for s in find_literal_settings(module.tree) if not _accepted(module.lines, s.line)]
        if not candidates:
            continue
        reported = _sec001_lines(module.path, module.content)
        for setting in candidates:
            if setting.line in reported:
                continue
            message = f"{setting.name}: {setting.where} holds a string literal; settings come from the environment"
            key = f"setting:{setting.where}:{setting.name}"
            findings.append(
                _finding(module.path, setting.line, Severity.MEDIUM, message, key, FIX_SETTING, setting.name)
            )
    return findings


def _sec001_lines(path: str, content: bytes) -> set[int]:
    """Lines on which SEC001's engine reports a secret: SEC001 owns those."""
    from droids.security_compliance.secrets.runner import scan_content

    return {hit.line for hit in scan_content(path, content).hits}


def _accepted(lines: list[str], line: int) -> bool:
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    return suppress.allowlisted(lines, line) or suppress.accepts(text, SEC003.id)


def _is_gitignore(path: str) -> bool:
    return PurePosixPath(path).name == ".gitignore"


def _finding(path: str, line: int | None, severity: Severity, message: str, what: str, fix: str, name: str) -> Finding:
    return Finding(
        rule=SEC003.id,
        droid=DROID,
        severity=severity,
        title=SEC003.title,
        message=message,
        path=path,
        line=line,
        evidence=f"{name}=****" if what.startswith(("example:", "setting:")) else None,
        fingerprint=fingerprint(SEC003.id, path, what),
        fix=fix,
    )
