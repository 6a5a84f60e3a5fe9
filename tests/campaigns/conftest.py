"""Fixtures for the campaign tests: the 2017 campaign loaded, and the people who nominate."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask

from docgen.db import get_db
from docgen.models import Campaign
from docgen.policy import Actor
from docgen.services.accounts import actor_for, user_by_username
from docgen.services.campaigns import find_campaign
from tests.helpers import make_user

CODE = "dien-hinh-2017"


@dataclass(frozen=True)
class Nominators:
    """Who acts on nominations: clerks of two addressed organisations, the board, outsiders."""

    snv: Actor  # chuyên viên of Sở Nội vụ (an addressed department)
    snv_registrar: Actor  # văn thư of Sở Nội vụ
    district: Actor  # văn thư of UBND TP Rạch Giá (an addressed district)
    board: Actor  # Ban Thi đua - Khen thưởng (the organiser)
    not_addressed: Actor  # chuyên viên of UBND tỉnh: the campaign does not address it
    snv_archivist: Actor  # lưu trữ of Sở Nội vụ: neither drafter nor registrar


def actor_named(app: Flask, username: str) -> Actor:
    with get_db(app).session() as session:
        return actor_for(user_by_username(session, username))


@pytest.fixture
def nominators(app: Flask, loaded) -> Nominators:
    make_user(app, "cv.snv", organisation="snv", roles=("drafter",))
    make_user(app, "vt.snv", organisation="snv", roles=("registrar",))
    make_user(app, "vt.rachgia", organisation="ubnd-rach-gia", roles=("registrar",))
    make_user(app, "td.ban", organisation="btdkt", roles=("board",))
    make_user(app, "cv.tinh", organisation="ubnd-tinh", roles=("drafter",))
    make_user(app, "lt.snv", organisation="snv", roles=("archivist",))
    return Nominators(
        *(
            actor_named(app, u)
            for u in ("cv.snv", "vt.snv", "vt.rachgia", "td.ban", "cv.tinh", "lt.snv")
        )
    )


@pytest.fixture
def campaign(app: Flask, loaded) -> Campaign:
    with get_db(app).session() as session:
        row = find_campaign(session, CODE)
        session.expunge(row)
        return row


def individual(name: str = "Nguyễn Văn An", **extra: Any) -> dict[str, Any]:
    """Return the form values of a valid individual nominee."""
    return {
        "kind": "Cá nhân",
        "name": name,
        "birth_year": "1975",
        "gender": "Nam",
        "position": "Trưởng phòng Tổ chức, Sở Nội vụ",
        "field": "Quản lý nhà nước",
        "classification": "Các cấp lãnh đạo từ phó phòng trở lên",
        "achievements": "Chủ trì 03 đề án cải cách hành chính; giảm 30% thời gian xử lý hồ sơ.",
        **extra,
    }


def collective(name: str = "Phòng Công chức, viên chức", **extra: Any) -> dict[str, Any]:
    return {
        "kind": "Tập thể",
        "name": name,
        "position": "Sở Nội vụ tỉnh Kiên Giang",
        "classification": "Cơ quan hành chính, sự nghiệp",
        "achievements": "05 năm liền hoàn thành xuất sắc nhiệm vụ; 100% hồ sơ đúng hạn.",
        **extra,
    }
