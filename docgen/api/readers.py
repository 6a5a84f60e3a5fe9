"""API views of the named readers of a secret document: list, name, revoke.

``GET`` and ``POST /api/v1/documents/{id}/readers`` (body ``{"username": …}``) and
``DELETE /api/v1/documents/{id}/readers/{username}``. The issuer's registrar or admin only;
the service decides (another organisation's document is a 404, an ordinary one a 409).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Response, jsonify, request, url_for

from docgen.api import bp, parse
from docgen.db import get_clock, get_session
from docgen.errors import FieldError
from docgen.identity import current_actor
from docgen.services import readers
from docgen.services.readers import ReaderGrant

MAX_USERNAME = 64  # what ``user_account.username`` holds


def grant_json(grant: ReaderGrant) -> dict[str, Any]:
    """Return the JSON form of one grant (active or revoked)."""
    return {
        "id": grant.id,
        "document_id": grant.document_id,
        "username": grant.username,
        "name": grant.name,
        "active": grant.active,
        "granted_by": grant.granted_by,
        "granted_at": grant.granted_at.isoformat(),
        "revoked_by": grant.revoked_by,
        "revoked_at": grant.revoked_at.isoformat() if grant.revoked_at else None,
    }


def reader_username(body: Mapping[str, Any]) -> str:
    """Return the ``username`` of a body naming a reader, or raise ``FieldError`` (422)."""
    errors: dict[str, str] = {}
    for key in sorted(set(body) - {"username"}):
        errors[key] = "trường không được hỗ trợ"
    username = body.get("username")
    if not isinstance(username, str) or not username.strip():
        errors["username"] = "bắt buộc, là tên đăng nhập (chuỗi ký tự)"
    elif len(username) > MAX_USERNAME:
        errors["username"] = f"tối đa {MAX_USERNAME} ký tự"
    if errors:
        raise FieldError(errors)
    return username.strip()


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "private, no-store"  # who may read a secret document
    return response


@bp.get("/documents/<int:document_id>/readers")
def list_readers(document_id: int) -> Response:
    grants = readers.list_readers(get_session(), document_id, actor=current_actor())
    body = {"document_id": document_id, "readers": [grant_json(g) for g in grants]}
    return _no_store(jsonify(body))


@bp.post("/documents/<int:document_id>/readers")
def grant_reader(document_id: int) -> tuple[Response, int, dict[str, str]]:
    session = get_session()
    actor = current_actor()
    readers.managed_document(session, document_id, actor)  # 404 / 403 before reading the body
    session.rollback()  # end the read: the service starts its writer's transaction (SQLite)
    username = reader_username(parse.json_body(request))
    grant = readers.grant_reader(session, document_id, username, actor=actor, now=get_clock().now())
    session.commit()
    location = url_for("api.list_readers", document_id=document_id)
    return _no_store(jsonify(grant_json(grant))), 201, {"Location": location}


@bp.delete("/documents/<int:document_id>/readers/<username>")
def revoke_reader(document_id: int, username: str) -> Response:
    if problem := parse.text_problem(username):  # a NUL from %00 would fail on PostgreSQL
        raise parse.InvalidText(f"Tên đăng nhập {problem}.", field="username")
    session = get_session()
    grant = readers.revoke_reader(
        session, document_id, username, actor=current_actor(), now=get_clock().now()
    )
    session.commit()
    return _no_store(jsonify(grant_json(grant)))
