"""The forms of the ``admin`` area: add a user, change roles, enable/disable, reset a password."""

from __future__ import annotations

from wtforms import HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import AnyOf, Optional

from docgen.web.forms import (
    NAME_MAX,
    PASSWORD_MAX,
    USERNAME_MAX,
    Form,
    RolesField,
    at_most,
    required,
    strip,
)

NO_SIGNER = ""


class SignerField(SelectField):
    """The signer record a signer account prints as; choices are the organisation's signers."""

    def __init__(self, label: str, **kwargs) -> None:
        super().__init__(label, validate_choice=False, **kwargs)

    def pre_validate(self, form) -> None:
        from wtforms.validators import ValidationError

        if self.data and self.data not in {choice.value for choice in self.choices or ()}:
            raise ValidationError("Người ký không thuộc danh sách của cơ quan.")


class NewUserForm(Form):
    username = StringField(
        "Tên đăng nhập",
        filters=[strip],
        validators=[required("tên đăng nhập"), at_most(USERNAME_MAX, "Tên đăng nhập")],
    )
    name = StringField(
        "Họ và tên",
        filters=[strip],
        validators=[required("họ và tên"), at_most(NAME_MAX, "Họ và tên")],
    )
    roles = RolesField("Vai trò")
    signer = SignerField("Người ký (cho tài khoản Lãnh đạo)")
    password = PasswordField(
        "Mật khẩu ban đầu",
        validators=[Optional(strip_whitespace=False), at_most(PASSWORD_MAX, "Mật khẩu")],
    )


class RolesForm(Form):
    roles = RolesField("Vai trò")
    signer = SignerField("Người ký (cho tài khoản Lãnh đạo)")


class ActiveForm(Form):
    active = HiddenField(validators=[AnyOf(["0", "1"], message="Trạng thái không hợp lệ.")])


class ResetPasswordForm(Form):
    password = PasswordField(
        "Mật khẩu mới",
        validators=[Optional(strip_whitespace=False), at_most(PASSWORD_MAX, "Mật khẩu")],
    )
