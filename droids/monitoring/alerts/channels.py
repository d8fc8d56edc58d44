"""Where a message goes: Slack (incoming webhook), email (SMTP) and any apprise URL.

Slack and email are sent by code here, not by apprise: the outbox needs what apprise does not give
(measured, tests/benchmarks/README.md): the HTTP status and Slack's `Retry-After` on a 429 (apprise's
Slack sender resends after about a second whatever the header says, then gives up), and the moment
the request has left the process (`handed`, see outbox.py), which is what makes a restart after a
SIGKILL neither lose nor repeat a message. apprise serves the other 100+ services (Teams, Discord,
Telegram, ntfy, ...): a channel `apprise` sends to each URL of `DROID_APPRISE_URLS`, delivered at
least once (apprise answers only sent / not sent).

Every outcome is a `Result`: `sent`, `retry` (transient: 429 with its Retry-After, 5xx, network),
or `failed` (permanent: Slack's 400/403/404/410 with its plain-text reason). Addresses are never
part of a result's text (mask.py).
"""

from __future__ import annotations

import http.client
import re
import smtplib
import socket
import ssl
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate
from urllib.parse import urlsplit

from droids.core.errors import DroidError
from droids.monitoring.alerts.mask import mask_url

Handed = Callable[[], None]
PERMANENT_HTTP = (400, 401, 403, 404, 410)


@dataclass(frozen=True)
class Attachment:
    filename: str
    data: bytes
    mime: str  # e.g. "text/html"


@dataclass(frozen=True)
class Result:
    outcome: str  # sent | retry | failed
    detail: str = ""
    retry_after_s: float | None = None  # the receiver's own wait (Slack's Retry-After)


def check_webhook_url(url: str, source: str) -> None:
    """A Slack webhook URL: http(s) with a host and a path; bad input names `source`, never the URL."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("https", "http") or not parts.hostname or not parts.path.strip("/"):
        raise DroidError(f"{source}: expected a webhook URL https://host/path, got {mask_url(url)}")


def check_smtp_url(url: str, source: str) -> tuple[str, int, bool]:
    """`smtp://host:port` (or `smtps://`): host, port, TLS."""
    parts = urlsplit(url.strip())
    try:
        port = parts.port
    except ValueError:
        port = -1
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname or port == -1:
        raise DroidError(f"{source}: expected smtp://host:port, got {mask_url(url)}")
    return parts.hostname, port or (465 if parts.scheme == "smtps" else 25), parts.scheme == "smtps"


def send_slack(url: str, text: str, *, timeout_s: float, handed: Handed) -> Result:
    """POST `{"text": ...}` to the webhook; the body's last byte is written after `handed()`."""
    import json

    parts = urlsplit(url)
    body = json.dumps({"text": text}).encode()
    conn_cls = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    conn = conn_cls(parts.hostname or "", parts.port, timeout=timeout_s)  # type: ignore[call-arg]
    try:
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        conn.putrequest("POST", path)
        conn.putheader("Content-Type", "application/json; charset=utf-8")
        conn.putheader("Content-Length", str(len(body)))
        conn.putheader("User-Agent", "droid-monitor")
        conn.endheaders(body[:-1])
        handed()
        conn.send(body[-1:])
        response = conn.getresponse()
        status, reason = response.status, response.read(2000).decode("utf-8", "replace").strip()
        retry_after = response.getheader("Retry-After")
    except (OSError, http.client.HTTPException, ssl.SSLError) as exc:
        return Result("retry", f"network: {_network(exc)}")
    finally:
        conn.close()
    return slack_result(status, reason, retry_after)


def slack_result(status: int, body: str, retry_after: str | None) -> Result:
    text = _plain(body)
    if 200 <= status < 300:
        return Result("sent", f"{status} {text}".strip())
    if status == 429:
        wait = _seconds(retry_after)
        return Result("retry", f"429 rate limited (Retry-After {retry_after or 'absent'})", wait)
    if status in PERMANENT_HTTP:
        return Result("failed", f"{status} {text or 'error'}")
    return Result("retry", f"{status} {text or 'server error'}")


def send_email(
    smtp_url: str,
    sender: str,
    to: list[str],
    subject: str,
    body: str,
    message_id: str,
    *,
    timeout_s: float,
    handed: Handed,
    attachments: Sequence[Attachment] = (),
) -> Result:
    """One message over SMTP; its Message-ID is the outbox row's, so a mail store that sees it twice
    keeps one. The terminating "." is written after `handed()`. `attachments` go as MIME parts
    (e.g. the morning report's page, text/html)."""
    host, port, tls = check_smtp_url(smtp_url, "DROID_SMTP_URL")
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, ", ".join(to), subject
    msg["Date"], msg["Message-ID"] = formatdate(localtime=False), message_id
    msg.set_content(body)
    for a in attachments:
        maintype, _, subtype = a.mime.partition("/")
        msg.add_attachment(a.data, maintype=maintype, subtype=subtype, filename=a.filename)
    data = msg.as_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    data = re.sub(rb"(?m)^\.", b"..", data)
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    try:
        smtp = smtplib.SMTP_SSL(host, port, timeout=timeout_s) if tls else smtplib.SMTP(host, port, timeout=timeout_s)
    except (OSError, smtplib.SMTPException) as exc:
        return Result("retry", f"SMTP {host}:{port} unreachable: {_network(exc)}")
    try:
        smtp.ehlo_or_helo_if_needed()
        code, reply = smtp.mail(sender)
        if code != 250:
            return _smtp_refused("MAIL FROM", code, reply)
        for rcpt in to:
            code, reply = smtp.rcpt(rcpt)
            if code not in (250, 251):
                return _smtp_refused(f"RCPT TO {rcpt}", code, reply)
        code, reply = smtp.docmd("DATA")
        if code != 354:
            return _smtp_refused("DATA", code, reply)
        smtp.send(data)
        handed()
        smtp.send(b".\r\n")
        code, reply = smtp.getreply()
        if code != 250:
            return _smtp_refused("message", code, reply)
        return Result("sent", f"{code} {reply.decode('utf-8', 'replace')[:200]}")
    except (OSError, smtplib.SMTPException) as exc:
        return Result("retry", f"SMTP {host}:{port}: {_network(exc)}")
    finally:
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()


def send_apprise(urls: list[str], title: str, body: str, *, handed: Handed) -> Result:
    import apprise

    app = apprise.Apprise()
    for url in urls:
        if not app.add(url):
            return Result("failed", f"apprise cannot use {mask_url(url)}")
    handed()  # apprise sends in one call: a kill during it is resent (at least once)
    return Result("sent") if app.notify(body=body, title=title) else Result("retry", "apprise: not sent")


def _smtp_refused(stage: str, code: int, reply: bytes) -> Result:
    text = reply.decode("utf-8", "replace")[:200]
    return Result("retry" if 400 <= code < 500 else "failed", f"SMTP {stage}: {code} {text}")


def _plain(body: str) -> str:
    return " ".join(body.split())[:200]


def _seconds(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return max(0.0, float(value.strip()))
    except ValueError:
        return None


def _network(exc: BaseException) -> str:
    if isinstance(exc, socket.timeout | TimeoutError):
        return "timed out"
    return exc.strerror if isinstance(exc, OSError) and exc.strerror else exc.__class__.__name__
