"""Domain value types: organisations, signers, registers, recipient lists, campaigns, records.

These frozen dataclasses and enums are what the rules, the records loader, the renderer and
the services pass around. They import nothing but the standard library: the rules use them
without loading YAML, SQLAlchemy or Flask. Values come from ``records/*.yaml`` (see
``docgen.records.loader``) or from database rows (``docgen.services.lookup``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any, Protocol


class OrgKind(StrEnum):
    PROVINCE_COMMITTEE = "province_committee"  # Ủy ban nhân dân tỉnh
    COUNCIL = "council"  # Hội đồng nhân dân, Hội đồng TĐKT (advisory bodies too)
    DEPARTMENT = "department"  # sở, ban, ngành cấp tỉnh
    BOARD = "board"  # ban thuộc sở (Ban Thi đua - Khen thưởng)
    DISTRICT = "district"  # UBND huyện, thị xã, thành phố
    ENTERPRISE = "enterprise"
    COOPERATIVE = "cooperative"
    MEDIA = "media"
    MASS_ORG = "mass_org"  # đoàn thể
    PARTY = "party"  # cơ quan Đảng
    ARMED_FORCES = "armed_forces"
    CENTRAL_BODY = "central_body"


@dataclass(frozen=True)
class Unit:
    """A drafting unit inside an organisation (công văn symbols, the "Lưu:" line)."""

    code: str  # abbreviation as printed: "VHXH", "TH", "VP"
    name: str  # "Phòng Văn hóa - Xã hội"


@dataclass(frozen=True)
class Contact:
    """Where an organisation is reached: printed on its envelopes (Mẫu bì văn bản, PL IV)."""

    address: str | None = None  # "Địa chỉ:"
    phone: str | None = None  # "ĐT:"
    fax: str | None = None
    email: str | None = None
    website: str | None = None
    sample: bool = False  # True where a value is placeholder data, not a recorded fact
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Organisation:
    code: str  # stable slug: "ubnd-tinh", "snv", "btdkt", "ubnd-rach-gia"
    name: str  # full official name: "Ủy ban nhân dân tỉnh Kiên Giang"
    kind: OrgKind
    parent: str | None = None  # code of the parent organisation
    header_parent_lines: tuple[str, ...] = ()  # chủ quản, upper case, not bold
    header_lines: tuple[str, ...] = ()  # issuing body, upper case, bold
    symbol: str | None = None  # abbreviation in ký hiệu: "UBND", "SNV"
    place: str | None = None  # date-line place: "Kiên Giang"
    identifier: str | None = None  # 13-character electronic identifier (mã định danh)
    units: tuple[Unit, ...] = ()
    recipient_name: str | None = None  # how Nơi nhận names it: "TT. Tỉnh ủy"
    sample: bool = False  # True where a value is placeholder data, not a recorded fact
    sources: tuple[str, ...] = ()
    contact: Contact | None = None  # address, ĐT, Fax, E-mail, Website (envelopes)

    @property
    def can_issue(self) -> bool:
        """Return whether the organisation has what a document header needs."""
        return bool(self.symbol and self.place and self.header_lines)

    def unit(self, code: str) -> Unit | None:
        """Return the drafting unit with this code, if the organisation has it."""
        return next((u for u in self.units if u.code == code), None)


class Authority(StrEnum):
    """Signing authority (Decree 30, Art. 13): written before the title in the signer block."""

    IN_PERSON = "in_person"  # the head signs in person: no prefix
    TM = "TM"  # thay mặt (on behalf of a collective)
    KT = "KT"  # ký thay (a deputy for the head)
    TL = "TL"  # thừa lệnh
    TUQ = "TUQ"  # thừa ủy quyền
    Q = "Q"  # quyền (acting head)


@dataclass(frozen=True)
class Signer:
    code: str
    name: str  # "Mai Văn Huỳnh" — no academic titles
    organisation: str  # organisation code
    title: str  # the signer's own position, upper case: "PHÓ CHỦ TỊCH"
    authority: Authority = Authority.IN_PERSON
    head_title: str | None = None  # the head's title for KT./TL./TUQ./Q.: "CHỦ TỊCH"
    collective: str | None = None  # for TM.: "ỦY BAN NHÂN DÂN"
    deputy_for: str | None = None  # TL. signed by a deputy: title of the one he signs for
    sample: bool = False


class RegisterKind(StrEnum):
    GENERAL = "general"  # all administrative documents of the issuer
    TYPES = "types"  # a separate register for chosen document types
    COPIES = "copies"  # bản sao: one sequence for SY, TrS, SL
    SECRET = "secret"  # văn bản mật
    ADVISORY = "advisory"  # an advisory body (Hội đồng, Ban) using the agency's seal


class RenditionKind(StrEnum):
    """What an issued DOCX is converted to for reading and for the archive."""

    PDF = "pdf"
    PDFA = "pdfa"  # PDF/A-2b, for long-term archiving


@dataclass(frozen=True)
class RegisterSpec:
    code: str
    organisation: str
    name: str
    kind: RegisterKind = RegisterKind.GENERAL
    doctypes: tuple[str, ...] = ()  # doctype codes; empty = every type the kind allows


@dataclass(frozen=True)
class RecipientEntry:
    name: str  # "Ban TĐKT, Sở Nội vụ"
    copies: int | None = None  # printed "(5b)"
    organisation: str | None = None  # organisation code when it is one recorded body


@dataclass(frozen=True)
class RecipientList:
    code: str
    name: str
    kinh_gui: tuple[str, ...] = ()
    noi_nhan: tuple[RecipientEntry, ...] = ()
    archive: tuple[str, ...] = ()  # after "Lưu: VT," e.g. ("VHXH",) or ("vttkieu",)
    archive_copies: int | None = None


@dataclass(frozen=True)
class Deadline:
    code: str
    date: date
    description: str


@dataclass(frozen=True)
class Quota:
    kinds: tuple[OrgKind, ...]  # who it applies to
    minimum: int
    description: str


@dataclass(frozen=True)
class Campaign:
    code: str
    name: str
    year: int
    organiser: str  # organisation code (the board)
    plan: str | None  # document record code of the plan that launched it
    deadlines: tuple[Deadline, ...] = ()
    quotas: tuple[Quota, ...] = ()
    selection_min: int = 0
    selection_max: int = 0
    participants: tuple[str, ...] = ()  # organisation codes asked to nominate


@dataclass(frozen=True)
class DocumentRecord:
    """Recorded data to render one document: a template plus its field values."""

    code: str
    template: str
    issuer: str
    signer: str | None
    recipients: str | None
    fields: Mapping[str, Any] = field(default_factory=dict)
    unit: str | None = None
    number: int | None = None  # known historical number, if any
    issue_date: date | None = None  # known historical date, if any
    year: int | None = None  # the year a draft's date line prints when issue_date is unknown
    note: str | None = None

    def request(self) -> dict[str, Any]:
        """Return what rendering or issuing this record asks for.

        The keys are the keyword arguments of ``DocumentRenderer.prepare`` and of
        ``IssueRequest``: template, issuer, signer, recipients, unit, fields.
        """
        return {
            "template": self.template,
            "issuer": self.issuer,
            "signer": self.signer,
            "recipients": self.recipients,
            "unit": self.unit,
            "fields": dict(self.fields),
        }


class RecordLookup(Protocol):
    """What rendering needs to resolve codes; YAML records and the database both provide it."""

    def organisation(self, code: str) -> Organisation: ...

    def signer(self, code: str) -> Signer: ...

    def recipient_list(self, code: str) -> RecipientList: ...
