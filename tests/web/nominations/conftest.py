"""Fixtures of the nominations desk's tests.

The recorded UBND huyện Kiên Lương has no units (records/organisations.yaml), and a công văn's
symbol needs one ("UBND-VP"): the tests give it the Văn phòng HĐND và UBND huyện, as a real
district has, so its cover letters can be issued.
"""

from __future__ import annotations

import pytest

from docgen.db import get_db
from docgen.models import OrganisationRow
from tests.web.nominations.nomination_pages import ORG

UNIT = {"code": "VP", "name": "Văn phòng HĐND và UBND huyện"}


@pytest.fixture(autouse=True)
def district_unit(app, loaded) -> None:
    with get_db(app).session() as session:
        row = session.get(OrganisationRow, ORG)
        if not row.units:
            row.units = [UNIT]
            session.commit()
