"""Helpers of the nominations desk's page tests: signed-in clients of the sample accounts, the
2017 campaign, nominee form values, and reading a draft or an issued document back."""

from __future__ import annotations

import io
import re
from typing import Any

import docx
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from docgen.db import get_db
from docgen.models import Blob, Document, Draft, Nomination, NominationPackage, RegisterCounter
from docgen.services.accounts import actor_for, user_by_username
from docgen.services.campaigns import find_campaign
from tests.web.pages import sign_in, text

CLERK = "canbo-kienluong"  # drafter and registrar of UBND huyện Kiên Lương
CHAIRMAN = "chutich-kienluong"  # its signer (ct-ubnd-kien-luong-mau)
SIGNER = "ct-ubnd-kien-luong-mau"
ORG = "ubnd-kien-luong"


def client_of(app: Flask, people: dict[str, str], username: str) -> FlaskClient:
    client = app.test_client()
    response = sign_in(client, username, people[username])
    assert response.status_code in (302, 303), text(response)[:300]
    return client


def actor_named(app: Flask, username: str):
    with get_db(app).session() as session:
        return actor_for(user_by_username(session, username))


def campaign_id(app: Flask) -> int:
    with get_db(app).session() as session:
        return find_campaign(session, "dien-hinh-2017").id


def person(name: str = "Nguyễn Thị Hoa", **extra: Any) -> dict[str, Any]:
    """Return the form values of a valid individual nominee."""
    return {
        "kind": "Cá nhân",
        "name": name,
        "birth_year": "1980",
        "gender": "Nữ",
        "position": "Chủ tịch UBND xã Bình An, huyện Kiên Lương",
        "field": "Xây dựng nông thôn mới",
        "classification": "Các cấp lãnh đạo từ phó phòng trở lên",
        "achievements": "Vận động 120 hộ hiến đất làm 3,5 km đường giao thông nông thôn.",
        "previous_awards": "",
        **extra,
    }


def group(name: str = "Hợp tác xã Thuận Phát", **extra: Any) -> dict[str, Any]:
    return {
        "kind": "Tập thể",
        "name": name,
        "birth_year": "",
        "gender": "",
        "position": "Xã Bình An, huyện Kiên Lương",
        "field": "Kinh tế tập thể",
        "classification": "Doanh nghiệp",
        "achievements": "Doanh thu tăng 25% mỗi năm; tạo việc làm cho 60 lao động.",
        "previous_awards": "",
        **extra,
    }


def nominees(app: Flask, organisation: str = ORG) -> list[Nomination]:
    with get_db(app).session() as session:
        rows = list(
            session.scalars(
                select(Nomination)
                .where(Nomination.organisation_id == organisation)
                .order_by(Nomination.id)
            )
        )
        session.expunge_all()
        return rows


def package_of(app: Flask, organisation: str = ORG) -> NominationPackage | None:
    with get_db(app).session() as session:
        row = session.scalar(
            select(NominationPackage).where(NominationPackage.organisation_id == organisation)
        )
        if row is not None:
            session.expunge(row)
        return row


def draft_of(app: Flask, draft_id: int) -> Draft:
    with get_db(app).session() as session:
        row = session.get(Draft, draft_id)
        session.expunge(row)
        return row


def numbers_taken(app: Flask) -> int:
    with get_db(app).session() as session:
        return session.scalar(select(func.coalesce(func.sum(RegisterCounter.last_number), 0)))


def document_lines(app: Flask, document_id: int) -> list[str]:
    """Return the paragraphs of an issued document's DOCX (body, then table cells)."""
    with get_db(app).session() as session:
        document = session.get(Document, document_id)
        book = docx.Document(io.BytesIO(session.get(Blob, document.blob_sha256).content))
    cells = [c for t in book.tables for row in t.rows for c in row.cells]
    return [p.text for p in book.paragraphs] + [p.text for c in cells for p in c.paragraphs]


def main_text(response) -> str:
    """Return the words of a page's <main> (for assertion messages)."""
    match = re.search(r"<main.*?</main>", text(response), re.S)
    words = re.sub(r"<[^>]+>", " ", match.group(0) if match else text(response))
    return " ".join(words.split())[:1500]
