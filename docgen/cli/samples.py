"""``docgen load-samples``: sample accounts, one per role, and the sample documents (demo)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from docgen.cli.archive import _friendly, _request_from, _session
from docgen.policy import Role, system_actor

# The demo archive: the recorded documents that take a number, on dates that follow the
# 2017 campaign (plan in March, request for nominations, submission before 25 April,
# half-year report). The real plan's date was lost with its header: these are samples.
SAMPLE_ISSUES = (
    ("ke-hoach-2017", date(2017, 3, 20)),
    ("cong-van-de-nghi-2017", date(2017, 3, 27)),
    ("to-trinh-2017", date(2017, 4, 24)),
    ("bao-cao-6-thang-2017", date(2017, 6, 30)),
)


@dataclass(frozen=True)
class SampleAccount:
    """A demo account: fixed password, listed in the README, marked ``sample`` in the database."""

    username: str
    name: str
    organisation: str
    role: Role
    password: str
    signer: str | None = None
    extra_roles: tuple[Role, ...] = ()

    @property
    def roles(self) -> tuple[Role, ...]:
        return (self.role, *self.extra_roles)


# One account per role on the organisations of the sample documents (the UBND tỉnh issues
# them), then the people a campaign needs (issue 10): the board's officer, who also drafts
# its công văn and tờ trình, with its head and registrar; a district's clerk (who drafts and
# registers) and its chairman, to nominate. The names are invented; a signer account prints
# as its sample signer record (records/signers.yaml).
# The README's "Sample accounts" table lists exactly these (a test compares them).
SAMPLE_ACCOUNTS = (
    SampleAccount("chuyenvien", "Trần Thị Mẫu", "ubnd-tinh", Role.DRAFTER, "docgen-chuyenvien"),
    SampleAccount(
        "lanhdao",
        "Hoàng Văn E",
        "ubnd-tinh",
        Role.SIGNER,
        "docgen-lanhdao",
        signer="cvp-ubnd-tinh-tuq-mau",
    ),
    SampleAccount("vanthu", "Lê Văn Mẫu", "ubnd-tinh", Role.REGISTRAR, "docgen-vanthu"),
    SampleAccount(
        "thiduakt",
        "Phan Thị Mẫu",
        "btdkt",
        Role.BOARD,
        "docgen-thiduakt",
        extra_roles=(Role.DRAFTER,),
    ),
    SampleAccount("luutru", "Võ Văn Mẫu", "ubnd-tinh", Role.ARCHIVIST, "docgen-luutru"),
    SampleAccount("quantri", "Đặng Thị Mẫu", "ubnd-tinh", Role.ADMIN, "docgen-quantri"),
    SampleAccount(
        "truongban",
        "Lê Thị C",
        "btdkt",
        Role.SIGNER,
        "docgen-truongban",
        signer="truong-ban-tdkt-mau",
    ),
    SampleAccount("vanthu-btdkt", "Ngô Văn Mẫu", "btdkt", Role.REGISTRAR, "docgen-vanthu-btdkt"),
    SampleAccount(
        "canbo-kienluong",
        "Lý Thị Mẫu",
        "ubnd-kien-luong",
        Role.DRAFTER,
        "docgen-canbo-kienluong",
        extra_roles=(Role.REGISTRAR,),
    ),
    SampleAccount(
        "chutich-kienluong",
        "Phạm Văn D",
        "ubnd-kien-luong",
        Role.SIGNER,
        "docgen-chutich-kienluong",
        signer="ct-ubnd-kien-luong-mau",
    ),
)


def add_sample_accounts(session: Session, *, now: datetime) -> list[str]:
    """Return the usernames created: every sample account that does not exist yet.

    An existing username is left alone (its password may have been changed on purpose).
    The caller commits.
    """
    from docgen.services.accounts import create_user, user_by_username

    actor = system_actor("mẫu")
    created = []
    for sample in SAMPLE_ACCOUNTS:
        if user_by_username(session, sample.username) is not None:
            continue
        create_user(
            session,
            username=sample.username,
            name=sample.name,
            organisation=sample.organisation,
            roles=list(sample.roles),
            password=sample.password,
            signer=sample.signer,
            sample=True,
            actor=actor,
            now=now,
        )
        created.append(sample.username)
    return created


@click.command("load-samples")
@click.option("--pdf/--no-pdf", default=True, help="Tạo cả bản PDF, PDF/A (LibreOffice).")
@with_appcontext
@_friendly
def load_samples_command(pdf: bool) -> None:
    """Tạo tài khoản mẫu và ban hành các văn bản mẫu vào kho lưu trữ còn trống (để dùng thử)."""
    from dataclasses import replace

    from docgen.db import get_clock
    from docgen.models import Document, User
    from docgen.runtime import get_renderer
    from docgen.services.campaign_plans import link_plan
    from docgen.services.issuance import issue_document

    actor = system_actor("mẫu")
    with _session() as session:
        real_users = session.scalar(select(func.count()).select_from(User).where(~User.sample))
        if real_users:  # a real installation: no account with a password printed in the README
            click.echo("Đã có tài khoản thật: không tạo tài khoản mẫu.")
            created = []
        else:
            created = add_sample_accounts(session, now=get_clock().now())
            session.commit()
        if created:
            click.echo(
                f"Đã tạo {len(created)} tài khoản mẫu ({', '.join(created)}); "
                "mật khẩu ghi trong README."
            )
        if session.scalar(select(func.count()).select_from(Document)):
            click.echo("Kho lưu trữ đã có văn bản: không nạp văn bản mẫu.")
            return
        issued = []
        for code, day in SAMPLE_ISSUES:
            request = replace(
                _request_from(code, None, {}),
                issue_date=day,
                description="Dữ liệu mẫu (docgen load-samples)",
            )
            document = issue_document(
                session, request, actor=actor, clock=get_clock(), renderer=get_renderer()
            )
            link_plan(session, code, document)  # the 2017 campaign cites its issued plan
            session.commit()
            issued.append(document.id)
            click.echo(f"Đã ban hành mẫu {document.number_line} — {document.date_line}")
    if pdf:
        from docgen.jobs.renditions import make_renditions_now
        from docgen.models import JobState

        app = current_app._get_current_object()  # type: ignore[attr-defined]
        finished = make_renditions_now(app, issued, actor=actor)
        failed = [job for job in finished if job.state != JobState.DONE]
        click.echo(f"Đã tạo bản PDF, PDF/A cho {len(issued) - len(failed)} văn bản mẫu.")
        for job in failed:
            click.echo(f"Chưa tạo được bản PDF (công việc số {job.id}): {job.error or job.message}")


COMMANDS = [load_samples_command]
