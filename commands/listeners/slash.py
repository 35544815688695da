"""`/vsm`: acknowledge, run the command, reply to the asker only."""

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext
from sqlalchemy.exc import OperationalError

from commands.files import FileToUpload
from commands.listeners.common import failure, tenant_of
from commands.listeners.home import HomeRefresher
from commands.modals import OpenModal
from commands.ports import SlackFailure
from commands.services import Services
from commands.slash.routes import Asker, run_command
from storage.tenant import Tenant

log = logging.getLogger(__name__)


def register(app: App, services: Services, homes: HomeRefresher) -> None:
    """Listen for `/vsm`."""
    app.command("/vsm")(_listener(services, homes))


def _listener(services: Services, homes: HomeRefresher) -> Callable[..., None]:
    def handle_vsm(ack: Ack, command: dict[str, Any], context: BoltContext) -> None:
        tenant = tenant_of(context)
        if tenant is None:
            log.warning("a /vsm call without a workspace: %r", command)
            ack()
            return
        asker = Asker(
            tenant, str(command.get("user_id") or ""), str(command.get("channel_id") or "")
        )
        shown = slash_reply(
            services, asker, str(command.get("text") or ""), command.get("trigger_id")
        )
        # The reply rides on the acknowledgement: the asker sees it as soon as Slack does.
        ack(
            text=str(shown.get("text") or ""), blocks=shown.get("blocks"), response_type="ephemeral"
        )
        homes.after_command(asker.tenant, asker.user_id, str(command.get("text") or ""))

    return handle_vsm


def slash_reply(
    services: Services, asker: Asker, text: str, trigger_id: object = None
) -> dict[str, Any]:
    """The rendered reply to `/vsm text`: whatever happens, something to show the asker."""
    try:
        result = run_command(services, asker, text)
        result = _carry_out(services, asker.tenant, result, trigger_id)
        return services.renderer.message_for(result)
    except OperationalError:
        return services.renderer.message_for(failure("/vsm (database unavailable)", text))
    except Exception:
        return services.renderer.message_for(failure("/vsm", text))


def _carry_out(services: Services, tenant: Tenant, result: object, trigger_id: object) -> object:
    """What a result asks of Slack before the reply: open a form, upload a file."""
    if isinstance(result, OpenModal):
        return open_modal(services, tenant, result, trigger_id)
    if isinstance(result, FileToUpload):
        return upload(services, tenant, result)
    return result


def open_modal(
    services: Services, tenant: Tenant, request: OpenModal, trigger_id: object
) -> object:
    """Open the form with the request's trigger; the reply for either outcome."""
    if services.slack is None or not trigger_id:
        return request.fallback
    try:
        services.slack.open_view(
            tenant, trigger_id=str(trigger_id), view=services.renderer.view_for(request.modal)
        )
    except SlackFailure:
        # The trigger lasts 3 seconds; a slow moment loses it (the gateway logged why).
        return request.fallback
    return request.opened


def upload(services: Services, tenant: Tenant, file: FileToUpload) -> object:
    """Upload the file where it was asked; the reply for either outcome."""
    if services.slack is None:
        raise RuntimeError("no Slack gateway to upload with")
    try:
        channel = file.channel_id or services.slack.open_dm(tenant, file.to_user)
        services.slack.upload_file(
            tenant,
            channel=channel,
            content=file.content,
            filename=file.filename,
            title=services.renderer.text_for(file.title),
            comment=services.renderer.text_for(file.comment),
        )
    except SlackFailure as refused:
        return file.not_uploaded(refused.code)
    return file.uploaded
