"""The report's figures as pure rules: exact counts, the no-data result, quota attainment with
exactly-met and one-short organisations, and the period's edges in Asia/Ho_Chi_Minh."""

from __future__ import annotations

from datetime import datetime

import pytest

from docgen.rules.campaign_report import (
    NO_DATA,
    ReportFacts,
    ReportPeriod,
    compute_report,
    percent,
    period,
    ratio,
)
from docgen.services.clock import VIETNAM

QUOTAS = {"department": 2, "district": 5}
H1 = period(ReportPeriod.FIRST_HALF, 2017)
YEAR = period(ReportPeriod.YEAR, 2017)
APRIL = datetime(2017, 4, 10, 9, 0, tzinfo=VIETNAM)


def org(code, kind="department", state=None, at=None, late=False, **nominees) -> ReportFacts:
    """Facts of one organisation; ``nominees`` as ``individual_accepted=2`` etc."""
    counts = {tuple(key.split("_", 1)): n for key, n in nominees.items()}
    return ReportFacts(code, code.upper(), kind, state, at, late, counts)


def fixture() -> list[ReportFacts]:
    return [
        # on time, accepted, exactly its quota of 02 (one of them selected)
        org("s1", state="accepted", at=APRIL, individual_accepted=1, collective_selected=1),
        # late, still waiting: 03 nominees
        org("s2", state="submitted", at=APRIL, late=True, individual_submitted=3),
        # returned: sent on time, its 02 nominees returned (short of the quota now)
        org("s3", state="returned", at=APRIL, individual_returned=2),
        # nothing sent: a draft package, and an organisation that entered nothing
        org("s4", state="draft", individual_draft=4),
        org("s5"),
        # districts: one exactly at 05, one short by one (04)
        org("h1", "district", "accepted", APRIL, collective_accepted=2, individual_selected=3),
        org("h2", "district", "submitted", APRIL, collective_submitted=4),
    ]


def test_exact_figures_of_a_mixed_campaign():
    report = compute_report(fixture(), QUOTAS, H1)
    t = report.total
    assert report.has_data
    assert (t.addressed, t.on_time, t.late, t.missing) == (7, 4, 1, 2)
    assert (t.collective, t.individual, t.nominees) == (7, 9, 16)
    assert (t.accepted, t.returned, t.selected, t.pending) == (7, 2, 4, 7)
    # met: s1 (02/02), s2 (03/02), h1 (05/05); not s3 (returned), h2 (04/05), s4, s5
    assert t.met == 3 and t.attainment == "03/07 (42,9%)"
    figures = {row["label"]: row["value"] for row in report.figures((5, 10))}
    assert figures["Cơ quan, địa phương, đơn vị đã gửi hồ sơ giới thiệu"] == "05"
    assert figures["- Gửi trễ hạn"] == "01"
    assert figures["Cơ quan, địa phương, đơn vị chưa gửi hồ sơ"] == "02"
    assert figures["- Tập thể"] == "07" and figures["- Cá nhân"] == "09"
    assert figures["Hồ sơ bị trả lại"] == "02"
    assert figures["Điển hình được chọn giới thiệu Trung ương"] == "04"
    assert figures["Cơ quan, địa phương, đơn vị đạt chỉ tiêu giới thiệu"] == "03/07 (42,9%)"
    notes = {row["label"]: row["note"] for row in report.figures((5, 10))}
    assert notes["Điển hình được chọn giới thiệu Trung ương"] == "Từ 05 đến 10 theo Kế hoạch"


