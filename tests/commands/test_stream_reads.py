"""The card and the list read their rows in few queries: what they read is what the
one-table readers give, in the same order, in the asker's workspace only."""

from dataclasses import dataclass

from commands import handoffs, steps, streams, teams
from commands.services import Services
from storage import streams as stream_rows
from storage.tenant import Tenant

OWNER = "UOWNER"


@dataclass(frozen=True)
class HiddenChannel:
    """A directory in which one channel is private and the asker not in it."""

    channel_id: str

    def is_admin(self, tenant: Tenant, user_id: str) -> bool:
        return False

    def may_see(self, tenant: Tenant, channel_id: str, user_id: str) -> bool:
        return channel_id != self.channel_id


def new(services: Services, tenant: Tenant, name: str, channel: str, *names: str) -> None:
    streams.create_stream(services, tenant, streams.NewStream(name, channel, OWNER))
    for step in names:
        steps.add_step(services, tenant, name, name=step, team=f"{step} team", by=OWNER)


def test_the_list_reads_every_stream_with_its_steps_in_order(
    services: Services, tenant: Tenant
) -> None:
    new(services, tenant, "Zebra", "C1", "One", "Two")
    new(services, tenant, "alpha", "C2", "Three")
    new(services, tenant, "Middle", "C1")
    new(services, tenant, "Beta", "C2", "Four", "Five", "Six")
    new(services, tenant, "Old", "C1", "Seven")
    new(services, tenant, "Hidden", "CPRIVATE", "Eight")
    new(services, tenant, "Gone hidden", "CPRIVATE")
    streams.archive_stream(services, tenant, "Old", True, by=OWNER)
    streams.archive_stream(services, tenant, "Gone hidden", True, by=OWNER)
    new(services, Tenant(team_id=tenant.team_id + "X"), "Elsewhere", "C1", "Nine")

    seen_by = Services(services.engine, services.renderer, directory=HiddenChannel("CPRIVATE"))
    listing = streams.list_streams(seen_by, tenant, "C1", "UREADER").listing

    assert [(s.name, [step.name for step in s.steps]) for s in listing.here] == [
        ("Middle", []),
        ("Zebra", ["One", "Two"]),
    ]
    assert [(s.name, [step.name for step in s.steps]) for s in listing.elsewhere] == [
        ("alpha", ["Three"]),
        ("Beta", ["Four", "Five", "Six"]),
    ]
    assert [step.team for step in listing.elsewhere[1].steps] == [
        "Four team",
        "Five team",
        "Six team",
    ]
    assert listing.archived == ("Old",)


def test_the_card_by_its_whole_name_or_a_beginning_reads_the_same(
    services: Services, tenant: Tenant
) -> None:
    new(services, tenant, "Claims", "C1", "Intake", "Assessment", "Payment")
    teams.save_team(services, tenant, "Assessment team", team_type="platform", by=OWNER)
    handoffs.set_handoff(services, tenant, "Claims", 3, "x-as-a-service", by=OWNER)
    new(services, Tenant(team_id=tenant.team_id + "X"), "Claims", "C1", "Other")

    whole = streams.show_stream(services, tenant, "claims", OWNER)
    begun = streams.show_stream(services, tenant, "Cla", OWNER)

    assert whole == begun
    assert [step.name for step in whole.stream.steps] == ["Intake", "Assessment", "Payment"]
    assert whole.management is not None
    assert [(h.position, h.to_team_type, h.mode) for h in whole.management.hand_offs] == [
        (2, "platform", "none"),
        (3, None, "x-as-a-service"),
    ]


def test_a_stream_read_by_name_has_its_steps_and_their_team_types(
    services: Services, tenant: Tenant
) -> None:
    new(services, tenant, "Claims", "C1", "Intake", "Payment")
    new(services, tenant, "Empty", "C1")
    teams.save_team(services, tenant, "Payment team", team_type="platform", by=OWNER)

    with services.unit_of_work(read_only=True) as session:
        found = stream_rows.stream_with_steps_by_name(session=session, tenant=tenant, name="CLAIMS")
        empty = stream_rows.stream_with_steps_by_name(session=session, tenant=tenant, name="empty")
        missing = stream_rows.stream_with_steps_by_name(session=session, tenant=tenant, name="Cl")
        elsewhere = stream_rows.stream_with_steps_by_name(
            session=session, tenant=Tenant(team_id=tenant.team_id + "Y"), name="Claims"
        )
        assert found is not None
        assert empty is not None
        stream, rows = found
        assert stream.name == "Claims"
        assert [(step.name, kind) for step, kind in rows] == [
            ("Intake", None),
            ("Payment", "platform"),
        ]
        assert rows == stream_rows.steps_with_team_types(
            session=session, tenant=tenant, stream=stream
        )
        assert empty[0].name == "Empty"
        assert empty[1] == []
        assert missing is None
        assert elsewhere is None
