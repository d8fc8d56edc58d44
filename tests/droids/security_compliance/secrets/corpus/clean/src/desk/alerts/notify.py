"""Trade alerts to Slack, Discord and Teams; webhook URLs are secrets and live in the environment."""

from __future__ import annotations

import json
import os
import urllib.request

DISCORD_TEMPLATE = "https://discord.com/api/webhooks/{webhook_id}/{webhook_token}"
SLACK_DOCS = "https://api.slack.com/messaging/webhooks"
TEAMS_DOCS = "https://learn.microsoft.com/microsoftteams/platform/webhooks-and-connectors/how-to/add-incoming-webhook"


def _post(url: str, payload: dict[str, object]) -> int:
    request = urllib.request.Request(  # noqa: S310 - https URLs from our own settings
        url, data=json.dumps(payload).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
        return response.status


def slack(text: str) -> int:
    return _post(os.environ["SLACK_WEBHOOK_URL"], {"text": text})


def discord(text: str) -> int:
    url = DISCORD_TEMPLATE.format(
        webhook_id=os.environ["DISCORD_WEBHOOK_ID"], webhook_token=os.environ["DISCORD_WEBHOOK_TOKEN"]
    )
    return _post(url, {"content": text})


def teams(text: str) -> int:
    return _post(os.environ["TEAMS_WEBHOOK_URL"], {"text": text})
