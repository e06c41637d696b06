"""Push what a manager must know to the channels the site configures
(``AIMEE_NOTIFY_URLS``, sent by apprise: Slack, Teams, e-mail, webhooks): a high
alert that is open, and a suggestion awaiting approval.

Once only, across scans, restarts and workers: each thing to tell gets a row per
channel in ``notifications`` (unique), and a worker sends only after claiming the
row in a committed conditional UPDATE (``store/repositories/notifications.claim``);
the send runs outside any transaction, and its result is recorded in another one.
A failed send puts the row back to pending: the next round (the worker's next
interval) tries again, up to ``MAX_ATTEMPTS`` attempts, then gives up with an
error in the log. A worker that died between the claim and the result leaves the
row claimed; after ``CLAIM_STALE`` another round may claim it again.

A round never blocks the scan for long: each send is bounded by ``SEND_TIMEOUT_S``
(and apprise's own connect and read timeouts), a channel that failed is not tried
again in the same round, and a round sends at most ``MAX_SENDS_PER_ROUND``
messages (the rest wait for the next one).

Messages are Japanese and built only from what the alert or suggestion stores (the
rule's message and numbers, the plan's summary and figures) and the dashboard's
address: no user text, no tokens. Channels are known by a hash of their URL, which
is all the database and the logs see of it.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal, Protocol

from sqlalchemy.orm import Session, sessionmaker

from aimee.store.db import transaction
from aimee.store.repositories import notifications as repo
from aimee.store.repositories.notifications import AlertNotice, Due, SuggestionNotice

if TYPE_CHECKING:
    from aimee.config import Settings

log = logging.getLogger(__name__)

ALERT = "alert"
SUGGESTION = "suggestion"
NOTIFIED_SEVERITY = "high"
MAX_ATTEMPTS = 5
"""Attempts per message and channel before giving up (one per round: with the
default interval, 2 minutes apart)."""
MAX_SENDS_PER_ROUND = 20
SEND_TIMEOUT_S = 10.0
"""The longest one send may take (apprise's limit on the whole call)."""
CLAIM_STALE = timedelta(minutes=15)
"""A claim older than this whose sender never reported back may be taken again."""
ALERTS_PAGE = "alerts"
SUGGESTIONS_PAGE = "history"

ALERT_TYPE_LABELS = {
    "delay_risk": "遅延リスク",
    "productivity_drop": "生産性低下",
    "skill_gap": "スキル不足",
}


@dataclass(frozen=True, slots=True)
class Message:
    title: str
    body: str
    level: str
    """apprise's notify type: warning (an alert) or info (a suggestion)."""


class Channel(Protocol):
    @property
    def key(self) -> str:
        """Stable and free of secrets (stored in the database, written in logs)."""
        ...

    def send(self, message: Message) -> bool:
        """True when the channel took the message; False (or an exception) when not."""
        ...


def channel_key(url: str) -> str:
    """The scheme and a hash of the URL: names a channel without its token."""
    scheme = url.split("://", 1)[0][:6] if "://" in url else "url"
    return f"{scheme}:{hashlib.sha256(url.encode()).hexdigest()[: 15 - len(scheme)]}"


class AppriseChannel:
    """One configured URL, sent to by apprise."""

    def __init__(self, url: str, *, timeout_s: float = SEND_TIMEOUT_S) -> None:
        from apprise import Apprise  # noqa: PLC0415 (loaded only when notifications are on)

        self.key = channel_key(url)
        self._timeout_s = timeout_s
        self._apprise = Apprise()
        if not self._apprise.add(url):
            raise ValueError(f"channel {self.key}: not a URL apprise can send to")

    def send(self, message: Message) -> bool:
        result = self._apprise.notify(
            body=message.body,
            title=message.title,
            notify_type=message.level,
            timeout=self._timeout_s,
        )
        return bool(result)


@dataclass(slots=True)
class RoundSummary:
    sent: int = 0
    retrying: int = 0
    gave_up: int = 0
    dropped: int = 0
    skipped: int = 0
    """Due but left for the next round (a channel that failed in this one, the cap)."""
    sent_keys: list[tuple[str, str, str]] = field(default_factory=list)
    """(kind, subject id, channel) of each message sent in this round."""

    def describe(self) -> str:
        return (
            f"{self.sent} sent, {self.retrying} to retry, {self.gave_up} given up, "
            f"{self.dropped} no longer due, {self.skipped} left for the next round"
        )


class Notifier:
    """Tells the configured channels, once each, about high alerts and suggestions
    awaiting approval; run by the worker after each scan."""

    def __init__(
        self,
        channels: Sequence[Channel],
        *,
        dashboard_url: str,
        max_attempts: int = MAX_ATTEMPTS,
        max_sends: int = MAX_SENDS_PER_ROUND,
        claim_stale: timedelta = CLAIM_STALE,
    ) -> None:
        if not channels:
            raise ValueError("a notifier needs at least one channel")
        if len({c.key for c in channels}) != len(channels):
            raise ValueError("the same channel is configured twice")
        if max_attempts < 1 or max_sends < 1:
            raise ValueError("max_attempts and max_sends must be positive")
        self.channels = {c.key: c for c in channels}
        self.dashboard_url = dashboard_url.rstrip("/")
        self.max_attempts = max_attempts
        self.max_sends = max_sends
        self.claim_stale = claim_stale

    @classmethod
    def from_settings(cls, settings: Settings) -> Notifier | None:
        """None when no channel is configured (notifications are off)."""
        if not settings.notify_urls:
            return None
        channels = [AppriseChannel(url) for url in dict.fromkeys(settings.notify_urls)]
        return cls(channels, dashboard_url=settings.dashboard_url)

    # --- a round -------------------------------------------------------------------

    def run(self, sessions: sessionmaker[Session], now: datetime, *, owner: str) -> RoundSummary:
        """Queue what is newly due, then send what this worker can claim."""
        summary = RoundSummary()
        stale_before = now - self.claim_stale
        keys = list(self.channels)
        with transaction(sessions) as session:
            self._enqueue(session, now)
            stuck = repo.give_up_stale(
                session, max_attempts=self.max_attempts, stale_before=stale_before
            )
            rows = repo.due(
                session,
                keys,
                max_attempts=self.max_attempts,
                stale_before=stale_before,
                limit=self.max_sends * 5,
            )
        if stuck:
            log.error(
                "notifications: %d claimed by a worker that never reported back: given up", stuck
            )
            summary.gave_up += stuck
        failed_channels: set[str] = set()
        sends = 0
        for row in rows:
            if row.channel in failed_channels or sends >= self.max_sends:
                summary.skipped += 1
                continue
            message = self._claim(sessions, row, now=now, owner=owner, stale_before=stale_before)
            if message == "dropped":
                summary.dropped += 1
                continue
            if message == "taken":
                continue  # another worker claimed it
            sends += 1
            if self._send(row, message):
                self._finish(sessions, row, repo.SENT, now=now, owner=owner)
                summary.sent += 1
                summary.sent_keys.append((row.kind, row.subject_id, row.channel))
                continue
            failed_channels.add(row.channel)
            attempt = row.attempts + 1
            if attempt >= self.max_attempts:
                self._finish(sessions, row, repo.FAILED, now=now, owner=owner)
                summary.gave_up += 1
                log.error(
                    "notification of %s %s to %s failed %d times: given up",
                    row.kind,
                    row.subject_id,
                    row.channel,
                    attempt,
                )
            else:
                self._finish(sessions, row, repo.PENDING, now=now, owner=owner)
                summary.retrying += 1
                log.warning(
                    "notification of %s %s to %s failed (attempt %d of %d); next round retries",
                    row.kind,
                    row.subject_id,
                    row.channel,
                    attempt,
                    self.max_attempts,
                )
        return summary

    def _enqueue(self, session: Session, now: datetime) -> None:
        keys = list(self.channels)
        alert_ids = [str(a) for a in repo.open_alert_ids(session, NOTIFIED_SEVERITY)]
        repo.enqueue(session, ALERT, alert_ids, keys, now=now)
        repo.enqueue(
            session, SUGGESTION, repo.pending_suggestion_ids(session, now=now), keys, now=now
        )

    def _claim(
        self,
        sessions: sessionmaker[Session],
        row: Due,
        *,
        now: datetime,
        owner: str,
        stale_before: datetime,
    ) -> Message | Literal["dropped", "taken"]:
        """The message to send, once claimed; ``dropped`` when it is no longer due,
        ``taken`` when another worker has it."""
        with transaction(sessions) as session:
            message = self._message(session, row, now)
            if message is None:
                repo.drop(session, row, stale_before=stale_before)
                return "dropped"
            if not repo.claim(session, row, owner=owner, now=now, stale_before=stale_before):
                return "taken"
        return message

    def _message(self, session: Session, row: Due, now: datetime) -> Message | None:
        if row.kind == ALERT:
            alert = repo.alert_notice(session, int(row.subject_id))
            if alert is None or alert.status != "open" or alert.severity != NOTIFIED_SEVERITY:
                return None
            return alert_message(alert, self.dashboard_url)
        if row.kind == SUGGESTION:
            suggestion = repo.suggestion_notice(session, row.subject_id)
            if suggestion is None or suggestion.status != "pending" or suggestion.expires_at <= now:
                return None
            return suggestion_message(suggestion, self.dashboard_url)
        return None

    def _send(self, row: Due, message: Message) -> bool:
        try:
            return self.channels[row.channel].send(message)
        except Exception:  # a channel's bug must not end the round
            log.exception(
                "notification of %s %s to %s raised", row.kind, row.subject_id, row.channel
            )
            return False

    @staticmethod
    def _finish(
        sessions: sessionmaker[Session], row: Due, status: str, *, now: datetime, owner: str
    ) -> None:
        with transaction(sessions) as session:
            repo.finish(session, row.notification_id, owner=owner, status=status, now=now)


# --- messages ----------------------------------------------------------------------


def _number(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "—"
    return f"{value:,.0f}" if abs(value) >= 10 or float(value).is_integer() else f"{value:.1f}"


def alert_message(alert: AlertNotice, dashboard_url: str) -> Message:
    label = ALERT_TYPE_LABELS.get(alert.alert_type, "アラート")
    queue = "／".join(part for part in (alert.location, alert.process) if part) or "全体"
    lines = [alert.message, "", f"種別: {label}（重要度: 高）", f"対象: {queue}"]
    if alert.deadline is not None:
        lines.append(f"納期: {alert.deadline:%H:%M}")
    details = alert.details if isinstance(alert.details, dict) else {}
    late = details.get("late_tasks")
    if late is not None:
        lines.append(f"納期時点の遅延見込み: {_number(late)}件")
    lines += ["", f"アラート一覧: {dashboard_url}/{ALERTS_PAGE}"]
    return Message(title=f"【AIMEE】{label}（高）: {queue}", body="\n".join(lines), level="warning")


def suggestion_message(suggestion: SuggestionNotice, dashboard_url: str) -> Message:
    impact = suggestion.impact if isinstance(suggestion.impact, dict) else {}
    target = str(impact.get("target") or "").strip()
    lines = [suggestion.reason, ""]
    if target:
        lines.append(f"対象: {target}")
    before, after = impact.get("late_tasks_before"), impact.get("late_tasks_after")
    if before is not None and after is not None:
        lines.append(f"遅延見込み: {_number(before)}件 → {_number(after)}件")
    lines += [
        f"提案ID: {suggestion.suggestion_id}",
        f"承認期限: {suggestion.expires_at:%H:%M}",
        "",
        f"提案・承認履歴（提案タブ）: {dashboard_url}/{SUGGESTIONS_PAGE}",
    ]
    title = f"【AIMEE】承認待ちの提案: {target}" if target else "【AIMEE】承認待ちの提案"
    return Message(title=title, body="\n".join(lines), level="info")
