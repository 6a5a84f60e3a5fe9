"""Phát hành (dispatch) of an issued document: its recipients and what is still unsent, marking
them sent, the envelopes and the Sổ gửi văn bản đi bưu điện (DOCX, and PDF through the app's
converter).

Thin views over ``services.dispatch``. Only the issuer's registrar dispatches: another
organisation's document is a 404, a visible one this actor may not dispatch a 403 (raised
as HTTP errors, so they stay errors when a POST that lost its CSRF token is shown again).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from docgen.database import begin_write
from docgen.db import get_clock, get_session
from docgen.errors import FieldError, Forbidden, NotFound
from docgen.identity import current_actor
from docgen.models import DispatchChannel
from docgen.rendering.dispatch import envelopes_docx, post_book_docx
from docgen.runtime import get_converter, get_renderer
from docgen.services import dispatch as service
from docgen.services.clock import VIETNAM
from docgen.services.lookup import DbRecordLookup
from docgen.web.drafting import bp
from docgen.web.forms import Form, whole_number
from docgen.web.shell import keeps_input

DATE_FORMAT = "%d/%m/%Y"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CHANNELS = [(str(c), c.label) for c in DispatchChannel]
LABELS = {
    "positions": "Nơi nhận",
    "channel": "Hình thức gửi",
    "sent_on": "Ngày chuyển",
    "note": "Ghi chú",
    "date_from": "Từ ngày",
    "date_to": "Đến ngày",
}


def _today() -> date:
    return get_clock().now().astimezone(VIETNAM).date()


def _view(document_id: int) -> service.DispatchView:
    """Return the dispatch view, or abort: 404 not visible, 403 visible but not dispatchable."""
    try:
        return service.dispatch_view(get_session(), document_id, actor=current_actor())
    except NotFound:
        abort(404)
    except Forbidden:
        abort(403)


def _date(raw: str | None, default: date | None, key: str, errors: dict[str, str]) -> date | None:
    """Return the dd/mm/yyyy date typed (``default`` when blank); a bad one goes to ``errors``."""
    raw = (raw or "").strip()
    if not raw:
        return default
    try:
        return datetime.strptime(raw, DATE_FORMAT).date()
    except ValueError:
        errors[key] = f"“{raw[:20]}” không phải ngày dạng ngày/tháng/năm (vd. 21/03/2017)"
        return None


def _positions(values: list[str], errors: dict[str, str]) -> list[int]:
    out = []
    for value in values:
        position = whole_number(value, digits=4)
        if position is None:
            errors["positions"] = "nơi nhận đã chọn không hợp lệ; hãy tải lại trang"
            return []
        out.append(position)
    return out


def _page(view: service.DispatchView, *, errors: dict[str, str] | None = None,
          typed: Any = None, status: int = 200) -> ResponseReturnValue:  # fmt: skip
    today = _today()
    listed = [(LABELS.get(k, k), v[:1].upper() + v[1:]) for k, v in (errors or {}).items()]
    html = render_template(
        "drafting/dispatch.html",
        view=view,
        document=view.document,
        channels=CHANNELS,
        errors=errors or {},
        listed=listed,
        typed=typed or {},
        today=today.strftime(DATE_FORMAT),
        chosen={
            n for p in (typed or {}).get("positions", []) if (n := whole_number(p)) is not None
        },
    )
    return html, status


@bp.get("/documents/<int:document_id>/dispatch")
def dispatch(document_id: int) -> ResponseReturnValue:
    return _page(_view(document_id))


@bp.post("/documents/<int:document_id>/dispatch")
@keeps_input
def dispatch_mark(document_id: int) -> ResponseReturnValue:
    view = _view(document_id)  # 404 / 403 before anything is read from the form
    typed = {
        "positions": request.form.getlist("positions"),
        "channel": request.form.get("channel", ""),
        "sent_on": request.form.get("sent_on", ""),
        "note": request.form.get("note", ""),
    }
    if not Form().validate_on_submit():  # a lost CSRF token: nothing is written
        return _page(view, typed=typed, status=400)
    errors: dict[str, str] = {}
    positions = _positions(typed["positions"], errors)
    sent = request.form.get("action", "sent") != "unsent"
    sent_on = _date(typed["sent_on"], None, "sent_on", errors)
    if not errors:
        session = get_session()
        session.rollback()  # the loader's read ends; the marks begin as a writer
        begin_write(session)
        try:
            added = service.mark(session, document_id, positions, sent=sent,
                                 channel=typed["channel"] or None, sent_on=sent_on,
                                 note=typed["note"], actor=current_actor(),
                                 now=get_clock().now())  # fmt: skip
        except FieldError as exc:
            session.rollback()
            errors = dict(exc.fields)
        else:
            session.commit()
            if sent:
                done = f"Đã ghi gửi {len(added)} nơi nhận."
                flash(done if added else "Các nơi nhận đã chọn đã được ghi gửi như vậy.", "ok")
            else:
                flash(f"Đã hủy ghi gửi {len(added)} nơi nhận.", "ok")
            return redirect(url_for("drafting.dispatch", document_id=document_id), code=303)
    return _page(_view(document_id), errors=errors, typed=typed, status=422)


def _file(docx: bytes, kind: str, name: str) -> ResponseReturnValue:
    """Return the DOCX, or its PDF made by the app's converter, as a download."""
    if kind == "pdf":
        body, mimetype, suffix = get_converter().to_pdf(docx), "application/pdf", "pdf"
    else:
        body, mimetype, suffix = docx, DOCX, "docx"
    response = current_app.response_class(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{suffix}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/documents/<int:document_id>/dispatch/envelopes.<any(docx, pdf):kind>")
def dispatch_envelopes(document_id: int, kind: str) -> ResponseReturnValue:
    view = _view(document_id)
    errors: dict[str, str] = {}
    positions = _positions(request.args.getlist("positions"), errors)
    if not errors:
        session = get_session()
        try:
            sender, made = service.envelopes(session, DbRecordLookup(session), document_id,
                                             positions or None, actor=current_actor())  # fmt: skip
        except FieldError as exc:
            errors = dict(exc.fields)
        else:
            docx = envelopes_docx(get_renderer(), sender, made)
            return _file(docx, kind, f"bi-van-ban-{document_id}")
    return _page(view, errors=errors, status=422)


@bp.get("/dispatch/post-book.<any(docx, pdf):kind>")
def dispatch_post_book(kind: str) -> ResponseReturnValue:
    actor = current_actor()
    errors: dict[str, str] = {}
    today = _today()
    date_from = _date(request.args.get("from"), today, "date_from", errors)
    date_to = _date(request.args.get("to"), date_from, "date_to", errors)
    if not errors and date_from is not None and date_to is not None:
        session = get_session()
        try:
            book = service.post_book(session, DbRecordLookup(session), actor.organisation or "",
                                     date_from, date_to, actor=actor)  # fmt: skip
        except FieldError as exc:
            errors = dict(exc.fields)
        else:
            docx = post_book_docx(get_renderer(), book)
            return _file(docx, kind, f"so-gui-buu-dien-{date_from:%Y%m%d}-{date_to:%Y%m%d}")
    message = "; ".join(f"{LABELS.get(k, k)}: {v}" for k, v in errors.items())
    return render_template("drafting/dispatch_error.html", message=message), 422
