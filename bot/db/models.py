"""The database tables: parents and their children, invites, the outbox of deliveries, replies."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    BigInteger,
    Date,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    Time,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from bot.coaching.children import current_child, enrolled

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[dt.datetime]):
    """Aware UTC datetimes on every backend (SQLite stores them naive; we put the zone back)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; pass an aware UTC datetime")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Invite(Base):
    """A code a home visitor hands a family; it rides in the /start deep link."""

    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str | None] = mapped_column(String(120))
    created_by: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    uses: Mapped[int] = mapped_column(Integer, default=0)
    max_uses: Mapped[int | None] = mapped_column(Integer)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    # After this moment the code no longer opens (None: an old code that never expires).
    expires_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())


class InboxUpdate(Base):
    """A Telegram update, stored before Telegram is told it arrived; handled from here.

    The payload (which may hold a parent's words) is cleared once the update is handled; the
    row stays a while so a redelivered update is recognised and not handled twice.
    """

    __tablename__ = "inbox"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    payload: Mapped[str | None] = mapped_column(Text())
    received_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    handled_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), index=True)


class Parent(Base):
    """A caregiver enrolled with the bot, and where they are in their journey."""

    __tablename__ = "parents"
    __table_args__ = (
        Index("ix_parents_due", "status", "next_send_at"),
        # The pause check of every tick (migration 0004).
        Index("ix_parents_paused", "status", "paused_until"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    telegram_user_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    language: Mapped[str] = mapped_column(String(8), default="en")
    timezone: Mapped[str] = mapped_column(String(64))
    send_time: Mapped[dt.time] = mapped_column(Time(), default=dt.time(8, 0))
    cadence: Mapped[str] = mapped_column(String(16), default="daily")
    # onboarding | active | paused | stopped | blocked | loss | finished
    # (bot.lifecycle.ParentStatus owns it)
    status: Mapped[str] = mapped_column(String(16), default="onboarding")
    # What the bot is waiting for the parent to type (an onboarding step or a settings edit).
    awaiting: Mapped[str | None] = mapped_column(String(32))
    paused_until: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    next_send_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    # Daily messages in a row that got no reply; three or more slows the cadence.
    unanswered_count: Mapped[int] = mapped_column(Integer, default=0)
    # What the parent last told us that the next message should answer: "repair" or "calm".
    pending_need: Mapped[str | None] = mapped_column(String(16))
    # Topics the parent reported lately (space-separated tags), favoured until focus_until; and
    # what their latest hard or stressful moment was about, for the repair or calm that answers.
    focus_topics: Mapped[str | None] = mapped_column(String(200))
    focus_until: Mapped[dt.date | None] = mapped_column(Date())
    reported_topics: Mapped[str | None] = mapped_column(String(200))
    # When silence brought the question whether to pause (cleared by any reply).
    asked_pause_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    invite_id: Mapped[int | None] = mapped_column(ForeignKey("invites.id", ondelete="SET NULL"))
    consented_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    last_reply_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    # After a safety flag: no cheerful message before this moment unless the parent writes again.
    hushed_until: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    # The one open confirmation ("stop:<token>" or "delete:<token>") and when it expires; the
    # token rides in the buttons, so an old or already answered question does nothing.
    confirming: Mapped[str | None] = mapped_column(String(32))
    confirm_expires_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    # The Telegram first name, so their home visitor can tell families apart (never exported).
    first_name: Mapped[str | None] = mapped_column(String(64))

    # The child the latest scheduled message was for (several children take turns from it;
    # check-ins ask about it). Not a foreign key: a removed child's id is simply not found.
    last_child_id: Mapped[int | None] = mapped_column(Integer)

    children: Mapped[list[Child]] = relationship(
        back_populates="parent",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Child.id",
    )

    @property
    def enrolled_children(self) -> list[Child]:
        """The children messages are for now (see `children.enrolled`)."""
        return enrolled(self.children)

    @property
    def child(self) -> Child | None:
        """The child the bot talks about now (see `children.current_child`)."""
        return current_child(self.children, self.last_child_id)

    @child.setter
    def child(self, value: Child | None) -> None:
        """Setting the child of a parent with none adds it as child #1."""
        if value is not None and value not in self.children:
            self.children.append(value)


class Child(Base):
    """A child a parent enrolled for: a name if they gave one, a birth or due date, and how
    their messages ended (graduated past five, or a loss), if they did."""

    __tablename__ = "children"

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int] = mapped_column(ForeignKey("parents.id", ondelete="CASCADE"), index=True)
    name: Mapped[str | None] = mapped_column(String(64))
    birth_date: Mapped[dt.date | None] = mapped_column(Date())
    due_date: Mapped[dt.date | None] = mapped_column(Date())
    # None while messages are for this child; "graduated" or "loss" once they ended.
    ended: Mapped[str | None] = mapped_column(String(16))
    ended_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())

    parent: Mapped[Parent] = relationship(back_populates="children")


