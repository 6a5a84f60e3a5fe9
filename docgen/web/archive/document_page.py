"""What the document page shows beyond the record itself: the Appendix VI metadata, the status
links both ways, the page images, the use log for who may read it, and the acts the policy
allows this reader (each asked of the policy, never assumed by the template)."""

from __future__ import annotations

from typing import Any

from docgen.db import get_session
from docgen.identity import current_actor
from docgen.models import Register
from docgen.policy import Action, can
from docgen.services import access_log, archive, dispatch
from docgen.services.document_links import links
from docgen.services.metadata import appendix_vi

# Appendix VI Part II §I field labels, in the Appendix's order, for the page's metadata table.
METADATA_LABELS = (
    ("FileCode", "1. Mã hồ sơ"),
    ("DocOrdinal", "2. Số thứ tự văn bản trong hồ sơ"),
    ("TypeName", "3. Tên loại văn bản"),
    ("CodeNumber", "4. Số của văn bản"),
    ("CodeNotation", "5. Ký hiệu của văn bản"),
    ("IssuedDate", "6. Ngày, tháng, năm văn bản"),
    ("OrganName", "7. Tên cơ quan, tổ chức ban hành văn bản"),
    ("Subject", "8. Trích yếu nội dung"),
    ("Language", "9. Ngôn ngữ"),
    ("PageAmount", "10. Số trang của văn bản"),
    ("Description", "11. Ghi chú"),
    ("SignerInfo", "12. Chức vụ, họ tên người ký"),
    ("To", "13. Nơi nhận"),
    ("Priority", "14. Mức độ khẩn, độ mật"),
    ("IssuedAmount", "15. Số lượng bản phát hành"),
    ("DueDate", "16. Hạn trả lời văn bản"),
)


PRIORITY_LABELS = {0: "Thường", 1: "Khẩn", 2: "Thượng khẩn", 3: "Hỏa tốc"}


def _printable(value: Any) -> str:
    """Return one metadata value as the page prints it."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, dict):
        parts = [_printable(v) for v in value.values() if v not in (None, "")]
        return " ".join(parts) if parts else "—"
    if isinstance(value, list):
        return "; ".join(_printable(v) for v in value)
    return str(value)


def _metadata_rows(document: Any, pages: int | None) -> list[tuple[str, str]]:
    """Return (label, value) of the 16 fields; dates as dd/mm/yyyy, the page count from the
    PDF when the issuing step could not know it."""
    fields = appendix_vi(document)
    fields["IssuedDate"] = document.issued_date.strftime("%d/%m/%Y")
    if document.due_date:
        fields["DueDate"] = document.due_date.strftime("%d/%m/%Y")
    fields["Priority"] = PRIORITY_LABELS.get(fields["Priority"], fields["Priority"])
    if not fields["PageAmount"] and pages:
        fields["PageAmount"] = f"{pages} (theo bản PDF)"
    fields["To"] = [
        f"{r['OrganName']} ({r['OrganId']})" if r["OrganId"] else r["OrganName"]
        for r in fields["To"]
    ]
    return [(label, _printable(fields[key])) for key, label in METADATA_LABELS]


def page_context(view: archive.DocumentView) -> dict[str, Any]:
    """Return the document page's context beyond ``files_context``."""
    session, actor = get_session(), current_actor()
    document = view.document
    facts = archive.document_facts(session, document)
    pdf = next((r for r in view.renditions if r.kind == "pdf"), None)
    register = session.get(Register, document.register_id)
    return {
        "register_name": register.name if register is not None else view.register_code,
        "signer_text": " ".join(line for line in document.signer_lines or () if line)
        or " ".join(filter(None, [document.signer_position, document.signer_name])),
        "metadata": _metadata_rows(document, pdf.page_count if pdf is not None else None),
        "links": links(session, document, actor=actor),
        "pages": range(1, (pdf.page_count or 0) + 1) if pdf is not None else range(0),
        "uses": access_log.history(session, document.id, actor=actor),
        "dispatch": dispatch.describe(session, document),  # recipients and their state
        "may_change": can(actor, Action.CHANGE_STATUS, facts) and view.status.value != "withdrawn",
        "may_draft_similar": can(actor, Action.RENDER_DRAFT, document.organisation_id),
    }
