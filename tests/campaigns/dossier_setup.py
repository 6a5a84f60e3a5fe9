"""Test set-up of the submission dossier, through the services: nominees entered by a
district, submitted, accepted and selected by the board; the tờ trình drafted, signed and
issued by the board's people (the sample accounts)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Flask

from docgen.cli.samples import add_sample_accounts
from docgen.db import get_db
from docgen.models import Document
from docgen.policy import Actor
from docgen.runtime import get_renderer
from docgen.services import drafts, nominations, reviews
from docgen.services.accounts import actor_for, user_by_username
from docgen.services.campaigns import find_campaign
from docgen.services.clock import VIETNAM, FixedClock
from docgen.services.dossier_drafts import create_submission
from tests.campaigns.conftest import CODE, collective, individual

APRIL_24 = datetime(2017, 4, 24, 9, 0, tzinfo=VIETNAM)


def people(app: Flask) -> dict[str, Actor]:
    """Return the sample accounts as actors (created if missing)."""
    with get_db(app).session() as session:
        add_sample_accounts(session, now=APRIL_24)
        session.commit()
    names = ("thiduakt", "truongban", "vanthu-btdkt", "canbo-kienluong", "chuyenvien", "vanthu")
    with get_db(app).session() as session:
        return {n: actor_for(user_by_username(session, n)) for n in names}


def nominee(n: int) -> dict[str, Any]:
    if n == 2:  # a long summary: this trích ngang runs over more than one page
        lines = [f"Thành tích thứ {i}: hoàn thành vượt {i}% chỉ tiêu được giao trong năm, được "
                 "cơ quan và nhân dân ghi nhận." for i in range(1, 37)]  # fmt: skip
        return individual(f"Nguyễn Văn Mẫu {n}", achievements="\n".join(lines))
    if n % 3 == 0:
        return collective(f"Tổ sản xuất số {n}", achievements=f"Năng suất tăng {n}% mỗi năm.")
    return individual(f"Nguyễn Văn Mẫu {n}", achievements=f"Dòng 1 của người {n}.\nDòng 2.")


def select_nominees(app: Flask, clock: FixedClock, count: int, *, code: str = CODE) -> int:
    """Return the campaign id after ``count`` nominees of ubnd-kien-luong were entered,
    submitted (before the deadline), accepted and selected."""
    who = people(app)
    clock.set(datetime(2017, 4, 10, 9, 0, tzinfo=VIETNAM))
    with get_db(app).session() as session:
        campaign_id = find_campaign(session, code).id
        ids = [
            nominations.add_nomination(session, campaign_id, nominee(n),
                                       actor=who["canbo-kienluong"], now=clock.now()).id
            for n in range(1, count + 1)
        ]  # fmt: skip
        nominations.submit_package(session, campaign_id, actor=who["canbo-kienluong"],
                                   now=clock.now())  # fmt: skip
        reviews.accept_package(session, campaign_id, "ubnd-kien-luong", actor=who["thiduakt"],
                               now=clock.now())  # fmt: skip
        for nid in ids:
            reviews.select_nomination(session, nid, actor=who["thiduakt"], now=clock.now())
        session.commit()
    return campaign_id


def draft_submission(app: Flask, clock: FixedClock, campaign_id: int) -> int:
    who = people(app)
    with get_db(app).session() as session:
        draft = create_submission(session, campaign_id, actor=who["thiduakt"],
                                  renderer=get_renderer(app), now=clock.now())  # fmt: skip
        session.commit()
        return draft.id


def issue_submission(app: Flask, clock: FixedClock, campaign_id: int) -> Document:
    """Return the tờ trình drafted from the selection and issued on 24/4/2017."""
    who = people(app)
    renderer = get_renderer(app)
    clock.set(APRIL_24)
    draft_id = draft_submission(app, clock, campaign_id)
    with get_db(app).session() as session:
        draft = drafts.get_draft(session, draft_id, who["thiduakt"])
        drafts.submit(session, draft_id, actor=who["thiduakt"], version=draft.version,
                      renderer=renderer, now=clock.now())  # fmt: skip
        session.commit()
        draft = drafts.get_draft(session, draft_id, who["truongban"])
        drafts.approve(session, draft_id, actor=who["truongban"], version=draft.version,
                       now=clock.now())  # fmt: skip
        session.commit()
        document = drafts.issue_approved(session, draft_id, actor=who["vanthu-btdkt"],
                                         clock=clock, renderer=renderer)  # fmt: skip
        session.commit()
        session.expunge(document)
        return document
