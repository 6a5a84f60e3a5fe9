"""Saved searches per user: a name and the search page's query string (issue 11).

Only the search page's own parameters are kept (never a page number or a keyset, which
go stale), so opening a saved search runs it afresh. Personal: another user's saved
search is "not found", whoever asks.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import parse_qsl, urlencode

from sqlalchemy import select
from sqlalchemy.orm import Session

from docgen.errors import NotFound, RuleError
from docgen.models import SavedSearch
from docgen.policy import Actor
from docgen.rules.text import nfc

KEPT_PARAMETERS = (
    "q", "number", "type", "issuer", "unit", "signer", "recipient", "year", "from", "to",
    "status", "order", "per_page", "columns",
)  # fmt: skip
MAX_NAME = 100
MAX_QUERY = 2000
MAX_PER_USER = 50


def kept_query(pairs: list[tuple[str, str]]) -> str:
    """Return the query string of ``pairs`` with only the kept, non-empty parameters."""
    return urlencode([(k, nfc(v)) for k, v in pairs if k in KEPT_PARAMETERS and v.strip()])


def _user_id(actor: Actor) -> int:
    if actor.user_id is None:
        raise RuleError("Chỉ người dùng đã đăng nhập mới lưu được tìm kiếm.", code="no_user")
    return actor.user_id


def list_saved(session: Session, *, actor: Actor) -> list[SavedSearch]:
    """Return ``actor``'s saved searches by name."""
    if actor.user_id is None:
        return []
    return list(
        session.scalars(
            select(SavedSearch)
            .where(SavedSearch.user_id == actor.user_id)
            .order_by(SavedSearch.name, SavedSearch.id)
        )
    )


def save_search(
    session: Session, name: str, query_string: str, *, actor: Actor, now: datetime
) -> SavedSearch:
    """Return ``actor``'s saved search ``name`` for ``query_string`` (replacing the old one)."""
    user_id = _user_id(actor)
    name = " ".join(nfc(name or "").split())
    if not name or len(name) > MAX_NAME:
        raise RuleError(
            f"Tên tìm kiếm phải có từ 1 đến {MAX_NAME} ký tự.", code="invalid_name", field="name"
        )
    query = kept_query(parse_qsl(query_string or "", keep_blank_values=False))
    if len(query) > MAX_QUERY:
        raise RuleError("Điều kiện tìm kiếm quá dài để lưu.", code="invalid_query")
    saved = session.scalar(
        select(SavedSearch).where(SavedSearch.user_id == user_id, SavedSearch.name == name)
    )
    if saved is None:
        if len(list_saved(session, actor=actor)) >= MAX_PER_USER:
            raise RuleError(
                f"Mỗi người lưu được tối đa {MAX_PER_USER} tìm kiếm; hãy xóa bớt.",
                code="too_many_saved",
            )
        saved = SavedSearch(user_id=user_id, name=name, query=query, created_at=now)
        session.add(saved)
    else:
        saved.query, saved.created_at = query, now
    session.flush()
    return saved


def delete_saved(session: Session, saved_id: int, *, actor: Actor) -> None:
    """Delete ``actor``'s saved search ``saved_id``; another user's is not found."""
    saved = session.get(SavedSearch, saved_id)
    if saved is None or actor.user_id is None or saved.user_id != actor.user_id:
        raise NotFound("Không tìm thấy tìm kiếm đã lưu.")
    session.delete(saved)
    session.flush()
