"""Archive search: folding, filters, ranking, snippets from the original, same on every backend."""

from __future__ import annotations

import itertools
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from docgen.db import get_db
from docgen.models import Document, DocumentRecipient, DocumentStatus, DocumentText
from docgen.policy import system_actor
from docgen.rules.text import fold, fold_tokens
from docgen.runtime import get_renderer
from docgen.services.issuance import IssueRequest, issue_document
from docgen.services.lookup import load_records_into
from docgen.services.search import (
    Order,
    SearchQuery,
    fold_aligned,
    index_words,
    parse_terms,
    search,
)
from docgen.services.status import withdraw_document

SEED = Path(__file__).parents[1] / "data" / "ke-hoach-2017-kien-giang.txt"
RECORDS = ("ke-hoach-2017", "cong-van-de-nghi-2017", "to-trinh-2017", "bao-cao-6-thang-2017")
QUERIES = (
    "dien hinh",
    "ĐIỂN HÌNH",
    "điển hình",
    '"dien hinh tien tien"',
    "tuyen truyen",
    "thi dua khen thuong trung uong",
    "6 thang",
    "mai van huynh",
    "kh ubnd",
    "xyzzy khong co",
    "đề nghị",
    "de nghi",
)

CONSOLE = system_actor("kiểm thử")  # sees everything; scoping is tested in tests/auth


def _issue_all(app, clock, records) -> list[Document]:
    out = []
    with get_db(app).session() as session:
        for day, code in enumerate(RECORDS, start=20):
            clock.set(datetime(2017, 3, day, 9))
            rec = records.document(code)
            request = IssueRequest(**rec.request())
            out.append(
                issue_document(
                    session,
                    request,
                    actor=system_actor("vt"),
                    clock=clock,
                    renderer=get_renderer(app),
                )
            )
            session.commit()
    return out


@pytest.fixture
def archive(app, clock, loaded):
    return _issue_all(app, clock, loaded)


def _ids(session, **kwargs) -> list[int]:
    return [
        hit.document.id
        for hit in search(session, SearchQuery(per_page=100, **kwargs), actor=CONSOLE).items
    ]


def test_with_or_without_diacritics_and_case_the_same_documents(archive, session):
    found = {
        q: sorted(_ids(session, q=q)) for q in ("dien hinh", "ĐIỂN HÌNH", "điển hình", "Dien Hinh")
    }
    assert len(set(map(tuple, found.values()))) == 1
    assert len(found["dien hinh"]) == 4
    assert sorted(_ids(session, q="de nghi")) == sorted(_ids(session, q="đề nghị")) != []


def test_words_are_ranked_summary_first(archive, session):
    plan, _letter, proposal, report = archive
    page = search(session, SearchQuery(q="xet chon", order=Order.RELEVANCE), actor=CONSOLE)
    assert page.items[0].document.id == proposal.id  # in its trích yếu
    assert all(h.score is not None for h in page.items)
    best = _ids(session, q='"nhan to moi" tuyen truyen', order=Order.RELEVANCE)[:1]
    assert best in ([plan.id], [report.id])
    newest = search(session, SearchQuery(q="xet chon"), actor=CONSOLE)  # the default order
    assert [h.document.id for h in newest.items] == sorted(
        (h.document.id for h in page.items), reverse=True
    )
    assert all(h.score is None for h in newest.items)


def test_snippets_come_from_the_original_text(archive, session):
    page = search(session, SearchQuery(q="dien hinh tien tien"), actor=CONSOLE)
    for hit in page.items:
        snippet = hit.snippet
        assert snippet is not None and snippet.highlights
        marked = [snippet.text[s:e] for s, e in snippet.highlights]
        assert {fold(m) for m in marked} <= {"dien", "hinh", "tien"}
        assert any(m in ("điển", "Điển", "ĐIỂN") for m in marked)  # original diacritics kept
        body = session.get(DocumentText, hit.document.id).body
        assert snippet.text in body


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"number": "02/UBND-VHXH"}, [1]),
        ({"number": "01"}, [0, 2]),  # 01/KH-UBND and 01/TTr-SNV
        ({"number": "KH-UBND"}, [0]),
        ({"number": "ttr-snv"}, [2]),
        ({"doctype": "KH"}, [0]),
        ({"doctype": "to-trinh"}, [2]),
        ({"issuer": "snv"}, [2, 3]),
        ({"issuer": "Sở Nội vụ"}, [2, 3]),
        ({"issuer": "so noi vu"}, [2, 3]),
        ({"signer": "mai-van-huynh"}, [0]),
        ({"signer": "Mai Van Huynh"}, [0]),
        ({"date_from": date(2017, 3, 21), "date_to": date(2017, 3, 22)}, [1, 2]),
        ({"recipient": "tinh uy"}, [0]),
        ({"recipient": "Hội đồng TĐKT tỉnh"}, [2, 3]),
        ({"year": 2018}, []),
        ({"year": 2017, "q": "dien hinh", "issuer": "ubnd-tinh"}, [0, 1]),
    ],
)
def test_filters(archive, session, filters, expected):
    assert sorted(_ids(session, **filters)) == sorted(archive[i].id for i in expected)


