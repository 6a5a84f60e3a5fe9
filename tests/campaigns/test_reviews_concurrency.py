"""Two people acting on one package at once are ordered by the package's row lock.

Session 1 changes the package and holds its transaction open; session 2, in a thread, tries
the conflicting act and must wait; when session 1 commits, session 2 sees the new state and
is refused. Without the lock, PostgreSQL let both through (a returned package with a selected
nominee; an accepted package recalled by its organisation).
"""

from __future__ import annotations

import threading

import pytest

from docgen.db import get_db
from docgen.errors import Conflict
from docgen.models import Nomination, NominationPackage
from docgen.models.campaigns import NominationState, PackageState
from docgen.services import nominations as noms
from docgen.services import reviews
from tests.campaigns.review_fixtures import NOW, clerks, nominate, small_campaign


def _race(app, first, second) -> list[BaseException | None]:
    """Run ``first`` in one session, uncommitted; run ``second`` in another session in a thread;
    commit the first, then let the second finish. Return what the second raised (or None)."""
    outcome: list[BaseException | None] = []
    db = get_db(app)
    with db.session() as one:
        first(one)
        one.flush()

        def run() -> None:
            with db.session() as two:
                try:
                    second(two)
                    two.commit()
                    outcome.append(None)
                except BaseException as error:  # reported to the test
                    two.rollback()
                    outcome.append(error)

        thread = threading.Thread(target=run)
        thread.start()
        thread.join(timeout=1.0)  # it waits for the first transaction's lock
        one.commit()
    thread.join(timeout=60)
    assert not thread.is_alive()
    return outcome


@pytest.fixture
def accepted(app, loaded, session):
    campaign = small_campaign(app)
    who = clerks(app)
    ids = nominate(session, campaign.id, who["snv"], 2, submit=True)
    return campaign, who, session.get(Nomination, ids[0])


def test_a_nominee_cannot_be_selected_while_its_package_is_returned(app, session, accepted):
    campaign, who, nominee = accepted
    reviews.accept_package(session, campaign.id, "snv", actor=who["board"], now=NOW)
    session.commit()

    (error,) = _race(
        app,
        lambda s: reviews.return_package(
            s, campaign.id, "snv", "Thiếu số liệu", actor=who["board"], now=NOW
        ),
        lambda s: reviews.select_nomination(s, nominee.id, actor=who["board"], now=NOW),
    )
    assert isinstance(error, Conflict), error
    session.rollback()  # a fresh snapshot (SQLite keeps a read transaction's view)
    session.expire_all()
    assert session.get(NominationPackage, nominee.package_id).state == PackageState.RETURNED
    assert session.get(Nomination, nominee.id).state == NominationState.RETURNED


def test_a_package_cannot_be_recalled_while_the_board_accepts_it(app, session, accepted):
    campaign, who, nominee = accepted

    (error,) = _race(
        app,
        lambda s: reviews.accept_package(s, campaign.id, "snv", actor=who["board"], now=NOW),
        lambda s: noms.recall_package(s, campaign.id, actor=who["snv"], now=NOW),
    )
    assert isinstance(error, Conflict) and "chưa được tiếp nhận" in str(error)
    session.rollback()  # a fresh snapshot (SQLite keeps a read transaction's view)
    session.expire_all()
    assert session.get(NominationPackage, nominee.package_id).state == PackageState.ACCEPTED
