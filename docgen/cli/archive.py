"""Archive commands: ``init-db``, ``load-records``, ``issue``, ``search``, ``show``,
``withdraw``, ``supersede`` — thin wrappers over the services; each owns its transaction.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import Any

import click
import yaml
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.orm import Session

from docgen.errors import DocgenError
from docgen.policy import Actor, system_actor

DATE = click.DateTime(["%Y-%m-%d", "%d/%m/%Y"])


def cli_actor(username: str | None) -> Actor:
    """Return who a command acts as: the console operator, or the account ``--as`` names."""
    if not username:
        return system_actor("cli")
    from docgen.services.accounts import actor_for, user_by_username

    with _session() as session:
        user = user_by_username(session, username)
    if user is None or not user.active:
        raise click.UsageError(f"Không có tài khoản “{username}” đang hoạt động.")
    return actor_for(user)


def actor_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add ``--as USERNAME`` to a command and pass it the resolved ``actor: Actor``."""

    @click.option(
        "--as",
        "as_user",
        metavar="TÊN_ĐĂNG_NHẬP",
        default=None,
        help="Thực hiện với quyền của tài khoản này (mặc định: người vận hành máy chủ, “cli”).",
    )
    @with_appcontext
    @wraps(command)
    def wrapper(*args: Any, as_user: str | None, **kwargs: Any) -> Any:
        return command(*args, actor=cli_actor(as_user), **kwargs)

    return wrapper


