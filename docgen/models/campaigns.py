"""Campaigns and nominations (design D19): what the board asks for, what organisations send.

A ``Campaign`` belongs to its organiser (``organisation_id``: the board); its deadlines, quotas
and participants are child rows. Each addressed organisation collects its nominees in one
``NominationPackage`` (campaign × organisation), which it submits, may recall, and the board
accepts or returns. ``Nomination`` rows carry the trích ngang columns (commendation.md §2.3);
attachments point at content-addressed blobs, like the archive's files.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from docgen.models.base import Base


class DeadlinePurpose(StrEnum):
    NOMINATIONS = "nominations"  # organisations send their nominees by then
    SELECTION = "selection"  # the board submits its selection by then
    OTHER = "other"


class PackageState(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RECALLED = "recalled"
    ACCEPTED = "accepted"
    RETURNED = "returned"

    @property
    def label(self) -> str:
        return {
            PackageState.DRAFT: "Đang soạn",
            PackageState.SUBMITTED: "Đã gửi",
            PackageState.RECALLED: "Đã rút lại",
            PackageState.ACCEPTED: "Đã tiếp nhận",
            PackageState.RETURNED: "Bị trả lại",
        }[self]


class NominationState(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    RETURNED = "returned"
    SELECTED = "selected"


class Campaign(Base):
    """An emulation campaign of one year, organised by ``organisation_id`` (the board)."""

    __tablename__ = "campaign"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    year: Mapped[int] = mapped_column(index=True)
    title: Mapped[str] = mapped_column(String(300))
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisation.code"), index=True)
    plan_document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id"))
    plan_record: Mapped[str | None] = mapped_column(String(64))  # records/documents/<code>
    deadline_reading: Mapped[str] = mapped_column(String(16), default="before")
    refuse_late: Mapped[bool] = mapped_column(default=False)
    selection_min: Mapped[int] = mapped_column(default=0)
    selection_max: Mapped[int] = mapped_column(default=0)
    copied_from_id: Mapped[int | None] = mapped_column(ForeignKey("campaign.id"))
    created_at: Mapped[datetime] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column()


class CampaignDeadline(Base):
    __tablename__ = "campaign_deadline"
    __table_args__ = (UniqueConstraint("campaign_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    purpose: Mapped[str] = mapped_column(String(16), default=DeadlinePurpose.OTHER)
    day: Mapped[date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text, default="")


class CampaignQuota(Base):
    __tablename__ = "campaign_quota"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    kinds: Mapped[list[str]] = mapped_column(JSON, default=list)  # OrgKind values
    minimum: Mapped[int] = mapped_column()
    description: Mapped[str] = mapped_column(Text, default="")


class CampaignParticipant(Base):
    """An organisation the campaign asks to nominate."""

    __tablename__ = "campaign_participant"
    __table_args__ = (UniqueConstraint("campaign_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisation.code"), index=True)


class NominationPackage(Base):
    """One organisation's nominations to one campaign: submitted, recalled, accepted as a whole."""

    __tablename__ = "nomination_package"
    __table_args__ = (UniqueConstraint("campaign_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisation.code"), index=True)
    state: Mapped[str] = mapped_column(String(16), default=PackageState.DRAFT)
    submitted_at: Mapped[datetime | None] = mapped_column()
    submitted_by: Mapped[str | None] = mapped_column(String(100))
    late: Mapped[bool] = mapped_column(default=False)
    return_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column()


class Nomination(Base):
    """A nominee (tập thể or cá nhân) with its trích ngang columns."""

    __tablename__ = "nomination"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisation.code"), index=True)
    package_id: Mapped[int] = mapped_column(ForeignKey("nomination_package.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # collective | individual
    name: Mapped[str] = mapped_column(String(300))
    birth_year: Mapped[int | None] = mapped_column()
    gender: Mapped[str | None] = mapped_column(String(8))  # nam | nu
    position: Mapped[str] = mapped_column(String(500), default="")  # chức vụ, đơn vị / nơi ở
    field: Mapped[str] = mapped_column(String(200), default="")  # lĩnh vực
    classification: Mapped[str] = mapped_column(String(200), default="")  # phân loại đối tượng
    achievements: Mapped[str] = mapped_column(Text, default="")  # tóm tắt thành tích
    previous_awards: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(16), default=NominationState.DRAFT)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column()


class NominationAttachment(Base):
    """A DOCX or PDF (achievement report) attached to a nominee; the bytes are a blob."""

    __tablename__ = "nomination_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nomination.id"), index=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisation.code"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column()
    sha256: Mapped[str] = mapped_column(ForeignKey("blob.sha256"), index=True)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column()


class CampaignDocumentPurpose(StrEnum):
    """What a draft prepared for a campaign is for."""

    COVER = "cover"  # an organisation's cover công văn sending its package to the board
    REMINDER = "reminder"  # the board's đôn đốc to organisations short or missing
    SUBMISSION = "submission"  # the board's tờ trình with the selection
    COUNCIL = "council"  # the People's Committee's công văn to the central council
    REPORT = "report"  # the six-month or year report (bao-cao) on the campaign

    @property
    def label(self) -> str:
        return {
            CampaignDocumentPurpose.COVER: "Công văn gửi hồ sơ giới thiệu",
            CampaignDocumentPurpose.REMINDER: "Công văn đôn đốc",
            CampaignDocumentPurpose.SUBMISSION: "Tờ trình đề nghị",
            CampaignDocumentPurpose.COUNCIL: "Công văn giới thiệu về Trung ương",
            CampaignDocumentPurpose.REPORT: "Báo cáo",
        }[self]


class CampaignDocument(Base):
    """A draft docgen prepared from a campaign's data, and what it was prepared from.

    The draft goes through the drafting desk like any other; when it is issued, its document
    is ``Draft.document_id``. ``snapshot`` keeps the data the draft was made from (the nominee
    ids and versions of a cover letter, the organisations a reminder addresses, the figures of a
    report) so that a later change can be noticed before issuing.
    """

    __tablename__ = "campaign_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(16))
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisation.code"), index=True)
    package_id: Mapped[int | None] = mapped_column(ForeignKey("nomination_package.id"), index=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("draft.id"), unique=True)
    snapshot: Mapped[dict] = mapped_column(JSON, default=dict)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column()
