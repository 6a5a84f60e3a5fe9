"""Named recipient lists and lists composed in a draft: line checks, ownership, immutability once
issued, and a composed công văn block read back from the rendered DOCX."""

from __future__ import annotations

import io

import docx
import pytest
from flask import Flask
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from docgen.db import get_db
from docgen.errors import Conflict, FieldError, Forbidden, NotFound
from docgen.models import Draft, RecipientListRow
from docgen.policy import system_actor
from docgen.rules.recipient_lines import Lines, check_lines
from docgen.runtime import get_renderer
from docgen.services import drafts
from docgen.services import recipient_lists as lists
from docgen.services.draft_checks import issue_request
from docgen.services.issuance import IssueRequest, issue_document, render_draft
from docgen.web.drafting.recipients import recipients_from_form

ORGS = {"btdkt", "ubnd-tinh"}
GOOD = Lines(
    kinh_gui=("Các sở, ban, ngành tỉnh", "UBND các huyện, thị xã, thành phố"),
    noi_nhan=(("TT. HĐND tỉnh", "", "hdnd-tinh"), ("Ban TĐKT, Sở Nội vụ", "5", "btdkt")),
    archive="VHXH",
)


def test_each_bad_line_gets_its_own_message():
    lines = Lines(
        kinh_gui=("Bộ Nội vụ", "", "bộ nội vụ;", " - "),
        noi_nhan=(
            ("Sở Tài chính", "5b", ""),
            ("", "", ""),  # a blank row offered by the form: skipped
            ("- Sở Tài chính;", "", ""),
            ("Sở Xây dựng", "0", ""),
            ("Sở Y tế", "ba", "khong-co"),
            ("", "2", ""),
            ("Lưu: VT, VHXH", "", ""),
            ("Như trên", "", ""),
            ("Sở Công Thương (3b)", "4", ""),
        ),
        archive="VT, VHXH",
    )
    block, problems = check_lines(lines, organisations=ORGS)
    assert problems == {
        "kinh_gui-2": "Kính gửi: “bộ nội vụ” đã ghi ở dòng 1.",
        "kinh_gui-3": "Kính gửi: có một dòng để trống.",
        "noi_nhan-2-name": "Nơi nhận: “Sở Tài chính” đã ghi ở dòng 1.",
        "noi_nhan-3-copies": "Số bản phải là số nguyên từ 1 đến 999 (ví dụ 5 để in “(5b)”), "
        "không phải “0”.",
        "noi_nhan-4-copies": "Số bản phải là số nguyên từ 1 đến 999 (ví dụ 5 để in “(5b)”), "
        "không phải “ba”.",
        "noi_nhan-4-organisation": "Không có cơ quan, tổ chức mã “khong-co”.",
        "noi_nhan-5-name": "Chưa nhập tên nơi nhận.",
        "noi_nhan-6-name": "Nơi nhận “Lưu: VT, VHXH”: dòng “Lưu:” do hệ thống tự thêm, "
        "hãy khai ở phần lưu.",
        "noi_nhan-7-name": "“- Như trên;” do hệ thống tự thêm khi văn bản có “Kính gửi”; "
        "không cần ghi.",
        "noi_nhan-8-name": "Nơi nhận “Sở Công Thương (3b)”: số bản ghi trong tên khác số bản "
        "đã khai (4).",
        "archive": "“VT” (Văn thư) luôn đứng đầu dòng “Lưu:”, không cần ghi lại.",
    }
    assert block.noi_nhan[0] == {"name": "Sở Tài chính", "copies": 5}


def test_a_good_block_is_stored_as_printed():
    block, problems = check_lines(
        Lines(noi_nhan=(("- Sở Y tế (2b);", "", ""),), archive="VHXH, vttkieu",
              archive_copies="(3b)"),
        organisations=ORGS,
    )  # fmt: skip
    assert problems == {}
    assert block.noi_nhan == ({"name": "Sở Y tế", "copies": 2},)
    assert block.archive == ("VHXH", "vttkieu") and block.archive_copies == 3
    _, problems = check_lines(Lines(archive_copies="2"), organisations=ORGS)
    assert "archive_copies" in problems  # a count of kept copies needs the unit it follows


