"""The life of a draft (design D18) as a pure table: states, steps and allowed transitions."""

from __future__ import annotations

from enum import StrEnum

from docgen.errors import Conflict


class DraftState(StrEnum):
    SOAN_THAO = "soan_thao"  # soạn thảo: being written
    TRINH_KY = "trinh_ky"  # trình ký: sent to its signer
    TRA_LAI = "tra_lai"  # trả lại: returned by the signer with a comment
    DA_DUYET = "da_duyet"  # đã duyệt: approved (or recorded as signed on paper)
    DA_BAN_HANH = "da_ban_hanh"  # đã ban hành: issued, linked to its document

    @property
    def label(self) -> str:
        """Return the state as users read it."""
        return STATE_LABELS[self]


STATE_LABELS = {
    DraftState.SOAN_THAO: "Soạn thảo",
    DraftState.TRINH_KY: "Trình ký",
    DraftState.TRA_LAI: "Trả lại",
    DraftState.DA_DUYET: "Đã duyệt",
    DraftState.DA_BAN_HANH: "Đã ban hành",
}


class DraftStep(StrEnum):
    CREATE = "create"  # also "soạn văn bản tương tự" (duplicate)
    EDIT = "edit"
    SUBMIT = "submit"  # trình ký
    RETURN = "return"  # trả lại
    APPROVE = "approve"  # duyệt
    PAPER = "paper"  # đã ký trên giấy
    ISSUE = "issue"  # ban hành
    DELETE = "delete"

    @property
    def label(self) -> str:
        """Return the step as users read it."""
        return STEP_LABELS[self]


STEP_LABELS = {
    DraftStep.CREATE: "soạn mới",
    DraftStep.EDIT: "sửa",
    DraftStep.SUBMIT: "trình ký",
    DraftStep.RETURN: "trả lại",
    DraftStep.APPROVE: "duyệt",
    DraftStep.PAPER: "ghi nhận đã ký trên giấy",
    DraftStep.ISSUE: "ban hành",
    DraftStep.DELETE: "xóa",
}

S = DraftState
_NOT_ISSUED = (S.SOAN_THAO, S.TRINH_KY, S.TRA_LAI, S.DA_DUYET)
# (state, step) → the state after it; None: the draft is deleted. Absent: not allowed.
# An edit of a draft waiting for, or past, its signature takes it back to soạn thảo: the
# signer approves exactly what he read. Nothing at all happens to an issued draft.
TRANSITIONS: dict[tuple[DraftState, DraftStep], DraftState | None] = {
    **{(s, DraftStep.EDIT): S.SOAN_THAO for s in _NOT_ISSUED},
    **{(s, DraftStep.DELETE): None for s in _NOT_ISSUED},
    (S.SOAN_THAO, DraftStep.SUBMIT): S.TRINH_KY,
    (S.TRA_LAI, DraftStep.SUBMIT): S.TRINH_KY,
    (S.TRINH_KY, DraftStep.RETURN): S.TRA_LAI,
    (S.TRINH_KY, DraftStep.APPROVE): S.DA_DUYET,
    (S.SOAN_THAO, DraftStep.PAPER): S.DA_DUYET,
    (S.TRINH_KY, DraftStep.PAPER): S.DA_DUYET,
    (S.DA_DUYET, DraftStep.ISSUE): S.DA_BAN_HANH,
}


def next_state(state: DraftState | str, step: DraftStep) -> DraftState | None:
    """Return the state ``step`` takes a draft in ``state`` to; ``Conflict`` if not allowed."""
    current = DraftState(state)
    if (current, step) not in TRANSITIONS:
        raise Conflict(
            f"Dự thảo đang ở trạng thái “{current.label}”: không thể {step.label}.",
            code="draft_step_not_allowed",
            state=str(current),
            step=str(step),
        )
    return TRANSITIONS[(current, step)]
