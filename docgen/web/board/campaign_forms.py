"""The board's campaign forms (issue 10): create a campaign, copy one to another year, and
change an existing campaign's deadline reading and refuse-late setting from its dashboard.

The form parses what was typed (dates dd/mm/yyyy, counts, the plan's number); the services
decide (``campaigns.spec_errors`` names every field that cannot make a campaign, the date
rules live in ``rules/campaigns.py``). Another organiser's campaign is a 404.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from wtforms import BooleanField, RadioField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice

from docgen import domain
from docgen.db import get_clock, get_session
from docgen.errors import FieldError, NotFound, RuleError
from docgen.identity import current_actor
from docgen.models import Campaign, OrganisationRow
from docgen.models.campaigns import DeadlinePurpose
from docgen.policy import Action, Actor, can
from docgen.rules.campaigns import DeadlineReading, count_phrase, last_day, read_day
from docgen.rules.nomination_status import GROUPS
from docgen.services import campaigns as svc
from docgen.services.document_links import find_by_notation
from docgen.web.board import bp
from docgen.web.forms import Form, commit_change, show_errors, strip, whole_number, year_number
from docgen.web.shell import keeps_input

NOMINATIONS_TEXT = (
    "Cơ quan, địa phương, đơn vị gửi danh sách giới thiệu về Ban Thi đua - Khen thưởng"
)
SELECTION_TEXT = "Ban Thi đua - Khen thưởng trình các điển hình xét chọn"
READINGS = [SelectChoice(r.value, r.label) for r in DeadlineReading]
# The form's fields in page order: the error summary lists its messages in this order.
FIELD_ORDER = (
    "code", "title", "year", "plan_number", "plan_year", "nominations_due", "selection_due",
    "deadline_reading", *(f"quota_{k.value}" for k in GROUPS), "selection_min", "selection_max",
    "participants",
)  # fmt: skip


class CampaignForm(Form):
    """A new campaign as the board types it (every value text: the view parses it)."""

    code = StringField("Mã đợt thi đua", filters=[strip])
    title = StringField("Tên đợt thi đua", filters=[strip])
    year = StringField("Năm", filters=[strip])
    plan_number = StringField("Số, ký hiệu kế hoạch triển khai", filters=[strip])
    plan_year = StringField("Năm ban hành kế hoạch", filters=[strip])
    nominations_due = StringField("Hạn gửi danh sách giới thiệu", filters=[strip])
    selection_due = StringField("Hạn trình xét chọn", filters=[strip])
    deadline_reading = RadioField("Cách tính hạn", choices=READINGS, default="before",
                                  validate_choice=False)  # fmt: skip
    refuse_late = BooleanField("Không nhận hồ sơ gửi trễ hạn")
    selection_min = StringField("Chọn tối thiểu", filters=[strip])
    selection_max = StringField("Chọn tối đa", filters=[strip])
    participants = SelectMultipleField("Cơ quan, đơn vị được đề nghị", validate_choice=False)


for _kind, _label in GROUPS.items():  # one quota per group of the status table
    setattr(CampaignForm, f"quota_{_kind.value}", StringField(_label, filters=[strip]))


class CopyForm(Form):
    year = StringField("Sang năm", filters=[strip])
    code = StringField("Mã đợt mới (để trống: tự đặt)", filters=[strip])


class SettingsForm(Form):
    reading = RadioField("Cách tính hạn", choices=READINGS, validate_choice=False)
    refuse_late = BooleanField("Không nhận hồ sơ gửi trễ hạn")


def _own_campaign(campaign_id: int) -> Campaign:
    """Return the campaign if the actor's board organises it, else 404 (never a 403)."""
    try:
        found = svc.get_campaign(get_session(), campaign_id)
    except NotFound:
        abort(404)
    if not can(current_actor(), Action.MANAGE_CAMPAIGN, found.organisation_id):
        abort(404)
    return found


def _organisations() -> list[OrganisationRow]:
    kinds = [k.value for k in GROUPS]
    query = select(OrganisationRow).where(OrganisationRow.kind.in_(kinds))
    return list(get_session().scalars(query.order_by(OrganisationRow.name)))


def _groups(organisations: list[OrganisationRow]) -> list[tuple[str, list[OrganisationRow]]]:
    return [
        (label, [o for o in organisations if o.kind == kind.value])
        for kind, label in GROUPS.items()
        if any(o.kind == kind.value for o in organisations)
    ]


