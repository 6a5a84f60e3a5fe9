"""The signer block (quyền hạn, chức vụ, họ tên người ký) of Decree 30, Điều 13 and PL I §II.7."""

from __future__ import annotations

import re
from dataclasses import dataclass

from docgen.domain import Authority, Signer
from docgen.errors import RuleError
from docgen.rules.text import fold, nfc, upper_vi

# Academic titles, degrees and honorifics that may not precede the signer's name (Điều 13),
# as abbreviations (folded, without dots) and written out (folded).
# "Đ/c" (đồng chí) is caught as "dc"; the words "Đồng Chí" are left alone (Đồng is a surname).
_HONORIFIC_ABBREVIATIONS = frozenset(
    {"gs", "pgs", "ts", "tskh", "ths", "ks", "kts", "bs", "bsck", "ds", "cn", "ls"}
    | {"ngnd", "ngut", "nsnd", "nsut", "ttnd", "ttut", "ahld", "dc"}
)
_HONORIFIC_WORDS = (
    "giao su",
    "pho giao su",
    "tien si",
    "thac si",
    "ky su",
    "kien truc su",
    "bac si",
    "duoc si",
    "cu nhan",
    "luat su",
    "nha giao",
    "nghe si",
    "thay thuoc",
)
_AUTHORITY_PREFIX = re.compile(r"^(TM|KT|TL|TUQ|Q)\s*\.")
# Letters, spaces, hyphens and apostrophes (names such as "H'Hen Niê").
_NAME_CHARS = re.compile(r"^[^\W\d_]+(?:[ '’-][^\W\d_]+)*$")


@dataclass(frozen=True)
class SignerBlock:
    lines: tuple[str, ...]  # authority and title lines, upper case (bold when printed)
    name: str  # printed under the space for signature and seal


def _check_name(signer: Signer) -> str:
    name = " ".join(nfc(signer.name).split())
    if not name:
        raise RuleError(f"Người ký “{signer.code}” chưa có họ tên.", signer=signer.code)
    first = fold(name.split(" ")[0]).replace("/", "").split(".")[0]
    folded = fold(name)
    if first in _HONORIFIC_ABBREVIATIONS or any(
        folded.startswith(word + " ") for word in _HONORIFIC_WORDS
    ):
        raise RuleError(
            f"Không ghi học hàm, học vị, danh hiệu trước họ tên người ký: “{name}”.",
            signer=signer.code,
        )
    if not _NAME_CHARS.match(name):
        raise RuleError(
            f"Họ tên người ký “{name}” chỉ được gồm chữ cái (không có dấu chấm, chữ số).",
            signer=signer.code,
        )
    if name == name.upper() and any(len(word) > 1 for word in name.split()):
        raise RuleError(
            f"Họ tên người ký “{name}” viết in thường, chữ cái đầu mỗi tiếng viết hoa.",
            signer=signer.code,
        )
    return name


def _title(value: str | None, signer: Signer, what: str, *, required: bool) -> str:
    """Return ``value`` upper-cased with single spaces; RuleError if required and missing."""
    text = upper_vi(" ".join((value or "").split()))
    if not text:
        if required:
            raise RuleError(
                f"Người ký “{signer.code}” ký {_prefix(signer.authority) or 'trực tiếp'} "
                f"nhưng thiếu {what}.",
                signer=signer.code,
            )
        return ""
    if _AUTHORITY_PREFIX.match(text):
        # The prefix comes from the authority; typed into a title it would print twice.
        raise RuleError(
            f"Người ký “{signer.code}”: {what} “{text}” không ghi kèm TM./KT./TL./TUQ./Q.",
            signer=signer.code,
        )
    return text


def _prefix(authority: Authority) -> str:
    return "" if authority is Authority.IN_PERSON else f"{authority.value}."


def signer_block(signer: Signer) -> SignerBlock:
    """Return the lines of the signer block and the name printed under the signature.

    ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH") / "Mai Văn Huỳnh"; see the
    module tests for every form. Raises RuleError when a form lacks the title it needs.
    """
    name = _check_name(signer)
    authority = signer.authority
    prefix = _prefix(authority)
    if signer.deputy_for and authority is not Authority.TL:
        raise RuleError(
            f"Người ký “{signer.code}”: chỉ người ký thừa lệnh (TL.) mới giao cấp phó ký thay; "
            f"không áp dụng cho {prefix or 'ký trực tiếp'}.",
            signer=signer.code,
        )
    title = _title(signer.title, signer, "chức vụ", required=authority is not Authority.Q)
    if authority is Authority.IN_PERSON:
        return SignerBlock((title,), name)
    if authority is Authority.TM:
        collective = _title(signer.collective, signer, "tên tập thể lãnh đạo", required=True)
        head = _title(signer.head_title, signer, "chức vụ người đứng đầu", required=False)
        if head and head != title:
            # A deputy of the collective's head: TM. <collective> / KT. <head> / <title>.
            return SignerBlock((f"TM. {collective}", f"KT. {head}", title), name)
        return SignerBlock((f"TM. {collective}", title), name)
    head = _title(signer.head_title, signer, "chức vụ người đứng đầu", required=True)
    if authority is Authority.Q:
        lines = (f"Q. {head}",) if title in ("", head) else (f"Q. {head}", title)
        return SignerBlock(lines, name)
    if head == title:
        raise RuleError(
            f"Người ký “{signer.code}”: ký {prefix} thì chức vụ người ký phải khác "
            f"chức vụ người đứng đầu “{head}”.",
            signer=signer.code,
        )
    if authority is Authority.TL and signer.deputy_for:
        deputy_for = _title(signer.deputy_for, signer, "chức vụ người được ký thay", required=True)
        if deputy_for == title:
            raise RuleError(
                f"Người ký “{signer.code}”: cấp phó ký thay thì chức vụ phải khác “{deputy_for}”.",
                signer=signer.code,
            )
        return SignerBlock((f"TL. {head}", f"KT. {deputy_for}", title), name)
    return SignerBlock((f"{prefix} {head}", title), name)
