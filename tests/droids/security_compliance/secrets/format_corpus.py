"""A corpus to measure secret detection by value: every credential format SEC001 knows, each under a
plain variable name (so only the value can give it away) in several file kinds, and a negative set
of placeholders and look-alikes. Values are built at run time (tests/secret_values.py); nothing
here is a credential.

Used by `test_sec001_format_corpus.py` (the thresholds) and `tests/benchmarks/bench_secret_corpus.py`
(the comparison with detect-secrets' CLI, in tests/benchmarks/README.md).

- `positives(seed)`: (format, file kind, line) triples. Token formats go into every kind
  (.py, .yaml, .json, .env, .sh, .md, .log) under names such as `value`, `item`, `data`; formats
  that are a whole line or block (a curl command, a NuGet.Config entry, a PEM key) go into the
  kinds they are written in.
- `negatives(seed)`: (name, file kind, line): documented example keys, placeholders, runs, git SHAs
  and digests by name, UUIDs, transaction hashes and addresses, DNA, fake tokens whose checksum
  fails, references and templates.
"""

from __future__ import annotations

import base64
import hashlib
import json
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from tests import secret_values as sv

KINDS = (".py", ".yaml", ".json", ".env", ".sh", ".md", ".log")
PLAIN_NAMES = ("value", "item", "data", "entry", "field", "blob", "payload", "result")


@dataclass(frozen=True)
class Sample:
    name: str  # the format (positives) or the look-alike (negatives)
    kind: str  # a file suffix: where the line is written
    line: str
    value: str  # what must (or must not) be reported


def _token_line(kind: str, name: str, value: str, index: int) -> str:
    if kind == ".py":
        return f'{name} = "{value}"'
    if kind == ".yaml":
        return f'{name}_{index}: "{value}"'
    if kind == ".json":
        return f'  "{name}_{index}": "{value}",'
    if kind == ".env":
        return f"{name.upper()}_{index}={value}"
    if kind == ".sh":
        return f'export {name.upper()}_{index}="{value}"'
    if kind == ".md":
        return f"- {name} {index}: `{value}`"
    return f"2024-05-01 12:00:{index % 60:02d} INFO job {index} loaded {name} {value}"


def _rsa_block(seed: int, kind: str = "RSA") -> str:
    body = sv.random_part(f"pem-{kind}", seed, sv._ALNUM + "+/", 64)
    end = "-----" + "END " + kind + " PRIVATE" + " KEY-----"
    return f"{sv.private_key_header(kind)}\\n{body}\\n{body[::-1]}\\n{end}"