def _quota_fields(form: CampaignForm) -> list[tuple[domain.OrgKind, Any]]:
    return [(kind, getattr(form, f"quota_{kind.value}")) for kind in GROUPS]


def _prefill(form: CampaignForm, actor: Actor, organisations: list[OrganisationRow]) -> None:
    """Fill a new form from the board's latest campaign: next year, same quotas and range."""
    session = get_session()
    latest = next(
        (c for c in svc.list_campaigns(session) if c.organisation_id == actor.organisation), None
    )
    form.year.data = str(latest.year + 1 if latest else get_clock().today().year)
    if latest is None:
        return
    minimum = svc.minimum_by_kind(svc.quotas(session, latest))
    for kind, field in _quota_fields(form):
        field.data = str(minimum[kind.value]) if kind.value in minimum else ""
    form.selection_min.data, form.selection_max.data = (
        str(latest.selection_min), str(latest.selection_max)
    )  # fmt: skip
    form.deadline_reading.data, form.refuse_late.data = latest.deadline_reading, latest.refuse_late
    form.participants.data = [o.code for o in organisations if o.kind in minimum]


def _read_form(
    form: CampaignForm, actor: Actor, organisations: list[OrganisationRow]
) -> tuple[svc.CampaignSpec, dict[str, str]]:
    """Return the spec typed in ``form`` and a message per field that could not be read."""
    errors: dict[str, str] = {}
    year = year_number(form.year.data)
    if year is None:
        errors["year"] = "Năm phải gồm 4 chữ số, ví dụ 2018."
    days: dict[str, date | None] = {}
    for key, what in (("nominations_due", "hạn gửi danh sách"), ("selection_due", "hạn trình")):
        raw = getattr(form, key).data or ""
        days[key] = read_day(raw)
        if not raw:
            errors[key] = f"Chưa nhập {what} (ngày/tháng/năm, ví dụ 20/4/{year or 2018})."
        elif days[key] is None:
            errors[key] = f"Ngày “{raw}” không có thật hoặc không theo dạng ngày/tháng/năm."
    quotas = []
    for kind, field in _quota_fields(form):
        if not field.data:
            continue
        minimum = whole_number(field.data, digits=3)
        if not minimum:
            errors[field.name] = "Chỉ tiêu là số nguyên từ 1 trở lên (để trống: không giao)."
            continue
        what = f"Mỗi cơ quan, đơn vị thuộc nhóm “{GROUPS[kind]}”"
        quotas.append(domain.Quota((kind,), minimum, f"{what} giới thiệu ít nhất "
                                   f"{count_phrase(minimum)} tập thể, cá nhân"))  # fmt: skip
    limits = {}
    for key in ("selection_min", "selection_max"):
        limits[key] = whole_number(getattr(form, key).data, digits=3)
        if limits[key] is None:
            errors[key] = "Nhập một số nguyên không âm."
    chosen = tuple(form.participants.data or ())
    if not chosen:  # nothing ticked: every organisation of a group that has a quota
        kinds = {q.kinds[0].value for q in quotas}
        chosen = tuple(o.code for o in organisations if o.kind in kinds)
    if not chosen:
        errors["participants"] = (
            "Chọn ít nhất một cơ quan, đơn vị (hoặc giao chỉ tiêu cho một nhóm)."
        )
    plan_id = None
    if form.plan_number.data:
        plan_year = year_number(form.plan_year.data) if form.plan_year.data else None
        if form.plan_year.data and plan_year is None:
            errors["plan_year"] = "Năm phải gồm 4 chữ số."
        try:
            plan_id = find_by_notation(get_session(), form.plan_number.data, year=plan_year,
                                       actor=actor).id  # fmt: skip
        except RuleError as exc:
            errors["plan_number"] = exc.message
    deadlines: tuple[domain.Deadline, ...] = ()
    nominations_due, selection_due = days["nominations_due"], days["selection_due"]
    if nominations_due is not None:  # the first deadline is the nominations' (by position)
        deadlines = (domain.Deadline("gioi-thieu", nominations_due, NOMINATIONS_TEXT),)
        if selection_due is not None:
            deadlines += (domain.Deadline("trinh-xet-chon", selection_due, SELECTION_TEXT),)
    spec = svc.CampaignSpec(
        code=form.code.data or "", title=form.title.data or "", year=year or 0,
        deadlines=deadlines, quotas=tuple(quotas), participants=chosen,
        selection_min=limits["selection_min"] or 0, selection_max=limits["selection_max"] or 0,
        plan_document_id=plan_id, deadline_reading=form.deadline_reading.data or "",
        refuse_late=bool(form.refuse_late.data),
    )  # fmt: skip
    return spec, errors


