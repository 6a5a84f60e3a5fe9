"""Helpers shared by test modules (fixtures live in the conftest files)."""

from __future__ import annotations

from typing import Any

from docgen.services.chain import plain


def api_body(records: Any, code: str = "ke-hoach-2017", **extra: Any) -> dict[str, Any]:
    """Return the JSON body that asks the API to draft or issue a recorded document."""
    request = records.document(code).request()
    body = {k: v for k, v in request.items() if k != "fields" and v is not None}
    return {**body, "data": plain(request["fields"]), **extra}


TEST_PASSWORD = "mật khẩu thử nghiệm 2017"  # Vietnamese letters: UTF-8 bytes beyond ASCII


def make_user(
    app: Any,
    username: str,
    *,
    organisation: str = "ubnd-tinh",
    roles: tuple[str, ...] = ("registrar",),
    signer: str | None = None,
    password: str = TEST_PASSWORD,
) -> Any:
    """Return a new, committed user (created by the console operator)."""
    from docgen.db import get_db
    from docgen.policy import system_actor
    from docgen.services.accounts import create_user

    with get_db(app).session() as session:
        user, _ = create_user(
            session, username=username, name=f"Người dùng {username}", organisation=organisation,
            roles=list(roles), password=password, signer=signer, actor=system_actor("kiểm thử"),
            now=app.extensions["docgen.clock"].now(),
        )  # fmt: skip
        session.commit()
        return user


def make_token(app: Any, user: Any) -> str:
    """Return a new raw API token of ``user``."""
    from docgen.db import get_db
    from docgen.policy import system_actor
    from docgen.services.accounts import create_token, get_user

    with get_db(app).session() as session:
        _, raw = create_token(
            session, get_user(session, user.id), name="kiểm thử", actor=system_actor("kiểm thử"),
            now=app.extensions["docgen.clock"].now(),
        )  # fmt: skip
        session.commit()
        return raw


def bearer(token: str) -> dict[str, str]:
    """Return the headers that authenticate an API request with ``token``."""
    return {"Authorization": f"Bearer {token}"}


def api_client(app: Any, user: Any) -> Any:
    """Return a test client whose every request carries a fresh token of ``user``."""
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {make_token(app, user)}"
    return client


def issue_record(app: Any, records: Any, clock: Any, code: str = "ke-hoach-2017", **extra: Any):
    """Return a recorded document issued by the console in its own committed transaction."""
    from docgen.db import get_db
    from docgen.policy import system_actor
    from docgen.runtime import get_renderer
    from docgen.services.issuance import IssueRequest, issue_document

    with get_db(app).session() as session:
        document = issue_document(
            session, IssueRequest(**{**records.document(code).request(), **extra}),
            actor=system_actor("văn thư"), clock=clock, renderer=get_renderer(app),
        )  # fmt: skip
        session.commit()
        return document


def terminal_signals() -> None:
    """``preexec_fn`` for a child that must see signals as a terminal gives them: nothing
    blocked, SIGINT at its default. The test runner's own state (a signal mask or disposition
    left by a library in this process) must not decide whether Ctrl-C reaches the child."""
    import signal

    signal.pthread_sigmask(signal.SIG_SETMASK, set())
    signal.signal(signal.SIGINT, signal.SIG_DFL)
