"""The words and names of the central submission dossier (issue 10): pure, no Flask, no DB.

The Danh sách's "(Kèm theo …)" line and each trích ngang's cite the issued tờ trình as Decree
30 writes a reference: "Tờ trình số 12/TTr-BTĐKT ngày 24 tháng 4 năm 2017 của <cơ quan>".
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from docgen.rules.campaigns import count_phrase
from docgen.rules.dates import date_phrase


@dataclass(frozen=True)
class Nominee:
    """What the tờ trình's body and the Danh sách need of one selected nominee."""

    id: int
    kind: str  # collective | individual
    name: str
    organisation: str  # the nominating organisation's name


def citation(type_name: str, notation: str, issued: date, issuer_name: str) -> str:
    """Return "Tờ trình số 12/TTr-BTĐKT ngày 24 tháng 4 năm 2017 của Ban …"."""
    kind = type_name[:1].upper() + type_name[1:].lower()
    return f"{kind} số {notation} {date_phrase(issued)} của {issuer_name}"


def submission_summary(year: int) -> str:
    return (
        "Về việc đề nghị xét chọn điển hình tiên tiến giới thiệu Hội đồng Thi đua - "
        f"Khen thưởng Trung ương năm {year}"
    )


def submission_body(nominees: Sequence[Nominee], organiser: str, addressee: str) -> list[str]:
    """Return the paragraphs of the tờ trình: the counts, the names, the request."""
    collectives = [n for n in nominees if n.kind == "collective"]
    individuals = [n for n in nominees if n.kind != "collective"]
    out = [
        f"Trên cơ sở danh sách giới thiệu của các cơ quan, địa phương, đơn vị, {organiser} đã "
        f"tổng hợp, xét chọn {count_phrase(len(nominees))} điển hình tiên tiến tiêu biểu xuất "
        f"sắc, gồm {count_phrase(len(collectives))} tập thể và {count_phrase(len(individuals))} "
        "cá nhân (có danh sách và trích ngang thành tích kèm theo):"
    ]
    for n, nominee in enumerate([*collectives, *individuals], start=1):
        what = "Tập thể" if nominee.kind == "collective" else "Cá nhân"
        out.append(f"{n}. {what}: {nominee.name} ({nominee.organisation});")
    out.append(
        f"{organiser} kính trình {addressee} xem xét, quyết định và lập thủ tục giới thiệu với "
        "Hội đồng Thi đua - Khen thưởng Trung ương."
    )
    return out


def council_body(nominees: Sequence[Nominee], province: str, submission: str) -> list[str]:
    """Return the paragraphs of the People's Committee's công văn to the central council."""
    collectives = sum(1 for n in nominees if n.kind == "collective")
    out = [
        f"Trên cơ sở {submission}, {province} giới thiệu {count_phrase(len(nominees))} điển "
        f"hình tiên tiến tiêu biểu xuất sắc, gồm {count_phrase(collectives)} tập thể và "
        f"{count_phrase(len(nominees) - collectives)} cá nhân (có danh sách và trích ngang "
        "thành tích kèm theo):"
    ]
    out += [f"- {n.name} ({n.organisation});" for n in nominees]
    out.append(
        f"{province} kính đề nghị Hội đồng Thi đua - Khen thưởng Trung ương xem xét, tuyên "
        "truyền, nhân rộng các điển hình tiên tiến nêu trên."
    )
    return out


def slug(text: str, limit: int = 40) -> str:
    """Return an ASCII file-name part of ``text``: "Nguyễn Thị M" → "nguyen-thi-m"."""
    folded = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in folded if unicodedata.category(c) != "Mn").lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:limit].rstrip("-") or "x"


def dossier_seal(facts: dict[str, Any]) -> str:
    """Return the SHA-256 of the dossier's sealed facts (canonical JSON)."""
    text = json.dumps(facts, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()
