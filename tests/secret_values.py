"""Secret-shaped values built at run time from parts, so no secret is ever committed.

Each builder takes a seed, so a test gets the same value on every run (no flaky entropy), and
different seeds give different values. Values with random parts use distinct characters where an
entropy threshold must be passed.
"""

from __future__ import annotations

import base64
import hashlib
import json
import random
import string
import uuid
import zlib
from collections.abc import Callable

_UPPER_DIGITS = string.ascii_uppercase + "234567"
_ALNUM = string.ascii_letters + string.digits


def _rng(kind: str, seed: int) -> random.Random:
    return random.Random(f"{kind}:{seed}")


def _distinct(rng: random.Random, alphabet: str, n: int) -> str:
    """`n` characters, as many of them distinct as the alphabet allows (high entropy)."""
    out: list[str] = []
    while len(out) < n:
        out.extend(rng.sample(alphabet, min(len(alphabet), n - len(out))))
    return "".join(out)


def aws_access_key(seed: int = 0) -> str:
    return "AK" + "IA" + _distinct(_rng("aws", seed), _UPPER_DIGITS, 16)


def aws_secret_key(seed: int = 0) -> str:
    return _distinct(_rng("aws-secret", seed), _ALNUM + "+/", 40)


def private_key_header(kind: str = "RSA") -> str:
    return "-----" + "BEGIN " + kind + " PRIVATE" + " KEY-----"


def slack_token(seed: int = 0) -> str:
    rng = _rng("slack", seed)
    digits = "".join(rng.choice(string.digits) for _ in range(12))
    return "xo" + "xb-" + digits + "-" + digits[::-1] + "-" + _distinct(rng, string.ascii_lowercase + string.digits, 24)


def base62_crc32(payload: str) -> str:
    """The 6-character checksum GitHub and npm append to a token: CRC32 of the random part, in base62."""
    digits = string.digits + string.ascii_uppercase + string.ascii_lowercase
    number, out = zlib.crc32(payload.encode()), ""
    while number:
        number, rest = divmod(number, 62)
        out = digits[rest] + out
    return out.rjust(6, "0")


def github_token(seed: int = 0, prefix: str = "p") -> str:
    """A classic GitHub token (`ghp_` by default; `o`, `u`, `s`, `r` for the other kinds) with a valid checksum."""
    body = _distinct(_rng("github", seed), _ALNUM, 30)
    return "gh" + prefix + "_" + body + base62_crc32(body)


def github_token_bad_checksum(seed: int = 0) -> str:
    """The GitHub shape with a checksum that does not hold: a fake, not a token."""
    token = github_token(seed)
    return token[:-1] + ("A" if token[-1] != "A" else "B")


def stripe_live_key(seed: int = 0) -> str:
    return "sk" + "_live_" + _distinct(_rng("stripe", seed), _ALNUM, 24)


def password(seed: int = 0) -> str:
    rng = _rng("password", seed)
    return _distinct(rng, string.ascii_letters, 12) + _distinct(rng, string.digits, 4)


def twelve_data_key(seed: int = 0) -> str:
    """The shape of a Twelve Data API key: 32 lower-case hex digits."""
    return _distinct(_rng("twelve", seed), "0123456789abcdef", 32)


def basic_auth_url(seed: int = 0) -> tuple[str, str]:
    secret = password(seed)
    return f"https://deploy:{secret}@git.internal.net/trading.git", secret


def jwt(seed: int = 0) -> str:
    def part(data: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    signature = _distinct(_rng("jwt", seed), _ALNUM + "-_", 43)
    return (
        part({"alg": "HS256", "typ": "JWT"})
        + "."
        + part({"sub": f"trader-{seed}", "iat": 1700000000})
        + "."
        + signature
    )


def sha256_hex(seed: int = 0) -> str:
    return hashlib.sha256(f"artifact-{seed}".encode()).hexdigest()


def sha1_hex(seed: int = 0) -> str:
    return hashlib.sha1(f"commit-{seed}".encode()).hexdigest()  # noqa: S324 - a git-like revision id


def sri_sha512(seed: int = 0) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(f"pkg-{seed}".encode()).digest()).decode()


