"""The database schema as typed SQLAlchemy 2 models.

These classes never leave the core: services turn rows into the plain records
of :mod:`afterword.core.storage.records` before returning. Times are stored as UTC and come back
time-zone aware; an interview also keeps the IANA zone it was planned in so
that "the day of the interview" means that zone's day.
"""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from afterword.core.storage.values import (
    ApplicationStatus,
    ChecklistMark,
    InterviewFormat,
    InterviewOutcome,
    MailSecurity,
    MessageStatus,
    ParticipantRole,
    Purpose,
    ReferralOutcome,
    SignIn,
    TouchpointKind,
)

# Explicit constraint names keep Alembic's batch migrations on SQLite predictable.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as naive UTC; returns them aware (UTC).

    SQLite has no time-zone type, and mixing naive and aware values is the
    classic source of "due yesterday" bugs, so naive input is refused.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


def word_set(stored: str | None) -> frozenset[str] | None:
    """The words of a :class:`WordSet` column as stored (NULL stays ``None``)."""
    return None if stored is None else frozenset(stored.split())


class WordSet(TypeDecorator[frozenset[str]]):
    """A set of words (what a reply asks for), stored as its sorted words separated by spaces.

    NULL means "not said", which is not the empty set (stored as "").
    """

    impl = String
    cache_ok = True

    def process_bind_param(self, value: frozenset[str] | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        words = sorted(str(word) for word in value)
        if any(word.split() != [word] for word in words):
            raise ValueError("a word set holds single words")
        return " ".join(words)

    def process_result_value(self, value: str | None, dialect: Dialect) -> frozenset[str] | None:
        return word_set(value)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _enum(kind: type[enum.Enum], name: str) -> Enum:
    # Stored as the lower-case values, checked by a named CHECK constraint.
    return Enum(
        kind,
        name=name,
        native_enum=False,
        create_constraint=True,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
        length=32,
    )


class Application(Base):
    __tablename__ = "applications"

    id: Mapped[int] = mapped_column(primary_key=True)
    company: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(200))
    posting_url: Mapped[str] = mapped_column(String(2000), default="")
    status: Mapped[ApplicationStatus] = mapped_column(
        _enum(ApplicationStatus, "application_status"), default=ApplicationStatus.APPLIED
    )
    why_interested: Mapped[str] = mapped_column(Text, default="")
    next_steps: Mapped[str] = mapped_column(Text, default="")
    decision_expected: Mapped[date | None] = mapped_column(Date)
    still_interested: Mapped[bool] = mapped_column(Boolean, default=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # What the job posting said (migration 0010): kept because postings vanish.
    location: Mapped[str] = mapped_column(String(200), default="", server_default="")
    salary: Mapped[str] = mapped_column(String(200), default="", server_default="")
    date_posted: Mapped[date | None] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text, default="", server_default="")

    version: Mapped[int] = mapped_column(Integer, server_default=text("1"))

    interviews: Mapped[list[Interview]] = relationship(
        back_populates="application", cascade="all, delete-orphan", passive_deletes=True
    )
    # Every ORM update adds one to ``version`` (and checks it): see migration 0008.
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    __table_args__ = (
        Index("ix_applications_company", "company"),
        Index("ix_applications_status", "status"),
        # Never reuse an id: undo restores rows by id, and checklist keys name ids.
        {"sqlite_autoincrement": True},
    )


