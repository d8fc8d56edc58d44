"""SEC001 Hard-coded secret: a credential written into a file that is (about to be) committed.

What it finds: everything detect-secrets (1.5, default settings) finds, through its Python API:
cloud keys (AWS, Azure storage, IBM), private key blocks, GitHub/GitLab/Slack/Stripe/SendGrid/
PyPI/npm/OpenAI/Discord/Telegram/Twilio/Mailchimp/Square tokens, JWTs, credentials in URLs
(`https://user:pass@host`), values assigned to password/secret/api_key-like names, and
high-entropy quoted strings (base64 and hex), in any text file. YAML and INI-style files
(`.env` included) are also read as key/value pairs, as detect-secrets does.

It adds detectors for what a trading codebase leaks (detect-secrets plugins of its own, run with
detect-secrets' plugins and filters; `detect-secrets scan -p` can load them too):

- Twelve Data API Key: the `apikey=` of a Twelve Data URL (REST or WebSocket), a value assigned to
  a Twelve Data name (`TWELVE_DATA_API_KEY`, `twelvedata_apikey`, also as a `getenv` default), and
  `TDClient(apikey="...")`.
- API Key in URL: any URL query parameter `apikey`, `api_key`, `access_key`, `access_token`,
  `auth_token`, `token`, `key`, `secret` or `client_secret` holding a generated value of 16+
  characters (Alpha Vantage, Polygon, Finnhub and other vendors that take keys in the URL).
- Tradovate Credentials: the `password` and `sec` fields of Tradovate's access-token request
  (JSON, Python, YAML, ...) when `cid`/`appId`/`appVersion`/`deviceId` or the name Tradovate stand
  within five lines, and Tradovate-named secrets (`TRADOVATE_SEC`, `tradovate_api_key`). `name`
  and `cid` identify the account and app; they are not reported.
- Broker Account Password: a literal under a key that names a broker or trading account
  (`broker_password`, `account_password`, `tradovate_password`, `ib_password`,
  `rithmic_password`, `IB_LOGIN_PASSWORD`, ...) in YAML, TOML, INI, .env and code.
- Slack Webhook URL: `hooks.slack.com` incoming-webhook, workflow and trigger URLs.
- Webhook URL Token: the secret part of Discord, Microsoft Teams, Power Automate/Logic Apps,
  Zapier, IFTTT and Google Chat webhook URLs, and of any `https://` URL with a `/hooks/` or
  `/webhooks/` path ending in a generated token of 24+ characters (Mattermost, Rocket.Chat).

These report only values that look real: references (`${BROKER_PASSWORD}`, `!env X`,
`{{ vault_pw }}`, `os.environ[...]`, `apikey={key}`), placeholders (`apikey=demo`, `<your-key>`,
`changeme`, `XXXXXXXX`), slugs and sequences are not secrets. Unlike detect-secrets' own
detectors, a line that also calls a function (`r = requests.get(".../time_series?apikey=...")`,
`td = TDClient(apikey="...")`) is still scanned by them, and a Tradovate `sec` is reported although
it is UUID-shaped.

Beyond detect-secrets it drops values that say they are not secrets: placeholders and
references such as `changeme`, `<your-key>`, `xxxx`, `${DB_PASSWORD}`, `DB_PASSWORD`, `!env X`,
`@format {env[X]}` or a value inside `{{ ... }}`, and call expressions (`getpass.getpass()`) for
the generic detectors; keyword hits whose key is about a secret rather than holding one
(`existingSecret: desk-broker`, `password_file:`, `secret_type = "..."`); Slack's documentation
placeholder webhook; hex digests on a line that names them (`sha256 = "..."`, a `rev:` in
`.pre-commit-config.yaml`) or in a block opened by such a line (`EXPECTED_SHA256 = {`),
Subresource-Integrity hashes, and lock files detect-secrets does not know (`pnpm-lock.yaml`,
...). It also runs in time linear in the input: detect-secrets needs minutes for some files with
many long lines.

What it scans: the staged blobs for a pre-commit gate (the index, not the working tree), the
files changed against a base ref in CI, the given paths, or every tracked file for an audit.
Binary files (a NUL byte in the first 8,000 bytes) and files over 2 MB are skipped and named in
the report's notes; non-UTF-8 text is scanned with replacement characters; files detect-secrets
excludes by name (lock files, images and other non-text extensions, swagger) are skipped. A line
over 4,096 characters (minified code, data) is scanned in overlapping windows of that size, and
the report says so; a secret of up to 1,024 characters is always whole in one window.

Severity: critical for private keys, cloud and payment provider keys (AWS, Azure, IBM Cloud,
IBM COS, SoftLayer, Cloudant, Stripe) and broker access (Tradovate Credentials, Broker Account
Password): they open infrastructure, move money or place trades; high for everything else,
including Twelve Data and other market-data keys (they spend the plan's credits and expose its
data) and webhook URLs (anyone holding one can post to the channel or trigger the flow, e.g.
fake trade alerts). A finding several detectors share takes the highest of their severities and
is named after the most specific one (`Twelve Data API Key (also matched: API Key in URL)`).

Evidence shows at most the secret's first 4 characters followed by `****` (fewer for short
values: a quarter of the length). The fingerprint hashes the rule, the path and detect-secrets'
SHA-1 of the value, so it survives edits elsewhere in the file; a value repeated in one file gets
one finding per occurrence.

Accepting a finding: append `# pragma: allowlist secret` to the line (`// pragma: allowlist
secret` and the other comment forms detect-secrets knows work too), or put
`# pragma: allowlist nextline secret` on the line above; such lines are not reported. A secret
listed in `.secrets.baseline` at the repository root (detect-secrets' format, e.g. written by
`detect-secrets scan > .secrets.baseline`) for the same file with the same `hashed_secret` is
reported as suppressed. A `.secrets.baseline` that is not valid is bad input (exit 2).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sized
from pathlib import Path
from typing import TYPE_CHECKING

from droids.core.checks import CheckOutcome
from droids.core.models import Finding, RuleSpec, Severity, Task, fingerprint
from droids.core.protocol import DroidContext
from droids.security_compliance.secrets import severity
from droids.security_compliance.secrets.severity import CRITICAL_TYPES, GENERIC_TYPES  # noqa: F401 - SEC002 reads them here

if TYPE_CHECKING:
    from droids.core.workspace import Workspace
    from droids.security_compliance.secrets.engine import FileScan, Hit
    from droids.security_compliance.secrets.runner import ScanOutcome

DROID = "security-compliance"
FIX = (
    "Remove the value from the file and read it at run time from an environment variable or a secret "
    "store (e.g. os.environ['BROKER_API_KEY'], with a local .env that is git-ignored). Treat the secret "
    "as leaked and rotate or revoke it: once committed it stays in git history. If it is not a secret "
    "(a test fixture, a public value), append '# pragma: allowlist secret' to the line or record it in "
    ".secrets.baseline (detect-secrets scan > .secrets.baseline)."
)
SEC001 = RuleSpec(
    id="SEC001",
    droid=DROID,
    severity=Severity.HIGH,
    title="Hard-coded secret",
    description=__doc__ or "",
    fix=FIX,
)

# SEC001's own types, which name a value more precisely than detect-secrets' (a Slack webhook URL
# is also a "Slack Token" to detect-secrets).
FIELD_TYPES = frozenset(
    {
        "Twelve Data API Key",
        "Tradovate Credentials",
        "Broker Account Password",
        "Slack Webhook URL",
        "Webhook URL Token",
    }
)
_NOTE_NAMES = 5


def severity_of(secret_type: str) -> Severity:
    """Critical, high or (a type qualified by its context) low: see `severity.py`."""
    return severity.severity_of(secret_type)


RULES = (SEC001,)
INTENT = (
    "secret", "credential", "key", "token", "password", "leak", "apikey", "api key", "hardcoded", "hard coded",
    "webhook", "tradovate", "twelvedata", "twelve data", "broker",
)  # fmt: skip


def applies(task: Task) -> bool:
    """Secrets can hide in any text file, so SEC001 runs in every mode."""
    return True


def run(task: Task, ctx: DroidContext) -> CheckOutcome:
    findings, notes, metrics = check(task, ctx.cache_dir(DROID), ctx.workspace(task))
    return CheckOutcome(findings=findings, notes=notes, metrics=metrics)


def check(task: Task, cache_dir: Path | None, workspace: Workspace) -> tuple[list[Finding], list[str], dict[str, int]]:
    """Run SEC001 over the task's targets: findings, notes for the report, metrics."""
    from droids.security_compliance.secrets.baseline import BASELINE_NAME, load_baseline
    from droids.security_compliance.secrets.gitleaks_config import load_gitleaks
    from droids.security_compliance.secrets.runner import scan_files

    accepted = load_baseline(task.repo)
    custom = load_gitleaks(task.repo)
    files = workspace.contents()
    outcome = scan_files(((p, c) for p, c in files if p != BASELINE_NAME), cache_dir, custom)  # baseline: hashes
    findings = [
        finding
        for path, scan in sorted(outcome.scans.items())
        for finding in findings_for(path, scan, accepted.get(path, frozenset()))
    ]
    notes = notes_for(outcome) + (list(custom.notes) if custom else [])
    metrics = metrics_for(outcome, findings) | ({"gitleaks_rules": len(custom.rules)} if custom else {})
    return findings, notes, metrics