def test_status_filter_and_paging(app, archive, session, clock):
    withdraw_document(session, archive[1].id, reason="nhầm", actor=system_actor("vt"), clock=clock)
    session.commit()
    assert _ids(session, status=DocumentStatus.WITHDRAWN) == [archive[1].id]
    assert len(_ids(session, status=DocumentStatus.IN_FORCE)) == 3
    first = search(session, SearchQuery(per_page=3), actor=CONSOLE)
    second = search(session, SearchQuery(per_page=3, page=2), actor=CONSOLE)
    assert (first.total, first.pages, len(first.items), len(second.items)) == (4, 2, 3, 1)
    newest_first = [h.document.issued_date for h in first.items + second.items]
    assert newest_first == sorted(newest_first, reverse=True)


def test_folding_one_character_at_a_time_keeps_offsets():
    text = SEED.read_text(encoding="utf-8")
    aligned = fold_aligned(text)
    assert len(aligned) == len(text)
    assert aligned.split() == fold(text).split()
    assert fold_tokens(aligned) == fold_tokens(text)
    assert index_words(text).split() == fold_tokens(text)


def test_query_terms():
    assert parse_terms('ĐIỂN hình "Tiên tiến năm" 2017') == [
        ["tien", "tien", "nam"],
        ["dien"],
        ["hinh"],
        ["2017"],
    ]


def _oracle(session) -> dict[str, set[int]]:
    """Return what each query must find, computed in Python from the stored rows."""
    fields: dict[int, list[list[str]]] = {}
    for doc in session.scalars(select(Document)):
        names = session.scalars(
            select(DocumentRecipient.organ_name).where(DocumentRecipient.document_id == doc.id)
        )
        body = session.get(DocumentText, doc.id).body
        fields[doc.id] = [
            fold_tokens(v)
            for v in (
                doc.subject,
                doc.notation,
                f"{doc.organ_name} {doc.issuer}",
                doc.signer_name or "",
                body,
            )
        ] + [fold_tokens(" ; ".join(names))]

    def has(tokens: list[str], phrase: list[str]) -> bool:
        n = len(phrase)
        return any(tokens[i : i + n] == phrase for i in range(len(tokens) - n + 1))

    return {
        q: {
            i for i, fs in fields.items() if all(any(has(f, t) for f in fs) for t in parse_terms(q))
        }
        for q in QUERIES
    }


def test_same_results_on_every_backend(backends, make_database, app_factory, clock, records):
    """Each backend finds exactly what the Python oracle finds, so all backends agree."""
    results: dict[str, dict[str, list[str]]] = {}
    for backend in backends:
        app = app_factory(make_database(backend))
        with get_db(app).session() as session:
            load_records_into(session, records)
            session.commit()
        _issue_all(app, clock, records)
        with get_db(app).session() as session:
            oracle = _oracle(session)
            notation = {d.id: d.notation for d in session.scalars(select(Document))}
            found = {q: set(_ids(session, q=q)) for q in QUERIES}
        assert found == oracle, backend
        results[backend] = {q: sorted(notation[i] for i in ids) for q, ids in found.items()}
    assert results["sqlite"]["dien hinh"] == results["sqlite"]["ĐIỂN HÌNH"]
    assert results["sqlite"]["xyzzy khong co"] == []
    for one, other in itertools.pairwise(results.values()):
        assert one == other
