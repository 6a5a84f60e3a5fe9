"""Admin views: the users of the admin's own organisation; another organisation's user is a 404."""

from __future__ import annotations

import secrets

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from docgen import policy
from docgen.db import get_clock, get_session
from docgen.identity import current_actor
from docgen.models import SignerRow, User
from docgen.services import accounts
from docgen.web.admin import bp
from docgen.web.admin.forms import NO_SIGNER, ActiveForm, NewUserForm, ResetPasswordForm, RolesForm
from docgen.web.forms import commit_change
from docgen.web.shell import keeps_input


def load_user(user_id: int) -> User:
    """Return the user ``user_id`` if the actor may manage them, else 404 (never a 403)."""
    user = accounts.get_user(get_session(), user_id)
    if user is None or not policy.can(
        current_actor(), policy.Action.MANAGE_USERS, user.organisation
    ):
        abort(404)
    return user


def signer_choices(organisation: str) -> list[SelectChoice]:
    """Return the organisation's signer records as (code, "name — title") choices."""
    rows = get_session().scalars(
        select(SignerRow).where(SignerRow.organisation == organisation).order_by(SignerRow.name)
    )
    return [SelectChoice(NO_SIGNER, "— Không —")] + [
        SelectChoice(r.code, f"{r.name} — {r.title}") for r in rows
    ]


@bp.get("/users")
def users() -> str:
    actor = current_actor()
    listed = accounts.list_users(get_session(), organisation=actor.organisation)
    return render_template("admin/users.html", users=listed)


@bp.route("/users/new", methods=["GET", "POST"])
@keeps_input
def new_user() -> ResponseReturnValue:
    actor = current_actor()
    form = NewUserForm()
    form.signer.choices = signer_choices(actor.organisation or "")
    if form.validate_on_submit():
        saved, made = commit_change(
            form,
            lambda session: accounts.create_user(
                session,
                username=form.username.data,
                name=form.name.data,
                organisation=actor.organisation or "",
                roles=form.roles.data,
                password=form.password.data or None,
                signer=form.signer.data or None,
                actor=actor,
                now=get_clock().now(),
            ),
        )
        if saved and made is not None:
            user, generated = made
            flash(f"Đã tạo tài khoản “{user.username}”.", "ok")
            # The generated password is shown once, on this response only (never flashed:
            # the flash would sit in the session cookie).
            return _user_page(user, new_password=generated, status=201)
    return render_template("admin/new_user.html", form=form), 200 if not form.errors else 422


@bp.get("/users/<int:user_id>")
def user(user_id: int) -> ResponseReturnValue:
    return _user_page(load_user(user_id))


@bp.post("/users/<int:user_id>/roles")
@keeps_input
def set_roles(user_id: int) -> ResponseReturnValue:
    target = load_user(user_id)
    form = RolesForm()
    form.signer.choices = signer_choices(target.organisation)
    if form.validate_on_submit():
        saved, _ = commit_change(
            form,
            lambda session: accounts.set_roles(
                session,
                target,
                form.roles.data,
                signer=form.signer.data or None,
                actor=current_actor(),
                now=get_clock().now(),
            ),
        )
        if saved:
            flash(f"Đã đổi vai trò của “{target.username}”; tài khoản này đã bị đăng xuất.", "ok")
            return redirect(url_for("admin.user", user_id=target.id))
    return _user_page(target, roles_form=form, status=422)


@bp.post("/users/<int:user_id>/active")
@keeps_input
def set_active(user_id: int) -> ResponseReturnValue:
    target = load_user(user_id)
    form = ActiveForm()
    if form.validate_on_submit():
        active = form.active.data == "1"
        saved, _ = commit_change(
            form,
            lambda session: accounts.set_active(
                session, target, active, actor=current_actor(), now=get_clock().now()
            ),
        )
        if saved:
            if request.headers.get("HX-Request"):  # the users list swaps just this row
                return render_template("admin/_user_row.html", user=target)
            state = "mở khóa" if target.active else "khóa"
            flash(f"Đã {state} tài khoản “{target.username}”.", "ok")
            return redirect(url_for("admin.user", user_id=target.id))
    return _user_page(target, active_form=form, status=422)


@bp.post("/users/<int:user_id>/password")
@keeps_input
def reset_password(user_id: int) -> ResponseReturnValue:
    target = load_user(user_id)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        new = form.password.data or secrets.token_urlsafe(12)
        saved, _ = commit_change(
            form,
            lambda session: accounts.set_password(
                session, target, new, actor=current_actor(), now=get_clock().now()
            ),
        )
        if saved:
            flash(f"Đã đặt lại mật khẩu của “{target.username}”; tài khoản đã bị đăng xuất.", "ok")
            return _user_page(target, new_password=None if form.password.data else new)
    return _user_page(target, password_form=form, status=422)


def _user_page(
    target: User,
    *,
    new_password: str | None = None,
    roles_form: RolesForm | None = None,
    active_form: ActiveForm | None = None,
    password_form: ResetPasswordForm | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    """Return the page of one user with its three forms (a failed one keeps its input)."""
    if roles_form is None:
        roles_form = RolesForm(formdata=None, roles=list(target.roles), signer=target.signer or "")
        roles_form.signer.choices = signer_choices(target.organisation)
    signer = get_session().get(SignerRow, target.signer) if target.signer else None
    return (
        render_template(
            "admin/user.html",
            user=target,
            signer=signer,
            new_password=new_password,
            roles_form=roles_form,
            active_form=active_form or ActiveForm(formdata=None),
            password_form=password_form or ResetPasswordForm(formdata=None),
        ),
        status,
    )
