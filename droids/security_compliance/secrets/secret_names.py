"""Does a name say "secret"? The word rules SEC003 and SEC004 share.

A name is split into lower-case words at underscores, dashes, dots, digits and camelCase humps
(`apiKey`, `API_KEY` and `api-key` all give `api key`). It names a secret when:

- one of its words is a secret word: secret(s), password(s), passwd, passphrase, pwd, token,
  apikey, credential(s), creds, privatekey, secretkey, accesskey, authtoken, authorization, bearer;
- or `key` follows a word that makes it a credential (`api`, `access`, `secret`, `private`,
  `signing`, `encryption`, `client`, `master`, `hmac`, `ssh`, `webhook`...): `sort_key`,
  `primary_key`, `cache_key`, `public_key` and a bare `key` are not secrets;
- or `auth` ends the name or precedes header/value/string/tuple/creds (`auth`, `basic_auth`,
  `auth_header`), not `auth_url` or `auth_method`;
- or `pass` ends a name of two or more words (`db_pass`), not `first_pass`.

Whatever the words, it is not a secret when the last word says the name holds something about a
secret rather than the secret (`token_count`, `password_hash`, `api_key_env`, `secret_name`,
`key_fn`, `token_url`, `credentials_path`), or the first word makes it a flag or a number
(`is_secret`, `has_token`, `max_tokens`, `hashed_password`, `masked_key`). `token` after a word
that makes it a lexical or paging token (`next_token`, `page_token`, `eos_token`) is no secret,
and `tokens` (plural) counts as words, not credentials (`num_tokens`, `tokens_used`).

`setting=True` is for configuration names (keys of `.env` files): there a name ending in `KEY`
(`STRIPE_KEY`, `SENTRY_KEY`) is a secret whatever precedes it, except `PUBLIC_KEY`,
`PUBLISHABLE_KEY` and the like.
"""

from __future__ import annotations

import re

_HUMPS = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+")

SECRET_WORDS = frozenset(
    {"secret", "secrets", "password", "passwords", "passwd", "passphrase", "pwd", "token", "apikey", "apikeys",
     "credential", "credentials", "creds", "privatekey", "secretkey", "accesskey", "authtoken", "authorization",
     "bearer"}
)  # fmt: skip
KEY_QUALIFIERS = frozenset(
    {"api", "access", "secret", "private", "priv", "auth", "signing", "sign", "encryption", "encrypt", "decryption",
     "crypto", "client", "app", "application", "master", "hmac", "ssh", "license", "licence", "service", "account",
     "admin", "consumer", "webhook", "jwt", "session", "aes", "rsa", "gpg", "pgp", "fernet", "subscription", "sas",
     "storage", "deploy", "root"}
)  # fmt: skip
_AUTH_FOLLOWERS = frozenset({"header", "headers", "value", "string", "str", "data", "info", "pair", "tuple", "creds"})
# Last words that make the name hold something *about* a secret, not the secret itself.
NON_SECRET_TAILS = frozenset(
    {"count", "counts", "len", "length", "size", "num", "number", "type", "types", "kind", "name", "names", "id",
     "ids", "fn", "func", "function", "callback", "cb", "url", "uri", "urls", "endpoint", "path", "paths", "file",
     "files", "filename", "dir", "directory", "prefix", "suffix", "field", "fields", "env", "var", "vars", "variable",
     "index", "idx", "pattern", "patterns", "regex", "re", "format", "fmt", "expiry", "expires", "expiration",
     "expire", "ttl", "timeout", "lifetime", "age", "limit", "limits", "max", "min", "hash", "hashed", "digest",
     "policy", "rule", "rules", "required", "enabled", "disabled", "set", "present", "exists", "missing", "source",
     "provider", "manager", "store", "storage", "cls", "class", "mode", "version", "scope", "scopes", "label",
     "attr", "attribute", "hint", "column", "col", "location", "prompt", "message", "msg", "error", "errors",
     "exception", "valid", "validator", "validation", "check", "checker", "strength", "ref", "option", "options",
     "help", "description", "doc", "placeholder", "template", "example", "sample", "mask", "masked", "redacted",
     "generator", "factory", "builder", "parser", "loader", "reader", "handler", "schema", "model", "category",
     "status", "state", "flag", "flags", "algorithm", "alg", "algo", "method", "scheme", "created", "updated", "at",
     "time", "date", "timestamp", "used", "usage", "user", "username", "owner", "email", "fingerprint", "specs",
     "spec", "words", "word", "chars", "bits", "kwarg", "kwargs", "arg", "args", "param", "params", "lines", "line",
     "pos", "position", "offset", "ms", "sec", "secs", "seconds", "latency", "duration", "elapsed", "rate", "speed",
     "throughput", "thrpt", "warning", "warnings", "event", "events"}
)  # fmt: skip
# First words that make the name a flag, a number or a transformed value.
NON_SECRET_HEADS = frozenset(
    {"num", "n", "max", "min", "total", "count", "is", "has", "have", "should", "use", "uses", "enable", "enabled",
     "require", "requires", "need", "needs", "no", "with", "without", "validate", "verify", "check", "hash",
     "hashed", "len", "mask", "masked", "redact", "redacted", "encrypted", "public", "publishable"}
)  # fmt: skip
# Words before `token` that make it a lexer, model or paging token.
_TOKEN_NEUTRAL = frozenset(
    {"next", "prev", "previous", "current", "cur", "page", "pagination", "continuation", "cancel", "cancellation",
     "start", "end", "stop", "eos", "bos", "pad", "unk", "sep", "cls", "mask", "special", "first", "last", "lexer",
     "sync", "resume", "parse", "syntax"}
)  # fmt: skip
_PASS_NEUTRAL = frozenset({"first", "second", "third", "last", "next", "single", "one", "two", "each", "per", "this"})
_NOT_SETTING_KEYS = frozenset({"public", "publishable", "sort", "primary", "foreign", "partition", "cache", "lookup"})


def words(name: str) -> list[str]:
    """Lower-case words of an identifier, a dotted path or an environment variable name."""
    return [w.lower() for part in re.split(r"[^A-Za-z]+", name) for w in _HUMPS.findall(part)]


def is_secret_name(name: str, *, setting: bool = False) -> bool:
    """True when `name` says it holds a secret (see the module documentation for the rules)."""
    parts = words(name)
    if not parts or parts[-1] in NON_SECRET_TAILS or parts[0] in NON_SECRET_HEADS:
        return False
    if setting and parts[-1] == "key" and (len(parts) == 1 or parts[-2] not in _NOT_SETTING_KEYS):
        return True
    for i, word in enumerate(parts):
        before = parts[i - 1] if i else ""
        after = parts[i + 1] if i + 1 < len(parts) else ""
        if word == "token" and before in _TOKEN_NEUTRAL:
            continue
        if word in SECRET_WORDS:
            return True
        if word in ("key", "keys") and before in KEY_QUALIFIERS:
            return True
        if word == "auth" and (not after or after in _AUTH_FOLLOWERS):
            return True
        if word == "pass" and not after and before and before not in _PASS_NEUTRAL:
            return True
    return False
