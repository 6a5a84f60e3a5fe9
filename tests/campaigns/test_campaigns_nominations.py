"""Nominees of an organisation: scoped CRUD, submitting against the deadline, recalling,
attachments sniffed by content."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

import docx
import pytest

from docgen.errors import Conflict, FieldError, Forbidden, NotFound, RuleError
from docgen.models import AuditEvent, Blob, Nomination, NominationAttachment
from docgen.models.campaigns import NominationState, PackageState
from docgen.rules.campaigns import VIETNAM
from docgen.services import nomination_files as files
from docgen.services import nominations as noms
from docgen.services.campaigns import get_campaign
from docgen.uploads import PackageRejected
from tests.campaigns.conftest import collective, individual

NOW = datetime(2017, 3, 20, 9, 0, tzinfo=VIETNAM)
DEADLINE = datetime(2017, 4, 20, 0, 0, tzinfo=VIETNAM)  # "trước ngày 20/4/2017"


def test_a_clerk_adds_edits_and_deletes_own_nominees(session, campaign, nominators):
    person = noms.add_nomination(session, campaign.id, individual(), actor=nominators.snv, now=NOW)
    group = noms.add_nomination(
        session, campaign.id, collective(), actor=nominators.snv_registrar, now=NOW
    )
    session.commit()
    assert (person.organisation_id, person.kind, person.birth_year, person.gender) == (
        "snv",
        "individual",
        1975,
        "nam",
    )
    assert group.birth_year is None and group.gender is None and group.kind == "collective"
    assert person.package_id == group.package_id
    changed = noms.update_nomination(
        session, person.id, individual(birth_year="12/05/1976"), actor=nominators.snv, now=NOW
    )
    assert changed.birth_year == 1976
    noms.delete_nomination(session, group.id, actor=nominators.snv, now=NOW)
    session.commit()
    assert [n.name for n in noms.list_nominations(session, campaign.id, "snv", nominators.snv)] == [
        "Nguyễn Văn An"
    ]
    actions = [
        a
        for (a,) in session.query(AuditEvent.action).filter(AuditEvent.action.like("nomination_%"))
    ]
    assert actions == ["nomination_add", "nomination_add", "nomination_edit", "nomination_delete"]


def test_bad_values_are_refused_with_a_message_per_field(session, campaign, nominators):
    bad = individual(birth_year="năm bảy lăm", gender="khác", achievements="Rất tốt", name="")
    with pytest.raises(FieldError) as refused:
        noms.add_nomination(session, campaign.id, bad, actor=nominators.snv, now=NOW)
    assert set(refused.value.fields) == {"birth_year", "gender", "achievements", "name"}
    assert "số liệu" in refused.value.fields["achievements"]
    assert session.query(Nomination).count() == 0


def test_nominees_are_scoped_to_their_organisation(session, campaign, nominators):
    row = noms.add_nomination(session, campaign.id, individual(), actor=nominators.snv, now=NOW)
    session.commit()
    for outsider in (nominators.district, nominators.not_addressed):  # another organisation: 404
        with pytest.raises(NotFound):
            noms.get_nomination(session, row.id, outsider)
        with pytest.raises(NotFound):
            noms.update_nomination(session, row.id, individual(), actor=outsider, now=NOW)
        with pytest.raises(NotFound):
            noms.delete_nomination(session, row.id, actor=outsider, now=NOW)
        with pytest.raises(NotFound):
            noms.list_nominations(session, campaign.id, "snv", outsider)
    # the board reads them once they are sent (a list being drafted is the organisation's)
    with pytest.raises(NotFound):
        noms.get_nomination(session, row.id, nominators.board)
    noms.submit_package(session, campaign.id, actor=nominators.snv, now=NOW)
    session.commit()
    assert noms.get_nomination(session, row.id, nominators.board).id == row.id
    with pytest.raises(Forbidden):  # 403 to edit, not 404
        noms.update_nomination(session, row.id, individual(), actor=nominators.board, now=NOW)
    with pytest.raises(Forbidden):
        noms.delete_nomination(session, row.id, actor=nominators.board, now=NOW)
    noms.recall_package(session, campaign.id, actor=nominators.snv, now=NOW)
    session.commit()
    with pytest.raises(Forbidden):  # the same organisation, but neither drafter nor registrar
        noms.update_nomination(
            session, row.id, individual(), actor=nominators.snv_archivist, now=NOW
        )
    with pytest.raises(Forbidden) as not_addressed:  # a drafter of an organisation not addressed
        noms.add_nomination(
            session, campaign.id, individual(), actor=nominators.not_addressed, now=NOW
        )
    assert not_addressed.value.code == "not_a_participant"
    with pytest.raises(NotFound):  # a clerk cannot name another organisation
        noms.add_nomination(
            session,
            campaign.id,
            individual(),
            actor=nominators.snv,
            now=NOW,
            organisation="ubnd-rach-gia",
        )


@pytest.mark.parametrize(
    ("moment", "late"),
    [(DEADLINE - timedelta(minutes=1), False), (DEADLINE + timedelta(minutes=1), True)],
    ids=["one-minute-before", "one-minute-after"],
)
def test_submitting_around_the_deadline(session, clock, campaign, nominators, moment, late):
    noms.add_nomination(session, campaign.id, individual(), actor=nominators.snv, now=NOW)
    clock.set(moment)
    package = noms.submit_package(session, campaign.id, actor=nominators.snv, now=clock.now())
    session.commit()
    assert package.state == PackageState.SUBMITTED and package.late is late
    assert package.submitted_at == moment and package.submitted_by == "cv.snv"
    assert {n.state for n in session.query(Nomination)} == {NominationState.SUBMITTED}


def test_a_campaign_that_refuses_late_packages_refuses_them(session, clock, campaign, nominators):
    get_campaign(session, campaign.id).refuse_late = True
    noms.add_nomination(session, campaign.id, individual(), actor=nominators.snv, now=NOW)
    session.commit()
    clock.set(DEADLINE + timedelta(minutes=1))
    with pytest.raises(RuleError) as refused:
        noms.submit_package(session, campaign.id, actor=nominators.snv, now=clock.now())
    assert (
        refused.value.code == "deadline_passed" and "00:00 ngày 20/04/2017" in refused.value.message
    )
    session.rollback()
    clock.set(DEADLINE - timedelta(minutes=1))
    package = noms.submit_package(session, campaign.id, actor=nominators.snv, now=clock.now())
    assert package.late is False


def test_through_reading_moves_the_deadline_to_the_end_of_the_day(session, campaign, nominators):
    get_campaign(session, campaign.id).deadline_reading = "through"
    noms.add_nomination(session, campaign.id, individual(), actor=nominators.snv, now=NOW)
    at = datetime(2017, 4, 20, 23, 59, tzinfo=VIETNAM)
    assert noms.submit_package(session, campaign.id, actor=nominators.snv, now=at).late is False


def test_recall_before_the_board_accepts(session, campaign, nominators):
    row = noms.add_nomination(session, campaign.id, individual(), actor=nominators.snv, now=NOW)
    with pytest.raises(RuleError):  # an empty package cannot be sent
        noms.submit_package(session, campaign.id, actor=nominators.district, now=NOW)
    package = noms.submit_package(session, campaign.id, actor=nominators.snv, now=NOW)
    with pytest.raises(Conflict) as locked:  # a submitted package is not edited in place
        noms.update_nomination(session, row.id, individual(), actor=nominators.snv, now=NOW)
    assert locked.value.code == "package_locked"
    with pytest.raises(Forbidden):  # the board does not recall an organisation's package
        noms.recall_package(session, campaign.id, actor=nominators.board, now=NOW)
    noms.recall_package(session, campaign.id, actor=nominators.snv_registrar, now=NOW)
    assert package.state == PackageState.RECALLED
    assert session.get(Nomination, row.id).state == NominationState.DRAFT
    noms.update_nomination(
        session, row.id, individual(name="Nguyễn Văn Bình"), actor=nominators.snv, now=NOW
    )
    noms.submit_package(session, campaign.id, actor=nominators.snv, now=NOW)
    package.state = PackageState.ACCEPTED  # the board accepted it (a later session's service)
    session.flush()
    with pytest.raises(Conflict) as accepted:
        noms.recall_package(session, campaign.id, actor=nominators.snv, now=NOW)
    assert "Đã tiếp nhận" in accepted.value.message


def _docx_bytes() -> bytes:
    out = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("Báo cáo thành tích năm 2016")
    document.save(out)
    return out.getvalue()


def test_attachments_are_docx_or_pdf_by_content(session, campaign, nominators):
    row = noms.add_nomination(session, campaign.id, individual(), actor=nominators.snv, now=NOW)
    word = files.add_attachment(
        session, row.id, "bao-cao.docx", _docx_bytes(), actor=nominators.snv, now=NOW
    )
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"
    named_wrong = files.add_attachment(
        session, row.id, "C:\\tai lieu\\bao-cao.docx", pdf, actor=nominators.snv, now=NOW
    )
    session.commit()
    assert word.media_type.endswith("wordprocessingml.document") and word.size > 1000
    assert (named_wrong.media_type, named_wrong.filename) == ("application/pdf", "bao-cao.docx")
    assert session.get(Blob, named_wrong.sha256).content == pdf
    again, content = files.attachment_bytes(session, word.id, nominators.snv)
    assert content.startswith(b"PK") and again.id == word.id
    with pytest.raises(NotFound):  # the board reads it once the list is sent
        files.attachment_bytes(session, word.id, nominators.board)
    with pytest.raises(NotFound):
        files.attachment_bytes(session, word.id, nominators.district)
    for name, data in (
        ("bao-cao.pdf", b"MZ\x90\x00 not a pdf"),
        ("anh.docx", b"\x89PNG\r\n"),
        ("x.docx", b"PK\x03\x04broken zip"),
        ("rong.pdf", b""),
    ):
        with pytest.raises(files.AttachmentRejected):
            files.add_attachment(session, row.id, name, data, actor=nominators.snv, now=NOW)
    too_big = b"%PDF-1.4\n" + b"0" * files.MAX_ATTACHMENT_BYTES
    with pytest.raises(PackageRejected) as big:
        files.add_attachment(session, row.id, "lon.pdf", too_big, actor=nominators.snv, now=NOW)
    assert "vượt giới hạn 10 MB" in big.value.message
    with pytest.raises(NotFound):  # an unsent list does not exist for the board
        files.add_attachment(session, row.id, "b.pdf", pdf, actor=nominators.board, now=NOW)
    files.delete_attachment(session, word.id, actor=nominators.snv, now=NOW)
    noms.delete_nomination(session, row.id, actor=nominators.snv, now=NOW)
    session.commit()
    assert session.query(NominationAttachment).count() == 0
    assert session.query(Blob).filter(Blob.sha256 == word.sha256).count() == 1  # bytes stay


def test_verify_accounts_for_attachments_kept_or_removed_and_rehashes_them(
    app, session, campaign, nominators
):
    """An attachment's bytes are a blob like the archive's: verify does not call them orphans
    while attached, nor after the nominee is deleted (the audit trail keeps their hash), and
    still catches a changed byte in them."""
    from docgen.services.verify import FindingKind, verify_archive
    from tests.archive.conftest import run_tampered

    row = noms.add_nomination(session, campaign.id, individual(), actor=nominators.snv, now=NOW)
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"
    attached = files.add_attachment(session, row.id, "bao-cao.pdf", pdf, actor=nominators.snv,
                                    now=NOW)  # fmt: skip
    session.commit()
    assert verify_archive(session).ok
    noms.delete_nomination(session, row.id, actor=nominators.snv, now=NOW)
    session.commit()
    report = verify_archive(session)
    assert report.ok, report.findings
    run_tampered(app, "UPDATE blob SET content = :c WHERE sha256 = :s",
                 params={"c": pdf.replace(b"1.4", b"1.5"), "s": attached.sha256})  # fmt: skip
    session.rollback()
    kinds = {f.kind for f in verify_archive(session).findings}
    assert FindingKind.BLOB_CHANGED in kinds and FindingKind.ORPHAN_BLOB not in kinds
