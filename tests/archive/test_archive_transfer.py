"""The transfer export read back: every file in the manifest with a matching hash, the
metadata equal to the database's, the Mục lục rows in register order, the export audited."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import datetime

import docx
import openpyxl
import pytest
from sqlalchemy import select

from docgen.db import get_db
from docgen.errors import Forbidden, NotFound
from docgen.jobs.runner import run_job
from docgen.jobs.transfer import exports_dir, queue_export
from docgen.models import AuditEvent, Document, Job, JobState
from docgen.policy import system_actor
from docgen.services import accounts
from docgen.services.metadata import appendix_vi
from docgen.services.transfer import transfer_documents
from tests.helpers import make_user

pytestmark = pytest.mark.slow  # LibreOffice makes the PDF/A


def _read(path_or_bytes) -> tuple[zipfile.ZipFile, dict]:
    data = path_or_bytes if isinstance(path_or_bytes, bytes) else path_or_bytes.read_bytes()
    archive = zipfile.ZipFile(io.BytesIO(data))
    return archive, json.loads(archive.read("manifest.json"))


def test_the_export_reads_back_complete_and_in_register_order(app, runner, issue, clock, tmp_path):
    docs = [issue(), issue("cong-van-de-nghi-2017")]
    clock.set(datetime(2017, 3, 22, 9))
    docs.append(issue())
    out = tmp_path / "giao-nop.zip"
    result = runner.invoke(
        args=["export", "--issuer", "ubnd-tinh", "--year", "2017", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "Đã đóng gói 3 văn bản (3 bản PDF/A mới tạo)" in result.output

    archive, manifest = _read(out)
    assert manifest["documents"] == 3 and manifest["issuer"]["code"] == "ubnd-tinh"
    listed = {entry["name"]: entry for entry in manifest["files"]}
    assert set(archive.namelist()) == set(listed) | {"manifest.json"}
    for name, entry in listed.items():
        data = archive.read(name)
        assert hashlib.sha256(data).hexdigest() == entry["sha256"] and len(data) == entry["size"]
    pdfs = sorted(n for n in listed if n.endswith(".pdf"))
    assert len(pdfs) == 3 and all(archive.read(n).startswith(b"%PDF") for n in pdfs)

    with get_db(app).session() as session:
        ordered = list(
            session.scalars(
                select(Document)
                .where(Document.id.in_([d.id for d in docs]))
                .order_by(Document.register_id, Document.number)
            )
        )
        for index, document in enumerate(ordered, start=1):
            name = next(
                n for n in listed if n.startswith(f"van-ban/{index:04d}_") and n.endswith(".json")
            )
            meta = json.loads(archive.read(name))
            expected = json.loads(json.dumps(appendix_vi(document), ensure_ascii=False))
            assert {k: meta[k] for k in expected} == expected
            assert listed[name]["document"] == f"{document.code_number}/{document.symbol}"
        notations = [f"{d.code_number}/{d.symbol}" for d in ordered]
        audited = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "transfer_export")
        ).all()
        assert len(audited) == 1 and audited[0].details["documents"] == 3
        assert audited[0].details["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()

    table = docx.Document(io.BytesIO(archive.read("muc-luc-van-ban.docx"))).tables[0]
    printed = [row.cells[1].text for row in table.rows[2:]]
    assert printed == notations
    sheet = openpyxl.load_workbook(io.BytesIO(archive.read("muc-luc-van-ban.xlsx"))).active
    assert [row[1] for row in sheet.iter_rows(min_row=3, values_only=True)] == notations


def test_the_export_job_writes_its_file_and_reports_progress(app, issue, clock):
    issue()
    archivist = make_user(app, "luutru3", roles=("archivist",))
    with get_db(app).session() as session:
        actor = accounts.actor_for(accounts.get_user(session, archivist.id))
        job = queue_export(session, "ubnd-tinh", 2017, actor=actor, now=clock.now())
        session.commit()
        job_id = job.id
    run_job(app, job_id)
    with get_db(app).session() as session:
        job = session.get_one(Job, job_id)
        assert job.state == JobState.DONE, job.error
        assert job.done == job.total == 2
        path = exports_dir(app) / job.result["file"]
    _, manifest = _read(path)
    assert manifest["documents"] == 1 and manifest["made_by"] == "luutru3"


def test_only_the_issuers_archivists_export_and_an_empty_year_says_so(app, issue):
    issue()
    drafter = make_user(app, "soanthao3", roles=("drafter",))
    outsider = make_user(app, "luutru-snv3", organisation="snv", roles=("archivist",))
    archivist = make_user(app, "luutru4", roles=("archivist",))
    with get_db(app).session() as session:
        for user in (drafter, outsider):
            with pytest.raises(Forbidden):
                transfer_documents(
                    session, "ubnd-tinh", 2017,
                    actor=accounts.actor_for(accounts.get_user(session, user.id)),
                )  # fmt: skip
        with pytest.raises(NotFound) as empty:
            transfer_documents(
                session, "ubnd-tinh", 2016,
                actor=accounts.actor_for(accounts.get_user(session, archivist.id)),
            )  # fmt: skip
        assert "năm 2016" in empty.value.message


def test_a_tampered_document_is_not_handed_over_and_secret_ones_never_are(
    app, runner, issue, tamper, tmp_path
):
    document = issue()
    issue(register="ubnd-tinh-mat")  # secret: handed over by its own procedure, not in the ZIP
    out = tmp_path / "giao-nop.zip"
    args = ["export", "--issuer", "ubnd-tinh", "--year", "2017", "--out", str(out)]
    made = runner.invoke(args=args)
    assert made.exit_code == 0, made.output
    _, manifest = _read(out)
    assert manifest["documents"] == 1

    tamper("UPDATE document SET subject = 'Sửa lén' WHERE id = :i", params={"i": document.id})
    refused = runner.invoke(args=[*args[:-1], str(tmp_path / "lan-hai.zip")])
    assert refused.exit_code != 0
    assert "không còn toàn vẹn" in refused.output and not (tmp_path / "lan-hai.zip").exists()


def test_an_export_whose_requester_was_disabled_fails(app, issue, clock):
    issue()
    archivist = make_user(app, "luutru7", roles=("archivist",))
    with get_db(app).session() as session:
        actor = accounts.actor_for(accounts.get_user(session, archivist.id))
        job = queue_export(session, "ubnd-tinh", 2017, actor=actor, now=clock.now())
        session.commit()
        job_id = job.id
        user = accounts.get_user(session, archivist.id)
        accounts.set_active(session, user, False, actor=system_actor("kiểm thử"), now=clock.now())
        session.commit()
    run_job(app, job_id)
    with get_db(app).session() as session:
        job = session.get_one(Job, job_id)
        assert job.state == JobState.FAILED and "không còn hoạt động" in (job.error or "")