def _snippets(seed: int) -> dict[str, dict[str, tuple[str, str]]]:
    """format -> {kind: (line, reported value)} for credentials written as a whole line."""
    bearer = sv.random_part("bearer", seed, sv._ALNUM, 40)
    user, login = "desk", sv.strong_password(seed).rstrip("#!")
    apikey = sv.random_part("xapikey", seed, sv._ALNUM, 32)
    basic = base64.b64encode(f"{user}:{login}".encode()).decode()
    nuget = sv.strong_password(seed + 1).rstrip("#!")
    docker = base64.b64encode(f"ci-bot:{login}".encode()).decode()
    sidekiq = sv.random_part("sq1", seed, sv._HEX, 8) + ":" + sv.random_part("sq2", seed, sv._HEX, 8)
    apca = sv.random_part("apca", seed, sv._ALNUM, 40)
    binance = sv.random_part("binance", seed, sv._ALNUM, 64)
    okx = sv.random_part("okx", seed, sv._HEX, 32)
    kucoin = sv.random_part("kucoin", seed, sv._HEX, 24)
    coinbase = sv.random_part("cb", seed, sv._ALNUM, 32)
    bybit = sv.random_part("bybit", seed, sv._ALNUM, 18)
    log_pw = sv.strong_password(seed + 2).rstrip("#!")
    pem = _rsa_block(seed)
    return {
        "HTTP Authorization header (Bearer)": {
            ".sh": (f'curl -H "Authorization: Bearer {bearer}" https://api.vendor.internal/v1/orders', bearer),
            ".md": (f"    curl -H 'Authorization: Bearer {bearer}' https://api.vendor.internal/v1/orders", bearer),
            ".py": (f'resp = requests.get(URL, headers={{"Authorization": "Bearer {bearer}"}})', bearer),
            ".log": (f"2024-05-01 12:00:00 DEBUG sending Authorization: Bearer {bearer}", bearer),
        },
        "HTTP Authorization header (Basic)": {
            ".sh": (f'curl -H "Authorization: Basic {basic}" https://api.vendor.internal/v1/orders', basic),
            ".py": (f'HEADERS = {{"Authorization": "Basic {basic}"}}', basic),
        },
        "HTTP X-API-Key header": {
            ".sh": (f'curl -H "X-API-Key: {apikey}" https://api.vendor.internal/v1/bars', apikey),
            ".py": (f'session.headers.update({{"X-API-Key": "{apikey}"}})', apikey),
        },
        "curl -u user:password": {
            ".sh": (f"curl -u {user}:{login} https://ci.desk.internal/api/json", login),
            ".md": (f"    curl --user '{user}:{login}' https://ci.desk.internal/api/json", login),
        },
        "wget --password": {".sh": (f"wget --user={user} --password={login} https://files.desk.internal/x", login)},
        "NuGet.Config ClearTextPassword": {
            ".config": ('      <add key="ClearText' + f'Password" value="{nuget}" />', nuget),
            ".md": ('    <add key="ClearText' + f'Password" value="{nuget}" />', nuget),
        },
        "Docker config.json auth": {".json": (f'    "registry.desk.internal": {{"auth": "{docker}"}},', docker)},
        "Sidekiq Enterprise credentials": {
            ".env": ("BUNDLE_ENTERPRISE__CONTRIB" + f"SYS__COM={sidekiq}", sidekiq),
            ".sh": ("export BUNDLE_GEMS__CONTRIB" + f'SYS__COM="{sidekiq}"', sidekiq),
            ".rb": (f'source "https://{sidekiq}@enterprise.contrib' + 'sys.com/" do', sidekiq),
        },
        "Password in a log line": {
            ".log": (f"2024-05-01 12:00:01 INFO db connect host=db.internal user=desk password={log_pw}", log_pw),
            ".md": (f"    [ERROR] 2024-05-01 12:00:01 login failed user=desk password={log_pw}", log_pw),
        },
        "Alpaca secret key header": {
            ".sh": (f'curl -H "APCA-API-SECRET-KEY: {apca}" https://paper-api.alpaca.markets/v2/account', apca),
            ".py": (f'HEADERS = {{"APCA-API-SECRET-KEY": "{apca}"}}', apca),
        },
        "Binance API key header": {
            ".sh": (f'curl -H "X-MBX-APIKEY: {binance}" https://api.binance.com/api/v3/account', binance),
            ".py": (f'headers = {{"X-MBX-APIKEY": "{binance}"}}', binance),
        },
        "OKX API key header": {".py": (f'headers = {{"OK-ACCESS-KEY": "{okx}"}}', okx)},
        "KuCoin API key header": {".py": (f'headers = {{"KC-API-KEY": "{kucoin}"}}', kucoin)},
        "Coinbase API key header": {".py": (f'headers = {{"CB-ACCESS-KEY": "{coinbase}"}}', coinbase)},
        "Bybit API key header": {".py": (f'headers = {{"X-BAPI-API-KEY": "{bybit}"}}', bybit)},
        "RSA private key": {
            ".py": (f'value = "{pem}"', pem.split("\\n")[0]),
            ".json": (f'  "value": "{pem}",', pem.split("\\n")[0]),
            ".md": (pem.split("\\n")[0], pem.split("\\n")[0]),
        },
        "OpenSSH private key": {".pem": (sv.private_key_header("OPENSSH"), sv.private_key_header("OPENSSH"))},
        "EC private key": {".pem": (sv.private_key_header("EC"), sv.private_key_header("EC"))},
        "PuTTY private key": {".ppk": ("PuTTY-User-Key-" + "File-3: ssh-ed25519", "PuTTY-User-Key-File-3")},
    }


def positives(seed: int = 1) -> Iterator[Sample]:
    rng = random.Random(seed)
    index = 0
    for fmt, build in sv.TOKEN_FORMATS.items():
        value = build(seed)
        for kind in KINDS:
            index += 1
            yield Sample(fmt, kind, _token_line(kind, rng.choice(PLAIN_NAMES), value, index), value)
    for fmt, by_kind in _snippets(seed).items():
        for kind, (line, value) in by_kind.items():
            yield Sample(fmt, kind, line, value)


