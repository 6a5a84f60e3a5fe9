"""The forms of the ``auth`` area: sign in and change password."""

from __future__ import annotations

from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import EqualTo

from docgen.web.forms import (
    PASSWORD_MAX,
    USERNAME_MAX,
    Form,
    at_most,
    required,
    required_raw,
    strip,
)


class SignInForm(Form):
    username = StringField(
        "Tên đăng nhập",
        filters=[strip],
        validators=[required("tên đăng nhập"), at_most(USERNAME_MAX, "Tên đăng nhập")],
    )
    password = PasswordField(
        "Mật khẩu", validators=[required_raw("mật khẩu"), at_most(PASSWORD_MAX, "Mật khẩu")]
    )
    next = HiddenField()


class ChangePasswordForm(Form):
    old_password = PasswordField(
        "Mật khẩu hiện tại",
        validators=[required_raw("mật khẩu hiện tại"), at_most(PASSWORD_MAX, "Mật khẩu")],
    )
    new_password = PasswordField(
        "Mật khẩu mới",
        validators=[required_raw("mật khẩu mới"), at_most(PASSWORD_MAX, "Mật khẩu mới")],
    )
    confirm = PasswordField(
        "Nhập lại mật khẩu mới",
        validators=[
            required_raw("lại mật khẩu mới"),
            EqualTo("new_password", message="Hai lần nhập mật khẩu mới không khớp nhau."),
        ],
    )
