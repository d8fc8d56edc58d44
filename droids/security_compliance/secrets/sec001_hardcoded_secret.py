"""SEC001 Hard-coded secret: a credential written into a file that is (about to be) committed.

What it finds:

- Everything detect-secrets (1.5, default settings) finds, through its Python API: AWS, Azure
  storage, IBM keys, private key blocks, GitLab, Slack, Stripe, SendGrid, PyPI, npm, OpenAI,
  Discord, Telegram, Twilio, Mailchimp, Square tokens, JWTs, credentials in URLs, values assigned
  to password/secret/api_key-like names, and high-entropy quoted strings, in any text file (YAML,
  INI and .env files also read as key/value pairs, as detect-secrets does).
- Provider formats by value (plugins/cloud.py, devtools.py, messaging.py, payment_ai.py,
  databases.py, market.py, http_auth.py, keys.py), written from the providers' published token
  formats and found under any name, in any file kind: Google, Azure (client secrets, annotated
  keys, SAS signatures), Alibaba, Tencent, DigitalOcean, Cloudflare Origin CA, Scaleway, Vault,
  Terraform Cloud, Databricks, Doppler, Pulumi, Supabase, Heroku, Fly.io, Yandex; GitHub (the
  CRC32 checksum of `ghp_`/`gho_`/`ghu_`/`ghs_`/`ghr_` tokens is verified: a token that fails it
  is not GitHub's), fine-grained PATs, npm (also checksummed), NuGet keys and NuGet.Config
  passwords, Docker Hub PATs and `config.json` auths, RubyGems, crates.io, Clojars, JFrog,
  Atlassian/Bitbucket, SonarQube, Buildkite, CircleCI, Postman, Sentry, Grafana, New Relic,
  Dynatrace, Sidekiq gem-server credentials; Slack app and configuration tokens, Mailgun, Brevo,
  Linear, Notion, Airtable, Figma, Sourcegraph, Prefect, ReadMe, 1Password, Contentful, Infracost,
  Mapbox, Shopify, Twitter/X, Meta, Dropbox; live and test payment keys (Stripe of any length,
  Braintree, Square, Razorpay, Flutterwave, GoCardless, Plaid); AI APIs (OpenAI project, service
  and admin keys, Anthropic, Hugging Face, Replicate, Groq, Perplexity, xAI, OpenRouter,
  LangSmith); database connection strings with a password (URIs, ADO.NET, JDBC) and PlanetScale;
  Alpaca key ids, Databento and IEX Cloud keys, Interactive Brokers Flex tokens, keys in
  market-data vendors' URLs; `Authorization` headers and API-key headers (`curl -H ...`),
  `curl -u user:pass`, `wget --password`; base64-encoded PEM keys, age keys, PuTTY v3 keys.
- What a trading codebase leaks by name and place: Twelve Data keys, any API key in a URL query,
  Tradovate credentials, broker account passwords, API keys and secrets under a broker's or a
  market-data vendor's name (`ALPACA_SECRET_KEY`, `polygon_api_key`), crypto-exchange keys (their
  API-key headers, or `apiKey`/`secret` fields next to an exchange's name or ccxt), Slack,
  Discord, Teams, Power Automate, Zapier, IFTTT, Google Chat and other webhook URLs.
- Credentials written unquoted into log lines (`password=...` in `*.log` files, or in a line
  that starts with a timestamp or a log level).
- The repository's own gitleaks rules: `.gitleaks.toml` at the root (`gitleaks_config.py`), run as
  subrules: a finding carries `subrule` = the rule id, so policies/gates.yaml suppressions can
  name `SEC001/<rule id>`. A bad `.gitleaks.toml` is bad input (exit 2).

What it does not report (false_positives.py): placeholders and references (`changeme`,
`<your-key>`, `xxxx`, `${DB_PASSWORD}`, `!env X`, `{{ vault }}`, call expressions), documented
example keys (AWS's `...EXAMPLE` pair, Stripe's and Slack's documented tokens, jwt.io's token, the
Azurite key), runs and placeholder tokens (`ghp_xxxx...`, `sk_live_000...`,
`xoxe.xoxp-1-RANDOMSTRINGHERE`), look-alikes (DNA, a repeated unit such as `0xdeadbeef...`,
self-describing values such as `SuperSecurePassword`), hex digests named as such (`sha256 =`,
`SRCREV_*`, `rev:`, `commit`, `tx_hash`, `address`), keys about a secret rather than holding one
(`existingSecret:`), elided private keys (`<...>` in the body), lock files.

Severity (severity.py, context.py): critical for private keys, cloud and payment provider keys,
broker and exchange credentials; high for every other credential in a provider's format, wherever
it appears. A value found only by its shape or its name (high-entropy strings, secret keywords,
credentials in URLs, connection strings, headers, log lines, exchange/broker/vendor names) is
high with credential context and low without it: in test, fixture, benchmark, documentation or
example files (`.env.example` excepted: a real-looking password there stays high), in Rust
`#[cfg(test)]` modules, under a test-data name (`TEST_API_SECRET`), random-looking with no
credential word on its line or its block's opening line, hex shaped like a hash, an id or an
address, a URL to a documentation or local host; an expired JWT is low too. The reason is part of
the type (`Hex High Entropy String (low: in a test file)`). Low findings are listed, not blocking.

Evidence shows at most the secret's first 4 characters followed by `****` (fewer for short
values: a quarter of the length). The fingerprint hashes the rule, the path and an HMAC of
detect-secrets' SHA-1 of the value under the repository's fingerprint key (`DROID_FINGERPRINT_KEY`,
else derived from the root commit: droids/core/fingerprint_key.py), so it survives edits elsewhere
in the file, is the same in every clone, and cannot be used to confirm a guessed secret offline; a
value repeated in one file gets one finding per occurrence. Detectors that match one value on a line
make one finding, named after the most specific one (`GitHub Access Token (also matched: Base64 High
Entropy String)`).

What it scans: the staged blobs for a pre-commit gate (the index, not the working tree), the
files changed against a base ref in CI, the given paths, or every tracked file for an audit.
Binary files and files over 2 MB are skipped and named in the report's notes; non-UTF-8 text is
scanned with replacement characters; files detect-secrets excludes by name are skipped. It runs
in time linear in the input: one RE2 pass finds every detector's literals, lines over 4,096
characters are scanned in overlapping windows, gitleaks rules run on RE2.

Accepting a finding: `# pragma: allowlist secret` on the line (or `# pragma: allowlist nextline
secret` above it; other comment forms detect-secrets knows work too; `gitleaks:allow` for a
gitleaks rule), or the secret in `.secrets.baseline` at the repository root (detect-secrets'
format), which reports it as suppressed. A `.secrets.baseline` that is not valid is bad input.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sized
from pathlib import Path
from typing import TYPE_CHECKING

from droids.core.checks import CheckOutcome
from droids.core.fingerprint_key import FingerprintKey, note_once, run_key
from droids.core.models import Finding, RuleSpec, Severity, Task, fingerprint
from droids.core.progress import Step, quiet_step
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
    "webhook", "tradovate", "twelvedata", "twelve data", "broker", "gitleaks",
)  # fmt: skip


def applies(task: Task) -> bool:
    """Secrets can hide in any text file, so SEC001 runs in every mode."""
    return True


def run(task: Task, ctx: DroidContext) -> CheckOutcome:
    step = ctx.step(DROID, SEC001.id)
    findings, notes, metrics = check(task, ctx.cache_dir(DROID), ctx.workspace(task), step)
    return CheckOutcome(findings=findings, notes=notes, metrics=metrics)


def check(
    task: Task, cache_dir: Path | None, workspace: Workspace, step: Step = quiet_step
) -> tuple[list[Finding], list[str], dict[str, int]]:
    """Run SEC001 over the task's targets: findings, notes for the report, metrics."""
    from droids.security_compliance.secrets.baseline import BASELINE_NAME, load_baseline
    from droids.security_compliance.secrets.gitleaks_config import load_gitleaks
    from droids.security_compliance.secrets.runner import scan_files

    accepted = load_baseline(task.repo)
    custom = load_gitleaks(task.repo)
    files = workspace.contents()
    whole = task.mode == "gate"  # a gate reads every byte it judges, whatever the size
    outcome = scan_files(((p, c) for p, c in files if p != BASELINE_NAME), cache_dir, custom, step, whole=whole)
    binary = set(outcome.binary)
    notes = notes_for(outcome) + (list(custom.notes) if custom else [])
    with_hits = [(path, scan) for path, scan in sorted(outcome.scans.items()) if scan.hits]
    if not with_hits:  # the key costs a git call or two: only when there is something to fingerprint
        return [], notes, metrics_for(outcome, [])
    key = run_key(workspace)
    findings = [
        finding
        for path, scan in with_hits
        for finding in findings_for(path, scan, accepted.get(path, frozenset()), key, binary=path in binary)
    ]
    metrics = metrics_for(outcome, findings) | ({"gitleaks_rules": len(custom.rules)} if custom else {})
    return findings, notes + note_once(workspace), metrics