def test_breakdown_by_group_in_plan_order_with_a_total():
    report = compute_report(fixture(), QUOTAS, H1)
    rows = report.breakdown()
    assert [r["group"] for r in rows] == [
        "Sở, ban, ngành cấp tỉnh",
        "Huyện, thị xã, thành phố",
        "Tổng cộng",
    ]
    dept, district, total = rows
    assert (dept["addressed"], dept["on_time"], dept["late"], dept["missing"]) == (
        "05", "02", "01", "02",
    )  # fmt: skip
    assert dept["nominees"] == "07 (01/06)" and dept["attainment"] == "02/05 (40%)"
    assert district["nominees"] == "09 (06/03)" and district["attainment"] == "01/02 (50%)"
    assert total["attainment"] == "03/07 (42,9%)" and total["nominees"] == "16 (07/09)"


def test_quota_exactly_met_and_one_short():
    facts = [
        org("a", state="submitted", at=APRIL, individual_submitted=2),  # exactly 02
        org("b", state="submitted", at=APRIL, individual_submitted=1),  # one short
        org("c", "district", "submitted", APRIL, collective_submitted=5),  # exactly 05
        org("d", "district", "submitted", APRIL, collective_submitted=4),  # one short
    ]
    report = compute_report(facts, QUOTAS, H1)
    assert report.total.met == 2 and report.total.attainment == "02/04 (50%)"
    assert [t.met for _, t in report.groups] == [1, 1]


def test_a_period_without_any_submission_says_so():
    facts = [org("s1"), org("s2", state="draft", individual_draft=3), org("h1", "district")]
    report = compute_report(facts, QUOTAS, H1)
    assert not report.has_data
    assert report.figures((5, 10)) == [] and report.breakdown() == []
    (sentence,) = report.sentences()
    assert sentence == NO_DATA.format(addressed="03")
    assert sentence.startswith("Trong kỳ báo cáo chưa có cơ quan, đơn vị nào gửi hồ sơ giới thiệu")


def test_a_real_zero_is_counted_when_the_period_has_data():
    facts = [org("s1", state="submitted", at=APRIL, individual_submitted=2), org("s2")]
    report = compute_report(facts, QUOTAS, H1)
    figures = {row["label"]: row["value"] for row in report.figures()}
    assert figures["- Gửi trễ hạn"] == "00" and figures["Hồ sơ bị trả lại"] == "00"
    assert "00 trễ hạn" in report.sentences()[0]


@pytest.mark.parametrize(
    ("moment", "in_h1"),
    [
        (datetime(2017, 6, 30, 23, 59, tzinfo=VIETNAM), True),
        (datetime(2017, 7, 1, 0, 1, tzinfo=VIETNAM), False),
        (datetime.fromisoformat("2017-06-30T16:59:00+00:00"), True),  # 23:59 in Vietnam
        (datetime.fromisoformat("2017-06-30T17:01:00+00:00"), False),  # 00:01 on 1/7
    ],
)
def test_the_first_half_ends_at_midnight_in_vietnam(moment, in_h1):
    facts = [org("s1", state="submitted", at=moment, individual_submitted=2)]
    assert compute_report(facts, QUOTAS, H1).has_data is in_h1
    assert compute_report(facts, QUOTAS, YEAR).has_data  # the year covers both


def test_periods_and_their_labels():
    assert H1.start == datetime(2017, 1, 1, tzinfo=VIETNAM)
    assert H1.end == datetime(2017, 7, 1, tzinfo=VIETNAM) and H1.until == "30/6/2017"
    assert YEAR.end == datetime(2018, 1, 1, tzinfo=VIETNAM) and YEAR.until == "31/12/2017"
    assert H1.label == "6 tháng đầu năm 2017" and YEAR.label == "năm 2017"
    with pytest.raises(ValueError):
        period("q3", 2017)


def test_naive_times_are_refused():
    facts = [org("s1", state="submitted", at=datetime(2017, 4, 1), individual_submitted=2)]
    with pytest.raises(ValueError):
        compute_report(facts, QUOTAS, H1)


def test_percent_and_ratio():
    assert percent(1, 3) == "33,3%" and percent(2, 2) == "100%" and percent(0, 0) == "—"
    assert ratio(12, 51) == "12/51 (23,5%)"
