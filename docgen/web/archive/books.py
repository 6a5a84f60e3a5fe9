"""The register book page: Sổ đăng ký văn bản đi of the reader's organisation for a year, as
DOCX and XLSX, its last page carrying the chain head (the anchor ``verify --anchor`` checks)."""

from __future__ import annotations

import io

from flask import abort, render_template, request, send_file
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from docgen.db import get_clock, get_session
from docgen.errors import DocgenError
from docgen.identity import current_actor
from docgen.models import Register
from docgen.rendering.register_book import book_docx, book_xlsx
from docgen.runtime import get_renderer
from docgen.services.lookup import DbRecordLookup
from docgen.services.register_book import register_book
from docgen.web.archive import bp
from docgen.web.forms import year_number

MIME = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@bp.get("/register-book")
def register_books() -> str:
    session, actor = get_session(), current_actor()
    registers = session.scalars(
        select(Register).where(Register.organisation == actor.organisation).order_by(Register.id)
    ).all()
    year = request.args.get("year") or str(get_clock().today().year)
    return render_template("archive/register_book.html", registers=registers, year=year)


@bp.get("/register-book.<any(docx, xlsx):kind>")
def register_book_file(kind: str) -> ResponseReturnValue:
    session, actor = get_session(), current_actor()
    year = year_number(request.args.get("year"))
    if year is None:
        abort(400, description="Năm phải là bốn chữ số, từ 1900 đến 2100, ví dụ 2017.")
    register = request.args.get("register") or None
    try:
        book = register_book(
            session, DbRecordLookup(session), actor.organisation or "", year,
            register=register, actor=actor,
        )  # fmt: skip
    except DocgenError:
        session.rollback()
        raise
    content = book_docx(get_renderer(), book) if kind == "docx" else book_xlsx(book)
    name = f"so-dang-ky-di-{register or actor.organisation}-{year}.{kind}"
    response = send_file(io.BytesIO(content), mimetype=MIME[kind], as_attachment=True,
                         download_name=name)  # fmt: skip
    response.headers["Cache-Control"] = "private, no-store"
    return response
