"""Finds the Decree-30 elements of a document by their text first, their position second.

The header (Quốc hiệu, Tiêu ngữ, issuing body, number, date line) is found by its text
wherever it sits: in docgen's 2-column table, in a Word table, in tab-separated lines or in
plain paragraphs. The title follows the header; the body runs to the signer block, which
starts at "Nơi nhận:", at an authority line (TM., KT. …), at a signer table or after "./.".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from docgen.checker.docx_read import DocxView, Para, Piece, visible
from docgen.rules.doctypes import DOCTYPES
from docgen.rules.recipients import END_MARK
from docgen.rules.text import upper_vi

HEADER_SCAN = 40  # pieces from the top in which the header elements are looked for
_MAX_ORG_LINES = 5  # chủ quản and issuing body, each may wrap

NATIONAL_FORMS = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM")
MOTTO = "Độc lập - Tự do - Hạnh phúc"
_MOTTO = re.compile(r"^độc\s*lập\s*[-–—‑]*\s*tự\s*do\s*[-–—‑]*\s*hạnh\s*phúc$", re.IGNORECASE)
_NUMBER = re.compile(r"^Số\s*(:|[\d\s.…]*/)")
_DATE = re.compile(r"^[^,\d]{2,60},\s*ngày\b.*\bnăm\b", re.IGNORECASE)
_VV = re.compile(r"^V/v\b", re.IGNORECASE)
_STAMP = re.compile(
    r"^(BẢN )?DỰ THẢO|^(TUYỆT |TỐI )?MẬT$|^(THƯỢNG )?KHẨN$|^HO[ẢẢ] TỐC$|^HỎA TỐC$|^Mẫu số",
    re.IGNORECASE,
)
_APPENDIX = re.compile(r"^Phụ\s+lục\b", re.IGNORECASE)
_KEM_THEO = re.compile(r"^\(\s*Kèm\s+theo\b", re.IGNORECASE)
_KINH_GUI = re.compile(r"^Kính\s+gửi\b", re.IGNORECASE)
_CAN_CU = re.compile(r"^Căn\s+cứ\b")
_NOI_NHAN = re.compile(r"^Nơi\s+nhận\b", re.IGNORECASE)
AUTHORITY = re.compile(r"^(TM|KT|TL|TUQ|Q)\s*\.", re.IGNORECASE)
_BAD_AUTHORITY = re.compile(r"^(T/M|K/T|T/L|T/UQ)\b", re.IGNORECASE)
_DASH = re.compile(r"^[-–—+•]")
_TITLES = frozenset(t.title for t in DOCTYPES.values() if t.title)


def is_upper(text: str) -> bool:
    """Return True when ``text`` has letters and all of them are capitals."""
    return any(c.isalpha() for c in text) and text == upper_vi(text)


def mostly_bold(spans) -> bool:
    """Return True when more than half of the visible characters of ``spans`` are bold."""
    shown = visible(tuple(spans))
    return bool(shown) and sum(len(s.text) for s in shown if s.bold) * 2 > sum(
        len(s.text) for s in shown
    )


@dataclass
class Structure:
    """The Decree-30 elements found in a document; None or empty where one was not found."""

    national: Piece | None = None
    motto: Piece | None = None
    org_lines: list[Piece] = field(default_factory=list)
    number: Piece | None = None
    date: Piece | None = None
    vv: list[Para] = field(default_factory=list)
    header_end: int = -1  # reading index of the header's last paragraph
    appendix_line: Para | None = None
    title: Para | None = None
    summary: list[Para] = field(default_factory=list)
    kem_theo: Para | None = None
    kinh_gui: Para | None = None
    kinh_gui_items: list[Para] = field(default_factory=list)
    basis: list[Para] = field(default_factory=list)
    body: list[Para] = field(default_factory=list)
    noi_nhan: Piece | None = None
    noi_nhan_items: list[Piece] = field(default_factory=list)
    signer_lines: list[Piece] = field(default_factory=list)
    signer_name: Piece | None = None
    signer_in_table: bool = False
    end_mark: Para | None = None
    trailing_appendix: list[Para] = field(default_factory=list)  # "Phụ lục" after the signer

    @property
    def appendix(self) -> bool:
        """Return True for an appendix document (no number, date or signer required)."""
        return self.appendix_line is not None or self.kem_theo is not None


def locate(view: DocxView) -> Structure:
    """Return the elements found in ``view``."""
    s = Structure()
    paras = view.paras
    top = [pc for p in paras for pc in p.pieces][:HEADER_SCAN]
    s.national = _first(top, lambda t: " ".join(t.split()).upper() in NATIONAL_FORMS)
    s.motto = _first(top, lambda t: bool(_MOTTO.match(" ".join(t.split()))))
    # Number, date and V/v belong to the header only above the title ("Hôm nay, ngày …" in
    # a biên bản's body is not a date line).
    guard = _title_guard(s, paras)
    top = [pc for pc in top if pc.para.index < guard]
    s.number = _first(top, lambda t: bool(_NUMBER.match(t)))
    s.date = _first(top, lambda t: bool(_DATE.match(" ".join(t.split()))))
    vv = _first(top, lambda t: bool(_VV.match(t)))
    if vv is not None:
        s.vv = [vv.para, *_continuation(paras, vv.para)]
    anchors = [pc.para for pc in (s.national, s.motto, s.number, s.date) if pc] + s.vv
    if anchors:
        s.header_end = max(p.index for p in anchors)
        first = min(anchors, key=lambda p: p.index)
        if first.where.kind == "cell":  # the whole header table belongs to the header
            table = [
                p.index
                for p in paras
                if p.where.kind == "cell" and p.where.table == first.where.table
            ]
            s.header_end = max(s.header_end, *table)
        s.org_lines = _org_lines(s, paras)
    start = _title_block(s, paras)
    start = _kinh_gui(s, paras, start)
    zone = _signer_zone(s, paras, start)
    body = [p for p in paras[start:zone] if p.where.kind == "body" and not p.empty]
    s.end_mark = next((p for p in reversed(body) if p.text.rstrip().endswith(END_MARK)), None)
    # A line holding only "./." closes content that ends with a table (an appendix's list):
    # it marks the end, it is no paragraph of text to hold to the body's layout rules.
    s.body = [p for p in body if p.text.strip() != END_MARK]
    s.basis = _basis(s.body)
    return s


def _first(pieces: list[Piece], test) -> Piece | None:
    return next((pc for pc in pieces if test(pc.text)), None)


def _continuation(paras: list[Para], first: Para) -> list[Para]:
    """Return the paragraphs that continue a wrapped V/v line in the same table cell."""
    out = []
    if first.where.kind != "cell":
        return out
    for p in paras[first.index + 1 :]:
        if p.where != first.where or p.empty:
            break
        out.append(p)
    return out


def _title_guard(s: Structure, paras: list[Para]) -> int:
    """Return the reading index of the first title-like paragraph below Quốc hiệu/Tiêu ngữ."""
    top = max((pc.para.index for pc in (s.national, s.motto) if pc), default=-1)
    for p in paras[top + 1 :]:
        if p.where.kind != "body" or p.empty:
            continue
        text = " ".join(p.text.split())
        if (
            upper_vi(text) in _TITLES
            or _APPENDIX.match(text)
            or (is_upper(text) and p.fmt.align == "center" and mostly_bold(p.spans))
        ):
            return p.index
    return len(paras)


def _org_lines(s: Structure, paras: list[Para]) -> list[Piece]:
    """Return the issuing body's lines: left of Quốc hiệu and above the number line."""
    special = {id(pc) for pc in (s.national, s.motto, s.number, s.date) if pc}
    vv_paras = {p.index for p in s.vv}
    stop = min((pc.para.index for pc in (s.number, s.date) if pc), default=s.header_end + 1)
    anchor = s.national or s.motto
    lines = []
    for p in paras[:stop]:
        if p.index in vv_paras:
            continue
        for pc in p.pieces:
            if id(pc) in special or _STAMP.match(pc.text):
                continue
            if anchor is None or _beside(pc, anchor, s):
                lines.append(pc)
    return lines[-_MAX_ORG_LINES:]


