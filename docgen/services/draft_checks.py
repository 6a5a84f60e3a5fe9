"""What a draft must satisfy: choices of its own organisation while it is written, the
template's whole schema and a signer account once it goes for signature or is issued."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from docgen.errors import FieldError
from docgen.models import Draft, RecipientListRow, Register, SignerRow, User
from docgen.policy import Role
from docgen.rendering.documents import DocumentRenderer
from docgen.services.archive import SECRET_KIND
from docgen.services.issuance import IssueRequest, prepare_request
from docgen.services.lookup import DbRecordLookup, list_usable_by


def check_choices(session: Session, organisation: str, values: Mapping[str, Any]) -> None:
    """Raise ``FieldError`` for data that is no mapping or a choice unknown to ``organisation``.

    A draft may be incomplete while it is written (it autosaves); the template's schema is
    checked in full when it is sent for signature and again when it is issued.
    """
    problems: dict[str, str] = {}
    if "data" in values and not isinstance(values["data"], Mapping):
        problems["data"] = "dữ liệu của dự thảo phải là các trường có tên"
    if values.get("signer"):
        row = session.get(SignerRow, values["signer"])
        if row is None or row.organisation != organisation:
            problems["signer"] = f"không có người ký “{values['signer']}” của cơ quan này"
    if values.get("recipients"):
        row = session.get(RecipientListRow, values["recipients"])
        if row is None or not list_usable_by(row, organisation):
            problems["recipients"] = f"không có danh sách nơi nhận “{values['recipients']}”"
    if values.get("register"):
        register = session.scalars(
            select(Register).where(Register.code == values["register"])
        ).one_or_none()
        if register is None or register.organisation != organisation:
            problems["register"] = f"không có sổ đăng ký văn bản đi “{values['register']}”"
        elif register.kind == SECRET_KIND:  # every user of the organisation reads its drafts
            problems["register"] = (
                "dự thảo đọc được trong cả cơ quan, nên chưa soạn văn bản mật ở đây: "
                "văn bản mật do văn thư ban hành trực tiếp vào sổ mật"
            )
    if problems:
        raise FieldError(problems)


def issue_request(draft: Draft) -> IssueRequest:
    """Return what issuing ``draft`` asks for."""
    return IssueRequest(
        template=draft.template,
        issuer=draft.organisation_id,
        fields=dict(draft.data),
        signer=draft.signer,
        recipients=draft.recipients,
        unit=draft.unit,
        register=draft.register,
    )


def validate(session: Session, draft: Draft, renderer: DocumentRenderer) -> None:
    """Raise ``FieldError`` unless ``draft`` is complete, as issuing it will check."""
    lookup = DbRecordLookup(session, organisation=draft.organisation_id)
    prepare_request(lookup, issue_request(draft), renderer)


def check_signer_account(session: Session, draft: Draft) -> None:
    """Raise ``FieldError`` unless an active signer account of the organisation is the signer."""
    if not draft.signer:
        raise FieldError({"signer": "cần chọn người ký để trình ký"})
    users = session.scalars(
        select(User).where(
            User.signer == draft.signer,
            User.organisation == draft.organisation_id,
            User.active.is_(True),
        )
    )
    if not any(Role.SIGNER.value in user.roles for user in users):
        raise FieldError(
            {"signer": "người ký này chưa có tài khoản lãnh đạo đang hoạt động để nhận trình ký"}
        )