def test_registrar_manages_own_lists_others_see_404_or_403(app: Flask, people):
    with get_db(app).session() as session:
        row = lists.create_list(session, actor=people.registrar, now=_now(app),
                                name="Công văn gửi các sở", lines=GOOD)  # fmt: skip
        session.commit()
        code = row.code
        assert row.organisation == "ubnd-tinh" and row.draft_id is None
        assert row.noi_nhan[1] == {"name": "Ban TĐKT, Sở Nội vụ", "copies": 5,
                                   "organisation": "btdkt"}  # fmt: skip
        with pytest.raises(NotFound):
            lists.get_list(session, code, people.outsider)  # another organisation: 404
        with pytest.raises(Forbidden):
            lists.update_list(session, code, actor=people.drafter, now=_now(app),
                              name="x", lines=GOOD)  # fmt: skip
        session.rollback()
        with pytest.raises(FieldError) as caught:
            lists.update_list(session, code, actor=people.registrar, now=_now(app), name="",
                              lines=Lines(noi_nhan=(("A", "-1", ""),)))  # fmt: skip
        assert set(caught.value.fields) == {"name", "noi_nhan-0-copies"}
        session.rollback()
        lists.update_list(session, code, actor=people.registrar, now=_now(app),
                          name="Đổi tên", lines=GOOD)  # fmt: skip
        session.commit()
        assert code in {r.code for r in lists.named_lists(session, "ubnd-tinh")}
        assert code not in {r.code for r in lists.named_lists(session, "btdkt")}
        lists.delete_list(session, code, actor=people.registrar, now=_now(app))
        session.commit()
        assert session.get(RecipientListRow, code) is None


def test_shared_lists_are_read_only_and_can_be_copied(app: Flask, people):
    with get_db(app).session() as session:
        shared = lists.get_list(session, "ke-hoach-2017", people.outsider)
        assert shared.organisation is None
        with pytest.raises(Forbidden):
            lists.update_list(session, "ke-hoach-2017", actor=people.registrar,
                              now=_now(app), name="x", lines=GOOD)  # fmt: skip
        session.rollback()
        copy = lists.copy_list(session, "ke-hoach-2017", actor=people.registrar, now=_now(app))
        session.commit()

        def entries(row):
            return [(e["name"], e.get("copies"), e.get("organisation")) for e in row.noi_nhan]

        assert copy.organisation == "ubnd-tinh" and entries(copy) == entries(shared)
        assert copy.archive == ["vttkieu"] and copy.code != "ke-hoach-2017"


def test_an_issued_documents_list_cannot_change(app: Flask, people, loaded, clock):
    with get_db(app).session() as session:
        code = lists.create_list(session, actor=people.registrar, now=_now(app),
                                 name="Nơi nhận kế hoạch", lines=GOOD).code  # fmt: skip
        session.commit()
        request = IssueRequest(**{**loaded.document("ke-hoach-2017").request(), "recipients": code})
        issue_document(session, request, actor=system_actor("kiểm thử"), clock=clock,
                       renderer=get_renderer(app))  # fmt: skip
        session.commit()
        with pytest.raises(Conflict, match="văn bản đã ban hành"):
            lists.update_list(session, code, actor=people.registrar, now=_now(app),
                              name="Sửa", lines=Lines(noi_nhan=(("Sở Y tế", "", ""),)))  # fmt: skip
        session.rollback()
        with pytest.raises(Conflict, match="văn bản đã ban hành"):
            lists.delete_list(session, code, actor=people.registrar, now=_now(app))
        session.rollback()
        assert session.get(RecipientListRow, code).name == "Nơi nhận kế hoạch"


def _compose_form(**extra: str) -> MultiDict:
    return MultiDict({
        "recipients_mode": "compose",
        "recipients-kinh_gui-0": "Các sở, ban, ngành, đoàn thể cấp tỉnh",
        "recipients-kinh_gui-1": "UBND các huyện, thị xã, thành phố",
        "recipients-kinh_gui-2": "",
        "recipients-noi_nhan-0-name": "Ban TĐKT, Sở Nội vụ",
        "recipients-noi_nhan-0-copies": "5",
        "recipients-noi_nhan-1-name": "TT. HĐND tỉnh",
        "recipients-noi_nhan-2-name": "LĐVP, P.VHXH",
        "recipients-noi_nhan-3-name": "",
        "recipients-archive": "VHXH",
        **extra,
    })  # fmt: skip


def _cong_van(app: Flask, people, loaded) -> int:
    request = loaded.document("cong-van-de-nghi-2017").request()
    with get_db(app).session() as session:
        draft = drafts.create_draft(
            session, actor=people.drafter, template="cong-van", data=request["fields"],
            signer=request["signer"], unit="VHXH", renderer=get_renderer(app), now=_now(app),
        )  # fmt: skip
        session.commit()
        return draft.id


def _save_recipients(app: Flask, actor, draft_id: int, form: MultiDict) -> tuple[str | None, dict]:
    with app.test_request_context(), get_db(app).session() as session:
        draft = session.get(Draft, draft_id)
        code, errors = recipients_from_form(session, draft, form, actor=actor, now=_now(app))
        if not errors:
            draft = session.get(Draft, draft_id)
            drafts.update_draft(session, draft_id, actor=actor, version=draft.version,
                                now=_now(app), recipients=code)  # fmt: skip
            session.commit()
        return code, errors


