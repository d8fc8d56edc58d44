"""SEC010 Security anti-pattern (SAST): what bandit finds in Python code, as droid findings.

What it runs: bandit (PyCQA, through its Python API) with all its tests, on the Python files
(`.py`, `.pyw`) of the task: the staged blobs for a pre-commit gate (the index, not the work tree),
the files changed against the base in CI, the given paths, or every tracked Python file for an
audit. It finds shell and command injection (`subprocess` with `shell=True`, `os.system`), SQL
built by string formatting, `eval`/`exec`, unsafe deserialisation (`pickle`, `yaml.load`,
`marshal`), weak hashes and ciphers, disabled TLS verification, requests without timeout, binding
to all interfaces, fixed temporary paths, `assert` used for checks, swallowed exceptions, and more
(https://bandit.readthedocs.io/en/latest/plugins/).

One rule id for all of them: each finding keeps bandit's test in its title (`SEC010 B602
subprocess_popen_with_shell_equals_true`) and in extra fields `bandit_test` (`B602`),
`bandit_name`, `bandit_severity`, `bandit_confidence`, `cwe` and `more_info` (bandit's page for
the test, also named in the fix), and as `subrule`, so a suppression in policies/gates.yaml can
silence one bandit test with its reason (`rule: SEC010/B311`). The fingerprint hashes the test id
and the flagged line's text, so it survives edits elsewhere in the file; for the hard-coded password
tests (B105-B107), whose line holds the password, only an HMAC of the line under the repository's
fingerprint key (droids/core/fingerprint_key.py), so a fingerprint cannot confirm a guessed one.

Severity: bandit's severity, one step lower when bandit's confidence is low:

| bandit severity | confidence high | confidence medium | confidence low |
|---|---|---|---|
| HIGH   | high   | high   | medium |
| MEDIUM | medium | medium | low    |
| LOW    | low    | low    | info   |

So a pre-commit gate (blocks at high) stops on `shell=True` with a built command, a CI gate
(blocks at medium) also on `pickle.loads`, `yaml.load` or SQL built from strings.

Configuration: `[tool.bandit]` in the repository's pyproject.toml, as bandit reads it: `tests`
(run only these), `skips`, `exclude_dirs` (matched against repository-relative paths) and the
plugins' own options. An unknown test id or a malformed section is bad input (exit 2).
Two choices of ours, both documented defaults: bandit's hard-coded password tests B105, B106 and
B107 do not run unless `tests` names them, because SEC001 and SEC003 own hard-coded credentials
(with placeholder and digest filters, so no double report); and B101 (`assert` used) is not
reported in test code (`tests/`, `test_*.py`, `*_test.py`, `conftest.py`), where pytest's asserts
are the point.

Accepting a finding: bandit's `# nosec` (all tests) or `# nosec B602` (that test) on the line,
or ruff's `# noqa: S602` (ruff's flake8-bandit rule S<n> is bandit's test B<n>, so a line already
reviewed for ruff is not reported twice); those are counted in the metrics. Files bandit cannot
parse are named in a note. Results are cached by content, so an unchanged file is analysed once.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

from droids.core.checks import CheckOutcome
from droids.core.fingerprint_key import note_once, run_key
from droids.core.models import Finding, RuleSpec, Severity, Task, fingerprint
from droids.core.protocol import DroidContext
from droids.core.python_source import is_test_path, python_paths

if TYPE_CHECKING:
    from droids.security_compliance.sast.bandit_scan import BanditSettings, RawIssue

DROID = "security-compliance"
PASSWORD_TESTS = frozenset({"B105", "B106", "B107"})  # bandit's hard-coded password tests: the line holds one
SEVERITY = {
    ("HIGH", "HIGH"): Severity.HIGH,
    ("HIGH", "MEDIUM"): Severity.HIGH,
    ("HIGH", "LOW"): Severity.MEDIUM,
    ("MEDIUM", "HIGH"): Severity.MEDIUM,
    ("MEDIUM", "MEDIUM"): Severity.MEDIUM,
    ("MEDIUM", "LOW"): Severity.LOW,
    ("LOW", "HIGH"): Severity.LOW,
    ("LOW", "MEDIUM"): Severity.LOW,
    ("LOW", "LOW"): Severity.INFO,
}
_NOQA = re.compile(r"#\s*noqa:\s*([A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*)", re.IGNORECASE)
HINTS = {
    "B602": "Pass the command as a list and drop shell=True: subprocess.run([...], check=True).",
    "B605": "Use subprocess.run([...]) with a list instead of a shell command string.",
    "B603": "Make sure no argument comes from untrusted input.",
    "B607": "Call the executable by its full path, or make sure PATH is trusted.",
    "B404": "Review how the subprocess calls in this module build their commands.",
    "B301": "Do not unpickle data that may come from outside; use JSON or a signed format.",
    "B403": "Do not unpickle data that may come from outside; use JSON or a signed format.",
    "B506": "Use yaml.safe_load.",
    "B608": "Use a parameterised query: cursor.execute(sql, params), never string formatting.",
    "B324": "Use SHA-256 or better, or pass usedforsecurity=False for a non-security checksum.",
    "B311": "Use the secrets module for tokens and keys; random is fine for simulations.",
    "B110": "Log or handle the exception instead of ignoring it.",
    "B112": "Log or handle the exception instead of ignoring it.",
    "B113": "Pass timeout= to every requests call.",
    "B501": "Keep certificate verification on (verify=True).",
    "B104": "Bind to 127.0.0.1 unless the service must be reachable from other hosts.",
    "B108": "Use tempfile (mkstemp, TemporaryDirectory) instead of a fixed temporary path.",
    "B307": "Use ast.literal_eval, or parse the input explicitly.",
    "B101": "Raise an exception for checks that must hold at run time: asserts vanish under python -O.",
}
SEC010 = RuleSpec(
    id="SEC010",
    droid=DROID,
    severity=Severity.HIGH,
    title="Security anti-pattern (SAST)",
    description=__doc__ or "",
    fix="Follow the advice on bandit's page for the test (named in each finding), or add '# nosec <test id>'.",
)
RULES = (SEC010,)


INTENT = (
    "sast", "bandit", "vulnerability", "vulnerable", "injection", "insecure", "unsafe", "exploit", "cwe",
    "eval", "pickle", "subprocess", "shell", "sql", "yaml load", "static analysis",
)  # fmt: skip


def applies(task: Task) -> bool:
    """Runs in every mode whenever the task covers Python files."""
    return bool(python_paths(task))


def run(task: Task, ctx: DroidContext) -> CheckOutcome:
    from droids.security_compliance.sast.bandit_scan import load_settings
    from droids.security_compliance.sast.results import analyse

    settings = load_settings(task.repo)
    files, excluded = _files(task, ctx, settings)
    results = analyse(files, settings, ctx.cache_dir(DROID))
    contents = dict(files)
    findings: list[Finding] = []
    asserts_in_tests = ruff_noqa = 0
    seen: Counter[str] = Counter()
    for issue in results.issues:
        if issue.test_id == "B101" and is_test_path(issue.path):
            asserts_in_tests += 1
            continue
        code = _line(contents[issue.path], issue.line)
        if _ruff_accepts(code, issue.test_id):
            ruff_noqa += 1
            continue
        seen[f"{issue.path}|{issue.test_id}|{code}"] += 1
        stated = run_key(ctx.workspace(task)).keyed(code) if issue.test_id in PASSWORD_TESTS else code
        occurrence = f"{issue.test_id}|{stated}#{seen[f'{issue.path}|{issue.test_id}|{code}']}"
        findings.append(_finding(issue, fingerprint(SEC010.id, issue.path, occurrence)))
    notes = list(results.notes)
    if any(issue.test_id in PASSWORD_TESTS for issue in results.issues):
        notes += note_once(ctx.workspace(task))
    if results.skipped:
        shown = ", ".join(f"{p} ({r})" for p, r in sorted(results.skipped.items())[:5])
        notes.append(f"SEC010: bandit could not analyse {len(results.skipped)} Python file(s): {shown}")
    metrics = {
        "sec010_files": len(files),
        "sec010_cache_hits": results.cache_hits,
        "sec010_excluded": excluded,
        "sec010_nosec": results.nosec + ruff_noqa,
        "sec010_asserts_in_tests": asserts_in_tests,
    }
    return CheckOutcome(findings=findings, notes=notes, metrics=metrics)


def _files(task: Task, ctx: DroidContext, settings: BanditSettings) -> tuple[list[tuple[str, bytes]], int]:
    files, excluded = [], 0
    for path, content in ctx.workspace(task).contents(python_paths(task)):
        if settings.excludes(path):
            excluded += 1
        else:
            files.append((path, content))
    return files, excluded


def _ruff_accepts(line: str, test_id: str) -> bool:
    """`# noqa: S608` accepts B608: ruff's flake8-bandit rule S<n> is bandit's B<n>."""
    codes = {c for match in _NOQA.finditer(line) for c in re.split(r"[\s,]+", match.group(1))}
    return f"S{test_id[1:]}" in codes


def _line(content: bytes, number: int) -> str:
    lines = content.decode("utf-8", "replace").splitlines()
    return " ".join(lines[number - 1].split()) if 0 < number <= len(lines) else ""


def _finding(issue: RawIssue, stable_id: str) -> Finding:
    severity = SEVERITY.get((issue.severity, issue.confidence), Severity.INFO)
    cwe = f"CWE-{issue.cwe}" if issue.cwe else None
    hint = HINTS.get(issue.test_id, "Review the flagged code.")
    return Finding(
        rule=SEC010.id,
        droid=DROID,
        severity=severity,
        title=f"{SEC010.title}: {issue.test_id} {issue.test_name}",
        message=(
            f"{issue.text} (bandit {issue.test_id}, severity {issue.severity.lower()}, "
            f"confidence {issue.confidence.lower()}{', ' + cwe if cwe else ''})"
        ),
        path=issue.path,
        line=issue.line,
        evidence=f"{issue.test_id} {issue.test_name}",
        fingerprint=stable_id,
        fix=f"{hint} See {issue.more_info}. If the code is safe here, add '# nosec {issue.test_id}' with a reason.",
        subrule=issue.test_id,  # suppressions may name SEC010/<test id>
        bandit_test=issue.test_id,
        bandit_name=issue.test_name,
        bandit_severity=issue.severity,
        bandit_confidence=issue.confidence,
        cwe=cwe,
        more_info=issue.more_info,
    )