class Delivery(Base):
    """One message to one chat: the outbox row while pending, the record once sent.

    A row carries everything the sender needs (chat, text, buttons), so sending depends on
    neither the content library nor the views. `scheduler/outbox.py` owns these rows.
    Scheduled messages carry a slot ("daily"); the unique (parent, local date, slot) key means
    no repeated or concurrent tick can enqueue the same day's message twice. Answers and safety
    messages have no slot. Staff alerts have no parent.
    """

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("parent_id", "local_date", "slot"),
        Index("ix_deliveries_claim", "status", "priority", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("parents.id", ondelete="CASCADE"), index=True
    )
    chat_id: Mapped[int] = mapped_column(BigInteger)
    # A library message id, or for the bot's own texts the kind of answer ("answer", "alert").
    message_id: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(16))
    # 0: safety and answers to a parent chatting now; 1: daily messages; 2: broadcasts.
    priority: Mapped[int] = mapped_column(Integer, default=1)
    local_date: Mapped[dt.date] = mapped_column(Date())
    slot: Mapped[str | None] = mapped_column(String(16))
    # See scheduler.outbox.Status.
    status: Mapped[str] = mapped_column(String(16), default="pending")
    text: Mapped[str] = mapped_column(Text())
    # Inline keyboard as JSON rows of [label, callback data]; "{id}" in data is this row's id.
    buttons: Mapped[str | None] = mapped_column(Text())
    # When the message should go (the schedule's clock)...
    due_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    # ...and, after a failed attempt, not before this wall-clock moment.
    retry_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    # A claim is a lease: a row still "sending" after this wall-clock moment was orphaned.
    lease_until: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    sent_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # Attempts that may have reached Telegram without an answer (timeout, dropped connection,
    # a crash mid-send): each can be a duplicate, so the outbox bounds them.
    unconfirmed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(200))
    telegram_message_id: Mapped[int | None] = mapped_column(BigInteger)
    # A photo (Telegram's file id) sent with the text as its caption (broadcasts).
    photo: Mapped[str | None] = mapped_column(String(200))


class Reply(Base):
    """Something a parent told us: a button tap or their own words, tied to a delivery."""

    __tablename__ = "replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int] = mapped_column(ForeignKey("parents.id", ondelete="CASCADE"), index=True)
    delivery_id: Mapped[int | None] = mapped_column(
        ForeignKey("deliveries.id", ondelete="CASCADE"), index=True
    )
    update_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    received_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    # button | text | media
    kind: Mapped[str] = mapped_column(String(16))
    choice: Mapped[str | None] = mapped_column(String(32))
    # Their words, or a photo's or video's caption.
    text: Mapped[str | None] = mapped_column(Text())
    # A photo, voice note or video: Telegram's file id, never the file itself.
    file_id: Mapped[str | None] = mapped_column(String(200))


class SafetyFlag(Base):
    """Words that may mean a family needs a person now; staff see the category and rule."""

    __tablename__ = "safety_flags"

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int] = mapped_column(ForeignKey("parents.id", ondelete="CASCADE"), index=True)
    reply_id: Mapped[int | None] = mapped_column(ForeignKey("replies.id", ondelete="CASCADE"))
    category: Mapped[str] = mapped_column(String(32))
    # Which screening rule matched, so staff and content writers can see why.
    rule: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    # How many people an alert was queued to (0: nobody is configured, the parent was told so).
    alerted: Mapped[int] = mapped_column(Integer, default=0)
    acknowledged_by: Mapped[int | None] = mapped_column(BigInteger)
    acknowledged_name: Mapped[str | None] = mapped_column(String(64))
    acknowledged_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    escalated_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    # The next-day check-in: queued at, and what the parent answered (ok | call).
    checkin_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    checkin_answer: Mapped[str | None] = mapped_column(String(16))