def test_composed_cong_van_block_reads_back_from_the_docx(app: Flask, people, loaded, clock):
    draft_id = _cong_van(app, people, loaded)
    code, errors = _save_recipients(app, people.drafter, draft_id, _compose_form())
    assert errors == {} and code == f"draft-{draft_id}-1"
    with get_db(app).session() as session:
        row = session.get(RecipientListRow, code)
        assert (row.draft_id, row.organisation) == (draft_id, "ubnd-tinh")
        assert row.noi_nhan[0] == {
            "name": "Ban TĐKT, Sở Nội vụ",
            "copies": 5,
            "organisation": "btdkt",
        }  # linked by its recorded name
        assert code not in {r.code for r in lists.named_lists(session, "ubnd-tinh")}
        draft = session.get(Draft, draft_id)
        rendered = render_draft(session, issue_request(draft), actor=people.drafter,
                                clock=clock, renderer=get_renderer(app))  # fmt: skip
    lines = [p.text.strip() for p in docx.Document(io.BytesIO(rendered.docx)).paragraphs]
    for table in docx.Document(io.BytesIO(rendered.docx)).tables:
        for r in table.rows:
            for cell in r.cells:
                lines += [p.text.strip() for p in cell.paragraphs]
    assert "Kính gửi:" in lines
    assert "- Các sở, ban, ngành, đoàn thể cấp tỉnh;" in lines
    assert "- UBND các huyện, thị xã, thành phố." in lines
    assert "- Như trên;" in lines
    assert "- Ban TĐKT, Sở Nội vụ (5b);" in lines
    assert "- TT. HĐND tỉnh;" in lines
    assert "- Lưu: VT, VHXH." in lines
    assert lines.index("- Như trên;") < lines.index("- Ban TĐKT, Sở Nội vụ (5b);")


def test_a_composed_list_changes_by_a_new_row_and_errors_keep_the_old(app: Flask, people, loaded):
    draft_id = _cong_van(app, people, loaded)
    first, _ = _save_recipients(app, people.drafter, draft_id, _compose_form())
    same, _ = _save_recipients(app, people.drafter, draft_id, _compose_form())
    assert same == first  # nothing changed: no new row, no new version
    changed, _ = _save_recipients(
        app, people.drafter, draft_id, _compose_form(**{"recipients-noi_nhan-0-copies": "6"})
    )
    assert changed == f"draft-{draft_id}-2"
    third, _ = _save_recipients(app, people.drafter, draft_id, _compose_form())
    with get_db(app).session() as session:
        codes = set(session.scalars(select(RecipientListRow.code).where(
            RecipientListRow.draft_id == draft_id)))  # fmt: skip
        assert codes == {changed, third}  # the first row, named by nothing, is gone
        assert session.get(Draft, draft_id).recipients == third
    code, errors = _save_recipients(
        app, people.drafter, draft_id, _compose_form(**{"recipients-noi_nhan-1-copies": "0"})
    )
    assert code == third and set(errors) == {"recipients-noi_nhan-1-copies"}
    code, errors = _save_recipients(
        app, people.drafter, draft_id, MultiDict({"recipients_mode": "list",
                                                  "recipients": "ke-hoach-2017"})
    )  # fmt: skip
    assert (code, errors) == ("ke-hoach-2017", {})
    with app.test_request_context(), get_db(app).session() as session:
        outsider_list = lists.create_list(session, actor=people.outsider, now=_now(app),
                                          name="Của btdkt", lines=GOOD).code  # fmt: skip
        session.commit()
    code, errors = _save_recipients(app, people.drafter, draft_id,
                                    MultiDict({"recipients": outsider_list}))  # fmt: skip
    assert code == "ke-hoach-2017" and "recipients" in errors


def _now(app: Flask):
    return app.extensions["docgen.clock"].now()


def test_loading_records_never_rewrites_an_organisations_own_list(app: Flask, people, records):
    from dataclasses import replace

    from docgen.errors import RecordsError
    from docgen.services.lookup import load_records_into

    with get_db(app).session() as session:
        code = lists.create_list(session, actor=people.registrar, now=_now(app),
                                 name="Riêng", lines=GOOD).code  # fmt: skip
        session.commit()
        clash = replace(records.recipient_lists["ke-hoach-2017"], code=code)
        changed = replace(records, recipient_lists={**records.recipient_lists, code: clash})
        with pytest.raises(RecordsError, match=code):
            load_records_into(session, changed)
        session.rollback()
        assert session.get(RecipientListRow, code).name == "Riêng"
