"""The tables. Every row that users create belongs to one tenant (enterprise_id, team_id)."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, String, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime

# Deterministic constraint names, so migrations can name what they alter on both databases.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Stream(SQLModel, table=True):
    """A value stream: trigger → steps → value for the customer, homed in one channel."""

    __tablename__ = "stream"
    __table_args__ = (
        UniqueConstraint("enterprise_id", "team_id", "name_key", name="uq_stream_name"),
        Index("ix_stream_tenant_channel", "enterprise_id", "team_id", "channel_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    enterprise_id: str = Field(default="", sa_type=String(32))
    team_id: str = Field(sa_type=String(32))
    name: str = Field(sa_type=String(80))
    # The name folded for case-insensitive uniqueness and look-up ("Onboarding" = "ONBOARDING").
    name_key: str = Field(sa_type=String(240))
    channel_id: str = Field(sa_type=String(32))
    trigger: str = Field(default="", sa_type=String(300))
    value: str = Field(default="", sa_type=String(300))
    customer: str = Field(default="", sa_type=String(300))
    time_basis: str = Field(default="calendar", sa_type=String(16))
    hours_per_day: float = 8.0
    days_per_week: float = 5.0
    archived: bool = False
    created_by: str = Field(sa_type=String(32))
    created_at: datetime = Field(sa_type=UTCDateTime)


class Step(SQLModel, table=True):
    """One step of a stream, at a position (1 = first); people are Slack user ids."""

    __tablename__ = "step"

    id: int | None = Field(default=None, primary_key=True)
    stream_id: int = Field(foreign_key="stream.id", ondelete="CASCADE", index=True)
    position: int
    name: str = Field(sa_type=String(80))
    team: str = Field(default="", sa_type=String(80))
    people: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # The team record `team` names (its name is kept here too, renamed with it), and the
    # interaction mode of the hand-off into this step (vsm.teams).
    work_team_id: int | None = Field(
        default=None, foreign_key="work_team.id", ondelete="SET NULL", index=True
    )
    handoff_mode: str = Field(default="none", sa_type=String(16))


class Cycle(SQLModel, table=True):
    """One measurement of a stream: opened, answered in its thread, then closed or cancelled."""

    __tablename__ = "cycle"
    __table_args__ = (
        UniqueConstraint("stream_id", "number", name="uq_cycle_number"),
        # At most one open cycle per stream, enforced by the database itself.
        Index(
            "uq_cycle_one_open",
            "stream_id",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
        Index("ix_cycle_thread", "channel_id", "message_ts"),
        # Only open cycles have a window to watch; a partial index keeps SQLite from
        # choosing it for queries on closed cycles (it has no statistics to know better).
        Index(
            "ix_cycle_due",
            "closes_at",
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    stream_id: int = Field(foreign_key="stream.id", ondelete="CASCADE")
    number: int
    label: str = Field(default="", sa_type=String(80))
    status: str = Field(default="open", sa_type=String(16))
    opened_at: datetime = Field(sa_type=UTCDateTime)
    opened_by: str = Field(sa_type=String(32))
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    closed_by: str = Field(default="", sa_type=String(32))
    window_s: int | None = None
    closes_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # At 80% of the window, one reminder goes to those who still owe answers.
    remind_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    reminded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    channel_id: str = Field(sa_type=String(32))
    # The cycle message; its thread is where answers go. Set once the message is posted.
    message_ts: str | None = Field(default=None, sa_type=String(32))
    # The metrics as they stood at closing, so later summaries never recompute the past.
    metrics: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))


class CycleStep(SQLModel, table=True):
    """A step as it stood when its cycle opened: later edits to the stream leave it be."""

    __tablename__ = "cycle_step"
    __table_args__ = (UniqueConstraint("cycle_id", "position", name="uq_cycle_step_position"),)

    id: int | None = Field(default=None, primary_key=True)
    cycle_id: int = Field(foreign_key="cycle.id", ondelete="CASCADE")
    # The step's id in `step`, kept as a plain number so history outlives a removed step.
    step_key: int
    position: int
    name: str = Field(sa_type=String(80))
    people: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # The structure the cycle was measured with: the step's team and its type, and the mode
    # of the hand-off into the step, as they stood when the cycle closed (or now, while open).
    team: str = Field(default="", sa_type=String(80))
    team_type: str | None = Field(default=None, sa_type=String(24))
    handoff_mode: str = Field(default="none", sa_type=String(16))


class Measurement(SQLModel, table=True):
    """What one message (or the timings form) said about one step, from one person.

    A person's value for a field is the one from their latest source that gives it, so an
    edit replaces only what its message said and a deletion brings back what came before.
    """

    __tablename__ = "measurement"
    __table_args__ = (
        UniqueConstraint("cycle_step_id", "person", "source", name="uq_measurement_source"),
        Index("ix_measurement_cycle_source", "cycle_id", "source"),
    )

    id: int | None = Field(default=None, primary_key=True)
    cycle_id: int = Field(foreign_key="cycle.id", ondelete="CASCADE")
    cycle_step_id: int = Field(foreign_key="cycle_step.id", ondelete="CASCADE")
    person: str = Field(sa_type=String(32))
    # The Slack message ts the answer came from, or "form:<ts>" for the timings form.
    source: str = Field(sa_type=String(64))
    answered_at: datetime = Field(sa_type=UTCDateTime)
    wait_s: int | None = None
    process_s: int | None = None
    ca: float | None = None
    # Why the work waited (vsm.waiting's causes: decision, capacity, …), when the wait said.
    wait_cause: str | None = Field(default=None, sa_type=String(16))


class ProcessedEvent(SQLModel, table=True):
    """An Events API delivery already acted on, recorded in the same transaction as its effect."""

    __tablename__ = "processed_event"

    event_id: str = Field(primary_key=True, sa_type=String(64))
    enterprise_id: str = Field(default="", sa_type=String(32))
    team_id: str = Field(sa_type=String(32))
    received_at: datetime = Field(sa_type=UTCDateTime, index=True)


class OutboxMessage(SQLModel, table=True):
    """A channel message that must not be lost: committed first, sent after, marked sent."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    # Unique per message meant, so the same message can never be queued twice.
    key: str = Field(sa_type=String(200), unique=True)
    enterprise_id: str = Field(default="", sa_type=String(32))
    team_id: str = Field(sa_type=String(32))
    kind: str = Field(sa_type=String(32))
    channel_id: str = Field(sa_type=String(32))
    thread_ts: str | None = Field(default=None, sa_type=String(32))
    # The cycle whose message this is, so sending it can record the thread it starts.
    cycle_id: int | None = Field(default=None, foreign_key="cycle.id", ondelete="SET NULL")
    payload: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    status: str = Field(default="pending", sa_type=String(16))
    attempts: int = 0
    next_attempt_at: datetime = Field(sa_type=UTCDateTime)
    claimed_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    sent_ts: str | None = Field(default=None, sa_type=String(32))
    last_error: str = Field(default="", sa_type=String(300))
    # The last attempt's outcome is unknown (sent, no answer): look before sending again.
    outcome_unknown: bool = Field(default=False, sa_column_kwargs={"server_default": text("false")})
    created_at: datetime = Field(sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class MeasureSchedule(SQLModel, table=True):
    """When a stream is measured again by itself: every n days or weeks, in a time zone."""

    __tablename__ = "measure_schedule"

    id: int | None = Field(default=None, primary_key=True)
    stream_id: int = Field(foreign_key="stream.id", ondelete="CASCADE", unique=True)
    every: int
    unit: str = Field(sa_type=String(8))
    weekday: int | None = None
    at_time: str = Field(sa_type=String(5))  # HH:MM, local to `zone`
    zone: str = Field(sa_type=String(64))
    # Occurrences count from this local date, so "every 2 weeks" keeps its rhythm.
    anchor: date
    window_s: int
    next_run_at: datetime = Field(sa_type=UTCDateTime, index=True)
    created_by: str = Field(sa_type=String(32))
    created_at: datetime = Field(sa_type=UTCDateTime)


class DigestSchedule(SQLModel, table=True):
    """A channel's weekly digest of the streams homed there."""

    __tablename__ = "digest_schedule"
    __table_args__ = (
        UniqueConstraint("enterprise_id", "team_id", "channel_id", name="uq_digest_channel"),
    )

    id: int | None = Field(default=None, primary_key=True)
    enterprise_id: str = Field(default="", sa_type=String(32))
    team_id: str = Field(sa_type=String(32))
    channel_id: str = Field(sa_type=String(32))
    weekday: int
    at_time: str = Field(sa_type=String(5))
    zone: str = Field(sa_type=String(64))
    anchor: date
    next_run_at: datetime = Field(sa_type=UTCDateTime, index=True)
    created_by: str = Field(sa_type=String(32))
    created_at: datetime = Field(sa_type=UTCDateTime)


class SurveyQuestion(SQLModel, table=True):
    """A stream's own readiness question; a stream without any asks the default ones."""

    __tablename__ = "survey_question"
    __table_args__ = (
        UniqueConstraint("stream_id", "position", name="uq_survey_question_position"),
    )

    id: int | None = Field(default=None, primary_key=True)
    stream_id: int = Field(foreign_key="stream.id", ondelete="CASCADE")
    position: int
    key: str = Field(sa_type=String(32))
    text: str = Field(sa_type=String(200))


class CycleQuestion(SQLModel, table=True):
    """A question as it stood when its cycle opened."""

    __tablename__ = "cycle_question"
    __table_args__ = (UniqueConstraint("cycle_id", "position", name="uq_cycle_question_position"),)

    id: int | None = Field(default=None, primary_key=True)
    cycle_id: int = Field(foreign_key="cycle.id", ondelete="CASCADE")
    position: int
    key: str = Field(sa_type=String(32))
    text: str = Field(sa_type=String(200))


class SurveyAnswer(SQLModel, table=True):
    """One person's score (1–5) for one question of one cycle; a later answer replaces it.
    Only ever shown aggregated."""

    __tablename__ = "survey_answer"
    __table_args__ = (
        UniqueConstraint("cycle_id", "position", "person", name="uq_survey_answer_person"),
    )

    id: int | None = Field(default=None, primary_key=True)
    cycle_id: int = Field(foreign_key="cycle.id", ondelete="CASCADE")
    position: int
    person: str = Field(sa_type=String(32))
    score: int
    answered_at: datetime = Field(sa_type=UTCDateTime)


class Improvement(SQLModel, table=True):
    """A kaizen: what a team changes at a step, what it expects, and whether it is done."""

    __tablename__ = "improvement"
    __table_args__ = (UniqueConstraint("stream_id", "number", name="uq_improvement_number"),)

    id: int | None = Field(default=None, primary_key=True)
    stream_id: int = Field(foreign_key="stream.id", ondelete="CASCADE")
    number: int
    title: str = Field(sa_type=String(200))
    # The step's id in `step` (a plain number, as in cycle_step) and its name back then.
    step_key: int | None = None
    step_name: str = Field(default="", sa_type=String(80))
    owner: str = Field(default="", sa_type=String(32))
    expect_field: str | None = Field(default=None, sa_type=String(8))
    expect_delta: float | None = None
    effort: str | None = Field(default=None, sa_type=String(1))
    status: str = Field(default="proposed", sa_type=String(16))
    created_by: str = Field(sa_type=String(32))
    created_at: datetime = Field(sa_type=UTCDateTime)
    done_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # The cycle whose summary set the prediction beside the measurement (PDSA "study").
    reviewed_cycle_id: int | None = Field(default=None, foreign_key="cycle.id", ondelete="SET NULL")


class Target(SQLModel, table=True):
    """A stream's future-state target."""

    __tablename__ = "target"

    id: int | None = Field(default=None, primary_key=True)
    stream_id: int = Field(foreign_key="stream.id", ondelete="CASCADE", unique=True)
    lead_s: int | None = None
    ratio: float | None = None
    ca: float | None = None
    by_date: date | None = None
    created_by: str = Field(sa_type=String(32))
    created_at: datetime = Field(sa_type=UTCDateTime)


class StreamOwner(SQLModel, table=True):
    """Someone who may change a stream's structure and settings (besides workspace admins)."""

    __tablename__ = "stream_owner"
    __table_args__ = (UniqueConstraint("stream_id", "user_id", name="uq_stream_owner_user"),)

    id: int | None = Field(default=None, primary_key=True)
    stream_id: int = Field(foreign_key="stream.id", ondelete="CASCADE", index=True)
    user_id: str = Field(sa_type=String(32))
    added_by: str = Field(sa_type=String(32))
    added_at: datetime = Field(sa_type=UTCDateTime)


class StreamChange(SQLModel, table=True):
    """One change to a stream's structure or settings: who, when, what, before → after."""

    __tablename__ = "stream_change"
    __table_args__ = (Index("ix_stream_change_stream_at", "stream_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    stream_id: int = Field(foreign_key="stream.id", ondelete="CASCADE")
    at: datetime = Field(sa_type=UTCDateTime)
    by: str = Field(sa_type=String(32))
    # A stable code (`rename`, `step.add`, `schedule.off`, …) and what it was about.
    what: str = Field(sa_type=String(40))
    subject: str = Field(default="", sa_type=String(200))
    before: str | None = Field(default=None, sa_type=String(600))
    after: str | None = Field(default=None, sa_type=String(600))


class SeenSignature(SQLModel, table=True):
    """A request signature accepted in the last few minutes: the same one again is a replay."""

    __tablename__ = "seen_signature"

    signature: str = Field(primary_key=True, sa_type=String(80))
    seen_at: datetime = Field(sa_type=UTCDateTime, index=True)


class HomeViewer(SQLModel, table=True):
    """A person who has opened the bot's Home tab in a workspace: only their Home tabs are
    published again when something they show changes (anyone else's first opening publishes
    theirs)."""

    __tablename__ = "home_viewer"

    enterprise_id: str = Field(default="", primary_key=True, sa_type=String(32))
    team_id: str = Field(primary_key=True, sa_type=String(32))
    user_id: str = Field(primary_key=True, sa_type=String(32))
    first_opened_at: datetime = Field(sa_type=UTCDateTime)


class CycleThread(SQLModel, table=True):
    """A thread that belongs to a cycle: its message's. Should Slack ever hold two copies of
    that message, answers in either thread count."""

    __tablename__ = "cycle_thread"
    __table_args__ = (UniqueConstraint("channel_id", "ts", name="uq_cycle_thread_ts"),)

    id: int | None = Field(default=None, primary_key=True)
    cycle_id: int = Field(foreign_key="cycle.id", ondelete="CASCADE", index=True)
    channel_id: str = Field(sa_type=String(32))
    ts: str = Field(sa_type=String(32))


# ---- Value Stream Management: teams, support streams, segments --------------------------------


class WorkTeam(SQLModel, table=True):
    """A team that works steps (Team Topologies): a workspace-level record steps name."""

    __tablename__ = "work_team"
    __table_args__ = (
        UniqueConstraint("enterprise_id", "team_id", "name_key", name="uq_work_team_name"),
    )

    id: int | None = Field(default=None, primary_key=True)
    enterprise_id: str = Field(default="", sa_type=String(32))
    team_id: str = Field(sa_type=String(32))
    name: str = Field(sa_type=String(80))
    name_key: str = Field(sa_type=String(240))
    team_type: str | None = Field(default=None, sa_type=String(24))
    mission: str = Field(default="", sa_type=String(300))
    people: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_by: str = Field(default="", sa_type=String(32))
    created_at: datetime = Field(sa_type=UTCDateTime)


class SupportLink(SQLModel, table=True):
    """A support value stream serving one step of another stream."""

    __tablename__ = "support_link"
    __table_args__ = (
        UniqueConstraint("support_stream_id", "served_step_id", name="uq_support_link_step"),
    )

    id: int | None = Field(default=None, primary_key=True)
    support_stream_id: int = Field(foreign_key="stream.id", ondelete="CASCADE", index=True)
    served_stream_id: int = Field(foreign_key="stream.id", ondelete="CASCADE", index=True)
    served_step_id: int = Field(foreign_key="step.id", ondelete="CASCADE")
    created_by: str = Field(sa_type=String(32))
    created_at: datetime = Field(sa_type=UTCDateTime)


class Segment(SQLModel, table=True):
    """A named run of consecutive steps of a stream, kept by its end steps' ids."""

    __tablename__ = "segment"
    __table_args__ = (UniqueConstraint("stream_id", "name_key", name="uq_segment_name"),)

    id: int | None = Field(default=None, primary_key=True)
    stream_id: int = Field(foreign_key="stream.id", ondelete="CASCADE", index=True)
    name: str = Field(sa_type=String(40))
    name_key: str = Field(sa_type=String(120))
    # Step ids as plain numbers (like cycle_step.step_key): a removed end step is followed.
    first_step_id: int
    last_step_id: int
    owner: str = Field(default="", sa_type=String(32))
    created_by: str = Field(sa_type=String(32))
    created_at: datetime = Field(sa_type=UTCDateTime)


# ---- the meaning of value (vsm.value): a stream's instrument, its runs and their answers ----


class ValueSetup(SQLModel, table=True):
    """A stream's own layers and value dimensions; a stream without one uses the defaults."""

    __tablename__ = "value_setup"

    id: int | None = Field(default=None, primary_key=True)
    stream_id: int = Field(foreign_key="stream.id", ondelete="CASCADE", unique=True)
    # [{"key": …, "label": …}, …] in the order shown.
    layers: list[dict[str, str]] = Field(sa_column=Column(JSON, nullable=False))
    dimensions: list[dict[str, str]] = Field(sa_column=Column(JSON, nullable=False))
    changed_by: str = Field(sa_type=String(32))
    changed_at: datetime = Field(sa_type=UTCDateTime)


class ValueRun(SQLModel, table=True):
    """One time the instrument was posted, with the layers and dimensions it asked about."""

    __tablename__ = "value_run"
    __table_args__ = (UniqueConstraint("stream_id", "number", name="uq_value_run_number"),)

    id: int | None = Field(default=None, primary_key=True)
    stream_id: int = Field(foreign_key="stream.id", ondelete="CASCADE")
    number: int
    # The cycle open when it was posted (its summary shows the results), if any.
    cycle_id: int | None = Field(default=None, foreign_key="cycle.id", ondelete="SET NULL")
    layers: list[dict[str, str]] = Field(sa_column=Column(JSON, nullable=False))
    dimensions: list[dict[str, str]] = Field(sa_column=Column(JSON, nullable=False))
    started_by: str = Field(sa_type=String(32))
    started_at: datetime = Field(sa_type=UTCDateTime)


class ValueAnswerRow(SQLModel, table=True):
    """One person's answer to a run: a later answer replaces it. Only ever shown aggregated."""

    __tablename__ = "value_answer"
    __table_args__ = (UniqueConstraint("run_id", "person", name="uq_value_answer_person"),)

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="value_run.id", ondelete="CASCADE")
    person: str = Field(sa_type=String(32))
    layer: str = Field(sa_type=String(48))
    points: dict[str, int] = Field(sa_column=Column(JSON, nullable=False))
    sentence: str | None = Field(default=None, sa_type=String(300))
    answered_at: datetime = Field(sa_type=UTCDateTime)


# OAuth installations (slack_sdk's store tables), declared beside the models for the migrations.
import storage.installations  # noqa: E402, F401
