"""Dispatch forms of Decree 30 Appendix IV: the envelope (Mẫu bì văn bản, §II) and the page of
the Sổ gửi văn bản đi bưu điện (§III), built and printed through the one template pipeline.

``build_envelope`` / ``build_post_book`` make the DOCX templates (``docgen build-templates``,
listed in ``docgen.rendering.builder``); ``envelopes_docx`` / ``post_book_docx`` fill them
from plain values, whatever store those come from. No database, no Flask.

The envelope page: PL IV §II draws the layout (sender block at the top left — logo, name,
Địa chỉ, Điện thoại, Fax, E-Mail, Website —, "Số/ký hiệu văn bản:" below it, "Kính gửi:"
and the recipient's address lines at the lower right) but names no size. docgen prints on
the DL envelope (220 × 110 mm, ISO 269: an A4 page folded in three), landscape.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_BREAK
from docx.shared import Mm

from docgen.domain import Contact, Organisation
from docgen.rendering import blocks as b
from docgen.rendering import wordml as w
from docgen.rendering.layout import TEXT_WIDTH_MM

if TYPE_CHECKING:
    from docgen.rendering.documents import DocumentRenderer

ENVELOPE_TEMPLATE = "bi-van-ban"
POST_BOOK_TEMPLATE = "so-gui-buu-dien"
ENVELOPE_MM = (220, 110)  # DL, landscape: width × height
ENVELOPE_MARGIN_MM = 10
ADDRESS_LEFT_MM = 90  # where "Kính gửi:" starts, from the left margin (PL IV: lower right)

POST_BOOK_COLUMNS = (
    ("sent_date", "Ngày chuyển", 25),  # "20/03/2017" on one line at 12 pt
    ("notation", "Số, ký hiệu văn bản", 32),
    ("recipients", "Nơi nhận văn bản", 50),
    ("envelopes", "Số lượng bì", 15),
    ("receipt", "Ký nhận và dấu bưu điện", 25),
    ("note", "Ghi chú", TEXT_WIDTH_MM - 25 - 32 - 50 - 15 - 25),
)


# --- the templates ------------------------------------------------------------------------------


def build_envelope(doc: Document) -> None:
    """Build ``bi-van-ban``: one DL page per item of ``fields.envelopes``."""
    w.setup_document(doc, page_numbers=False)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(ENVELOPE_MM[0]), Mm(ENVELOPE_MM[1])
    for side in ("top", "bottom", "left", "right"):
        setattr(section, f"{side}_margin", Mm(ENVELOPE_MARGIN_MM))
    w.tag(doc, "{%p for e in fields.envelopes %}")
    w.tag(doc, "{%p if not loop.first %}")
    w.para(doc, size=2).add_run().add_break(WD_BREAK.PAGE)
    w.tag(doc, "{%p endif %}")
    w.tag(doc, "{%p for line in e.sender_parent %}")
    w.para(doc, "{{ line }}", size=11, align=w.LEFT)
    w.tag(doc, "{%p endfor %}")
    w.para(doc, "{{ e.sender }}", size=12, bold=True, align=w.LEFT)
    w.tag(doc, "{%p for line in e.sender_lines %}")
    w.para(doc, "{{ line }}", size=11, align=w.LEFT)
    w.tag(doc, "{%p endfor %}")
    w.para(doc, "Số/ký hiệu văn bản: {{ e.notation }}", size=12, align=w.LEFT, before=14)
    left = ADDRESS_LEFT_MM
    p = w.para(doc, size=14, align=w.LEFT, left=left, before=16)
    w.add_run(p, "Kính gửi: ", size=14)
    w.add_run(p, "{{ e.recipient }}", size=14, bold=True)
    w.tag(doc, "{%p for line in e.address_lines %}")
    w.para(doc, "{{ line }}", size=13, align=w.LEFT, left=left + 22)
    w.tag(doc, "{%p endfor %}")
    w.tag(doc, "{%p endfor %}")


def build_post_book(doc: Document) -> None:
    """Build ``so-gui-buu-dien``: the book's heading, then the six columns of PL IV §III."""
    w.setup_document(doc, page_numbers=False)
    b.book_header(doc)
    w.para(doc, "SỔ GỬI VĂN BẢN ĐI BƯU ĐIỆN", size=16, bold=True, before=18, after=6)
    w.para(doc, "Năm: {{ fields.year }}", size=14, after=3)
    w.para(doc, "Từ ngày {{ fields.date_from }} đến ngày {{ fields.date_to }}", size=14,
           italic=True, after=12)  # fmt: skip
    b.data_table(
        doc,
        [(label, width) for _, label, width in POST_BOOK_COLUMNS],
        [f"{{{{ r.{key} }}}}" for key, _, _ in POST_BOOK_COLUMNS],
        "fields.rows",
        size=12,
        numbered_row=True,
    )


# --- filling them -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Envelope:
    """One envelope: the sender (the issuer), the document's number, the recipient."""

    notation: str  # "01/KH-UBND"
    recipient: str  # as the document names it
    address_lines: Sequence[str] = ()  # the recipient's address, when recorded


@dataclass(frozen=True)
class PostBookRow:
    """One line of the Sổ gửi văn bản đi bưu điện: what left on one day for one document."""

    sent_date: str
    notation: str
    recipients: str
    envelopes: str
    receipt: str = ""
    note: str = ""


@dataclass(frozen=True)
class PostBook:
    issuer: Organisation
    year: str
    date_from: str
    date_to: str
    rows: Sequence[PostBookRow] = field(default_factory=tuple)


def contact_lines(contact: Contact | None) -> list[str]:
    """Return the sender's lines under its name: Địa chỉ; Điện thoại, Fax; E-mail, Website."""
    if contact is None:
        return []
    lines = [f"Địa chỉ: {contact.address}"] if contact.address else []
    pairs = (
        [("Điện thoại", contact.phone), ("Fax", contact.fax)],
        [("E-mail", contact.email), ("Website", contact.website)],
    )
    for pair in pairs:
        parts = [f"{label}: {value}" for label, value in pair if value]
        if parts:
            lines.append("    ".join(parts))
    return lines


def envelopes_docx(
    renderer: DocumentRenderer, sender: Organisation, envelopes: Sequence[Envelope]
) -> bytes:
    """Return one DOCX holding an envelope page per item of ``envelopes``."""
    head = {
        "sender_parent": list(sender.header_parent_lines),
        "sender": " ".join(sender.header_lines) or sender.name.upper(),
        "sender_lines": contact_lines(sender.contact),
    }
    items = [{**head, **asdict(e), "address_lines": list(e.address_lines)} for e in envelopes]
    return renderer.render_raw(ENVELOPE_TEMPLATE, {"fields": {"envelopes": items}})


def post_book_docx(renderer: DocumentRenderer, book: PostBook) -> bytes:
    """Return the page(s) of the Sổ gửi văn bản đi bưu điện for ``book``'s dates."""
    context = {
        "header": b.book_header_context(book.issuer, 165),
        "fields": {
            "year": book.year,
            "date_from": book.date_from,
            "date_to": book.date_to,
            "rows": [asdict(row) for row in book.rows],
        },
    }
    return renderer.render_raw(POST_BOOK_TEMPLATE, context)
