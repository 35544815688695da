"""The outbox sender: claims committed messages, posts them to Slack, records the outcome."""

import logging
import time
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session

from commands.ports import Delivery, SlackApi, SlackFailure
from storage import outbox as outbox_rows
from storage.models import OutboxMessage
from storage.tenant import Tenant
from storage.types import id_of, utcnow

log = logging.getLogger(__name__)

LEASE = timedelta(seconds=60)
# Answers Slack may have acted on though we never heard back: look before posting again.
UNKNOWN_OUTCOMES = frozenset({"timeout", "connection"})
LOOK_BACK = timedelta(minutes=2)  # a message's ts may be a little before it was queued
MAX_ATTEMPTS = 8
# Slack errors that no retry will fix: the message is given up at once.
PERMANENT_ERRORS = frozenset(
    {
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "invalid_blocks",
        "invalid_blocks_format",
        "msg_too_long",
        "no_text",
        "too_many_attachments",
        "restricted_action",
        "invalid_auth",
        "not_authed",
        "account_inactive",
        "token_revoked",
        "missing_scope",
        "not_installed",  # the workspace removed the app: no token to post with
    }
)


def backoff(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failure: 30 s, 1 m, 2 m, … at most 1 h."""
    return min(timedelta(seconds=30 * 2 ** max(attempts - 1, 0)), timedelta(hours=1))


class OutboxSender:
    """Sends outbox messages through the Slack gateway; safe to run in several processes at once."""

    def __init__(
        self,
        engine: Engine,
        slack: SlackApi,
        now: Callable[[], datetime] = utcnow,
        *,
        retries: bool = True,
        draws: bool = True,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        """Args:
        retries: try a failed post again at once, a few times (the clock); a process that
            answers Slack within 3 seconds cannot wait, and leaves it to the clock.
        draws: draw and upload pictures; a web process leaves them to the clock (drawing
            loads matplotlib and takes a tenth of a second or more).
        """
        self._engine = engine
        self._slack = slack
        self._now = now
        self._retries = retries
        self._draws = draws
        self._sleep = sleep

    def deliver(self, message_ids: Sequence[int]) -> list[Delivery]:
        """Try to send these messages now; those another sender holds are left to it."""
        results = [self._send(message_id) for message_id in message_ids]
        return [result for result in results if result is not None]

    def deliver_due(self, limit: int = 500) -> list[Delivery]:
        """Send every message whose time has come (the clock calls this each tick)."""
        with Session(self._engine) as session:
            ids = outbox_rows.due_ids(session=session, now=self._now(), limit=limit)
        return self.deliver(ids)

    def _send(self, message_id: int) -> Delivery | None:
        with Session(self._engine, expire_on_commit=False) as session:
            message = outbox_rows.claim(
                session=session, message_id=message_id, now=self._now(), lease=LEASE
            )
            if message is None:
                return None
            thread_ts = outbox_rows.thread_of(session=session, message=message)
            session.commit()
        if message.kind == outbox_rows.PICTURE and not self._draws:
            with Session(self._engine) as session:
                outbox_rows.wait_for_thread(
                    session=session, message_id=message_id, retry_at=self._now()
                )
                session.commit()
            return None
        if outbox_rows.waits_for_thread(message) and thread_ts is None:
            # Its cycle's message is not out yet: wait for it (without spending an attempt)
            # rather than post at the top of the channel.
            with Session(self._engine) as session:
                outbox_rows.wait_for_thread(
                    session=session, message_id=message_id, retry_at=self._now() + backoff(1)
                )
                session.commit()
            return Delivery(message_id=message_id, sent=False, error="waiting_for_thread")
        tenant = Tenant(team_id=message.team_id, enterprise_id=message.enterprise_id)
        if message.kind == outbox_rows.PICTURE:
            return self._send_picture(tenant, message, thread_ts)
        unknown = message.outcome_unknown
        retried = 0
        while True:
            try:
                ts = self._already_posted(tenant, message, thread_ts, unknown) or self._post(
                    tenant, message, thread_ts
                )
                break
            except SlackFailure as failure:
                unknown = unknown or _ambiguous(failure)
                pause = self._pause(failure, retried)
                if pause is None:
                    return self._failed(
                        message_id, message.attempts, failure.code, failure.retry_after, unknown
                    )
                self._sleep(pause)
                retried += 1
        with Session(self._engine) as session:
            outbox_rows.mark_sent(session=session, message_id=message_id, ts=ts, now=self._now())
            session.commit()
        return Delivery(message_id=message_id, sent=True, ts=ts)

    def _send_picture(
        self, tenant: Tenant, message: OutboxMessage, thread_ts: str | None
    ) -> Delivery:
        """Draw the picture and upload it where it goes (a direct message when it names a
        person rather than a channel). A picture that will not draw is given up at once."""
        from templates.pictures.draw import draw_picture

        message_id = id_of(message)
        try:
            png, alt = draw_picture(message.payload.get("picture") or {})
        except ValueError as error:
            log.warning("outbox: picture %s does not draw: %s", message_id, error)
            return self._failed(message_id, message.attempts, "bad_picture", None, False)
        try:
            channel = message.channel_id or self._slack.open_dm(
                tenant, str(message.payload.get("to_user") or "")
            )
            file_id = self._slack.upload_file(
                tenant,
                channel=channel,
                content=png,
                filename=str(message.payload.get("filename") or "picture.png"),
                title=str(message.payload.get("title") or ""),
                comment="",
                thread_ts=thread_ts,
                alt_text=alt,
            )
        except SlackFailure as failure:
            return self._failed(
                message_id, message.attempts, failure.code, failure.retry_after, False
            )
        with Session(self._engine) as session:
            outbox_rows.mark_sent(
                session=session, message_id=message_id, ts=file_id, now=self._now()
            )
            session.commit()
        return Delivery(message_id=message_id, sent=True, ts=file_id)

    def _post(self, tenant: Tenant, message: OutboxMessage, thread_ts: str | None) -> str:
        return self._slack.post_message(
            tenant,
            channel=message.channel_id,
            thread_ts=thread_ts,
            text=str(message.payload.get("text", "")),
            blocks=message.payload.get("blocks") or None,
            key=message.key,
        )

    def _pause(self, failure: SlackFailure, retried: int) -> float | None:
        """How long to wait before trying again at once, or None to leave it to a later tick.
        As slack_sdk's retry handlers would: 3 times after a 429 (as long as Slack asks), twice
        after a 5xx or a lost connection."""
        if not self._retries:
            return None
        if failure.code == "ratelimited" or failure.retry_after is not None:
            return float(min(failure.retry_after or 1, 30)) if retried < 3 else None
        if _ambiguous(failure):
            return 0.5 * 2**retried if retried < 2 else None
        return None

    def _already_posted(
        self, tenant: Tenant, message: OutboxMessage, thread_ts: str | None, unknown: bool
    ) -> str | None:
        """After an attempt whose answer never came, the ts of the copy Slack took (its key
        is in the message's metadata), so that it is not posted twice.

        Raises:
            SlackFailure: Slack cannot be asked now; the outcome stays unknown.
        """
        if not unknown:
            return None
        oldest = message.created_at.timestamp() - LOOK_BACK.total_seconds()
        return self._slack.find_posted(
            tenant, channel=message.channel_id, key=message.key, thread_ts=thread_ts, oldest=oldest
        )

    def _failed(
        self, message_id: int, attempts: int, error: str, retry_after: int | None, unknown: bool
    ) -> Delivery:
        gave_up = error in PERMANENT_ERRORS or attempts >= MAX_ATTEMPTS
        wait = backoff(attempts)
        if retry_after:
            wait = max(wait, timedelta(seconds=retry_after))
        # Not expired on commit: the log line below reads the row after the session is gone.
        with Session(self._engine, expire_on_commit=False) as session:
            message = outbox_rows.mark_failed(
                session=session,
                message_id=message_id,
                error=error,
                retry_at=None if gave_up else self._now() + wait,
                unknown=unknown,
            )
            session.commit()
        if error == "not_installed":  # nothing to fix: the workspace removed the app
            log.info("outbox: message %s dropped: the app is not installed there", message_id)
        elif gave_up and message is not None:
            log.error(
                "outbox: gave up on message %s (%s, key %s) to channel %s after %s attempt(s): "
                "%s — fix the cause, then set its status back to 'pending' to resend",
                message_id,
                message.kind,
                message.key,
                message.channel_id,
                attempts,
                error,
            )
        else:
            # The gateway logged the failure itself; this only says when it is tried again.
            log.info("outbox: message %s will be tried again in %s", message_id, wait)
        return Delivery(message_id=message_id, sent=False, error=error, gave_up=gave_up)


def _ambiguous(failure: SlackFailure) -> bool:
    """Whether Slack may have taken the message although we never heard it did."""
    return failure.code in UNKNOWN_OUTCOMES or failure.server_side
