"""A search's result list as a list document (DOCX, PDF) through the one template pipeline:
the ``muc-luc-van-ban`` template with the heading "DANH SÁCH VĂN BẢN", never an HTML print."""

from __future__ import annotations

import io
from dataclasses import replace

from flask import request, send_file
from flask.typing import ResponseReturnValue

from docgen.api.parse import search_query
from docgen.db import get_clock, get_session
from docgen.identity import conversion_slot, current_actor
from docgen.rendering.item_list import ItemList, ItemRow, item_list_docx
from docgen.runtime import get_converter, get_renderer
from docgen.services.lookup import DbRecordLookup
from docgen.services.search import search
from docgen.services.search.query import MAX_PER_PAGE
from docgen.web.archive import bp

EXPORT_LIMIT = 1000  # documents in one printed list; the page says how many were left out
MIME = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def _described(args: dict[str, str]) -> str:
    """Return the list's subtitle: what was searched, in words."""
    labels = {
        "q": "từ khóa", "number": "số, ký hiệu", "year": "năm", "type": "loại",
        "issuer": "cơ quan", "signer": "người ký", "recipient": "nơi nhận", "from": "từ ngày",
        "to": "đến ngày", "status": "tình trạng", "unit": "đơn vị",
    }  # fmt: skip
    parts = [f"{label} “{args[key]}”" for key, label in labels.items() if args.get(key)]
    return "Kết quả tra cứu" + (": " + "; ".join(parts) if parts else ": mọi văn bản")


@bp.get("/results.<any(docx, pdf):kind>")
def export_results(kind: str) -> ResponseReturnValue:
    session, actor = get_session(), current_actor()
    query = replace(search_query(request.args), page=1, per_page=MAX_PER_PAGE, after=None)
    rows: list[ItemRow] = []
    total = 0
    while len(rows) < EXPORT_LIMIT:
        page = search(session, query, actor=actor)
        total = page.total
        for hit in page.items:
            d = hit.document
            rows.append(ItemRow(
                index=str(len(rows) + 1), number_symbol=f"{d.code_number}/{d.symbol}",
                date=d.issued_date.strftime("%d/%m/%Y"), summary=f"{d.type_name}: {d.subject}",
                author=d.organ_name, pages=str(d.page_amount or ""),
                note="" if hit.status.value == "in_force" else hit.status.label.capitalize(),
            ))  # fmt: skip
        if len(page.items) < query.per_page:
            break
        query = replace(query, page=query.page + 1)
    rows = rows[:EXPORT_LIMIT]
    title = _described(dict(request.args))
    if total > len(rows):
        title += f" ({len(rows)} văn bản đầu trong {total})"
    organisation = DbRecordLookup(session).organisation(actor.organisation or "ubnd-tinh")
    session.rollback()  # the reads end before rendering and converting
    docx = item_list_docx(
        get_renderer(), ItemList(organisation, get_clock().today().year, title, rows,
                                 heading="DANH SÁCH VĂN BẢN"),
    )  # fmt: skip
    content = docx
    if kind == "pdf":
        with conversion_slot(actor):
            content = get_converter().to_pdf(docx)
    response = send_file(io.BytesIO(content), mimetype=MIME[kind], as_attachment=True,
                         download_name=f"danh-sach-van-ban.{kind}")  # fmt: skip
    response.headers["Cache-Control"] = "private, no-store"
    return response