def _beside(pc: Piece, anchor: Piece, s: Structure) -> bool:
    """Return True if ``pc`` sits where the issuing body goes relative to Quốc hiệu."""
    where, home = pc.para.where, anchor.para.where
    if home.kind == "cell":  # another cell of the header table
        cells = {(x.para.where.row, x.para.where.col) for x in (s.national, s.motto) if x}
        return (
            where.kind == "cell"
            and where.table == home.table
            and (where.row, where.col) not in cells
        )
    if any(pc.para is x.para for x in (s.national, s.motto) if x):
        return True  # "ỦY BAN NHÂN DÂN<tab>CỘNG HÒA…": the left column of the same line
    return where.kind != "cell" and is_upper(pc.text)


def _next_text(paras: list[Para], start: int, *, top_only: bool = True) -> Para | None:
    for p in paras[start:]:
        if top_only and p.where.kind != "body":
            continue
        if not p.empty:
            return p
    return None


def _title_block(s: Structure, paras: list[Para]) -> int:
    """Find Phụ lục line, title, trích yếu and "(Kèm theo …)"; return the next reading index."""
    first = _next_text(paras, s.header_end + 1)
    if first is None:
        return len(paras)
    cursor = first
    if _APPENDIX.match(first.text.strip()):
        s.appendix_line = first
        cursor = _next_text(paras, first.index + 1)
        if cursor is None:
            return first.index + 1
    text = " ".join(cursor.text.split())
    if s.appendix_line is not None and _KEM_THEO.match(text):  # no title between the two
        s.kem_theo = cursor
        return cursor.index + 1
    known = upper_vi(text) in _TITLES
    # Under "Phụ lục" comes the appendix's title, whatever its case (the check reports that)
    titled = s.appendix_line is not None or (is_upper(text) and cursor.fmt.align == "center")
    if not (known or titled):
        return cursor.index
    s.title = cursor
    end = cursor.index + 1
    for p in paras[end:]:
        if p.where.kind != "body":
            break
        if p.empty:
            end = p.index + 1
            if s.summary or s.kem_theo:
                break
            continue
        line = p.text.strip()
        if _KEM_THEO.match(line):
            s.kem_theo = p
        elif (
            mostly_bold(p.spans)
            and len(s.summary) < 3
            and not s.kem_theo
            and not _CAN_CU.match(line)
            and not _KINH_GUI.match(line)
        ):
            s.summary.append(p)
        else:
            break
        end = p.index + 1
    return end