class Decision(Base):
    """One choice the coaching policy made, written with the outbox row it explains.

    For research (micro-randomized-trial style): the probability the chosen option had, the
    uniform draw that chose it, the options and their probabilities, the context, the policy's
    version, and the outcome once known (a positive reply within 24 hours is the reward).
    """

    __tablename__ = "decisions"
    __table_args__ = (Index("ix_decisions_arm_outcome", "arm", "reward"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int] = mapped_column(ForeignKey("parents.id", ondelete="CASCADE"), index=True)
    delivery_id: Mapped[int | None] = mapped_column(
        ForeignKey("deliveries.id", ondelete="SET NULL"), index=True
    )
    decided_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    local_date: Mapped[dt.date] = mapped_column(Date())
    # daily (the planner) | reply (an answer to what the parent said)
    slot: Mapped[str] = mapped_column(String(16))
    policy_version: Mapped[str] = mapped_column(String(32))
    rule: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(16))
    message_id: Mapped[str] = mapped_column(String(120))
    arm: Mapped[str | None] = mapped_column(String(40))
    probability: Mapped[float] = mapped_column(Float())
    draw: Mapped[float] = mapped_column(Float())
    pool_size: Mapped[int] = mapped_column(Integer, default=0)
    # JSON: option -> probability; and the context (age, hour, cadence step, last check-in...)
    candidates: Mapped[str] = mapped_column(Text())
    context: Mapped[str] = mapped_column(Text())
    # Linked afterwards: positive | negative | neutral (a reply within 24 h); reward 1 or 0.
    outcome: Mapped[str | None] = mapped_column(String(16))
    reward: Mapped[int | None] = mapped_column(Integer)
    outcome_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    # Which child the message was for: a child id, or "12+13" for a nudge two children share.
    child_ids: Mapped[str | None] = mapped_column(String(40))


class CheckinAnswer(Base):
    """One answer to the short check-in: feeling 1-5, the hardest thing, connection 1-5."""

    __tablename__ = "checkin_answers"
    __table_args__ = (UniqueConstraint("delivery_id", "question"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int] = mapped_column(ForeignKey("parents.id", ondelete="CASCADE"), index=True)
    delivery_id: Mapped[int | None] = mapped_column(ForeignKey("deliveries.id", ondelete="CASCADE"))
    # feeling | hardest | connection
    question: Mapped[str] = mapped_column(String(16))
    value: Mapped[str] = mapped_column(String(16))
    answered_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class StaffRole(Base):
    """Someone who works for the program: staff or a home visitor (admins may also come from
    TEND_ADMIN_IDS). Everyone without a row is a parent."""

    __tablename__ = "staff_roles"

    telegram_user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    # admin | staff | home_visitor (see bot.roles.Role)
    role: Mapped[str] = mapped_column(String(16))
    # Their first name as Telegram gave it, for "From Ana, your home visitor".
    name: Mapped[str | None] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(8), default="en")
    granted_by: Mapped[int | None] = mapped_column(BigInteger)
    granted_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class InviteFailure(Base):
    """A wrong invite code from one Telegram account; five in an hour lock the account out."""

    __tablename__ = "invite_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    telegram_user_id: Mapped[int] = mapped_column(BigInteger, index=True)
    failed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    # Set on the failure that started a lockout: no code is read before this moment.
    locked_until: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())


class VisitorAlert(Base):
    """An alert a home visitor got about one family (quiet, stopped, blocked), open until the
    family is back, so each change is told once."""

    __tablename__ = "visitor_alerts"

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int] = mapped_column(ForeignKey("parents.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    cleared_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())


class Broadcast(Base):
    """A message staff send to many families: the draft, its audience, when, and how it went."""

    __tablename__ = "broadcasts"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_by: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    text: Mapped[str] = mapped_column(Text())
    # Telegram's file id of the photo staff sent (None: text only).
    photo_file_id: Mapped[str | None] = mapped_column(String(200))
    # The audience as JSON (see bot.audience.Audience).
    audience: Mapped[str] = mapped_column(Text(), default="{}")
    # draft | scheduled | sending | done | cancelled
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    # now | at (send_at, UTC) | local (local_date at local_time in each family's zone)
    mode: Mapped[str] = mapped_column(String(8), default="now")
    send_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    local_date: Mapped[dt.date | None] = mapped_column(Date())
    local_time: Mapped[dt.time | None] = mapped_column(Time())
    total: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    finished_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    # The staff message edited with progress while it goes out.
    progress_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    progress_message_id: Mapped[int | None] = mapped_column(BigInteger)
