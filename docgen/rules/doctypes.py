"""Document types of Decree 30 (Điều 7) and the copy kinds, with their abbreviations (PL III)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from docgen.errors import RuleError
from docgen.rules.text import nfc


class DocKind(StrEnum):
    TYPED = "typed"  # has a type abbreviation: symbol "KH-UBND"
    UNTYPED = "untyped"  # công văn, thư công: symbol "UBND-VX"
    COPY = "copy"  # bản sao: symbol "SY-UBND", one shared copy register


@dataclass(frozen=True)
class DocType:
    code: str  # ASCII slug: "ke-hoach"
    name: str  # "Kế hoạch"
    title: str  # printed title, upper case: "KẾ HOẠCH"; "" for công văn and thư công
    abbreviation: str | None  # "KH", "QyĐ"; None for công văn and thư công
    kind: DocKind


def _typed(code: str, name: str, abbreviation: str) -> DocType:
    return DocType(code, name, nfc(name.upper()), abbreviation, DocKind.TYPED)


# Điều 7 order; abbreviations from Phụ lục III §I. Mixed case is official: QyĐ, CTr, TTr, TrS.
_ALL: tuple[DocType, ...] = (
    _typed("nghi-quyet", "Nghị quyết", "NQ"),
    _typed("quyet-dinh", "Quyết định", "QĐ"),
    _typed("chi-thi", "Chỉ thị", "CT"),
    _typed("quy-che", "Quy chế", "QC"),
    _typed("quy-dinh", "Quy định", "QyĐ"),
    _typed("thong-cao", "Thông cáo", "TC"),
    _typed("thong-bao", "Thông báo", "TB"),
    _typed("huong-dan", "Hướng dẫn", "HD"),
    _typed("chuong-trinh", "Chương trình", "CTr"),
    _typed("ke-hoach", "Kế hoạch", "KH"),
    _typed("phuong-an", "Phương án", "PA"),
    _typed("de-an", "Đề án", "ĐA"),
    _typed("du-an", "Dự án", "DA"),
    _typed("bao-cao", "Báo cáo", "BC"),
    _typed("bien-ban", "Biên bản", "BB"),
    _typed("to-trinh", "Tờ trình", "TTr"),
    _typed("hop-dong", "Hợp đồng", "HĐ"),
    DocType("cong-van", "Công văn", "", None, DocKind.UNTYPED),
    _typed("cong-dien", "Công điện", "CĐ"),
    _typed("ban-ghi-nho", "Bản ghi nhớ", "BGN"),
    _typed("ban-thoa-thuan", "Bản thỏa thuận", "BTT"),
    _typed("giay-uy-quyen", "Giấy ủy quyền", "GUQ"),
    _typed("giay-moi", "Giấy mời", "GM"),
    _typed("giay-gioi-thieu", "Giấy giới thiệu", "GGT"),
    _typed("giay-nghi-phep", "Giấy nghỉ phép", "GNP"),
    _typed("phieu-gui", "Phiếu gửi", "PG"),
    _typed("phieu-chuyen", "Phiếu chuyển", "PC"),
    _typed("phieu-bao", "Phiếu báo", "PB"),
    DocType("thu-cong", "Thư công", "", None, DocKind.UNTYPED),
    # Copies (Điều 25, PL I Phần II): the title is the "hình thức sao" printed on the copy.
    DocType("ban-sao-y", "Bản sao y", "SAO Y", "SY", DocKind.COPY),
    DocType("ban-trich-sao", "Bản trích sao", "TRÍCH SAO", "TrS", DocKind.COPY),
    DocType("ban-sao-luc", "Bản sao lục", "SAO LỤC", "SL", DocKind.COPY),
)

DOCTYPES: Mapping[str, DocType] = MappingProxyType({t.code: t for t in _ALL})
_BY_ABBREVIATION: Mapping[str, DocType] = MappingProxyType(
    {t.abbreviation: t for t in _ALL if t.abbreviation is not None}
)


def doctype_by_abbreviation(abbr: str) -> DocType | None:
    """Return the type whose official abbreviation is ``abbr`` (case-sensitive), else None."""
    return _BY_ABBREVIATION.get(nfc(abbr))


def get_doctype(key: str) -> DocType:
    """Return the type named by its slug ("ke-hoach") or its abbreviation ("KH", "QyĐ")."""
    key = nfc(key)
    found = DOCTYPES.get(key) or _BY_ABBREVIATION.get(key)
    if found is None:
        raise RuleError(f"Không có loại văn bản “{key}” theo Nghị định 30/2020/NĐ-CP.", key=key)
    return found
