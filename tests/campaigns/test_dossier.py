"""The central submission dossier read back: parts, pages, bookmarks, the "Kèm theo" line,
the manifest against the ZIP and the blobs, verify (and a flipped byte), immutability."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select, text

from docgen.db import get_db
from docgen.errors import RuleError
from docgen.jobs.dossier import build_and_store
from docgen.models import Blob, Dossier, DossierFile, ImmutableRecordError
from docgen.rendering.dossier_pdf import outline_of
from docgen.rendering.previews import page_count
from docgen.runtime import get_converter, get_renderer
from docgen.services.dossier import BuiltDossier
from docgen.services.dossier_drafts import create_submission
from docgen.services.verify import verify_archive
from tests.archive.conftest import run_tampered
from tests.campaigns.dossier_setup import issue_submission, people, select_nominees

NOMINEES = 5


def pdf_text(pdf: bytes) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf,
                         capture_output=True, check=True)  # fmt: skip
    return " ".join(out.stdout.decode().split())


@dataclass
class Made:
    dossier_id: int
    built: BuiltDossier
    notation: str


@pytest.fixture
def made(app: Flask, loaded, clock) -> Made:
    campaign_id = select_nominees(app, clock, NOMINEES)
    document = issue_submission(app, clock, campaign_id)
    with get_db(app).session() as session:
        dossier, built = build_and_store(
            session, campaign_id, actor=people(app)["thiduakt"], renderer=get_renderer(app),
            converter=get_converter(app), now=clock.now,
        )  # fmt: skip
        return Made(dossier.id, built, document.notation)


def test_the_merged_pdf_is_the_parts_in_order_with_a_bookmark_per_part_and_nominee(made):
    pdfs = [p for p in made.built.files if p.media_type == "application/pdf"]
    merged, parts = pdfs[-1], pdfs[:-1]
    assert len(parts) == 2 + NOMINEES
    assert page_count(made.built.merged) == sum(page_count(p.data) for p in parts)
    assert merged.pages == made.built.merged_pages == page_count(made.built.merged)
    outline = outline_of(made.built.merged)
    assert [title for title, _page, _children in outline] == [
        f"Tờ trình số {made.notation}", "Danh sách (phụ lục)", "Trích ngang thành tích",
    ]  # fmt: skip
    names = [p.what.split(": ", 1)[1].removesuffix(" (PDF)") for p in parts[2:]]
    children = outline[2][2]
    assert [title for title, _page in children] == names
    starts, page = [], 0
    for part in parts:
        starts.append(page)
        page += page_count(part.data)
    assert [outline[0][1], outline[1][1]] == starts[:2]
    assert [p for _t, p in children] == starts[2:]  # each nominee's bookmark at its first page


def test_the_appendix_and_each_extract_cite_the_issued_submission(made):
    assert made.notation == "01/TTr-BTĐKT"
    cite = f"Kèm theo Tờ trình số {made.notation} ngày 24 tháng 4 năm 2017 của Ban Thi đua"
    appendix = next(p for p in made.built.files if p.name == "02-phu-luc-danh-sach.pdf")
    assert cite in pdf_text(appendix.data)
    extracts = [p for p in made.built.files if p.role == "extract" and p.name.endswith(".pdf")]
    assert len(extracts) == NOMINEES
    for part in extracts:
        said = pdf_text(part.data)
        assert cite in said
        assert part.what.split(": ", 1)[1].removesuffix(" (PDF)") in said  # its own nominee


def test_the_manifest_matches_the_zip_and_the_archived_blobs(app, made):
    with zipfile.ZipFile(io.BytesIO(made.built.zip)) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        listed = {e["name"]: e for e in manifest["files"]}
        assert set(archive.namelist()) == {*listed, "manifest.json"}
        for name, entry in listed.items():
            data = archive.read(name)
            assert hashlib.sha256(data).hexdigest() == entry["sha256"]
            assert len(data) == entry["size"]
    assert manifest["submission"]["notation"] == made.notation
    assert sum(1 for e in listed.values() if e["nomination_id"]) == 2 * NOMINEES
    with get_db(app).session() as session:
        dossier = session.get(Dossier, made.dossier_id)
        rows = session.scalars(select(DossierFile).where(DossierFile.dossier_id == dossier.id))
        for row in rows:
            blob = session.get(Blob, row.sha256)
            assert hashlib.sha256(blob.content).hexdigest() == listed[row.name]["sha256"]
        stored_zip = session.get(Blob, dossier.zip_sha256).content
        assert stored_zip == made.built.zip
        assert session.get(Blob, dossier.manifest_sha256).content == made.built.manifest


def test_verify_covers_the_dossier_and_names_it_when_a_byte_flips(app, made):
    with get_db(app).session() as session:
        assert verify_archive(session).ok
        row = session.scalars(
            select(DossierFile).where(
                DossierFile.dossier_id == made.dossier_id, DossierFile.role == "extract"
            )
        ).first()
        content = bytearray(session.get(Blob, row.sha256).content)
        sha, name = row.sha256, row.name
    content[len(content) // 2] ^= 0x01
    run_tampered(app, "UPDATE blob SET content = :c WHERE sha256 = :s",
                 params={"c": bytes(content), "s": sha})  # fmt: skip
    with get_db(app).session() as session:
        report = verify_archive(session)
    messages = [f.message for f in report.findings]
    assert any(f"hồ sơ trình Trung ương #{made.dossier_id}" in m and name in m for m in messages)


def test_verify_reports_a_changed_manifest_and_a_changed_dossier_row(app, made):
    with get_db(app).session() as session:
        dossier = session.get(Dossier, made.dossier_id)
        manifest_sha = dossier.manifest_sha256
    changed = made.built.manifest.replace(b'"size": ', b'"size": 1', 1)
    run_tampered(
        app, "UPDATE blob SET content = :c WHERE sha256 = :s",
        "UPDATE dossier SET merged_pages = merged_pages + 1 WHERE id = :d",
        params={"c": changed, "s": manifest_sha, "d": made.dossier_id},
    )  # fmt: skip
    with get_db(app).session() as session:
        findings = verify_archive(session).findings
    about = [f for f in findings if f"hồ sơ trình Trung ương #{made.dossier_id}" in f.record]
    kinds = {f.kind.value for f in about}
    assert {"blob_changed", "seal_broken", "field_changed"} <= kinds
    assert all(f.organisation == "btdkt" for f in about)


def test_a_row_rewritten_with_its_seal_recomputed_still_fails_against_the_audit_trail(
    app, made
):
    """An attacker who changes a dossier's facts AND recomputes its seal passes the seal check;
    the seal the audit trail recorded when the dossier was built catches it."""
    from docgen.rules.dossier import dossier_seal
    from docgen.services.dossier_archive import seal_facts

    with get_db(app).session() as session:
        clean = verify_archive(session)
        assert clean.ok, clean.findings
        dossier = session.get(Dossier, made.dossier_id)
        facts = {**seal_facts(dossier), "created_by": "ke.gia.mao"}
        session.expunge(dossier)
    run_tampered(app, "UPDATE dossier SET created_by = 'ke.gia.mao', seal = :seal WHERE id = :d",
                 params={"seal": dossier_seal(facts), "d": made.dossier_id})  # fmt: skip
    with get_db(app).session() as session:
        found = [f for f in verify_archive(session).findings
                 if f"hồ sơ trình Trung ương #{made.dossier_id}" in f.record]  # fmt: skip
    assert [(f.kind.value, f.detail) for f in found] == [
        ("seal_broken", "niêm phong khác niêm phong ghi trong nhật ký khi lập hồ sơ")
    ]


def test_dossier_rows_cannot_be_changed_by_the_orm_or_by_sql(app, made):
    with get_db(app).session() as session:
        dossier = session.get(Dossier, made.dossier_id)
        dossier.merged_pages += 1
        with pytest.raises(ImmutableRecordError):
            session.flush()
        session.rollback()
    engine = get_db(app).engine
    for statement in (
        "UPDATE dossier SET seal = 'x'",
        "DELETE FROM dossier_file",
        "UPDATE dossier_file SET size = 0",
    ):
        with pytest.raises(Exception, match=r"immutable|docgen"), engine.begin() as conn:
            conn.execute(text(statement))


@pytest.mark.parametrize(("count", "accepted"), [(4, False), (5, True), (10, True), (11, False)])
def test_the_selection_must_be_within_the_campaigns_range(app, loaded, clock, count, accepted):
    campaign_id = select_nominees(app, clock, count)
    with get_db(app).session() as session:
        call = lambda: create_submission(  # noqa: E731
            session, campaign_id, actor=people(app)["thiduakt"], renderer=get_renderer(app),
            now=clock.now(),
        )  # fmt: skip
        if accepted:
            draft = call()
            assert draft.template == "to-trinh"
            body = " ".join(b["text"] for b in draft.data["body"])
            assert f"xét chọn {count:02d} điển hình" in body
        else:
            with pytest.raises(RuleError, match=f"Đã chọn {count:02d} tập thể, cá nhân"):
                call()


def test_building_without_an_issued_submission_says_what_to_do(app, loaded, clock):
    campaign_id = select_nominees(app, clock, NOMINEES)
    with get_db(app).session() as session, pytest.raises(RuleError, match="soạn tờ trình"):
        build_and_store(session, campaign_id, actor=people(app)["thiduakt"],
                        renderer=get_renderer(app), converter=get_converter(app),
                        now=clock.now)  # fmt: skip


def test_the_cli_builds_the_dossier_and_prints_paths_that_read_back(app, loaded, clock, runner,
                                                                    tmp_path):  # fmt: skip
    campaign_id = select_nominees(app, clock, NOMINEES)
    refused = runner.invoke(args=["dossier", "build", "--campaign", "2017", "--out", str(tmp_path)])
    assert refused.exit_code == 1 and "Chưa có tờ trình nào" in refused.output
    document = issue_submission(app, clock, campaign_id)
    result = runner.invoke(args=["dossier", "build", "--campaign", "2017", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    lines = dict(line.split(": ", 1) for line in result.stdout.splitlines() if ": /" in line)
    merged, archive = lines["PDF gộp"], lines["ZIP"]
    pdf = Path(merged).read_bytes()
    assert pdf_text(pdf).startswith("SỞ NỘI VỤ") and document.notation in pdf_text(pdf)
    with zipfile.ZipFile(archive) as z:
        manifest = json.loads(z.read("manifest.json"))
        merged_entry = next(e for e in manifest["files"] if e["role"] == "merged")
        assert hashlib.sha256(z.read(merged_entry["name"])).hexdigest() == merged_entry["sha256"]
        assert z.read(merged_entry["name"]) == pdf


def test_a_selection_changed_after_drafting_stops_the_issuance(app, loaded, clock):
    from docgen.services import drafts, reviews
    from tests.campaigns.dossier_setup import draft_submission

    campaign_id = select_nominees(app, clock, 6)
    draft_id = draft_submission(app, clock, campaign_id)
    who = people(app)
    with get_db(app).session() as session:
        from docgen.models import Nomination

        first = session.scalars(select(Nomination.id).order_by(Nomination.id)).first()
        reviews.unselect_nomination(session, first, actor=who["thiduakt"], now=clock.now())
        draft = drafts.get_draft(session, draft_id, who["thiduakt"])
        drafts.submit(session, draft_id, actor=who["thiduakt"], version=draft.version,
                      renderer=get_renderer(app), now=clock.now())  # fmt: skip
        draft = drafts.get_draft(session, draft_id, who["truongban"])
        drafts.approve(session, draft_id, actor=who["truongban"], version=draft.version,
                       now=clock.now())  # fmt: skip
        session.commit()
        with pytest.raises(RuleError, match="Danh sách xét chọn đã thay đổi"):
            drafts.issue_approved(session, draft_id, actor=who["vanthu-btdkt"], clock=clock,
                                  renderer=get_renderer(app))  # fmt: skip


def test_the_batched_conversion_cuts_each_extract_where_its_own_conversion_would(app, made,
                                                                                clock):  # fmt: skip
    """The default converts the trích ngang in one batch and splits the PDF; converting each
    file alone gives the same pages (one nominee's runs over more than one page)."""
    from docgen.services.dossier import build_dossier

    with get_db(app).session() as session:
        campaign_id = session.get(Dossier, made.dossier_id).campaign_id
        alone = build_dossier(  # built again, not archived: a tờ trình has one dossier
            session, campaign_id, actor=people(app)["thiduakt"], renderer=get_renderer(app),
            converter=get_converter(app), batch=False,
        )  # fmt: skip
    assert made.built.batched and not alone.batched
    batched = [p for p in made.built.files if p.role == "extract" and p.name.endswith(".pdf")]
    single = [p for p in alone.files if p.role == "extract" and p.name.endswith(".pdf")]
    assert [p.pages for p in batched] == [p.pages for p in single]
    assert max(p.pages for p in batched) >= 2
    for one, other in zip(batched, single, strict=True):
        assert pdf_text(one.data) == pdf_text(other.data)


def test_a_tờ_trình_has_one_dossier_the_job_is_one_and_the_cli_writes_the_archived_bytes(
    app, made, runner, tmp_path
):
    from docgen.errors import Conflict
    from docgen.jobs.dossier import queue_dossier
    from docgen.services.archive import blob_bytes
    from tests.conftest import TEST_NOW

    board = people(app)["thiduakt"]
    with get_db(app).session() as session:
        campaign_id = session.get(Dossier, made.dossier_id).campaign_id
        with pytest.raises(Conflict, match=f"đã được lập \\(hồ sơ số {made.dossier_id}\\)"):
            queue_dossier(session, campaign_id, actor=board, now=TEST_NOW)
        session.rollback()
        with pytest.raises(Conflict, match="đã được lập"):
            build_and_store(session, campaign_id, actor=board, renderer=get_renderer(app),
                            converter=get_converter(app), now=lambda: TEST_NOW)  # fmt: skip
        session.rollback()
        assert session.query(Dossier).count() == 1
        archived = session.get(Dossier, made.dossier_id)
        pdf = blob_bytes(session, archived.merged_sha256)
        archive = blob_bytes(session, archived.zip_sha256)

    result = runner.invoke(args=["dossier", "build", "--campaign", "2017", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "đã lập trước đó" in result.output
    lines = dict(line.split(": ", 1) for line in result.stdout.splitlines() if ": /" in line)
    assert Path(lines["PDF gộp"]).read_bytes() == pdf  # byte for byte, not a rebuild
    assert Path(lines["ZIP"]).read_bytes() == archive


def test_a_withdrawn_tờ_trình_gets_no_dossier_and_a_queued_job_refuses_a_changed_one(
    app, loaded, clock
):
    from docgen.jobs.dossier import queue_dossier
    from docgen.services.status import withdraw_document

    campaign_id = select_nominees(app, clock, NOMINEES)
    document = issue_submission(app, clock, campaign_id)
    who = people(app)
    with get_db(app).session() as session:
        job = queue_dossier(session, campaign_id, actor=who["thiduakt"], now=clock.now())
        session.commit()
        again = queue_dossier(session, campaign_id, actor=who["thiduakt"], now=clock.now())
        assert again.id == job.id  # one job per tờ trình
        session.commit()
        withdraw_document(session, document.id, reason="Ghi sai số lượng",
                          actor=who["vanthu-btdkt"], clock=clock)  # fmt: skip
        session.commit()
        with pytest.raises(RuleError, match="Chưa có tờ trình"):
            queue_dossier(session, campaign_id, actor=who["thiduakt"], now=clock.now())
        session.rollback()
        with pytest.raises(RuleError):  # the job asked for it: it is no longer in force
            build_and_store(session, campaign_id, actor=who["thiduakt"],
                            renderer=get_renderer(app), converter=get_converter(app),
                            now=clock.now, submission_id=document.id)  # fmt: skip
