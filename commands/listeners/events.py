"""Events: messages in threads (answers, edits, deletions)."""

import logging
from collections.abc import Callable, Mapping
from concurrent.futures import Executor, ThreadPoolExecutor
from typing import Any

from slack_bolt import App, BoltContext, BoltResponse

from commands.answers import AnswerHint, MessageKind, ReplyOutcome, ThreadMessage, record_reply
from commands.listeners.common import failure, tenant_of
from commands.listeners.home import HomeRefresher
from commands.ports import SlackFailure
from commands.services import Services
from commands.slash.tokens import unescape
from storage.tenant import Tenant

log = logging.getLogger(__name__)

# Message subtypes that are a person writing; others (joins, topic changes…) are not answers.
_PERSON_SUBTYPES = {None, "thread_broadcast", "file_share", "me_message"}


def register(app: App, services: Services, homes: HomeRefresher) -> None:
    """Listen to every `message` event."""
    # The ✅ or the hint follows the answer once it is stored and acknowledged.
    after = ThreadPoolExecutor(max_workers=2, thread_name_prefix="vsm-acknowledge")
    app.event("message")(_message_listener(services, after, homes))


def thread_message(
    event: Mapping[str, Any], body: Mapping[str, Any], tenant: Tenant
) -> ThreadMessage | None:
    """The thread message an event is about, or None if it is not a person's thread message."""
    subtype = event.get("subtype")
    event_id = str(body.get("event_id") or "")
    channel = str(event.get("channel") or "")
    kind: MessageKind
    if subtype == "message_changed":
        inner, kind = event.get("message"), "edit"
    elif subtype == "message_deleted":
        inner, kind = event.get("previous_message"), "delete"
    elif subtype in _PERSON_SUBTYPES:
        inner, kind = event, "new"
    else:
        return None
    if not isinstance(inner, dict):
        return None
    if inner.get("bot_id") or inner.get("subtype") == "bot_message" or not event_id:
        return None
    thread_ts, ts = inner.get("thread_ts"), inner.get("ts") or event.get("deleted_ts")
    if not thread_ts or not ts or thread_ts == ts:
        return None  # not a reply in a thread (the thread's own first message included)
    return ThreadMessage(
        tenant=tenant,
        event_id=event_id,
        kind=kind,
        channel_id=channel,
        thread_ts=str(thread_ts),
        ts=str(ts),
        user=str(inner.get("user") or ""),
        text=unescape(str(inner.get("text") or "")),
    )


def _message_listener(
    services: Services, after: Executor, homes: HomeRefresher
) -> Callable[..., BoltResponse | None]:
    def handle_message(
        event: dict[str, Any], body: dict[str, Any], context: BoltContext
    ) -> BoltResponse | None:
        try:
            tenant = tenant_of(context)
            message = None if tenant is None else thread_message(event, body, tenant)
            if message is None:
                return None
            outcome = record_reply(services, message)
        except Exception:
            shown = failure("message event", body.get("event_id"))
            # Not stored, so not acknowledged: Slack sends the event again.
            return BoltResponse(status=503, body=f"Try again (reference {shown.reference}).")
        after.submit(_acknowledge_quietly, services, message, outcome)
        if outcome.home_viewer and outcome.changes_what_they_owe(message.kind):
            # What their Home says they owe may have changed.
            homes.refresh(message.tenant, (message.user,))
        return None

    return handle_message


def _acknowledge_quietly(services: Services, message: ThreadMessage, outcome: ReplyOutcome) -> None:
    try:
        acknowledge(services, message, outcome)
    except Exception:
        failure("acknowledging an answer", message.ts)


def acknowledge(services: Services, message: ThreadMessage, outcome: ReplyOutcome) -> None:
    """✅ on a message whose every line was read; otherwise a short hint in the thread."""
    if services.slack is None:
        return
    try:
        if outcome.fully_read:
            services.slack.add_reaction(
                message.tenant, channel=message.channel_id, ts=message.ts, name="white_check_mark"
            )
        elif outcome.needs_hint:
            hint = services.renderer.message_for(AnswerHint(message, outcome))
            services.slack.post_message(
                message.tenant,
                channel=message.channel_id,
                thread_ts=message.thread_ts,
                text=hint["text"],
                blocks=hint.get("blocks"),
            )
    except SlackFailure:
        pass  # the gateway logged it; the answer is stored either way
