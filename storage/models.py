"""The tables. Every row that users create belongs to one tenant (enterprise_id, team_id)."""

from datetime import datetime

from sqlalchemy import JSON, Column, Index, String, UniqueConstraint
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