def a_uuid(seed: int = 0) -> str:
    return str(uuid.UUID(int=_rng("uuid", seed).getrandbits(128), version=4))


def slack_webhook_path(seed: int = 0) -> str:
    """The secret part of a Slack incoming-webhook URL: /services/T.../B.../<24 characters>."""
    rng = _rng("slack", seed)
    team = "T" + _distinct(rng, string.ascii_uppercase + string.digits, 10)
    bot = "B" + _distinct(rng, string.ascii_uppercase + string.digits, 10)
    return f"/services/{team}/{bot}/{_distinct(rng, _ALNUM, 24)}"


# --- Every credential format SEC001 knows by value, built at run time from random parts -------------
# Prefixes are split ("gh" + "p_") so that no complete token is ever written in this repository.

_HEX = "0123456789abcdef"
_URLSAFE = _ALNUM + "-_"
_LOWER_DIGITS = string.ascii_lowercase + string.digits
_UPPER_ALNUM = string.ascii_uppercase + string.digits
_B64 = _ALNUM + "+/"


def random_part(kind: str, seed: int, alphabet: str, n: int) -> str:
    """`n` high-entropy characters of `alphabet`, with a digit and a letter when the alphabet has both."""
    out = list(_distinct(_rng(kind, seed), alphabet, n))
    digits = [c for c in alphabet if c.isdigit()]
    letters = [c for c in alphabet if c.isalpha()]
    if digits and letters and n >= 2:
        if not any(c.isdigit() for c in out):
            out[1] = digits[seed % len(digits)]
        if not any(c.isalpha() for c in out):
            out[0] = letters[seed % len(letters)]
    return "".join(out)


def digits(kind: str, seed: int, n: int) -> str:
    rng = _rng(kind, seed)
    return "".join(rng.choice(string.digits) for _ in range(n))


def _uuid(kind: str, seed: int) -> str:
    return str(uuid.UUID(int=_rng(kind, seed).getrandbits(128), version=4))


def npm_token(seed: int = 0) -> str:
    body = random_part("npm", seed, _ALNUM, 30)
    return "np" + "m_" + body + base62_crc32(body)


def strong_password(seed: int = 0) -> str:
    """A password a person would call real: mixed case, digits and a symbol, no word."""
    return random_part("strong-pw", seed, _ALNUM, 14) + "#!"[seed % 2]


def _p(kind: str, alphabet: str, n: int, prefix: str = "", suffix: str = "") -> Callable[[int], str]:
    return lambda seed: prefix + random_part(kind, seed, alphabet, n) + suffix


