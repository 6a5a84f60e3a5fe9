"""Named readers of secret documents: the issuer's registrar names, revokes and lists them.

A document issued into a secret register (văn bản mật) is read by the issuing
organisation's registrar and by the users it names, who must be of that organisation
(Decree 30 keeps secret handling inside it). Grants are revoked, never deleted; every
grant and revocation is an audit event. The caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from docgen.database import begin_write
from docgen.errors import Conflict, NotFound, RuleError
from docgen.models import Document, DocumentReader, OrganisationRow, User
from docgen.policy import Action, Actor, DocumentFacts, can, visible
from docgen.services.accounts import user_by_username
from docgen.services.archive import audit, check_actor, document_facts, require

FORBIDDEN = "Chỉ văn thư hoặc quản trị của cơ quan ban hành được chỉ định người đọc văn bản mật."


class NotSecret(Conflict):
    """Readers are named only for secret documents: everyone of the issuer reads the others."""

    code = "not_secret"


@dataclass(frozen=True)
class ReaderGrant:
    """One grant as its faces show it: who, since when, by whom, and whether it was revoked."""

    id: int
    document_id: int
    username: str
    name: str
    granted_by: str
    granted_at: datetime
    revoked_by: str | None
    revoked_at: datetime | None

    @property
    def active(self) -> bool:
        """Return whether the grant still lets the user read the document."""
        return self.revoked_at is None

    @classmethod
    def of(cls, grant: DocumentReader, user: User) -> ReaderGrant:
        """Return the grant row ``grant`` of ``user`` as its faces show it."""
        return cls(
            id=grant.id,
            document_id=grant.document_id,
            username=user.username,
            name=user.name,
            granted_by=grant.granted_by,
            granted_at=grant.granted_at,
            revoked_by=grant.revoked_by,
            revoked_at=grant.revoked_at,
        )


def managed_document(session: Session, document_id: int, actor: Actor) -> Document:
    """Return the secret document whose readers ``actor`` may manage.

    ``NotFound`` when the actor may neither see it nor manage its readers (its existence is
    not disclosed), ``Forbidden`` when it may only see it, ``NotSecret`` for a document of
    an ordinary register.
    """
    document = session.get(Document, document_id)
    facts: DocumentFacts | None = None
    if document is not None:
        facts = document_facts(session, document)
    if (
        document is None
        or facts is None
        or not (visible(actor, facts) or can(actor, Action.NAME_READERS, facts))
    ):
        raise NotFound(f"Không có văn bản mã số {document_id} trong lưu trữ.", id=document_id)
    require(actor, Action.NAME_READERS, facts, FORBIDDEN)
    if not facts.secret:
        raise NotSecret(
            f"Văn bản số {document.notation} không thuộc sổ văn bản mật: mọi người dùng của cơ "
            "quan ban hành đã đọc được, không cần chỉ định người đọc.",
            id=document_id,
        )
    return document


def _organisation_name(session: Session, code: str) -> str:
    row = session.get(OrganisationRow, code)
    return row.name if row is not None else code


def _reader(session: Session, document: Document, username: str) -> User:
    """Return the user ``username`` if it may be named a reader of ``document``.

    Another organisation's user and a user who does not exist get the same message, so the
    answer does not tell which usernames exist elsewhere.
    """
    user = user_by_username(session, username) if isinstance(username, str) else None
    if user is None or user.organisation != document.organisation_id:
        organisation = _organisation_name(session, document.organisation_id)
        raise RuleError(
            f"Không có người dùng “{username}” trong {organisation}: chỉ người của cơ quan ban "
            "hành mới được chỉ định đọc văn bản mật.",
            code="reader_not_in_organisation",
            username=username,
        )
    if not user.active:
        raise RuleError(
            f"Tài khoản “{user.username}” đang bị khóa, không thể chỉ định đọc văn bản.",
            code="reader_inactive",
            username=user.username,
        )
    return user


def grant_reader(
    session: Session, document_id: int, username: str, *, actor: Actor, now: datetime
) -> ReaderGrant:
    """Return the new grant letting ``username`` read secret document ``document_id``.

    ``Conflict`` when the user already holds an active grant: the partial unique index
    decides (also between two registrars naming the same user at once).
    """
    name = check_actor(actor)
    begin_write(session)
    document = managed_document(session, document_id, actor)
    user = _reader(session, document, username)
    grant = DocumentReader(
        document_id=document.id,
        user_id=user.id,
        organisation_id=document.organisation_id,
        granted_by=name,
        granted_at=now,
    )
    try:
        with session.begin_nested():
            session.add(grant)
    except IntegrityError:
        raise Conflict(
            f"Người dùng “{user.username}” đã được chỉ định đọc văn bản số {document.notation}.",
            code="reader_exists",
            username=user.username,
        ) from None
    audit(session, at=now, actor=name, action="grant_reader", target=document,
          reader=user.username, grant=grant.id)  # fmt: skip
    return ReaderGrant.of(grant, user)


def revoke_reader(
    session: Session, document_id: int, username: str, *, actor: Actor, now: datetime
) -> ReaderGrant:
    """Return the grant of ``username`` to read ``document_id``, now revoked.

    One UPDATE of the active grant only: of two revocations at once, the second finds
    nothing to revoke (``NotFound``) instead of overwriting the first's time and name.
    """
    name = check_actor(actor)
    begin_write(session)
    document = managed_document(session, document_id, actor)
    user = user_by_username(session, username) if isinstance(username, str) else None
    revoked = None
    if user is not None:
        revoked = session.scalar(
            update(DocumentReader)
            .where(
                DocumentReader.document_id == document.id,
                DocumentReader.user_id == user.id,
                DocumentReader.revoked_at.is_(None),
            )
            .values(revoked_at=now, revoked_by=name)
            .returning(DocumentReader.id)
            .execution_options(synchronize_session=False)
        )
    if user is None or revoked is None:
        raise NotFound(
            f"“{username}” không có quyền đọc văn bản số {document.notation}.",
            code="reader_not_found",
            username=username,
        )
    grant = session.get_one(DocumentReader, revoked)
    session.refresh(grant)
    audit(session, at=now, actor=name, action="revoke_reader", target=document,
          reader=user.username, grant=grant.id)  # fmt: skip
    return ReaderGrant.of(grant, user)


def list_readers(session: Session, document_id: int, *, actor: Actor) -> list[ReaderGrant]:
    """Return every grant of secret document ``document_id``, revoked ones too, oldest first."""
    document = managed_document(session, document_id, actor)
    rows = session.execute(
        select(DocumentReader, User)
        .join(User, User.id == DocumentReader.user_id)
        .where(DocumentReader.document_id == document.id)
        .order_by(DocumentReader.granted_at, DocumentReader.id)
    ).all()
    return [ReaderGrant.of(grant, user) for grant, user in rows]
