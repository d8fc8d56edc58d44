"""SEC004 Secret in logs: a value whose name says secret is written to a log or to the output.

What it finds, in Python files: calls to a logger (`logger.info/debug/warning/error/exception/
critical/log`, `logging.info(...)`, `self.log.debug(...)`, `logging.getLogger(...).info(...)`:
a receiver whose name contains the word log, logger or logging), `print`, `sys.stdout.write`,
`sys.stderr.write`, `click.echo`, `typer.echo`, `console.print` and `warnings.warn`, that pass:

- a variable, attribute or call result whose name says secret (`api_key`, `self.password`,
  `settings.broker.token`, `get_api_key()`, `creds`), directly or inside an f-string, a `%` or
  `.format()` template, a concatenation, `str()`/`repr()`, a method call on it (`token.strip()`),
  a container, or the `extra=` mapping;
- a lookup of a secret-named key: `os.environ["TWELVE_DATA_API_KEY"]`, `os.getenv("API_KEY")`,
  `headers["Authorization"]`, a `.get()` of a secret-named key, `getpass.getpass()`;
- a value under a secret-named key of a dict literal (`extra={"token": t}`);
- a value a template labels as a secret (`"password=%s", pw`, `f"api key: {k}"`, `"Bearer %s"`,
  `print("token:", t)`), whatever the variable is called.

The word rules (`secret_names.py`) are about precision: `token_count`, `key_fn`, `sort_key`,
`primary_key`, `public_key`, `max_tokens`, `next_token`, `password_hash`, `api_key_env`,
`monkeypatch` and `keyboard` do not say secret.

Not a leak: what only describes the value (`len(token)`, `bool(token)`, `token is None`,
`not token`, `token.startswith("sk_")`), its first or last 4 characters (`token[:4]`, as SEC001
shows evidence), and a value passed through a redacting function (a name with redact, mask, hash,
sha256, digest, fingerprint, scrub, sanitize...: `redact(token)` from
`trading_core.logging_redaction`, `hashlib.sha256(...)`).

"Without a redaction filter": a call through a logger that this module gives a redaction filter
(`logger.addFilter(SecretRedactionFilter())`, or any filter whose class name says redact or
mask) is not reported, because that filter masks secret-named fields and known secret shapes in
every record of that logger. A filter installed elsewhere (another module, a handler, the root
logger set up at start-up) cannot be seen from here: add it in the module or redact the value.
`print` and the other output calls have no filter.

Severity: medium (blocks in CI, warns in pre-commit): the name says secret, the value is only known
at run time. Accepting a finding: `# nosec` or `# nosec SEC004` on the line (bandit's comment).
Files that do not parse are named in a note.
"""

from __future__ import annotations

from collections import Counter

from droids.core import suppress
from droids.core.checks import CheckOutcome
from droids.core.models import Finding, RuleSpec, Severity, Task, fingerprint
from droids.core.protocol import DroidContext
from droids.core.python_source import python_paths, unparsable_note
from droids.security_compliance.secrets.log_leaks import find_leaks

DROID = "security-compliance"
FIX = (
    "Do not write the value: log that it is set (bool(token)), its length, or redact(token) from "
    "trading_core.logging_redaction; or give this logger the project's filter "
    "(logger.addFilter(SecretRedactionFilter()), trading_core.logging_redaction), which masks secret-named "
    "fields and known secret shapes. If the value is not a secret, rename it, or add '# nosec SEC004' "
    "to the line."
)
SEC004 = RuleSpec(
    id="SEC004",
    droid=DROID,
    severity=Severity.MEDIUM,
    title="Secret written to a log or output",
    description=__doc__ or "",
    fix=FIX,
)
RULES = (SEC004,)
INTENT = ("log", "print", "output", "redaction", "redact", "secret", "leak", "credential", "password", "token")


def applies(task: Task) -> bool:
    """Runs whenever the task covers Python files, in every mode."""
    return bool(python_paths(task))


def run(task: Task, ctx: DroidContext) -> CheckOutcome:
    findings: list[Finding] = []
    unparsable: list[str] = []
    accepted = files = 0
    for module in ctx.workspace(task).python_modules(python_paths(task), unparsable):
        files += 1
        seen: Counter[str] = Counter()
        for leak in find_leaks(module.tree):
            if suppress.accepted_lines(module.lines, leak.line, leak.end_line, SEC004.id):
                accepted += 1
                continue
            key = f"{leak.sink}|{leak.what}"
            seen[key] += 1
            findings.append(
                Finding(
                    rule=SEC004.id,
                    droid=DROID,
                    severity=SEC004.severity,
                    title=SEC004.title,
                    message=f"{leak.what} is passed to {leak.sink}() without redaction",
                    path=module.path,
                    line=leak.line,
                    evidence=leak.what,
                    fingerprint=fingerprint(SEC004.id, module.path, f"{key}#{seen[key]}"),
                    fix=FIX,
                )
            )
    metrics = {"sec004_files": files, "sec004_nosec": accepted}
    return CheckOutcome(findings=findings, notes=unparsable_note(SEC004.id, unparsable), metrics=metrics)
