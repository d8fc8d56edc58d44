"""SEC001's own filters, run after detect-secrets' filters: values shaped like a secret that say
they are not one.

- Placeholders and references (`password = "changeme"`, `api_key: "<your-key>"`,
  `token = "xxxxxxxx"`, `password: ${DB_PASSWORD}`, `password: DB_PASSWORD`, `!env X`), judged
  by `plugins/values.py` as SEC001's own detectors judge them: only for the generic detectors
  (keyword, high-entropy, basic-auth URL); a value that matches a specific token format (AWS,
  GitHub, ...) is always reported.
- Keys about a secret, not holding one: a keyword hit whose key says the value names, locates or
  describes the secret (`existingSecret: desk-broker`, `secretName:`, `secretKeyRef:`,
  `password_file:`, `password_env:`, `secret_type = "Slack Token"`, `password_prompt =`,
  `password_label:`), as Helm charts, Kubernetes manifests, settings and plugins write them.
- Code: a generic hit whose value is a call expression (`getpass.getpass()`, `vault.read(path)`),
  spans Markdown code spans (``BROKER_PASSWORD`, `STRIPE_KEY``), or is an identifier written as
  code in prose (``each secret's `head_paths` ``); a code span holding digits or symbols
  (``the password is `S3cr3t!` ``) is still reported.
- Identifiers: a high-entropy value under a key that names an id (`"id": "7fb27b94..."` in a
  notebook cell, `"requestId":`, `run_uuid =`), as detect-secrets' own `is_likely_id_string` does
  for an `id` at the start of a line; not when the key also says secret, token, password or auth
  (`secret_id`).
- Template expressions: a value the generic detectors find inside `{{ ... }}` on its line
  (`password: "{{ lookup('hashi_vault', 'secret=desk/data:pw') }}"`) is part of an expression
  that fetches the secret, not the secret.
- Labelled digests: a hex value of a digest's length (MD5, SHA-1, SHA-224/256/384/512) on a line
  that names it as a hash, checksum, commit or revision (`sha256 = "..."`, `rev: 6f1e...` in
  `.pre-commit-config.yaml`) or inside a block opened by such a line (up to 50 lines above)
  (`EXPECTED_SHA256 = {` then `"data.csv": "..."`), and Subresource-Integrity values
  (`sha512-...`). A hex API key of the same length assigned to a name without such a word is
  still reported.
- Slack placeholders: a Slack token or webhook URL whose last part is a placeholder or a run, as
  in Slack's own documentation (`.../T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX`).
- Lock files detect-secrets does not know (`pnpm-lock.yaml`, `npm-shrinkwrap.json`, ...): they
  hold package hashes only.
- Documented examples, whatever detector found them: the providers' published example keys
  (`plugins/examples.py`) and jwt.io's example token (`sub` 1234567890, `name` John Doe).
- Look-alikes, for the generic detectors: DNA and RNA sequences (`ACGTTGCA...`), values that
  repeat one short unit (`0xdeadbeefdeadbeef...`, `1212121212`), and self-describing values made
  of placeholder words (`SuperSecurePassword`, `testPass`, `somethingrandom`, `hunter2`).
- In an example env file (`.env.example`, `.env.sample`, `.env.template`), a value found by its
  name that does not look real (under 8 characters, one kind of character, or sequential: `abc1`,
  `trader1`): SEC003 reports it at medium as "not a placeholder"; a real-looking one is SEC001's.
- A private key block whose body is elided (`<...>` or `...` between its BEGIN and END lines) or
  too short to be a key, when its END line is in view.
- detect-secrets' GitHub detector, which reports only a token's prefix: SEC001's own GitHub
  detector (`plugins/devtools.py`) reports the token and checks its CRC32 checksum.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import PurePosixPath

from droids.security_compliance.secrets.plugins import examples, values
from droids.security_compliance.secrets.severity import CONTEXT_TYPES

EXTRA_LOCK_FILES = frozenset(
    {"pnpm-lock.yaml", "npm-shrinkwrap.json", "conda-lock.yml", "bun.lock", "deno.lock", "flake.lock"}
)
_BASE64 = "Base64 High Entropy String"
_HEX = "Hex High Entropy String"
_SLACK = "Slack Token"
_KEYWORD = "Secret Keyword"
_GENERIC = frozenset({_KEYWORD, _BASE64, _HEX, "Basic Auth Credentials"})
_JWT = "JSON Web Token"
_WHOLE_VALUE_TYPES = frozenset({_JWT, "Private Key"})
_KEY_BLOCK_TYPES = frozenset({"Private Key"})
_URL_LOGIN_TYPES = frozenset({"Basic Auth Credentials"})
_TOKEN_RUN = re.compile(r"[A-Za-z0-9_.+/=~-]*")
_SUPERSEDED = frozenset({"GitHub Token"})
_KEY_END = re.compile(r"-----END[A-Z ]*PRIVATE KEY")
_KEY_BODY_GAP = re.compile(r"\.\.\.|…|<[^>]*>|xxxx|\*\*\*", re.IGNORECASE)
_DIGEST_LENGTHS = frozenset({32, 40, 56, 64, 96, 128})
_DIGEST_WORDS = re.compile(
    r"sha|md5|blake|digest|checksum|hash|integrity|commit|\brev(ision)?\b|srcrev|etag|\boid\b|\bref\b|txid|tx_?id"
    r"|tx_?hash|block_?hash|address|nonce|salt|\biv\b|vector|fingerprint|thumbprint",
    re.I,
)
_BLOCK_OPENER = re.compile(r"[{\[(:]\s*(?:#.*)?$")  # `NAME = {`, `checksums:`, `hashes = [`
_NAMES_SOMETHING = re.compile(r"[A-Za-z]")
_BLOCK_CLOSER = re.compile(r"\s*[}\])]+[,;]?\s*(?:#.*)?$")
_LAST_KEY = re.compile(r"""([A-Za-z0-9_.-]+)["']?\]?\s*(?:=>|:=|[:=])\s*[rbuf]?["']?$""")
_ABOUT_KEY = re.compile(
    r"existing\w*secret|secret\w*?(?:name|ref|arn|path|file|env|var|store)$|(?:path|file|filename|env|var)$"
    r"|[_.-]?(?:type|kind|label|prompt|hint|help|message|msg|title|field|pattern|regex|policy|format|error)$",
    re.IGNORECASE,
)
_ID_KEY = re.compile(r"(?:^|[_.-])(?:id|uuid|guid)$|[a-z](?:Id|Uuid|UUID|ID)$|^(?:uu|gu)?id$", re.IGNORECASE)
_SECRET_WORD = re.compile(r"secret|token|pass|pwd|auth|cred|key", re.IGNORECASE)
_CODE_NAME = re.compile(r"[A-Za-z_][A-Za-z_.-]*")  # a name without digits: `head_paths`, `list-sub-apikeys`
_CALL = re.compile(r"[A-Za-z_][\w.]*\([^()]*\)")
_SRI = re.compile(r"^(sha1|sha256|sha384|sha512)-[A-Za-z0-9+/=_-]+$")


def is_extra_lock_file(path: str) -> bool:
    return PurePosixPath(path).name in EXTRA_LOCK_FILES


def is_superseded(secret_type: str) -> bool:
    return secret_type in _SUPERSEDED


def is_placeholder(secret_type: str, secret: str) -> bool:
    if secret_type == _SLACK:
        tail = re.split(r"[/-]", secret.rstrip("/"))[-1]
        return values.is_placeholder(tail) or values.is_sequential(tail) or values.is_placeholder_token(tail)
    if secret_type not in _GENERIC and secret_type not in CONTEXT_TYPES:
        return False
    return values.is_placeholder(secret) or "..." in secret or is_look_alike(secret)


def is_placeholder_token(secret_type: str, secret: str, line: str) -> bool:
    """For detect-secrets' own token detectors (AWS, Stripe, GitLab...; SEC001's judge their own
    values): a run or a placeholder word in the token (`sk_live_000...`, `AKIAXXXX...`,
    `glpat-xxxx...`). Some of them report only the prefix (`glpat`): the token is read from the line."""
    if secret_type in _WHOLE_VALUE_TYPES or secret_type in _GENERIC or secret_type in CONTEXT_TYPES:
        return False
    at = line.find(secret)
    whole = _TOKEN_RUN.match(line, at).group() if at != -1 else secret  # type: ignore[union-attr]
    return values.is_placeholder_token(whole)


def is_default_login(secret_type: str, secret: str, line: str) -> bool:
    """`postgres://postgres:postgres@...`: a user name repeated as the password, a container's default."""
    return secret_type in _URL_LOGIN_TYPES and f"/{secret}:{secret}@" in line


def is_look_alike(secret: str) -> bool:
    return values.is_look_alike(secret)


def is_documented_example(secret_type: str, secret: str) -> bool:
    if secret_type == _JWT:
        return _is_jwt_io_example(secret)
    return examples.is_documented_example(secret)


def _is_jwt_io_example(token: str) -> bool:
    import base64
    import binascii
    import json

    parts = token.split(".")
    try:
        claims = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except (IndexError, binascii.Error, ValueError):
        return False
    return isinstance(claims, dict) and claims.get("sub") == "1234567890" and claims.get("name") == "John Doe"


def is_elided_private_key(secret_type: str, line: str, below: Sequence[str]) -> bool:
    """A private key block shown with its body cut (`<...>`, `...`) or far too short, END in view."""
    if secret_type not in _KEY_BLOCK_TYPES:
        return False
    block = "\n".join([line, *below])
    end = _KEY_END.search(block)
    if end is None:
        return False
    body = block[: end.start()].split("-----", 2)[-1]
    if _KEY_BODY_GAP.search(body):
        return True
    return len(re.sub(r"[^A-Za-z0-9+/=]|\\n", "", body)) < 64


def is_about_the_secret(secret_type: str, secret: str, line: str) -> bool:
    if secret_type != _KEYWORD or secret not in line:
        return False
    key = _LAST_KEY.search(line[: line.find(secret)])
    return key is not None and bool(_ABOUT_KEY.search(key.group(1)))


def is_identifier(secret_type: str, secret: str, line: str) -> bool:
    if secret_type not in (_HEX, _BASE64) or secret not in line:
        return False
    key = _LAST_KEY.search(line[: line.find(secret)])
    return key is not None and bool(_ID_KEY.search(key.group(1))) and not _SECRET_WORD.search(key.group(1))


def is_code(secret_type: str, secret: str, line: str) -> bool:
    if secret_type not in _GENERIC:
        return False
    if _CALL.fullmatch(secret) or "`" in secret:
        return True
    return f"`{secret}`" in line and bool(_CODE_NAME.fullmatch(secret))


def is_in_template_expression(secret_type: str, secret: str, line: str) -> bool:
    if secret_type not in _GENERIC:
        return False
    at = line.find(secret)
    if at == -1:
        return False
    opened, closed = line.rfind("{{", 0, at), line.find("}}", at + len(secret))
    return opened != -1 and closed != -1 and line.rfind("}}", 0, at) < opened


def is_labelled_digest(secret_type: str, secret: str, line: str, above: Sequence[str] = ()) -> bool:
    """`above`: the lines before `line`, nearest last (detect-secrets' context snippet)."""
    if secret_type == _BASE64:
        return bool(_SRI.match(secret))
    if secret_type != _HEX or len(secret) not in _DIGEST_LENGTHS:
        return False
    before = line[: line.find(secret)] if secret in line else line
    if _DIGEST_WORDS.search(before):
        return True
    return bool(_DIGEST_WORDS.search(_block_name(above)))


def _block_name(above: Sequence[str]) -> str:
    """The line that opened the block holding the value: the nearest opener above that names
    something (a bare `{` or `[` names nothing), unless a closing line ends a block first."""
    for candidate in reversed(above):
        if _BLOCK_CLOSER.match(candidate):
            return ""
        if _BLOCK_OPENER.search(candidate) and _NAMES_SOMETHING.search(candidate):
            return candidate
    return ""


_ENV_FILE = re.compile(r"^\.env(?:[._-].*)?$")
_ENV_ASSIGNMENT = re.compile(r"^\s*(?:export\s+)?(?P<key>[A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(?P<value>.*?)\s*$")


def is_env_file(path: str) -> bool:
    """`.env`, `.env.local`, `.env.example`, `config/.env.production` (not `.envrc`)."""
    return bool(_ENV_FILE.match(PurePosixPath(path).name))


def env_lines(lines: Sequence[str]) -> list[str]:
    """An env file read as detect-secrets reads an INI file: `KEY = "value"`, one line per line."""
    rendered = []
    for line in lines:
        match = _ENV_ASSIGNMENT.match(line)
        if match is None or line.lstrip().startswith("#"):
            rendered.append("")
            continue
        value = match.group("value")
        if value[:1] in ("'", '"') and value.endswith(value[0]) and len(value) > 1:
            value = value[1:-1]
        else:
            value = re.split(r"\s+#", value, maxsplit=1)[0]
        rendered.append(f'{match.group("key")} = "{value}"' if value else "")
    return rendered


_EXAMPLE_ENV = re.compile(r"\.(?:example|sample|template)$", re.IGNORECASE)
_NAME_FOUND = CONTEXT_TYPES | {"Broker Account Password", "Tradovate Credentials"}


def is_plain_example_value(secret_type: str, secret: str, path: str) -> bool:
    if secret_type not in _NAME_FOUND or not (is_env_file(path) and _EXAMPLE_ENV.search(path)):
        return False
    kinds = sum(any(test(c) for c in secret) for test in (str.islower, str.isupper, str.isdigit, _is_symbol))
    return len(secret) < 8 or kinds < 2 or values.is_sequential(secret) or values.shannon_entropy(secret) < 2.5


def _is_symbol(char: str) -> bool:
    return not char.isalnum()
