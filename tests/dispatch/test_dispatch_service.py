"""Dispatch (phát hành): recipients with copy counts, marks read back, append-only rows,
who may dispatch (404 another organisation's document, 403 a drafter), the register book."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import delete, text, update
from sqlalchemy.exc import DBAPIError

from docgen.db import get_db
from docgen.errors import FieldError, Forbidden, NotFound
from docgen.models import DispatchRecord, ImmutableRecordError
from docgen.policy import system_actor
from docgen.services import dispatch
from docgen.services.clock import VIETNAM
from docgen.services.lookup import DbRecordLookup
from docgen.services.register_book import register_book

NOW = datetime(2017, 3, 21, 10, 0, tzinfo=VIETNAM)


def _view(app, document_id, actor):
    with get_db(app).session() as session:
        return dispatch.dispatch_view(session, document_id, actor=actor)


def _mark(app, document_id, positions, actor, **kwargs):
    with get_db(app).session() as session:
        added = dispatch.mark(session, document_id, positions, actor=actor, now=NOW, **kwargs)
        session.commit()
        return added


def test_recipients_of_the_plan_with_copy_counts(app, people, issue):
    document = issue("ke-hoach-2017")
    view = _view(app, document.id, people.registrar)
    names = [r.name for r in view.recipients]
    assert names[0] == "Hội đồng TĐKT Trung ương"
    assert "Như trên" not in names and not any(n.startswith("Lưu") for n in names)
    assert len(names) == 10  # the ten Nơi nhận entries of records/recipient-lists.yaml
    board = next(r for r in view.recipients if r.name == "Ban TĐKT, Sở Nội vụ")
    assert (board.copies, board.part, board.organisation) == (5, "noi-nhan", "btdkt")
    assert view.kept == "Lưu: VT, vttkieu." and view.kept_copies == 2
    # what is sent plus what is kept is the issued amount the register printed
    assert sum(r.copies for r in view.recipients) + view.kept_copies == document.issued_amount
    assert len(view.unsent) == 10


def test_kinh_gui_recipients_come_first(app, people, issue):
    document = issue("cong-van-de-nghi-2017")
    view = _view(app, document.id, people.registrar)
    parts = [(r.part, r.name) for r in view.recipients]
    assert parts[:3] == [
        ("kinh-gui", "Các sở, ban, ngành, đoàn thể cấp tỉnh"),
        ("kinh-gui", "UBND các huyện, thị xã, thành phố"),
        ("kinh-gui", "Các doanh nghiệp thuộc Khối thi đua của tỉnh"),
    ]
    assert [p for p, _ in parts[3:]] == ["noi-nhan", "noi-nhan"]


def test_mark_sent_read_back_and_correct(app, people, issue):
    document = issue("ke-hoach-2017")
    first = _view(app, document.id, people.registrar).recipients
    added = _mark(app, document.id, [first[0].position, first[8].position], people.registrar,
                  channel="giay", sent_on=date(2017, 3, 20))  # fmt: skip
    assert len(added) == 2
    view = _view(app, document.id, people.registrar)
    sent = view.recipient(first[8].position)
    assert sent.sent and sent.last.sent_on == date(2017, 3, 20) and sent.channel_label == "giấy"
    assert sent.last.actor == people.registrar.username and sent.last.copies == 5
    assert len(view.unsent) == 8
    # the same mark again adds nothing; another date is a correction: a new row
    assert _mark(app, document.id, [first[8].position], people.registrar, channel="giay",
                 sent_on=date(2017, 3, 20)) == []  # fmt: skip
    _mark(app, document.id, [first[8].position], people.registrar, channel="dien-tu",
          sent_on=date(2017, 3, 21))  # fmt: skip
    corrected = _view(app, document.id, people.registrar).recipient(first[8].position)
    assert [r.sent_on for r in corrected.history] == [date(2017, 3, 20), date(2017, 3, 21)]
    assert corrected.channel_label == "điện tử"
    # withdrawing a wrong mark: the recipient waits again, the history stays
    _mark(app, document.id, [first[0].position], people.registrar, sent=False)
    again = _view(app, document.id, people.registrar)
    assert not again.recipient(first[0].position).sent
    assert len(again.recipient(first[0].position).history) == 2
    assert len(again.records) == 4


@pytest.mark.parametrize(
    ("kwargs", "field", "words"),
    [
        ({"positions": [], "channel": "giay"}, "positions", "chưa chọn"),
        ({"positions": [99], "channel": "giay"}, "positions", "99"),
        ({"positions": [1], "channel": "fax"}, "channel", "giấy hoặc điện tử"),
        ({"positions": [1], "channel": "giay", "sent_on": date(2017, 3, 22)}, "sent_on",
         "tương lai"),
        ({"positions": [1], "channel": "giay", "sent_on": date(2017, 3, 19)}, "sent_on",
         "trước ngày ban hành"),
        ({"positions": [1], "sent": False}, "positions", "chưa ghi gửi"),
        ({"positions": [1], "channel": "giay", "note": "x" * 501}, "note", "500"),
    ],
)  # fmt: skip
def test_bad_marks_are_field_errors(app, people, issue, kwargs, field, words):
    document = issue("ke-hoach-2017")
    kwargs = dict(kwargs)  # the parameters are shared by the backends' runs
    positions = kwargs.pop("positions")
    with pytest.raises(FieldError) as caught:
        _mark(app, document.id, positions, people.registrar, **kwargs)
    assert words in caught.value.fields[field]
    assert _view(app, document.id, people.registrar).records == ()


def test_who_may_dispatch(app, people, issue):
    document = issue("ke-hoach-2017")
    with pytest.raises(NotFound):  # another organisation's document does not exist for them
        _view(app, document.id, people.outsider)
    with pytest.raises(Forbidden):  # a drafter sees the document but does not dispatch it
        _view(app, document.id, people.drafter)
    with pytest.raises(Forbidden):
        _mark(app, document.id, [1], people.drafter, channel="giay")
    with pytest.raises(NotFound):
        _mark(app, document.id, [1], people.outsider, channel="giay")
    secret = issue("ke-hoach-2017", register="ubnd-tinh-mat")
    assert _view(app, secret.id, people.registrar).recipients  # the issuer's registrar sees it
    with pytest.raises(NotFound):  # a secret document is invisible to a drafter
        _view(app, secret.id, people.drafter)


def test_dispatch_rows_are_append_only(app, people, issue):
    document = issue("ke-hoach-2017")
    _mark(app, document.id, [1], people.registrar, channel="giay")
    with get_db(app).session() as session:
        record = session.query(DispatchRecord).one()
        record.channel = "dien-tu"
        with pytest.raises(ImmutableRecordError):
            session.flush()
        session.rollback()
        with pytest.raises(ImmutableRecordError):
            session.execute(update(DispatchRecord).values(channel="dien-tu"))
        session.rollback()
        with pytest.raises(ImmutableRecordError):
            session.execute(delete(DispatchRecord))
        session.rollback()
    # under the ORM: the database's own triggers refuse it
    for sql in ("UPDATE dispatch_record SET channel = 'dien-tu'", "DELETE FROM dispatch_record"):
        with get_db(app).engine.connect() as conn, pytest.raises(DBAPIError) as caught:
            conn.execute(text(sql))
        assert "immutable" in str(caught.value)
    assert _view(app, document.id, people.registrar).recipient(1).channel_label == "giấy"


def test_register_book_fills_sent_date_and_copies(app, people, issue, clock):
    dispatched = issue("ke-hoach-2017")
    waiting = issue("ke-hoach-2017")
    view = _view(app, dispatched.id, people.registrar)
    board = next(r for r in view.recipients if r.copies == 5)
    _mark(app, dispatched.id, [1, board.position], people.registrar, channel="giay",
          sent_on=date(2017, 3, 20))  # fmt: skip
    _mark(app, dispatched.id, [2], people.registrar, channel="dien-tu", sent_on=date(2017, 3, 21))
    with get_db(app).session() as session:
        book = register_book(session, DbRecordLookup(session), "ubnd-tinh", 2017,
                             actor=system_actor("kiểm thử"))  # fmt: skip
    rows = {row.number_symbol: row for row in book.rows}
    done = rows[dispatched.notation]
    assert done.sent_date == "20/03/2017, 21/03/2017"
    assert done.copies == str(1 + 5 + 1 + 2)  # sent (1 + 5b + 1) and kept (Lưu: VT, vttkieu)
    assert rows[waiting.notation].sent_date == ""
    assert rows[waiting.notation].copies == str(waiting.issued_amount)