def _friendly(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn docgen errors into a Vietnamese message and exit status 1."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except DocgenError as exc:
            raise click.ClickException(exc.message) from exc

    return wrapper


@contextmanager
def _session() -> Iterator[Session]:
    from docgen.db import get_db

    with get_db().session() as session:
        yield session


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Tạo hoặc nâng cấp cấu trúc cơ sở dữ liệu."""
    from docgen.database import upgrade
    from docgen.db import get_db

    engine = get_db().engine
    upgrade(engine)
    click.echo(f"Đã cập nhật cơ sở dữ liệu: {engine.url.render_as_string(hide_password=True)}")


@click.command("load-records")
@click.option("--dir", "folder", type=click.Path(file_okay=False, path_type=Path), default=None)
@actor_option
@with_appcontext
@_friendly
def load_records_command(folder: Path | None, actor: Actor) -> None:
    """Nạp dữ liệu tham chiếu (records/*.yaml) vào cơ sở dữ liệu."""
    from docgen.db import get_clock
    from docgen.records import load_records
    from docgen.services.lookup import load_records_into

    records = load_records(folder or Path(current_app.config["DOCGEN_RECORDS_DIR"]))
    with _session() as session:
        summary = load_records_into(session, records, actor=actor, now=get_clock().now())
        session.commit()
    click.echo(
        f"Đã nạp {summary.organisations} cơ quan, {summary.signers} người ký, "
        f"{summary.recipient_lists} danh sách nơi nhận, {summary.registers} sổ đăng ký, "
        f"{summary.campaigns} đợt thi đua."
    )


def _request_from(record: str | None, data_file: Path | None, options: dict[str, Any]) -> Any:
    from docgen.records import load_records
    from docgen.services.issuance import IssueRequest

    base: dict[str, Any] = {}
    if record:
        rec = load_records(
            Path(current_app.config["DOCGEN_RECORDS_DIR"]),
            templates=Path(current_app.config["DOCGEN_TEMPLATES_DIR"]),
        ).document(record)
        base = rec.request()
    if data_file:
        loaded = yaml.safe_load(data_file.read_text(encoding="utf-8"))
        if not isinstance(loaded, dict):
            raise click.UsageError(f"{data_file}: cần một bảng khóa - giá trị.")
        base.update({k: v for k, v in loaded.items() if k != "data"})
        if "data" in loaded:
            base["fields"] = loaded["data"]
    base.update({k: v for k, v in options.items() if v is not None})
    if not base.get("template") or not base.get("issuer"):
        raise click.UsageError("Cần --record, hoặc --template và --issuer (hoặc --data).")
    return IssueRequest(**base)


@click.command("issue")
@click.option("--record", help="Mã văn bản trong records/documents/ (vd. ke-hoach-2017).")
@click.option("--data", "data_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--template")
@click.option("--issuer")
@click.option("--signer")
@click.option("--recipients")
@click.option("--unit")
@click.option("--register", help="Mã sổ đăng ký (mặc định: sổ của loại văn bản).")
@click.option("--date", "issue_date", type=DATE, help="Ngày ban hành (mặc định: hôm nay).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Ghi tệp DOCX.")
@actor_option
@with_appcontext
@_friendly
def issue_command(record, data_file, out, actor, issue_date, **options) -> None:
    """Cấp số, ban hành và lưu trữ một văn bản."""
    from docgen.db import get_clock
    from docgen.jobs import submit
    from docgen.jobs.renditions import renditions_on_issue
    from docgen.runtime import get_renderer
    from docgen.services.archive import blob_bytes
    from docgen.services.campaign_plans import link_plan
    from docgen.services.issuance import issue_document

    if issue_date is not None:
        options["issue_date"] = issue_date.date()
    request = _request_from(record, data_file, options)
    with _session() as session:
        document = issue_document(
            session, request, actor=actor, clock=get_clock(), renderer=get_renderer()
        )
        if record:
            link_plan(session, record, document)  # a campaign implementing it cites it
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        job = renditions_on_issue(app, session, document, actor=actor, now=get_clock().now())
        session.commit()
        if job is not None:  # made by `docgen worker`; a queue that is down only delays it
            submit(app, [job.id])
        if out:
            out.write_bytes(blob_bytes(session, document.blob_sha256))
    click.echo(f"Đã ban hành {document.number_line} — {document.date_line}")
    click.echo(f"Mã số lưu trữ: {document.id}   SHA-256: {document.blob_sha256}")
    if out:
        click.echo(f"Đã ghi {out}")


@click.command("search")
@click.argument("words", nargs=-1)
@click.option("--number", help="Số, ký hiệu: 05/KH-UBND, 05 hoặc KH-UBND.")
@click.option("--type", "doctype")
@click.option("--issuer", help="Mã hoặc tên cơ quan ban hành.")
@click.option("--unit", help="Đơn vị soạn thảo (viết tắt), vd. VHXH.")
@click.option("--signer", help="Mã hoặc tên người ký.")
@click.option("--recipient", help="Tên nơi nhận.")
@click.option("--year", type=int)
@click.option("--from", "date_from", type=DATE)
@click.option("--to", "date_to", type=DATE)
@click.option("--status", type=click.Choice(["in_force", "corrected", "superseded", "withdrawn"]))
@click.option(
    "--order",
    type=click.Choice(["newest", "oldest", "relevance"]),
    default="newest",
    show_default=True,
    help="Mới nhất, cũ nhất hoặc phù hợp nhất trước.",
)
@click.option("--page", type=int, default=1, show_default=True)
@click.option("--per-page", type=int, default=20, show_default=True)
@click.option("--after", type=int, help="Trang tiếp theo: mã số văn bản cuối của trang trước.")
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@actor_option
@with_appcontext
@_friendly
def search_command(words, date_from, date_to, status, order, as_json, actor, **filters) -> None:
    """Tìm văn bản đã ban hành (có dấu hoặc không dấu)."""
    from docgen.models import DocumentStatus
    from docgen.services.search import Order, SearchQuery, search

    query = SearchQuery(
        q=" ".join(words) or None,
        date_from=date_from.date() if date_from else None,
        date_to=date_to.date() if date_to else None,
        status=DocumentStatus(status) if status else None,
        order=Order(order),
        **filters,
    )
    with _session() as session:
        page = search(session, query, actor=actor)
    if as_json:
        click.echo(json.dumps(_page_dict(page), ensure_ascii=False, indent=2))
        return
    more = "" if page.exact else "hơn "
    click.echo(f"{more}{page.total} văn bản (trang {page.page}/{page.pages})")
    for hit in page.items:
        d = hit.document
        click.echo(
            f"[{d.id}] {d.notation} ngày {d.issued_date:%d/%m/%Y} · {d.type_name} · "
            f"{d.organ_name} · {hit.status.label}"
        )
        click.echo(f"    {d.subject}")
        if hit.snippet:
            click.echo(f"    …{_marked(hit.snippet.text, hit.snippet.highlights)}…")
    if page.next_after is not None:
        click.echo(f"Trang sau: --after {page.next_after}")


def _marked(text: str, spans: tuple[tuple[int, int], ...]) -> str:
    out, pos = [], 0
    for start, end in spans:
        out += [text[pos:start], click.style(text[start:end], bold=True)]
        pos = end
    return "".join([*out, text[pos:]]).replace("\n", " ")


def _page_dict(page: Any) -> dict[str, Any]:
    return {
        "total": page.total,
        "total_exact": page.exact,
        "next_after": page.next_after,
        "page": page.page,
        "items": [
            {
                "id": h.document.id,
                "notation": h.document.notation,
                "issued_date": h.document.issued_date.isoformat(),
                "subject": h.document.subject,
                "status": str(h.status),
                "snippet": h.snippet.text if h.snippet else None,
            }
            for h in page.items
        ],
    }


@click.command("show")
@click.argument("document_id", type=int)
@click.option("--docx", "docx_out", type=click.Path(dir_okay=False, path_type=Path))
@actor_option
@with_appcontext
@_friendly
def show_command(document_id: int, docx_out: Path | None, actor: Actor) -> None:
    """In dữ liệu đặc tả, tình trạng và lịch sử của một văn bản."""
    from docgen.services.archive import blob_bytes, describe_document

    with _session() as session:
        view = describe_document(session, document_id, actor)
        d = view.document
        click.echo(f"{d.number_line}   {d.date_line}")
        click.echo(f"{d.title or d.type_name}: {d.subject}")
        rows = [
            ("Tình trạng", view.status.label),
            ("Sổ đăng ký", view.register_code),
            ("Cơ quan ban hành (OrganName)", d.organ_name),
            ("Người ký (SignerInfo)", f"{d.signer_position or ''} {d.signer_name or ''}".strip()),
            ("Ngày ban hành (IssuedDate)", d.issued_date.isoformat()),
            ("Số lượng bản (IssuedAmount)", d.issued_amount),
            ("Nơi nhận (To)", "; ".join(r.organ_name for r in d.recipients)),
            ("SHA-256", d.blob_sha256),
            ("Ban hành lúc / bởi", f"{d.issued_at.isoformat()} / {d.actor}"),
        ]
        for label, value in rows:
            click.echo(f"  {label}: {value}")
        for event in view.events:
            click.echo(
                f"  · {event.at:%d/%m/%Y %H:%M} {event.kind} bởi {event.actor}: {event.reason}"
            )
        if docx_out:
            docx_out.write_bytes(blob_bytes(session, d.blob_sha256))
            click.echo(f"Đã ghi {docx_out}")


@click.command("withdraw")
@click.argument("document_id", type=int)
@click.option("--reason", required=True, help="Lý do thu hồi.")
@actor_option
@with_appcontext
@_friendly
def withdraw_command(document_id: int, reason: str, actor: Actor) -> None:
    """Thu hồi một văn bản (văn bản vẫn được lưu, đánh dấu đã thu hồi)."""
    from docgen.db import get_clock
    from docgen.services.status import withdraw_document

    with _session() as session:
        event = withdraw_document(
            session, document_id, reason=reason, actor=actor, clock=get_clock()
        )
        session.commit()
    click.echo(f"Đã thu hồi văn bản {document_id} ({event.at:%d/%m/%Y %H:%M}).")


@click.command("supersede")
@click.argument("document_id", type=int)
@click.option("--by", "by", type=int, required=True, help="Mã số văn bản thay thế / đính chính.")
@click.option("--reason", required=True)
@click.option("--correction", is_flag=True, help="Đính chính bằng công văn, không thay thế.")
@actor_option
@with_appcontext
@_friendly
def supersede_command(
    document_id: int, by: int, reason: str, correction: bool, actor: Actor
) -> None:
    """Ghi nhận văn bản BY thay thế (hoặc đính chính) văn bản DOCUMENT_ID."""
    from docgen.db import get_clock
    from docgen.services.status import supersede_document

    with _session() as session:
        supersede_document(
            session,
            document_id,
            by=by,
            reason=reason,
            actor=actor,
            clock=get_clock(),
            correction=correction,
        )
        session.commit()
    what = "đính chính" if correction else "thay thế"
    click.echo(f"Đã ghi: văn bản {by} {what} văn bản {document_id}.")


COMMANDS = [
    init_db_command,
    load_records_command,
    issue_command,
    search_command,
    show_command,
    withdraw_command,
    supersede_command,
]