def findings_for(path: str, scan: FileScan, accepted: frozenset[str]) -> list[Finding]:
    """One finding per secret occurrence: the detectors that matched one value on a line merge.

    It is suppressed when `.secrets.baseline` lists every value detect-secrets reports for it.
    """
    by_value: dict[tuple[int, str], list[Hit]] = {}
    for hit in scan.hits:
        by_value.setdefault((hit.line, hit.group), []).append(hit)
    seen: Counter[str] = Counter()
    findings = []
    for (line, group), hits in sorted(by_value.items()):
        types = sorted({h.secret_type for h in hits}, key=_naming_order)
        seen[group] += 1
        occurrence = group if seen[group] == 1 else f"{group}#{seen[group]}"
        # Named after the most specific type, with its low-severity reason when it has one (as
        # SEC002 names it); the others by their plain names.
        first = severity.base_type(types[0])
        others = [t for t in dict.fromkeys(severity.base_type(t) for t in types[1:]) if t != first]
        also = f" (also matched: {', '.join(others)})" if others else ""
        worst = max((severity_of(t) for t in types), key=lambda s: s.rank)
        suppressed = all(h.hashed_secret in accepted for h in hits)
        # A repository's own gitleaks rule names the finding, so policies can say `SEC001/<rule id>`.
        subrule = min((h.subrule for h in hits if h.subrule), default=None)
        findings.append(
            Finding(
                rule=SEC001.id,
                droid=DROID,
                severity=worst,
                title=SEC001.title,
                message=f"{types[0]} hard-coded in {path}{also}" if line else f"{types[0]}: {path} matches its path",
                path=path,
                line=line or None,
                evidence=hits[0].evidence if line else None,
                fingerprint=fingerprint(SEC001.id, path, occurrence),
                fix=FIX,
                suppressed=suppressed,
                suppression=".secrets.baseline" if suppressed else None,
                **({"subrule": subrule} if subrule else {}),
            )
        )
    return findings


