"""The card and the list read their rows in few queries: what they read is what the
one-table readers give, in the same order, in the asker's workspace only."""

from dataclasses import dataclass

from commands import handoffs, kaizen, owners, segments, steps, streams, support, teams
from commands.services import Services
from storage import card as card_rows
from storage import links as link_rows
from storage import owners as owner_rows
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
        found = card_rows.stream_with_steps_by_name(session=session, tenant=tenant, name="CLAIMS")
        empty = card_rows.stream_with_steps_by_name(session=session, tenant=tenant, name="empty")
        missing = card_rows.stream_with_steps_by_name(session=session, tenant=tenant, name="Cl")
        elsewhere = card_rows.stream_with_steps_by_name(
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
        assert rows == card_rows.steps_with_team_types(
            session=session, tenant=tenant, stream=stream
        )
        assert empty[0].name == "Empty"
        assert empty[1] == []
        assert missing is None
        assert elsewhere is None


def test_the_cards_lists_in_one_query_are_what_each_reader_gives(
    services: Services, tenant: Tenant
) -> None:
    new(services, tenant, "Claims", "C1", "Intake", "Assessment", "Payment")
    new(services, tenant, "Platform", "C1", "Build")
    new(services, tenant, "Finance", "C1", "Book")
    owners.change_owners(services, tenant, "Claims", "add", ("UZED", "UANN"), by=OWNER)
    for title in ("Fewer forms", "Earlier checks", "One queue"):
        kaizen.propose(services, tenant, "Claims", kaizen.Proposal(title), by=OWNER)
    for number in (3, 1):
        kaizen.move_improvement(
            services, tenant, "Claims", number, "doing", channel_id="C1", by=OWNER
        )
    for name, first, last in (("Tail", 2, 3), ("head", 1, 2)):
        segments.set_segment(
            services, tenant, "Claims", name, steps=(first, last), owner="UANN", off=False, by=OWNER
        )
    support.set_support(services, tenant, "Platform", serves="Claims", step=2, off=False, by=OWNER)
    support.set_support(services, tenant, "Claims", serves="Finance", step=1, off=False, by=OWNER)
    support.set_support(services, tenant, "Platform", serves="Finance", step=1, off=False, by=OWNER)

    with services.unit_of_work(read_only=True) as session:
        claims = stream_rows.stream_by_name(session=session, tenant=tenant, name="Claims")
        assert claims is not None
        lists = card_rows.card_lists(session=session, tenant=tenant, stream=claims)
        assert lists.owners == owner_rows.owners_of(session=session, tenant=tenant, stream=claims)
        assert lists.owners == (OWNER, "UZED", "UANN")
        assert lists.under_way == ((1, "Fewer forms"), (3, "One queue"))
        assert list(lists.under_way) == card_rows.under_way(
            session=session, tenant=tenant, stream=claims
        )
        segment_fields = (
            "id",
            "stream_id",
            "name",
            "name_key",
            "first_step_id",
            "last_step_id",
            "owner",
            "created_by",
            "created_at",
        )
        assert [[getattr(s, f) for f in segment_fields] for s in lists.segments] == [
            [getattr(s, f) for f in segment_fields]
            for s in link_rows.segments_of(session=session, tenant=tenant, stream=claims)
        ]
        assert [s.name for s in lists.segments] == ["head", "Tail"]
        link_fields = (
            "id",
            "support_stream_id",
            "served_stream_id",
            "served_step_id",
            "created_by",
            "created_at",
        )
        assert [[getattr(k, f) for f in link_fields] for k in lists.links] == [
            [getattr(k, f) for f in link_fields]
            for k in link_rows.links_of_stream(session=session, tenant=tenant, stream=claims)
        ]
        assert len(lists.links) == 2