class Interview(Base):
    __tablename__ = "interviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    round_name: Mapped[str] = mapped_column(String(200), default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    timezone: Mapped[str] = mapped_column(String(64))
    duration_minutes: Mapped[int] = mapped_column(Integer, default=60)
    format: Mapped[InterviewFormat] = mapped_column(
        _enum(InterviewFormat, "interview_format"), default=InterviewFormat.VIDEO
    )
    location: Mapped[str] = mapped_column(String(2000), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[InterviewOutcome | None] = mapped_column(
        _enum(InterviewOutcome, "interview_outcome")
    )
    # The calendar invite it came from (migration 0010): an update with the
    # same UID and a higher SEQUENCE changes this interview; CANCEL marks it.
    ical_uid: Mapped[str] = mapped_column(String(1000), default="", server_default="", index=True)
    ical_sequence: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    video_link: Mapped[str] = mapped_column(String(2000), default="", server_default="")
    version: Mapped[int] = mapped_column(Integer, server_default=text("1"))
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    application: Mapped[Application] = relationship(back_populates="interviews")
    participants: Mapped[list[Participant]] = relationship(
        back_populates="interview", cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (
        CheckConstraint("duration_minutes > 0", name="positive_duration"),
        Index("ix_interviews_starts_at", "starts_at"),
        {"sqlite_autoincrement": True},
    )


class Contact(Base):
    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320), default="")
    phone: Mapped[str] = mapped_column(String(64), default="")
    title: Mapped[str] = mapped_column(String(200), default="")
    company: Mapped[str] = mapped_column(String(200), default="")
    linkedin_url: Mapped[str] = mapped_column(String(2000), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    cadence_days: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, server_default=text("1"))
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    participations: Mapped[list[Participant]] = relationship(
        back_populates="contact", cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (
        CheckConstraint("cadence_days IS NULL OR cadence_days > 0", name="positive_cadence"),
        Index("ix_contacts_name", "name"),
        {"sqlite_autoincrement": True},
    )


class Participant(Base):
    """A contact taking part in one interview, with notes about that conversation."""

    __tablename__ = "participants"

    id: Mapped[int] = mapped_column(primary_key=True)
    interview_id: Mapped[int] = mapped_column(
        ForeignKey("interviews.id", ondelete="CASCADE"), index=True
    )
    # Deleting a contact removes them from interviews, never the interviews.
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    notes: Mapped[str] = mapped_column(Text, default="")
    role: Mapped[ParticipantRole] = mapped_column(
        _enum(ParticipantRole, "participant_role"),
        default=ParticipantRole.INTERVIEWER,
        server_default=ParticipantRole.INTERVIEWER.value,
    )
    # This person told you the interview's outcome: a reply to a rejection goes to them.
    delivered_outcome: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    interview: Mapped[Interview] = relationship(back_populates="participants")
    contact: Mapped[Contact] = relationship(back_populates="participations")

    __table_args__ = (UniqueConstraint("interview_id", "contact_id", name="uq_participant"),)


# The touchpoints that make a thank-you done: an email or a letter with that
# purpose. Written out, not bound, so that SQLite can match it to the partial index.
THANK_YOU_NOTE_SQL = "purpose = 'thank_you' AND kind IN ('email', 'letter')"


class Touchpoint(Base):
    """Any contact the user made with a person: an email, a call, a letter..."""

    __tablename__ = "touchpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    application_id: Mapped[int | None] = mapped_column(
        ForeignKey("applications.id", ondelete="SET NULL"), index=True
    )
    interview_id: Mapped[int | None] = mapped_column(
        ForeignKey("interviews.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[TouchpointKind] = mapped_column(_enum(TouchpointKind, "touchpoint_kind"))
    purpose: Mapped[Purpose] = mapped_column(_enum(Purpose, "purpose"), default=Purpose.OTHER)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(Text, default="")
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id", ondelete="SET NULL"))
    # How a referral went (kind "referral" only).
    referral_outcome: Mapped[ReferralOutcome | None] = mapped_column(
        _enum(ReferralOutcome, "referral_outcome")
    )
    # What a sent reply to a rejection asked for (its message's ``requests``,
    # migration 0014); NULL when not known (logged by hand): then it asked for everything.
    requests: Mapped[frozenset[str] | None] = mapped_column(WordSet(200))

    # For the checklist's Today list (afterword.core.checklist.service), which reads
    # thank-you notes by interview and person, a person's touchpoints by date,
    # and an application's follow-ups and rejection replies by date.
    __table_args__ = (
        Index(
            "ix_touchpoints_thank_you_notes",
            "interview_id",
            "contact_id",
            "purpose",
            "kind",
            sqlite_where=text(THANK_YOU_NOTE_SQL),
        ),
        Index("ix_touchpoints_contact_id_occurred_at", "contact_id", "occurred_at", "kind"),
        Index("ix_touchpoints_application_id_purpose", "application_id", "purpose", "occurred_at"),
    )


class MailAccount(Base):
    """How to reach the user's SMTP server. The password lives in the OS keyring only."""

    __tablename__ = "mail_accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(320))
    smtp_host: Mapped[str] = mapped_column(String(255))
    smtp_port: Mapped[int] = mapped_column(Integer)
    security: Mapped[MailSecurity] = mapped_column(_enum(MailSecurity, "mail_security"))
    username: Mapped[str] = mapped_column(String(320))
    bcc_self: Mapped[bool] = mapped_column(Boolean, default=False)
    sign_in: Mapped[SignIn] = mapped_column(_enum(SignIn, "sign_in"), default=SignIn.PASSWORD)
    # Empty: the provider's IMAP server, if it is a known one.
    imap_host: Mapped[str] = mapped_column(String(255), default="")
    imap_port: Mapped[int] = mapped_column(Integer, default=993)
    imap_security: Mapped[MailSecurity] = mapped_column(
        _enum(MailSecurity, "imap_security"), default=MailSecurity.SSL
    )
    # Empty: found by its special use (RFC 6154) or a common name.
    sent_folder: Mapped[str] = mapped_column(String(255), default="")
    watch_replies: Mapped[bool] = mapped_column(Boolean, default=False)
    replies_checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Message(Base):
    """One email (or letter) to one person; its status is the send state machine's."""

    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="SET NULL"), index=True
    )
    application_id: Mapped[int | None] = mapped_column(
        ForeignKey("applications.id", ondelete="SET NULL"), index=True
    )
    interview_id: Mapped[int | None] = mapped_column(
        ForeignKey("interviews.id", ondelete="SET NULL"), index=True
    )
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("mail_accounts.id", ondelete="SET NULL")
    )
    purpose: Mapped[Purpose] = mapped_column(_enum(Purpose, "purpose"), default=Purpose.OTHER)
    to_name: Mapped[str] = mapped_column(String(200), default="")
    to_address: Mapped[str] = mapped_column(String(320), default="")
    subject: Mapped[str] = mapped_column(String(998), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    bcc_self: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[MessageStatus] = mapped_column(
        _enum(MessageStatus, "message_status"), default=MessageStatus.DRAFT, index=True
    )
    message_id_header: Mapped[str] = mapped_column(String(998), default="")
    error: Mapped[str] = mapped_column(Text, default="")
    # Trouble after a successful send (no copy in Sent): shown, never a reason to resend.
    warning: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # What a reply to a rejection asks for (ReplyRequest values, migration 0014);
    # NULL for every other note. Sending copies it to the touchpoint.
    requests: Mapped[frozenset[str] | None] = mapped_column(WordSet(200))


class Template(Base):
    __tablename__ = "templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[Purpose] = mapped_column(_enum(Purpose, "purpose"))
    name: Mapped[str] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(String(998))
    body: Mapped[str] = mapped_column(Text)
    builtin: Mapped[bool] = mapped_column(Boolean, default=False)
    # Which shipped text a built-in template is ("panel", "after_rejection"; "" for the main one).
    variant: Mapped[str] = mapped_column(String(32), default="", server_default="")

    __table_args__ = (UniqueConstraint("name", name="uq_template_name"),)


class ChecklistState(Base):
    """What the user said by hand about one checklist item (keyed by the item's key)."""

    __tablename__ = "checklist_states"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    mark: Mapped[ChecklistMark] = mapped_column(_enum(ChecklistMark, "checklist_mark"))
    snoozed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Setting(Base):
    """Small user preferences the core's rules need (e.g. follow-up delay)."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class KeptItem(Base):
    """One checklist item still to do (or snoozed), as the rules made it: kept, not recomputed.

    Derived data: :mod:`afterword.core.checklist.keeper` replaces the rows of
    exactly the subjects each write changed, in that write's transaction. A
    row holds what does not change with the clock (texts and the due,
    overdue and snooze-end bounds); the state at any moment follows from the
    bounds and that moment. ``rule`` and ``subject_id`` name the rule and the
    subject (interview, application or contact id) that made it. Items the
    facts or a done/dismissed mark settled are not kept.
    """

    __tablename__ = "checklist_items"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    rule: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(Text)
    detail: Mapped[str] = mapped_column(Text)
    application_id: Mapped[int | None] = mapped_column(Integer, index=True)
    interview_id: Mapped[int | None] = mapped_column(Integer, index=True)
    contact_id: Mapped[int | None] = mapped_column(Integer, index=True)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    overdue_at: Mapped[datetime] = mapped_column(UTCDateTime)
    snoozed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_checklist_items_rule_subject", "rule", "subject_id"),)


class KeptFor(Base):
    """What the kept checklist items were made for (one row; none: not built yet).

    Their texts and day-based bounds depend on the user's time zone and the
    current year, and on the version of the rules; a reader that finds
    another zone, year or version builds them all again. ``generation``
    counts the writes that changed kept items; ``built`` is the generation
    of the last full build.
    """

    __tablename__ = "checklist_kept"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rules_version: Mapped[int] = mapped_column(Integer)
    zone: Mapped[str] = mapped_column(String(64))
    year: Mapped[int] = mapped_column(Integer)
    generation: Mapped[int] = mapped_column(Integer)
    built: Mapped[int] = mapped_column(Integer)


class KeptChange(Base):
    """Which subjects' kept items a write replaced, by generation (the recent ones only).

    A reader that holds the items of an older generation reads again only
    these subjects' rows.
    """

    __tablename__ = "checklist_changes"

    generation: Mapped[int] = mapped_column(Integer, primary_key=True)
    rule: Mapped[str] = mapped_column(String(32), primary_key=True)
    subject_id: Mapped[int] = mapped_column(Integer, primary_key=True)


class CalendarSequence(Base):
    """What was last exported under one calendar UID, and its SEQUENCE (migration 0010)."""

    __tablename__ = "calendar_sequences"

    uid: Mapped[str] = mapped_column(String(1000), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    sequence: Mapped[int] = mapped_column(Integer)


class ReminderLog(Base):
    """A notification already shown (or a digest day already claimed); see core/reminders."""

    __tablename__ = "reminder_log"

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    notified_at: Mapped[datetime] = mapped_column(UTCDateTime)
