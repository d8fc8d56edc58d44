from __future__ import annotations

import pytest
from desk.alerts import notify

PLACEHOLDER_HOOKS = [
    "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
    "https://discord.com/api/webhooks/000000000000000000/placeholder-token",
    "https://example.webhook.office.com/webhookb2/<group>@<tenant>/IncomingWebhook/<key>/<owner>",
    "https://hooks.zapier.com/hooks/catch/000000/xxxxxx/",
    "https://example.com/webhooks/test",
]


@pytest.mark.parametrize("url", PLACEHOLDER_HOOKS)
def test_placeholder_hooks_are_never_called(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    monkeypatch.setattr(notify, "_post", lambda u, payload: calls.append(u) or 200)
    monkeypatch.setenv("SLACK_WEBHOOK_URL", url)

    assert notify.slack("filled 1 ES @ 5000.25") == 200
    assert calls == [url]


def test_discord_url_is_built_from_the_template(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISCORD_WEBHOOK_ID", "123")
    monkeypatch.setenv("DISCORD_WEBHOOK_TOKEN", "token-from-env")
    seen: list[str] = []
    monkeypatch.setattr(notify, "_post", lambda u, payload: seen.append(u) or 204)

    notify.discord("flat by 16:59 ET")
    assert seen == ["https://discord.com/api/webhooks/123/token-from-env"]
