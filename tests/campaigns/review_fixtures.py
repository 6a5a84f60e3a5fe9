"""Helpers of the board's review and reminder tests: packages filled and submitted quickly, and
a small campaign whose four organisations owe different things."""

from __future__ import annotations

from datetime import datetime

from flask import Flask
from sqlalchemy.orm import Session

from docgen import domain
from docgen.db import get_db
from docgen.models import Campaign
from docgen.policy import Actor, system_actor
from docgen.rules.campaigns import VIETNAM
from docgen.services import nominations as noms
from docgen.services.campaigns import CampaignSpec, create_campaign
from tests.campaigns.conftest import actor_named, collective, individual
from tests.helpers import make_user

NOW = datetime(2017, 3, 20, 9, 0, tzinfo=VIETNAM)


def nominate(
    session: Session,
    campaign_id: int,
    actor: Actor,
    count: int,
    *,
    now: datetime = NOW,
    collectives: int = 0,
    submit: bool = True,
    prefix: str = "",
) -> list[int]:
    """Return the ids of ``count`` new nominees of ``actor``'s organisation (the first
    ``collectives`` of them collectives), its package submitted unless ``submit`` is False."""
    ids = []
    for i in range(count):
        values = (
            collective(f"{prefix}Tập thể số {i + 1}")
            if i < collectives
            else individual(f"{prefix}Cá nhân số {i + 1}")
        )
        ids.append(noms.add_nomination(session, campaign_id, values, actor=actor, now=now).id)
    if submit:
        noms.submit_package(session, campaign_id, actor=actor, now=now)
    session.commit()
    return ids


def small_campaign(app: Flask) -> Campaign:
    """Return a 2018 campaign of the board addressing four organisations (02 per department,
    05 per district, selection 05–10), committed."""
    spec = CampaignSpec(
        code="thu-2018",
        title="Giới thiệu điển hình tiên tiến năm 2018",
        year=2018,
        deadlines=(domain.Deadline("gioi-thieu", datetime(2018, 4, 20).date(), "Gửi danh sách"),),
        quotas=(
            domain.Quota((domain.OrgKind.DEPARTMENT,), 2, "02 mỗi sở"),
            domain.Quota((domain.OrgKind.DISTRICT,), 5, "05 mỗi huyện"),
        ),
        participants=("snv", "stp", "ubnd-kien-luong", "ubnd-rach-gia"),
        selection_min=5,
        selection_max=10,
        organiser="btdkt",
    )
    with get_db(app).session() as session:
        row = create_campaign(session, spec, actor=system_actor("kiểm thử"), now=NOW)
        session.commit()
        session.expunge(row)
        return row


def clerks(app: Flask) -> dict[str, Actor]:
    """Return a drafter of each organisation of ``small_campaign`` and two board members:
    ``board`` (board only) and ``board_drafter`` (board and drafter)."""
    users = {
        "snv": ("cv.snv", "snv", ("drafter",)),
        "stp": ("cv.stp", "stp", ("drafter",)),
        "ubnd-kien-luong": ("cv.kienluong", "ubnd-kien-luong", ("drafter",)),
        "ubnd-rach-gia": ("vt.rachgia", "ubnd-rach-gia", ("registrar",)),
        "board": ("td.ban", "btdkt", ("board",)),
        "board_drafter": ("td.soan", "btdkt", ("board", "drafter")),
    }
    for username, org, roles in users.values():
        make_user(app, username, organisation=org, roles=roles)
    return {key: actor_named(app, username) for key, (username, _o, _r) in users.items()}
