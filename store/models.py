"""What lovbot remembers: messages as received, cases, findings, tasks, outgoing mail, audit.

SQLAlchemy 2.0 declarative models. Every timestamp is stored timezone-aware in UTC so
SQLite and PostgreSQL answer the same.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar, NoReturn

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    select,
    text,
)
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    column_property,
    mapped_column,
    relationship,
    validates,
)

__all__ = [
    "AuditEntry",
    "Base",
    "Case",
    "CaseFinding",
    "CaseSequence",
    "MailMessage",
    "MailMessageRaw",
    "OutgoingMail",
    "PollState",
    "Provider",
    "ProviderChecklistItem",
    "RegisterChange",
    "ReviewUser",
    "Task",
    "Unit",
    "utcnow",
]


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UtcDateTime(TypeDecorator[dt.datetime]):
    """A timezone-aware datetime on both backends (SQLite drops the offset on its own)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dt.datetime: UtcDateTime,
        dict[str, Any]: JSON,
        list[Any]: JSON,
    }


class MailMessageRaw(Base):
    """A message's bytes as received, in a table of their own.

    Written only by ``store.raw.write_raw``, in slices: an ORM INSERT of a 25 MB value has
    the drivers copy it two or three times over (sqlite3/SQLite, psycopg/libpq). ``raw`` is
    the last column because SQLite keeps a ``zeroblob`` unexpanded only there, and the
    primary key is an INTEGER so that it is SQLite's rowid (``blobopen`` finds the row by
    it). Gallring deletes the row.
    """

    __tablename__ = "mail_message_raw"

    message_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("mail_message.id"), primary_key=True, autoincrement=False
    )
    raw: Mapped[bytes] = mapped_column(LargeBinary)


