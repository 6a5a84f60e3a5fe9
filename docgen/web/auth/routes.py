"""Sign-in views: a view parses the form, calls one accounts service, commits, redirects."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from docgen.db import get_clock, get_session
from docgen.identity import current_actor, sign_in, sign_out
from docgen.services import accounts
from docgen.web.auth import bp
from docgen.web.auth.forms import ChangePasswordForm, SignInForm
from docgen.web.forms import commit_change
from docgen.web.shell import keeps_input


def local_path(target: str | None) -> str | None:
    """Return ``target`` if it is a path on this site ("/…", not "//host" nor "/\\host")."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    if any(c in target for c in "\\\r\n\t") or not target.isprintable():
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
@keeps_input
def login() -> ResponseReturnValue:
    if request.method == "GET" and current_actor().authenticated:
        return redirect(url_for("archive.index"))
    form = SignInForm()  # a POST while signed in is signing in as someone else: allowed
    if request.method == "GET":
        form.next.data = local_path(request.args.get("next")) or ""
    if form.validate_on_submit():
        session = get_session()
        try:
            user = accounts.authenticate(
                session, form.username.data, form.password.data, now=get_clock().now()
            )
        except accounts.SignInError as exc:  # throttled too: a subclass
            session.commit()  # the failure counts towards the throttle even though sign-in failed
            form.form_errors.append(exc.message)
        else:
            session.commit()
            sign_in(user)
            flash(f"Xin chào {user.name}.", "ok")
            return redirect(local_path(form.next.data) or url_for("archive.index"))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    sign_out()
    flash("Đã đăng xuất.", "ok")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@keeps_input
def change_password() -> ResponseReturnValue:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = accounts.get_user(get_session(), current_actor().user_id)
        saved, _ = commit_change(
            form,
            lambda session: accounts.change_password(
                session, user, form.old_password.data, form.new_password.data, now=get_clock().now()
            ),
            aliases={"password": "new_password"},
        )
        if saved:
            sign_in(user)  # the new epoch signed every session out, this one included
            flash("Đã đổi mật khẩu. Các phiên đăng nhập khác đã bị đăng xuất.", "ok")
            return redirect(url_for("archive.index"))
    return render_template("auth/password.html", form=form)
