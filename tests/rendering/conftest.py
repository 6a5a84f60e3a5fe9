"""Fixtures for the rendering tests: the real templates, a small in-memory record set."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import docx
import pytest

from docgen.domain import (
    Authority,
    Organisation,
    OrgKind,
    RecipientEntry,
    RecipientList,
    Signer,
    Unit,
)
from docgen.errors import NotFound
from docgen.rendering.documents import DocumentRenderer

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class MemoryLookup:
    """A RecordLookup over dicts, for tests that must not depend on records/."""

    organisations: dict[str, Organisation] = field(default_factory=dict)
    signers: dict[str, Signer] = field(default_factory=dict)
    lists: dict[str, RecipientList] = field(default_factory=dict)

    def organisation(self, code: str) -> Organisation:
        try:
            return self.organisations[code]
        except KeyError:
            raise NotFound(f"Không có cơ quan “{code}”") from None

    def signer(self, code: str) -> Signer:
        try:
            return self.signers[code]
        except KeyError:
            raise NotFound(f"Không có người ký “{code}”") from None

    def recipient_list(self, code: str) -> RecipientList:
        try:
            return self.lists[code]
        except KeyError:
            raise NotFound(f"Không có danh sách nơi nhận “{code}”") from None


@pytest.fixture
def lookup() -> MemoryLookup:
    ubnd = Organisation(
        code="ubnd",
        name="Ủy ban nhân dân tỉnh Kiên Giang",
        kind=OrgKind.PROVINCE_COMMITTEE,
        header_lines=("ỦY BAN NHÂN DÂN", "TỈNH KIÊN GIANG"),
        symbol="UBND",
        place="Kiên Giang",
        units=(Unit("VHXH", "Phòng Văn hóa - Xã hội"),),
    )
    snv = Organisation(
        code="snv",
        name="Sở Nội vụ tỉnh Kiên Giang",
        kind=OrgKind.DEPARTMENT,
        header_parent_lines=("UBND TỈNH KIÊN GIANG",),
        header_lines=("SỞ NỘI VỤ",),
        symbol="SNV",
        place="Kiên Giang",
    )
    return MemoryLookup(
        organisations={"ubnd": ubnd, "snv": snv},
        signers={
            "pct": Signer(
                code="pct",
                name="Mai Văn Huỳnh",
                organisation="ubnd",
                title="PHÓ CHỦ TỊCH",
                authority=Authority.KT,
                head_title="CHỦ TỊCH",
            ),
            "gd": Signer(
                code="gd", name="Nguyễn Văn A", organisation="snv", title="GIÁM ĐỐC", sample=True
            ),
        },
        lists={
            "many": RecipientList(
                code="many",
                name="Các cơ quan",
                kinh_gui=("Các sở, ban, ngành", "UBND các huyện, thị xã, thành phố"),
                noi_nhan=(
                    RecipientEntry("Ban TĐKT, Sở Nội vụ", 5),
                    RecipientEntry("TT. HĐND tỉnh"),
                ),
                archive=("VHXH",),
            ),
            "ubnd": RecipientList(
                code="ubnd",
                name="UBND tỉnh",
                kinh_gui=("Ủy ban nhân dân tỉnh Kiên Giang",),
                noi_nhan=(RecipientEntry("Ban TĐKT"),),
                archive=("TĐKT",),
            ),
        },
    )


@pytest.fixture(scope="session")
def renderer() -> DocumentRenderer:
    return DocumentRenderer(ROOT / "templates")


@pytest.fixture
def read_paragraphs():
    """Return a function giving every paragraph of a DOCX (see ``paragraphs``)."""
    return paragraphs


def paragraphs(data: bytes) -> list[str]:
    """Return every paragraph's text of a DOCX, body then tables, as python-docx reads it."""
    document = docx.Document(io.BytesIO(data))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                texts.extend(p.text for p in cell.paragraphs)
    return texts
