"""SEC001's own detectors, line by line: what each must report (type, line, severity, evidence) and
what it must leave alone. Values are built at run time (`sec001_field_values.py`)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from droids.core.fingerprint_key import FingerprintKey
from droids.core.models import Severity
from droids.security_compliance.secrets.engine import redact
from droids.security_compliance.secrets.runner import scan_content
from droids.security_compliance.secrets.sec001_hardcoded_secret import findings_for
from droids.security_compliance.secrets.severity import base_type
from tests import secret_values as sv
from tests.droids.security_compliance.secrets import field_values as fv

KEY = FingerprintKey(os.urandom(32), "tests")  # the repository's fingerprint key, made at run time

TD, URLKEY, TV, BROKER = "Twelve Data API Key", "API Key in URL", "Tradovate Credentials", "Broker Account Password"
VENDOR = "Market Data API Key"
BROKER_API, CRYPTO = "Broker API Credentials", "Crypto Exchange API Key"
SLACK, HOOK = "Slack Webhook URL", "Webhook URL Token"
HIGH, CRITICAL, LOW = Severity.HIGH, Severity.CRITICAL, Severity.LOW
TD_HOST = "api." + "twelvedata.com"
WS_HOST = "ws." + "twelvedata.com"


def _values() -> dict[str, str]:
    values = {
        "td": sv.twelve_data_key(),
        "td_url": fv.twelve_data_url()[0],
        "td_host": TD_HOST,
        "ws_host": WS_HOST,
        "vendor": fv.vendor_key(),
        "vendor16": fv.vendor_key(1, 16),
        "vendor40": fv.vendor_key(2, 40),
        "sec": fv.tradovate_sec(),
        "pw": sv.password(),
        "slack": fv.slack_webhook(),
        "slack_wf": fv.slack_workflow(),
        "uuid": sv.a_uuid(),
    }
    for name, build in [
        ("discord", fv.discord_webhook),
        ("teams", fv.teams_webhook),
        ("flow", fv.power_automate),
        ("zap", fv.zapier_hook),
        ("ifttt", fv.ifttt_key),
        ("gchat", fv.google_chat),
        ("mm", fv.mattermost),
    ]:
        values[name], values[f"{name}_secret"] = build()
    return values


# path, content template, 1-based line, type the finding is named by, severity, key of the reported value
MUST_FLAG = [
    # Twelve Data: URLs (also on `x = f(...)` lines, which detect-secrets' indirect-reference filter drops)
    ("data/feed.py", 'resp = requests.get("{td_url}")\n', 1, TD, HIGH, "td"),
    ("data/stream.py", 'WS = "wss://{ws_host}/v1/quotes/price?apikey={td}"\n', 1, TD, HIGH, "td"),
    ("notebooks/explore.md", "curl 'https://{td_host}/quote?apikey={td}&symbol=ES'\n", 1, TD, HIGH, "td"),
    ("data/client.py", 'from twelvedata import TDClient\n\ntd = TDClient(apikey="{td}")\n', 3, TD, HIGH, "td"),
    ("data/keys.py", 'TWELVE_DATA_API_KEY = "{td}"\n', 1, TD, HIGH, "td"),
    ("data/env.py", 'KEY = os.getenv("TWELVE_DATA_API_KEY", "{td}")\n', 1, TD, HIGH, "td"),
    ("web/feed.js", 'const twelveDataApiKey = "{td}";\n', 1, TD, HIGH, "td"),
    (".env", "TWELVEDATA_API_KEY={td}\n", 1, TD, HIGH, "td"),
    ("config/feed.yaml", "feeds:\n  twelvedata_apikey: {td}\n", 2, TD, HIGH, "td"),
    # keys in a market-data vendor's URL (named after the vendor family), and in any URL's query string
    ("data/av.py", 'U = "https://www.alphavantage.co/query?function=X&apikey={vendor16}"\n', 1, VENDOR, HIGH,
     "vendor16"),
    ("scripts/poly.sh", 'curl "https://api.polygon.io/v2/aggs/ticker/ES?apiKey={vendor}"\n', 1, VENDOR, HIGH, "vendor"),
    # (a vendor's URL is context, not a token format: in documentation it is low)
    ("docs/finnhub.md", "`https://finnhub.io/api/v1/quote?symbol=ES&token={vendor}`\n", 1, VENDOR, LOW, "vendor"),
    ("ops/finnhub.txt", "`https://finnhub.io/api/v1/quote?symbol=ES&token={vendor}`\n", 1, VENDOR, HIGH, "vendor"),
    ("data/other.py", 'U = "https://data.vendor.internal/v1/bars?symbol=ES&apikey={vendor}"\n', 1, URLKEY, HIGH,
     "vendor"),
    # Tradovate access-token request, as JSON, dict, keyword arguments, YAML, .env
    ("broker/auth.json", '{{\n  "name": "trader",\n  "password": "{pw}",\n  "appId": "desk",\n  "appVersion": "1.0",\n'
     '  "cid": 8,\n  "sec": "{sec}"\n}}\n', 3, TV, CRITICAL, "pw"),
    ("broker/auth.json", '{{\n  "name": "trader",\n  "password": "{pw}",\n  "appId": "desk",\n  "appVersion": "1.0",\n'
     '  "cid": 8,\n  "sec": "{sec}"\n}}\n', 7, TV, CRITICAL, "sec"),
    ("broker/tv.py", 'BODY = {{"name": "t", "password": "{pw}", "appId": "d", "cid": 8, "sec": "{sec}"}}\n', 1, TV,
     CRITICAL, "sec"),
    ("broker/tv.py", 'BODY = {{"name": "t", "password": "{pw}", "appId": "d", "cid": 8, "sec": "{sec}"}}\n', 1, TV,
     CRITICAL, "pw"),
    ("broker/login.py", 'r = session.post(URL, json=dict(name="t", appId="d", cid=8, sec="{sec}"))\n', 1, TV,
     CRITICAL, "sec"),
    ("config/tradovate.yaml", "tradovate:\n  name: trader\n  password: {pw}\n  cid: 8\n  sec: {sec}\n", 5, TV,
     CRITICAL, "sec"),
    ("config/tradovate.yaml", "tradovate:\n  name: trader\n  password: {pw}\n  cid: 8\n  sec: {sec}\n", 3, TV,
     CRITICAL, "pw"),
    # YAML and INI readings blank parents, sections and numbers: the file's own lines are read around a hit
    ("config/tv.yaml", "tradovate:\n  cid: 8\n  sec: {sec}\n", 3, TV, CRITICAL, "sec"),
    ("config/tv.ini", "[tradovate]\nsec = {sec}\n", 2, TV, CRITICAL, "sec"),
    (".env.live", "TRADOVATE_SEC={sec}\n", 1, TV, CRITICAL, "sec"),
    ("config/creds.toml", '[tradovate]\ntradovate_api_secret = "{sec}"\n', 2, TV, CRITICAL, "sec"),
    # broker account passwords
    ("config/broker.yaml", "broker:\n  broker_password: {pw}\n", 2, BROKER, CRITICAL, "pw"),
    ("config/ib.toml", '[ib]\nib_password = "{pw}"\n', 2, BROKER, CRITICAL, "pw"),
    ("config/rithmic.ini", "[rithmic]\nrithmic_password = {pw}\n", 2, BROKER, CRITICAL, "pw"),
    ("config/app.properties", "apex.password={pw}\n", 1, BROKER, CRITICAL, "pw"),
    (".env", "IB_USER=trader\nIB_PASSWORD={pw}\n", 2, BROKER, CRITICAL, "pw"),
    (".env.production", "export ACCOUNT_PASSWORD='{pw}'\n", 1, BROKER, CRITICAL, "pw"),
    ("app/settings.py", 'class S(BaseSettings):\n    ib_password: str = "{pw}"\n', 2, BROKER, CRITICAL, "pw"),
    ("app/run.py", 'client = connect(host, tradovate_password="{pw}")\n', 1, BROKER, CRITICAL, "pw"),
    ("web/login.ts", 'const brokerPassword = "{pw}";\n', 1, BROKER, CRITICAL, "pw"),
    # Slack webhooks (detect-secrets' Slack plugin matches the first too; ours names it)
    ("ops/alerts.py", 'SLACK_WEBHOOK = "{slack}"\n', 1, SLACK, HIGH, "slack"),
    ("ops/notify.py", 'r = requests.post("{slack}", json={{"text": msg}})\n', 1, SLACK, HIGH, "slack"),
    ("ops/alerts.yaml", "alerts:\n  slack: {slack_wf}\n", 2, SLACK, HIGH, "slack_wf"),
    # other webhooks: the secret part of the URL
    ("ops/discord.py", 'HOOK = "{discord}"\n', 1, HOOK, HIGH, "discord_secret"),
    ("ops/teams.yaml", "teams_webhook: {teams}\n", 1, HOOK, HIGH, "teams_secret"),
    ("ops/flow.json", '{{"trigger": "{flow}"}}\n', 1, HOOK, HIGH, "flow_secret"),
    ("ops/zap.py", 'ZAP = "{zap}"\n', 1, HOOK, HIGH, "zap_secret"),
    ("ops/ifttt.sh", 'curl -X POST "{ifttt}"\n', 1, HOOK, HIGH, "ifttt_secret"),
    ("ops/chat.py", 'CHAT = "{gchat}"\n', 1, HOOK, HIGH, "gchat_secret"),
    ("ops/mm.toml", 'url = "{mm}"\n', 1, HOOK, HIGH, "mm_secret"),
    # API keys and secrets under a broker's or a market-data vendor's name
    ("broker/alpaca.py", 'ALPACA_SECRET_KEY = "{vendor40}"\n', 1, BROKER_API, CRITICAL, "vendor40"),
    (".env", "APCA_API_SECRET_KEY={vendor40}\n", 1, BROKER_API, CRITICAL, "vendor40"),
    ("config/schwab.yaml", "schwab:\n  schwab_app_secret: {vendor}\n", 2, BROKER_API, CRITICAL, "vendor"),
    ("data/polygon.py", 'POLYGON_API_KEY = "{vendor}"\n', 1, VENDOR, HIGH, "vendor"),
    ("config/feeds.toml", '[finnhub]\nfinnhub_token = "{vendor}"\n', 2, VENDOR, HIGH, "vendor"),
    # crypto exchanges: config fields next to the exchange's name (ccxt, freqtrade), and their headers
    ("bot/exchange.py", 'ex = ccxt.binance({{\n    "apiKey": "{vendor40}",\n    "secret": "{vendor}",\n}})\n', 2,
     CRYPTO, CRITICAL, "vendor40"),
    ("user_data/config.json",
     '{{"exchange": {{\n  "name": "kraken",\n  "key": "{vendor40}",\n  "secret": "{vendor}"\n}}}}\n', 4, CRYPTO,
     CRITICAL, "vendor"),
    ("bot/rest.py", 'HEADERS = {{"X-MBX-APIKEY": "{vendor40}"}}\n', 1, CRYPTO, CRITICAL, "vendor40"),
]  # fmt: skip

# path, content template: no finding at all (not from SEC001's detectors, nor from detect-secrets')
MUST_NOT_FLAG = [
    ("td/demo.py", 'URL = "https://{td_host}/time_series?symbol=ES&interval=1min&apikey=demo"\n'),
    ("td/fstring.py", 'url = f"https://{td_host}/time_series?symbol={{symbol}}&apikey={{api_key}}"\n'),
    ("td/env.sh", 'curl "https://{td_host}/quote?symbol=ES&apikey=${{TWELVE_DATA_KEY}}"\n'),
    ("td/ws.js", "const ws = new WebSocket(`wss://{ws_host}/v1/quotes/price?apikey=${{key}}`);\n"),
    ("td/client.py", 'td = TDClient(apikey=os.environ["TWELVE_DATA_API_KEY"])\n'),
    ("td/readme.py", 'td = TDClient(apikey="YOUR_API_KEY_HERE")\n'),
    ("td/params.py", 'params = {{"symbol": "ES", "apikey": settings.twelve_data_api_key}}\n'),
    ("td/settings.py", "class S(BaseSettings):\n"
     "    twelve_data_api_key: SecretStr = Field(alias='TWELVE_DATA_API_KEY')\n"),
    (".env.example", "TWELVE_DATA_API_KEY=your_twelve_data_key\nIB_PASSWORD=changeme\nTRADOVATE_SEC=<your-sec>\n"),
    ("url/template.py", 'URL = "https://example.com/search?key=value&token=%s&apikey={{}}"\n'),
    ("url/encoded.md", "See `https://api.example.com/v1?access_token=%7Baccess_token%7D`.\n"),
    ("url/placeholder.md", "`https://api.example.com/v1?token=YOUR_ACCESS_TOKEN_HERE`\n"),
    ("url/sequence.py", 'U = "https://api.example.com/v1?apikey=abcdef0123456789"\n'),
    ("broker/env.yaml", "broker:\n  broker_password: ${{BROKER_PASSWORD}}\n"
     "  ib_password: '{{{{ vault_ib_password }}}}'\n"),
    ("broker/tag.yaml", "ib_password: !env IB_PASSWORD\n"),
    ("broker/ref.yaml", "ib_password: IB_PASSWORD\nrithmic_password: '********'\n"),
    ("broker/read.py", "ib_password = os.environ['IB_PASSWORD']\n"
     "if ib_password == 'changeme':\n    raise ValueError\n"),
    ("broker/ini.cfg", "[broker]\nbroker_password = %(BROKER_PASSWORD)s\n"),
    ("broker/pydantic.py", "class S(BaseSettings):\n    broker_password: SecretStr\n    ib_pass: str | None = None\n"),
    ("tv/doc.json", '{{"name": "<username>", "password": "<password>", "appId": "<app>", "cid": 0, '
     '"sec": "<api secret>"}}\n'),
    ("tv/seconds.py", 'TIMEOUT = {{"sec": 30, "retries": 3}}\n'),
    ("tv/uuid.yaml", "retry:\n  sec: {uuid}\n"),
    ("tv/zeros.json", '{{"cid": 8, "sec": "00000000-0000-0000-0000-000000000000"}}\n'),
    ("tv/env.py", 'body = {{"name": user, "password": os.environ["TV_PASSWORD"], "cid": cid, "sec": sec}}\n'),
    ("hooks/discord.py", 'URL = "https://discord.com/api/webhooks/{{webhook_id}}/{{webhook_token}}"\n'),
    ("hooks/slack.sh", 'curl -X POST "https://hooks.slack.com/services/${{SLACK_WEBHOOK_PATH}}"\n'),
    ("hooks/env.py", 'WEBHOOK_URL = os.environ["SLACK_WEBHOOK_URL"]\n'),
    ("hooks/docs.md", "Read https://docs.example.com/webhooks/getting-started-with-webhooks-2024 first.\n"),
    ("hooks/github.md", "POST https://api.github.com/repos/org/repo/hooks/123456789/pings\n"),
    ("hooks/zapier.md", "e.g. https://hooks.zapier.com/hooks/catch/123456/abcdef/\n"),
    ("hooks/mm.md", "https://chat.example.com/hooks/xxxxxxxxxxxxxxxxxxxxxxxxxx\n"),
    ("broker/alpaca_env.py", 'ALPACA_SECRET_KEY = os.environ["ALPACA_SECRET_KEY"]\n'),
    ("broker/alpaca_doc.yaml", "alpaca:\n  alpaca_api_key: <your-alpaca-key>\n"),
    ("bot/exchange_env.py", 'ex = ccxt.binance({{"apiKey": os.environ["K"], "secret": os.environ["S"]}})\n'),
]  # fmt: skip


@pytest.mark.parametrize(
    ("path", "template", "line", "secret_type", "severity", "value_key"),
    MUST_FLAG,
    ids=[f"{row[0]}:{row[2]}:{row[3]}:{row[5]}" for row in MUST_FLAG],
)
def test_reports_the_secret_at_its_line(
    path: str, template: str, line: int, secret_type: str, severity: Severity, value_key: str
) -> None:
    values = _values()
    scan = scan_content(path, template.format(**values).encode())
    secret = values[value_key]

    findings = findings_for(path, scan, frozenset(), KEY)
    evidence = redact(secret)
    ours = [f for f in findings if f.line == line and f.evidence == evidence]
    assert len(ours) == 1, [(f.line, f.message, f.evidence) for f in findings]
    finding = ours[0]
    assert base_type(finding.message.split(" hard-coded in ")[0]) == secret_type
    assert f" hard-coded in {path}" in finding.message
    assert (finding.rule, finding.severity, finding.suppressed) == ("SEC001", severity, False)
    assert secret not in finding.model_dump_json()


@pytest.mark.parametrize(("path", "template"), MUST_NOT_FLAG, ids=[row[0] for row in MUST_NOT_FLAG])
def test_does_not_report(path: str, template: str) -> None:
    text = template.format(**_values())
    placeholder_hook = "https://hooks." + "slack.com/services/T" + "0" * 8 + "/B" + "0" * 8 + "/" + "X" * 24

    assert scan_content(path, text.encode()).hits == []
    assert scan_content("docs/slack.md", f"Webhook: {placeholder_hook}\n".encode()).hits == []


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("a.py", 'KEY = "{td}"  # pragma: allowlist secret\n'),
        ("b.yaml", "ib_password: {pw}  # pragma: allowlist secret\n"),
        ("c.py", '# pragma: allowlist nextline secret\nHOOK = "{discord}"\n'),
    ],
)
def test_the_pragma_silences_the_new_detectors(path: str, text: str) -> None:
    assert scan_content(path, text.format(**_values()).encode()).hits == []


def test_a_field_type_names_the_finding_and_the_generic_matches_are_listed() -> None:
    values = _values()
    scan = scan_content("feed.py", f'TWELVE_DATA_API_KEY = "{values["td"]}"\n'.encode())

    (finding,) = findings_for("feed.py", scan, frozenset(), KEY)
    assert finding.message.startswith("Twelve Data API Key hard-coded in feed.py (also matched: ")
    assert "Secret Keyword" in finding.message


def test_indirect_reference_and_uuid_exemptions_are_sec001s_own() -> None:
    """detect-secrets itself (engine without own filters) drops these; SEC001 reports them."""
    from droids.security_compliance.secrets.engine import SecretEngine

    values = _values()
    text = f'r = requests.get("{values["td_url"]}")\nBODY = {{"cid": 8, "sec": "{values["sec"]}"}}\n'
    upstream = {(h.line, h.secret_type) for h in SecretEngine(own_filters=False).scan("x.py", text).hits}
    ours = {(h.line, h.secret_type) for h in SecretEngine().scan("x.py", text).hits}

    assert upstream == set()
    assert {(1, TD), (2, TV)} <= ours


def test_every_field_detector_is_covered_by_the_tables() -> None:
    assert {row[3] for row in MUST_FLAG} == fv.FIELD_TYPES | {VENDOR, BROKER_API, CRYPTO}


@pytest.mark.parametrize("module", ["twelve_data", "url_query_key", "tradovate", "broker_password", "webhooks"])
def test_config_only_patterns_are_part_of_the_denylist(module: str) -> None:
    from importlib import import_module

    from droids.security_compliance.secrets.plugins import PLUGINS

    mod = import_module(f"droids.security_compliance.secrets.plugins.{module}")
    for name in PLUGINS[module]:
        plugin = getattr(mod, name)()
        assert plugin.config_only <= set(plugin.denylist)
        assert all(isinstance(p, re.Pattern) and "secret" in p.groupindex for p in plugin.denylist)
        assert set(plugin.patterns_for("a.py")) <= set(plugin.denylist) == set(plugin.patterns_for("a.yaml"))


def test_detect_secrets_cli_loads_the_plugins_and_its_baseline_suppresses_their_findings(tmp_path: Path) -> None:
    """`detect-secrets scan -p FILE ...` (the CLI, in a subprocess) reports the new types with the
    same hashes SEC001 computes, so a baseline written that way accepts SEC001's findings."""
    from droids.security_compliance.secrets.plugins import module_files

    values = _values()
    text = f'TWELVE_DATA_API_KEY = "{values["td"]}"\nHOOK = "{values["discord"]}"\n'
    (tmp_path / "feed.py").write_text(text)
    plugin_args = [arg for module in module_files() for arg in ("-p", str(module))]
    out = subprocess.run(
        [sys.executable, "-m", "detect_secrets", "scan", *plugin_args, "feed.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    baseline = json.loads(out)
    listed = {(e["type"], e["hashed_secret"]) for e in baseline["results"]["feed.py"]}
    scan = scan_content("feed.py", text.encode())

    assert {(h.secret_type, h.hashed_secret) for h in scan.hits if h.secret_type in fv.FIELD_TYPES} <= listed
    assert {p["name"] for p in baseline["plugins_used"]} >= {"TwelveDataKeyDetector", "WebhookUrlDetector"}
    findings = findings_for("feed.py", scan, frozenset(h for _, h in listed), KEY)
    assert [f.suppressed for f in findings] == [True, True]


def test_an_exchange_field_needs_the_exchange_named_nearby() -> None:
    values = _values()
    plain = '{{"cache": {{\n  "key": "{vendor40}"\n}}}}\n'.format(**values)
    named = '{{"exchange": "bybit", "cache": {{\n  "key": "{vendor40}"\n}}}}\n'.format(**values)

    assert CRYPTO not in {h.secret_type for h in scan_content("bot/other.json", plain.encode()).hits}
    assert CRYPTO in {h.secret_type for h in scan_content("bot/other.json", named.encode()).hits}
