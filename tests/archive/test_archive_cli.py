"""The archive commands, run through Flask's CLI runner on the test database."""

from __future__ import annotations

from datetime import datetime

import docx
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from docgen.db import get_db
from docgen.migrations.support import include_object
from docgen.models import Base


def test_the_migration_creates_exactly_the_models(app):
    with get_db(app).engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": include_object})
        assert compare_metadata(context, Base.metadata) == []


def test_cli_issue_search_show_withdraw_supersede_verify(app, runner, clock, tmp_path):
    assert runner.invoke(args=["init-db"]).exit_code == 0
    loaded = runner.invoke(args=["load-records"])
    assert loaded.exit_code == 0, loaded.output
    assert "Đã nạp" in loaded.output and "sổ đăng ký" in loaded.output

    out = tmp_path / "ke-hoach.docx"
    issued = runner.invoke(args=["issue", "--record", "ke-hoach-2017", "--out", str(out)])
    assert issued.exit_code == 0, issued.output
    assert "Số: 01/KH-UBND" in issued.output
    printed = docx.Document(str(out))
    cells = [c.text for t in printed.tables for row in t.rows for c in row.cells]
    assert "Số: 01/KH-UBND" in "\n".join([p.text for p in printed.paragraphs] + cells)
    clock.set(datetime(2017, 3, 21, 9))
    second = runner.invoke(args=["issue", "--record", "ke-hoach-2017", "--date", "21/03/2017"])
    assert "Số: 02/KH-UBND" in second.output

    found = runner.invoke(args=["search", "DIEN", "HINH", "--year", "2017"])
    assert found.exit_code == 0 and found.output.startswith("2 văn bản")
    assert "02/KH-UBND" in found.output and "điển hình" in found.output.lower()
    by_number = runner.invoke(args=["search", "--number", "01/KH-UBND", "--json"])
    assert '"notation": "01/KH-UBND"' in by_number.output

    backdated = runner.invoke(args=["issue", "--record", "ke-hoach-2017", "--date", "2017-03-20"])
    assert backdated.exit_code == 1 and "lùi ngày" in backdated.output

    superseded = runner.invoke(args=["supersede", "1", "--by", "2", "--reason", "Sai số liệu"])
    assert superseded.exit_code == 0, superseded.output
    withdrawn = runner.invoke(args=["withdraw", "2", "--reason", "Ban hành nhầm"])
    assert withdrawn.exit_code == 0, withdrawn.output
    shown = runner.invoke(args=["show", "2"])
    assert "Tình trạng: đã thu hồi" in shown.output and "Ban hành nhầm" in shown.output
    assert "Mai Văn Huỳnh" in shown.output
    assert runner.invoke(args=["show", "99"]).exit_code == 1

    verified = runner.invoke(args=["verify"])
    assert verified.exit_code == 0 and "toàn vẹn" in verified.output


def test_every_write_is_audited_with_its_actor(app, runner):
    """The console acts as "cli"; ``--as`` acts as an account, with that account's roles."""
    from sqlalchemy import select

    from docgen.models import AuditEvent

    assert runner.invoke(args=["load-records"]).exit_code == 0
    added = runner.invoke(
        args=["users", "add", "văn.thư", "--name", "Nguyễn Thị A", "--org", "ubnd-tinh",
              "--role", "registrar"],
        input="mật khẩu đủ dài 2017\n",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    assert "Mật khẩu" not in added.output  # piped, so not generated
    as_clerk = ["--as", "văn.thư"]
    issued = runner.invoke(args=["issue", "--record", "ke-hoach-2017", *as_clerk])
    assert issued.exit_code == 0, issued.output
    wrong_org = runner.invoke(args=["issue", "--record", "to-trinh-2017", "--as", "khong.co"])
    assert wrong_org.exit_code != 0 and "khong.co" in wrong_org.output
    withdrawn = runner.invoke(args=["withdraw", "1", "--reason", "Nhầm", *as_clerk])
    assert withdrawn.exit_code == 0, withdrawn.output
    with get_db(app).session() as session:
        trail = session.execute(
            select(AuditEvent.action, AuditEvent.actor).order_by(AuditEvent.id)
        ).all()
    assert [tuple(t) for t in trail] == [
        ("load_records", "cli"),
        ("create_user", "cli"),
        ("issue", "văn.thư"),
        ("withdrawn", "văn.thư"),
    ]