def _naming_order(secret_type: str) -> tuple[bool, bool, int, bool, str]:
    """The repository's own gitleaks rules first, then specific before generic, more severe first,
    SEC001's own before detect-secrets' at a tie."""
    own = severity.base_type(secret_type) in FIELD_TYPES
    team = "gitleaks rule " in secret_type
    return (not team, severity.is_generic(secret_type), -severity_of(secret_type).rank, not own, secret_type)


def notes_for(outcome: ScanOutcome) -> list[str]:
    from droids.security_compliance.secrets.engine import LONG_LINE
    from droids.security_compliance.secrets.runner import MAX_FILE_BYTES

    notes = []
    if outcome.binary:
        notes.append(f"skipped {_count(outcome.binary, 'binary file')}: {_names(outcome.binary)}")
    if outcome.oversized:
        mb = MAX_FILE_BYTES // (1024 * 1024)
        notes.append(f"skipped {_count(outcome.oversized, 'file')} over {mb} MB: {_names(outcome.oversized)}")
    filtered = sorted(p for p, s in outcome.scans.items() if s.filtered_by)
    if filtered:
        notes.append(
            f"skipped {_count(filtered, 'file')} detect-secrets excludes by name "
            f"(lock files, non-text extensions): {_names(filtered)}"
        )
    lossy = sorted(p for p, s in outcome.scans.items() if s.lossy)
    if lossy:
        notes.append(f"{_count(lossy, 'file')} not UTF-8, scanned with replacement characters: {_names(lossy)}")
    long_files = sorted(p for p, s in outcome.scans.items() if s.long_lines)
    if long_files:
        lines = sum(outcome.scans[p].long_lines for p in long_files)
        notes.append(
            f"{_count(range(lines), 'line')} over {LONG_LINE:,} characters scanned in overlapping windows "
            f"(linear-time guard): {_names(long_files)}"
        )
    return notes + outcome.notes


def metrics_for(outcome: ScanOutcome, findings: list[Finding]) -> dict[str, int]:
    scans = outcome.scans.values()
    return {
        "files": len(outcome.scans) + len(outcome.binary) + len(outcome.oversized),
        "files_scanned": outcome.files_scanned,
        "cache_hits": outcome.cache_hits,
        "bytes": outcome.bytes_total,
        "bytes_scanned": outcome.bytes_scanned,
        "skipped_binary": len(outcome.binary),
        "skipped_oversized": len(outcome.oversized),
        "skipped_by_name": sum(1 for s in scans if s.filtered_by),
        "non_utf8": sum(1 for s in scans if s.lossy),
        "long_lines": sum(s.long_lines for s in scans),
        "workers": outcome.workers,
        "suppressed_by_baseline": sum(1 for f in findings if f.suppressed),
    }


def _count(items: Sized, noun: str) -> str:
    n = len(items)
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _names(paths: list[str]) -> str:
    shown = ", ".join(paths[:_NOTE_NAMES])
    return shown if len(paths) <= _NOTE_NAMES else f"{shown} and {len(paths) - _NOTE_NAMES} more"
