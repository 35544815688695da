"""Messages in channels the bot is in: answers in cycle threads; everything else is let be."""

import logging
from collections.abc import Callable, Mapping
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from commands.answers import MessageKind, ReplyOutcome, ThreadMessage, record_reply
from commands.services import Services
from commands.slash import tenant_of
from storage.tenant import Tenant

log = logging.getLogger(__name__)

# Message subtypes that are a person writing; others (joins, topic changes…) are not answers.
_PERSON_SUBTYPES = {None, "thread_broadcast", "file_share", "me_message"}


def register(app: App, services: Services) -> None:
    """Listen to every `message` event (Bolt acknowledges events before listeners run)."""
    app.event("message")(_listener(services))


def thread_message(
    event: Mapping[str, Any], body: Mapping[str, Any], tenant: Tenant
) -> ThreadMessage | None:
    """The thread message an event is about, or None if it is not a person's thread message."""
    subtype = event.get("subtype")
    event_id = str(body.get("event_id", ""))
    channel = str(event.get("channel", ""))
    kind: MessageKind
    if subtype == "message_changed":
        inner, kind = event.get("message") or {}, "edit"
    elif subtype == "message_deleted":
        inner, kind = event.get("previous_message") or {}, "delete"
    elif subtype in _PERSON_SUBTYPES:
        inner, kind = event, "new"
    else:
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
        user=str(inner.get("user", "")),
        text=str(inner.get("text") or ""),
    )


def _listener(services: Services) -> Callable[..., None]:
    def handle_message(
        event: dict[str, Any], body: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        tenant = tenant_of(context)
        message = None if tenant is None else thread_message(event, body, tenant)
        if message is None:
            return
        with services.unit_of_work() as session:
            outcome = record_reply(session, message, services.now())
        acknowledge(services, client, message, outcome)

    return handle_message


def acknowledge(
    services: Services, client: WebClient, message: ThreadMessage, outcome: ReplyOutcome
) -> None:
    """✅ on a message whose every line was read; otherwise a short hint in the thread."""
    try:
        answered = outcome.recorded or outcome.surveyed
        if outcome.kind == "recorded" and answered and not outcome.problems:
            client.reactions_add(
                channel=message.channel_id, timestamp=message.ts, name="white_check_mark"
            )
        elif outcome.kind == "closed" or (outcome.kind == "recorded" and outcome.problems):
            hint = services.renderer.message("answer_hint.json.j2", reply=message, outcome=outcome)
            client.chat_postMessage(channel=message.channel_id, thread_ts=message.thread_ts, **hint)
    except SlackApiError as error:
        if error.response.get("error") != "already_reacted":
            log.warning(
                "could not acknowledge answer %s: %s", message.ts, error.response.get("error")
            )