def _documented_examples() -> dict[str, str]:
    """Public example values of the providers' own documentation, assembled from parts."""
    jwt_io = ".".join(
        base64.urlsafe_b64encode(json.dumps(part, separators=(",", ":")).encode()).decode().rstrip("=")
        for part in ({"alg": "HS256", "typ": "JWT"}, {"sub": "1234567890", "name": "John Doe", "iat": 1516239022})
    )
    # Public example values from the providers' documentation (the point of this table).
    return {
        "AWS docs access key id": "AKIA" + "IOSFODNN7" + "EXAMPLE",  # pragma: allowlist secret
        "AWS docs secret key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCY" + "EXAMPLE" + "KEY",  # pragma: allowlist secret
        "Stripe docs test key": "sk_" + "test_" + "4eC39HqLyjWDarjtT1zdp7dc",  # pragma: allowlist secret
        "Slack docs bot token": "xo"
        + "xb-17653672481-19874698323-"
        + "pdFZKVeTuE8sk7oOcBrzbqgy",  # pragma: allowlist secret
        "Google docs API key": "AI" + "zaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe",  # pragma: allowlist secret
        "Mailgun docs key": "key-" + "3ax6xnjp29jd6fds4gc373sgvjxteol0",  # pragma: allowlist secret
        "Telegram docs token": "110201543:" + "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw",  # pragma: allowlist secret
        "Azurite development key": "Eby8vdM02xNOcqFlqUwJPLlmEtlCDX"  # pragma: allowlist secret
        + "J1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/"  # pragma: allowlist secret
        + "K1SZFPTOtr/KBHBeksoGMGw==",  # pragma: allowlist secret
        "jwt.io example token": jwt_io
        + "."
        + "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",  # pragma: allowlist secret
    }


def _look_alikes(seed: int) -> dict[str, str]:
    sha1, sha256 = sv.sha1_hex(seed), sv.sha256_hex(seed)
    return {
        "GitHub-shaped placeholder": "gh" + "p_" + "x" * 36,
        "Slack placeholder from the docs": "xo" + "xe.xoxp-1-" + "RANDOMSTRINGHERE",
        "Stripe-shaped zeros": "sk" + "_live_" + "0" * 24,
        "AWS-shaped run": "AK" + "IA" + "X" * 16,
        "OpenAI-shaped placeholder": "sk-" + "proj-" + "X" * 60,
        "GitLab-shaped placeholder": "gl" + "pat-" + "x" * 20,
        "DigitalOcean-shaped zeros": "do" + "p_v1_" + "0" * 64,
        "GitHub shape, checksum fails": sv.github_token_bad_checksum(seed),
        "npm shape, checksum fails": sv.npm_token(seed)[:-1] + "Q",
        "angle-bracket placeholder": "<your-api-key>",
        "environment reference": "${TRADING_API_KEY}",
        "changeme": "changeme",
        "your-token-here": "your-token-here",
        "YOUR_API_KEY": "YOUR_API_KEY",
        "masked value": "********",
        "redacted marker": "***REDACTED***",
        "DNA sequence": "".join(random.Random(seed).choice("ACGT") for _ in range(60)),
        "RNA sequence": "".join(random.Random(seed + 1).choice("ACGU") for _ in range(48)),
        "repeated hex unit": "0x" + "deadbeef" * 8,
        "self-describing password": "Super" + "Secure" + "Password",
        "self-describing secret": "something" + "random",
        "vendor placeholder": "your-api-key-" + "from-binance",
        "elided hex key": "0x" + "...",
        "UUID": sv.a_uuid(seed),
        "local default database URL": "postgresql" + "://postgres:postgres@localhost:5432/test",
        "placeholder database URL": "postgres" + "://user:password@localhost/db",
        "templated vendor URL": "https://api." + "polygon.io/v2/aggs/ticker/ES/prev?apiKey={api_key}",
        "semantic version": "1.24.3-rc.1+build.7",
        "python import path": "droids.security_compliance.secrets.engine",
        "git SHA": sha1,
        "SHA-256 digest": sha256,
    }


