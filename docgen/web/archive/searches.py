"""The search page's parts beyond the results: facets, thumbnails, columns, saved searches.

``index`` (routes.py) renders what ``search_context`` returns; saving and deleting a saved
search are plain form posts (CSRF token), each redirecting back to the search page.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from docgen.api.parse import search_query
from docgen.database import begin_write
from docgen.db import get_clock, get_session
from docgen.errors import DocgenError
from docgen.identity import current_actor
from docgen.models import Rendition
from docgen.rules.doctypes import DOCTYPES
from docgen.services.search import COUNT_CAP, Order, facets, search
from docgen.services.search import saved as saved_searches
from docgen.web.archive import bp

# Choosable result columns (GET ``columns``, kept in a saved search), in display order.
COLUMNS = {
    "thumbnail": "Ảnh trang 1",
    "number": "Số, ký hiệu",
    "date": "Ngày ban hành",
    "type": "Loại văn bản",
    "issuer": "Cơ quan ban hành",
    "unit": "Đơn vị soạn thảo",
    "signer": "Người ký",
    "status": "Tình trạng",
    "snippet": "Đoạn trích",
}
DEFAULT_COLUMNS = ("thumbnail", "number", "date", "type", "issuer", "signer", "status", "snippet")
_NOT_FILTERS = ("page", "after")


def chosen_columns(args: MultiDict[str, str]) -> list[str]:
    """Return the columns the query string asks for (the default set when none)."""
    wanted = [c for c in args.getlist("columns") if c in COLUMNS]
    return [c for c in COLUMNS if c in wanted] if wanted else list(DEFAULT_COLUMNS)


def link(args: MultiDict[str, str], **changes: Any) -> str:
    """Return the search page's URL with ``changes`` (None drops a parameter)."""
    pairs = [(k, v) for k, v in args.items(multi=True) if k not in changes and v != ""]
    pairs += [(k, str(v)) for k, v in changes.items() if v is not None]
    query = urlencode(pairs)
    return url_for("archive.index") + (f"?{query}" if query else "")


def filter_link(args: MultiDict[str, str], key: str, value: str | None) -> str:
    """Return the URL of the search narrowed (or widened, ``value`` None) on ``key``."""
    return link(args, **{key: value, "page": None, "after": None})


def _with_thumbnail(document_ids: list[int]) -> set[int]:
    """Return the documents whose PDF rendition exists (its page 1 image can be served)."""
    if not document_ids:
        return set()
    return set(
        get_session().scalars(
            select(Rendition.document_id).where(
                Rendition.document_id.in_(document_ids), Rendition.kind == "pdf"
            )
        )
    )


def search_context(args: MultiDict[str, str]) -> dict[str, Any]:
    """Return what the search page and its results partial render for ``args``."""
    session, actor = get_session(), current_actor()
    page = counts = error = None
    try:
        query = search_query(args)
        page = search(session, query, actor=actor)
        counts = facets(session, query, actor=actor)
    except DocgenError as exc:
        error = exc.message
    saved_query = urlencode(
        [(k, v) for k, v in args.items(multi=True) if k not in _NOT_FILTERS and v]
    )
    return {
        "page": page,
        "facets": counts,
        "error": error,
        "args": args,
        "columns": chosen_columns(args),
        "all_columns": COLUMNS,
        "orders": list(Order),
        "doctypes": DOCTYPES,
        "count_cap": COUNT_CAP,
        "thumbnails": _with_thumbnail([h.document.id for h in page.items] if page else []),
        "saved": saved_searches.list_saved(session, actor=actor),
        "saved_query": saved_query,
        "link": lambda **changes: link(args, **changes),
        "filter_link": lambda key, value: filter_link(args, key, value),
    }


def _back(query: str) -> ResponseReturnValue:
    return redirect(url_for("archive.index") + (f"?{query}" if query else ""))


@bp.post("/searches")
def save_search() -> ResponseReturnValue:
    session = get_session()
    query = request.form.get("query", "")
    session.rollback()
    begin_write(session)  # a writer from the start (SQLite: no read upgraded to a write)
    try:
        saved = saved_searches.save_search(
            session, request.form.get("name", ""), query, actor=current_actor(),
            now=get_clock().now(),
        )  # fmt: skip
    except DocgenError as exc:
        session.rollback()
        flash(exc.message, "error")
        return _back(saved_searches.kept_query(list(MultiDict(request.form).items(multi=True))))
    session.commit()
    flash(f"Đã lưu tìm kiếm “{saved.name}”.", "success")
    return _back(saved.query)


@bp.post("/searches/<int:saved_id>/delete")
def delete_saved_search(saved_id: int) -> ResponseReturnValue:
    session = get_session()
    session.rollback()
    begin_write(session)
    saved_searches.delete_saved(session, saved_id, actor=current_actor())  # 404 if not own
    session.commit()
    flash("Đã xóa tìm kiếm đã lưu.", "success")
    return _back(request.form.get("query", ""))