class MailMessage(Base):
    """One message as fetched from one place on one server, kept byte for byte (a public record)."""

    __tablename__ = "mail_message"
    __table_args__ = (
        UniqueConstraint(
            "mailbox", "folder", "uidvalidity", "uid", name="uq_mail_message_location"
        ),
        # Only the rows not yet moved on the server: what each poll cycle asks for
        # (store/repository.py pending_moves), as small as what is in flight.
        Index(
            "ix_mail_message_unmoved",
            "mailbox",
            "folder",
            "uidvalidity",
            "uid",
            sqlite_where=text("moved_at IS NULL"),
            postgresql_where=text("moved_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    mailbox: Mapped[str] = mapped_column(String(300))
    folder: Mapped[str] = mapped_column(String(200))
    uidvalidity: Mapped[int] = mapped_column(BigInteger)
    uid: Mapped[int] = mapped_column(BigInteger)
    message_id: Mapped[str | None] = mapped_column(String(998), index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    # The message as received, read from ``mail_message_raw`` (None once gallring removed
    # it); for reading only: ``store.raw.write_raw`` writes it. Loaded only when read: the
    # poller's queries (pending moves, duplicates, the move bookkeeping) need none of it.
    raw: Mapped[bytes | None] = column_property(
        select(MailMessageRaw.raw)
        .where(MailMessageRaw.message_id == id)
        .correlate_except(MailMessageRaw)
        .scalar_subquery(),
        deferred=True,
    )
    received_at: Mapped[dt.datetime | None]
    from_address: Mapped[str | None] = mapped_column(String(320), index=True)
    subject: Mapped[str | None] = mapped_column(Text)
    # processed | failed | duplicate | retried (failed, then handled when moved back)
    state: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str | None] = mapped_column(String(40))
    # The `lovbot check` line for this message alone, personnummer masked.
    understanding: Mapped[dict[str, Any] | None]
    error: Mapped[str | None] = mapped_column(Text)
    target_folder: Mapped[str] = mapped_column(String(200))
    moved_at: Mapped[dt.datetime | None]
    replied: Mapped[str | None] = mapped_column(Text)  # why we did or did not answer
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # Gallring: when the raw message (and with it its attachments) was removed after its
    # retention period; the case, the masked understanding and the SHA-256 stay.
    purged_at: Mapped[dt.datetime | None]

    case: Mapped[Case | None] = relationship(back_populates="messages")

    @validates("raw")
    def _raw_is_read_only(self, key: str, value: object) -> NoReturn:
        # Set here, the bytes would silently not be stored (``raw`` is a query, not a column).
        raise AttributeError(f"MailMessage.{key} is read only; store.raw.write_raw stores it")


class CaseSequence(Base):
    """The last case number handed out per year (LOV-YYYY-NNNN)."""

    __tablename__ = "case_sequence"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class Case(Base):
    """One change notice, possibly spread over several messages of a thread."""

    __tablename__ = "case"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    also: Mapped[list[Any]] = mapped_column(default=list)
    status: Mapped[str] = mapped_column(String(40), index=True)
    sender: Mapped[str | None] = mapped_column(String(320))
    units: Mapped[list[Any]] = mapped_column(default=list)
    new_name: Mapped[str | None] = mapped_column(Text)
    effective_date: Mapped[dt.date | None] = mapped_column(Date)
    ansvarskod: Mapped[str | None] = mapped_column(String(40))
    # The evaluated `check` line for the whole case (what the acknowledgement says).
    result: Mapped[dict[str, Any]]
    status_changed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Optimistic lock (issue 9): SQLAlchemy bumps it with every UPDATE of the row and
    # checks it in the UPDATE's WHERE, so a change made on a stale copy (an officer's form,
    # or the poller racing an officer) raises StaleDataError instead of overwriting.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    assigned_to: Mapped[str | None] = mapped_column(String(200))
    # Handled by hand in the review app: who and when; the status stays what the rules said.
    closed_at: Mapped[dt.datetime | None]
    closed_by: Mapped[str | None] = mapped_column(String(200))

    messages: Mapped[list[MailMessage]] = relationship(
        back_populates="case", order_by="MailMessage.id"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (read once by the mapper)
    findings: Mapped[list[CaseFinding]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseFinding.id"
    )
    tasks: Mapped[list[Task]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="Task.id"
    )


class CaseFinding(Base):
    """A finding that currently stands on a case (replaced when the case is re-evaluated)."""

    __tablename__ = "case_finding"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    code: Mapped[str] = mapped_column(String(60))
    severity: Mapped[str] = mapped_column(String(10))
    message: Mapped[str] = mapped_column(Text)
    evidence: Mapped[str | None] = mapped_column(Text)

    case: Mapped[Case] = relationship(back_populates="findings")


class Task(Base):
    """One system to update for a complete case, owned by EKU, Intraservice or KOM."""

    __tablename__ = "task"
    __table_args__ = (UniqueConstraint("case_id", "system", name="uq_task_case_system"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    system: Mapped[str] = mapped_column(String(40))
    owner: Mapped[str] = mapped_column(String(40))
    due: Mapped[dt.date | None] = mapped_column(Date)
    # open (EKU's own) | held (order awaiting approval) | ordered (order mail queued) | done
    state: Mapped[str] = mapped_column(String(20), index=True)
    order_mail_id: Mapped[int | None] = mapped_column(ForeignKey("outgoing_mail.id"))
    done_at: Mapped[dt.datetime | None]
    done_by: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    case: Mapped[Case] = relationship(back_populates="tasks")
    # Set as an object, the order's id is filled in at the flush: no flush per order.
    order_mail: Mapped[OutgoingMail | None] = relationship()


class OutgoingMail(Base):
    """A transactional outbox row: queued with the message that caused it, sent after commit."""

    __tablename__ = "outgoing_mail"
    __table_args__ = (
        Index("ix_outgoing_mail_due", "state", "next_attempt_at"),
        # The pending mail, and of it the orders and digests, claimed before
        # acknowledgements (migration 0010; store/repository.py says why).
        Index(
            "ix_outgoing_mail_pending",
            "id",
            sqlite_where=text("state = 'pending'"),
            postgresql_where=text("state = 'pending'"),
        ),
        Index(
            "ix_outgoing_mail_urgent",
            "id",
            sqlite_where=text("state = 'pending' AND purpose <> 'ack'"),
            postgresql_where=text("state = 'pending' AND purpose <> 'ack'"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_id: Mapped[str] = mapped_column(String(300), unique=True)
    # ack | order | digest
    purpose: Mapped[str] = mapped_column(String(20))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id"), index=True)
    recipient: Mapped[str] = mapped_column(String(320), index=True)
    subject: Mapped[str] = mapped_column(Text)
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    # pending | sent | failed (gave up after max attempts)
    state: Mapped[str] = mapped_column(String(20))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    # Indexed: the sending limits count what was sent in the last minute and day.
    sent_at: Mapped[dt.datetime | None] = mapped_column(index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    # One sender at a time: whoever claimed the row sends it until claimed_until; a claim
    # left by a crashed sender expires, and the mail is tried again (issue 8 item 1).
    claimed_by: Mapped[str | None] = mapped_column(String(40))
    claimed_until: Mapped[dt.datetime | None]
    purged_at: Mapped[dt.datetime | None]  # gallring removed ``raw`` (sent or failed mail only)

    case: Mapped[Case | None] = relationship()


class PollState(Base):
    """Where the poller is in one folder of one mailbox, and how its last cycles went."""

    __tablename__ = "poll_state"

    mailbox: Mapped[str] = mapped_column(String(300), primary_key=True)
    folder: Mapped[str] = mapped_column(String(200), primary_key=True)
    uidvalidity: Mapped[int | None] = mapped_column(BigInteger)
    last_uid: Mapped[int] = mapped_column(BigInteger, default=0)
    last_success_at: Mapped[dt.datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_at: Mapped[dt.datetime | None]
    errors_since_success: Mapped[int] = mapped_column(Integer, default=0)


class AuditEntry(Base):
    """Who or what changed what, and when: statuses, tasks, approvals, overrides."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(60))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id"), index=True)
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)

    # Set as an object, a new case's id is filled in at the flush (intake/cycle.py records
    # a whole batch with one flush).
    case: Mapped[Case | None] = relationship()


class Provider(Base):
    """A provider in the city's register: private (utförare) or municipal (a förvaltning).

    A private provider found only by its mail domain (its first onboarding mail) has no
    organisationsnummer yet; EKU adds it by CSV import or the provider's form.
    """

    __tablename__ = "register_provider"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    # Private providers are known by it; the city's förvaltningar share one, so by name.
    organisationsnummer: Mapped[str | None] = mapped_column(String(11), index=True)
    domains: Mapped[list[Any]] = mapped_column(default=list)
    municipal: Mapped[bool] = mapped_column(default=False)
    home_care: Mapped[bool] = mapped_column(default=False)
    # seed 001: a two-year contract with options of 1+1+1 years.
    contract_start: Mapped[dt.date | None] = mapped_column(Date)
    period_end: Mapped[dt.date | None] = mapped_column(Date)
    options_left: Mapped[int | None] = mapped_column(Integer)
    # seed 000: EKU's decision that the provider is valbar (lovbot provider valbar).
    valbar_decided_on: Mapped[dt.date | None] = mapped_column(Date)
    valbar_decided_by: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    items: Mapped[list[ProviderChecklistItem]] = relationship(
        back_populates="provider", cascade="all, delete-orphan", order_by="ProviderChecklistItem.id"
    )
    units: Mapped[list[Unit]] = relationship(back_populates="provider", order_by="Unit.id")


class ProviderChecklistItem(Base):
    """One item of a provider's onboarding checklist, and the case that delivered it."""

    __tablename__ = "register_checklist_item"
    __table_args__ = (UniqueConstraint("provider_id", "item", name="uq_register_checklist_item"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("register_provider.id"), index=True)
    item: Mapped[str] = mapped_column(String(40))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id"))
    noted_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    provider: Mapped[Provider] = relationship(back_populates="items")


class ReviewUser(Base):
    """A local account of the review app (the embedded default; production signs in with Entra ID)."""

    __tablename__ = "review_user"

    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    # argon2id (argon2-cffi): the PHC string carries its own salt and cost parameters.
    password_hash: Mapped[str] = mapped_column(Text)
    # handlaggare (may change cases) | lasare (reads only)
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Unit(Base):
    """A unit (enhet) users can choose: planned → valbar → full ⇄ valbar → closed.

    ``state_from`` is the day the state began; ``starts_on`` the day a planned unit
    becomes valbar. Contact details are the form's answers as last given.
    """

    __tablename__ = "register_unit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("register_provider.id"), index=True)
    name: Mapped[str] = mapped_column(Text)
    earlier_names: Mapped[list[Any]] = mapped_column(default=list)
    area: Mapped[str | None] = mapped_column(String(60))  # verksamhetsområde
    ansvarskod: Mapped[str | None] = mapped_column(String(40))
    address: Mapped[str | None] = mapped_column(Text)
    postnummer: Mapped[str | None] = mapped_column(String(10))
    ort: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(320))
    manager: Mapped[str | None] = mapped_column(Text)
    capacity: Mapped[int | None] = mapped_column(Integer)  # kapacitetstak / antal platser
    # planned | valbar | full | closed
    state: Mapped[str] = mapped_column(String(20), index=True)
    state_from: Mapped[dt.date | None] = mapped_column(Date)
    starts_on: Mapped[dt.date | None] = mapped_column(Date)
    state_case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    provider: Mapped[Provider | None] = relationship(back_populates="units")


class RegisterChange(Base):
    """One change to the register: what it was before and after, so EKU can undo it.

    ``step`` names what a case did (``planned``, ``valbar``, ``closed`` ...); a case's step
    is applied once, which makes ``lovbot register apply`` safe to repeat.
    """

    __tablename__ = "register_change"
    __table_args__ = (Index("ix_register_change_case_step", "case_id", "step"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(200))
    step: Mapped[str] = mapped_column(String(40))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("register_unit.id"), index=True)
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("register_provider.id"))
    effective: Mapped[dt.date | None] = mapped_column(Date)
    before: Mapped[dict[str, Any] | None]
    after: Mapped[dict[str, Any] | None]
    undone_at: Mapped[dt.datetime | None]
    undone_by: Mapped[str | None] = mapped_column(String(200))