# Lines that carry a look-alike under the name it is found with in the wild.
_NAMED_LINES: dict[str, Callable[[int], tuple[str, str, str]]] = {
    "git SHA in a BitBake SRCREV": lambda s: (".bb", f'SRCREV_meta = "{sv.sha1_hex(s)}"', sv.sha1_hex(s)),
    "git SHA as a revision": lambda s: (".yaml", f"    rev: {sv.sha1_hex(s)}", sv.sha1_hex(s)),
    "digest as a checksum": lambda s: (".json", f'  "checksum": "{sv.sha256_hex(s)}",', sv.sha256_hex(s)),
    "transaction hash": lambda s: (".py", f'tx_hash = "0x{sv.sha256_hex(s)}"', sv.sha256_hex(s)),
    "wallet address": lambda s: (".yaml", f"address: 0x{sv.sha1_hex(s)}", sv.sha1_hex(s)),
    "block hash": lambda s: (".json", f'  "blockHash": "0x{sv.sha256_hex(s + 1)}",', sv.sha256_hex(s + 1)),
    "md5 of a file": lambda s: (".sh", f'MD5SUM="{hashlib.md5(str(s).encode()).hexdigest()}"', ""),  # noqa: S324
    "request id": lambda s: (".json", f'  "requestId": "{sv.sha1_hex(s)[:32]}",', sv.sha1_hex(s)[:32]),
    "password from the environment": lambda s: (".py", 'password = os.environ["DB_PASSWORD"]', ""),
    "GitHub Actions secret reference": lambda s: (".yaml", "  token: ${{ secrets.GH_TOKEN }}", ""),
    "placeholder password": lambda s: (".py", 'password = "' + "Super" + 'Secret1!"', ""),
    "placeholder API key": lambda s: (".sh", 'export BYBIT_API_KEY="your-' + 'api-key"', ""),
    "hex private key placeholder": lambda s: (".md", 'export DYDX_PRIVATE_KEY="0x' + '..."', ""),
    "repeated-unit private key": lambda s: (".py", 'private_key="0x' + "deadbeef" * 8 + '"', ""),
}


def negatives(seed: int = 1) -> Iterator[Sample]:
    rng = random.Random(seed)
    index = 0
    for name, value in {**_documented_examples(), **_look_alikes(seed)}.items():
        for kind in KINDS:
            index += 1
            yield Sample(name, kind, _token_line(kind, rng.choice(PLAIN_NAMES), value, index), value)
    for name, build in _NAMED_LINES.items():
        kind, line, value = build(seed)
        yield Sample(name, kind, line, value)


def write(samples: list[Sample], root: Path) -> dict[tuple[str, int], Sample]:
    """One file per (file kind, group of 40 samples) under `root`: (relative path, 1-based line) -> sample."""
    where: dict[tuple[str, int], Sample] = {}
    by_kind: dict[str, list[Sample]] = {}
    for sample in samples:
        by_kind.setdefault(sample.kind, []).append(sample)
    for kind, group in by_kind.items():
        for part in range(0, len(group), 40):
            chunk = group[part : part + 40]
            path = f"{kind.lstrip('.')}/corpus_{part // 40}{kind}" if kind != ".env" else f"env{part // 40}/.env"
            lines = ["{"] if kind == ".json" else []
            for sample in chunk:
                lines.append(sample.line)
                where[(path, len(lines))] = sample
            if kind == ".json":
                lines.append('  "end": 0\n}')
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_text("\n".join(lines) + "\n")
    return where


@dataclass(frozen=True)
class Verdict:
    found: bool  # SEC001 reported the line
    named: bool  # ...by a detector of a format, not only as a random-looking string or by its name
    severity: str  # the highest severity reported on the line ("" when nothing)


def scan_with_sec001(samples: list[Sample], root: Path) -> dict[Sample, Verdict]:
    """Write `samples` under `root`, scan each file with SEC001 (its engine and finding rules)."""
    from droids.core.fingerprint_key import FingerprintKey
    from droids.security_compliance.secrets.runner import scan_content
    from droids.security_compliance.secrets.sec001_hardcoded_secret import findings_for
    from droids.security_compliance.secrets.severity import base_type

    shaped = {"Base64 High Entropy String", "Hex High Entropy String", "Secret Keyword", "API Key in URL"}
    where = write(samples, root)
    verdicts: dict[Sample, Verdict] = {}
    found: dict[tuple[str, int], list[tuple[str, str]]] = {}
    for path in sorted({p for p, _ in where}):
        scan = scan_content(path, (root / path).read_bytes())
        for finding in findings_for(path, scan, frozenset(), FingerprintKey(b"format-corpus", "test")):
            types = finding.message.split(" hard-coded in ")[0]
            found.setdefault((path, finding.line or 0), []).append((types, finding.severity.value))
    rank = {"": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}
    for key, sample in where.items():
        hits = found.get(key, [])
        named = any(base_type(t.split(" (also matched")[0]) not in shaped for t, _ in hits)
        worst = max((s for _, s in hits), key=rank.__getitem__, default="")
        verdicts[sample] = Verdict(bool(hits), named, worst)
    return verdicts
