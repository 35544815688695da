"""The outbox sender: claims committed messages, posts them to Slack, records the outcome."""

import logging
import time
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session

from bot.outbox_policy import (
    DEFAULT_RETRY_AFTER_S,
    MAX_ATTEMPTS,
    PERMANENT_ERRORS,
    RATE_LIMITED,
    ambiguous,
    backoff,
    quick_retry,
    rate_limited,
)
from commands.ports import Delivery, SlackApi, SlackFailure
from storage import outbox as outbox_rows
from storage.models import OutboxMessage
from storage.tenant import Tenant
from storage.types import id_of, utcnow

log = logging.getLogger(__name__)

LEASE = timedelta(seconds=60)
BATCH = 20  # messages a sender takes at once: small, so that several senders share the work
DELIVER_LIMIT = 5000  # messages one `deliver_due` takes at most, so a tick always ends
LOOK_BACK = timedelta(minutes=2)  # a message's ts may be a little before it was queued


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
        paused: dict[Tenant, datetime] = {}
        results = [self._send(message_id, paused) for message_id in message_ids]
        return [result for result in results if result is not None]

    def deliver_due(self, limit: int = DELIVER_LIMIT) -> list[Delivery]:
        """Send the messages whose time has come, a batch at a time, until none is left or
        `limit` were taken (the clock calls this every few seconds).

        Batches are taken with row locks others skip, so any number of senders share the work.
        A workspace Slack rate-limits is held back until the time Slack gave; the others go on.
        """
        deliveries: list[Delivery] = []
        paused: dict[Tenant, datetime] = {}
        seen: set[int] = set()
        while len(seen) < limit:
            with Session(self._engine, expire_on_commit=False) as session:
                batch = outbox_rows.claim_due(
                    session=session, now=self._now(), lease=LEASE, limit=min(BATCH, limit)
                )
                session.commit()
            fresh = {id_of(message) for message in batch} - seen
            if not fresh:
                break  # nothing due, or only what this call put back at once (a picture)
            seen |= fresh
            for message in batch:
                if not self._still_held(message):
                    continue
                # Looked up now, not when the batch was taken: the batch's cycle message,
                # sent a moment ago, has just become the thread of the messages after it.
                with Session(self._engine) as session:
                    thread_ts = outbox_rows.thread_of(session=session, message=message)
                result = self._send_claimed(message, thread_ts, paused)
                if result is not None:
                    deliveries.append(result)
        return deliveries

    def _still_held(self, message: OutboxMessage) -> bool:
        """Whether this sender still holds a message of its batch: the batch's earlier messages
        may have taken long (timeouts), and past half its lease the lease is renewed, or found
        taken by another sender after it ran out."""
        held_until = message.claimed_until
        now = self._now()
        if held_until is None or now < held_until - LEASE / 2:
            return True
        with Session(self._engine) as session:
            renewed = outbox_rows.renew(
                session=session, message_id=id_of(message), held_until=held_until, until=now + LEASE
            )
            session.commit()
        message.claimed_until = now + LEASE
        return renewed

    def _send(self, message_id: int, paused: dict[Tenant, datetime]) -> Delivery | None:
        with Session(self._engine, expire_on_commit=False) as session:
            message = outbox_rows.claim(
                session=session, message_id=message_id, now=self._now(), lease=LEASE
            )
            if message is None:
                return None
            thread_ts = outbox_rows.thread_of(session=session, message=message)
            session.commit()
        return self._send_claimed(message, thread_ts, paused)

    def _send_claimed(
        self, message: OutboxMessage, thread_ts: str | None, paused: dict[Tenant, datetime]
    ) -> Delivery | None:
        message_id = id_of(message)
        tenant = Tenant(team_id=message.team_id, enterprise_id=message.enterprise_id)
        held_until = paused.get(tenant)
        if held_until is not None and held_until > self._now():
            # Slack rate-limited this workspace a moment ago: wait as it asked, without a call.
            self._put_back(message_id, held_until)
            return Delivery(message_id=message_id, sent=False, error=RATE_LIMITED)
        if message.kind == outbox_rows.PICTURE and not self._draws:
            self._put_back(message_id, self._now())
            return None
        if outbox_rows.waits_for_thread(message) and thread_ts is None:
            # Its cycle's message is not out yet: wait for it (without spending an attempt)
            # rather than post at the top of the channel.
            self._put_back(message_id, self._now() + backoff(1))
            return Delivery(message_id=message_id, sent=False, error="waiting_for_thread")
        if message.kind == outbox_rows.PICTURE:
            return self._send_picture(tenant, message, thread_ts, paused)
        unknown = message.outcome_unknown
        retried = 0
        while True:
            try:
                ts = self._already_posted(tenant, message, thread_ts, unknown) or self._post(
                    tenant, message, thread_ts
                )
                break
            except SlackFailure as failure:
                if rate_limited(failure):
                    return self._hold_workspace(tenant, message_id, failure, paused, unknown)
                unknown = unknown or ambiguous(failure)
                pause = quick_retry(failure, retried) if self._retries else None
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

    def _put_back(self, message_id: int, retry_at: datetime, *, unknown: bool = False) -> None:
        with Session(self._engine) as session:
            outbox_rows.put_back(
                session=session, message_id=message_id, retry_at=retry_at, unknown=unknown
            )
            session.commit()

    def _hold_workspace(
        self,
        tenant: Tenant,
        message_id: int,
        failure: SlackFailure,
        paused: dict[Tenant, datetime],
        unknown: bool,
    ) -> Delivery:
        """Slack answered 429: this workspace waits the time Slack gave (its messages in the
        outbox too, and the rest of this sender's batch), and nothing else does. A rate limit
        is not a failed attempt: the message is never given up for it."""
        wait = timedelta(seconds=failure.retry_after or DEFAULT_RETRY_AFTER_S)
        now = self._now()
        until = paused[tenant] = now + wait
        with Session(self._engine) as session:
            outbox_rows.put_back(
                session=session, message_id=message_id, retry_at=until, unknown=unknown
            )
            held = outbox_rows.defer_workspace(session=session, tenant=tenant, until=until, now=now)
            session.commit()
        log.info(
            "outbox: Slack rate-limits %s (%s); its messages (%s more queued) wait %s, "
            "other workspaces go on",
            tenant.team_id,
            failure.method,
            held,
            wait,
        )
        return Delivery(message_id=message_id, sent=False, error=RATE_LIMITED)

    def _send_picture(
        self,
        tenant: Tenant,
        message: OutboxMessage,
        thread_ts: str | None,
        paused: dict[Tenant, datetime],
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
            if rate_limited(failure):
                return self._hold_workspace(tenant, message_id, failure, paused, False)
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