def _summary(form: Form) -> list[tuple[str | None, str]]:
    """Return (field id, message) of every error, in page order, then the form's own."""
    items = [(name, msg) for name in FIELD_ORDER for msg in getattr(form, name).errors]
    return items + [(None, msg) for msg in form.form_errors]


@bp.route("/campaigns/new", methods=["GET", "POST"])
@keeps_input
def new_campaign() -> ResponseReturnValue:
    actor, session = current_actor(), get_session()
    form = CampaignForm()
    organisations = _organisations()
    if not form.is_submitted():
        _prefill(form, actor, organisations)
    elif form.validate_on_submit():
        spec, errors = _read_form(form, actor, organisations)
        for key, message in svc.spec_errors(session, spec, actor.organisation or "").items():
            errors.setdefault(key, message)
        if errors:
            show_errors(form, FieldError(errors))
        else:
            saved, made = commit_change(form, lambda s: svc.create_campaign(
                s, spec, actor=actor, now=get_clock().now()))  # fmt: skip
            if saved and made is not None:
                flash(f"Đã tạo đợt thi đua “{made.title}”.", "ok")
                return redirect(url_for("board.campaign", campaign_id=made.id), code=303)
    chosen = set(form.participants.data or ())
    return render_template(
        "board/campaign_new.html", form=form, summary=_summary(form), groups=_groups(organisations),
        chosen=chosen, quota_fields=_quota_fields(form),
    ), 422 if form.errors or form.form_errors else 200  # fmt: skip


@bp.route("/campaigns/<int:campaign_id>/copy", methods=["GET", "POST"])
def copy_campaign(campaign_id: int) -> ResponseReturnValue:
    source = _own_campaign(campaign_id)
    form = CopyForm()
    if not form.is_submitted():
        form.year.data = str(source.year + 1)
    elif form.validate_on_submit():
        year = year_number(form.year.data)
        if year is None:
            form.year.errors = ["Năm phải gồm 4 chữ số, ví dụ 2018."]
        else:
            saved, made = commit_change(form, lambda s: svc.copy_campaign(
                s, campaign_id, year, actor=current_actor(), now=get_clock().now(),
                code=form.code.data or None))  # fmt: skip
            if saved and made is not None:
                flash(f"Đã sao chép sang đợt “{made.title}”; hãy xem lại các hạn.", "ok")
                return redirect(url_for("board.campaign", campaign_id=made.id), code=303)
    status = 422 if form.errors or form.form_errors else 200
    return render_template("board/campaign_copy.html", form=form, source=source), status


@bp.post("/campaigns/<int:campaign_id>/settings")
def campaign_settings(campaign_id: int) -> ResponseReturnValue:
    _own_campaign(campaign_id)
    form = SettingsForm()
    if form.validate_on_submit():
        reading, refuse_late = form.reading.data or "", bool(form.refuse_late.data)
        saved, row = commit_change(form, lambda s: svc.update_settings(
            s, campaign_id, reading=reading, refuse_late=refuse_late,
            actor=current_actor(), now=get_clock().now()))  # fmt: skip
        if saved and row is not None:
            flash("Đã lưu cách tính hạn và việc nhận hồ sơ trễ hạn.", "ok")
        else:
            flash(" ".join(form.reading.errors + form.form_errors), "error")
    return redirect(url_for("board.campaign", campaign_id=campaign_id), code=303)


@bp.app_template_global("campaign_settings")
def settings_context(campaign: Campaign) -> dict[str, Any]:
    """Return what the dashboard's settings box shows: the reading, the last day on which a
    package is on time, refuse-late, and the form that changes them."""
    reading = DeadlineReading(campaign.deadline_reading)
    due = next(
        (d.day for d in svc.deadlines(get_session(), campaign)
         if d.purpose == DeadlinePurpose.NOMINATIONS), None,
    )  # fmt: skip
    form = SettingsForm(formdata=None, reading=reading.value, refuse_late=campaign.refuse_late)
    return {"reading": reading, "due": due, "last_day": last_day(due, reading) if due else None,
            "form": form}  # fmt: skip