def _kinh_gui(s: Structure, paras: list[Para], start: int) -> int:
    first = _next_text(paras, start)
    if first is None or not _KINH_GUI.match(first.text.strip()):
        return start
    s.kinh_gui = first
    end = first.index + 1
    for p in paras[end:]:
        if p.where.kind != "body" or (p.empty and s.kinh_gui_items):
            break
        end = p.index + 1
        if p.empty:
            continue
        if not _DASH.match(p.text.strip()):
            end = p.index
            break
        s.kinh_gui_items.append(p)
        if p.text.rstrip().endswith("."):
            break
    return end


def _signer_zone(s: Structure, paras: list[Para], start: int) -> int:
    """Locate Nơi nhận and the signer block after ``start``; return where the body ends."""
    marks = []
    nn = next((pc for p in paras[start:] for pc in p.pieces if _NOI_NHAN.match(pc.text)), None)
    if nn is not None:
        marks.append(nn.para.index)
    auth = next(
        (
            pc
            for p in paras[start:]
            for pc in p.pieces
            if (AUTHORITY.match(pc.text) or _BAD_AUTHORITY.match(pc.text))
            and (is_upper(pc.text) or mostly_bold(pc.spans))
        ),
        None,
    )
    if auth is not None:
        marks.append(auth.para.index)
    table = _signer_table(paras[start:])
    if table is not None:
        marks.append(next(p.index for p in paras if p.where.table == table))
    ends = [
        p for p in paras[start:] if p.where.kind == "body" and p.text.rstrip().endswith(END_MARK)
    ]
    if ends and not marks:
        marks.append(ends[0].index + 1)
    zone = min(marks, default=len(paras))
    if zone >= len(paras):
        return len(paras)
    if paras[zone].where.kind == "cell":  # a mark inside a table: the table starts the zone
        zone = next(p.index for p in paras if p.where.table == paras[zone].where.table)
    tail = next(
        (p for p in paras[zone:] if p.where.kind == "body" and _APPENDIX.match(p.text.strip())),
        None,
    )
    stop = tail.index if tail is not None else len(paras)
    if tail is not None:
        s.trailing_appendix = [
            tail,
            *[
                p
                for p in paras[tail.index + 1 : tail.index + 4]
                if p.where.kind == "body" and not p.empty
            ],
        ]
    _recipients_and_signer(s, paras[zone:stop], nn)
    return zone


