"""Sample accounts: `docgen load-samples` makes one per role, marked sample, as the README says."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from docgen.cli.samples import SAMPLE_ACCOUNTS
from docgen.db import get_db
from docgen.models import User
from docgen.policy import Role
from tests.web.pages import sign_in

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_accounts() -> list[tuple[str, str, str, str]]:
    """Return (username, role, organisation, password) of the README's sample-accounts table."""
    text = README.read_text(encoding="utf-8")
    table = text.split("<!-- sample-accounts:", 1)[1].split("<!-- /sample-accounts -->", 1)[0]
    rows = re.findall(r"^\| `([^`]+)` \| `([^`]+)`[^|]*\| `([^`]+)` \| `([^`]+)` \|$", table, re.M)
    return rows


def test_the_readme_lists_exactly_the_sample_accounts():
    expected = [(s.username, str(s.role), s.organisation, s.password) for s in SAMPLE_ACCOUNTS]
    assert readme_accounts() == expected
    assert {s.role for s in SAMPLE_ACCOUNTS} == set(Role)  # every role has one


def test_load_samples_creates_them_once_and_they_sign_in(app, runner, loaded, clock):
    clock.set(datetime(2017, 12, 31, 9))  # after the sample documents' dates
    first = runner.invoke(args=["load-samples", "--no-pdf"])
    assert first.exit_code == 0, first.output
    assert f"Đã tạo {len(SAMPLE_ACCOUNTS)} tài khoản mẫu" in first.output
    second = runner.invoke(args=["load-samples", "--no-pdf"])
    assert second.exit_code == 0 and "tài khoản mẫu" not in second.output
    with get_db(app).session() as session:
        users = {u.username: u for u in session.scalars(select(User))}
    assert set(users) == {s.username for s in SAMPLE_ACCOUNTS}
    for sample in SAMPLE_ACCOUNTS:
        user = users[sample.username]
        assert user.sample and user.active and user.roles == [str(role) for role in sample.roles]
        assert user.organisation == sample.organisation and user.signer == sample.signer
    for username, _role, _org, password in readme_accounts():
        assert sign_in(app.test_client(), username, password).status_code == 302, username


def test_no_sample_account_is_made_beside_real_accounts(app, runner, loaded, clock):
    from tests.helpers import make_user

    make_user(app, "quan.tri.that", roles=("admin",))  # a real installation's first admin
    clock.set(datetime(2017, 12, 31, 9))
    result = runner.invoke(args=["load-samples", "--no-pdf"])
    assert result.exit_code == 0, result.output
    assert "Đã có tài khoản thật: không tạo tài khoản mẫu." in result.output
    with get_db(app).session() as session:
        assert [u.username for u in session.scalars(select(User))] == ["quan.tri.that"]
