"""Values for SEC001's own detectors (Twelve Data, URL keys, Tradovate, broker passwords, webhooks),
built at run time from parts and a seed, as `secret_values.py` builds the others.

URLs are assembled from pieces so that no complete webhook or keyed URL is ever written in the
repository; random parts use distinct characters so entropy thresholds are passed.
"""

from __future__ import annotations

import random
import string
import uuid

from tests import secret_values as sv

FIELD_TYPES = frozenset(
    {
        "Twelve Data API Key",
        "API Key in URL",
        "Tradovate Credentials",
        "Broker Account Password",
        "Slack Webhook URL",
        "Webhook URL Token",
    }
)
_ALNUM = string.ascii_letters + string.digits
_UPPER = string.ascii_uppercase + string.digits
_LOWER = string.ascii_lowercase + string.digits


def _token(kind: str, seed: int, alphabet: str, n: int) -> str:
    rng = random.Random(f"{kind}:{seed}")
    out: list[str] = []
    while len(out) < n:
        out.extend(rng.sample(alphabet, min(len(alphabet), n - len(out))))
    # A digit and a letter for sure, whatever the draw.
    digit = next(c for c in alphabet if c.isdigit())
    letter = next(c for c in alphabet if c.isalpha())
    if not any(c.isdigit() for c in out):
        out[1] = digit
    if not any(c.isalpha() for c in out):
        out[0] = letter
    return "".join(out)


def vendor_key(seed: int = 0, n: int = 32) -> str:
    """A market-data vendor key of the Polygon/Alpha Vantage kind: mixed-case letters and digits."""
    return _token("vendor", seed, _ALNUM, n)


def tradovate_sec(seed: int = 0) -> str:
    return str(uuid.UUID(int=random.Random(f"sec:{seed}").getrandbits(128), version=4))


def twelve_data_url(seed: int = 0) -> tuple[str, str]:
    key = sv.twelve_data_key(seed)
    return "https://api." + "twelvedata.com/time_series?symbol=ES&interval=1min&" + "apikey=" + key, key


def slack_webhook(seed: int = 0) -> str:
    team, bot = _token("team", seed, _UPPER, 8), _token("bot", seed, _UPPER, 10)
    return "https://hooks." + "slack.com/services/T" + team + "/B" + bot + "/" + _token("slack-hook", seed, _ALNUM, 24)


def slack_workflow(seed: int = 0) -> str:
    team, app = _token("team", seed, _UPPER, 8), _token("app", seed, _UPPER, 10)
    digits = "".join(random.Random(f"wf:{seed}").choice(string.digits) for _ in range(18))
    return (
        "https://hooks."
        + "slack.com/workflows/T"
        + team
        + "/A"
        + app
        + "/"
        + digits
        + "/"
        + _token("wf", seed, _ALNUM, 24)
    )


def discord_webhook(seed: int = 0) -> tuple[str, str]:
    token = _token("discord", seed, _ALNUM + "-_", 68)
    hook_id = "".join(random.Random(f"did:{seed}").choice(string.digits) for _ in range(18))
    return "https://discord." + "com/api/webhooks/" + hook_id + "/" + token, token


def teams_webhook(seed: int = 0) -> tuple[str, str]:
    key = _token("teams", seed, "0123456789abcdef", 32)
    group, tenant, owner = (str(uuid.UUID(int=random.Random(f"{p}:{seed}").getrandbits(128))) for p in "gto")
    url = "https://contoso.webhook." + "office.com/webhookb2/" + group + "@" + tenant
    return url + "/IncomingWebhook/" + key + "/" + owner, key


def power_automate(seed: int = 0) -> tuple[str, str]:
    sig = _token("sig", seed, _ALNUM + "-_", 43)
    flow = _token("flow", seed, "0123456789abcdef", 32)
    host = "https://prod-27.westeurope.logic." + "azure.com:443/workflows/" + flow
    return host + "/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers&sv=1.0&" + "sig=" + sig, sig


def zapier_hook(seed: int = 0) -> tuple[str, str]:
    account = "".join(random.Random(f"za:{seed}").choice(string.digits) for _ in range(7))
    hook = _token("zap", seed, _LOWER, 7)
    return "https://hooks." + "zapier.com/hooks/catch/" + account + "/" + hook + "/", account + "/" + hook


def ifttt_key(seed: int = 0) -> tuple[str, str]:
    key = _token("ifttt", seed, _ALNUM + "-_", 22)
    return "https://maker." + "ifttt.com/trigger/trade_filled/with/key/" + key, key


def google_chat(seed: int = 0) -> tuple[str, str]:
    token = _token("gchat", seed, _ALNUM + "-_", 43)
    google = "AI" + "za" + _token("gkey", seed, _ALNUM, 33)
    url = "https://chat." + "googleapis.com/v1/spaces/AAAA" + _token("space", seed, _ALNUM, 7) + "/messages?"
    return url + "key=" + google + "&" + "token=" + token + "%3D", token + "%3D"


def mattermost(seed: int = 0) -> tuple[str, str]:
    token = _token("mm", seed, _LOWER, 26)
    return "https://chat.desk.internal/" + "hooks/" + token, token


def field_values(seed: int) -> list[str]:
    """One value of each new kind, for corpora that put values under many names and syntaxes."""
    return [
        twelve_data_url(seed)[0],
        tradovate_sec(seed),
        slack_webhook(seed),
        discord_webhook(seed)[0],
        teams_webhook(seed)[0],
        "https://www.alphavantage.co/query?function=TIME_SERIES_INTRADAY&" + "apikey=" + vendor_key(seed, 16),
    ]