def _signer_table(paras: list[Para]) -> int | None:
    """Return the last table whose cell holds Nơi nhận or a signer (capitals, then a name)."""
    cells: dict[tuple, list[Piece]] = {}
    for p in paras:
        if p.where.kind == "cell":
            cells.setdefault((p.where.table, p.where.row, p.where.col), []).extend(p.pieces)
    found = None
    for (table, _, _), pieces in cells.items():
        texts = [pc.text for pc in pieces]
        if any(_NOI_NHAN.match(t) for t in texts) or _looks_like_signer(pieces):
            found = table
    return found


def _name_like(text: str) -> bool:
    return len(text.split()) <= 6 and not any(c.isdigit() for c in text)


def _looks_like_signer(pieces: list[Piece]) -> bool:
    texts = [pc.text for pc in pieces if not pc.text.startswith("(")]
    if len(texts) < 2 or not is_upper(texts[0]) or is_upper(texts[-1]):
        return False
    return _name_like(texts[-1]) and all(is_upper(t) for t in texts[:-1])


def _recipients_and_signer(s: Structure, zone: list[Para], nn: Piece | None) -> None:
    pieces = [pc for p in zone for pc in p.pieces]
    if nn is not None and nn in pieces:
        s.noi_nhan = nn
        after = pieces[pieces.index(nn) + 1 :]
        if nn.para.where.kind == "cell":
            cell = nn.para.where
            items = [pc for pc in after if pc.para.where == cell]
        else:
            items = []
            for pc in after:  # other columns hold the signer block beside the list
                if pc.col != nn.col:
                    continue
                if not _DASH.match(pc.text):
                    break
                items.append(pc)
        s.noi_nhan_items = _merge_wrapped(items)
        used = {id(pc) for pc in items} | {id(nn)}
        pieces = [pc for pc in pieces if id(pc) not in used]
    candidates = [pc for pc in pieces if not (pc.text.startswith("(") and pc.text.endswith(")"))]
    cells: dict[object, list[Piece]] = {}
    for pc in candidates:
        if pc.para.where.kind == "cell":
            cells.setdefault(pc.para.where, []).append(pc)
    block = next((b for b in cells.values() if any(is_upper(pc.text) for pc in b)), None)
    if block is None:  # titles typed in lower case, or missing: a cell ending with a name
        beside = s.noi_nhan.para.where.table if s.noi_nhan is not None else None
        block = next(
            (
                b
                for b in cells.values()
                if _name_like(b[-1].text) and (len(b) >= 2 or b[-1].para.where.table == beside)
            ),
            None,
        )
    if block is not None:
        s.signer_in_table = True
        s.signer_lines, s.signer_name = block[:-1], block[-1]
        return
    start = next((i for i, pc in enumerate(candidates) if is_upper(pc.text)), None)
    if start is None:
        return
    for i, pc in enumerate(candidates[start:], start=start):
        if not is_upper(pc.text):
            s.signer_lines, s.signer_name = candidates[start:i], pc
            return
    s.signer_lines = candidates[start:]


def _merge_wrapped(items: list[Piece]) -> list[Piece]:
    """Return Nơi nhận items with wrapped lines (not starting with "-") joined to the item."""
    merged: list[Piece] = []
    for pc in items:
        if merged and not _DASH.match(pc.text):
            prev = merged[-1]
            merged[-1] = Piece(
                f"{prev.text} {pc.text}", prev.spans + pc.spans, prev.para, prev.line, prev.col
            )
        else:
            merged.append(pc)
    return merged


def _basis(body: list[Para]) -> list[Para]:
    """Return the căn cứ lines: the run of "Căn cứ …" paragraphs that opens the body."""
    out = []
    for p in body:
        text = p.text.strip()
        if _CAN_CU.match(text):
            out.append(p)
        elif out or not (is_upper(text) and p.fmt.align == "center"):
            break
    return out
