"""The board's review: accept / return a package (reason required, audited, wrong states a
Conflict), select / unselect nominees, the selection counter and the dossier order."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from docgen.errors import Conflict, FieldError, NotFound
from docgen.models import AuditEvent, Nomination, NominationPackage
from docgen.models.campaigns import NominationState, PackageState
from docgen.services import nominations as noms
from docgen.services import reviews
from tests.campaigns.review_fixtures import NOW, clerks, nominate, small_campaign


@pytest.fixture
def setup(app, loaded):
    return small_campaign(app), clerks(app)


def _states(session, package_id: int) -> set[str]:
    query = select(Nomination.state).where(Nomination.package_id == package_id)
    return set(session.scalars(query))


def _audits(session, action: str) -> list[AuditEvent]:
    return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_accept_a_submitted_package_and_refuse_wrong_states(session, setup):
    campaign, who = setup
    board = who["board"]
    with pytest.raises(Conflict, match="chưa lập hồ sơ"):
        reviews.accept_package(session, campaign.id, "snv", actor=board, now=NOW)
    session.rollback()
    nominate(session, campaign.id, who["snv"], 2, submit=False)
    with pytest.raises(Conflict, match=r"Chỉ tiếp nhận được hồ sơ đã gửi.*Đang soạn"):
        reviews.accept_package(session, campaign.id, "snv", actor=board, now=NOW)
    session.rollback()
    noms.submit_package(session, campaign.id, actor=who["snv"], now=NOW)
    session.commit()
    package = reviews.accept_package(session, campaign.id, "snv", actor=board, now=NOW)
    session.commit()
    assert package.state == PackageState.ACCEPTED
    assert _states(session, package.id) == {NominationState.ACCEPTED}
    (event,) = _audits(session, "package_accept")
    assert (event.actor, event.target_id, event.at.date()) == (
        "td.ban",
        str(package.id),
        NOW.date(),
    )
    with pytest.raises(Conflict, match="Đã tiếp nhận"):
        reviews.accept_package(session, campaign.id, "snv", actor=board, now=NOW)
    session.rollback()
    # the organisation can no longer recall an accepted package
    with pytest.raises(Conflict):
        noms.recall_package(session, campaign.id, actor=who["snv"], now=NOW)


def test_return_needs_a_reason_and_reaches_the_organisation(session, setup):
    campaign, who = setup
    board = who["board"]
    nominate(session, campaign.id, who["ubnd-kien-luong"], 3)
    for blank in ("", "   \n "):
        with pytest.raises(FieldError) as refused:
            reviews.return_package(session, campaign.id, "ubnd-kien-luong", blank, actor=board,
                                   now=NOW)  # fmt: skip
        assert refused.value.fields == {"reason": "Cần ghi lý do trả lại hồ sơ."}
    session.rollback()
    package = reviews.return_package(
        session,
        campaign.id,
        "ubnd-kien-luong",
        "  Thiếu  số liệu\nthành tích ",
        actor=board,
        now=NOW,
    )
    session.commit()
    assert (package.state, package.return_reason) == (
        PackageState.RETURNED,
        "Thiếu số liệu thành tích",
    )
    assert _states(session, package.id) == {NominationState.RETURNED}
    (event,) = _audits(session, "package_return")
    assert event.details["reason"] == "Thiếu số liệu thành tích" and event.actor == "td.ban"
    with pytest.raises(Conflict, match="Bị trả lại"):
        reviews.return_package(session, campaign.id, "ubnd-kien-luong", "Lần nữa", actor=board,
                               now=NOW)  # fmt: skip
    session.rollback()
    # the organisation edits and resubmits: the reason is cleared, the package counts again
    clerk = who["ubnd-kien-luong"]
    nominate(session, campaign.id, clerk, 2, prefix="Bổ sung ")
    session.expire_all()
    package = session.get(NominationPackage, package.id)
    assert package.state == PackageState.SUBMITTED and package.return_reason is None
    assert _states(session, package.id) == {NominationState.SUBMITTED}


def test_select_and_unselect_only_accepted_nominees(session, setup):
    campaign, who = setup
    board = who["board"]
    ids = nominate(session, campaign.id, who["ubnd-rach-gia"], 3, collectives=1)
    with pytest.raises(Conflict, match="hồ sơ đã được tiếp nhận"):
        reviews.select_nomination(session, ids[0], actor=board, now=NOW)
    session.rollback()
    reviews.accept_package(session, campaign.id, "ubnd-rach-gia", actor=board, now=NOW)
    for i in ids:
        reviews.select_nomination(session, i, actor=board, now=NOW)
    session.commit()
    with pytest.raises(Conflict, match="đã được chọn"):
        reviews.select_nomination(session, ids[0], actor=board, now=NOW)
    session.rollback()
    summary = reviews.selection_summary(session, campaign)
    assert (summary.selected, summary.collectives, summary.individuals) == (3, 1, 2)
    assert summary.label == "Đã chọn 03 (yêu cầu từ 05 đến 10)"
    assert "Đã chọn 03 tập thể, cá nhân" in summary.problem
    # a package with selected nominees is not returned unseen
    with pytest.raises(Conflict, match="bỏ chọn"):
        reviews.return_package(session, campaign.id, "ubnd-rach-gia", "Sai", actor=board, now=NOW)
    session.rollback()
    reviews.unselect_nomination(session, ids[1], actor=board, now=NOW)
    session.commit()
    with pytest.raises(Conflict, match="chưa được chọn"):
        reviews.unselect_nomination(session, ids[1], actor=board, now=NOW)
    session.rollback()
    assert session.get(Nomination, ids[1]).state == NominationState.ACCEPTED
    assert reviews.selection_summary(session, campaign).selected == 2
    actions = [e.action for e in session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert actions.count("nomination_select") == 3 and actions.count("nomination_unselect") == 1


def test_the_counter_flags_the_range_edges(session, setup):
    campaign, who = setup
    board = who["board"]
    ids = nominate(session, campaign.id, who["ubnd-rach-gia"], 6)
    ids += nominate(session, campaign.id, who["ubnd-kien-luong"], 6)
    for org in ("ubnd-rach-gia", "ubnd-kien-luong"):
        reviews.accept_package(session, campaign.id, org, actor=board, now=NOW)
    seen = {}
    for n, nominee in enumerate(ids, start=1):
        reviews.select_nomination(session, nominee, actor=board, now=NOW)
        seen[n] = reviews.selection_summary(session, campaign).problem
    session.commit()
    assert seen[4] and seen[11] and seen[12]
    assert seen[5] is None and seen[10] is None
    assert "Đã chọn 11" in seen[11]


def test_selected_nominations_come_in_dossier_order(session, setup):
    campaign, who = setup
    board = who["board"]
    district = nominate(session, campaign.id, who["ubnd-rach-gia"], 2)  # "Ủy ban nhân dân TP…"
    kien_luong = nominate(session, campaign.id, who["ubnd-kien-luong"], 2)
    stp = nominate(session, campaign.id, who["stp"], 2)
    snv = nominate(session, campaign.id, who["snv"], 2)
    for org in ("snv", "stp", "ubnd-kien-luong", "ubnd-rach-gia"):
        reviews.accept_package(session, campaign.id, org, actor=board, now=NOW)
    # selected in a scrambled order
    for nominee in (district[1], kien_luong[0], stp[1], snv[0], district[0], stp[0], snv[1]):
        reviews.select_nomination(session, nominee, actor=board, now=NOW)
    session.commit()
    order = [n.id for n in reviews.selected_nominations(session, campaign)]
    # departments first (Sở Nội vụ before Sở Tư pháp), then districts (Kiên Lương before
    # Rạch Giá), by id within each; kien_luong[1] was never selected
    assert order == [snv[0], snv[1], stp[0], stp[1], kien_luong[0], district[0], district[1]]


def test_only_the_organisers_board_reviews(session, setup, app):
    from tests.campaigns.conftest import actor_named
    from tests.helpers import make_user

    campaign, who = setup
    ids = nominate(session, campaign.id, who["snv"], 2)
    make_user(app, "td.khac", organisation="snv", roles=("board", "drafter"))
    outsiders = (actor_named(app, "td.khac"), who["snv"], who["stp"])
    for outsider in outsiders:
        with pytest.raises(NotFound):
            reviews.accept_package(session, campaign.id, "snv", actor=outsider, now=NOW)
        with pytest.raises(NotFound):
            reviews.select_nomination(session, ids[0], actor=outsider, now=NOW)
        with pytest.raises(NotFound):
            reviews.package_review(session, campaign.id, "snv", outsider)
        session.rollback()
    # an organisation the campaign does not address is not there either
    with pytest.raises(NotFound):
        reviews.package_review(session, campaign.id, "ubnd-tinh", who["board"])


def test_the_board_reads_a_list_only_once_it_is_sent(session, setup):
    """A list being drafted (or recalled) is the organisation's own: the board's package page
    lists nobody, and the nominee and its attachment are 404 to the board until it is sent."""
    from docgen.services import nomination_files as files

    campaign, who = setup
    (nominee_id,) = nominate(session, campaign.id, who["snv"], 1, submit=False)
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    attachment = files.add_attachment(session, nominee_id, "thanh-tich.pdf", pdf,
                                      actor=who["snv"], now=NOW)  # fmt: skip
    session.commit()
    board = who["board"]
    assert reviews.package_review(session, campaign.id, "snv", board).nominees == []
    with pytest.raises(NotFound):
        noms.get_nomination(session, nominee_id, board)
    with pytest.raises(NotFound):
        reviews.review_attachment(session, campaign.id, attachment.id, board)
    assert noms.get_nomination(session, nominee_id, who["snv"]).id == nominee_id  # its own

    noms.submit_package(session, campaign.id, actor=who["snv"], now=NOW)
    session.commit()
    assert [n.id for n in reviews.package_review(session, campaign.id, "snv", board).nominees] == [
        nominee_id
    ]
    assert noms.get_nomination(session, nominee_id, board).id == nominee_id
    assert reviews.review_attachment(session, campaign.id, attachment.id, board).id == attachment.id
    noms.recall_package(session, campaign.id, actor=who["snv"], now=NOW)
    session.commit()
    with pytest.raises(NotFound):
        noms.get_nomination(session, nominee_id, board)