TOKEN_FORMATS: dict[str, Callable[[int], str]] = {
    # cloud
    "AWS access key id": aws_access_key,
    "AWS temporary access key id": _p("asia", _UPPER_DIGITS, 16, "AS" + "IA"),
    "Google API key": _p("gapi", _URLSAFE, 35, "AI" + "za"),
    "Google OAuth client secret": _p("gocspx", _URLSAFE, 28, "GOC" + "SPX-"),
    "Google OAuth access token": _p("ya29", _URLSAFE, 120, "ya" + "29."),
    "Google OAuth refresh token": _p("g1", _URLSAFE, 90, "1/" + "/0"),
    "Azure AD client secret": lambda s: (
        random_part("az3", s, _ALNUM, 3) + "8Q" + "~" + random_part("azq", s, _ALNUM, 34)
    ),
    "Azure DevOps PAT (annotated key)": lambda s: (
        random_part("ado", s, _ALNUM, 52)
        + "JQQ"
        + "J99"
        + random_part("ado2", s, string.ascii_uppercase, 1)
        + random_part("ado3", s, _ALNUM, 17)
        + "AZ"
        + "DO"
        + random_part("ado4", s, _ALNUM, 4)
    ),
    "Azure storage connection string": lambda s: (
        "DefaultEndpointsProtocol=https;AccountName=desk;Account"
        + "Key="
        + random_part("azsk", s, _B64, 86)
        + "==;EndpointSuffix=core.windows.net"
    ),
    "Azure SAS URL": lambda s: (
        "https://desk.blob.core.windows.net/fills/day.csv?sv=2022-11-02&ss=b&srt=o&sp=r"
        + "&se=2030-01-01T00:00:00Z&s"
        + "ig="
        + random_part("azsas", s, _ALNUM, 43)
        + "%3D"
    ),
    "Alibaba Cloud AccessKey ID": _p("ali", _ALNUM, 20, "LT" + "AI"),
    "Tencent Cloud SecretId": _p("tc", _ALNUM, 32, "AK" + "ID"),
    "DigitalOcean personal access token": _p("dop", _HEX, 64, "do" + "p_v1_"),
    "DigitalOcean OAuth token": _p("doo", _HEX, 64, "do" + "o_v1_"),
    "Cloudflare Origin CA key": lambda s: (
        "v1" + ".0-" + random_part("cf1", s, _HEX, 24) + "-" + random_part("cf2", s, _HEX, 146)
    ),
    "Scaleway access key": _p("scw", _UPPER_ALNUM, 17, "SC" + "W"),
    "HashiCorp Vault token": _p("hvs", _URLSAFE, 90, "hv" + "s."),
    "Terraform Cloud token": lambda s: (
        random_part("tf1", s, _ALNUM, 14) + ".atlas" + "v1." + random_part("tf2", s, _URLSAFE, 67)
    ),
    "Databricks token": _p("dapi", _HEX, 32, "da" + "pi"),
    "Doppler token": _p("dp", _ALNUM, 43, "dp" + ".pt."),
    "Pulumi token": _p("pul", _HEX, 40, "pu" + "l-"),
    "Supabase token": _p("sbp", _HEX, 40, "sb" + "p_"),
    "Heroku API key": _p("hrku", _URLSAFE, 60, "HR" + "KU-"),
    "Fly.io token": _p("fly", _URLSAFE, 43, "fo" + "1_"),
    "Yandex Cloud API key": _p("yc", _URLSAFE, 36, "AQ" + "VN"),
    # version control, CI, package registries
    "GitHub classic PAT": github_token,
    "GitHub OAuth token": lambda s: github_token(s, "o"),
    "GitHub user-to-server token": lambda s: github_token(s, "u"),
    "GitHub server-to-server token": lambda s: github_token(s, "s"),
    "GitHub refresh token": lambda s: github_token(s, "r"),
    "GitHub fine-grained PAT": lambda s: (
        "github" + "_pat_" + random_part("ghf1", s, _ALNUM, 22) + "_" + random_part("ghf2", s, _ALNUM, 59)
    ),
    "GitLab PAT": _p("glpat", _URLSAFE, 20, "gl" + "pat-"),
    "GitLab deploy token": _p("gldt", _URLSAFE, 20, "gl" + "dt-"),
    "GitLab runner token": _p("glrt", _URLSAFE, 20, "gl" + "rt-"),
    "GitLab pipeline trigger token": _p("glptt", _HEX, 40, "gl" + "ptt-"),
    "GitLab runner registration token": _p("gr", _URLSAFE, 20, "GR" + "1348941"),
    "Bitbucket app password": _p("atbb", _ALNUM, 32, "AT" + "BB"),
    "Atlassian API token": _p("atatt", _URLSAFE, 186, "ATA" + "TT3"),
    "npm access token": npm_token,
    "PyPI token": _p("pypi", _URLSAFE, 80, "py" + "pi-AgEIcHlwaS5vcmc"),
    "NuGet API key": _p("nuget", _LOWER_DIGITS, 43, "oy" + "2"),
    "Docker Hub PAT": _p("dckr", _URLSAFE, 27, "dckr" + "_pat_"),
    "RubyGems API key": _p("gem", _HEX, 48, "rubygems" + "_"),
    "crates.io token": _p("cio", _ALNUM, 32, "ci" + "o"),
    "Clojars token": _p("clj", _LOWER_DIGITS, 60, "CLOJARS" + "_"),
    "JFrog API key": _p("jfrog", _ALNUM, 69, "AK" + "Cp"),
    "SonarQube token": _p("squ", _HEX, 40, "sq" + "u_"),
    "Buildkite token": _p("bk", _HEX, 40, "bk" + "ua_"),
    "CircleCI personal token": lambda s: (
        "CCI" + "PAT_" + random_part("cci1", s, _ALNUM, 22) + "_" + random_part("cci2", s, _HEX, 40)
    ),
    "Postman API key": lambda s: "PM" + "AK-" + random_part("pm1", s, _HEX, 24) + "-" + random_part("pm2", s, _HEX, 34),
    "Sentry token": _p("sntry", _ALNUM, 80, "sntry" + "s_"),
    "Grafana Cloud token": _p("glc", _B64, 60, "gl" + "c_"),
    "Grafana service account token": lambda s: (
        "gl" + "sa_" + random_part("glsa", s, _ALNUM, 32) + "_" + random_part("glsa2", s, _HEX, 8)
    ),
    "New Relic user key": _p("nrak", _UPPER_ALNUM, 27, "NR" + "AK-"),
    "Dynatrace token": lambda s: (
        "dt0" + "c01." + random_part("dt1", s, _UPPER_ALNUM, 24) + "." + random_part("dt2", s, _UPPER_ALNUM, 64)
    ),
    # chat, mail, productivity
    "Slack bot token": slack_token,
    "Slack app-level token": lambda s: (
        "xa"
        + "pp-1-A"
        + random_part("xapp1", s, _UPPER_ALNUM, 10)
        + "-"
        + digits("xapp2", s, 13)
        + "-"
        + random_part("xapp3", s, _HEX, 64)
    ),
    "Slack configuration token": _p("xoxe", _ALNUM, 150, "xo" + "xe.xoxp-1-"),
    "Discord bot token": lambda s: (
        "M"
        + random_part("dc1", s, _ALNUM, 23)
        + "."
        + random_part("dc2", s, _URLSAFE, 6)
        + "."
        + random_part("dc3", s, _URLSAFE, 27)
    ),
    "Telegram bot token": lambda s: digits("tg", s, 10) + ":AA" + (random_part("tg2", s, _URLSAFE, 33)),
    "Twilio API key": _p("twilio", _HEX, 32, "S" + "K"),
    "SendGrid API key": lambda s: (
        "S" + "G." + random_part("sg1", s, _URLSAFE, 22) + "." + random_part("sg2", s, _URLSAFE, 43)
    ),
    "Mailchimp API key": _p("mc", _HEX, 32, "", "-us" + "14"),
    "Mailgun API key": _p("mg", _HEX, 32, "ke" + "y-"),
    "Brevo API key": lambda s: (
        "xkey" + "sib-" + random_part("brevo", s, _HEX, 64) + "-" + random_part("brevo2", s, _ALNUM, 16)
    ),
    "Linear API key": _p("lin", _ALNUM, 40, "lin" + "_api_"),
    "Notion integration token": lambda s: "nt" + "n_" + digits("ntn", s, 11) + random_part("ntn2", s, _ALNUM, 35),
    "Airtable personal access token": lambda s: (
        "pa" + "t" + random_part("air", s, _ALNUM, 14) + "." + random_part("air2", s, _HEX, 64)
    ),
    "Figma token": _p("figd", _URLSAFE, 40, "fig" + "d_"),
    "Sourcegraph token": _p("sgp", _HEX, 40, "sg" + "p_"),
    "Prefect API key": _p("pnu", _ALNUM, 36, "pn" + "u_"),
    "ReadMe API key": _p("rdme", _LOWER_DIGITS, 70, "rd" + "me_"),
    "1Password service account token": _p("ops", _B64, 200, "ops" + "_eyJ"),
    "Contentful token": _p("cfpat", _URLSAFE, 43, "CF" + "PAT-"),
    "Infracost key": _p("ico", _ALNUM, 32, "ic" + "o-"),
    "Mapbox secret token": lambda s: (
        "sk" + ".eyJ" + random_part("mb1", s, _URLSAFE, 80) + "." + random_part("mb2", s, _URLSAFE, 22)
    ),
    "Shopify access token": _p("shp", _HEX, 32, "shp" + "at_"),
    "Twitter/X bearer token": _p("tw", _ALNUM, 90, "A" * 21),
    "Facebook access token": _p("fb", _ALNUM, 150, "EA" + "AC"),
    "Dropbox token": _p("dbx", _URLSAFE, 140, "s" + "l."),
    # payment
    "Stripe live secret key": stripe_live_key,
    "Stripe live secret key (long)": _p("stripe-long", _ALNUM, 99, "sk" + "_live_"),
    "Stripe restricted key": _p("rk", _ALNUM, 24, "rk" + "_live_"),
    "Stripe test key": _p("sktest", _ALNUM, 24, "sk" + "_test_"),
    "Stripe webhook secret": _p("whsec", _ALNUM, 32, "wh" + "sec_"),
    "Braintree access token": lambda s: (
        "access_token"
        + "$production$"
        + random_part("bt1", s, _LOWER_DIGITS, 16)
        + "$"
        + random_part("bt2", s, _HEX, 32)
    ),
    "Square access token": _p("sqatp", _URLSAFE, 22, "sq0" + "atp-"),
    "Square OAuth secret": _p("sqcsp", _URLSAFE, 43, "sq0" + "csp-"),
    "Razorpay key": _p("rzp", _ALNUM, 14, "rzp" + "_live_"),
    "Flutterwave secret key": _p("flw", _HEX, 32, "FLW" + "SECK-", "-X"),
    "GoCardless token": _p("gc", _URLSAFE, 40, "li" + "ve_"),
    "Plaid access token": lambda s: "access" + "-production-" + _uuid("plaid", s),
    # AI
    "OpenAI legacy key": lambda s: (
        "s" + "k-" + random_part("oa1", s, _ALNUM, 20) + "T3Blbk" + "FJ" + random_part("oa2", s, _ALNUM, 20)
    ),
    "OpenAI project key": lambda s: (
        "sk-"
        + "proj-"
        + random_part("oap1", s, _URLSAFE, 58)
        + "T3Blbk"
        + "FJ"
        + (random_part("oap2", s, _URLSAFE, 58))
    ),
    "OpenAI service account key": _p("oasa", _URLSAFE, 120, "sk-" + "svcacct-"),
    "Anthropic API key": _p("ant", _URLSAFE, 93, "sk-" + "ant-api03-", "AA"),
    "Anthropic admin key": _p("anta", _URLSAFE, 93, "sk-" + "ant-admin01-", "AA"),
    "Hugging Face token": _p("hf", string.ascii_letters, 34, "h" + "f_"),
    "Replicate token": _p("r8", _ALNUM, 37, "r" + "8_"),
    "Groq API key": _p("gsk", _ALNUM, 52, "gs" + "k_"),
    "Perplexity API key": _p("pplx", _ALNUM, 48, "pp" + "lx-"),
    "xAI API key": _p("xai", _ALNUM, 80, "xa" + "i-"),
    "OpenRouter API key": _p("or", _HEX, 64, "sk-" + "or-v1-"),
    "LangSmith API key": lambda s: (
        "ls" + "v2_pt_" + random_part("ls1", s, _HEX, 32) + "_" + random_part("ls2", s, _HEX, 10)
    ),
    # databases
    "PostgreSQL URL": lambda s: (
        "postgresql" + "://desk:" + strong_password(s).rstrip("#!") + "@db.internal:5432/trades"
    ),
    "MongoDB SRV URL": lambda s: "mongodb+srv" + "://desk:" + strong_password(s).rstrip("#!") + "@cluster0.ab12c.net/t",
    "Redis URL": lambda s: "rediss" + "://default:" + strong_password(s).rstrip("#!") + "@cache.internal:6380/0",
    "MySQL URL": lambda s: "mysql" + "://desk:" + strong_password(s).rstrip("#!") + "@db.internal/trades",
    "AMQP URL": lambda s: "amqps" + "://desk:" + strong_password(s).rstrip("#!") + "@mq.internal/desk",
    "SQL Server connection string": lambda s: (
        "Server=db.internal;Database=trades;User Id=desk;Pass" + "word=" + strong_password(s).rstrip("#!") + ";"
    ),
    "JDBC URL": lambda s: (
        "jdbc:postgresql://db.internal:5432/trades?user=desk&pass" + "word=" + strong_password(s).rstrip("#!")
    ),
    "PlanetScale token": _p("pscale", _ALNUM, 43, "pscale" + "_tkn_"),
    # brokers, market data, crypto exchanges
    "Alpaca API key id": _p("alpaca", _UPPER_ALNUM, 18, "P" + "K"),
    "Databento API key": _p("dbn", _ALNUM, 29, "d" + "b-"),
    "IEX Cloud secret token": _p("iex", _HEX, 32, "s" + "k_"),
    "Polygon key in a URL": _p("poly", _ALNUM, 32, "https://api." + "polygon.io/v2/aggs/ticker/ES/prev?apiKey="),
    "Finnhub token in a URL": _p("fh", _LOWER_DIGITS, 20, "https://finnhub" + ".io/api/v1/quote?symbol=ES&token="),
    "Alpha Vantage key in a URL": _p(
        "av", _UPPER_ALNUM, 16, "https://www.alpha" + "vantage.co/query?function=X&apikey="
    ),
    "FMP key in a URL": _p("fmp", _ALNUM, 32, "https://financial" + "modelingprep.com/api/v3/quote/ES?apikey="),
    "EODHD token in a URL": _p("eod", _ALNUM, 24, "https://eodhd" + ".com/api/eod/ES.US?api_token="),
    "Tiingo token in a URL": _p("tiingo", _HEX, 40, "https://api." + "tiingo.com/iex/es?token="),
    "Twelve Data key in a URL": lambda s: (
        "https://api." + "twelvedata.com/quote?symbol=ES&" + "apikey=" + (twelve_data_key(s))
    ),
    "Interactive Brokers Flex token": lambda s: (
        "https://ndcdyn.interactivebrokers.com/AccountManagement/"
        + "FlexWebService/SendRequest?t="
        + digits("flex", s, 24)
        + "&q=8&v=3"
    ),
    # keys and tokens of any provider
    "JSON Web Token": jwt,
    "age secret key": _p("age", "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L", 58, "AGE-SECRET" + "-KEY-1"),
    "Base64-encoded PEM private key": lambda s: base64.b64encode(
        (private_key_header() + "\n" + random_part("pem", s, _B64, 64) + "\n").encode()
    ).decode(),
    "Basic auth URL": lambda s: basic_auth_url(s)[0],
    "Slack webhook URL": lambda s: (
        "https://hooks."
        + "slack.com/services/T"
        + random_part("st", s, _UPPER_ALNUM, 8)
        + "/B"
        + random_part("sb", s, _UPPER_ALNUM, 10)
        + "/"
        + random_part("sh", s, _ALNUM, 24)
    ),
    "Microsoft Teams webhook URL": lambda s: (
        "https://desk.webhook."
        + "office.com/webhookb2/"
        + _uuid("t1", s)
        + "@"
        + _uuid("t2", s)
        + "/IncomingWebhook/"
        + random_part("tk", s, _HEX, 32)
        + "/"
        + _uuid("t3", s)
        + "/V2"
        + random_part("tv2", s, _URLSAFE, 40)
    ),
    "Discord webhook URL": lambda s: (
        "https://discord." + "com/api/webhooks/" + digits("dw", s, 18) + "/" + random_part("dwt", s, _URLSAFE, 68)
    ),
}
