"""The nightly verify: once a night after its hour, its report kept and listed; a failure stays
an alert for archivists until one of them acknowledges it with a note."""

from __future__ import annotations

from datetime import datetime

import pytest

from docgen.db import get_db
from docgen.errors import FieldError, Forbidden
from docgen.jobs.scheduled import run_scheduled_verify
from docgen.models import Job, JobState
from docgen.policy import system_actor
from docgen.runtime import get_renderer
from docgen.services import accounts, verifications
from docgen.services.clock import VIETNAM
from docgen.services.issuance import IssueRequest, issue_document
from tests.archive.conftest import run_tampered
from tests.helpers import issue_record, make_user


def _issue(app, loaded, clock, code: str = "ke-hoach-2017") -> int:
    return issue_record(app, loaded, clock, code).id


def _actor(app, user):
    with get_db(app).session() as session:
        return accounts.actor_for(accounts.get_user(session, user.id))


def test_nightly_verify_runs_once_a_night_and_a_failure_alerts_until_acknowledged(
    app, loaded, clock
):
    document_id = _issue(app, loaded, clock)
    archivist = _actor(app, make_user(app, "luutru1", roles=("archivist",)))
    drafter = _actor(app, make_user(app, "soanthao1", roles=("drafter",)))
    clock.set(datetime(2017, 3, 21, 2, 59, tzinfo=VIETNAM))
    assert run_scheduled_verify(app) is None  # not yet 03:00
    clock.set(datetime(2017, 3, 21, 3, 0, tzinfo=VIETNAM))
    clean_id = run_scheduled_verify(app)
    assert clean_id is not None and run_scheduled_verify(app) is None  # one a night
    with get_db(app).session() as session:
        clean = session.get_one(Job, clean_id)
        assert clean.state == JobState.DONE and clean.result["clean"] is True
        assert verifications.open_alert(session, actor=archivist) is None

    run_tampered(
        app, "UPDATE document SET subject = 'Sửa lén' WHERE id = :i", params={"i": document_id}
    )
    clock.set(datetime(2017, 3, 22, 3, 5, tzinfo=VIETNAM))
    failed_id = run_scheduled_verify(app)
    with get_db(app).session() as session:
        alert = verifications.open_alert(session, actor=archivist)
        assert alert is not None and alert.id == failed_id
        assert alert.result["findings_total"] >= 1
        assert verifications.open_alert(session, actor=drafter) is None  # not his to see
        assert [job.id for job in verifications.reports(session, actor=archivist)] == [
            failed_id,
            clean_id,
        ]
        with pytest.raises(Forbidden):
            verifications.reports(session, actor=drafter)
        with pytest.raises(FieldError):
            verifications.acknowledge(
                session, failed_id, actor=archivist, note="  ", now=clock.now()
            )
        with pytest.raises(FieldError):
            verifications.acknowledge(session, clean_id, actor=archivist, note="x", now=clock.now())
        verifications.acknowledge(
            session, failed_id, actor=archivist, note="Đã báo quản trị khôi phục", now=clock.now()
        )
        session.commit()
    with get_db(app).session() as session:
        assert verifications.open_alert(session, actor=archivist) is None
        job = session.get_one(Job, failed_id)
        assert job.result["acknowledged"]["ubnd-tinh"]["by"] == "luutru1"
        assert job.result["acknowledged"]["ubnd-tinh"]["note"] == "Đã báo quản trị khôi phục"
        assert job.result["clean"] is False  # the report itself is kept as it was


def test_the_nightly_verify_can_be_turned_off(app, loaded, clock):
    app.config["DOCGEN_VERIFY_AT"] = None
    clock.set(datetime(2017, 3, 21, 23, 0, tzinfo=VIETNAM))
    assert run_scheduled_verify(app) is None


def test_a_report_shows_each_reader_only_the_registers_they_may_see(app, loaded, clock):
    document_id = _issue(app, loaded, clock)
    run_tampered(
        app, "UPDATE document SET subject = 'Nội dung bí mật' WHERE id = :i",
        params={"i": document_id},
    )  # fmt: skip
    own = _actor(app, make_user(app, "luutru5", roles=("archivist",)))
    outsider = _actor(app, make_user(app, "luutru-snv5", organisation="snv", roles=("archivist",)))
    clock.set(datetime(2017, 3, 21, 3, 30, tzinfo=VIETNAM))
    job_id = run_scheduled_verify(app)
    with get_db(app).session() as session:
        job = session.get_one(Job, job_id)
        mine = verifications.visible_findings(job, own)
        assert mine and all("ubnd-tinh" in line for line in mine)
        assert all("Nội dung bí mật" not in line for line in mine)  # no sealed or new value
        assert any("trường “subject” khác bản niêm phong" in line for line in mine)
        assert verifications.visible_findings(job, outsider) == []
        assert verifications.open_alert(session, actor=outsider) is None
        with pytest.raises(FieldError):
            verifications.acknowledge(session, job_id, actor=outsider, note="x", now=clock.now())
        session.rollback()
        assert verifications.open_alert(session, actor=own).id == job_id


def test_a_secret_registers_findings_are_for_who_may_see_its_documents(app, loaded, clock):
    with get_db(app).session() as session:
        request = IssueRequest(**{**loaded.document("ke-hoach-2017").request(),
                                  "register": "ubnd-tinh-mat"})  # fmt: skip
        document = issue_document(session, request, actor=system_actor("văn thư"), clock=clock,
                                  renderer=get_renderer(app))  # fmt: skip
        session.commit()
        document_id = document.id
    run_tampered(
        app, "UPDATE document SET subject = 'Sửa' WHERE id = :i", params={"i": document_id}
    )
    archivist = _actor(app, make_user(app, "luutru6", roles=("archivist",)))
    registrar = _actor(app, make_user(app, "vanthu6", roles=("registrar", "archivist")))
    clock.set(datetime(2017, 3, 21, 3, 30, tzinfo=VIETNAM))
    job_id = run_scheduled_verify(app)
    with get_db(app).session() as session:
        job = session.get_one(Job, job_id)
        assert verifications.visible_findings(job, archivist) == []
        assert verifications.open_alert(session, actor=archivist) is None
        assert any(
            "ubnd-tinh-mat" in line for line in verifications.visible_findings(job, registrar)
        )
