"""The use log (Decree 30 Appendix VI §III.6): downloads and views are recorded with who and
when; a 304 is not a new use; the log is shown to the organisation's archivists and admins."""

from __future__ import annotations

from sqlalchemy import select

from docgen.db import get_db
from docgen.models.access import AccessKind, DocumentAccess
from docgen.services import accounts
from docgen.services.access_log import history, most_used, record_access
from tests.helpers import make_user


def _actor(app, user):
    with get_db(app).session() as session:
        return accounts.actor_for(accounts.get_user(session, user.id))


def _uses(app, document_id: int) -> list[tuple[str, str, str | None]]:
    with get_db(app).session() as session:
        return [
            (row.actor, row.kind, row.detail)
            for row in session.scalars(
                select(DocumentAccess)
                .where(DocumentAccess.document_id == document_id)
                .order_by(DocumentAccess.id)
            )
        ]


def test_an_api_download_is_recorded_once_and_a_304_is_not(app, api, issue, registrar):
    document = issue()
    first = api.get(f"/api/v1/documents/{document.id}/docx")
    assert first.status_code == 200
    again = api.get(
        f"/api/v1/documents/{document.id}/docx", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304
    assert _uses(app, document.id) == [("văn.thư", "download", "docx")]


def test_history_is_for_archivists_and_admins_of_the_organisation(app, issue, clock, registrar):
    document = issue()
    archivist = _actor(app, make_user(app, "luutru2", roles=("archivist",)))
    drafter = _actor(app, make_user(app, "soanthao2", roles=("drafter",)))
    with get_db(app).session() as session:
        record_access(session, document.id, actor=drafter, kind=AccessKind.VIEW, now=clock.now())
        record_access(
            session, document.id, actor=drafter, kind=AccessKind.DOWNLOAD, now=clock.now(),
            detail="pdf",
        )  # fmt: skip
        record_access(session, document.id, actor=archivist, kind=AccessKind.VIEW, now=clock.now())
    with get_db(app).session() as session:
        seen = history(session, document.id, actor=archivist)
        assert seen is not None and len(seen) == 3
        assert {(u.actor, u.kind) for u in seen} == {
            ("soanthao2", "view"), ("soanthao2", "download"), ("luutru2", "view"),
        }  # fmt: skip
        assert history(session, document.id, actor=drafter) is None
        top = most_used(session, actor=archivist)
        assert [(c.document_id, c.views, c.downloads, c.prints) for c in top] == [
            (document.id, 2, 1, 0)
        ]
        assert most_used(session, actor=drafter) == []


def test_a_failing_log_never_fails_the_download_and_head_is_not_a_use(app, api, issue, monkeypatch):
    document = issue()
    assert api.head(f"/api/v1/documents/{document.id}/docx").status_code == 200
    assert _uses(app, document.id) == []

    from sqlalchemy.exc import OperationalError

    import docgen.services.access_log as access_log

    def busy(_session):
        raise OperationalError("BEGIN IMMEDIATE", {}, Exception("database is locked"))

    monkeypatch.setattr(access_log, "begin_write", busy)
    served = api.get(f"/api/v1/documents/{document.id}/docx")
    assert served.status_code == 200 and served.data.startswith(b"PK")
    assert _uses(app, document.id) == []


def test_most_used_never_names_a_secret_document_its_reader_cannot_open(app, issue, clock):
    secret = issue(register="ubnd-tinh-mat")
    archivist = _actor(app, make_user(app, "luutru8", roles=("archivist",)))
    registrar = _actor(app, make_user(app, "vanthu8", roles=("registrar", "archivist")))
    with get_db(app).session() as session:
        record_access(session, secret.id, actor=registrar, kind=AccessKind.VIEW, now=clock.now())
    with get_db(app).session() as session:
        assert most_used(session, actor=archivist) == []
        assert [c.document_id for c in most_used(session, actor=registrar)] == [secret.id]
