"""Fixtures of the page tests: the accounts that sign in.

``people`` holds the README's sample accounts (one per role, from ``docgen load-samples``)
plus an admin of another organisation and a disabled drafter.
"""

from __future__ import annotations

import pytest
from flask import Flask

from docgen.cli.samples import SAMPLE_ACCOUNTS, add_sample_accounts
from docgen.db import get_db
from docgen.policy import system_actor
from docgen.services import accounts
from tests.conftest import TEST_NOW
from tests.helpers import make_user

OTHER_ADMIN = ("quantri-snv", "docgen-quantri-snv")  # admin of the Sở Nội vụ
DISABLED = ("nghiviec", "docgen-nghiviec")  # a drafter of the UBND tỉnh, disabled


@pytest.fixture
def people(app: Flask, loaded) -> dict[str, str]:
    """Return username → password of every account the tests sign in with."""
    with get_db(app).session() as session:
        add_sample_accounts(session, now=TEST_NOW)
        session.commit()
    make_user(app, OTHER_ADMIN[0], organisation="snv", roles=("admin",), password=OTHER_ADMIN[1])
    disabled = make_user(app, DISABLED[0], roles=("drafter",), password=DISABLED[1])
    with get_db(app).session() as session:
        user = accounts.get_user(session, disabled.id)
        accounts.set_active(session, user, False, actor=system_actor("kiểm thử"), now=TEST_NOW)
        session.commit()
    return {
        **{sample.username: sample.password for sample in SAMPLE_ACCOUNTS},
        **dict([OTHER_ADMIN, DISABLED]),
    }