def findings_for(
    path: str, scan: FileScan, accepted: frozenset[str], key: FingerprintKey, *, binary: bool = False
) -> list[Finding]:
    """One finding per secret occurrence: the detectors that matched one value on a line merge.

    It is suppressed when `.secrets.baseline` lists every value detect-secrets reports for it. The
    fingerprint holds the value's hash only keyed under the repository's `key`. In a binary file
    (scanned as its printable strings) a finding has no line number.
    """
    by_value: dict[tuple[int, str], list[Hit]] = {}
    for hit in scan.hits:
        by_value.setdefault((hit.line, hit.group), []).append(hit)
    seen: Counter[str] = Counter()
    findings = []
    for (line, group), hits in sorted(by_value.items()):
        types = sorted({h.secret_type for h in hits}, key=naming_order)
        seen[group] += 1
        keyed = key.keyed(group)
        occurrence = keyed if seen[group] == 1 else f"{keyed}#{seen[group]}"
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
                message=(
                    f"{types[0]}: {path} matches its path"
                    if not line
                    else f"{types[0]} hard-coded in {path}{also}" + (" (in a binary file)" if binary else "")
                ),
                path=path,
                line=None if binary or not line else line,
                evidence=hits[0].evidence if line else None,
                fingerprint=fingerprint(SEC001.id, path, occurrence),
                fix=FIX,
                suppressed=suppressed,
                suppression=".secrets.baseline" if suppressed else None,
                **({"subrule": subrule} if subrule else {}),
            )
        )
    return findings


def naming_order(secret_type: str) -> tuple[bool, bool, int, bool, str]:
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
        notes.append(f"scanned {_count(outcome.binary, 'binary file')} as printable strings: {_names(outcome.binary)}")
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
        "binary_as_strings": len(outcome.binary),
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
