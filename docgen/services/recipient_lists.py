"""Named recipient lists (Kính gửi / Nơi nhận) an organisation keeps, and lists composed in a draft.

Ownership: a list made on the pages belongs to its organisation (its registrar and admin
manage it, ``Action.MANAGE_RECIPIENTS``); the lists loaded from ``records/`` have no owner:
every organisation may pick them, nobody edits them on the pages (``docgen load-records``
would overwrite the edit). A list composed inside a draft carries ``draft_id`` and never
changes in place: a change is a new row (``draft-<id>-<n>``), so a row an issued document
names is never rewritten, and a draft's new version follows every change of its recipients.

What a list an issued document names says is part of what was issued (and who may read the
document follows its Nơi nhận), so such a list cannot be changed or deleted: copy it instead.
The same holds while a draft naming it waits for signature or is approved: the signer
approved those recipients. Services take a session and never commit.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from docgen.database import begin_write
from docgen.errors import Conflict, FieldError, Forbidden, NotFound
from docgen.models import AuditEvent, Document, Draft, RecipientListRow
from docgen.policy import Action, Actor, can
from docgen.rules.drafts import DraftState
from docgen.rules.recipient_lines import Block, Lines, check_lines
from docgen.rules.recipients import kinh_gui, noi_nhan
from docgen.rules.text import fold

__all__ = ["Block", "Lines", "check_lines"]

NAME_MAX = 300
_LOCKING_STATES = (DraftState.TRINH_KY, DraftState.DA_DUYET, DraftState.DA_BAN_HANH)


@dataclass(frozen=True)
class Usage:
    """Who names a list: issued documents, drafts waiting/approved, other live drafts."""

    documents: int
    locking_drafts: tuple[int, ...]
    drafts: tuple[int, ...]

    @property
    def locked(self) -> bool:
        """Return whether the list may no longer change."""
        return bool(self.documents or self.locking_drafts)


# --- reading ------------------------------------------------------------------------------------


def named_lists(session: Session, organisation: str | None) -> list[RecipientListRow]:
    """Return the named lists ``organisation`` may pick: its own first, then the shared ones."""
    owner = RecipientListRow.organisation
    query = select(RecipientListRow).where(
        RecipientListRow.draft_id.is_(None),
        or_(owner.is_(None), owner == organisation) if organisation else owner.is_(None),
    )
    rows = list(session.scalars(query))
    return sorted(rows, key=lambda r: (r.organisation is None, fold(r.name), r.code))


def get_list(session: Session, code: str, actor: Actor) -> RecipientListRow:
    """Return the named list ``code``; ``NotFound`` for another organisation's or a draft's."""
    row = session.get(RecipientListRow, code)
    visible = row is not None and row.draft_id is None
    if visible and row.organisation is not None and not actor.system:
        visible = actor.of(row.organisation)
    if not visible:
        raise NotFound(f"Không có danh sách nơi nhận “{code}”.", code=code)
    return row


def editable(actor: Actor, row: RecipientListRow) -> bool:
    """Return whether ``actor`` may change ``row`` (own organisation's registrar or admin)."""
    return row.organisation is not None and can(actor, Action.MANAGE_RECIPIENTS, row.organisation)


def usage(session: Session, code: str) -> Usage:
    """Return who names the list ``code``."""
    documents = session.scalar(
        select(func.count()).select_from(Document).where(Document.recipient_list == code)
    )
    rows = session.execute(
        select(Draft.id, Draft.state).where(Draft.recipients == code, Draft.deleted_at.is_(None))
    ).all()
    locking = tuple(sorted(i for i, state in rows if state in _LOCKING_STATES))
    others = tuple(sorted(i for i, state in rows if state not in _LOCKING_STATES))
    return Usage(documents=documents or 0, locking_drafts=locking, drafts=others)


def lines_of(row: RecipientListRow | None) -> Lines:
    """Return a stored list as the lines a form shows."""
    if row is None:
        return Lines()
    return Lines(
        kinh_gui=tuple(row.kinh_gui),
        noi_nhan=tuple(
            (e["name"], str(e.get("copies") or ""), e.get("organisation") or "")
            for e in row.noi_nhan
        ),
        archive=", ".join(row.archive),
        archive_copies=str(row.archive_copies or ""),
    )


def printed_lines(row: RecipientListRow, *, by_name: bool, unit: str | None = None) -> list[str]:
    """Return the block as the renderer prints it ("Kính gửi: …", then the Nơi nhận lines)."""
    out: list[str] = []
    nhu_tren = False
    if by_name and row.kinh_gui:
        gui = kinh_gui(row.kinh_gui)
        out += [f"Kính gửi: {gui.inline}"] if gui.inline else ["Kính gửi:", *gui.items]
        nhu_tren = True
    from docgen.services.lookup import recipient_list_from_row

    the_list = recipient_list_from_row(row)
    archive = the_list.archive or ((unit,) if unit else ())
    block = noi_nhan(the_list.noi_nhan, nhu_tren=nhu_tren, archive=archive,
                     archive_copies=the_list.archive_copies)  # fmt: skip
    return [*out, "Nơi nhận:", *block]


# --- writing ------------------------------------------------------------------------------------


def _require(actor: Actor, organisation: str | None) -> str:
    if actor.system:
        return actor.username
    if organisation is None or not can(actor, Action.MANAGE_RECIPIENTS, organisation):
        raise Forbidden(
            "Chỉ văn thư hoặc quản trị của cơ quan được sửa danh sách nơi nhận của cơ quan; "
            "danh sách dùng chung (nạp từ records/) chỉ xem và sao chép được."
        )
    return actor.username


def _audit(session: Session, actor: str, action: str, code: str, now: datetime, **details: Any):
    session.add(AuditEvent(at=now, actor=actor, action=action, target_kind="recipient_list",
                           target_id=code, details=details))  # fmt: skip


def _check_name(name: str) -> str:
    text = " ".join((name or "").split())
    if not text:
        raise FieldError({"name": "Chưa nhập tên danh sách."})
    if len(text) > NAME_MAX:
        raise FieldError({"name": f"Tên danh sách dài quá {NAME_MAX} ký tự."})
    return text


def _organisation_codes(session: Session) -> set[str]:
    from docgen.models import OrganisationRow

    return set(session.scalars(select(OrganisationRow.code)))


def _checked(session: Session, name: str, lines: Lines) -> tuple[str, Block]:
    problems: dict[str, str] = {}
    try:
        name = _check_name(name)
    except FieldError as exc:
        problems.update(exc.fields)
    block, line_problems = check_lines(lines, organisations=_organisation_codes(session))
    problems.update(line_problems)
    if not problems and not (block.kinh_gui or block.noi_nhan):
        problems["noi_nhan"] = "Danh sách cần ít nhất một nơi nhận (Kính gửi hoặc Nơi nhận)."
    if problems:
        raise FieldError(problems)
    return name, block


def _new_code(session: Session, base: str) -> str:
    slug = "-".join("".join(c if c.isalnum() and c.isascii() else " " for c in fold(base)).split())
    stem = slug[:56].rstrip("-") or "danh-sach"
    code, n = stem, 1
    while session.get(RecipientListRow, code) is not None:
        n += 1
        code = f"{stem}-{n}"
    return code


def _fill(row: RecipientListRow, block: Block) -> None:
    row.kinh_gui = list(block.kinh_gui)
    row.noi_nhan = [dict(e) for e in block.noi_nhan]
    row.archive = list(block.archive)
    row.archive_copies = block.archive_copies


def create_list(
    session: Session, *, actor: Actor, now: datetime, name: str, lines: Lines
) -> RecipientListRow:
    """Return a new named list of ``actor``'s organisation (``FieldError`` with line messages)."""
    who = _require(actor, actor.organisation)
    begin_write(session)
    name, block = _checked(session, name, lines)
    code = _new_code(session, f"{actor.organisation} {name}")
    row = RecipientListRow(code=code, name=name, organisation=actor.organisation)
    _fill(row, block)
    session.add(row)
    _audit(session, who, "recipient_list_create", code, now, name=name)
    session.flush()
    return row


def _locked_message(row: RecipientListRow, used: Usage, doing: str) -> str:
    if used.documents:
        why = f"{used.documents} văn bản đã ban hành ghi danh sách này (đó là một phần của văn bản)"
    else:
        numbers = ", ".join(str(i) for i in used.locking_drafts)
        why = f"dự thảo số {numbers} đang trình ký hoặc đã được duyệt với danh sách này"
    return f"Không thể {doing} danh sách “{row.name}”: {why}. Hãy tạo bản sao rồi sửa bản sao."


def update_list(
    session: Session, code: str, *, actor: Actor, now: datetime, name: str, lines: Lines
) -> RecipientListRow:
    """Return the list after the change; ``Conflict`` when issued documents or signing name it."""
    begin_write(session)
    row = get_list(session, code, actor)
    who = _require(actor, row.organisation)
    name, block = _checked(session, name, lines)
    used = usage(session, code)
    if used.locked:
        raise Conflict(_locked_message(row, used, "sửa"), code="recipient_list_in_use")
    row.name = name
    _fill(row, block)
    _audit(session, who, "recipient_list_update", code, now, name=name)
    session.flush()
    return row


def delete_list(session: Session, code: str, *, actor: Actor, now: datetime) -> None:
    """Delete the list; ``Conflict`` when a document or a live draft names it."""
    begin_write(session)
    row = get_list(session, code, actor)
    who = _require(actor, row.organisation)
    used = usage(session, code)
    if used.locked:
        raise Conflict(_locked_message(row, used, "xóa"), code="recipient_list_in_use")
    if used.drafts:
        numbers = ", ".join(str(i) for i in used.drafts)
        raise Conflict(
            f"Không thể xóa danh sách “{row.name}”: dự thảo số {numbers} đang dùng. "
            "Hãy chọn danh sách khác trong các dự thảo đó trước.",
            code="recipient_list_in_use",
        )
    # Deleted drafts keep their rows for the record; they no longer name the list.
    session.execute(
        update(Draft)
        .where(Draft.recipients == code, Draft.deleted_at.is_not(None))
        .values(recipients=None)
        .execution_options(synchronize_session=False)
    )
    _audit(session, who, "recipient_list_delete", code, now, name=row.name)
    session.delete(row)
    session.flush()


def copy_list(session: Session, code: str, *, actor: Actor, now: datetime) -> RecipientListRow:
    """Return an editable copy, owned by ``actor``'s organisation, of a list it may see."""
    begin_write(session)
    source = get_list(session, code, actor)
    lines = lines_of(source)
    name = f"{source.name} (bản sao)"[:NAME_MAX]
    return create_list(session, actor=actor, now=now, name=name, lines=lines)


# --- a list composed inside a draft -------------------------------------------------------------


def compose_for_draft(
    session: Session, draft: Draft, block: Block, *, actor: Actor, now: datetime
) -> str | None:
    """Return the code of the list holding ``block`` for ``draft`` (None for an empty block).

    The draft's current composed list is kept when it says the same; otherwise a new row is
    made (rows never change in place) and this draft's composed rows nothing names any more
    are removed. The caller then saves the code on the draft (``update_draft``).
    """
    if block.empty:
        _collect(session, draft, keep=())
        return None
    current = session.get(RecipientListRow, draft.recipients) if draft.recipients else None
    if current is not None and current.draft_id is not None and _same(current, block):
        return current.code
    n = 1 + (session.scalar(select(func.count()).where(RecipientListRow.draft_id == draft.id)) or 0)
    code = f"draft-{draft.id}-{n}"
    while session.get(RecipientListRow, code) is not None:
        n += 1
        code = f"draft-{draft.id}-{n}"
    row = RecipientListRow(code=code, name=f"Nơi nhận của dự thảo số {draft.id}",
                           organisation=draft.organisation_id, draft_id=draft.id)  # fmt: skip
    _fill(row, block)
    session.add(row)
    _audit(session, actor.username, "recipient_list_compose", code, now, draft=draft.id)
    session.flush()
    _collect(session, draft, keep=(code,))
    return code


def _same(row: RecipientListRow, block: Block) -> bool:
    return (
        list(row.kinh_gui) == list(block.kinh_gui)
        and [dict(e) for e in row.noi_nhan] == [dict(e) for e in block.noi_nhan]
        and list(row.archive) == list(block.archive)
        and row.archive_copies == block.archive_copies
    )


def _collect(session: Session, draft: Draft, *, keep: Collection[str]) -> None:
    """Delete ``draft``'s composed rows that no draft and no document names (``keep`` aside)."""
    named = select(Draft.recipients).where(Draft.recipients.is_not(None))
    issued = select(Document.recipient_list).where(Document.recipient_list.is_not(None))
    keep = {*keep, *([draft.recipients] if draft.recipients else [])}
    session.execute(
        delete(RecipientListRow)
        .where(
            RecipientListRow.draft_id == draft.id,
            RecipientListRow.code.not_in(keep),
            RecipientListRow.code.not_in(named),
            RecipientListRow.code.not_in(issued),
        )
        .execution_options(synchronize_session=False)
    )
