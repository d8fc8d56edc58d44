"""Webhook URLs that carry their own secret: whoever has the URL can post to the channel or trigger the flow.

`SlackWebhookDetector` ("Slack Webhook URL") reports incoming-webhook, workflow and trigger URLs of
`hooks.slack.com` (detect-secrets' Slack plugin knows only `services/` URLs behind `https://`);
the reported value is the URL.

`WebhookUrlDetector` ("Webhook URL Token") reports the secret part of:
- Discord webhooks: `discord.com/api/webhooks/<id>/<token>` (also `discordapp.com`, `canary.`/`ptb.`);
- Microsoft Teams incoming webhooks: `<tenant>.webhook.office.com/webhookb2/.../IncomingWebhook/<key>/...`
  and the older `outlook.office.com/webhook/...`;
- Power Automate and Logic Apps HTTP triggers: the `sig=` of a `/workflows/.../triggers/...` URL;
- Zapier catch hooks: `hooks.zapier.com/hooks/catch/<account>/<hook>/`;
- IFTTT Maker keys: `maker.ifttt.com/.../key/<key>`;
- Google Chat space webhooks: the `token=` of `chat.googleapis.com/v1/spaces/.../messages`;
- any other `https://` URL with a `/hook/`, `/hooks/`, `/webhook/` or `/webhooks/` path segment followed
  (within three segments) by a generated token of 24+ characters (Mattermost, Rocket.Chat, in-house).

Precision: a token must look generated: letters and digits, no run of five equal characters, no
placeholder word (`your-webhook-token`, `XXXXXXXX`), not a slug of words (`getting-started-with-webhooks`),
not sequential; URL templates (`/webhooks/{id}/{token}`, `${SLACK_WEBHOOK_PATH}`) never match.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from droids.security_compliance.secrets.plugins import values
from droids.security_compliance.secrets.plugins.base import FieldDetector

_END = r"(?![A-Za-z0-9_-])"
_SLACK = re.compile(
    r"(?P<secret>(?:https?://)?hooks\.slack\.com/"
    r"(?:services/T[A-Z0-9_]{4,}/B[A-Z0-9_]{4,}/|workflows/T[A-Z0-9_]{4,}/A[A-Z0-9_]{4,}/\d{4,}/"
    r"|triggers/T[A-Z0-9_]{4,}/\d{4,}/)(?P<token>[A-Za-z0-9_]{12,}))"
)
_DISCORD = re.compile(
    rf"discord(?:app)?\.com/api/(?:v\d+/)?webhooks/\d{{15,22}}/(?P<secret>[A-Za-z0-9_-]{{40,100}}){_END}"
)
_TEAMS = re.compile(
    rf"\.office(?:365)?\.com/webhook(?:b2)?/[^\s\"'/]+/IncomingWebhook/(?P<secret>[0-9a-fA-F]{{32}}){_END}"
)
_WORKFLOW_SIG = re.compile(r"/workflows/[^\s\"'<>]*?[?&]sig=(?P<secret>[A-Za-z0-9_%-]{32,100})(?![A-Za-z0-9_%-])")
_ZAPIER = re.compile(rf"hooks\.zapier\.com/hooks/catch/(?P<secret>\d{{3,12}}/[A-Za-z0-9]{{5,16}}){_END}")
_IFTTT = re.compile(rf"maker\.ifttt\.com/(?:[^\s\"'<>]*?/)?key/(?P<secret>[A-Za-z0-9_-]{{16,64}}){_END}")
_GOOGLE_CHAT = re.compile(
    r"chat\.googleapis\.com/v1/spaces/[^\s\"'<>?]+/messages\?[^\s\"'<>]*?token=(?P<secret>[A-Za-z0-9_%-]{24,100})"
    r"(?![A-Za-z0-9_%-])"
)
_GENERIC = re.compile(
    rf"https?://[^\s\"'<>]*?/(?:web)?hooks?/(?:[A-Za-z0-9_-]+/){{0,3}}(?P<secret>[A-Za-z0-9_-]{{24,128}}){_END}",
    re.IGNORECASE,
)
# Zapier hook ids are short: only their shape is checked, not their entropy.
_SHORT_TOKENS = (_ZAPIER,)


def _generated(token: str, min_entropy: float) -> bool:
    return values.looks_random(token, min_entropy) and not values.is_word_slug(token)


class SlackWebhookDetector(FieldDetector):
    """Slack incoming-webhook, workflow and trigger URLs."""

    secret_type = "Slack Webhook URL"  # noqa: S105 - the type name detect-secrets reports
    denylist = (_SLACK,)

    def keep(self, value: str, match: re.Match[str], context: Sequence[str]) -> bool:
        return _generated(match.group("token"), min_entropy=3.0)


class WebhookUrlDetector(FieldDetector):
    """The secret part of Discord, Teams, Power Automate, Zapier, IFTTT, Google Chat and other webhook URLs."""

    secret_type = "Webhook URL Token"  # noqa: S105 - the type name detect-secrets reports
    denylist = (_DISCORD, _TEAMS, _WORKFLOW_SIG, _ZAPIER, _IFTTT, _GOOGLE_CHAT, _GENERIC)

    def keep(self, value: str, match: re.Match[str], context: Sequence[str]) -> bool:
        if match.re in _SHORT_TOKENS:
            _account, _, hook = value.partition("/")
            return not values.is_placeholder(hook) and not values.is_sequential(hook) and len(set(hook)) >= 4
        return _generated(value, min_entropy=3.0)
